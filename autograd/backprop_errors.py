"""The errors of a backward pass that went wrong, each naming the node to look at.

``chain_rule`` calls these only after it has found a problem (a number that is not a float, or
an inf or nan), so the search for the culprit costs nothing on the usual path.

>>> from autograd import Value
>>> x = Value(0.0, label="x")
>>> x.sqrt().backward()
Traceback (most recent call last):
...
autograd.ops.DomainError: backward: the local derivative of 'sqrt₁' (sqrt) towards 'x' is ...
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from autograd.names import display_names
from autograd.ops import OPS, DomainError

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["not_a_number_error", "not_finite_error"]


def not_a_number_error(order: list[Value], error: TypeError) -> TypeError:
    """The error naming the first node whose ``data`` or ``grad`` is not a number."""
    names = display_names(order)
    for node in order:
        for attribute in ("data", "grad"):
            number = getattr(node, attribute)
            if number.__class__ is not float and (
                isinstance(number, bool) or not isinstance(number, int | float)
            ):
                return TypeError(
                    f"backward: the {attribute} of {names[node]!r} is {number!r:.40} "
                    f"({type(number).__name__}), not a float. Set data and grad only to "
                    "numbers, e.g. w.data -= learning_rate * w.grad."
                )
    return TypeError(f"backward: {error}")


def not_finite_error(order: list[Value]) -> DomainError | None:
    """The error naming the first node whose value, local derivative or gradient is not
    finite, or None if all are (a sum of large finite numbers can overflow on its own)."""
    names = display_names(order)
    for node in order:
        if not math.isfinite(node.data):
            return DomainError(
                f"backward: the value of {names[node]!r} (op {node.op or 'leaf'!r}) is "
                f"{node.data!r}, set by hand. Give it a finite number."
            )
    for node in reversed(order):
        for index, (parent, local) in enumerate(zip(node.parents, node.local_grads, strict=True)):
            if parent.requires_grad and not math.isfinite(local):
                row = OPS[node.op]
                text = row.formula_text(
                    index, [names[p] for p in node.parents], node.op_arg, out=names[node]
                )
                return DomainError(
                    f"backward: the local derivative of {names[node]!r} ({node.op}) towards "
                    f"{names[parent]!r} is infinite at {names[parent]} = {parent.data!r} "
                    f"(∂{names[node]}/∂{names[parent]} = {text}). {row.hint}"
                )
    for node in reversed(order):
        if not math.isfinite(node.grad):
            return DomainError(
                f"backward: the gradient of {names[node]!r} (op {node.op or 'leaf'!r}) is "
                f"{node.grad!r}: the chain rule overflowed. Scale the inputs or weights down."
            )
    return None
