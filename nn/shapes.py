"""What modules take and give: a sequence of inputs in; one Value, or a list of Values, out.

>>> from autograd import Value
>>> as_inputs([1.0, 2.0], "Layer", 2)
[1.0, 2.0]
>>> as_list(Value(3.0))
[Value(data=3.0, grad=0.0)]
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from typing import Any

from autograd import Value
from autograd.numbers import is_real

__all__ = ["Outputs", "as_inputs", "as_list", "check_samples"]

# What calling a module returns: a list of Values, or the Value itself for a model with one
# output (as micrograd's MLP does).
Outputs = Value | list[Value]


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


def as_list(outputs: object) -> list[Any]:
    """A model's outputs as a list: a single Value becomes ``[value]``; lists stay as they are.

    >>> as_list(Value(1.0)), as_list([1.0, 2.0])
    ([Value(data=1.0, grad=0.0)], [1.0, 2.0])
    """
    return [outputs] if outputs.__class__ is Value else list(outputs)


def check_samples(inputs: Sequence[object], nin: int | None, who: str) -> None:
    """Every sample a sequence of ``nin`` finite real numbers (or Values); else a clear error,
    worded for ``fit`` (``who`` is the model's kind).

    >>> check_samples([[1.0, 2.0], (0, 1)], 2, "MLP")
    >>> check_samples([[1.0, float("nan")]], 2, "MLP")
    Traceback (most recent call last):
    ...
    ValueError: fit: inputs[0][1] is nan; every input must be a finite number ...
    """
    for index, sample in enumerate(inputs):
        if _plain_numbers(sample, nin):
            continue  # the usual case, checked fast; anything else is looked at closely
        try:
            as_inputs(sample, who)  # the same rule as calling a module
        except TypeError:
            raise TypeError(
                f"fit: inputs[{index}] must be a list of numbers (one per model input), "
                f"not {type(sample).__name__} ({sample!r:.40})."
            ) from None
        if nin is not None and len(sample) != nin:
            raise ValueError(
                f"fit: {who} expects {nin} inputs, got {len(sample)} in inputs[{index}]; "
                f"give every sample {nin} numbers, one per model input."
            )
        for position, number in enumerate(sample):
            data = number.data if number.__class__ is Value else number
            if not is_real(data):
                raise TypeError(
                    f"fit: inputs[{index}][{position}] must be a real number, not "
                    f"{type(number).__name__} ({number!r:.40})."
                )
            if not math.isfinite(data):
                raise ValueError(
                    f"fit: inputs[{index}][{position}] is {data!r}; every input must be a "
                    "finite number (replace or drop samples holding nan or inf)."
                )


_PLAIN = frozenset({float, int})


def _plain_numbers(sample: object, nin: int | None) -> bool:
    """Whether ``sample`` is a list or tuple of ``nin`` finite floats and ints."""
    if sample.__class__ is not list and sample.__class__ is not tuple:
        return False
    if (nin is not None and len(sample) != nin) or not _PLAIN.issuperset(map(type, sample)):
        return False
    try:
        return math.isfinite(math.fsum(sample))
    except OverflowError:  # an int too large for a float
        return False
