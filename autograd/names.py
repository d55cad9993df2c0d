"""The names people see for the values of a graph, in drawings and explanations alike.

>>> from autograd import Value, topological_order
>>> a = Value(2.0, label="a")
>>> names = display_names(topological_order((a * 3) * a))
>>> sorted(names.values())
['3', 'a', 'mul₁', 'mul₂']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from autograd.ops import subscript
from autograd.text import number_text

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["display_names"]


def display_names(order: list[Value]) -> dict[Value, str]:
    """A short, unique-enough name for every value in ``order``, for drawings and explanations.

    A value's own ``label`` wins; an unlabelled leaf (a constant, say) is named by its number;
    an unlabelled result by its op and a running count (``mul₁``, ``mul₂`` ...), in the order
    given.

    >>> from autograd import Value, topological_order
    >>> x = Value(0.5, label="x")
    >>> list(display_names(topological_order(x.tanh() * x.tanh() - 1)).values())
    ['x', 'tanh₁', 'tanh₂', 'mul₁', '1', 'sub₁']
    """
    counts: dict[str, int] = {}
    names: dict[Value, str] = {}
    for node in order:
        if node.label:
            names[node] = node.label
        elif not node.op:
            names[node] = number_text(node.data)
        else:
            counts[node.op] = counts.get(node.op, 0) + 1
            names[node] = node.op + subscript(counts[node.op])
    return names
