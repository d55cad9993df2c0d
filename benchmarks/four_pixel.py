"""Scenario 5: the four-pixel camera demo end to end, as ``chainrule demo`` runs it."""

from __future__ import annotations

import contextlib
import io
import tempfile
from typing import Any

from benchmarks.common import clock, median

__all__ = ["run"]


def run(run_demo: Any, *, rounds: int) -> dict[str, Any]:
    """Seconds for ``run_demo(out_dir, seed, progress=False)`` (median of ``rounds``)."""
    samples = []
    summary: Any = None
    for r in range(rounds):
        # The demo prints its report; keep the benchmark's own output readable.
        with tempfile.TemporaryDirectory() as out_dir, contextlib.redirect_stdout(io.StringIO()):
            start = clock()
            summary = run_demo(out_dir, seed=r, progress=False)
            samples.append(clock() - start)
    keys = sorted(summary) if isinstance(summary, dict) else []
    return {"rounds": rounds, "seconds": median(samples), "samples": samples, "summary_keys": keys}
