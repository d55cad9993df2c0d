"""The expressions :func:`autograd.compare_engine` runs, and running one on any engine.

An expression is a small program of op-table ops over named inputs. The same program runs on
chainrule and on a learner's micrograd-style class: each op is applied the way Python code
writes it (``a * b``, ``2 * a``, ``a.tanh()``), found from the op row's ``methods``, and every
result is recorded, so the two graphs match node for node. A learner's code runs under a time
limit: a trace function stops it once the limit has passed, so a loop that never ends cannot
hang the check.

>>> from autograd import Value
>>> case = next(c for c in BANK if c.text == "a · b + a")
>>> run = run_case(case, Value, time_limit=1.0)
>>> run.stage, run.grads  # mul, add, then the inputs a and b
('done', [1.0, 1.0, -2.0, 2.0])
"""

from __future__ import annotations

import math
import operator
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from autograd.ops import OPS, Op
from autograd.text import number_text
from autograd.value import Value

__all__ = ["BANK", "Case", "EngineTimeout", "Run", "TimeLimit", "apply_op", "run_case"]


class EngineTimeout(BaseException):
    """A learner's engine ran past its time limit. A BaseException, so that a learner's
    ``except Exception`` inside a loop cannot swallow it and keep looping."""


def apply_op(name: str, args: Sequence[object]) -> object:
    """Apply op-table op ``name`` to ``args`` as Python code would write it.

    A dunder method runs through its operator (``__mul__`` → ``a * b``, so a number on the
    left reaches ``__rmul__`` as it would in ``2 * a``); a named method is called on the first
    argument (``a.tanh()``, ``a.leaky_relu(0.1)``).

    >>> from autograd import Value
    >>> apply_op("mul", [2, Value(3.0)]).data, apply_op("tanh", [Value(0.0)]).data
    (6.0, 0.0)
    """
    method = OPS[name].methods[0]
    if method.startswith("__"):
        function = method.strip("_")
        if not hasattr(operator, function):
            function = function[1:]  # __rpow__: written 2 ** a, Python reflects it
        return getattr(operator, function)(*args)
    return getattr(args[0], method)(*args[1:])


@dataclass(frozen=True)
class Case:
    """One expression: how it reads, its inputs' names and numbers, and its program.

    ``program`` takes a function ``op(name, *args)`` and the inputs, and returns the output.
    With ``again``, ``backward()`` is called a second time, then ``zero_grad()`` (if the class
    has one) and ``backward()`` once more.
    """

    text: str
    names: tuple[str, ...]
    inputs: tuple[float, ...]
    program: Callable[..., Any]
    again: bool = False


@dataclass
class Run:
    """What happened when one engine ran one case: how far it got and the numbers it gave.

    ``stage`` is ``"done"``, or where it stopped: ``"constructor"``, ``"forward"``,
    ``"backward"``, ``"again"``, ``"zero_grad"``. ``ops`` are the op names recorded, ``data``
    and ``grads`` the recorded results' numbers followed by the inputs' ``grad``.
    """

    case: Case
    stage: str = "constructor"
    error: BaseException | None = None
    leaves: list[Any] = field(default_factory=list)
    nodes: list[Any] = field(default_factory=list)
    ops: list[str] = field(default_factory=list)
    data: list[float] = field(default_factory=list)
    grads: list[float] = field(default_factory=list)
    again: list[float] | None = None
    zeroed: list[float] | None = None
    after_zero: list[float] | None = None

    @property
    def root(self) -> Any:
        """The output of the expression (None if it was never computed)."""
        return self.nodes[-1] if self.nodes else None


