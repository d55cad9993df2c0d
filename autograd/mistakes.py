"""The usual slips in one chain-rule step, as numbers a learner might give and what each means.

A step multiplies a local derivative by the upstream gradient. Learners drop the upstream
factor, flip a sign, take the derivative towards the other input, or use another op's
derivative (sigmoid's s(1 - s) for tanh). :func:`step_mistakes` lists those numbers with a
hint for each, so whoever checks an answer (``check_gradients``, a stepper's predict mode)
can say precisely what went wrong.

>>> from autograd import Value, backprop_steps
>>> z = Value(0.5, label="z")
>>> h = z.tanh()
>>> h.label = "h"
>>> step = list(backprop_steps(h * 2.0))[1]
>>> mistakes = step_mistakes(step, quantity="local")
>>> print(mistakes[0][1])
The sign is wrong: ∂h/∂z = 1 - h² = 0.7864.
>>> [hint for number, hint in mistakes if round(number, 4) == 0.2486]
["That is sigmoid's derivative h·(1 - h) instead of tanh's: ∂h/∂z = 1 - h² = 0.7864."]
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping

from autograd import operators
from autograd.derivatives import LOCAL_GRADS
from autograd.modes import no_grad
from autograd.ops import OPS, DomainError, Op
from autograd.steps import Step, _grouped, _loss, _namer
from autograd.text import number_text
from autograd.value import Value

__all__ = ["QUANTITIES", "same_number", "step_mistakes"]

QUANTITIES = ("contribution", "local")


def same_number(given: float, expected: float, rtol: float = 5e-3, atol: float = 1e-3) -> bool:
    """Whether a hand-worked number is right: ``|given - expected| <= atol + rtol·|expected|``.

    >>> same_number(0.7071, math.sqrt(0.5)), same_number(0.75, 0.7071)
    (True, False)
    """
    return abs(given - expected) <= atol + rtol * abs(expected)


def _other_rule(row: Op, a: float, out: float) -> float | None:
    """``row``'s derivative as a learner would misapply it at another op's input ``a`` and
    output ``out``: a formula written with the output (``{out}·(1 - {out})``) takes this
    op's output; one written with the input (``1/{a}``) is ``row``'s derivative at ``a``."""
    try:
        with no_grad():
            x = Value(a, requires_grad=False)
            if "{out}" in row.formula_templates()[0]:
                result = Value(out, requires_grad=False)
            else:
                result = getattr(operators, row.name)(x)
            (local,) = LOCAL_GRADS[row.name](x, result, None)
    except (DomainError, ArithmeticError, ValueError, TypeError):
        return None
    number = local.data if isinstance(local, Value) else float(local)
    return number if math.isfinite(number) else None


_CONDITIONAL = re.compile(r"\bif\b|[<>]")
_USES_INPUT = re.compile(r"\b(a|out)\b")


def _smooth_rule(row: object) -> bool:
    """Whether ``row`` is a one-input op whose derivative is one smooth formula of its input or
    output (not a constant, not piecewise, not the output itself): the rules learners mix up."""
    if not isinstance(row, Op) or row.arity != 1 or row.params:
        return False
    rule = row.derivatives[0]
    return bool(_USES_INPUT.search(rule)) and not _CONDITIONAL.search(rule) and rule != "out"


def _wrong_locals(step: Step, name: Callable[[Value], str]) -> list[tuple[float, str]]:
    """Numbers a learner might take for the local derivative, and what each one really is."""
    node, parent = step.node, step.parent
    node_name, parent_name = name(node), name(parent)
    found = []
    row = OPS[node.op]
    if isinstance(row, Op) and row.arity == 1 and row.arg_type is None:
        for other in OPS.values():
            if other is row or not _smooth_rule(other):
                continue
            number = _other_rule(other, parent.data, node.data)
            if number is not None:
                shown = other.formula_text(0, [parent_name], out=node_name)
                found.append((number, f"{other.name}'s derivative {shown} instead of {row.name}'s"))
    for j, other_parent in enumerate(node.parents):
        if j != step.index and other_parent is not parent:
            found.append(
                (
                    node.local_grads[j],
                    f"∂{node_name}/∂{name(other_parent)} (the derivative towards the other input)",
                )
            )
    found.append((node.data, f"the value of {node_name} instead of its derivative"))
    return found


def step_mistakes(
    step: Step,
    names: Mapping[Value, str] | None = None,
    quantity: str = "contribution",
) -> list[tuple[float, str]]:
    """The likely wrong numbers for one chain-rule step, each with a hint saying what it is.

    ``quantity`` is what the learner was asked for: ``"contribution"`` (local derivative ×
    upstream, what the step adds to the parent's gradient) or ``"local"`` (the local
    derivative alone). ``names`` maps values to names (default: the names drawings use).
    Numbers equal to the right answer, and repeats, are left out.

    >>> from autograd import Value, backprop_steps
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> c = a * b
    >>> c.label = "c"
    >>> step = list(backprop_steps(c * 0.5))[1]
    >>> (step.parent.label, step.contribution)
    ('a', -1.5)
    >>> for number, hint in step_mistakes(step)[:3]:
    ...     print(number, "|", hint)
    1.5 | The sign is wrong: ∂L/∂a += ∂c/∂a · ∂L/∂c = b · 0.5 = -1.5.
    -3.0 | That is the local derivative ∂c/∂a = b = -3 alone: multiply it by the upstream ...
    0.5 | That is the upstream gradient ∂L/∂c = 0.5 alone: multiply it by the local ...
    """
    if not isinstance(step, Step):
        raise TypeError(
            f"step_mistakes needs a Step (from backprop_steps), not {type(step).__name__}"
        )
    if quantity not in QUANTITIES:
        raise ValueError(
            f"quantity must be 'contribution' or 'local', not {quantity!r}: which number the "
            "learner was asked for."
        )
    name, known = _namer(names, step.root, step.node)
    node_name, parent_name = name(step.node), name(step.parent)
    formula = OPS[step.node.op].formula_text(
        step.index, [name(p) for p in step.node.parents], step.node.op_arg, out=node_name
    )
    local = f"∂{node_name}/∂{parent_name} = {formula}"
    if formula != number_text(step.local_grad):
        local += f" = {number_text(step.local_grad)}"
    wrong_locals = _wrong_locals(step, name)
    if quantity == "local":
        right = step.local_grad
        found = [(-right, f"The sign is wrong: {local}.")]
        found += [(number, f"That is {what}: {local}.") for number, what in wrong_locals]
    else:
        loss = _loss(step.root, known)
        upstream = f"∂{loss}/∂{node_name} = {number_text(step.upstream)}"
        right = step.contribution
        product = f"{_grouped(formula)} · {number_text(step.upstream)} = {number_text(right)}"
        found = [
            (
                -right,
                f"The sign is wrong: ∂{loss}/∂{parent_name} += ∂{node_name}/∂{parent_name} · "
                f"∂{loss}/∂{node_name} = {product}.",
            ),
            (
                step.local_grad,
                f"That is the local derivative {local} alone: multiply it by the upstream "
                f"gradient {upstream}.",
            ),
            (
                step.upstream,
                f"That is the upstream gradient {upstream} alone: multiply it by the local "
                f"derivative {local}.",
            ),
        ]
        found += [
            (
                number * step.upstream,
                f"That uses {what} for the local derivative: {local}, times {upstream}.",
            )
            for number, what in wrong_locals
        ]
        if step.grad_before != 0.0:
            found.append(
                (
                    step.grad_after,
                    f"That is ∂{loss}/∂{parent_name} so far, this step included; the step "
                    f"itself adds {product}.",
                )
            )
    kept: list[tuple[float, str]] = []
    for number, hint in found:
        if not math.isfinite(number) or same_number(number, right, 1e-9, 1e-12):
            continue
        if any(same_number(number, seen, 1e-9, 1e-12) for seen, _ in kept):
            continue
        kept.append((number, hint))
    return kept
