"""Chain-rule lines that a zero gradient turns into no-ops, written under one ``if``.

When a ReLU's input is negative, its local derivative is 0, so the gradient of that input is
0.0 and every chain-rule step of the neuron below it adds ``local · 0.0``: nothing. The code
writer keeps those steps as they are, one line each, but puts a run of them under
``if grad_v or v - v:``, so a neuron that is off costs one test instead of a line per weight.

The test is exact: the steps skipped are those of sums and products (and negations) reached
from ``v`` through local derivatives of 1, whose local derivatives are their own inputs. Such
an input is finite whenever ``v`` is, so when ``v - v`` is 0.0 (``v`` finite) every skipped
step would have added a zero; when ``v`` is inf or nan the steps run, and the nan they make
is reported as it would be without the test. A gradient variable a skipped run would have
started is set to 0.0 in an ``else`` branch.

>>> from autograd import compile
>>> def neuron(w1, w2, b):
...     return (w1 * 2.0 + w2 * 3.0 + b).relu()
>>> print(compile(neuron, 0.5, -1.0, 0.25).source.split("# backward")[1])
: the chain rule, one line per step, from relu1 back to the inputs
    grad_relu1 = 1.0
    grad_add2 = (1.0 if add2 > 0.0 else 0.0) * grad_relu1  # ∂relu₁/∂add₂ = 1 if add₂ > 0 else 0
    if grad_add2 or add2 - add2:  # the steps below add 0 when grad_add2 is 0 (and add₂ finite)
        # ∂relu₁/∂add₁ is grad_add2 (∂add₂/∂add₁ = 1)
        # ∂relu₁/∂b is grad_add2 (∂add₂/∂b = 1)
        # ∂relu₁/∂mul₁ is grad_add2 (∂add₁/∂mul₁ = 1)
        # ∂relu₁/∂mul₂ is grad_add2 (∂add₁/∂mul₂ = 1)
        grad_w2 = 3.0 * grad_add2  # ∂mul₂/∂w2 = 3
        grad_w1 = 2.0 * grad_add2  # ∂mul₁/∂w1 = 2
    else:
        grad_w2 = grad_w1 = 0.0
    return (relu1,), (grad_w1, grad_w2, grad_add2,)
<BLANKLINE>
"""

from __future__ import annotations

from typing import Any

__all__ = ["ZeroRuns"]

_MIN_RUN = 2  # fewer lines than this are not worth the test


class ZeroRuns:
    """Holds back a run of lines that multiply one gradient that may be 0, then writes them
    under one test (see the module's docstring). ``writer`` is the code writer of
    :mod:`autograd.compiled_source`: this uses its ``emit``, ``note`` and ``pad``."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.heads: dict[str, tuple[str, str]] = {}  # gradient name -> (value name, shown)
        self.upstream: str | None = None
        self.lines: list[tuple] = []  # (line, op, value, hint), or (note,) for a comment
        self.starts: list[str] = []  # the gradient variables the run gives their first value
        self.steps = 0

    def may_vanish(self, grad_name: str, value_name: str, shown: str) -> None:
        """Note that ``grad_name``, the gradient of the value ``value_name``, may be exactly 0
        (its one step's local derivative has a branch that is 0)."""
        self.heads[grad_name] = (value_name, shown)

    def begin(self, upstream: str | None) -> bool:
        """Start (or go on with) a run of lines multiplying ``upstream``; with None, or an
        ``upstream`` that is never 0, end the open run. Returns whether a run is open."""
        if upstream != self.upstream:
            self.flush()
            if upstream in self.heads:
                self.upstream = upstream
        return self.upstream is not None

    def add(self, line: str, op: str, value: str, hint: str, start: str | None) -> None:
        """One step's line in the open run (``start``: the gradient variable it gives a first
        value, if any)."""
        self.lines.append((line, op, value, hint))
        self.steps += 1
        if start is not None:
            self.starts.append(start)

    def note(self, line: str) -> None:
        """A comment in the open run."""
        self.lines.append((line,))

    def flush(self) -> None:
        """Write the run held back (under its test if it is long enough)."""
        writer, lines, upstream = self.writer, self.lines, self.upstream
        self.lines, self.upstream, self.steps, starts, steps = [], None, 0, self.starts, self.steps
        self.starts = []
        if upstream is None:
            return
        wrap = steps >= _MIN_RUN
        if wrap:
            value, shown = self.heads[upstream]
            writer.note(
                f"if {upstream} or {value} - {value}:  # the steps below add 0 when {upstream} "
                f"is 0 (and {shown} finite)"
            )
            writer.pad += "    "
        for entry in lines:
            if len(entry) == 1:
                writer.note(entry[0])
            else:
                writer.emit(*entry)
        if wrap:
            writer.pad = writer.pad[:-4]
            if starts:
                writer.note("else:")
                writer.note(f"    {' = '.join(starts)} = 0.0")
