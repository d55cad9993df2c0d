"""Value: a number that remembers how it was computed, and runs the chain rule back through it.

This module owns the node: its slots, the one function that makes a node, the topological
order and the chain-rule loop. The operators themselves (``+``, ``*``, ``tanh`` …) come from
the op table, generated into :mod:`autograd.operators`; each one stores the node's local
derivatives as plain floats, so ``backward()`` only multiplies and adds.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b + 1
>>> c.backward()
>>> a.grad, b.grad
(-3.0, 2.0)
>>> c.op, [p.label for p in c.parents[0].parents]
('add', ['a', 'b'])
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter
from typing import TYPE_CHECKING

from autograd.backprop_errors import not_a_number_error, not_finite_error
from autograd.modes import ACTIVE, THREAD
from autograd.numbers import real_number
from autograd.ops import DomainError

if TYPE_CHECKING:
    pass

__all__ = ["Value", "topological_order"]

_new = object.__new__
_INT_LIMIT = 2**1000  # ints beyond this are too large for a float
_grad_of = attrgetter("grad")
_data_of = attrgetter("data")


# ---------------------------------------------------------------------------------------------
# The node.


class Value:
    """A scalar in a computation graph: its number, its gradient and how it was made.

    ``data`` is a float; ``grad`` starts at 0.0. ``op`` names the op that made the value
    (``""`` for a leaf), ``parents`` holds its inputs in argument order (``x * x`` lists ``x``
    twice) and ``local_grads`` holds ∂self/∂parents[i] as floats, fixed when the node is made.
    ``op_arg`` is an op's constant argument (``PowArg(n=2.0)`` for ``x ** 2``), else ``None``.

    ``scope`` is the tuple of :func:`autograd.scope` names the value was made inside (``()``
    outside any), for drawings that fold groups of values into one box.

    ``requires_grad`` says whether backprop reaches this value: True for a leaf you make
    (``Value(3.0)``), False for a constant (``Value(3.0, requires_grad=False)``, or a plain
    number lifted into a graph, like the 2 in ``x * 2``), and for a result, whether any of its
    inputs requires a gradient. Constants get no gradient and no chain-rule step.

    ``==`` and ``hash`` are identity, so Values work as dict keys; ``<``, ``>`` … compare
    the numbers. ``float(v)`` and ``math.tanh(v)`` would silently cut the graph, so they raise
    TypeError saying what to use: ``v.tanh()``, or ``v.item()`` for the plain number.

    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.parents == (x, x), y.local_grads
    (True, (3.0, 3.0))
    >>> y.backward()
    >>> x.grad, f"{y:.2f}", y.item()
    (6.0, '9.00', 9.0)
    """

    # For speed and memory, a node with one or two inputs keeps them in slots (_first, _second)
    # with their local derivatives (_d_first, _d_second) instead of in tuples: no container
    # object per node, so the cyclic garbage collector has fewer objects to scan while a graph
    # is built. Ops with more inputs keep tuples in _many and _many_locals. _mark is where a
    # walk of the graph notes that it has met the node (see topological_order).
    __slots__ = (
        "__weakref__",
        "_d_first",
        "_d_second",
        "_first",
        "_label",
        "_many",
        "_many_locals",
        "_mark",
        "_second",
        "data",
        "grad",
        "op",
        "op_arg",
        "requires_grad",
        "scope",
    )

    def __init__(self, data: float, label: str = "", *, requires_grad: bool = True) -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(...) needs a number, got a Value; use value.detach() to copy one "
                "without its history."
            )
        if not isinstance(requires_grad, bool):
            raise TypeError(f"requires_grad must be True or False, not {requires_grad!r:.40}")
        self.data = real_number(data, "Value data", allow_bool=True)
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.op_arg = None
        self._first = self._second = self._many = self._mark = None
        self.requires_grad = requires_grad
        self.scope = THREAD.scope if ACTIVE.scoped_threads else ()

    @property
    def label(self) -> str:
        """The name drawings and explanations use for this value ("" for none)."""
        return self._label

    @label.setter
    def label(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"label must be a str, not {type(text).__name__} ({text!r:.40})")
        self._label = text

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs this value was computed from, in argument order (duplicates kept)."""
        first = self._first
        if first is None:
            many = self._many
            return () if many is None else many
        second = self._second
        return (first,) if second is None else (first, second)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parents[i] for each parent, as floats fixed when this node was made."""
        if self._first is None:
            return () if self._many is None else self._many_locals
        return (self._d_first,) if self._second is None else (self._d_first, self._d_second)

    def __repr__(self) -> str:
        parts = [f"data={self.data!r}", f"grad={self.grad!r}"]
        if self._label:
            parts.append(f"label={self._label!r}")
        if self.op:
            parts.append(f"op={self.op!r}")
        if not self.requires_grad:
            parts.append("requires_grad=False")
        return f"Value({', '.join(parts)})"

    def __format__(self, spec: str) -> str:
        return format(self.data, spec) if spec else repr(self)

    @property
    def _prev(self) -> set[Value]:
        """micrograd's name for the parents, as a set (its ``draw_dot`` code reads it)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's name for the op that made this value ("" for a leaf)."""
        return self.op

    def __float__(self) -> float:
        # Defined only to explain: math.tanh(v) or float(v) would give a plain number and
        # silently cut the graph, so they are refused with what to use instead.
        raise TypeError(
            "a Value is not converted to a float implicitly: math.*(v) or float(v) would drop "
            "its gradient. Use the Value's own methods (v.tanh(), v.exp(), v.log() ...), or "
            "v.item() for the plain number."
        )

    def item(self) -> float:
        """The plain number, as in PyTorch: ``loss.item()``.

        >>> Value(2.5).item()
        2.5
        """
        return self.data

    # Comparisons look at the numbers; == stays identity so Values work as dict keys. While
    # autograd.compile traces a function, each comparison is also noted as a guard.
    def __lt__(self, other: Value | float) -> bool:
        result = self.data < _number_of(other, "<")
        if THREAD.guards is not None:
            THREAD.guards.append((self, other, "<", result))
        return result

    def __le__(self, other: Value | float) -> bool:
        result = self.data <= _number_of(other, "<=")
        if THREAD.guards is not None:
            THREAD.guards.append((self, other, "<=", result))
        return result

    def __gt__(self, other: Value | float) -> bool:
        result = self.data > _number_of(other, ">")
        if THREAD.guards is not None:
            THREAD.guards.append((self, other, ">", result))
        return result

    def __ge__(self, other: Value | float) -> bool:
        result = self.data >= _number_of(other, ">=")
        if THREAD.guards is not None:
            THREAD.guards.append((self, other, ">=", result))
        return result

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this value's history.

        >>> x = Value(2.0, label="x")
        >>> d = (x * 3).detach()
        >>> d.data, d.parents
        (6.0, ())
        """
        return Value(self.data, self._label)

    def backward(self, gradient: float = 1.0) -> None:
        """Fill in ``grad`` of every value this one depends on with ∂self/∂value × ``gradient``.

        Interior gradients are reset first, so calling it twice gives the same answer; leaf
        gradients accumulate across calls (as in PyTorch) until zeroed, e.g. with
        :meth:`zero_grad`. Constants get nothing. Raises :class:`DomainError` naming the node
        if a value or gradient is not finite (say an infinite derivative, as of ``sqrt`` at 0);
        then no gradient is changed.

        >>> w = Value(-1.0, label="w")
        >>> error = w ** 2
        >>> error.backward()
        >>> w.grad
        -2.0
        """
        for _ in chain_rule(self, gradient, steps=False):
            pass

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on this value and every value it depends on.

        >>> x = Value(2.0)
        >>> (x * x).backward()
        >>> x.grad
        4.0
        >>> (x * x).zero_grad()
        >>> x.grad
        0.0
        """
        for node in topological_order(self):
            node.grad = 0.0

    def walk(self) -> Iterator[Value]:
        """Every value this one depends on (itself included), parents before children.

        >>> a = Value(1.0, label="a")
        >>> [v.label or v.op for v in (a + 2).walk()]
        ['a', '', 'add']
        """
        return iter(topological_order(self))


def _number_of(other: object, symbol: str) -> float:
    if isinstance(other, Value):
        return other.data
    return real_number(other, f"the right side of {symbol!r}")


def _make(
    op: str,
    data: float,
    arg: object,
    first: Value | None,
    second: Value | None,
    d_first: float,
    d_second: float,
    many: tuple[Value, ...] | None,
    many_locals: tuple[float, ...] | None,
    requires_grad: bool,
) -> Value:
    """The one place a node is made: a leaf (``op`` ""), or an op's result with its parents."""
    node = _new(Value)
    node.data = data
    node.grad = 0.0
    node._label = ""
    node._mark = None
    node.op = op
    node.scope = THREAD.scope if ACTIVE.scoped_threads else ()
    if ACTIVE.paused_threads and THREAD.paused:  # inside no_grad(): a constant, no history
        node.op_arg = None
        node._first = node._second = node._many = None
        node.requires_grad = False
        return node
    node.op_arg = arg
    node._first = first
    node._second = second
    node._d_first = d_first
    node._d_second = d_second
    node._many = many
    node._many_locals = many_locals
    node.requires_grad = requires_grad
    return node


