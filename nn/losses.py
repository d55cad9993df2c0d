"""Loss functions: one Value that says how wrong a batch of outputs is, ready for backward().

Each loss takes ``(outputs, targets)``: ``outputs`` holds what the model returned for each
sample (a list of output Values, or the Value itself for a model with one output, so
``[model(x) for x in xs]`` fits), ``targets`` one class label (an int) or one target vector
per sample. A single Value and a single target (``mse(model(x), 1.0)``) are one sample. The
result is the **mean** over the batch.

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
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence

import autograd
from autograd import Value
from autograd.numbers import is_real, real_number

__all__ = ["LOSSES", "abs_error", "get_loss", "hinge", "l2", "mse", "softmax_cross_entropy"]

Outputs = Value | Sequence[Value | Sequence[Value | float]]
Targets = Sequence[int | float | Sequence[float]]


def _check_batch(outputs: object, targets: object, loss: str) -> tuple[list, list, int]:
    """The batch as (one list of outputs per sample, targets, the output count), checked.

    A sample's outputs may be a list of Values or one Value (a model with one output); a
    single Value for ``outputs`` is a batch of one sample whose target is ``targets``.
    """
    if outputs.__class__ is Value:
        outputs, targets = [outputs], [targets]
    for what, batch in (("outputs", outputs), ("targets", targets)):
        if isinstance(batch, str | bytes | Value | Mapping) or not (
            isinstance(batch, Sequence) or hasattr(batch, "__array__")  # a NumPy array
        ):
            raise TypeError(
                f"{loss}: {what} must be a list with one entry per sample, "
                f"not {type(batch).__name__}."
            )
    if len(outputs) == 0:
        raise ValueError(f"{loss}: the batch is empty; give at least one sample.")
    targets = list(targets)
    if len(outputs) != len(targets):
        raise ValueError(
            f"{loss}: got {len(outputs)} outputs but {len(targets)} targets; "
            "give one target per sample."
        )
    samples = []
    for i, sample in enumerate(outputs):
        if sample.__class__ is Value:
            sample = [sample]
        elif isinstance(sample, str | bytes) or not isinstance(sample, Sequence):
            raise TypeError(
                f"{loss}: outputs[{i}] must be a list of Values or one Value (what calling a "
                f"model returns), not {type(sample).__name__}. For one sample, wrap it: "
                "[model(x)]."
            )
        if len(sample) != len(samples[0] if samples else sample):
            raise ValueError(
                f"{loss}: outputs[{i}] has {len(sample)} values but outputs[0] has "
                f"{len(samples[0])}; every sample needs the same number of outputs."
            )
        samples.append(sample)
    width = len(samples[0])
    if width == 0:
        raise ValueError(f"{loss}: the outputs are empty lists.")
    return samples, list(targets), width


def _label(target: object, classes: int, loss: str, index: int) -> int:
    if isinstance(target, bool) or not isinstance(target, numbers.Integral):
        raise TypeError(
            f"{loss}: targets[{index}] must be a class label (an int), "
            f"not {type(target).__name__} ({target!r:.40})."
        )
    if not 0 <= target < classes:
        raise ValueError(
            f"{loss}: label {target} (targets[{index}]) is out of range for {classes} outputs; "
            f"labels must be 0 ... {classes - 1}."
        )
    return int(target)


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
    if not is_real(value):
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
    outputs, targets, width = _check_batch(outputs, targets, "abs_error")
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
    outputs, targets, width = _check_batch(outputs, targets, "mse")
    terms = []
    for i, (sample, target) in enumerate(zip(outputs, targets, strict=True)):
        truth = _target_vector(target, width, "mse", i)
        terms.extend((y - t) ** 2 for y, t in zip(sample, truth, strict=True))
    return autograd.sum(terms) * (1.0 / len(terms))


def softmax_cross_entropy(outputs: Outputs, labels: Sequence[int | Sequence[float]]) -> Value:
    """-log(softmax probability of the right class), averaged over the batch.

    Computed stably as log Σⱼ exp(zⱼ - m) - (z_label - m), with ``m`` the largest score, so
    large scores cannot overflow. Needs at least 2 outputs per sample. A target is a class
    label (an int) or a vector of class probabilities, one-hot (``[0, 0, 1]``) or not, as
    PyTorch's ``CrossEntropyLoss`` takes: then the loss is Σ_c t_c·(-log p_c).

    >>> from autograd import Value
    >>> round(softmax_cross_entropy([[Value(0.0), Value(0.0)]], [1]).data, 4)
    0.6931
    >>> round(softmax_cross_entropy([[Value(1000.0), Value(0.0)]], [0]).data, 4)
    0.0
    >>> round(softmax_cross_entropy([[Value(0.0), Value(0.0)]], [[0.0, 1.0]]).data, 4)
    0.6931
    """
    loss = "softmax_cross_entropy"
    outputs, labels, width = _check_batch(outputs, labels, loss)
    if width < 2:
        raise ValueError(
            f"{loss} needs at least 2 outputs per sample (one score per class), got {width}; "
            "for one output use 'hinge' or 'mse'."
        )
    targets = [_class_target(target, width, loss, i) for i, target in enumerate(labels)]
    terms = []
    for scores, target in zip(outputs, targets, strict=True):
        scores = [s if s.__class__ is Value else Value(s) for s in scores]
        largest = max(s.data for s in scores)
        log_total = autograd.sum([(s - largest).exp() for s in scores]).log()
        if isinstance(target, int):
            terms.append(log_total - (scores[target] - largest))
        else:  # Σ t_c·(log_total - (z_c - m)) = log_total - Σ t_c·(z_c - m), as Σ t_c = 1
            shares = [(t, s) for t, s in zip(target, scores, strict=True) if t]
            picked = autograd.weighted_sum([t for t, _ in shares], [s for _, s in shares])
            terms.append(log_total - (picked - largest))
    return _mean(terms)


def _class_target(target: object, width: int, loss: str, index: int) -> int | list[float]:
    """A class label, or a probability vector (a one-hot one becomes its label)."""
    if isinstance(target, str | bytes) or not isinstance(target, Sequence):
        return _label(target, width, loss, index)
    vector = _target_vector(target, width, loss, index)
    if any(t < 0.0 for t in vector) or abs(math.fsum(vector) - 1.0) > 1e-9:
        raise ValueError(
            f"{loss}: targets[{index}] = {list(target)!r:.60} is not one-hot or a list of "
            "class probabilities (numbers >= 0 that add up to 1); give a class label or such "
            "a list."
        )
    return vector.index(1.0) if vector.count(0.0) == width - 1 else vector


def hinge(outputs: Outputs, labels: Sequence[int]) -> Value:
    """Max-margin loss for one output: the mean of relu(1 - y·score) for labels y = -1 or +1.

    It is what micrograd's demo trains with: zero once every score is on the right side of 0
    by a margin of at least 1. Labels are -1/+1 as micrograd writes them, or 0/1 (0 meaning
    -1); one batch uses one of the two.

    >>> from autograd import Value
    >>> hinge([[Value(2.0)], [Value(0.5)]], [1, 0]).data
    0.75
    >>> hinge([Value(2.0), Value(0.5)], [1, -1]).data
    0.75
    """
    outputs, labels, width = _check_batch(outputs, labels, "hinge")
    if width != 1:
        raise ValueError(
            f"hinge needs exactly 1 output per sample (a score, > 0 meaning class 1), got "
            f"{width}; for several classes use 'softmax_cross_entropy'."
        )
    signs = [_hinge_sign(label, i) for i, label in enumerate(labels)]
    if 0 in labels and -1 in labels:
        raise ValueError(
            "hinge: the labels mix 0 and -1, which both mean the negative class; use 0/1 or "
            "-1/+1 in one batch."
        )
    terms = [(1.0 - sample[0] * sign).relu() for sample, sign in zip(outputs, signs, strict=True)]
    return _mean(terms)


def _hinge_sign(label: object, index: int) -> float:
    if isinstance(label, bool) or not isinstance(label, numbers.Integral):
        raise TypeError(
            f"hinge: targets[{index}] must be a class label (an int: -1 or +1, or 0 or 1), "
            f"not {type(label).__name__} ({label!r:.40})."
        )
    if label not in (-1, 0, 1):
        raise ValueError(
            f"hinge: label {label} (targets[{index}]) is not a hinge label; labels must be "
            "-1 or +1 (or 0 and 1)."
        )
    return 1.0 if label == 1 else -1.0


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
    alpha = real_number(alpha, "l2: alpha")
    if alpha < 0.0:
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
