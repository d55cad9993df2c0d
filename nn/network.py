"""A model read as the lecture draws it: fully connected layers, their weights, activations.

Pictures and receptive fields see a model as a list of layers, each a list of neurons
(weights ``w``, bias ``b``) followed by one activation. An ``nn.MLP``, a ``Sequential`` of
``Layer`` modules, or of ``Linear`` modules each followed by an activation module, all read
this way; Dropout is skipped (it passes values through when a model is evaluated).

>>> from nn import Linear, Sequential, Tanh
>>> layers = model_layers(Sequential(Linear(2, 3, seed=0), Tanh(), Linear(3, 1, seed=1)))
>>> [(len(layer.neurons), layer.activation) for layer in layers]
[(3, 'tanh'), (1, 'linear')]
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from nn.activations import ACTIVATIONS, ActivationModule

__all__ = [
    "ActivatedLayer",
    "activation_of",
    "activation_on_arrays",
    "activation_on_values",
    "bias_of",
    "model_layers",
    "relevant_inputs",
    "weights_of",
]


@dataclass(frozen=True)
class ActivatedLayer:
    """A layer without activation (``nn.Linear``) and the activation module after it, as one.

    Pictures and receptive fields read it as they read a ``Layer``: ``neurons`` hold the
    weights, ``activation`` names the row of :data:`nn.ACTIVATIONS`, and calling it runs both
    modules.
    """

    layer: Any
    module: ActivationModule
    neurons: list[Any] = field(init=False)
    activation: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "neurons", self.layer.neurons)
        object.__setattr__(self, "activation", self.module.activation)

    def __call__(self, x: Sequence[Any]) -> list[Any]:
        return self.module.outputs(self.layer.outputs(x))


def activation_of(layer: Any) -> Callable[[float], float]:
    """The activation a layer (or :class:`ActivatedLayer`) applies, as a function of a float.

    >>> from nn import Layer
    >>> activation_of(Layer(2, 1, activation="relu"))(-3.0)
    0.0
    """
    return _with_parameters(layer, ACTIVATIONS[layer.activation].on_float)


def activation_on_values(layer: Any) -> Callable[[Any], Any]:
    """The activation a layer (or :class:`ActivatedLayer`) applies, as a function of a Value."""
    return _with_parameters(layer, ACTIVATIONS[layer.activation].on_value)


def _with_parameters(layer: Any, function: Callable[..., Any]) -> Callable[[Any], Any]:
    if isinstance(layer, ActivatedLayer):
        return functools.partial(function, **layer.module.parameters_of_activation)
    return function


def activation_on_arrays(layer: Any) -> Callable[[Any], Any]:
    """The activation a layer (or :class:`ActivatedLayer`) applies, on a NumPy array."""
    return _with_parameters(layer, ACTIVATIONS[layer.activation].on_array)


def model_layers(model: Any) -> list[Any]:
    """The fully connected layers of ``model``, first to last (Dropout is skipped).

    Accepts an ``nn.MLP``, an ``nn.Sequential`` of layers (nested ones too), each
    ``nn.Linear`` optionally followed by an activation module (the pair is read as one
    :class:`ActivatedLayer`), or a single ``nn.Layer``. Raises ``TypeError`` for anything else
    and ``ValueError`` when consecutive layers do not fit together.

    >>> from nn import Dropout, Layer, Sequential
    >>> first, second = Layer(2, 3, seed=0), Layer(3, 1, seed=1)
    >>> model_layers(Sequential(first, Dropout(0.5), second)) == [first, second]
    True
    """
    layers = _fold(_collect(model))
    if not layers:
        raise ValueError(
            f"{type(model).__name__} holds no layers with neurons; build it with nn.MLP(...) or "
            "nn.Sequential(nn.Layer(...), ...)."
        )
    width = None
    for number, layer in enumerate(layers, start=1):
        neurons = list(layer.neurons)
        if not neurons:
            raise ValueError(f"layer {number} has no neurons; give every layer at least one.")
        for neuron in neurons:
            _check_neuron(neuron, number)
        nin = len(neurons[0].w)
        if any(len(neuron.w) != nin for neuron in neurons):
            raise ValueError(f"the neurons of layer {number} have different numbers of weights.")
        if width is not None and nin != width:
            raise ValueError(
                f"layer {number} takes {nin} inputs but layer {number - 1} gives {width}; the "
                "layers do not fit together."
            )
        width = len(neurons)
    return layers


def _collect(model: Any) -> list[Any]:
    """The layers and activation modules of ``model`` in order, nested Sequentials opened."""
    found, pending = [], [model]
    while pending:  # a loop, not recursion: Sequentials may nest deeply
        module = pending.pop()
        if isinstance(module, str | bytes | int | float | complex) or module is None:
            raise TypeError(_not_a_model(module))
        if hasattr(module, "neurons"):
            found.append(module)
            continue
        modules = getattr(module, "modules", None)
        if modules is not None and not callable(modules):
            pending.extend(reversed(list(modules)))
        elif isinstance(module, ActivationModule) and module is not model:
            found.append(module)
        elif module is not model and type(module).__name__ == "Dropout":
            pass  # dropout is the identity when a model is evaluated
        else:
            raise TypeError(_not_a_model(module))
    return found


def _fold(modules: list[Any]) -> list[Any]:
    """Join each layer without activation to the activation module right after it."""
    layers: list[Any] = []
    for module in modules:
        if not isinstance(module, ActivationModule):
            layers.append(module)
            continue
        before = layers[-1] if layers else None
        if before is None or isinstance(before, ActivatedLayer) or before.activation != "linear":
            where = "first" if before is None else f"after layer {len(layers)}"
            raise ValueError(
                f"a {type(module).__name__} comes {where}, not after a layer without "
                "activation; pictures draw each layer with one activation: follow an "
                "nn.Linear with at most one activation module."
            )
        layers[-1] = ActivatedLayer(before, module)
    return layers


def _not_a_model(thing: Any) -> str:
    return (
        f"expected a network (nn.MLP, nn.Sequential of nn.Layer, or nn.Layer), got "
        f"{type(thing).__name__} ({thing!r:.60}). Build one with e.g. nn.MLP(4, [4, 4])."
    )


def _check_neuron(neuron: Any, layer_number: int) -> None:
    if not hasattr(neuron, "w") or not hasattr(neuron, "activation"):
        raise TypeError(
            f"layer {layer_number} holds a {type(neuron).__name__}, not a neuron with weights "
            "`.w` and an `.activation`."
        )
    if neuron.activation not in ACTIVATIONS:
        raise ValueError(
            f"layer {layer_number} has a neuron with activation {neuron.activation!r}; "
            f"pictures know {', '.join(ACTIVATIONS)}."
        )


def weights_of(neuron: Any) -> list[float]:
    """A neuron's weights as plain numbers.

    >>> from nn import Neuron
    >>> len(weights_of(Neuron(3, seed=0)))
    3
    """
    return [w.data for w in neuron.w]


def bias_of(neuron: Any) -> float:
    """A neuron's bias as a plain number (0.0 for a neuron without one).

    >>> from nn import Neuron
    >>> bias_of(Neuron(2, seed=0)), bias_of(Neuron(2, bias=False, seed=0))
    (0.0, 0.0)
    """
    return 0.0 if neuron.b is None else neuron.b.data


def relevant_inputs(layers: Sequence[Any]) -> list[list[list[bool]]]:
    """Per layer, per neuron, per input: whether some path of nonzero weights joins them.

    An input with no such path cannot change the neuron: its receptive-field pixel "does not
    matter" (the lecture's checkered squares).

    >>> from nn import Layer
    >>> layer = Layer(2, 1, seed=0)
    >>> layer.neurons[0].w[1].data = 0.0
    >>> relevant_inputs([layer])
    [[[True, False]]]
    """
    result: list[list[list[bool]]] = []
    below: list[list[bool]] | None = None
    for layer in layers:
        masks = []
        for neuron in layer.neurons:
            weights = weights_of(neuron)
            if below is None:
                masks.append([w != 0.0 for w in weights])
            else:
                reach = [False] * len(below[0])
                for w, mask in zip(weights, below, strict=True):
                    if w != 0.0:
                        reach = [r or m for r, m in zip(reach, mask, strict=True)]
                masks.append(reach)
        result.append(masks)
        below = masks
    return result
