"""The bug museum: a small engine written the lecture's way, and copies of it with one classic
mistake each, for showing what :func:`autograd.compare_engine` says about each.

:class:`LectureValue` is correct. Each exhibit changes one short method of it and says, in
``mistake`` and ``fix``, what went wrong and how to put it right. Like a learner's first
engine, every node keeps its children and their local derivatives, and ``backward()`` walks a
topological order from the output, adding local derivative × upstream gradient into each child.

>>> x = LectureValue(3.0)
>>> y = x * x + x
>>> y.backward()
>>> x.grad
7.0
>>> x = ChildrenInASet(3.0)
>>> y = x * x + x
>>> y.backward()
>>> x.grad  # one of the two edges of x * x is lost
4.0
>>> ChildrenInASet.mistake
'children kept in a set'
"""

from __future__ import annotations

import math

__all__ = [
    "EXHIBITS",
    "AssignedGrad",
    "ChildrenInASet",
    "DoubleCountingBackward",
    "LectureValue",
    "RevisitingSort",
    "ZeroingOnlyParameters",
]


class LectureValue:
    """A correct micrograd-style engine: ``+ - * / **``, ``tanh``, ``exp``, ``log``, ``relu``,
    ``sigmoid``, ``backward()`` and ``zero_grad()``.

    >>> a, b = LectureValue(2.0), LectureValue(-0.5)
    >>> c = (a * b + a).tanh()
    >>> c.backward()
    >>> round(a.grad, 6), round(b.grad, 6)
    (0.209987, 0.839949)
    """

    mistake = ""
    fix = ""

    def __init__(
        self,
        data: float,
        _children: tuple[LectureValue, ...] = (),
        _local_grads: tuple[float, ...] = (),
        _op: str = "",
    ) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = self._keep(_children)
        self._local_grads = tuple(_local_grads)
        self._op = _op

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data}, grad={self.grad})"

    # -- the parts the exhibits change -----------------------------------------------------

    def _keep(self, children: tuple[LectureValue, ...]) -> tuple[LectureValue, ...]:
        """The children, in order, duplicates kept: x * x has x twice."""
        return tuple(children)

    def _add_grad(self, amount: float) -> None:
        """One contribution of the chain rule: gradients from every use add up."""
        self.grad += amount

    def _topological_order(self) -> list[LectureValue]:
        """Every node once, children before parents (a node reused twice is still one node)."""
        order, visited = [], set()

        def build(node):
            if node not in visited:
                visited.add(node)
                for child in node._prev:
                    build(child)
                order.append(node)

        build(self)
        return order

    def backward(self) -> None:
        """Fill in ``grad`` of every node: ∂self/∂node. Starts afresh each call.

        >>> x = LectureValue(3.0)
        >>> y = x * x
        >>> y.backward()
        >>> y.backward()
        >>> x.grad
        6.0
        """
        order = self._topological_order()
        for node in order:
            node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node._prev, node._local_grads):  # noqa: B905 (the set exhibit)
                child._add_grad(local * node.grad)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0 on every node of the graph.

        >>> x = LectureValue(3.0)
        >>> y = x * 2
        >>> y.backward()
        >>> y.zero_grad()
        >>> x.grad, y.grad
        (0.0, 0.0)
        """
        for node in self._topological_order():
            node.grad = 0.0

    # -- the operations --------------------------------------------------------------------

    def _lift(self, other: LectureValue | float) -> LectureValue:
        return other if isinstance(other, LectureValue) else type(self)(other)

    def __add__(self, other: LectureValue | float) -> LectureValue:
        other = self._lift(other)
        return type(self)(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other: LectureValue | float) -> LectureValue:
        other = self._lift(other)
        return type(self)(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, n: float) -> LectureValue:
        assert isinstance(n, int | float), "only a number exponent"
        return type(self)(self.data**n, (self,), (n * self.data ** (n - 1),), f"**{n}")

    def tanh(self) -> LectureValue:
        """tanh, with derivative 1 - t².

        >>> round(LectureValue(0.5).tanh().data, 4)
        0.4621
        """
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1.0 - t * t,), "tanh")

    def exp(self) -> LectureValue:
        """e to the power of the value; its derivative is itself.

        >>> round(LectureValue(1.0).exp().data, 4)
        2.7183
        """
        e = math.exp(self.data)
        return type(self)(e, (self,), (e,), "exp")

    def log(self) -> LectureValue:
        """The natural logarithm; derivative 1/x.

        >>> LectureValue(1.0).log().data
        0.0
        """
        return type(self)(math.log(self.data), (self,), (1.0 / self.data,), "log")

    def relu(self) -> LectureValue:
        """max(x, 0); derivative 1 for x > 0, else 0.

        >>> LectureValue(-2.0).relu().data, LectureValue(2.0).relu().data
        (0.0, 2.0)
        """
        positive = self.data > 0
        return type(self)(self.data if positive else 0.0, (self,), (float(positive),), "relu")

    def sigmoid(self) -> LectureValue:
        """The logistic sigmoid, with derivative s·(1 - s).

        >>> LectureValue(0.0).sigmoid().data
        0.5
        """
        s = 1.0 / (1.0 + math.exp(-self.data))
        return type(self)(s, (self,), (s * (1.0 - s),), "sigmoid")

    def __neg__(self) -> LectureValue:
        return self * -1

    def __sub__(self, other: LectureValue | float) -> LectureValue:
        return self + (-other)

    def __truediv__(self, other: LectureValue | float) -> LectureValue:
        return self * self._lift(other) ** -1

    def __radd__(self, other: float) -> LectureValue:
        return self + other

    def __rmul__(self, other: float) -> LectureValue:
        return self * other

    def __rsub__(self, other: float) -> LectureValue:
        return self._lift(other) - self

    def __rtruediv__(self, other: float) -> LectureValue:
        return self._lift(other) / self


class AssignedGrad(LectureValue):
    """``self.grad = ...`` instead of ``+=``: a value used twice keeps only the last use."""

    mistake = "= instead of +="
    fix = (
        "Add each contribution to the gradient (grad += local · upstream) instead of assigning "
        "it: a value used by several ops gets a contribution from each."
    )

    def _add_grad(self, amount: float) -> None:
        self.grad = amount


class RevisitingSort(LectureValue):
    """A recursive topological sort without a visited set: a reused node appears twice, and
    its backward step runs twice."""

    mistake = "a topological sort that revisits a reused node"
    fix = (
        "Keep a set of visited nodes in the topological sort, so each node is listed (and its "
        "backward step run) once, however many ops use it."
    )

    def _topological_order(self) -> list[LectureValue]:
        order: list[LectureValue] = []

        def build(node):
            for child in node._prev:
                build(child)
            order.append(node)

        build(self)
        return order


class ChildrenInASet(LectureValue):
    """Children kept in a set, as micrograd keeps ``_prev``, but walked against the list of
    local derivatives: ``x * x`` keeps x once, so one of its two edges is lost. (The set keeps
    insertion order here, so the demonstration is the same on every run.)"""

    mistake = "children kept in a set"
    fix = (
        "Keep the children in a tuple or list, duplicates included: in x * x the value x is "
        "both inputs, and each input gets its own contribution."
    )

    def _keep(self, children: tuple[LectureValue, ...]) -> tuple[LectureValue, ...]:
        return tuple(dict.fromkeys(children))


class DoubleCountingBackward(LectureValue):
    """``backward()`` without a fresh start, as in micrograd: called twice on one graph, the
    interior gradients of the first call are passed on again (micrograd's issue #53)."""

    mistake = "backward() that double-counts when called twice"
    fix = (
        "Zero the gradients between calls (root.zero_grad(), or set every node's grad to 0), "
        "or reset the interior gradients at the start of backward()."
    )

    def backward(self) -> None:
        """Backprop without a fresh start: the interior grads of an earlier call stay.

        >>> x = DoubleCountingBackward(3.0)
        >>> y = (x * x) * 1.0
        >>> y.backward()
        >>> y.backward()
        >>> x.grad  # 6 from the first call, then 12 more: not the 12 of two honest calls
        18.0
        """
        order = self._topological_order()
        self.grad = 1.0
        for node in reversed(order):
            for child, local in zip(node._prev, node._local_grads):  # noqa: B905 (the set exhibit)
                child._add_grad(local * node.grad)


class ZeroingOnlyParameters(DoubleCountingBackward):
    """``zero_grad()`` that zeroes only the leaves (the parameters): the interior gradients
    kept from the last backward are passed on again by the next one."""

    mistake = "zeroing only the parameters' grads"
    fix = (
        "zero_grad() must zero every node of the graph, the interior ones too (or build a new "
        "graph for every backward, as a training loop does)."
    )

    def zero_grad(self) -> None:
        """Zero only the leaves (the parameters), not the values computed from them.

        >>> x = ZeroingOnlyParameters(3.0)
        >>> y = (x * x) * 1.0
        >>> y.backward()
        >>> y.zero_grad()
        >>> x.grad, y._prev[0].grad  # the interior product keeps its gradient
        (0.0, 1.0)
        """
        for node in self._topological_order():
            if not node._prev:
                node.grad = 0.0


EXHIBITS: tuple[type[LectureValue], ...] = (
    AssignedGrad,
    RevisitingSort,
    ChildrenInASet,
    DoubleCountingBackward,
    ZeroingOnlyParameters,
)
