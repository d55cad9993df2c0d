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
import time
from collections.abc import Sequence
from typing import Any

from autograd.numbers import real_number
from nn.network import (
    activation_of,
    activation_on_values,
    bias_of,
    model_layers,
    relevant_inputs,
    weights_of,
)

__all__ = ["MAX_SEARCH_WORK", "receptive_fields"]

# The largest search receptive_fields takes on: the sum over the neurons below the first
# layer of the weights in the layers up to theirs (see _search_work). MLP(64, [64, 64]) is
# 524,288; MLP(256, [256, 256]), about an hour's search, is 33,554,432.
MAX_SEARCH_WORK = 1_000_000

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


def receptive_fields(model: Any, *, timeout: float | None = 30.0) -> list[list[list[float]]]:
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

    The model's parameters and their gradients are not touched. The search gives up with a
    ``TimeoutError`` after ``timeout`` seconds (``None``: no limit), and a model whose search
    would be larger than :data:`MAX_SEARCH_WORK` is refused at once with a ``ValueError``
    (``MLP(256, [256, 256])`` would take about an hour).

    >>> from nn import MLP
    >>> model = MLP(4, [4, 4, 4], activation="relu", seed=0)
    >>> fields = receptive_fields(model)
    >>> [len(layer) for layer in fields], len(fields[2][0])
    ([4, 4, 4], 4)
    >>> fields[0][0] == [1.0 if w.data > 0 else -1.0 for w in model.layers[0].neurons[0].w]
    True
    """
    layers = model_layers(model)
    if timeout is not None and real_number(timeout, "timeout (seconds)") <= 0:
        raise ValueError(f"timeout must be a positive number of seconds (or None), not {timeout}")
    work = _search_work(layers)
    if work > MAX_SEARCH_WORK:
        sizes = [len(layer.neurons) for layer in layers]
        raise ValueError(
            f"receptive_fields: this model (layers of {sizes} neurons on "
            f"{len(layers[0].neurons[0].w)} inputs) is too large to search: {work:,} units of "
            f"work, more than MAX_SEARCH_WORK = {MAX_SEARCH_WORK:,} (a search of a minute or "
            "two). Draw a smaller model, or leave out receptive fields."
        )
    relevant = relevant_inputs(layers)
    network = _Network(layers, None if timeout is None else time.monotonic() + timeout, timeout)
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


def _search_work(layers: Sequence[Any]) -> int:
    """The size of the search: for each neuron past the first layer, the weights up to it."""
    work, weights = 0, 0
    for index, layer in enumerate(layers):
        weights += len(layer.neurons) * len(layer.neurons[0].w)
        if index:
            work += len(layer.neurons) * weights
    return work


def _sign(number: float) -> float:
    return 1.0 if number > 0 else -1.0 if number < 0 else 0.0


class _Network:
    """A copy of a model's numbers for the search: float matrices and constant Values.

    The search builds its graphs from these constants, never from the model's own parameters,
    so ``backward()`` here cannot touch the gradients a learner is looking at.
    """

    def __init__(self, layers: Sequence[Any], deadline: float | None, timeout: float | None):
        from autograd import Value

        self.deadline, self.timeout = deadline, timeout
        self.weights = [[weights_of(n) for n in layer.neurons] for layer in layers]
        self.biases = [[bias_of(n) for n in layer.neurons] for layer in layers]
        self.activations = [[activation_of(layer)] * len(layer.neurons) for layer in layers]
        self.on_values = [activation_on_values(layer) for layer in layers]
        self.weight_values = [[[Value(w) for w in row] for row in m] for m in self.weights]
        self.bias_values = [[Value(b) for b in row] for row in self.biases]
        self.points: list[list[float]] = []
        self.sums: list[list[list[float]]] = []

    def score(self, index: int, j: int, x: Sequence[float]) -> float:
        """Neuron j of layer ``index``: its weighted sum without the bias, in floats."""
        h = list(x)
        for k in range(index):
            h = [
                act(math.fsum(w * v for w, v in zip(row, h, strict=True)) + b)
                for row, b, act in zip(
                    self.weights[k], self.biases[k], self.activations[k], strict=True
                )
            ]
        return math.fsum(w * v for w, v in zip(self.weights[index][j], h, strict=True))

    def gradient(self, index: int, j: int, x: Sequence[float]) -> tuple[float, list[float]]:
        """The same score and its gradient with respect to the input, by ``backward()``."""
        from autograd import Value, weighted_sum

        self.check_time()
        inputs = [Value(v) for v in x]
        h: list[Any] = inputs
        for k in range(index):
            activate = self.on_values[k]
            h = [
                activate(weighted_sum(row, h, b))
                for row, b in zip(self.weight_values[k], self.bias_values[k], strict=True)
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
        self.sums = []
        for x in points:
            self.check_time()
            self.sums.append(self.weighted_sums(x))

    def check_time(self) -> None:
        """Raise ``TimeoutError`` once the search has run past its deadline."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeoutError(
                f"receptive_fields gave up after its time limit of {self.timeout} s; give a "
                "larger timeout (or None), or draw a smaller model."
            )

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
                act(s + b)
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
            self.check_time()
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
