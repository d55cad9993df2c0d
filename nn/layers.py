"""Neurons, layers, multi-layer perceptrons, dropout and softmax.

A neuron computes one ``weighted_sum`` node (w₁·x₁ + … + wₙ·xₙ + b) and then its activation,
exactly the "weighted sum, then squash" of the lecture. A model with one output returns that
Value, as micrograd's MLP does; a layer always returns a list.

>>> from nn import MLP
>>> model = MLP(4, [8, 8, 4], activation="tanh", seed=0)
>>> model
MLP(4, [8, 8, 4], activation='tanh', output_activation='linear')
>>> len(model([1, -1, 1, -1]))
4
>>> MLP(3, [4, 4, 1], seed=0)([2.0, 3.0, -1.0]).op
'weighted_sum'
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import autograd
from autograd import Value
from autograd.numbers import is_real, whole_number
from nn.activations import ACTIVATIONS, check_activation
from nn.describe import check_flag, expect_keys, savable
from nn.init import check_init, initial_weights, make_rng
from nn.module import Module
from nn.sequential import Sequential

__all__ = ["MLP", "Dropout", "Layer", "Linear", "Neuron", "softmax"]


def _count(number: object, what: str) -> int:
    return whole_number(number, what, minimum=1)


@savable
class Neuron(Module):
    """One neuron: a weighted sum of its ``nin`` inputs plus a bias, then an activation.

    Calling it returns its output Value, as micrograd's ``Neuron`` does. The activation is
    ``"tanh"`` unless given, the lecture's neuron (``"linear"`` for none). Weights start
    random (seeded by ``seed``, drawn by scheme ``init``), the bias at 0. ``w`` is the list
    of weight Values, ``b`` the bias Value (``None`` without a bias). ``fan_out`` is the size
    of the neuron's layer, used only by ``init="xavier"``.

    >>> neuron = Neuron(2, activation="tanh", seed=0)
    >>> [p.label for p in neuron.parameters()]
    ['w1', 'w2', 'b']
    >>> out = neuron([1.0, -1.0])
    >>> out.op, out.parents[0].op
    ('tanh', 'weighted_sum')
    """

    def __init__(
        self,
        nin: int,
        activation: str = "tanh",
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: int | random.Random | None = None,
        fan_out: int = 1,
    ) -> None:
        self.nin = _count(nin, "nin (the number of inputs)")
        self.activation = check_activation(activation)
        self._activate = ACTIVATIONS[activation]
        weights = initial_weights(nin, check_init(init), make_rng(seed), fan_out)
        self.w = [Value(w, f"w{i}") for i, w in enumerate(weights, start=1)]
        self.b = Value(0.0, "b") if bias else None

    def own_parameters(self) -> list[tuple[str, Value]]:
        named = [(f"w{i}", w) for i, w in enumerate(self.w, start=1)]
        if self.b is not None:
            named.append(("b", self.b))
        return named

    def named_children(self) -> list[tuple[str, Module]]:
        return []

    def children(self) -> list[Module]:
        return []

    def own_parameter_values(self) -> list[Value]:
        return [*self.w] if self.b is None else [*self.w, self.b]

    def forward(self, x: Sequence[Value | float]) -> Value:
        total = autograd.weighted_sum(self.w, x, self.b)
        out = self._activate(total)
        total.scope = out.scope = self.scope_path
        return out

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "activation": self.activation, "bias": self.b is not None}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Neuron:
        c = expect_keys("Neuron", config, {"nin", "activation", "bias"})
        return cls(c["nin"], c["activation"], check_flag(c["bias"], "bias"), seed=0)

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        return _size(config["nin"]) + _bias(config["bias"])

    def torch_modules(self, torch: Any) -> list[Any]:
        return _torch_dense(torch, [self], self.activation)

    def __repr__(self) -> str:
        bias = "" if self.b is not None else ", bias=False"
        return f"Neuron({self.nin}, activation={self.activation!r}{bias})"


@savable
class Layer(Module):
    """``nout`` neurons that all see the same ``nin`` inputs; a list of one output per neuron.

    The activation is ``"linear"`` (none) unless given, as for ``torch.nn.Linear``: a layer
    at the end of a Sequential gives the raw scores losses expect, and a hidden layer says
    what it squashes with, e.g. ``Layer(2, 4, activation="relu")``. Neuron ``j`` is named
    ``N{j}`` (from 1), so its weights are labelled ``N2.w1`` ...

    >>> layer = Layer(3, 2, activation="relu", seed=0)
    >>> layer.nin, layer.nout, len(layer.neurons)
    (3, 2, 2)
    >>> layer.neurons[1].w[0].label
    'N2.w1'
    >>> Layer(3, 1).activation
    'linear'
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str = "linear",
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: int | random.Random | None = None,
    ) -> None:
        self.nin = _count(nin, "nin (the number of inputs)")
        self.nout = _count(nout, "nout (the number of neurons)")
        self.activation = check_activation(activation)
        self.bias = bool(bias)
        rng = make_rng(seed)
        self.neurons = [
            Neuron(nin, activation, bias, init=init, seed=rng, fan_out=nout) for _ in range(nout)
        ]
        self.label_parameters()

    def named_children(self) -> list[tuple[str, Module]]:
        return [(f"N{j}", neuron) for j, neuron in enumerate(self.neurons, start=1)]

    def children(self) -> list[Module]:
        return list(self.neurons)

    def own_parameters(self) -> list[tuple[str, Value]]:
        return []

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        neurons = self.neurons
        sums = autograd.weighted_sums([n.w for n in neurons], x, [n.b for n in neurons])
        if self.activation == "linear":
            for neuron, total in zip(neurons, sums):  # noqa: B905  (one sum per neuron)
                total.scope = neuron.scope_path
            return sums
        activate = ACTIVATIONS[self.activation].on_value
        outs = []
        for neuron, total in zip(neurons, sums):  # noqa: B905
            out = activate(total)
            total.scope = out.scope = neuron.scope_path
            outs.append(out)
        return outs

    def config(self) -> dict[str, Any]:
        return {
            "nin": self.nin,
            "nout": self.nout,
            "activation": self.activation,
            "bias": self.bias,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        c = expect_keys(cls.__name__, config, {"nin", "nout", "activation", "bias"})
        return cls(c["nin"], c["nout"], c["activation"], check_flag(c["bias"], "bias"), seed=0)

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        return _size(config["nout"]) * (_size(config["nin"]) + _bias(config["bias"]))

    def torch_modules(self, torch: Any) -> list[Any]:
        return _torch_dense(torch, self.neurons, self.activation)

    def __repr__(self) -> str:
        bias = "" if self.bias else ", bias=False"
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r}{bias})"


