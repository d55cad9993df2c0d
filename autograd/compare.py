"""compare_engine: a learner's own micrograd-style engine, checked against chainrule.

Every expression of :data:`autograd.engine_bank.BANK` runs on both engines, node for node;
the report names the first expression, the op and the node where they disagree, draws that
graph with the node marked, and, when one of the bug museum's exhibits gives exactly the same
wrong numbers, names the classic mistake and its fix.

>>> from autograd.museum import AssignedGrad, LectureValue
>>> compare_engine(LectureValue).passed
True
>>> report = compare_engine(AssignedGrad)
>>> report.failure.case.text, report.failure.op, report.failure.diagnosis
('a · b + a', 'mul, add', '= instead of +=')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from autograd import museum
from autograd.drawing import Drawing, draw
from autograd.engine_bank import BANK, Case, EngineTimeout, Run, run_case
from autograd.names import display_names
from autograd.numbers import real_number
from autograd.ops import OPS
from autograd.text import number_text, shown_safely
from autograd.value import Value, topological_order

__all__ = ["CaseResult", "EngineReport", "compare_engine"]


@dataclass
class CaseResult:
    """One expression's outcome: ``status`` is one of ``ok``, ``failed`` (a wrong number),
    ``error`` (the engine raised or ran out of time), ``not supported`` (it lacks or refuses
    the op), ``skipped`` (it needs an op that is not supported). ``op`` is the op whose
    gradient differs, ``node`` chainrule's node where the engines first disagree (in
    ``root``'s graph), ``diagnosis`` the museum mistake that gives the same numbers."""

    case: Case
    status: str
    message: str = ""
    op: str = ""
    node: Value | None = None
    root: Value | None = None
    diagnosis: str = ""
    fix: str = ""
    stage: str = ""  # where a failure showed: forward, backward, zero_grad, after_zero


@dataclass
class EngineReport:
    """What :func:`compare_engine` found; ``str(report)`` is a readable summary."""

    class_name: str
    results: list[CaseResult]
    notes: list[str] = field(default_factory=list)

    @property
    def failure(self) -> CaseResult | None:
        """The first expression that failed or raised, if any."""
        return next((r for r in self.results if r.status in ("failed", "error")), None)

    @property
    def passed(self) -> bool:
        """True when every expression the engine supports agrees with chainrule."""
        return self.failure is None

    @property
    def unsupported(self) -> list[CaseResult]:
        """The expressions whose op the engine lacks or refuses."""
        return [r for r in self.results if r.status == "not supported"]

    def __bool__(self) -> bool:
        return self.passed

    def drawing(self, **options: object) -> Drawing | None:
        """The failing expression's graph (chainrule's numbers), the node where the engines
        first disagree in yellow; ``None`` when nothing failed. ``options`` go to ``draw``.

        >>> from autograd.museum import ChildrenInASet
        >>> picture = compare_engine(ChildrenInASet).drawing(rankdir="TB")
        >>> "rankdir=TB" in picture.source
        True
        """
        failure = self.failure
        if failure is None or failure.root is None:
            return None
        highlight = [failure.node] if failure.node is not None else []
        return draw(failure.root, highlight=highlight, **options)  # type: ignore[arg-type]

    def __str__(self) -> str:
        agree = sum(r.status == "ok" for r in self.results)
        failure = self.failure
        if failure is None:
            lines = [f"{self.class_name} passed: all {agree} expressions it supports agree."]
        else:
            where = f", op {failure.op}" if failure.op else ""
            lines = [f"{self.class_name} FAILED on {failure.case.text}{where}.", failure.message]
            if failure.diagnosis:
                lines.append(f"This is the classic mistake '{failure.diagnosis}'. {failure.fix}")
            if failure.root is not None:
                lines.append(
                    "report.drawing() shows the graph, the node where the engines first "
                    "disagree in yellow."
                )
            lines.append(f"{agree} other expressions agree.")
        if self.unsupported:
            shown = ", ".join(r.case.text for r in self.unsupported)
            lines.append(f"Not supported (skipped, not failures): {shown}.")
        lines += [f"Note: {note}" for note in self.notes]
        return "\n".join(lines)

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]


_NO_INTERIOR = (
    "your engine keeps no gradient on the values computed along the way (only on the "
    "inputs), so only the inputs' gradients were compared; where they disagree, the node "
    "where the engines first differ cannot be named."
)


def _close(mine: float, theirs: float) -> bool:
    return math.isclose(mine, theirs, rel_tol=1e-6, abs_tol=1e-9)


