"""Checking an op's inputs and wording its errors: the numbers a node is made from.

The generated operators and the sums call these only off their fast path, when an input's
``data`` is not a finite float (someone set it by hand) or a rule's domain check failed, so
the message can name the op, the input, its Value and what to do.

>>> from autograd import OPS, Value
>>> x = Value(1.0, label="x")
>>> x.data = "1"
>>> read_inputs(OPS["tanh"], [x])
Traceback (most recent call last):
...
TypeError: tanh: the data of input a ('1' (Value 'x')) is of type str, not float. ...
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from autograd.numbers import real_number
from autograd.ops import DomainError, Op, VariadicOp

__all__ = ["describe", "domain_error", "not_finite", "op_arg", "param", "read_inputs"]


def describe(value: object) -> str:
    """A value's number, and its label if it has one, for an error message.

    >>> from autograd import Value
    >>> describe(Value(2.0, label="w")), describe(3.0)
    ("2.0 (Value 'w')", '3.0')
    """
    label = getattr(value, "label", "")
    data = getattr(value, "data", value)
    return f"{data!r:.60} (Value {label!r})" if label else f"{data!r:.60}"


def read_inputs(
    row: Op | VariadicOp, inputs: Sequence[Any], arg: object = None
) -> tuple[float, ...]:
    """The inputs' numbers as floats; a Value whose ``data`` was set by hand to something that
    is not a finite number gets an error naming the op, the input and the Value."""
    numbers = []
    for i, value in enumerate(inputs):
        data = value.data
        if data.__class__ is not float or data - data != 0.0:
            what = f"{row.name}: the data of input {row.input_name(i, arg)} ({describe(value)})"
            if isinstance(data, int | float) and not isinstance(data, bool):
                try:
                    data = float(data)
                except OverflowError:
                    data = math.inf
                if not math.isfinite(data):
                    raise DomainError(
                        f"{what} is not finite. A Value's data must stay a finite float; "
                        "scale the inputs or the learning rate down."
                    )
            else:
                raise TypeError(
                    f"{what} is of type {type(data).__name__}, not float. A Value's data must "
                    "stay a float: set it with a number, e.g. w.data -= learning_rate * w.grad."
                )
        numbers.append(data)
    return tuple(numbers)


def param(row: Op, name: str, value: object) -> float:
    """A constant parameter of ``row`` (an exponent, a slope) as a finite float.

    >>> from autograd import OPS
    >>> param(OPS["pow"], "n", 2)
    2.0
    """
    meaning = next(p.meaning for p in row.params if p.name == name)
    return real_number(value, f"{row.name}: {meaning} {name}")


_ARGS: dict[str, dict[float, Any]] = {}


def op_arg(row: Op, value: float) -> Any:
    """The node's structured ``op_arg`` for a one-parameter row, shared between nodes.

    >>> from autograd import OPS
    >>> op_arg(OPS["pow"], 2.0)
    PowArg(n=2.0)
    """
    cache = _ARGS.setdefault(row.name, {})
    arg = cache.get(value)
    if arg is None:
        arg = row.arg_type(value)
        if len(cache) < 1024:
            cache[value] = arg
    return arg


def domain_error(
    row: Op | VariadicOp, inputs: Sequence[Any], problem: object, arg: object = None
) -> DomainError:
    """The error for an op applied outside its domain, naming the op, its inputs and a fix.

    >>> from autograd import OPS, Value
    >>> print(domain_error(OPS["log"], [Value(0.0)], "the input must be > 0"))
    log: the input must be > 0, got a = 0.0. Shift or clamp the input away from 0 ...
    """
    names = [f"{row.input_name(i, arg)} = {describe(v)}" for i, v in enumerate(inputs)]
    if isinstance(problem, OverflowError):
        problem = "the result is too large for a float (it overflows)"
    elif isinstance(problem, ZeroDivisionError):
        problem = "a division by zero in the result"
    elif isinstance(problem, ValueError):
        problem = "the result is not a real number"
    if arg is not None:
        names += [f"{key} = {value!r}" for key, value in arg._asdict().items()]
    return DomainError(f"{row.name}: {problem}, got {', '.join(names)}. {row.hint}")


def not_finite(
    row: Op | VariadicOp, inputs: Sequence[Any], out: float, arg: object = None
) -> DomainError:
    """The error for a result that overflowed to inf (or is nan).

    >>> from autograd import OPS, Value
    >>> print(not_finite(OPS["mul"], [Value(1e200), Value(1e200)], float("inf")))
    mul: the result overflows a float (inf), got a = 1e+200, b = 1e+200. Check the inputs ...
    """
    problem = "the result overflows a float" if out == out else "the result is nan"
    return domain_error(row, inputs, f"{problem} ({out!r})", arg)
