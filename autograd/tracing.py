"""Tracing: run a function on Values once and keep the graph it built, with the comparisons
it made on the way (the guards a compiled version must check).

>>> from autograd import Value
>>> x = Value(2.0, label="x")
>>> t = trace(lambda: (x * x if x > 0 else -x), [x])
>>> [node.op or node.label for node in t.order], t.guards
(['x', 'mul'], [Guard(left=Value(data=2.0, grad=0.0, label='x'), right=0, symbol='>', holds=True)])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from autograd.modes import THREAD
from autograd.value import Value, topological_order

__all__ = ["MAX_NODES", "Guard", "Trace", "TraceError", "differing_constants", "trace"]

#: The most values a traced graph may hold. Writing and compiling the code takes a few seconds
#: per 100,000 lines (one per value and one per chain-rule step), so a bigger graph, which
#: would take a minute or more, is refused.
MAX_NODES = 300_000


class TraceError(ValueError):
    """A function could not be traced: it raised, returned something other than a Value, or
    built too big a graph."""


class Guard(NamedTuple):
    """A comparison made while tracing: ``left symbol right`` came out ``holds``."""

    left: Value
    right: Value | float
    symbol: str
    holds: bool


@dataclass
class Trace:
    """What one run of a function built.

    ``inputs`` are the leaves it was given, ``outputs`` the Values it returned (the first is
    the one differentiated), ``guards`` the comparisons it made, and ``order`` every value
    needed for the outputs and the guards, parents before children (guard operands first).
    """

    inputs: list[Value]
    outputs: list[Value]
    guards: list[Guard]
    order: list[Value]


def trace(build: Callable[[], Any], inputs: Sequence[Value]) -> Trace:
    """Run ``build()`` once, recording the comparisons of Values it makes; ``inputs`` are the
    leaves that a compiled version will take as arguments.

    ``build`` returns a Value or a list or tuple of Values. Raises :class:`TraceError` if it
    returns anything else or builds more than :data:`MAX_NODES` values; an exception
    ``build`` raises is passed on unchanged (the caller words it).

    >>> from autograd import Value
    >>> w = Value(3.0, label="w")
    >>> len(trace(lambda: w * 2 + 1, [w]).order)
    5
    """
    outer = THREAD.guards
    guards: list[tuple] = []
    THREAD.guards = guards
    try:
        result = build()
    finally:
        THREAD.guards = outer
    outputs = list(result) if isinstance(result, list | tuple) else [result]
    if not outputs or any(output.__class__ is not Value for output in outputs):
        wrong = next((o for o in outputs if o.__class__ is not Value), result)
        raise TraceError(
            f"the function must return a Value, got {type(wrong).__name__} ({wrong!r:.40}); "
            "build the result from the Values it is given (use Value methods such as "
            "x.tanh(), not math.tanh, and do not call .item() or read .data)."
        )
    recorded = [Guard(*g) for g in guards]
    roots: list[Value] = []
    for guard in recorded:
        roots.append(guard.left)
        if guard.right.__class__ is Value:
            roots.append(guard.right)
    roots.extend(outputs)
    order = _combined_order(roots)
    if len(order) > MAX_NODES:
        raise TraceError(
            f"the traced graph has {len(order):,} values, more than the limit of "
            f"{MAX_NODES:,} (compiling it would take minutes); compile a smaller piece, such "
            "as one sample's loss instead of a whole batch's."
        )
    return Trace(list(inputs), outputs, recorded, order)


def _combined_order(roots: Sequence[Value]) -> list[Value]:
    """Every value the roots depend on, each once, parents before children."""
    seen: set[int] = set()
    order: list[Value] = []
    for root in roots:
        if id(root) in seen:
            continue
        for node in topological_order(root):
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
    return order


def differing_constants(first: Trace, other: Trace) -> list[int] | None:
    """Where two traces differ only in the numbers of constants: the positions in
    ``first.order`` of the constants whose numbers differ, or None if the graphs differ in
    anything else (an op, an argument, a connection, a guard).

    With those constants made inputs, one compiled program serves both traces (a loss traced
    for a label of -1 and for +1, say).

    >>> from autograd import Value
    >>> x = Value(1.0, requires_grad=False)
    >>> w = Value(2.0)
    >>> a, b = trace(lambda: w * x - 1.0, [w, x]), trace(lambda: w * x - 3.0, [w, x])
    >>> differing_constants(a, b), differing_constants(a, trace(lambda: w + x, [w, x]))
    ([3], None)
    """
    if len(first.order) != len(other.order) or len(first.guards) != len(other.guards):
        return None
    where = [{id(node): i for i, node in enumerate(t.order)} for t in (first, other)]
    inputs = [{id(leaf): i for i, leaf in enumerate(t.inputs)} for t in (first, other)]
    differ = []
    for i, (a, b) in enumerate(zip(first.order, other.order, strict=True)):
        if a.op != b.op or a.op_arg != b.op_arg or a.requires_grad != b.requires_grad:
            return None
        pa, pb = a.parents, b.parents
        if len(pa) != len(pb) or any(
            where[0][id(x)] != where[1][id(y)] for x, y in zip(pa, pb, strict=True)
        ):
            return None
        if not pa:
            ia, ib = inputs[0].get(id(a)), inputs[1].get(id(b))
            if ia != ib:
                return None
            if ia is None and a.data != b.data:
                if a.requires_grad:  # a captured Value, not a constant
                    return None
                differ.append(i)
    for g, h in zip(first.guards, other.guards, strict=True):
        same_right = (
            where[0].get(id(g.right)) == where[1].get(id(h.right))
            if g.right.__class__ is Value
            else g.right == h.right
        )
        if (g.symbol, g.holds) != (h.symbol, h.holds) or not same_right:
            return None
        if where[0][id(g.left)] != where[1][id(h.left)]:
            return None
    return differ