def _all_close(mine: list[float], theirs: list[float] | None) -> bool:
    return theirs is not None and all(_close(m, t) for m, t in zip(mine, theirs, strict=True))


def _error_text(error: BaseException) -> str:
    """The learner's error as one safe line: its type and message, control characters shown."""
    if isinstance(error, EngineTimeout):
        return str(error)
    try:
        message = str(error)
    except Exception:  # a learner's exception whose __str__ itself fails
        message = "(its message could not be read)"
    return shown_safely(f"{type(error).__name__}: {message}")


def _judge(expected: Run, run: Run, name: str) -> tuple[CaseResult, list[str]]:
    """The outcome of one case, and notes on how the engine behaves that are not failures."""
    case = expected.case
    root = expected.root
    if run.error is not None:
        text = _error_text(run.error)
        if run.stage == "constructor":
            message = f"{name}({case.inputs[0]!r}) raised {text}"
            return CaseResult(case, "error", message, root=root), []
        if run.stage == "forward" and not isinstance(run.error, EngineTimeout):
            return CaseResult(case, "not supported", f"computing {case.text} raised {text}"), []
        step = "computing it" if run.stage == "forward" else f"{run.stage}()"
        message = f"On {case.text}, {step} raised {text}"
        if isinstance(run.error, EngineTimeout):
            message = f"On {case.text}, {step} did not finish: {text}"
        return CaseResult(case, "error", message, root=root, stage=run.stage), []
    names = display_names(topological_order(root))
    nodes = [*expected.nodes, *expected.leaves]
    for i, (mine, theirs) in enumerate(zip(expected.data, run.data, strict=True)):
        if not _close(mine, theirs):
            node = expected.nodes[i]
            message = (
                f"The forward pass differs at {names[node]} = {expected.ops[i]}(...): your "
                f"engine gives {number_text(theirs)}, chainrule {number_text(mine)}."
            )
            result = CaseResult(case, "failed", message, expected.ops[i], node, root)
            result.stage = "forward"
            return result, []
    count = len(expected.nodes)
    order = [*reversed(range(count)), *range(count, len(nodes))]
    interior_kept = any(not _close(0.0, g) for g in run.grads[:count] if not math.isnan(g))
    leaves_reached = any(not _close(0.0, g) for g in run.grads[count:])
    leaves_right = _all_close(expected.grads[count:], run.grads[count:])
    notes: list[str] = []
    if not interior_kept and (leaves_reached or leaves_right):
        # Gradients on the inputs but none kept along the way (PyTorch keeps none either):
        # only the inputs can be compared.
        order = order[count:]
        notes.append(_NO_INTERIOR)
    for i in order:
        if not _close(expected.grads[i], run.grads[i]):
            return _wrong_grad(expected, run.grads[i], nodes[i], names, "backward"), []
    if run.again is not None:
        leaves_again = run.again[count:]
        fresh = _all_close(expected.grads[count:], leaves_again)
        doubled = _all_close([2 * g for g in expected.grads[count:]], leaves_again)
        if not (fresh or doubled):
            notes.append(
                "calling backward() twice on one graph gives grads that are neither the same "
                "nor twice the first (a second call passes on the first call's interior "
                "gradients again: micrograd's known behaviour, its issue #53). "
                f"{museum.DoubleCountingBackward.fix}"
            )
    if run.zeroed is not None:
        left = [nodes[i] for i in order if not _close(0.0, run.zeroed[i])]
        if left:
            shown = ", ".join(names[v] for v in left)
            message = f"After zero_grad() on {case.text}, these grads are not 0: {shown}."
            result = CaseResult(case, "failed", message, "zero_grad", left[0], root)
            result.stage = "zero_grad"
            return result, notes
        after = run.after_zero or []
        for i in order:
            if not _close(expected.grads[i], after[i]):
                return _wrong_grad(expected, after[i], nodes[i], names, "after_zero"), notes
    return CaseResult(case, "ok", root=root), notes


def _wrong_grad(
    expected: Run, theirs: float, node: Value, names: dict[Value, str], stage: str
) -> CaseResult:
    """A failure at ``node``: its grad is wrong though every node after it is right."""
    root = expected.root
    mine = node.grad
    what = "backward()" if stage == "backward" else "zero_grad() and backward()"
    head = (
        f"After {what}, ∂out/∂{names[node]} is {number_text(theirs)} in your engine and "
        f"{number_text(mine)} in chainrule."
    )
    if node is root:
        message = head + " backward() starts with the output's grad = 1."
        return CaseResult(expected.case, "failed", message, "backward", node, root, stage=stage)
    uses = [(c, i) for c in expected.nodes for i, p in enumerate(c.parents) if p is node]
    terms = " + ".join(
        f"{number_text(c.local_grads[i])} · {number_text(c.grad)} (from {names[c]})"
        for c, i in uses
    )
    ops = ", ".join(dict.fromkeys(expected.ops[expected.nodes.index(c)] for c, _ in uses))
    message = (
        f"{head} Every value after it agrees, so the mistake is in the local derivative of "
        f"the op that uses {names[node]}, or in how its contributions are added up: chainrule "
        f"adds {terms} = {number_text(mine)}."
    )
    return CaseResult(expected.case, "failed", message, ops, node, root, stage=stage)


