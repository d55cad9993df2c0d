"""Gradient checking: backward()'s gradients compared with central finite differences.

>>> from autograd import Value
>>> report = gradcheck(lambda a, b: (a * b).tanh(), Value(0.5, label="a"), 2.0)
>>> report.passed
True
>>> print(report)  # doctest: +NORMALIZE_WHITESPACE
input  analytic  numeric  abs error  ok
a      0.8399    0.8399   ...        yes
x₂     0.21      0.21     ...        yes
gradcheck passed: 2 of 2 inputs agree (rtol=1e-05, atol=1e-07)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autograd.modes import no_grad
from autograd.ops import DomainError, subscript
from autograd.text import number_text
from autograd.value import Value

__all__ = ["GradcheckResult", "InputCheck", "gradcheck", "numeric_grad"]


@dataclass(frozen=True)
class InputCheck:
    """The check of one input: its name, both derivatives, and whether they agree.

    >>> check = InputCheck("w", analytic=-2.0, numeric=-2.0000001, ok=True)
    >>> round(check.error, 7)
    1e-07
    """

    name: str
    analytic: float
    numeric: float
    ok: bool

    @property
    def verdict(self) -> str:
        """``"yes"`` when the derivatives agree, else ``"NO"``."""
        return "yes" if self.ok else "NO"

    @property
    def error(self) -> float:
        """The absolute difference between the two derivatives."""
        return abs(self.analytic - self.numeric)


@dataclass(frozen=True)
class GradcheckResult:
    """The outcome of :func:`gradcheck`: one :class:`InputCheck` per input.

    >>> from autograd import Value
    >>> result = gradcheck(lambda x: x.sigmoid(), 0.0)
    >>> result.passed, result.inputs[0].analytic
    (True, 0.25)
    """

    inputs: tuple[InputCheck, ...]
    rtol: float
    atol: float

    @property
    def passed(self) -> bool:
        """True when every input's analytic and numeric derivatives agree."""
        return all(check.ok for check in self.inputs)

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        rows = [("input", "analytic", "numeric", "abs error", "ok")]
        rows += [
            (c.name, number_text(c.analytic), number_text(c.numeric), f"{c.error:.1e}", c.verdict)
            for c in self.inputs
        ]
        widths = [max(len(row[i]) for row in rows) + 2 for i in range(4)]
        lines = [
            "".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + row[4]
            for row in rows
        ]
        agree = sum(c.ok for c in self.inputs)
        verdict = "passed" if self.passed else "FAILED"
        lines.append(
            f"gradcheck {verdict}: {agree} of {len(self.inputs)} inputs agree "
            f"(rtol={self.rtol:g}, atol={self.atol:g})"
        )
        return "\n".join(lines)

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(str(self))  # type: ignore[attr-defined]


def numeric_grad(f: Callable[..., Value], numbers: list[float], index: int, eps: float) -> float:
    """The central difference (f(x + eps) - f(x - eps)) / (2 eps) along input ``index``.

    >>> numeric_grad(lambda x: x * x, [3.0], 0, 1e-6)  # doctest: +ELLIPSIS
    6.0000...
    """

    def at(shift: float) -> float:
        args = [Value(x + (shift if i == index else 0.0)) for i, x in enumerate(numbers)]
        try:
            with no_grad():
                out = f(*args)
        except DomainError as error:
            raise DomainError(
                f"gradcheck: nudging input {index + 1} from {numbers[index]!r} by {shift:+g} "
                f"(the finite-difference step) left f's domain: {error} Pass a smaller eps, "
                "or check at a point further from the edge of the domain."
            ) from None
        return _output_data(out)

    return (at(eps) - at(-eps)) / (2.0 * eps)


def _output_data(out: object) -> float:
    if isinstance(out, Value):
        return out.data
    if isinstance(out, int | float) and not isinstance(out, bool):
        return float(out)
    raise TypeError(
        f"gradcheck needs f to return one Value, got {type(out).__name__}; "
        "reduce several outputs to one first (e.g. autograd.sum(outputs))."
    )


def gradcheck(
    f: Callable[..., Value],
    *inputs: Value | float,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> GradcheckResult:
    """Check ``f``'s gradients from ``backward()`` against central finite differences.

    ``f`` takes one Value per input and returns one Value. The inputs themselves are left
    untouched: fresh leaves with the same numbers are used. Each input passes when
    ``|analytic - numeric| <= atol + rtol * |numeric|``.

    >>> from autograd import Value
    >>> gradcheck(lambda w: w ** 2, Value(-1.0, label="w")).inputs[0].analytic
    -2.0
    """
    if not callable(f):
        raise TypeError(f"gradcheck needs a function as its first argument, not {type(f).__name__}")
    if not inputs:
        raise ValueError("gradcheck needs at least one input value after the function.")
    if eps <= 0 or rtol < 0 or atol < 0:
        raise ValueError(f"eps must be > 0 and rtol, atol >= 0; got {eps=}, {rtol=}, {atol=}")
    numbers: list[float] = []
    names: list[str] = []
    for i, item in enumerate(inputs):
        if isinstance(item, Value):
            numbers.append(item.data)
            names.append(item.label or "x" + subscript(i + 1))
        else:
            numbers.append(Value(item).data)  # validates the number
            names.append("x" + subscript(i + 1))
    leaves = [Value(x, label) for x, label in zip(numbers, names, strict=True)]
    try:
        out = f(*leaves)
    except TypeError as error:
        if "positional argument" not in str(error):
            raise
        raise TypeError(
            f"gradcheck passed {len(leaves)} input(s) to f, which does not take that many "
            f"({error}); give one input per argument of f."
        ) from None
    if not isinstance(out, Value):
        _output_data(out)  # explains lists and other non-numbers
        raise TypeError(
            f"gradcheck needs f to return one Value built from its inputs, got "
            f"{type(out).__name__}; a plain number has no graph to differentiate."
        )
    out.backward()
    checks = []
    for i, leaf in enumerate(leaves):
        numeric = numeric_grad(f, numbers, i, eps)
        ok = abs(leaf.grad - numeric) <= atol + rtol * abs(numeric)
        checks.append(InputCheck(names[i], leaf.grad, numeric, ok))
    return GradcheckResult(tuple(checks), rtol, atol)
