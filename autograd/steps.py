"""The chain-rule loop: backward() runs it to the end, the stepper one edge at a time.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b
>>> [(s.parent.label, s.local_grad, s.contribution) for s in backprop_steps(c)]
[('a', -3.0, -3.0), ('b', 2.0, 2.0)]
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograd.graph import display_names, topological_order
from autograd.ops import DomainError

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["Step", "backprop_steps", "chain_rule"]


@dataclass(frozen=True, slots=True)
class Step:
    """One application of the chain rule along one edge, from ``node`` back to ``parent``.

    ``contribution = local_grad × upstream`` was added to ``parent.grad``, taking it from
    ``grad_before`` to ``grad_after``. ``index`` says which input of ``node`` the parent is.
    """

    node: Value
    parent: Value
    index: int
    local_grad: float
    upstream: float
    contribution: float
    grad_before: float
    grad_after: float


def chain_rule(root: Value, steps: bool = True) -> Iterator[Step]:
    """Run reverse-mode backprop from ``root``; with ``steps``, yield a Step after each edge.

    This is the only chain-rule loop: ``Value.backward()`` runs it with ``steps=False`` (no
    Step objects are made), :func:`backprop_steps` with ``steps=True``. First every interior
    gradient is reset to 0 and ``root.grad`` set to 1 (a leaf root gets 1 added, as leaves
    accumulate); then nodes are taken from ``root`` backwards, each one's gradient complete
    before it is passed on to its parents in argument order.
    """
    if not hasattr(root, "parents") or not hasattr(root, "local_grads"):
        raise TypeError(f"backprop starts from a Value, not {type(root).__name__}")
    order = topological_order(root)
    for node in order:
        if node.parents:
            node.grad = 0.0
    if root.parents:
        root.grad = 1.0
    else:
        root.grad += 1.0
    # Any inf or nan among the values or gradients turns this sum into nan: one cheap check.
    not_finite = 0.0
    for node in reversed(order):
        upstream = node.grad
        not_finite += upstream * 0.0 + node.data * 0.0
        local_grads = node.local_grads
        for index, parent in enumerate(node.parents):
            before = parent.grad
            parent.grad = before + local_grads[index] * upstream
            if steps:
                local = local_grads[index]
                yield Step(
                    node, parent, index, local, upstream, local * upstream, before, parent.grad
                )
    if not_finite != 0.0:
        raise _not_finite_error(order)


def _not_finite_error(order: list[Value]) -> DomainError:
    names = display_names(order)
    for node in order:
        if not math.isfinite(node.data):
            return DomainError(
                f"backward: the value of {names[node]!r} (op {node.op!r}) is {node.data!r}, "
                "an overflow in the forward pass. Scale the inputs or weights down."
            )
    for node in reversed(order):
        if not math.isfinite(node.grad):
            return DomainError(
                f"backward: the gradient of {names[node]!r} (op {node.op or 'leaf'!r}) is "
                f"{node.grad!r}: the chain rule overflowed. Scale the inputs or weights down."
            )
    return DomainError("backward: a value or gradient is not finite")


def backprop_steps(root: Value) -> Iterator[Step]:
    """Apply the chain rule from ``root`` one edge at a time, yielding each :class:`Step`.

    Steps come in exactly the order ``backward()`` applies them, and the graph changes as
    they are taken; exhausted, it is exactly as ``root.backward()`` would leave it.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> [(s.grad_before, s.grad_after) for s in backprop_steps(x * x)]
    [(0.0, 3.0), (3.0, 6.0)]
    """
    return chain_rule(root, steps=True)
