"""What modules take and give: a sequence of inputs in; one Value, or a list of Values, out.

>>> from autograd import Value
>>> as_inputs([1.0, 2.0], "Layer", 2)
[1.0, 2.0]
>>> as_list(Value(3.0))
[Value(data=3.0, grad=0.0)]
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Any

from autograd import Value

__all__ = ["Outputs", "as_inputs", "as_list"]

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