def _stage_numbers(stage: str, run: Run) -> list[float] | None:
    """An engine's numbers at the stage where a failure showed."""
    stages = {
        "forward": run.data,
        "backward": run.grads,
        "zero_grad": run.zeroed,
        "after_zero": run.after_zero,
    }
    return stages.get(stage)


def _diagnose(
    result: CaseResult, run: Run, passed: list[tuple[Run, Case]], time_limit: float
) -> None:
    """Name the museum exhibit that gives the learner's very numbers, if one does (and agrees
    with chainrule wherever the learner's engine did)."""
    wanted = _stage_numbers(result.stage, run)
    for exhibit in museum.EXHIBITS:
        mimic = run_case(result.case, exhibit, time_limit=time_limit)
        numbers = _stage_numbers(result.stage, mimic)
        if wanted is None or numbers is None or mimic.error is not None:
            continue
        if not all(_close(a, b) for a, b in zip(wanted, numbers, strict=True)):
            continue
        earlier = all(
            _judge(expected, run_case(case, exhibit, time_limit=time_limit), "")[0].status == "ok"
            for expected, case in passed
        )
        if earlier:
            result.diagnosis, result.fix = exhibit.mistake, exhibit.fix
            return


def compare_engine(value_class: type, *, time_limit: float = 2.0) -> EngineReport:
    """Run every expression of the bank on ``value_class`` and on chainrule, and compare.

    ``value_class`` is a micrograd-style engine: ``Value(data)``, operators, methods such as
    ``.tanh()``, ``.backward()``, ``.grad`` and ``.data``. Each expression gets
    ``time_limit`` seconds; one that raises or runs past it is reported, naming the
    expression and the error. An op the class lacks or refuses is reported as not supported.
    A second ``backward()`` that double-counts is a note, not a failure.

    >>> from autograd.museum import ChildrenInASet
    >>> report = compare_engine(ChildrenInASet)
    >>> print(report.failure.case.text, "|", report.failure.diagnosis)
    a · a | children kept in a set
    >>> compare_engine("Value")
    Traceback (most recent call last):
    ...
    TypeError: compare_engine needs a class (your Value), not str ('Value').
    """
    if not isinstance(value_class, type):
        raise TypeError(
            f"compare_engine needs a class (your Value), not {type(value_class).__name__} "
            f"({value_class!r:.40})."
        )
    time_limit = real_number(time_limit, "compare_engine: time_limit")
    if time_limit <= 0:
        raise ValueError(f"compare_engine: time_limit must be > 0 seconds, got {time_limit!r}.")
    name = shown_safely(value_class.__name__, 80)
    results: list[CaseResult] = []
    notes: list[str] = []
    unsupported_ops: set[str] = set()
    passed: list[tuple[Run, Case]] = []
    failed = False
    for case in BANK:
        expected = run_case(case, Value)
        single = len(expected.ops) == 1
        if unsupported_ops & set(expected.ops):
            missing = ", ".join(sorted(unsupported_ops & set(expected.ops)))
            results.append(CaseResult(case, "skipped", f"needs {missing}, not supported"))
            continue
        run = run_case(case, value_class, time_limit=time_limit)
        result, found = _judge(expected, run, name)
        if result.status == "not supported" and single:
            if OPS[expected.ops[0]].arity == len(case.names):  # the op itself, not 2 · a
                unsupported_ops.add(expected.ops[0])
        elif result.status == "not supported":
            result.status = "error"  # its ops work alone, so this is not a missing op
            result.root = expected.root
        notes += [note for note in found if note not in notes]  # each once
        if result.status == "failed" and not failed:
            _diagnose(result, run, passed, time_limit)
        if result.status in ("failed", "error"):
            failed = True
        elif result.status == "ok":
            passed.append((expected, case))
        results.append(result)
        if result.status == "error" and run.stage == "constructor":
            break  # no expression can run if the class cannot make a value
    return EngineReport(name, results, notes)
