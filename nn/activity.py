"""What the neurons of a network do: their values on one input, and which are stuck on a batch.

A ReLU neuron whose weighted sum is <= 0 on every input of a batch is *dead*; a tanh or sigmoid
neuron whose output is near its limits on all of them is *saturated*. The network picture
(:func:`nn.draw_network`) shades neurons by these values and outlines the flagged ones.

>>> from nn import MLP
>>> [len(layer) for layer in neuron_values(MLP(2, [3, 1], seed=0), [0.5, -1.0])]
[3, 1]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Any

from autograd.numbers import is_real
from autograd.text import number_text
from nn.activations import ACTIVATIONS
from nn.network import bias_of, model_layers, weights_of

__all__ = [
    "SIGMOID_SATURATION",
    "TANH_SATURATION",
    "NeuronFlag",
    "inputs_of",
    "layer_values",
    "neuron_flags",
    "neuron_values",
    "number_of",
    "read_input",
    "read_inputs",
]

# A tanh neuron is saturated where |output| > 0.99: its slope 1 - out² is then below 0.02.
TANH_SATURATION = 0.99
# A sigmoid neuron is saturated outside [0.01, 0.99]: its slope out·(1 - out) is below 0.0099.
SIGMOID_SATURATION = (0.01, 0.99)


def neuron_values(model: Any, input: Sequence[float]) -> list[list[float]]:
    """The value of every neuron on ``input``: a list per layer of the neurons' outputs.

    The model's own layers compute them under ``autograd.no_grad()`` (no graph is built), so
    the last list equals ``model(input)``; Dropout is skipped, as in evaluation mode.

    >>> from nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> values = neuron_values(model, [0.5, -1.0])
    >>> [len(layer) for layer in values]
    [3, 1]
    >>> values[-1] == [model([0.5, -1.0]).data]
    True
    """
    layers = model_layers(model)
    x = read_input(input, inputs_of(layers), "neuron_values")
    return [outputs for _, outputs in layer_values(layers, x)]


@dataclass(frozen=True)
class NeuronFlag:
    """A neuron a learner should look at: ``kind`` is ``"dead"`` or ``"saturated"``.

    ``layer`` and ``neuron`` index ``model.layers[layer].neurons[neuron]`` (from 0);
    ``message`` says what is wrong in words.

    >>> from nn import MLP
    >>> model = MLP(2, [2, 1], activation="relu", seed=0)
    >>> first, second = model.layers[0].neurons
    >>> for dead, alive in zip(first.w, second.w):
    ...     dead.data, alive.data = -1.0, 1.0  # on positive inputs: never fires, always fires
    >>> [(f.layer, f.neuron, f.kind) for f in neuron_flags(model, [[1.0, 1.0], [0.5, 2.0]])]
    [(0, 0, 'dead')]
    """

    layer: int
    neuron: int
    kind: str
    message: str


def neuron_flags(model: Any, inputs: Sequence[Sequence[float]]) -> list[NeuronFlag]:
    """The neurons that are dead or saturated on **every** input of the batch ``inputs``.

    - A ReLU neuron is *dead* when its weighted sum is ≤ 0 on all of them: it outputs 0 and
      passes no gradient back, so it cannot learn from these inputs.
    - A tanh neuron is *saturated* when ``|output| > TANH_SATURATION`` (0.99) on all of them, a
      sigmoid neuron when its output is outside ``SIGMOID_SATURATION`` ([0.01, 0.99]) on all
      of them: its slope is then almost 0 and it learns very slowly.

    Linear neurons are never flagged. Flags come in layer order, then neuron order.

    >>> from nn import Layer
    >>> layer = Layer(2, 2, activation="relu", seed=0)
    >>> layer.neurons[1].b.data = -10.0
    >>> [(f.layer, f.neuron, f.kind) for f in neuron_flags(layer, [[1, 0], [0, 1]])]
    [(0, 1, 'dead')]
    """
    layers = model_layers(model)
    batch = read_inputs(inputs, inputs_of(layers), "neuron_flags")
    stuck = [(ACTIVATIONS[layer.activation].stuck, len(layer.neurons)) for layer in layers]
    dead = [[kind == "dead"] * count for kind, count in stuck]
    saturated = [[kind == "saturated"] * count for kind, count in stuck]
    largest_sum = [[-math.inf] * len(layer.neurons) for layer in layers]
    low, high = SIGMOID_SATURATION
    for x in batch:
        for index, (layer, (pre, out)) in enumerate(
            zip(layers, layer_values(layers, x), strict=True)
        ):
            for j in range(len(layer.neurons)):
                largest_sum[index][j] = max(largest_sum[index][j], pre[j])
                if pre[j] > 0.0:
                    dead[index][j] = False
                if layer.activation == "tanh" and abs(out[j]) <= TANH_SATURATION:
                    saturated[index][j] = False
                if layer.activation == "sigmoid" and low <= out[j] <= high:
                    saturated[index][j] = False
    count = len(batch)
    flags = []
    for index, layer in enumerate(layers):
        for j in range(len(layer.neurons)):
            where = f"layer {index + 1} neuron {j + 1} ({layer.activation})"
            if dead[index][j]:
                message = (
                    f"{where} is dead: its weighted sum is <= 0 on all {count} inputs (at most "
                    f"{number_text(largest_sum[index][j], 4)}), so it outputs 0 and passes back "
                    "no gradient."
                )
                flags.append(NeuronFlag(index, j, "dead", message))
            elif saturated[index][j]:
                if layer.activation == "tanh":
                    limit = f"|output| > {TANH_SATURATION}"
                else:
                    limit = f"output outside [{low}, {high}]"
                message = (
                    f"{where} is saturated: {limit} on all {count} inputs, so its slope is "
                    "almost 0 and it learns very slowly."
                )
                flags.append(NeuronFlag(index, j, "saturated", message))
    return flags


def layer_values(layers: Sequence[Any], x: list[float]) -> list[tuple[list[float], list[float]]]:
    """Per layer: the weighted sums (from the weights) and outputs (from the layer itself).

    >>> from nn import Layer
    >>> layer_values([Layer(1, 1, activation="relu", seed=0)], [0.0])
    [([0.0], [0.0])]
    """
    from autograd import no_grad

    result = []
    h = x
    with no_grad():
        for layer in layers:
            pre = [
                math.fsum(w * v for w, v in zip(weights_of(n), h, strict=True)) + bias_of(n)
                for n in layer.neurons
            ]
            h = [number_of(v) for v in layer(h)]
            result.append((pre, h))
    return result


def number_of(value: Any) -> float:
    """A Value's number, or the number itself.

    >>> from autograd import Value
    >>> number_of(Value(2.0)), number_of(3)
    (2.0, 3.0)
    """
    return float(getattr(value, "data", value))


def inputs_of(layers: Sequence[Any]) -> int:
    """How many inputs the first of ``layers`` takes.

    >>> from nn import Layer
    >>> inputs_of([Layer(3, 2)])
    3
    """
    return len(layers[0].neurons[0].w)


def read_input(x: object, nin: int, who: str, what: str = "input") -> list[float]:
    """``x`` as ``nin`` finite floats (Values give their numbers), or a clear error from ``who``.

    >>> read_input([1, 2.5], 2, "draw_network")
    [1.0, 2.5]
    """
    if isinstance(x, str | bytes | Mapping | Set) or not isinstance(x, Sequence):
        raise TypeError(
            f"{who}: {what} must be a list of {nin} numbers (one per input neuron), not "
            f"{type(x).__name__} ({x!r:.60})."
        )
    if len(x) != nin:
        raise ValueError(
            f"{who}: {what} has {len(x)} numbers but the model takes {nin} inputs; give one "
            "number per input neuron."
        )
    numbers = []
    for position, item in enumerate(x, start=1):
        number = getattr(item, "data", item)
        if not is_real(number):
            raise TypeError(
                f"{who}: item {position} of {what} is {type(item).__name__} ({item!r:.40}), "
                "not a number."
            )
        if not math.isfinite(number):
            raise ValueError(f"{who}: item {position} of {what} is {number!r}; use finite numbers.")
        numbers.append(float(number))
    return numbers


def read_inputs(inputs: object, nin: int, who: str) -> list[list[float]]:
    """A non-empty batch of inputs, each read by :func:`read_input`.

    >>> read_inputs([[1, 0], [0, 1]], 2, "neuron_flags")
    [[1.0, 0.0], [0.0, 1.0]]
    """
    if isinstance(inputs, str | bytes | Mapping | Set) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"{who}: inputs must be a list of inputs (each a list of {nin} numbers), not "
            f"{type(inputs).__name__}."
        )
    if not inputs:
        raise ValueError(f"{who}: inputs is empty; give at least one input.")
    return [read_input(x, nin, who, f"input {i}") for i, x in enumerate(inputs, start=1)]
