"""Shared benchmark plumbing: interleaved timing rounds, collector modes, optional imports, data."""

from __future__ import annotations

import gc
import importlib
import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import ModuleType

__all__ = [
    "GC_MODES",
    "collector",
    "interleaved",
    "moons",
    "optional",
    "ratio",
    "sig",
]

# "on" is what users get by default; "off" disables the cyclic collector around the timed code.
GC_MODES = ("on", "off")

INSTALL_HINTS = {
    "micrograd": "pip install micrograd==0.1.0",
    "torch": 'pip install "chainrule[torch]"  (CPU build: torch>=2.13)',
}


def optional(name: str, notes: list[str]) -> ModuleType | None:
    """Import ``name`` if it is installed; otherwise add a note saying how to install it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        hint = INSTALL_HINTS.get(name, f"pip install {name}")
        notes.append(f"{name} is not installed, so its columns are skipped: {hint}")
        print(f"note: {name} is not installed; skipping its columns. Install it with: {hint}")
        return None


@contextmanager
def collector(mode: str) -> Iterator[None]:
    """Run the block with the cyclic garbage collector as ``mode`` says, restoring it after."""
    if mode not in GC_MODES:
        raise ValueError(f"collector mode must be one of {GC_MODES}, got {mode!r}")
    was_enabled = gc.isenabled()
    if mode == "off":
        gc.disable()
    else:
        gc.enable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def interleaved(cases: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Call every case once per round, round-robin, rotating the order each round.

    Each case returns the seconds it measured itself (so it can leave set-up and clean-up out
    of the timed region). Machine noise therefore falls on every case alike; report medians.
    """
    names = list(cases)
    samples: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        shift = r % len(names) if names else 0
        for name in names[shift:] + names[:shift]:
            gc.collect()
            samples[name].append(cases[name]())
    gc.collect()
    return samples


def median(samples: list[float]) -> float:
    """The median of ``samples`` (nan when there are none)."""
    return statistics.median(samples) if samples else math.nan


def ratio(slow: float | None, fast: float | None) -> float | None:
    """How many times faster ``fast`` is than ``slow`` (None when either is missing)."""
    if slow is None or fast is None or fast == 0 or math.isnan(slow) or math.isnan(fast):
        return None
    return slow / fast


def sig(x: float | None, digits: int = 4) -> str:
    """``x`` to ``digits`` significant digits with an ASCII minus; '-' when missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return f"{x:.{digits}g}"


def moons(
    n: int = 100, noise: float = 0.1, seed: int = 1337
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles, labels -1/+1, like the data of micrograd's demo."""
    rng = random.Random(seed)
    n_outer = n // 2
    n_inner = n - n_outer
    points: list[list[float]] = []
    labels: list[int] = []
    for i in range(n_outer):
        t = math.pi * i / max(n_outer - 1, 1)
        points.append([math.cos(t), math.sin(t)])
        labels.append(-1)
    for i in range(n_inner):
        t = math.pi * i / max(n_inner - 1, 1)
        points.append([1.0 - math.cos(t), 0.5 - math.sin(t)])
        labels.append(1)
    for point in points:
        point[0] += rng.gauss(0.0, noise)
        point[1] += rng.gauss(0.0, noise)
    return points, labels


def clock() -> float:
    """The timer every benchmark uses."""
    return time.perf_counter()