@savable
class Linear(Layer):
    """``nout`` weighted sums of ``nin`` inputs, with no activation: PyTorch's ``nn.Linear``.

    Follow it with an activation module to squash: ``Sequential(Linear(2, 4), ReLU(), ...)``.

    >>> layer = Linear(2, 3, seed=0)
    >>> layer
    Linear(2, 3)
    >>> [v.op for v in layer([1.0, 2.0])]
    ['weighted_sum', 'weighted_sum', 'weighted_sum']
    """

    def __init__(
        self,
        nin: int,
        nout: int,
        bias: bool = True,
        *,
        init: str = "uniform",
        seed: int | random.Random | None = None,
    ) -> None:
        super().__init__(nin, nout, "linear", bias, init=init, seed=seed)

    def config(self) -> dict[str, Any]:
        return {"nin": self.nin, "nout": self.nout, "bias": self.bias}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Linear:
        c = expect_keys("Linear", config, {"nin", "nout", "bias"})
        return cls(c["nin"], c["nout"], check_flag(c["bias"], "bias"), seed=0)

    def __repr__(self) -> str:
        bias = "" if self.bias else ", bias=False"
        return f"Linear({self.nin}, {self.nout}{bias})"


def _size(number: object) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError(f"{number!r:.40} is not a size (an int >= 1)")
    return number


def _bias(flag: object) -> int:
    if not isinstance(flag, bool):
        raise ValueError(f"bias {flag!r:.40} is not true or false")
    return int(flag)


