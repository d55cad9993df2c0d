"""Checking numbers given by a user: a finite real number, or a whole number, with clear errors.

Each check returns the number in its plain Python type, or raises ``TypeError`` (not a number
at all) or ``ValueError`` (a number, but not an allowed one) with a message that names
``what`` was being checked and says what to give instead.

>>> real_number(0.5, "lr (the learning rate)")
0.5
>>> whole_number(3, "epochs", minimum=1)
3
>>> whole_number(0, "epochs", minimum=1)
Traceback (most recent call last):
...
ValueError: epochs must be at least 1, got 0.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["is_real", "real_number", "whole_number"]


def is_real(value: object, *, allow_bool: bool = False) -> bool:
    """Whether ``value`` is a real number (int, float, or a NumPy scalar and the like).

    ``True`` and ``False`` count only with ``allow_bool=True``; strings never do.

    >>> is_real(2), is_real(2.5), is_real(True), is_real("2"), is_real(1j)
    (True, True, False, False, False)
    """
    if value.__class__ is float or value.__class__ is int:
        return True
    if isinstance(value, bool):
        return allow_bool
    return isinstance(value, numbers.Real)


def real_number(value: object, what: str, *, allow_bool: bool = False) -> float:
    """``value`` as a float, if it is a finite real number; else a clear error naming ``what``.

    Ints, floats and NumPy scalars are accepted; ``True``/``False`` only with
    ``allow_bool=True``. ``nan`` and ``inf`` raise ``ValueError``, anything else that is
    not a real number ``TypeError``.

    >>> real_number(3, "alpha")
    3.0
    >>> real_number("3", "alpha")
    Traceback (most recent call last):
    ...
    TypeError: alpha must be a number, not str ('3'); give a finite int or float.
    >>> real_number(float("nan"), "alpha")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be a finite number, got nan; nan and inf cannot be used.
    """
    if value.__class__ is float and value - value == 0.0:
        return value  # the common case first: the engine checks numbers on hot paths
    if not is_real(value, allow_bool=allow_bool):
        hint = (
            " (if it holds one number, .item() gives it)"
            if hasattr(value, "item") and not isinstance(value, str | bytes)
            else ""
        )
        raise TypeError(
            f"{what} must be a number, not {type(value).__name__} ({value!r:.40}); "
            f"give a finite int or float{hint}."
        )
    try:
        number = float(value)
    except OverflowError:  # an int too large for a float
        raise ValueError(
            f"{what} is too large for a float ({value!r:.40}); scale it down."
        ) from None
    if not math.isfinite(number):
        raise ValueError(
            f"{what} must be a finite number, got {value!r:.40}; nan and inf cannot be used."
        )
    return number


def whole_number(value: object, what: str, *, minimum: int | None = None) -> int:
    """``value`` as an int, if it is a whole number (at least ``minimum``); else a clear error.

    Ints and NumPy integers are accepted; ``True``/``False``, floats (even ``2.0``) and
    strings are not.

    >>> whole_number(5, "batch_size", minimum=1)
    5
    >>> whole_number(2.0, "batch_size")
    Traceback (most recent call last):
    ...
    TypeError: batch_size must be an int, not float (2.0); give a whole number such as 2.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        example = int(value) if isinstance(value, float) and value.is_integer() else 2
        raise TypeError(
            f"{what} must be an int, not {type(value).__name__} ({value!r:.40}); "
            f"give a whole number such as {example}."
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{what} must be at least {minimum}, got {number}.")
    return number
