"""Runs the PyTorch demo step in its own process, so torch's objects stay out of the others' heap.

Protocol on stdin/stdout, one line each: it first prints ``ready <first loss>``; then for each
line ``<steps> <on|off>`` it runs that many steps with the collector in that mode and prints
the seconds per step; ``quit`` ends it. Arguments: ``<points> <seed>``.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import torch

# Run as a script, the repository root must be importable for the benchmarks package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import clock, collector, moons
from benchmarks.demo_step import TorchStep

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """Serve timing requests for the torch step until ``quit`` or end of input."""
    points, seed = int(argv[0]), int(argv[1])
    torch.set_num_threads(1)
    xs, ys = moons(points)
    step = TorchStep(torch, xs, ys, seed)
    print(f"ready {step()!r}", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        steps, mode = int(words[0]), words[1]
        gc.collect()
        with collector(mode):
            start = clock()
            for _ in range(steps):
                step()
            elapsed = clock() - start
        print(repr(elapsed / steps), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