def _torch_dense(torch: Any, neurons: list[Neuron], activation: str) -> list[Any]:
    """``torch.nn.Linear`` holding the neurons' weights, then the activation's module."""
    bias = neurons[0].b is not None
    linear = torch.nn.Linear(len(neurons[0].w), len(neurons), bias=bias, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(
            torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64)
        )
        if bias:
            linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
    row = ACTIVATIONS[activation]
    return [linear, getattr(torch.nn, row.module)(**row.defaults)]


@savable
class Dropout(Module):
    """In training mode, zero each input with probability ``p`` and scale the rest by 1/(1-p).

    The lecture calls dropout "a useful training tool": it stops neurons relying on one
    another. In eval mode (``model.eval()``) inputs pass through unchanged, and thanks to the
    1/(1-p) scaling ("inverted dropout") the expected outputs match in both modes. The masks
    are drawn from a private generator seeded by ``seed``.

    >>> drop = Dropout(0.5, seed=0)
    >>> [v.data for v in drop([1.0, 1.0, 1.0, 1.0])]
    [2.0, 2.0, 0.0, 0.0]
    >>> [v.data for v in drop.eval()([1.0, 1.0])]
    [1.0, 1.0]
    """

    def __init__(self, p: float = 0.5, *, seed: int | random.Random | None = None) -> None:
        if not is_real(p) or not 0.0 <= p < 1.0:  # nan fails the range test too
            raise ValueError(
                f"Dropout probability p must be a number in [0, 1), got {p!r:.40}; "
                "p is the chance that each input is zeroed."
            )
        self.p = float(p)
        self._rng = make_rng(seed)

    def own_parameters(self) -> list[tuple[str, Value]]:
        return []

    def named_children(self) -> list[tuple[str, Module]]:
        return []

    def forward(self, x: Sequence[Value | float]) -> list[Value]:
        values = [v if v.__class__ is Value else Value(v) for v in x]
        if not self.training or self.p == 0.0:
            return values
        keep = 1.0 / (1.0 - self.p)
        draw = self._rng.random
        p = self.p
        return [v * (0.0 if draw() < p else keep) for v in values]

    def config(self) -> dict[str, Any]:
        return {"p": self.p}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Dropout:
        return cls(expect_keys("Dropout", config, {"p"})["p"])

    def torch_modules(self, torch: Any) -> list[Any]:
        return [torch.nn.Dropout(self.p)]

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


