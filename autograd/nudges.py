"""Nudges: one op's local derivative estimated by finite differences, from the op table alone.

Nudge one input of a node by ``±h``, recompute that one op's output with its own forward rule,
and divide the change by ``2h``: the definition of a derivative, exactly where the chain rule
uses it. Nothing in the graph changes.

>>> from autograd import Value
>>> x = Value(0.5, label="x")
>>> y = x.tanh()
>>> round(nudge_estimate(y, 0), 6), round(y.local_grads[0], 6)
(0.786448, 0.786448)
>>> nudge_text(y, 0)
'nudge x by ±1e-05: Δtanh₁/Δx ≈ 0.7864'
"""

from __future__ import annotations

from collections.abc import Mapping

from autograd import operators
from autograd.modes import no_grad
from autograd.names import display_names
from autograd.ops import OPS, DomainError, VariadicOp
from autograd.text import number_text
from autograd.value import Value, topological_order

__all__ = ["NUDGE", "nudge_estimate", "nudge_text"]

NUDGE = 1e-5  # how far an input is moved, relative to its size (at least this much absolutely)


def _output(node: Value, inputs: list[float]) -> float:
    """The node's op applied to ``inputs`` by the op's own forward rule, as a plain float."""
    row = OPS[node.op]
    if isinstance(row, VariadicOp):
        return row.forward(inputs, node.op_arg)
    params = tuple(node.op_arg) if node.op_arg is not None else ()
    with no_grad():
        constants = [Value(x, requires_grad=False) for x in inputs]
        return getattr(operators, row.name)(*constants, *params).data


def nudge_estimate(node: Value, index: int, h: float = NUDGE) -> float | None:
    """(out(input + h) - out(input - h)) / 2h for input ``index`` of ``node``, the others fixed.

    ``h`` is scaled by the input's size. Near the edge of an op's domain (``sqrt`` at 0) a
    one-sided difference is used; ``None`` when the op is not defined on either side, or
    ``node`` has no such input.

    >>> from autograd import Value
    >>> a, b = Value(2.0), Value(-3.0)
    >>> round(nudge_estimate(a * b, 0), 6), round(nudge_estimate(a * b, 1), 6)
    (-3.0, 2.0)
    >>> round(nudge_estimate(Value(0.0).sqrt(), 0))  # one-sided: sqrt's slope at 0 is infinite
    316
    """
    if node.op not in OPS or not 0 <= index < len(node.parents):
        return None
    data = [p.data for p in node.parents]
    step = h * max(1.0, abs(data[index]))

    def at(shift: float) -> float | None:
        moved = list(data)
        moved[index] += shift
        try:
            return _output(node, moved)
        except (DomainError, ArithmeticError, ValueError):
            return None

    above, below = at(step), at(-step)
    if above is not None and below is not None:
        return (above - below) / (2.0 * step)
    if above is not None:
        return (above - node.data) / step
    if below is not None:
        return (node.data - below) / step
    return None


def nudge_text(
    node: Value,
    index: int,
    digits: int = 4,
    *,
    names: Mapping[Value, str] | None = None,
    h: float = NUDGE,
    short: bool = False,
) -> str:
    """The nudge as a phrase for an explanation's line, or ``short`` for a drawing's edge
    (whose label already says which derivative it is).

    ``names`` maps values to the names to show (default: :func:`autograd.display_names` of
    the node's graph).

    >>> from autograd import Value
    >>> w = Value(-3.0, label="w")
    >>> nudge_text(w * 2.0, 0), nudge_text(w * 2.0, 0, short=True)
    ('nudge w by ±3e-05: Δmul₁/Δw ≈ 2', 'nudged ±3e-05: ≈ 2')
    """
    if names is None or node not in names or any(p not in names for p in node.parents):
        names = display_names(topological_order(node))
    parent = names[node.parents[index]]
    estimate = nudge_estimate(node, index, h)
    if estimate is None:
        if short:
            return "nudged: not defined on either side"
        return f"nudge {parent}: {node.op} is not defined on either side, no estimate"
    step = number_text(h * max(1.0, abs(node.parents[index].data)), 2)
    if short:
        return f"nudged ±{step}: ≈ {number_text(estimate, digits)}"
    return f"nudge {parent} by ±{step}: Δ{names[node]}/Δ{parent} ≈ {number_text(estimate, digits)}"
