"""Receptive fields: for every neuron, the input in [-1, 1]ⁿ that makes it as large as it can be.

The lecture's question for each neuron is "what set of inputs makes the value of this neuron as
high as it can possibly be". For a first-layer neuron the answer is exact: each pixel at the sign
of its weight (+1 where the weight is positive, -1 where it is negative, 0 where the weight is 0
and the pixel does not matter). Deeper neurons are found by projected gradient ascent on the
input, run on chainrule's own engine.

>>> from nn import MLP
>>> model = MLP(3, [1, 1], seed=0)
>>> for w, number in zip(model.layers[0].neurons[0].w, [0.5, -2.0, 0.0]):
...     w.data = number
>>> model.layers[1].neurons[0].w[0].data = -1.0
>>> receptive_fields(model)
[[[1.0, -1.0, 0.0]], [[-1.0, 1.0, 0.0]]]
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["bias_of", "model_layers", "receptive_fields", "relevant_inputs", "weights_of"]

ACTIVATION_NAMES = ("linear", "sigmoid", "tanh", "relu")

# The search for deeper neurons: where it starts, how it steps, how it finishes.
_ASCENT_STEPS = 80
_FIRST_STEP = 0.5
_SMALLEST_STEP = 1e-7
_POLISH_TRIES = 400  # then random moves around the best point polish it
_POLISH_RADIUS = 0.05
_STARTS_KEPT = 6  # the best few candidate starts are refined by ascent
_ALL_VERTICES_UP_TO = 10  # with at most this many relevant inputs every corner of the box is tried
_RANDOM_CORNERS = 256  # otherwise this many corners, drawn with a fixed seed
_RANDOM_POINTS = 1024  # and this many points inside the box, also drawn with a fixed seed
_SEED = 0


def _sigmoid(s: float) -> float:
    if s >= 0:
        return 1.0 / (1.0 + math.exp(-s))
    e = math.exp(s)
    return e / (1.0 + e)


FLOAT_ACTIVATIONS: dict[str, Callable[[float], float]] = {
    "linear": lambda s: s,
    "sigmoid": _sigmoid,
    "tanh": math.tanh,
    "relu": lambda s: s if s > 0.0 else 0.0,
}


def model_layers(model: Any) -> list[Any]:
    """The fully connected layers of ``model``, first to last (Dropout is skipped).

    Accepts an ``nn.MLP`` (anything with ``.layers``), an ``nn.Sequential`` of layers (nested
    ones too), or a single ``nn.Layer``. Raises ``TypeError`` for anything else and
    ``ValueError`` when consecutive layers do not fit together.

    >>> from nn import Dropout, Layer, Sequential
    >>> first, second = Layer(2, 3, seed=0), Layer(3, 1, seed=1)
    >>> model_layers(Sequential(first, Dropout(0.5), second)) == [first, second]
    True
    """
    layers = _collect(model, top=True)
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


def _collect(module: Any, top: bool = False) -> list[Any]:
    if isinstance(module, str | bytes | int | float | complex) or module is None:
        raise TypeError(_not_a_model(module))
    if hasattr(module, "neurons"):
        return [module]
    layers = getattr(module, "layers", None)
    if layers is not None and not callable(layers):
        return [layer for inner in layers for layer in _collect(inner)]
    modules = getattr(module, "modules", None)
    if modules is not None and not callable(modules):
        return [layer for inner in modules for layer in _collect(inner)]
    if not top and type(module).__name__ == "Dropout":
        return []  # dropout is the identity when a model is evaluated
    raise TypeError(_not_a_model(module))


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
    if neuron.activation not in FLOAT_ACTIVATIONS:
        raise ValueError(
            f"layer {layer_number} has a neuron with activation {neuron.activation!r}; "
            f"pictures know {', '.join(ACTIVATION_NAMES)}."
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


def receptive_fields(model: Any) -> list[list[list[float]]]:
    """For every neuron, the input in [-1, 1]ⁿ that makes its value as high as possible.

    Returns a list per layer of a list per neuron of the input vector (``n`` floats, in the
    model's input order). Every activation only ever rises with its input, so the input that
    maximises a neuron's weighted sum (its pre-activation) also maximises its output.

    - First layer: exact. Each pixel is the sign of its weight; a pixel whose weight is 0 does
      not matter and is given 0.0.
    - Deeper layers: projected gradient ascent on the input with chainrule Values: a forward
      pass through the layers below (their weights copied into constant Values), then
      ``backward()``, a step along the gradient, and clipping back into [-1, 1]. A step is kept
      only if it raises the neuron (else it is halved); across a ridge, where the gradient
      flips, the ascent follows the ridge. It starts from the sign pattern of the composed
      linear map (all weight matrices multiplied, activations ignored) and from the best of a
      fixed spread of inputs (every corner of the box for up to 10 inputs, else 256 corners,
      and 1024 points inside, drawn with a fixed seed); the best result is polished by small
      seeded random moves. So it is deterministic. It is a search, not a proof: a very narrow
      peak that no start lies near can be missed.
    - Inputs that no path of nonzero weights joins to the neuron do not matter and are 0.0.

    The model's parameters and their gradients are not touched.

    >>> from nn import MLP
    >>> model = MLP(4, [4, 4, 4], activation="relu", seed=0)
    >>> fields = receptive_fields(model)
    >>> [len(layer) for layer in fields], len(fields[2][0])
    ([4, 4, 4], 4)
    >>> fields[0][0] == [1.0 if w.data > 0 else -1.0 for w in model.layers[0].neurons[0].w]
    True
    """
    layers = model_layers(model)
    relevant = relevant_inputs(layers)
    network = _Network(layers)
    fields: list[list[list[float]]] = []
    for index, layer in enumerate(layers):
        row = []
        for j, neuron in enumerate(layer.neurons):
            if index == 0:
                row.append([_sign(w) for w in weights_of(neuron)])
            else:
                row.append(network.maximise(index, j, relevant[index][j]))
        fields.append(row)
    return fields


def _sign(number: float) -> float:
    return 1.0 if number > 0 else -1.0 if number < 0 else 0.0


class _Network:
    """A copy of a model's numbers for the search: float matrices and constant Values.

    The search builds its graphs from these constants, never from the model's own parameters,
    so ``backward()`` here cannot touch the gradients a learner is looking at.
    """

    def __init__(self, layers: Sequence[Any]) -> None:
        from autograd import Value

        self.weights = [[weights_of(n) for n in layer.neurons] for layer in layers]
        self.biases = [[bias_of(n) for n in layer.neurons] for layer in layers]
        self.activations = [[n.activation for n in layer.neurons] for layer in layers]
        self.weight_values = [[[Value(w) for w in row] for row in m] for m in self.weights]
        self.bias_values = [[Value(b) for b in row] for row in self.biases]
        self.points: list[list[float]] = []
        self.sums: list[list[list[float]]] = []

    def score(self, index: int, j: int, x: Sequence[float]) -> float:
        """Neuron j of layer ``index``: its weighted sum without the bias, in floats."""
        h = list(x)
        for k in range(index):
            h = [
                FLOAT_ACTIVATIONS[act](math.fsum(w * v for w, v in zip(row, h, strict=True)) + b)
                for row, b, act in zip(
                    self.weights[k], self.biases[k], self.activations[k], strict=True
                )
            ]
        return math.fsum(w * v for w, v in zip(self.weights[index][j], h, strict=True))

    def gradient(self, index: int, j: int, x: Sequence[float]) -> tuple[float, list[float]]:
        """The same score and its gradient with respect to the input, by ``backward()``."""
        from autograd import Value, weighted_sum

        inputs = [Value(v) for v in x]
        h: list[Any] = inputs
        for k in range(index):
            h = [
                _activate(weighted_sum(row, h, b), act)
                for row, b, act in zip(
                    self.weight_values[k], self.bias_values[k], self.activations[k], strict=True
                )
            ]
        target = weighted_sum(self.weight_values[index][j], h)
        target.backward()
        return target.data, [v.grad for v in inputs]

    def survey(self) -> None:
        """Evaluate every neuron once on the same spread of inputs, to choose where to start.

        The spread is every corner of the box (up to 10 inputs; else 256 corners) and 1024
        points inside it, all drawn with a fixed seed.
        """
        n = len(self.weights[0][0])
        points = [list(signs) for signs in _corner_signs(n)]
        generator = random.Random(_SEED + 1)
        points += [[generator.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(_RANDOM_POINTS)]
        self.points = points
        self.sums = [self.weighted_sums(x) for x in points]

    def weighted_sums(self, x: Sequence[float]) -> list[list[float]]:
        """Every neuron's weighted sum (bias left out) on ``x``, layer by layer, in floats."""
        sums = []
        h = list(x)
        for k in range(len(self.weights)):
            layer_sums = [
                math.fsum(w * v for w, v in zip(row, h, strict=True)) for row in self.weights[k]
            ]
            sums.append(layer_sums)
            h = [
                FLOAT_ACTIVATIONS[act](s + b)
                for s, b, act in zip(layer_sums, self.biases[k], self.activations[k], strict=True)
            ]
        return sums

    def maximise(self, index: int, j: int, mask: list[bool]) -> list[float]:
        """Projected gradient ascent of the neuron's weighted sum over the inputs in ``mask``."""
        n = len(mask)
        free = [i for i in range(n) if mask[i]]
        if not free:
            return [0.0] * n
        if not self.points:
            self.survey()
        # Inputs that cannot reach the neuron are set to 0: the score stays the same.
        candidates = [self.linear_sign_pattern(index, j, mask), [0.0] * n]
        scores = [self.score(index, j, x) for x in candidates]
        for x, sums in zip(self.points, self.sums, strict=True):
            candidates.append([v if m else 0.0 for v, m in zip(x, mask, strict=True)])
            scores.append(sums[index][j])
        ranked = sorted(range(len(candidates)), key=lambda k: (-scores[k], k))
        starts = [0] + [k for k in ranked[:_STARTS_KEPT] if k != 0]
        best_x, best_score = candidates[ranked[0]], scores[ranked[0]]
        for k in starts:
            x, score = self.ascend(index, j, candidates[k], free)
            if score > best_score + 1e-12:
                best_x, best_score = x, score
        best_x = self.polish(index, j, best_x, free)
        return [float(v) if mask[i] else 0.0 for i, v in enumerate(best_x)]

    def linear_sign_pattern(self, index: int, j: int, mask: list[bool]) -> list[float]:
        """Signs of the neuron's weights carried back through every weight matrix below it."""
        row = self.weights[index][j]
        for k in reversed(range(index)):
            matrix = self.weights[k]
            row = [
                math.fsum(row[r] * matrix[r][i] for r in range(len(matrix)))
                for i in range(len(matrix[0]))
            ]
        return [_sign(v) if m else 0.0 for v, m in zip(row, mask, strict=True)]

    def ascend(
        self, index: int, j: int, start: list[float], free: list[int]
    ) -> tuple[list[float], float]:
        """Projected gradient ascent from ``start``: a step is kept only if it raises the score.

        A kept step lets the next one grow, a refused one halves it. Where two gradients point
        against each other the ascent is crossing a ridge (two ReLU or tanh pieces meeting); it
        then moves along the ridge, in the direction of the shortest vector between the two
        gradients (the direction that raises both pieces).
        """
        x = list(start)
        score, gradient = self.gradient(index, j, x)
        other: list[float] | None = None
        step = _FIRST_STEP
        for _ in range(_ASCENT_STEPS):
            direction = [gradient[i] for i in free]
            if other is not None and _dot(direction, other) < 0.0:
                direction = _shortest_between(direction, other)
            largest = max(abs(d) for d in direction)
            if largest == 0.0:
                break
            trial = list(x)
            for i, d in zip(free, direction, strict=True):
                trial[i] = min(1.0, max(-1.0, x[i] + step * d / largest))
            if trial == x:
                break  # pinned against the box's walls: the ascent stops
            trial_score, trial_gradient = self.gradient(index, j, trial)
            if trial_score > score:
                other = [gradient[i] for i in free]
                x, score, gradient = trial, trial_score, trial_gradient
                step = min(_FIRST_STEP, step * 1.5)
            else:
                other = [trial_gradient[i] for i in free]
                step *= 0.5
                if step < _SMALLEST_STEP:
                    break
        return x, score

    def polish(self, index: int, j: int, x: list[float], free: list[int]) -> list[float]:
        """Small random moves that are kept when they help, with a radius that adapts.

        Gradient steps can stall on a sharp ridge (the pieces of a ReLU network meet there);
        trying nearby points finds the way along it. The moves come from a fixed seed.
        """
        generator = random.Random(_SEED + 2)
        best = self.score(index, j, x)
        radius = _POLISH_RADIUS
        for _ in range(_POLISH_TRIES):
            trial = list(x)
            for i in free:
                trial[i] = min(1.0, max(-1.0, x[i] + radius * generator.uniform(-1.0, 1.0)))
            score = self.score(index, j, trial)
            if score > best:
                x, best = trial, score
                radius = min(0.5, radius * 2.0)
            else:
                radius *= 0.9
                if radius < 1e-9:
                    break
        return x


def _dot(a: list[float], b: list[float]) -> float:
    return math.fsum(p * q for p, q in zip(a, b, strict=True))


def _shortest_between(a: list[float], b: list[float]) -> list[float]:
    """The shortest vector on the segment from ``a`` to ``b``."""
    difference = [p - q for p, q in zip(a, b, strict=True)]
    length = _dot(difference, difference)
    t = 0.0 if length == 0.0 else min(1.0, max(0.0, _dot(a, difference) / length))
    return [p - t * d for p, d in zip(a, difference, strict=True)]


def _corner_signs(count: int) -> list[tuple[float, ...]]:
    if count <= _ALL_VERTICES_UP_TO:
        return list(itertools.product((1.0, -1.0), repeat=count))
    generator = random.Random(_SEED)
    return [
        tuple(generator.choice((1.0, -1.0)) for _ in range(count)) for _ in range(_RANDOM_CORNERS)
    ]


def _activate(value: Any, activation: str) -> Any:
    if activation == "linear":
        return value
    return getattr(value, activation)()