def _number(value: object) -> float:
    """A learner's ``.data`` or ``.grad`` as a float (nan when it is not a number)."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return math.nan
    return number


def _grads(run: Run) -> list[float]:
    return [_number(getattr(v, "grad", math.nan)) for v in (*run.nodes, *run.leaves)]


def run_case(case: Case, value_class: type, *, time_limit: float = 2.0) -> Run:
    """Run ``case`` on ``value_class`` (chainrule's Value or a learner's), stopping at an error.

    Nothing raised by the class escapes: the stage reached and the error are in the
    :class:`Run`, as is a run past ``time_limit`` seconds (an :class:`EngineTimeout`).

    >>> class NoTanh:
    ...     def __init__(self, data):
    ...         self.data = data
    >>> case = next(c for c in BANK if c.text == "tanh(a)")
    >>> run = run_case(case, NoTanh)
    >>> run.stage, type(run.error).__name__
    ('forward', 'AttributeError')
    """
    run = Run(case)
    labelled = isinstance(value_class, type) and issubclass(value_class, Value)

    def op(name: str, *args: object) -> object:
        result = apply_op(name, args)
        run.nodes.append(result)
        run.ops.append(name)
        return result

    limit = TimeLimit(time_limit, f"the expression {case.text}")
    try:
        with limit:
            for name, number in zip(case.names, case.inputs, strict=True):
                leaf = value_class(number, label=name) if labelled else value_class(number)
                run.leaves.append(leaf)
            run.stage = "forward"
            root = case.program(op, *run.leaves)
            run.data = [_number(getattr(v, "data", math.nan)) for v in run.nodes]
            run.stage = "backward"
            root.backward()
            run.grads = _grads(run)
            if case.again:
                run.stage = "again"
                root.backward()
                run.again = _grads(run)
                if callable(getattr(root, "zero_grad", None)):
                    run.stage = "zero_grad"
                    root.zero_grad()
                    run.zeroed = _grads(run)
                    root.backward()
                    run.after_zero = _grads(run)
            run.stage = "done"
    except (Exception, EngineTimeout) as error:
        run.error = error
    return run


class TimeLimit:
    """A block in which Python code stops with :class:`EngineTimeout` after ``seconds``.

    A trace function checks the clock on every call and line of code started inside the
    block, so a learner's loop that never ends is stopped (a loop inside a C function is not).
    The trace function set before (a debugger's, coverage's) is put back afterwards.

    >>> def forever():
    ...     while True:
    ...         pass
    >>> try:
    ...     with TimeLimit(0.05, "forever()"):
    ...         forever()
    ... except EngineTimeout as error:
    ...     print(error)
    forever() did not finish within 0.05 s
    """

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds, self.what = seconds, what
        self._previous: Any = None

    def __enter__(self) -> None:
        deadline = time.monotonic() + self.seconds
        seconds, what = self.seconds, self.what

        def trace(frame: object, event: str, arg: object) -> Callable[..., Any]:
            if time.monotonic() > deadline:
                raise EngineTimeout(f"{what} did not finish within {seconds:g} s")
            return trace

        self._previous = sys.gettrace()
        sys.settrace(trace)

    def __exit__(self, *exc: object) -> None:
        sys.settrace(self._previous)


# ---------------------------------------------------------------------------------------------
# The bank. First every op alone (from the op table, at the row's own example inputs, with a
# number on either side for a binary op); then the shapes that catch engines out.


def _param_numbers(row: Op) -> tuple[float, ...]:
    """The row's constant arguments for its one-op case: defaults, else 3 (an exponent)."""
    return tuple(3.0 if param.default is None else param.default for param in row.params)


def _op_cases() -> list[Case]:
    cases = []
    for row in OPS.values():
        if not isinstance(row, Op) or not row.methods or not row.examples:
            continue
        example = row.examples[0]
        name = row.name
        params = _param_numbers(row)
        if row.arity == 1:
            text = row.forward_text(["a"], row.arg_type(*params) if row.arg_type else None)
            for k, inputs in enumerate(row.examples):  # both sides of a kink (relu at 0)
                shown = text if k == 0 else f"{text} at a = {number_text(inputs[0])}"
                cases.append(Case(shown, ("a",), inputs[:1], _unary(name, params)))
        elif row.methods[0].startswith("__r"):  # only a number on the left (2 ** a)
            cases.append(Case(row.forward_text(["2", "a"]), ("a",), example[1:], _left(name)))
        else:
            cases.append(Case(row.forward_text(["a", "b"]), ("a", "b"), example, _binary(name)))
            cases.append(Case(row.forward_text(["a", "2"]), ("a",), example[:1], _right(name)))
            cases.append(Case(row.forward_text(["2", "a"]), ("a",), example[1:], _left(name)))
    return cases


def _unary(name: str, params: tuple[float, ...]) -> Callable[..., Any]:
    return lambda op, a: op(name, a, *params)


def _binary(name: str) -> Callable[..., Any]:
    return lambda op, a, b: op(name, a, b)


def _right(name: str) -> Callable[..., Any]:
    return lambda op, a: op(name, a, 2)


def _left(name: str) -> Callable[..., Any]:
    return lambda op, a: op(name, 2, a)


def _lecture_neuron(op: Callable[..., Any], x1: Any, x2: Any, w1: Any, w2: Any, b: Any) -> Any:
    n = op("add", op("add", op("mul", x1, w1), op("mul", x2, w2)), b)
    return op("tanh", n)


def _reused_product(op: Callable[..., Any], a: Any, b: Any) -> Any:
    c = op("mul", a, b)
    return op("add", c, op("mul", c, 2))


BANK: tuple[Case, ...] = (
    *_op_cases(),
    Case("a · b + a", ("a", "b"), (2.0, -3.0), lambda op, a, b: op("add", op("mul", a, b), a)),
    Case("a · a", ("a",), (3.0,), lambda op, a: op("mul", a, a)),
    Case("c + c · 2 with c = a · b", ("a", "b"), (2.0, -3.0), _reused_product),
    Case(
        "(a · b + c) · (-2)",
        ("a", "b", "c"),
        (2.0, -3.0, 10.0),
        lambda op, a, b, c: op("mul", op("add", op("mul", a, b), c), -2),
        again=True,
    ),
    Case(
        "tanh(x1 · w1 + x2 · w2 + b)",
        ("x1", "x2", "w1", "w2", "b"),
        (2.0, 0.0, -3.0, 1.0, 6.881373587019543),
        _lecture_neuron,
        again=True,
    ),
)
