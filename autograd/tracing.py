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

from autograd.value import Value, _tracing, topological_order

__all__ = ["MAX_NODES", "Guard", "Trace", "TraceError", "trace"]

#: The most values a traced graph may hold. Python compiles one line per value and one per
#: chain-rule step, at roughly a second per 100,000 lines, so a bigger graph is refused.
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
    outer = _tracing.guards
    guards: list[tuple] = []
    _tracing.guards = guards
    try:
        result = build()
    finally:
        _tracing.guards = outer
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
