"""Module, the base of every network piece, and saving, loading and exporting a model.

A module turns a sequence of inputs (numbers or Values) into output Values: a layer returns a
list (one Value per neuron), and a model with one output returns that Value itself, as
micrograd's MLP does. Its parameters are plain :class:`autograd.Value` leaves whose labels
are their names, so a drawing of a neuron's graph reads ``L1.N2.w3``, not an anonymous number.

Each savable module class says how to describe itself (``config``), how to be rebuilt from
that (``from_config``) and what it is in PyTorch (``torch_modules``); :func:`save`,
:func:`load` and :func:`to_torch` use those through :mod:`nn.describe`, and :mod:`nn.io`
holds the file format.

>>> from nn import Layer, Sequential, Tanh
>>> model = Sequential(Layer(2, 3, seed=0), Tanh(), Layer(3, 1, seed=1))
>>> [name for name, _ in model.named_parameters()][:3]
['L1.N1.w1', 'L1.N1.w2', 'L1.N1.b']
>>> type(model([0.5, -1.0])).__name__
'Value'
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

from autograd import Value
from autograd.numbers import real_number
from nn import io
from nn.describe import (
    MAX_MODULES,
    architecture,
    build,
    cannot_describe,
    module_count,
    parameter_count,
    supported,
)
from nn.shapes import Outputs, as_inputs

__all__ = ["Module", "load", "save", "to_torch"]

M = TypeVar("M", bound="Module")


class Module:
    """The base of layers and networks: parameters, train/eval mode, state dicts, saving.

    Subclasses implement ``forward(x)``, returning a list of Values (or a single Value, for a
    module with one output); calling the module checks ``x`` (and its length, when the module
    has an ``nin``) and then calls ``forward``. :meth:`outputs` gives the outputs as a list
    whatever their number. By default the parameters of a custom module are found in its
    attributes: Values, lists of Values, modules and lists of modules, in the order they were
    assigned.

    >>> from autograd import Value
    >>> class Scale(Module):
    ...     def __init__(self):
    ...         self.factor = Value(2.0, label="factor")
    ...     def forward(self, x):
    ...         return [self.factor * xi for xi in x]
    >>> [v.data for v in Scale()([1.0, 3.0])]
    [2.0, 6.0]
    >>> Scale().state_dict()
    {'factor': 2.0}
    """

    training: bool = True
    nin: int | None = None

    #: Where this module sits in the model it belongs to (``("L2", "N1")``): the ``scope`` of
    #: the values it makes. Set by :meth:`label_parameters`.
    scope_path: tuple[str, ...] = ()

    def __call__(self, x: Sequence[Value | float]) -> Outputs:
        x = as_inputs(x, type(self).__name__, self.nin)
        outputs = self.forward(x)
        if outputs.__class__ is not list and outputs.__class__ is not Value:
            if not isinstance(outputs, list | tuple):
                raise TypeError(
                    f"{type(self).__name__}.forward must return a list of Values (or one "
                    f"Value), got {type(outputs).__name__}."
                )
            outputs = list(outputs)
        return outputs

    def outputs(self, x: Sequence[Value | float]) -> list[Value]:
        """The outputs on ``x`` as a list, also when there is only one (what a next module needs).

        >>> from nn import MLP
        >>> model = MLP(2, [3, 1], seed=0)
        >>> type(model([1.0, 2.0])).__name__, len(model.outputs([1.0, 2.0]))
        ('Value', 1)
        """
        outputs = self(x)
        return [outputs] if outputs.__class__ is Value else outputs

    def forward(self, x: Sequence[Value | float]) -> Outputs:
        """Compute the outputs from the inputs ``x``; subclasses override this."""
        raise NotImplementedError(f"{type(self).__name__} must define forward(x).")

    # -- the module tree ------------------------------------------------------------------

    def named_children(self) -> list[tuple[str, Module]]:
        """The modules directly inside this one, with their names."""
        children = []
        for attribute, item in vars(self).items():
            if isinstance(item, Module):
                children.append((attribute, item))
            elif isinstance(item, list | tuple):
                children.extend(
                    (f"{attribute}.{i}", m)
                    for i, m in enumerate(item, start=1)
                    if isinstance(m, Module)
                )
        return children

    def own_parameters(self) -> list[tuple[str, Value]]:
        """The parameters held by this module itself (not by its children), with names."""
        found = []
        for attribute, item in vars(self).items():
            if item.__class__ is Value:
                found.append((attribute, item))
            elif isinstance(item, list | tuple):
                found.extend(
                    (f"{attribute}{i}", v)
                    for i, v in enumerate(item, start=1)
                    if v.__class__ is Value
                )
        return found

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter with its dotted name, children's after this module's own.

        >>> from nn import Neuron
        >>> [name for name, _ in Neuron(2, seed=0).named_parameters()]
        ['w1', 'w2', 'b']
        """
        result: list[tuple[str, Value]] = []
        seen: set[int] = set()
        for name, value in self._named_parameters(""):
            if id(value) not in seen:
                seen.add(id(value))
                result.append((name, value))
        return result

    def _named_parameters(self, prefix: str) -> Iterator[tuple[str, Value]]:
        for name, value in self.own_parameters():
            yield prefix + name, value
        for name, child in self.named_children():
            yield from child._named_parameters(f"{prefix}{name}.")

    def children(self) -> list[Module]:
        """The modules directly inside this one, in order: :meth:`named_children` without
        the names (modules override it when they can say so faster)."""
        return [module for _, module in self.named_children()]

    def own_parameter_values(self) -> list[Value]:
        """This module's own parameters: :meth:`own_parameters` without the names."""
        return [value for _, value in self.own_parameters()]

    def parameters(self) -> list[Value]:
        """Every parameter (a plain Value leaf), each once, in :meth:`named_parameters`' order.

        Training loops call this every step, so it walks the modules without making names.

        >>> from nn import MLP
        >>> len(MLP(4, [8, 4], seed=0).parameters())
        76
        """
        found: list[Value] = []
        stack: list[Module] = [self]
        while stack:  # depth first: a module's own parameters, then each child's in order
            module = stack.pop()
            found += module.own_parameter_values()
            stack.extend(reversed(module.children()))
        return list(dict.fromkeys(found))  # each once (== and hash are identity)

    def label_parameters(self) -> None:
        """Set each parameter's ``label`` to its name and its ``scope`` to the path of the
        module that holds it, so drawings show where it lives and can fold a layer or a neuron
        into one box (``draw(loss, collapse="neuron")``). Values the modules make in a forward
        pass get the same scope.

        >>> from nn import MLP
        >>> w = MLP(2, [3, 1], seed=0).layers[1].neurons[0].w[0]
        >>> w.label, w.scope
        ('L2.N1.w1', ('L2', 'N1'))
        """
        for name, value in self.named_parameters():
            value.label = name
            value.scope = tuple(name.split(".")[:-1])
        self._set_scope_paths(())

    def _set_scope_paths(self, path: tuple[str, ...]) -> None:
        self.scope_path = path
        for name, child in self.named_children():
            child._set_scope_paths((*path, name))

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.

        >>> from nn import Neuron
        >>> neuron = Neuron(2, seed=0)
        >>> neuron([1.0, 2.0]).backward()
        >>> neuron.zero_grad()
        >>> [p.grad for p in neuron.parameters()]
        [0.0, 0.0, 0.0]
        """
        for value in self.parameters():
            value.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Switch this module and all inside it to training mode (or eval mode); returns self.

        Only :class:`nn.Dropout` behaves differently: it drops inputs in training mode only.

        >>> from nn import MLP
        >>> model = MLP(2, [3, 1], dropout=0.5).eval()
        >>> model.train().training, model.modules[1].training
        (True, True)
        """
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode) needs True or False, not {mode!r:.40}.")
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode (dropout off); returns self.

        >>> from nn import MLP
        >>> MLP(2, [3, 1], dropout=0.5, seed=0).eval().modules[1].training
        False
        """
        return self.train(False)

    # -- state ------------------------------------------------------------------------------

    def state_dict(self) -> dict[str, float]:
        """The weights as a plain dict ``{name: number}``, ready for JSON.

        >>> from nn import Neuron
        >>> Neuron(1, seed=0).state_dict()
        {'w1': 0.6888437030500962, 'b': 0.0}
        """
        return {name: value.data for name, value in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set the weights from ``state`` (as made by :meth:`state_dict`).

        Everything is checked first, so on error no weight has changed: the names must be
        exactly this module's parameter names and every number real and finite.

        >>> from nn import Neuron
        >>> neuron = Neuron(1, seed=0)
        >>> neuron.load_state_dict({"w1": 0.5, "b": -1.0})
        >>> neuron.w[0].data, neuron.b.data
        (0.5, -1.0)
        """
        named = self.named_parameters()
        updates = _check_state(state, [name for name, _ in named], type(self).__name__)
        for (_, value), number in zip(named, updates, strict=True):
            value.data = number

    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and weights to ``path`` as JSON: the same as :func:`save`."""
        save(self, path)

    def to_torch(self) -> Any:
        """An equivalent float64 ``torch.nn.Sequential``: the same as :func:`to_torch`."""
        return to_torch(self)

    # -- describing, rebuilding and exporting (each savable class overrides these) -----------

    def config(self) -> dict[str, Any]:
        """The arguments that rebuild this module (JSON-able); see :func:`architecture`."""
        raise TypeError(cannot_describe(self))

    @classmethod
    def from_config(cls: type[M], config: dict[str, Any]) -> M:
        """A new module (fresh weights) from :meth:`config`'s dict, checked."""
        return cls(**config)

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        """How many parameters ``from_config(config)`` would make, found without making them.

        Raises ``ValueError`` for a config that cannot be counted.
        """
        return 0

    def torch_modules(self, torch: Any) -> list[Any]:
        """The ``torch.nn`` modules that compute what this module computes, in float64."""
        raise TypeError(
            f"cannot export a {type(self).__name__} to PyTorch: to_torch supports {supported()}."
        )

    def __repr__(self) -> str:
        children = self.named_children()
        if not children:
            return f"{type(self).__name__}()"
        lines = [f"  ({name}): {child!r}".replace("\n", "\n  ") for name, child in children]
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _check_state(state: object, names: list[str], who: str) -> list[float]:
    """Validate a state dict against parameter ``names``; return the numbers in that order."""
    if not isinstance(state, Mapping):
        raise TypeError(
            f"a state dict must be a dict of parameter name -> number, not {type(state).__name__}."
        )
    expected = set(names)
    missing = [name for name in names if name not in state]
    unexpected = [name for name in state if name not in expected]
    if missing or unexpected:
        problems = []
        if missing:
            problems.append(f"missing {_few(missing)}")
        if unexpected:
            problems.append(f"unexpected {_few(unexpected)}")
        raise ValueError(
            f"the state dict does not match this {who} ({len(names)} parameters): "
            f"{'; '.join(problems)}. Was it saved from a different architecture?"
        )
    return [real_number(state[name], f"parameter {name!r}") for name in names]


