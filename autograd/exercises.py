"""Check yourself: gradients worked out by hand, checked with a hint for each wrong one.

This is the exercises' front door: :func:`check_gradients` lives here, and so do (from their
own modules) :func:`step_mistakes`, the hints for one chain-rule step, :func:`compare_engine`,
which checks a learner's own engine, and :mod:`autograd.museum`, engines with one classic
mistake each.

The learner's graph and its ``.grad`` numbers are never changed: the right answers come from
:func:`autograd.grad`, and each wrong answer is compared with the numbers the usual slips
give (a path left out, the upstream factor dropped, a sign flipped, another op's derivative).

>>> from autograd import Value
>>> x, w = Value(-2.0, label="x"), Value(3.0, label="w")
>>> y = x * w + x
>>> y.label = "y"
>>> report = check_gradients(y, {w: -2.0, x: 3.0})
>>> report.passed
False
>>> print(report)
1 of 2 answers right.
  ∂y/∂w = -2: right
  ∂y/∂x = 3: wrong, expected 4
    You left out the path x → y (it contributes 1): ∂y/∂x adds up every path from x to y.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from autograd import museum
from autograd.compare import EngineReport, compare_engine
from autograd.gradients import grad
from autograd.mistakes import same_number, step_mistakes
from autograd.numbers import real_number
from autograd.steps import Step, loss_name, step_names
from autograd.text import number_text
from autograd.value import Value, topological_order

__all__ = [
    "AnswerCheck",
    "EngineReport",
    "GradientReport",
    "check_gradients",
    "compare_engine",
    "museum",
    "step_mistakes",
]

MAX_PATHS = 64  # more paths than this and single left-out paths are not looked for


@dataclass(frozen=True)
class AnswerCheck:
    """One answer: which value, its name, the number given, the right one, and a hint if wrong.

    >>> check = AnswerCheck(None, "∂L/∂x", 3.0, 4.0, False, "Add every path.")
    >>> check.line()
    '∂L/∂x = 3: wrong, expected 4'
    """

    value: Value | None
    name: str
    given: float
    expected: float
    ok: bool
    hint: str = ""

    def line(self) -> str:
        """The answer on one line: right, or wrong with the expected number."""
        head = f"{self.name} = {number_text(self.given)}"
        return (
            f"{head}: right" if self.ok else f"{head}: wrong, expected {number_text(self.expected)}"
        )


@dataclass(frozen=True)
class GradientReport:
    """What :func:`check_gradients` found: one :class:`AnswerCheck` per answer, in order given.

    ``str(report)`` is a readable summary; in a notebook the report shows itself as that.
    """

    answers: tuple[AnswerCheck, ...]

    @property
    def passed(self) -> bool:
        """True when every answer is right."""
        return all(answer.ok for answer in self.answers)

    @property
    def wrong(self) -> tuple[AnswerCheck, ...]:
        """The wrong answers."""
        return tuple(answer for answer in self.answers if not answer.ok)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        right = sum(answer.ok for answer in self.answers)
        count = len(self.answers)
        lines = [
            f"All {count} answers right."
            if right == count and count > 1
            else f"{right} of {count} answer{'s' if count > 1 else ''} right."
        ]
        for answer in self.answers:
            lines.append("  " + answer.line())
            if not answer.ok:
                lines.append("    " + answer.hint)
        return "\n".join(lines)

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]


def _checked_answers(
    root: Value, answers: object, order: list[Value], names: dict[Value, str]
) -> list[tuple[Value, float]]:
    """The answers as (value, number) pairs, or a clear error naming the first bad one."""
    if not isinstance(answers, Mapping):
        raise TypeError(
            f"check_gradients: answers must be a dict mapping Values of the graph to your "
            f"numbers (e.g. {{x: 1.5}}), not {type(answers).__name__}."
        )
    if not answers:
        raise ValueError("check_gradients: answers is empty; give at least one {value: number}.")
    members = set(order)
    checked = []
    for key, number in answers.items():
        if not isinstance(key, Value):
            raise TypeError(
                f"check_gradients: the key {key!r:.40} is a {type(key).__name__}, not a Value; "
                "use the Values themselves as keys, e.g. {x: 1.5}."
            )
        if key not in members:
            label = f" {key.label!r}" if key.label else ""
            raise ValueError(
                f"check_gradients: the Value{label} (data {number_text(key.data)}) is not in the "
                "graph of the root given, so ∂root/∂value is not asked for; use Values the root "
                "was computed from."
            )
        if not key.requires_grad:
            raise ValueError(
                f"check_gradients: {names[key]!r} is a constant (requires_grad=False): it gets "
                "no gradient; leave it out of the answers."
            )
        checked.append(
            (key, real_number(number, f"check_gradients: the answer for {names[key]!r}"))
        )
    return checked


def check_gradients(
    root: Value,
    answers: Mapping[Value, float],
    *,
    rtol: float = 5e-3,
    atol: float = 1e-3,
) -> GradientReport:
    """Check numbers worked out by hand for ∂root/∂value, with a targeted hint for each wrong one.

    ``answers`` maps Values of ``root``'s graph to the learner's numbers. An answer is right
    when ``|given - expected| <= atol + rtol·|expected|`` (hand-rounded numbers pass). A wrong
    one gets a hint recognising the usual slips: a path left out (named), the upstream factor
    missing, a wrong sign, another op's local derivative (sigmoid's for tanh), the derivative
    towards another input. Neither the graph nor any ``.grad`` is changed.

    >>> from autograd import Value
    >>> z = Value(0.5, label="z")
    >>> h = z.tanh()
    >>> h.label = "h"
    >>> print(check_gradients(h * 2.0, {z: 2 * h.data * (1 - h.data)}).answers[0].hint)
    That uses sigmoid's derivative h·(1 - h) instead of tanh's for the local derivative: ...
    >>> check_gradients(h, {"z": 1.0})
    Traceback (most recent call last):
    ...
    TypeError: check_gradients: the key 'z' is a str, not a Value; use the Values themselves ...
    """
    if not isinstance(root, Value):
        raise TypeError(f"check_gradients: root must be a Value, not {type(root).__name__}.")
    order = topological_order(root)
    names = step_names(root, order)
    checked = _checked_answers(root, answers, order, names)
    loss = loss_name(root, names)
    keys = [key for key, _ in checked]
    expected = [g.data for g in grad(root, keys)]
    graded = [v for v in order if v.requires_grad]
    upstream = {v: g.data for v, g in zip(graded, grad(root, graded), strict=True)}
    all_uses = _uses_of(order)
    results = []
    for (key, given), right in zip(checked, expected, strict=True):
        ok = same_number(given, right, rtol, atol)
        hint = (
            ""
            if ok
            else _hint(root, key, given, right, upstream, all_uses, names, loss, rtol, atol)
        )
        results.append(AnswerCheck(key, f"∂{loss}/∂{names[key]}", given, right, ok, hint))
    return GradientReport(tuple(results))


def _uses_of(order: list[Value]) -> dict[Value, list[tuple[Value, int]]]:
    """For every value, each (node, index) where it is input ``index`` of ``node``."""
    uses: dict[Value, list[tuple[Value, int]]] = {}
    for node in order:
        for index, parent in enumerate(node.parents):
            uses.setdefault(parent, []).append((node, index))
    return uses


def _paths(
    value: Value, root: Value, uses: dict[Value, list[tuple[Value, int]]]
) -> list[list[tuple[Value, int]]]:
    """Up to MAX_PATHS + 1 paths from ``value`` to ``root``, each a list of (node, index) edges.

    Every value of the graph leads to the root, so the walk stops as soon as it has found more
    paths than are looked at, however many the graph has.
    """
    found: list[list[tuple[Value, int]]] = []
    # A path is kept as a linked list (edge, rest of the path) so that extending it costs
    # nothing, however deep the graph; it is unrolled once it reaches the root.
    stack: list[tuple[Value, tuple | None]] = [(value, None)]
    while stack and len(found) <= MAX_PATHS:  # iterative: a deep graph needs no recursion
        at, linked = stack.pop()
        if at is root:
            path = []
            while linked is not None:
                edge, linked = linked
                path.append(edge)
            found.append(path[::-1])
            continue
        for edge in reversed(uses.get(at, [])):
            stack.append((edge[0], (edge, linked)))
    return found


def _hint(
    root: Value,
    value: Value,
    given: float,
    right: float,
    upstream: dict[Value, float],
    all_uses: dict[Value, list[tuple[Value, int]]],
    names: dict[Value, str],
    loss: str,
    rtol: float,
    atol: float,
) -> str:
    """The hint for a wrong answer: the first usual slip that gives the learner's number."""
    wanted = f"∂{loss}/∂{names[value]}"
    candidates: list[tuple[float, str]] = [
        (
            -right,
            f"The sign is wrong: check the signs of the local derivatives from {loss} back "
            f"to {names[value]}.",
        )
    ]
    uses = all_uses.get(value, [])
    paths = _paths(value, root, all_uses) if value is not root else []
    if 1 < len(paths) <= MAX_PATHS:
        for path in paths:
            product = 1.0
            for node, index in path:
                product *= node.local_grads[index]
            shown = " → ".join([names[value], *(names[node] for node, _ in path)])
            candidates.append(
                (
                    right - product,
                    f"You left out the path {shown} (it contributes {number_text(product)}): "
                    f"{wanted} adds up every path from {names[value]} to {loss}.",
                )
            )
    for node, index in uses:
        local = node.local_grads[index]
        contribution = local * upstream[node]
        step = Step(
            node, value, index, local, upstream[node], contribution, 0.0, contribution, root
        )
        where = f"Along the edge {names[value]} → {names[node]}: " if len(uses) > 1 else ""
        for number, hint in step_mistakes(step, names):
            candidates.append((right - contribution + number, where + hint))
    for number, hint in candidates:
        if same_number(given, number, rtol, atol) and not same_number(number, right, rtol, atol):
            return hint
    terms = " + ".join(
        f"∂{names[node]}/∂{names[value]} · ∂{loss}/∂{names[node]}" for node, _ in uses
    )
    if not terms:
        return f"{wanted} of the root itself is 1."
    return (
        f"Not one of the usual slips. Work back from {loss}: {wanted} = {terms}, each local "
        "derivative from the op's formula."
    )
