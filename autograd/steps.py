"""The chain-rule loop and its steps, each explained in words (forward steps too).

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b
>>> [(s.parent.label, s.local_grad, s.contribution) for s in backprop_steps(c)]
[('a', -3.0, -3.0), ('b', 2.0, 2.0)]
>>> print(next(backprop_steps(c)).explain())
∂L/∂a += ∂mul₁/∂a · ∂L/∂mul₁ = b · ∂L/∂mul₁ = (-3)(1) = -3
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from autograd.graph import display_names, topological_order
from autograd.ops import OPS, DomainError, subscript
from autograd.text import number_text, to_ascii

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = [
    "ForwardStep",
    "Step",
    "backprop_steps",
    "chain_rule",
    "loss_name",
    "step_names",
]


# ---------------------------------------------------------------------------------------------
# Names shown to people.


def step_names(root: Value, order: list[Value] | None = None) -> dict[Value, str]:
    """Names for the nodes in explanations: :func:`display_names`, the root included.

    The root *node* is called what drawings call it (its label, or ``tanh₁`` ...); the
    quantity being differentiated, the "L" of ``∂L/∂x``, is :func:`loss_name`. ``order`` is
    ``topological_order(root)`` if you have it already.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> sorted(step_names(x * 2 + x).values())
    ['2', 'add₁', 'mul₁', 'x']
    """
    return display_names(topological_order(root) if order is None else order)


def loss_name(root: Value, names: Mapping[Value, str] | None = None) -> str:
    """What to call the quantity being differentiated, the "L" in ``∂L/∂x``.

    A labelled root gives its label. Otherwise "L", unless another value is called "L" (a
    variable, say): then "out", "out2", "out3" ... whichever no other value is called.
    ``names`` are the names in use (default: :func:`step_names` of ``root``).

    >>> from autograd import Value
    >>> big_l, x = Value(2.0, label="L"), Value(3.0, label="x")
    >>> loss_name(x * x), loss_name(big_l * x)
    ('L', 'out')
    """
    if root.label:
        return root.label
    if names is None:
        names = step_names(root)
    taken = {name for value, name in names.items() if value is not root}
    candidates = itertools.chain(("L", "out"), (f"out{k}" for k in itertools.count(2)))
    return next(candidate for candidate in candidates if candidate not in taken)


def _namer(
    names: Mapping[Value, str] | None, root: Value | None, fallback: Value
) -> tuple[Callable[[Value], str], Mapping[Value, str]]:
    """A function giving each value its name, and the names it starts from.

    ``names`` come first (default: :func:`step_names`); a value missing from them gets its
    display name in the graph of ``root`` (or of ``fallback`` when there is no root).
    """
    start = root if root is not None else fallback
    if names is None:
        names = step_names(start)
    shown: dict[Value, str] | None = None

    def name(value: Value) -> str:
        nonlocal shown
        found = names.get(value)
        if found is None:
            if shown is None:
                shown = display_names(topological_order(start))
            found = shown.get(value)
        if found is None:
            found = value.label or value.op or number_text(value.data)
        return found

    return name, names


def _grouped(formula: str) -> str:
    """A formula, in parentheses unless it is one name or number."""
    return formula if re.fullmatch(r"-?[\w.]+", formula) else f"({formula})"


def _operand(number: float) -> str:
    """A number inside arithmetic: negative numbers go in parentheses."""
    text = number_text(number)
    return f"({text})" if text.startswith("-") else text


# ---------------------------------------------------------------------------------------------
# The chain-rule loop.


@dataclass(frozen=True, slots=True)
class Step:
    """One application of the chain rule along one edge, from ``node`` back to ``parent``.

    ``contribution = local_grad × upstream`` was added to ``parent.grad``, taking it from
    ``grad_before`` to ``grad_after``. ``index`` says which input of ``node`` the parent is;
    ``root`` is the value being differentiated (the "L" of the explanation, see
    :func:`loss_name`).
    """

    node: Value
    parent: Value
    index: int
    local_grad: float
    upstream: float
    contribution: float
    grad_before: float
    grad_after: float
    root: Value | None = None

    def explain(
        self,
        names: Mapping[Value, str] | None = None,
        ascii: bool = False,
        *,
        loss: str | None = None,
    ) -> str:
        """This step as one line of arithmetic a learner can check by hand.

        ``names`` maps values to names (default: :func:`step_names` of the root); the root
        node is named like any other (``tanh₁``, or its label). ``loss`` is what the quantity
        being differentiated is called (default: :func:`loss_name`, usually "L").
        ``ascii=True`` writes ``d`` for ``∂``, ``*`` for ``·`` and so on, with no non-ASCII
        character at all. Numbers have 4 significant digits.

        >>> from autograd import Value
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b
        >>> c.label = "c"
        >>> loss = c * 0.5
        >>> steps = list(backprop_steps(loss))
        >>> print(steps[2].explain())
        ∂L/∂a += ∂c/∂a · ∂L/∂c = b · ∂L/∂c = (-3)(0.5) = -1.5
        >>> print(steps[2].explain(ascii=True))
        dL/da += dc/da * dL/dc = b * dL/dc = (-3)(0.5) = -1.5
        >>> print(steps[0].explain())
        ∂L/∂c += ∂mul₁/∂c · ∂L/∂mul₁ = 0.5 · ∂L/∂mul₁ = (0.5)(1) = 0.5
        """
        name, known = _namer(names, self.root, self.node)
        node, parent = name(self.node), name(self.parent)
        if loss is None:
            loss = _loss(self.root, known)
        formula = _local_formula(self, name)
        upstream = f"∂{loss}/∂{node}"
        text = (
            f"∂{loss}/∂{parent} += ∂{node}/∂{parent} · {upstream} = "
            f"{_grouped(formula)} · {upstream} = "
            f"({number_text(self.local_grad)})({number_text(self.upstream)}) = "
            f"{number_text(self.contribution)}"
        )
        return to_ascii(text) if ascii else text


def _loss(root: Value | None, names: Mapping[Value, str]) -> str:
    """:func:`loss_name` for a step; with no root, "L" unless a value is called "L"."""
    if root is not None:
        return loss_name(root, names)
    return "out" if "L" in names.values() else "L"


# Outside ASCII letters, digits and subscripts, a formula's input names stand alone.
_NAME_BOUNDARY = "A-Za-z0-9_₀-₉ᵢₙ"


def _local_formula(step: Step, name: Callable[[Value], str]) -> str:
    """The op table's formula for ∂node/∂parent, with the inputs' own names put in.

    ``a``, ``b`` (or ``w₁``, ``x₁`` ... of a weighted sum) become the names of the node's
    inputs and ``out`` the node's own name, so ``b`` for ``w * x`` reads ``x``.
    """
    node = step.node
    op = OPS[node.op]
    formula = op.formula(step.index, node.op_arg)
    if node.op == "weighted_sum" and formula not in node.op_arg and formula != "1":
        # The partner of this input is a plain number, not a parent: it is the local grad.
        return number_text(step.local_grad)
    actual = {op.input_name(i, node.op_arg): name(p) for i, p in enumerate(node.parents)}
    actual["out"] = name(node)
    pattern = "|".join(re.escape(formal) for formal in sorted(actual, key=len, reverse=True))
    return re.sub(
        f"(?<![{_NAME_BOUNDARY}])(?:{pattern})(?![{_NAME_BOUNDARY}])",
        lambda match: _grouped(actual[match.group()]),
        formula,
    )


def chain_rule(root: Value, steps: bool = True) -> Iterator[Step]:
    """Run reverse-mode backprop from ``root``; with ``steps``, yield a Step after each edge.

    This is the only chain-rule loop: ``Value.backward()`` runs it with ``steps=False`` (no
    Step objects are made), :func:`backprop_steps` with ``steps=True``. First every interior
    gradient is reset to 0 and ``root.grad`` set to 1 (a leaf root gets 1 added, as leaves
    accumulate); then nodes are taken from ``root`` backwards, each one's gradient complete
    before it is passed on to its parents in argument order.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> for _ in chain_rule(x * x, steps=False):
    ...     pass
    >>> x.grad
    6.0
    """
    if not hasattr(root, "parents") or not hasattr(root, "local_grads"):
        raise TypeError(f"backprop starts from a Value, not {type(root).__name__}")
    order = topological_order(root)
    for node in order:
        if node._a is not None or node._many is not None:  # interior: has parents
            node.grad = 0.0
    if root.parents:
        root.grad = 1.0
    else:
        root.grad += 1.0
    # Any inf or nan among the values or gradients turns this sum into nan: one cheap check.
    not_finite = 0.0
    try:
        for node in reversed(order):
            upstream = node.grad
            not_finite += upstream * 0.0 + node.data * 0.0
            if not steps:
                # The same update as below, read straight from the node's slots (see
                # Value.__slots__) with no tuple or Step built: this is backward()'s hot path.
                a = node._a
                if a is not None:
                    a.grad += node._da * upstream
                    b = node._b
                    if b is not None:
                        b.grad += node._db * upstream
                elif node._many is not None:
                    for parent, local in zip(node._many, node._many_grads, strict=True):
                        parent.grad += local * upstream
                continue
            local_grads = node.local_grads
            for index, parent in enumerate(node.parents):
                before = parent.grad
                parent.grad = before + local_grads[index] * upstream
                if steps:
                    local = local_grads[index]
                    yield Step(
                        node,
                        parent,
                        index,
                        local,
                        upstream,
                        local * upstream,
                        before,
                        parent.grad,
                        root,
                    )
    except TypeError:
        # Someone set a node's data or grad to something that is not a number.
        raise _not_a_number_error(order) from None
    if not_finite != 0.0:
        raise _not_finite_error(order)


def _not_a_number_error(order: list[Value]) -> TypeError:
    names = display_names(order)
    for node in order:
        for attribute in ("data", "grad"):
            number = getattr(node, attribute)
            if not isinstance(number, int | float):
                return TypeError(
                    f"backward: the {attribute} of {names[node]!r} is {number!r:.40} "
                    f"({type(number).__name__}), not a float. Set data and grad only to "
                    "numbers, e.g. w.data -= learning_rate * w.grad."
                )
    return TypeError("backward: a value's data or grad is not a number")


def _not_finite_error(order: list[Value]) -> DomainError:
    names = display_names(order)
    for node in order:
        if not math.isfinite(node.data):
            return DomainError(
                f"backward: the value of {names[node]!r} (op {node.op!r}) is {node.data!r}, "
                "from an overflow in the forward pass (or set by hand). Scale the inputs or "
                "weights down."
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


# ---------------------------------------------------------------------------------------------
# The forward pass, one node at a time.

_INFIX = {"add": "+", "sub": "-", "mul": "·", "div": "/", "pow_value": "**"}


@dataclass(frozen=True, slots=True)
class ForwardStep:
    """One node of the forward pass: ``node`` computed from its parents (already known).

    ``root`` is the value the pass leads to: its line also says what "L" is (see
    :func:`loss_name`).
    """

    node: Value
    root: Value | None = None

    def explain(
        self,
        names: Mapping[Value, str] | None = None,
        ascii: bool = False,
        *,
        loss: str | None = None,
    ) -> str:
        """How ``node`` is computed, first in names and then in numbers, on one line.

        The root's line starts with what the differentiated quantity is called (``loss``,
        default :func:`loss_name`) when that is not the root's own name.

        >>> from autograd import Value
        >>> w, x = Value(0.5, label="w"), Value(-1.0, label="x")
        >>> y = (w * x).tanh()
        >>> print(ForwardStep(y.parents[0], y).explain())
        mul₁ = w · x = 0.5 · (-1) = -0.5
        >>> print(ForwardStep(y, y).explain(ascii=True))
        L = tanh1 = tanh(mul1) = tanh(-0.5) = -0.4621
        """
        name, known = _namer(names, self.root, self.node)
        node = self.node
        terms = _forward_terms(node, name)
        text = f"{name(node)} = {terms[0]} = {terms[1]} = {number_text(node.data)}"
        if node is self.root:
            if loss is None:
                loss = loss_name(node, known)
            if loss != name(node):
                text = f"{loss} = {text}"
        return to_ascii(text) if ascii else text


def _forward_terms(node: Value, name: Callable[[Value], str]) -> tuple[str, str]:
    """The right-hand side of ``node = ...``: in names, and with the parents' numbers."""
    op, parents = node.op, node.parents
    if op in _INFIX:
        symbol = _INFIX[op]
        a, b = parents
        return (
            f"{name(a)} {symbol} {name(b)}",
            f"{_operand(a.data)} {symbol} {_operand(b.data)}",
        )
    if op == "pow":
        exponent = _operand(node.op_arg)
        a = parents[0]
        return f"{name(a)} ** {exponent}", f"{_operand(a.data)} ** {exponent}"
    if op == "neg":
        a = parents[0]
        return f"-{name(a)}", f"-({number_text(a.data)})"
    if op == "sum":
        return (
            " + ".join(name(p) for p in parents),
            " + ".join(_operand(p.data) for p in parents),
        )
    if op == "weighted_sum":
        return _weighted_sum_terms(node, name)
    symbol = OPS[op].symbol
    a = parents[0]
    return f"{symbol}({name(a)})", f"{symbol}({number_text(a.data)})"