@savable
class MLP(Sequential):
    """A multi-layer perceptron: fully connected layers of sizes ``sizes`` on ``nin`` inputs.

    ``activation`` is used by every hidden layer (or give a list, one name per hidden layer);
    the last layer uses ``output_activation`` (``"linear"``: raw scores, as loss functions
    expect). With one output neuron, calling the MLP returns that Value (as micrograd's
    ``MLP(3, [4, 4, 1])`` does), else a list. ``dropout=p`` puts a :class:`Dropout` after
    each hidden layer. Weights are drawn by ``init`` from a generator seeded by ``seed``;
    biases start at 0.

    >>> model = MLP(2, [16, 16, 1], activation="relu", seed=1)
    >>> [layer.activation for layer in model.layers]
    ['relu', 'relu', 'linear']
    >>> model.nin, model.nout, len(model.parameters())
    (2, 1, 337)
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: str | Sequence[str] = "tanh",
        output_activation: str = "linear",
        seed: int | None = None,
        init: str = "uniform",
        dropout: float = 0.0,
        bias: bool = True,
    ) -> None:
        _count(nin, "nin (the number of inputs)")
        if isinstance(sizes, int) or not isinstance(sizes, Sequence) or not sizes:
            raise TypeError(
                f"sizes must be a non-empty list of layer sizes like [8, 8, 4], not {sizes!r:.40}."
            )
        sizes = [_count(size, f"layer size {size!r}") for size in sizes]
        hidden = len(sizes) - 1
        if isinstance(activation, str):
            activations = [check_activation(activation)] * hidden
        elif isinstance(activation, bytes) or not isinstance(activation, Sequence):
            choices = ", ".join(repr(n) for n in ACTIVATIONS)
            raise TypeError(
                f"activation must be the name of one activation (for every hidden layer) or a "
                f"list of names, one per hidden layer, not {type(activation).__name__} "
                f"({activation!r:.40}); choose from {choices} ('linear' for none)."
            )
        else:
            activations = [check_activation(name) for name in activation]
            if len(activations) != hidden:
                raise ValueError(
                    f"activation lists one name per hidden layer: {hidden} for sizes {sizes}, "
                    f"got {len(activations)}."
                )
        check_activation(output_activation)
        check_init(init)
        Dropout(dropout)  # checks p even when there is no hidden layer to follow
        rng = make_rng(seed)
        modules: list[Module] = []
        for i, size in enumerate(sizes):
            last = i == hidden
            layer_in = nin if i == 0 else sizes[i - 1]
            act = output_activation if last else activations[i]
            modules.append(Layer(layer_in, size, act, bias, init=init, seed=rng))
            if dropout and not last:
                modules.append(Dropout(dropout, seed=rng.getrandbits(64)))
        self.sizes = sizes
        self.activation = activations
        self.output_activation = output_activation
        self.init = init
        self.seed = seed
        self.dropout = float(dropout)
        self.bias = bool(bias)
        super().__init__(*modules)

    _KEYS = frozenset(
        {"nin", "sizes", "activation", "output_activation", "dropout", "bias", "init", "seed"}
    )

    def config(self) -> dict[str, Any]:
        return {
            "nin": self.nin,
            "sizes": list(self.sizes),
            "activation": list(self.activation),
            "output_activation": self.output_activation,
            "dropout": self.dropout,
            "bias": self.bias,
            "init": self.init,
            "seed": self.seed if isinstance(self.seed, int) else None,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> MLP:
        c = expect_keys("MLP", config, set(cls._KEYS))
        if not isinstance(c["sizes"], list) or not isinstance(c["activation"], list):
            raise TypeError("MLP sizes and activation must be lists")
        bias = check_flag(c["bias"], "bias")
        return cls(
            c["nin"], c["sizes"], c["activation"], c["output_activation"], seed=c["seed"],
            init=c["init"], dropout=c["dropout"], bias=bias,
        )  # fmt: skip

    @classmethod
    def parameter_count(cls, config: dict[str, Any]) -> int:
        total, fan_in, bias = 0, _size(config["nin"]), _bias(config["bias"])
        for size in config["sizes"]:
            total += _size(size) * (fan_in + bias)
            fan_in = size
        return total

    @property
    def layers(self) -> list[Layer]:
        """The layers, in order, without the Dropout modules."""
        return [module for module in self.modules if isinstance(module, Layer)]

    @property
    def nout(self) -> int:
        """The number of outputs (neurons in the last layer)."""
        return self.sizes[-1]

    def __repr__(self) -> str:
        hidden = set(self.activation)
        activation = self.activation[0] if len(hidden) == 1 else self.activation
        extras = "" if not self.activation else f", activation={activation!r}"
        extras += f", output_activation={self.output_activation!r}"
        if self.dropout:
            extras += f", dropout={self.dropout}"
        if not self.bias:
            extras += ", bias=False"
        return f"MLP({self.nin}, {self.sizes}{extras})"


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """Turn scores into probabilities that sum to 1: exp(zᵢ - m) / Σⱼ exp(zⱼ - m).

    The largest score ``m`` is subtracted first (it cancels), so large scores cannot
    overflow.

    >>> [round(p.data, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    >>> [round(p.data, 4) for p in softmax([1000.0, 1000.0])]
    [0.5, 0.5]
    """
    if isinstance(values, Value | str | bytes) or not isinstance(values, Sequence):
        raise TypeError(f"softmax needs a list of Values or numbers, not {type(values).__name__}.")
    if not values:
        raise ValueError("softmax needs at least one value.")
    values = [v if v.__class__ is Value else Value(v) for v in values]
    largest = max(v.data for v in values)
    exps = [(v - largest).exp() for v in values]
    total = autograd.sum(exps)
    return [e / total for e in exps]
