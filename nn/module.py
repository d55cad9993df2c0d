"""Module, the base of every network piece, and Sequential, which chains pieces together.

A module turns a sequence of inputs (numbers or Values) into a **list** of output Values.
Its parameters are plain :class:`autograd.Value` leaves whose labels are their names, so a
drawing of a neuron's graph reads ``L1.N2.w3`` rather than an anonymous number.

>>> from nn import Layer, Sequential
>>> model = Sequential(Layer(2, 3, seed=0), Layer(3, 1, activation="linear", seed=1))
>>> [name for name, _ in model.named_parameters()][:3]
['L1.N1.w1', 'L1.N1.w2', 'L1.N1.b']
>>> outputs = model([0.5, -1.0])
>>> len(outputs), type(outputs[0]).__name__
(1, 'Value')
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Mapping, Sequence, Set
from typing import Any

from autograd import Value

__all__ = ["Module", "Sequential", "as_inputs"]


def as_inputs(x: object, who: str, nin: int | None = None) -> list | tuple:
    """Check that ``x`` is a sequence of inputs (of length ``nin`` if given) and return it.

    >>> as_inputs((1.0, 2.0), "Layer", 2)
    (1.0, 2.0)
    >>> as_inputs([1.0], "Layer", 2)
    Traceback (most recent call last):
    ...
    ValueError: Layer expects 2 inputs, got 1. ...
    """
    if x.__class__ is not list and x.__class__ is not tuple:
        if (
            isinstance(x, str | bytes | Mapping | Set | Value)
            or not hasattr(x, "__len__")
            or not hasattr(x, "__iter__")
        ):
            raise TypeError(
                f"{who} needs a sequence of inputs (a list or tuple of numbers or Values), "
                f"not {type(x).__name__} ({x!r:.60}). Wrap a single number in a list: [x]."
            )
        x = list(x)
    if nin is not None and len(x) != nin:
        raise ValueError(
            f"{who} expects {nin} inputs, got {len(x)}. Give one number or Value per input."
        )
    return x


class Module:
    """The base of layers and networks: parameters, train/eval mode, state dicts, saving.

    Subclasses implement ``forward(x) -> list[Value]``; calling the module checks ``x`` (and
    its length, when the module has an ``nin``) and then calls ``forward``. By default the
    parameters of a custom module are found in its attributes: Values, lists of Values,
    modules and lists of modules, in the order they were assigned.

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

    def __call__(self, x: Sequence[Value | float]) -> list[Value]:
        x = as_inputs(x, type(self).__name__, self.nin)
        outputs = self.forward(x)
        if outputs.__class__ is not list:
            if not isinstance(outputs, list | tuple):
                raise TypeError(
                    f"{type(self).__name__}.forward must return a list of Values, "
                    f"got {type(outputs).__name__}."
                )
            outputs = list(outputs)
        return outputs

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
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

    def parameters(self) -> list[Value]:
        """Every parameter (a plain Value leaf), each once, in a fixed order.

        >>> from nn import MLP
        >>> len(MLP(4, [8, 4], seed=0).parameters())
        76
        """
        return [value for _, value in self.named_parameters()]

    def label_parameters(self) -> None:
        """Set each parameter's ``label`` to its name, so drawings show where it lives."""
        for name, value in self.named_parameters():
            value.label = name

    def zero_grad(self) -> None:
        """Set the gradient of every parameter to 0.

        >>> from nn import Neuron
        >>> neuron = Neuron(2, seed=0)
        >>> neuron([1.0, 2.0])[0].backward()
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
        for _, child in self.named_children():
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
        """Write the architecture and weights to ``path`` as JSON (see :func:`nn.io.save`)."""
        from nn.io import save

        save(self, path)

    def to_torch(self) -> Any:
        """An equivalent float64 ``torch.nn.Sequential`` (see :func:`nn.io.to_torch`)."""
        from nn.io import to_torch

        return to_torch(self)

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
    numbers = []
    for name in names:
        number = state[name]
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(
                f"parameter {name!r} must be a number, got {type(number).__name__} "
                f"({number!r:.40})."
            )
        if not math.isfinite(number):
            raise ValueError(f"parameter {name!r} must be finite, got {number!r}.")
        numbers.append(float(number))
    return numbers


def _few(names: list[str]) -> str:
    shown = ", ".join(repr(name) for name in names[:5])
    return shown + (f" and {len(names) - 5} more" if len(names) > 5 else "")


class Sequential(Module):
    """Modules applied one after another, each one's outputs the next one's inputs.

    Children with parameters are named ``L1``, ``L2`` ... in order, and their parameters
    relabelled to match (``L2.N1.w3``).

    >>> from nn import Dropout, Layer
    >>> model = Sequential(Layer(2, 2, seed=0), Dropout(0.5), Layer(2, 1, seed=1))
    >>> len(model), [name for name, _ in model.named_children()]
    (3, ['L1', 'Dropout1', 'L2'])
    >>> model.nin
    2
    """

    def __init__(self, *modules: Module) -> None:
        if len(modules) == 1 and isinstance(modules[0], list | tuple):
            modules = tuple(modules[0])
        if not modules:
            raise ValueError("Sequential needs at least one module.")
        for position, module in enumerate(modules, start=1):
            if not isinstance(module, Module):
                raise TypeError(
                    f"Sequential takes modules (Layer, Dropout, ...); item {position} is a "
                    f"{type(module).__name__}."
                )
        self.modules: list[Module] = list(modules)
        self.label_parameters()

    @property
    def nin(self) -> int | None:  # type: ignore[override]
        """The number of inputs of the first module (``None`` if it accepts any number)."""
        return self.modules[0].nin

    def named_children(self) -> list[tuple[str, Module]]:
        names = []
        counts: dict[str, int] = {}
        for module in self.modules:
            # Modules that can hold parameters are layers L1, L2 ...; others (Dropout) are
            # named by their class: Dropout1 ...
            holds = module.own_parameters() or module.named_children()
            kind = "L" if holds else type(module).__name__
            counts[kind] = counts.get(kind, 0) + 1
            names.append((f"{kind}{counts[kind]}", module))
        return names

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        for module in self.modules:
            x = module(x)
        return x

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)
