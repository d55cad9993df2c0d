"""Loss functions: one Value that says how wrong a batch of outputs is, ready for backward().

Each loss takes ``(outputs, targets)``: ``outputs`` holds one list of output Values per
sample (what calling a model returns), ``targets`` one class label (an int) or one target
vector per sample. The result is the **mean** over the batch.

For :func:`abs_error` and :func:`mse`, an int label ``c`` of a model with several outputs
stands for the one-hot vector ("truth" in the lecture: 1 for class ``c``, 0 elsewhere); for a
model with one output, a plain number target is the wanted output itself.

>>> from autograd import Value
>>> outputs = [[Value(2.0), Value(0.5)], [Value(-1.0), Value(1.0)]]
>>> round(softmax_cross_entropy(outputs, [0, 1]).data, 4)
0.1642
>>> abs_error(outputs, [0, 1]).data
1.25
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

import autograd
from autograd import Value

__all__ = ["LOSSES", "abs_error", "get_loss", "hinge", "l2", "mse", "softmax_cross_entropy"]

Outputs = Sequence[Sequence[Value | float]]
Targets = Sequence[int | float | Sequence[float]]


def _check_batch(outputs: object, targets: object, loss: str) -> int:
    """Check that outputs and targets are batches of the same size; return the output count."""
    for what, batch in (("outputs", outputs), ("targets", targets)):
        if isinstance(batch, str | bytes | Value) or not isinstance(batch, Sequence):
            raise TypeError(
                f"{loss}: {what} must be a list with one entry per sample, "
                f"not {type(batch).__name__}."
            )
    if not outputs:
        raise ValueError(f"{loss}: the batch is empty; give at least one sample.")
    if len(outputs) != len(targets):
        raise ValueError(
            f"{loss}: got {len(outputs)} outputs but {len(targets)} targets; "
            "give one target per sample."
        )
    first = outputs[0]
    if isinstance(first, Value | str | bytes) or not isinstance(first, Sequence):
        raise TypeError(
            f"{loss}: each sample's outputs must be a list of Values (what calling a model "
            f"returns), got {type(first).__name__}. For one sample, wrap it: [model(x)]."
        )
    width = len(first)
    for i, sample in enumerate(outputs):
        if not isinstance(sample, Sequence) or isinstance(sample, Value | str | bytes):
            raise TypeError(f"{loss}: outputs[{i}] must be a list of Values.")
        if len(sample) != width:
            raise ValueError(
                f"{loss}: outputs[{i}] has {len(sample)} values but outputs[0] has {width}; "
                "every sample needs the same number of outputs."
            )
    if width == 0:
        raise ValueError(f"{loss}: the outputs are empty lists.")
    return width


def _label(target: object, classes: int, loss: str, index: int) -> int:
    if isinstance(target, bool) or not isinstance(target, int):
        raise TypeError(
            f"{loss}: targets[{index}] must be a class label (an int), "
            f"not {type(target).__name__} ({target!r:.40})."
        )
    if not 0 <= target < classes:
        raise ValueError(
            f"{loss}: label {target} (targets[{index}]) is out of range for {classes} outputs; "
            f"labels must be 0 ... {classes - 1}."
        )
    return target


def _target_vector(target: object, width: int, loss: str, index: int) -> list[float]:
    """The vector a target stands for: itself, a one-hot label, or a one-output number."""
    if isinstance(target, Sequence) and not isinstance(target, str | bytes):
        if len(target) != width:
            raise ValueError(
                f"{loss}: targets[{index}] has {len(target)} values but the model has "
                f"{width} outputs."
            )
        vector = [_number(t, loss, index) for t in target]
        return vector
    if width == 1:
        return [_number(target, loss, index)]
    label = _label(target, width, loss, index)
    return [1.0 if c == label else 0.0 for c in range(width)]


def _number(value: object, loss: str, index: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(
            f"{loss}: targets[{index}] must hold numbers, not {type(value).__name__} "
            f"({value!r:.40})."
        )
    if not math.isfinite(value):
        raise ValueError(f"{loss}: targets[{index}] holds {value!r}; targets must be finite.")
    return float(value)


def _mean(terms: list[Value]) -> Value:
    return autograd.sum(terms) * (1.0 / len(terms))


def abs_error(outputs: Outputs, targets: Targets) -> Value:
    """The lecture's error: |truth - answer| summed over the outputs, averaged over the batch.

    >>> from autograd import Value
    >>> abs_error([[Value(0.5), Value(0.25)]], [1]).data
    1.25
    """
    width = _check_batch(outputs, targets, "abs_error")
    terms = []
    for i, (sample, target) in enumerate(zip(outputs, targets, strict=True)):
        truth = _target_vector(target, width, "abs_error", i)
        terms.extend(abs(y - t) for y, t in zip(sample, truth, strict=True))
    return autograd.sum(terms) * (1.0 / len(outputs))


def mse(outputs: Outputs, targets: Targets) -> Value:
    """Mean squared error, averaged over every output of every sample (as PyTorch's MSELoss).

    >>> from autograd import Value
    >>> mse([[Value(3.0)], [Value(0.0)]], [1.0, 0.0]).data
    2.0
    """
    width = _check_batch(outputs, targets, "mse")
    terms = []
    for i, (sample, target) in enumerate(zip(outputs, targets, strict=True)):
        truth = _target_vector(target, width, "mse", i)
        terms.extend((y - t) ** 2 for y, t in zip(sample, truth, strict=True))
    return autograd.sum(terms) * (1.0 / len(terms))


def softmax_cross_entropy(outputs: Outputs, labels: Sequence[int]) -> Value:
    """-log(softmax probability of the right class), averaged over the batch.

    Computed stably as log Σⱼ exp(zⱼ - m) - (z_label - m), with ``m`` the largest score, so
    large scores cannot overflow. Needs at least 2 outputs per sample and int labels.

    >>> from autograd import Value
    >>> round(softmax_cross_entropy([[Value(0.0), Value(0.0)]], [1]).data, 4)
    0.6931
    >>> round(softmax_cross_entropy([[Value(1000.0), Value(0.0)]], [0]).data, 4)
    0.0
    """
    loss = "softmax_cross_entropy"
    width = _check_batch(outputs, labels, loss)
    if width < 2:
        raise ValueError(
            f"{loss} needs at least 2 outputs per sample (one score per class), got {width}; "
            "for one output use 'hinge' or 'mse'."
        )
    terms = []
    for i, (scores, label) in enumerate(zip(outputs, labels, strict=True)):
        label = _label(label, width, loss, i)
        scores = [s if s.__class__ is Value else Value(s) for s in scores]
        largest = max(s.data for s in scores)
        log_total = autograd.sum([(s - largest).exp() for s in scores]).log()
        terms.append(log_total - (scores[label] - largest))
    return _mean(terms)


def hinge(outputs: Outputs, labels: Sequence[int]) -> Value:
    """Max-margin loss for one output: mean of relu(1 - y·score) with labels 0/1 as y = -1/+1.

    It is what micrograd's demo trains with: zero once every score is on the right side of 0
    by a margin of at least 1.

    >>> from autograd import Value
    >>> hinge([[Value(2.0)], [Value(0.5)]], [1, 0]).data
    0.75
    """
    width = _check_batch(outputs, labels, "hinge")
    if width != 1:
        raise ValueError(
            f"hinge needs exactly 1 output per sample (a score, > 0 meaning class 1), got "
            f"{width}; for several classes use 'softmax_cross_entropy'."
        )
    terms = []
    for i, (sample, label) in enumerate(zip(outputs, labels, strict=True)):
        sign = 2.0 * _label(label, 2, "hinge", i) - 1.0
        terms.append((1.0 - sample[0] * sign).relu())
    return _mean(terms)


def l2(parameters: Iterable[Value], alpha: float) -> Value:
    """The weight penalty alpha·Σ p², to add to a loss: it pulls weights towards 0.

    Built as one weighted-sum node (Σ p·p) times alpha, however many parameters there are.

    >>> from autograd import Value
    >>> w = [Value(1.0), Value(-2.0)]
    >>> penalty = l2(w, 0.5)
    >>> penalty.data
    2.5
    >>> penalty.backward()
    >>> [p.grad for p in w]
    [1.0, -2.0]
    """
    if isinstance(alpha, bool) or not isinstance(alpha, int | float):
        raise TypeError(f"l2: alpha must be a number, not {type(alpha).__name__}.")
    if not (math.isfinite(alpha) and alpha >= 0.0):
        raise ValueError(f"l2: alpha must be a finite number >= 0, got {alpha!r}.")
    if isinstance(parameters, Value):
        raise TypeError("l2 needs a list of parameters (e.g. model.parameters()), not one Value.")
    params = list(parameters)
    if not params:
        raise ValueError("l2 got no parameters; pass model.parameters().")
    for p in params:
        if p.__class__ is not Value:
            raise TypeError(f"l2: every parameter must be a Value, got {type(p).__name__}.")
    return autograd.weighted_sum(params, params) * float(alpha)


LOSSES: dict[str, Callable[[Outputs, Targets], Value]] = {
    "abs_error": abs_error,
    "mse": mse,
    "softmax_cross_entropy": softmax_cross_entropy,
    "hinge": hinge,
}


def get_loss(
    loss: str | Callable[[Outputs, Targets], Value],
) -> Callable[[Outputs, Targets], Value]:
    """The loss function named ``loss`` (or ``loss`` itself when it is already a function).

    >>> get_loss("mse") is mse
    True
    """
    if callable(loss):
        return loss
    if isinstance(loss, str) and loss in LOSSES:
        return LOSSES[loss]
    choices = ", ".join(repr(name) for name in LOSSES)
    raise ValueError(f"unknown loss {loss!r:.40}; give a function or one of {choices}.")
