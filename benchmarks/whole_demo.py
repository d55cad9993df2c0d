"""Scenario 6: micrograd's whole demo, 100 training steps from fresh weights, start to finish.

Each engine's time includes everything a user waits for: for ``chainrule_compiled``, tracing
and compiling the loss function once, then 100 steps of ``value_and_grad`` and SGD; for
``nn.fit`` with each engine, one call training 100 epochs of the whole set (tracing included
for ``compiled`` and ``batched``). PyTorch runs 100 steps in its worker process. micrograd's
100 steps would take minutes, so its figure is 100 times its median step from scenario 1
(marked as such).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from benchmarks.common import clock, collector, moons
from benchmarks.demo_step import ALPHA, SIZES, CompiledStep, TorchWorker

__all__ = ["run"]


def _fit_seconds(nn: ModuleType, xs: list, labels: list, steps: int, engine: str) -> float:
    model = nn.MLP(2, SIZES, activation="relu", seed=7)
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    start = clock()
    nn.fit(
        model,
        xs,
        labels,
        loss="hinge",
        optimizer=optimizer,
        epochs=steps,
        progress=False,
        l2=ALPHA,
        engine=engine,
    )
    return clock() - start


def _compiled_seconds(autograd: ModuleType, xs: list, ys: list, steps: int) -> float:
    start = clock()
    step = CompiledStep(autograd, xs, ys, seed=7)
    for _ in range(steps):
        step()
    return clock() - start


def run(
    autograd: ModuleType,
    nn: ModuleType | None,
    torch: bool,
    micrograd_step_ms: float | None,
    *,
    points: int,
    steps: int,
) -> dict[str, Any]:
    """Seconds for the whole demo per engine (collector on), and ratios to ``nn.fit`` today."""
    xs, ys = moons(points)
    labels = [(y + 1) // 2 for y in ys]
    seconds: dict[str, float] = {}
    with collector("on"):
        seconds["chainrule_compiled"] = _compiled_seconds(autograd, xs, ys, steps)
        if nn is not None:
            for engine in ("values", "compiled", "batched"):
                seconds[f"chainrule_fit_{engine}"] = _fit_seconds(nn, xs, labels, steps, engine)
    if torch:
        worker = TorchWorker(points, 7)
        try:
            seconds["torch"] = worker.case(steps, "on")() * steps
        finally:
            worker.close()
    estimated = {}
    if micrograd_step_ms is not None:
        seconds["micrograd"] = micrograd_step_ms / 1e3 * steps
        estimated["micrograd"] = f"{steps} x its median step in scenario 1"
    base = seconds.get("chainrule_fit_values")
    rows = {
        name: {
            "seconds": value,
            "x_fit_values": None if base is None else base / value,
            "estimated": estimated.get(name, ""),
        }
        for name, value in seconds.items()
    }
    return {"points": points, "steps": steps, "engines": rows}
