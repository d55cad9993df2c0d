"""Chain-rule lines that a zero gradient turns into no-ops, written under one ``if``.

When a ReLU's input is negative, its local derivative is 0, so the gradient of that input is
0.0 and every chain-rule step of the neuron below it adds ``local · 0.0``: nothing. The code
writer keeps those steps as they are, one line each, but puts a run of them under
``if grad_v:``, so a neuron that is off costs one test instead of a line per weight.

The test is exact: the steps skipped are those of sums and products (and negations) reached
from ``v`` through local derivatives of 1, whose local derivatives are their own inputs. Such
an input is finite whenever ``v`` is, so with ``v`` finite every skipped step would have
added a zero. A ``v`` that is inf or nan (say an overflow the ReLU hides from the output) is
reported: ``elif v - v:`` raises, and the error names the line that first made a number that
is not finite, as ``backward()`` names the op. A gradient variable a skipped run would have
started is set to 0.0 in the ``else`` branch.

>>> from autograd import compile
>>> def neuron(w1, w2, b):
...     return (w1 * 2.0 + w2 * 3.0 + b).relu()
>>> print(compile(neuron, 0.5, -1.0, 0.25).source.split("# backward")[1])
: the chain rule, one line per step, from relu1 back to the inputs
    grad_relu1 = 1.0
    grad_add2 = (1.0 if add2 > 0.0 else 0.0) * grad_relu1  # ∂relu₁/∂add₂ = 1 if add₂ > 0 else 0
    if grad_add2:  # when it is 0, every step below adds 0
        # ∂relu₁/∂add₁ is grad_add2 (∂add₂/∂add₁ = 1)
        # ∂relu₁/∂b is grad_add2 (∂add₂/∂b = 1)
        # ∂relu₁/∂mul₁ is grad_add2 (∂add₁/∂mul₁ = 1)
        # ∂relu₁/∂mul₂ is grad_add2 (∂add₁/∂mul₂ = 1)
        grad_w2 = 3.0 * grad_add2  # ∂mul₂/∂w2 = 3
        grad_w1 = 2.0 * grad_add2  # ∂mul₁/∂w1 = 2
    elif add2 - add2: raise _NotFiniteHere  # add₂ is not finite (the output may not show it)
    else: grad_w2 = grad_w1 = 0.0
    return (relu1,), (grad_w1, grad_w2, grad_add2,)
<BLANKLINE>
"""

from __future__ import annotations

from typing import Any

__all__ = ["ZeroRuns"]


class ZeroRuns:
    """Writes the test before a run of lines that multiply one gradient that may be 0, and
    the ``elif`` and ``else`` after it (see the module's docstring). ``writer`` is the code
    writer of :mod:`autograd.compiled_source`: the run's lines are written by it, under this
    test, as they come; a run with no step is taken back out of its test."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.heads: dict[str, tuple[str, str]] = {}  # gradient name -> (value name, shown)
        self.upstream: str | None = None
        self.at = 0  # where the open run's test is in the writer's lines
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
                writer = self.writer
                self.upstream, self.at = upstream, len(writer.lines)
                said = "  # when it is 0, every step below adds 0" if writer.tidy else ""
                writer.note(f"if {upstream}:{said}")
                writer.pad += "    "
        return self.upstream is not None

    def step(self, start: str | None) -> None:
        """Count a step the writer wrote in the open run (``start``: the gradient variable
        it gives a first value, if any)."""
        self.steps += 1
        if start is not None:
            self.starts.append(start)

    def flush(self) -> None:
        """Close the open run: its ``elif`` and ``else``, or, for a run with no step, no test."""
        if self.upstream is None:
            return
        writer = self.writer
        writer.pad = writer.pad[:-4]
        if not self.steps:  # only comments: take the test out; they move up one
            lines, info, at = writer.lines, writer.info, self.at
            old_end = len(lines) + 1  # the line number of the last line (after the def)
            del lines[at]
            lines[at:] = [line[4:] for line in lines[at:]]
            for number in range(at + 3, old_end + 1):
                if number in info:
                    info[number - 1] = info.pop(number)
        else:
            value, shown = self.heads[self.upstream]
            said = f"  # {shown} is not finite (the output may not show it)" if writer.tidy else ""
            writer.note(f"elif {value} - {value}: raise _NotFiniteHere{said}")
            if self.starts:
                writer.note(f"else: {' = '.join(self.starts)} = 0.0")
        self.upstream, self.steps, self.starts = None, 0, []
