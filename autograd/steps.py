"""Backprop's steps, each explained in words (forward steps too), from the chain-rule loop.

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
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from autograd.names import display_names
from autograd.nudges import nudge_text
from autograd.ops import OPS
from autograd.text import number_text, to_ascii
from autograd.value import Value, chain_rule, topological_order

__all__ = ["ForwardStep", "Step", "backprop_steps", "loss_name", "step_names"]


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
        nudge: bool = False,
    ) -> str:
        """This step as one line of arithmetic a learner can check by hand.

        ``names`` maps values to names (default: :func:`step_names` of the root); the root
        node is named like any other (``tanh₁``, or its label). ``loss`` is what the quantity
        being differentiated is called (default: :func:`loss_name`, usually "L").
        ``ascii=True`` writes ``d`` for ``∂``, ``*`` for ``·`` and so on, with no non-ASCII
        character at all. Numbers have 4 significant digits. ``nudge=True`` adds the
        finite-difference estimate of this op's local derivative (see
        :func:`autograd.nudges.nudge_text`).

        >>> from autograd import Value
        >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
        >>> c = a * b
        >>> c.label = "c"
        >>> loss = c * 0.5
        >>> steps = list(backprop_steps(loss))
        >>> print(steps[1].explain())
        ∂L/∂a += ∂c/∂a · ∂L/∂c = b · ∂L/∂c = (-3)(0.5) = -1.5
        >>> print(steps[1].explain(ascii=True))
        dL/da += dc/da * dL/dc = b * dL/dc = (-3)(0.5) = -1.5
        >>> print(steps[0].explain())
        ∂L/∂c += ∂mul₁/∂c · ∂L/∂mul₁ = 0.5 · ∂L/∂mul₁ = (0.5)(1) = 0.5
        >>> print(steps[1].explain(nudge=True))
        ∂L/∂a += ∂c/∂a · ∂L/∂c = b · ∂L/∂c = (-3)(0.5) = -1.5   (nudge a by ±2e-05: Δc/Δa ≈ -3)
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
        if nudge:
            shown = {value: name(value) for value in (self.node, *self.node.parents)}
            text += f"   ({nudge_text(self.node, self.index, names=shown)})"
        return to_ascii(text) if ascii else text


def _loss(root: Value | None, names: Mapping[Value, str]) -> str:
    """:func:`loss_name` for a step; with no root, "L" unless a value is called "L"."""
    if root is not None:
        return loss_name(root, names)
    return "out" if "L" in names.values() else "L"


def _local_formula(step: Step, name: Callable[[Value], str]) -> str:
    """The op table's formula for ∂node/∂parent, with the inputs' own names put in, so the
    ``{b}`` of ``mul`` reads ``x`` for ``w * x``."""
    node = step.node
    names = [name(p) for p in node.parents]
    return OPS[node.op].formula_text(step.index, names, node.op_arg, out=name(node))


def backprop_steps(root: Value) -> Iterator[Step]:
    """Apply the chain rule from ``root`` one edge at a time, yielding each :class:`Step`.

    Steps come in exactly the order ``backward()`` applies them, and the graph changes as
    they are taken; exhausted, it is exactly as ``root.backward()`` would leave it.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> [(s.grad_before, s.grad_after) for s in backprop_steps(x * x)]
    [(0.0, 3.0), (3.0, 6.0)]
    """
    for record in chain_rule(root, steps=True):
        yield Step(*record, root)


# ---------------------------------------------------------------------------------------------
# The forward pass, one node at a time.


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
    row = OPS[node.op]
    parents = node.parents
    return (
        row.forward_text([name(p) for p in parents], node.op_arg),
        row.forward_text([number_text(p.data) for p in parents], node.op_arg),
    )