def _lift(value: object, what: str = "a number combined with a Value") -> Value:
    """A plain number on either side of an op (``x * 2``, ``1 - y``) as a constant Value;
    anything else is an error saying what ``what`` must be."""
    if value.__class__ is Value or isinstance(value, Value):
        return value  # type: ignore[return-value]
    if value.__class__ is float and value - value == 0.0:
        number = value
    elif value.__class__ is int and -_INT_LIMIT < value < _INT_LIMIT:
        number = float(value)
    else:
        number = real_number(value, what, allow_bool=True)
    return _make("", number, None, None, None, 0.0, 0.0, None, None, False)


# ---------------------------------------------------------------------------------------------
# The topological order and the chain-rule loop.


def topological_order(root: Value, *, grad_only: bool = False) -> list[Value]:
    """Every value ``root`` depends on, each once, parents before children, ``root`` last.

    Iterative depth-first search, so a graph as deep as memory allows is fine (no recursion
    limit). Parents are visited in argument order, so the order is deterministic. With
    ``grad_only``, only values that require a gradient (constants are left out).

    >>> x = Value(2.0, label="x")
    >>> [v.label or v.op for v in topological_order(x * x)]
    ['x', 'mul']
    >>> [v.label or v.op for v in topological_order(x * 2 + 1, grad_only=True)]
    ['x', 'mul', 'add']
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value, not {type(root).__name__}")
    order: list[Value] = []
    emit = order.append
    # Each walk marks the nodes it meets with two fresh tokens of its own (no set of visited
    # nodes to grow and hash): "opened" when a node is first popped and goes back on the stack
    # under its parents, "done" when it is popped again, its parents all in the order, and
    # goes in itself. Parents are pushed in reverse argument order, so they are opened
    # first-to-last. No tuple or iterator is made per node, so a deep graph gives the cyclic
    # garbage collector nothing to scan.
    opened, done = object(), object()
    stack: list[Value] = [root]
    push = stack.append
    pop = stack.pop
    while stack:
        node = pop()
        mark = node._mark
        if mark is done:
            continue
        if mark is opened:
            node._mark = done
            emit(node)
            continue
        first = node._first
        if first is not None:
            node._mark = opened
            push(node)
            second = node._second
            if (
                second is not None
                and second._mark is not done
                and (second.requires_grad or not grad_only)
            ):
                push(second)
            if first._mark is not done and (first.requires_grad or not grad_only):
                push(first)
        elif node._many is not None:
            node._mark = opened
            push(node)
            for parent in reversed(node._many):
                if parent._mark is not done and (parent.requires_grad or not grad_only):
                    push(parent)
        else:
            node._mark = done  # a leaf
            emit(node)
    return order


def chain_rule(root: Value, gradient: float = 1.0, steps: bool = True) -> Iterator[tuple]:
    """Run reverse-mode backprop from ``root``; with ``steps``, yield a record per edge.

    This is the only chain-rule loop: ``Value.backward()`` runs it with ``steps=False`` (no
    records are made); :func:`autograd.backprop_steps` turns its records
    ``(node, parent, index, local_grad, upstream, contribution, grad_before, grad_after)``
    into Steps. First
    every interior gradient that backprop reaches is reset to 0 and ``root.grad`` set to
    ``gradient`` (added to it for a leaf, as leaves accumulate); then nodes are taken from
    ``root`` backwards, each one's gradient complete before it is passed on to its parents in
    argument order. Constants are skipped. If a value or gradient turns out not finite, every
    gradient is put back as it was and :class:`DomainError` names the node.

    >>> x = Value(3.0, label="x")
    >>> [record[3:] for record in chain_rule(x * x)]
    [(3.0, 1.0, 3.0, 0.0, 3.0), (3.0, 1.0, 3.0, 3.0, 6.0)]
    """
    if not isinstance(root, Value):
        raise TypeError(f"backprop starts from a Value, not {type(root).__name__}")
    seed = real_number(gradient, "backward: the gradient")
    if not root.requires_grad:
        raise ValueError(
            "backward: this value is a constant (it depends on no Value that requires a "
            "gradient, or it was computed inside no_grad()), so there is nothing to "
            "differentiate. Build it from Values such as Value(2.0)."
        )
    order = topological_order(root, grad_only=True)
    saved = list(map(_grad_of, order))
    for node in order:
        if node._first is not None or node._many is not None:  # interior: has parents
            node.grad = 0.0
    if root._first is not None or root._many is not None:
        root.grad = seed
    else:
        root.grad += seed
    try:
        for node in reversed(order):
            upstream = node.grad
            if not steps:
                # The same update as below, read straight from the slots with no record
                # built: this is backward()'s hot path.
                first = node._first
                if first is not None:
                    if first.requires_grad:
                        first.grad += node._d_first * upstream
                    second = node._second
                    if second is not None and second.requires_grad:
                        second.grad += node._d_second * upstream
                elif node._many is not None:
                    for parent, local in zip(node._many, node._many_locals):  # noqa: B905
                        if parent.requires_grad:
                            parent.grad += local * upstream
                continue
            for index, (parent, local) in enumerate(
                zip(node.parents, node.local_grads, strict=True)
            ):
                if parent.requires_grad:
                    before = parent.grad
                    contribution = local * upstream
                    after = before + contribution
                    parent.grad = after
                    yield (node, parent, index, local, upstream, contribution, before, after)
        # One pass each in C: a str, complex or array among the numbers, or an inf or nan,
        # makes these sums something other than a finite float.
        total = sum(map(_grad_of, order)) + sum(map(_data_of, order)) * 0.0
        if total.__class__ is not float or total - total != 0.0:
            problem = not_finite_error(order)
            if problem is not None:
                raise problem
    except (TypeError, DomainError) as error:
        for node, grad in zip(order, saved, strict=True):
            node.grad = grad
        if isinstance(error, TypeError):
            raise not_a_number_error(order, error) from None
        raise
