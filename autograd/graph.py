"""Walking a computation graph: the topological order, found without recursion.

>>> from autograd import Value
>>> a = Value(1.0, label="a")
>>> b = a * 2
>>> [v.label or v.op for v in topological_order(b + a)]
['a', '', 'mul', 'add']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["topological_order"]


def topological_order(root: Value) -> list[Value]:
    """Every value ``root`` depends on, each once, parents before children, ``root`` last.

    Iterative depth-first search, so a graph as deep as memory allows is fine (no recursion
    limit). Parents are visited in argument order, so the order is deterministic.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> [v.label or v.op for v in topological_order(x * x)]
    ['x', 'mul']
    """
    order: list[Value] = []
    emit = order.append
    visited: set[Value] = set()
    add = visited.add
    # The stack holds only nodes. A node is expanded the first time it is popped: it goes back
    # on the stack under a None marker, with its unvisited parents above in reverse argument
    # order, so they are expanded first-to-last; reaching the marker means they are all in the
    # order, so the node goes in next. No tuple or iterator is made per node, so a deep graph
    # gives the cyclic garbage collector nothing to scan. Parents are read from the slots
    # (see Value.__slots__) because this loop is hot.
    stack: list[Value | None] = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        if node is None:
            emit(pop())
            continue
        if node in visited:
            continue
        add(node)
        a = node._a
        if a is not None:
            push(node)
            push(None)
            b = node._b
            if b is not None and b not in visited:
                push(b)
            if a not in visited:
                push(a)
        elif node._many is not None:
            push(node)
            push(None)
            for parent in reversed(node._many):
                if parent not in visited:
                    push(parent)
        else:
            emit(node)  # a leaf
    return order


def display_names(order: list[Value]) -> dict[Value, str]:
    """A short, unique-enough name for every value in ``order``, for drawings and explanations.

    A value's own ``label`` wins; an unlabelled leaf is named by its number; an unlabelled
    result by its op and a running count (``mul₁``, ``mul₂`` ...), in the order given.

    >>> from autograd import Value
    >>> a = Value(2.0, label="a")
    >>> names = display_names(topological_order((a * 3) * a))
    >>> sorted(names.values())
    ['3', 'a', 'mul₁', 'mul₂']
    """
    from autograd.ops import subscript

    counts: dict[str, int] = {}
    names: dict[Value, str] = {}
    for node in order:
        if node.label:
            names[node] = node.label
        elif not node.op:
            data = node.data
            names[node] = str(int(data)) if data == int(data) else f"{data:.4g}"
        else:
            counts[node.op] = counts.get(node.op, 0) + 1
            names[node] = node.op + subscript(counts[node.op])
    return names