def _few(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


# ---------------------------------------------------------------------------------------------
# Describing a model, rebuilding it, saving it, exporting it.


def save(model: Module, path: str | os.PathLike) -> None:
    """Write ``model``'s architecture and weights to ``path`` as JSON, atomically.

    Everything is checked before anything is written (see :func:`nn.io.write_model`): the
    model can be described, every weight is finite, the path and its folder are usable.

    >>> import os, tempfile
    >>> from nn import MLP
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save(MLP(2, [3, 1], seed=0), path)
    >>> load(path)
    MLP(2, [3, 1], activation='tanh', output_activation='linear')
    """
    io.write_model(path, architecture(model), model.state_dict())


def load(path: str | os.PathLike) -> Module:
    """Rebuild the model saved at ``path``; a broken or mismatched file raises ``ValueError``.

    The error says what is wrong: too large or not a regular file, not JSON, nested too
    deeply, not a chainrule model, a newer format version, an invalid architecture (or one
    of more than ``nn.describe.MAX_MODULES`` modules), or weights that do not fit it (see
    :mod:`nn.io` for the file's limits).

    >>> import os, tempfile
    >>> from nn import MLP
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> model = MLP(4, [2], activation="relu", seed=1)
    >>> save(model, path)
    >>> load(path).state_dict() == model.state_dict()
    True
    """
    description, weights = io.read_model(path)
    modules = module_count(description)
    if modules > MAX_MODULES:
        raise ValueError(
            f"{path}: the architecture describes {modules:,} modules, more than "
            f"nn.describe.MAX_MODULES = {MAX_MODULES:,}; no chainrule model is that large, so "
            "the file is corrupted or not a model."
        )
    try:
        expected = parameter_count(description)
    except ValueError:
        expected = None  # building it names the problem
    counts = ""
    if isinstance(weights, dict) and expected is not None and expected != len(weights):
        counts = f"it has {expected} parameters, the file holds {len(weights)} weights"
        if expected > 2 * len(weights) + 10_000:
            # Decided before building: a corrupted size could make building take very long.
            raise ValueError(
                f"{path}: the weights do not fit the architecture: {counts}; the file is "
                "corrupted or was edited."
            )
    try:
        model = build(description)
    except ValueError as error:
        raise ValueError(f"{path}: invalid architecture: {error}") from None
    try:
        model.load_state_dict(weights)
    except (TypeError, ValueError) as error:
        counts = counts and counts + "; "
        raise ValueError(
            f"{path}: the weights do not fit the architecture: {counts}{error}"
        ) from None
    return model


def to_torch(model: Module) -> Any:
    """An equivalent ``torch.nn.Sequential`` in float64 with the same weights.

    Each layer becomes ``Linear`` followed by its activation (``Tanh``, ``ReLU``, ...;
    ``Identity`` for none); Dropout becomes ``Dropout``; nested Sequentials are flattened.
    The torch model is in the same train/eval mode as ``model``.

    >>> from nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> try:
    ...     import torch
    ... except ImportError:  # without the torch extra, to_torch says what to install
    ...     torch = None
    >>> if torch is not None:
    ...     net = to_torch(model)
    ...     out = net(torch.tensor([0.5, -1.0], dtype=torch.float64)).item()
    ...     assert abs(out - model([0.5, -1.0]).data) < 1e-12
    """
    if not isinstance(model, Module):
        raise TypeError(f"to_torch exports an nn.Module, not {type(model).__name__}.")
    try:
        import torch
    except ImportError:
        raise ImportError(
            'to_torch needs PyTorch, which is not installed: pip install "chainrule[torch]"'
        ) from None
    sequential = torch.nn.Sequential(*model.torch_modules(torch))
    sequential.train(model.training)
    return sequential