def _weighted_sum_terms(node: Value, name: Callable[[Value], str]) -> tuple[str, str]:
    """``w₁·x₁ + … + b`` for a weighted sum; plain-number weights or inputs come from the
    local derivatives (∂/∂wᵢ is xᵢ), and terms made only of numbers are added up as one."""
    roles = {role: i for i, role in enumerate(node.op_arg)}
    count = max(
        (int(role[1:].translate(_FROM_SUBSCRIPT)) for role in roles if role != "b"), default=0
    )
    named, numbers, known = [], [], 0.0
    for i in range(1, count + 1):
        w_role, x_role = "w" + subscript(i), "x" + subscript(i)
        if w_role not in roles and x_role not in roles:
            continue
        pair = []
        for role, partner in ((w_role, x_role), (x_role, w_role)):
            if role in roles:
                value = node.parents[roles[role]]
                pair.append((name(value), value.data))
            else:
                number = node.local_grads[roles[partner]]
                pair.append((number_text(number), number))
        named.append(f"{pair[0][0]}·{pair[1][0]}")
        numbers.append(f"({number_text(pair[0][1])})({number_text(pair[1][1])})")
        known += pair[0][1] * pair[1][1]
    if "b" in roles:
        bias = node.parents[roles["b"]]
        named.append(name(bias))
        numbers.append(_operand(bias.data))
        known += bias.data
    rest = node.data - known
    if abs(rest) > 1e-12 * max(1.0, abs(node.data)):
        named.append(number_text(rest))
        numbers.append(_operand(rest))
    return " + ".join(named), " + ".join(numbers)


_FROM_SUBSCRIPT = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
