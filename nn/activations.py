"""The activation functions: one row each (read by layers, pictures, saving and PyTorch export),
and the modules ``Tanh``, ``ReLU``, ``Sigmoid`` and ``LeakyReLU`` that apply them in a Sequential.

A row holds everything chainrule knows about one activation: its name (as ``Layer`` and saved
files spell it), its module class name (``nn.Tanh`` and ``torch.nn.Tanh``), the function on a
Value, on a float and on a NumPy array, its parameters, and how a neuron using it can get
stuck (a ReLU "dies", a tanh or sigmoid "saturates"). Adding an activation is one row.

>>> from autograd import Value
>>> ACTIVATIONS["tanh"](Value(0.5)).op
'tanh'
>>> ACTIVATIONS["sigmoid"].on_float(0.0)
0.5
>>> [row.module for row in ACTIVATIONS.values()]
['Identity', 'Sigmoid', 'Tanh', 'ReLU', 'LeakyReLU']
>>> [v.data for v in ReLU()([-1.0, 2.0])]
[0.0, 2.0]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from autograd import Value
from autograd.numbers import real_number
from autograd.ops import FLOAT_FUNCTIONS
from nn.describe import expect_keys, savable
from nn.module import Module

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "ActivationModule",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "Tanh",
    "check_activation",
]


@dataclass(frozen=True)
class Activation:
    """One activation function and everything the library needs to know about it.

    ``on_value``, ``on_float`` and ``on_array`` apply it to a Value, a float and a NumPy
    array; each takes the activation's parameters (``defaults`` names them) as keywords.
    ``stuck`` is ``"dead"`` for a function whose slope is 0 for every input <= 0 (ReLU),
    ``"saturated"`` for one that flattens out at both ends (tanh, sigmoid), else ``None``.
    Calling the row applies it to a Value.

    >>> from autograd import Value
    >>> ACTIVATIONS["relu"](Value(-2.0)).data
    0.0
    """

    name: str
    module: str
    on_value: Callable[..., Any]
    on_float: Callable[..., float]
    on_array: Callable[..., Any]
    defaults: Mapping[str, float] = field(default_factory=dict)
    stuck: str | None = None

    def __call__(self, value: Any, **parameters: float) -> Any:
        return self.on_value(value, **parameters)


_sigmoid = FLOAT_FUNCTIONS["sigmoid"]  # the op table's own, stable for any float


def _numpy() -> Any:
    import numpy

    return numpy


ACTIVATIONS: dict[str, Activation] = {
    row.name: row
    for row in (
        Activation("linear", "Identity", lambda v: v, lambda s: s, lambda s: s),
        Activation(
            "sigmoid",
            "Sigmoid",
            lambda v: v.sigmoid(),
            _sigmoid,
            lambda s: 0.5 * (1.0 + _numpy().tanh(0.5 * s)),
            stuck="saturated",
        ),
        Activation(
            "tanh",
            "Tanh",
            lambda v: v.tanh(),
            math.tanh,
            lambda s: _numpy().tanh(s),
            stuck="saturated",
        ),
        Activation(
            "relu",
            "ReLU",
            lambda v: v.relu(),
            lambda s: s if s > 0.0 else 0.0,
            lambda s: _numpy().maximum(s, 0.0),
            stuck="dead",
        ),
        Activation(
            "leaky_relu",
            "LeakyReLU",
            lambda v, negative_slope=0.01: v.leaky_relu(negative_slope),
            lambda s, negative_slope=0.01: s if s > 0.0 else negative_slope * s,
            lambda s, negative_slope=0.01: _numpy().where(s > 0.0, s, negative_slope * s),
            defaults={"negative_slope": 0.01},
        ),
    )
}


def check_activation(name: object) -> str:
    """Return ``name`` if it names a row of :data:`ACTIVATIONS`, else raise a clear error.

    >>> check_activation("gelu")
    Traceback (most recent call last):
    ...
    ValueError: unknown activation 'gelu'; choose one of 'linear', 'sigmoid', 'tanh', 'relu', \
'leaky_relu'.
    """
    choices = ", ".join(repr(n) for n in ACTIVATIONS)
    if not isinstance(name, str):
        raise TypeError(
            f"an activation is named by a str, not {type(name).__name__} ({name!r:.40}); "
            f"choose one of {choices} ('linear' for none)."
        )
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of {choices}.")
    return name


class ActivationModule(Module):
    """A module that applies one activation to each of its inputs; it has no parameters.

    ``activation`` is the name of its row in :data:`ACTIVATIONS`, ``parameters`` the
    row's parameters (``{"negative_slope": 0.01}`` for LeakyReLU). It takes any number of
    inputs and returns a list with one Value per input.
    """

    activation = "linear"

    @property
    def parameters_of_activation(self) -> dict[str, float]:
        """The activation's parameters, as its row's functions take them."""
        return {}

    def own_parameters(self) -> list[tuple[str, Value]]:
        return []

    def named_children(self) -> list[tuple[str, Module]]:
        return []

    def forward(self, x: Any) -> list[Value]:
        row, parameters = ACTIVATIONS[self.activation], self.parameters_of_activation
        return [row(v if v.__class__ is Value else Value(v), **parameters) for v in x]

    def config(self) -> dict[str, Any]:
        return dict(self.parameters_of_activation)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ActivationModule:
        expect_keys(cls.__name__, config, set(ACTIVATIONS[cls.activation].defaults))
        return cls(**config)

    def torch_modules(self, torch: Any) -> list[Any]:
        module = getattr(torch.nn, ACTIVATIONS[self.activation].module)
        return [module(**self.parameters_of_activation)]

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.parameters_of_activation.items())
        return f"{type(self).__name__}({shown})"


@savable
class Tanh(ActivationModule):
    """tanh of each input, squashing it into (-1, 1): PyTorch's ``nn.Tanh``.

    >>> [round(v.data, 4) for v in Tanh()([0.5, -2.0])]
    [0.4621, -0.964]
    """

    activation = "tanh"


@savable
class ReLU(ActivationModule):
    """max(0, x) of each input: PyTorch's ``nn.ReLU``.

    >>> [v.data for v in ReLU()([-0.5, 0.5])]
    [0.0, 0.5]
    """

    activation = "relu"


@savable
class Sigmoid(ActivationModule):
    """1 / (1 + exp(-x)) of each input, squashing it into (0, 1): PyTorch's ``nn.Sigmoid``.

    >>> [v.data for v in Sigmoid()([0.0])]
    [0.5]
    """

    activation = "sigmoid"


@savable
class LeakyReLU(ActivationModule):
    """x for x > 0, else ``negative_slope``·x, of each input: PyTorch's ``nn.LeakyReLU``.

    A ReLU that keeps a small slope below 0, so a neuron cannot die.

    >>> LeakyReLU(negative_slope=0.2)
    LeakyReLU(negative_slope=0.2)
    """

    activation = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01) -> None:
        self.negative_slope = real_number(negative_slope, "LeakyReLU negative_slope")

    @property
    def parameters_of_activation(self) -> dict[str, float]:
        return {"negative_slope": self.negative_slope}
