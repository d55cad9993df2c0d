"""Scenario 1: one training step of micrograd's demo (MLP 2-16-16-1 ReLU on 100 moons points).

A step is micrograd's ``loss()`` (forward over all points, hinge loss, L2 with alpha 1e-4,
accuracy), ``zero_grad``, ``backward()`` and the SGD update with its decaying learning rate.
Engines:

- ``micrograd``: micrograd 0.1.0's own ``nn.MLP`` and ``Value``.
- ``chainrule_bare``: chainrule's ``Value`` driven exactly as micrograd's nn.py drives its own
  (``BareMLP`` below mirrors it: a neuron sums ``wi*xi`` starting from ``b``), one binary node
  per operation.
- ``chainrule_bare_relaxed``: the same, with each step inside ``autograd.relaxed_gc()`` (the
  scoped collector setting a user can opt into for their own loop).
- ``chainrule_nn``: ``nn.MLP(2, [16, 16, 1], activation="relu")`` (one fused weighted-sum node
  per neuron) with ``nn.losses.hinge`` and ``nn.losses.l2``, in a loop written as above.
- ``chainrule_compiled``: the ``chainrule_bare`` step written as a function of the weights
  and compiled once with ``autograd.compile``; a step is ``cf.value_and_grad(*weights)`` and
  the same SGD update on the floats. The time to trace and compile it is measured apart.
- ``chainrule_fit``: the same model trained by ``nn.fit(..., loss="hinge", l2=1e-4)`` with
  plain SGD, one epoch per step (so with fit's scoped collector setting), ``engine="values"``.
- ``chainrule_fit_compiled`` and ``chainrule_fit_batched``: the same with ``engine="compiled"``
  and ``engine="batched"`` (traced on the warm-up step; fit keeps the traces with the model).
- ``torch``: PyTorch CPU on the same step, float64, the 100 points as one batch, one thread,
  in a child process (torch's many objects would otherwise slow every other engine's
  collector), called within the same interleaved rounds.
"""

from __future__ import annotations

import gc
import math
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks.common import GC_MODES, clock, collector, interleaved, median, moons, ratio

__all__ = ["BareMLP", "run"]

ALPHA = 1e-4
MIN_SAMPLE_SECONDS = 0.025  # the least time one timed sample of an engine runs for
SIZES = [16, 16, 1]


# ---------------------------------------------------------------------------------------------
# micrograd's nn.py, written against any Value class with + * relu (chainrule's or micrograd's).


class BareNeuron:
    """A neuron as micrograd builds it: ``b + w1*x1 + w2*x2 + ...``, then ReLU unless last."""

    def __init__(self, value: type, nin: int, nonlin: bool, rng: random.Random) -> None:
        self.w = [value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = value(0.0)
        self.nonlin = nonlin

    def __call__(self, x: list[Any]) -> Any:
        act = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Any]:
        return [*self.w, self.b]


class BareLayer:
    """A list of neurons; a layer of one neuron returns that neuron's output, not a list."""

    def __init__(self, value: type, nin: int, nout: int, nonlin: bool, rng: random.Random):
        self.neurons = [BareNeuron(value, nin, nonlin, rng) for _ in range(nout)]

    def __call__(self, x: list[Any]) -> Any:
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Any]:
        return [p for n in self.neurons for p in n.parameters()]


class BareMLP:
    """micrograd's MLP structure on the Value class ``value``; ReLU on all but the last layer."""

    def __init__(self, value: type, nin: int, nouts: list[int], seed: int) -> None:
        rng = random.Random(seed)
        sizes = [nin, *nouts]
        self.layers = [
            BareLayer(value, sizes[i], sizes[i + 1], i != len(nouts) - 1, rng)
            for i in range(len(nouts))
        ]

    def __call__(self, x: list[Any]) -> Any:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Any]:
        return [p for layer in self.layers for p in layer.parameters()]


def _micrograd_loss(value: type, model: Any, xs: list[list[float]], ys: list[int]) -> tuple:
    """micrograd demo's ``loss()``: hinge + L2, written with binary ops only."""
    inputs = [list(map(value, row)) for row in xs]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(ys, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (s.data > 0) for yi, s in zip(ys, scores, strict=True)]
    return total_loss, sum(accuracy) / len(accuracy)


class BinaryOpsStep:
    """The demo step for a micrograd-style model (micrograd itself, or chainrule's bare Value)."""

    def __init__(self, value: type, model: Any, xs: list[list[float]], ys: list[int]) -> None:
        self.value, self.model, self.xs, self.ys = value, model, xs, ys
        self.params = model.parameters()
        self.zero_grad = getattr(model, "zero_grad", None)
        self.k = 0
        self.loss: Any = None

    def __call__(self) -> float:
        total_loss, _ = _micrograd_loss(self.value, self.model, self.xs, self.ys)
        if self.zero_grad is not None:
            self.zero_grad()
        else:
            for p in self.params:
                p.grad = 0.0
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * (self.k % 100) / 100
        for p in self.params:
            p.data -= learning_rate * p.grad
        self.k += 1
        self.loss = total_loss  # kept alive until the next step, as in the demo's loop
        return total_loss.data


def demo_loss_function(value_module: ModuleType, model: BareMLP, xs: list, ys: list):
    """micrograd's demo loss as a function of the weights (what ``autograd.compile`` takes).

    The function puts the Values it is given into the model's neurons and computes the
    demo's ``total_loss`` from them, with the same binary ops as :class:`BinaryOpsStep`.
    """
    neurons = [n for layer in model.layers for n in layer.neurons]
    value = value_module.Value

    def demo_loss(*weights: Any) -> Any:
        it = iter(weights)
        for neuron in neurons:
            neuron.w = [next(it) for _ in neuron.w]
            neuron.b = next(it)
        inputs = [list(map(value, row)) for row in xs]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in weights)
        return data_loss + reg_loss

    return demo_loss


class CompiledStep:
    """The bare demo step compiled: ``value_and_grad`` on the weights, then SGD on floats."""

    def __init__(self, autograd: ModuleType, xs: list[list[float]], ys: list[int], seed: int):
        model = BareMLP(autograd.Value, 2, SIZES, seed)
        self.weights = [p.data for p in model.parameters()]
        start = clock()
        self.compiled = autograd.compile(demo_loss_function(autograd, model, xs, ys), *self.weights)
        self.compile_seconds = clock() - start
        self.k = 0

    def __call__(self) -> float:
        loss, grads = self.compiled.value_and_grad(*self.weights)
        learning_rate = 1.0 - 0.9 * (self.k % 100) / 100
        self.weights = [w - learning_rate * g for w, g in zip(self.weights, grads, strict=True)]
        self.k += 1
        return loss


class RelaxedStep:
    """Another engine's step run inside ``autograd.relaxed_gc()``, as a user may opt to."""

    def __init__(self, step: Callable[[], float]) -> None:
        import autograd

        self.step, self.relaxed_gc = step, autograd.relaxed_gc

    def __call__(self) -> float:
        with self.relaxed_gc():
            return self.step()


class NnStep:
    """The demo step with chainrule's nn package: fused weighted sums and nn.losses."""

    def __init__(self, nn: ModuleType, xs: list[list[float]], ys: list[int], seed: int) -> None:
        self.model = nn.MLP(2, SIZES, activation="relu", seed=seed)
        self.hinge, self.l2 = nn.losses.hinge, nn.losses.l2
        self.xs = xs
        self.labels = [(y + 1) // 2 for y in ys]  # nn.losses.hinge takes class labels 0/1
        self.params = self.model.parameters()
        self.k = 0
        self.loss: Any = None

    def __call__(self) -> float:
        outputs = [self.model(x) for x in self.xs]
        total_loss = self.hinge(outputs, self.labels) + self.l2(self.params, ALPHA)
        for p in self.params:
            p.grad = 0.0
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * (self.k % 100) / 100
        for p in self.params:
            p.data -= learning_rate * p.grad
        self.k += 1
        self.loss = total_loss
        return total_loss.data


class FitStep:
    """The demo step as ``nn.fit`` runs it: one epoch on the whole set is one step.

    Same model, hinge loss and L2 as :class:`NnStep`, plain SGD; ``fit`` also records the
    epoch's loss and accuracy and applies its scoped collector setting while it runs.
    """

    def __init__(
        self, nn: ModuleType, xs: list, ys: list, seed: int, engine: str = "values"
    ) -> None:
        self.nn = nn
        self.engine = engine
        self.model = nn.MLP(2, SIZES, activation="relu", seed=seed)
        self.optimizer = nn.optim.SGD(self.model.parameters(), lr=0.1)
        self.xs = xs
        self.labels = [(y + 1) // 2 for y in ys]
        self.steps = 1

    def __call__(self) -> float:
        history = self.nn.fit(
            self.model,
            self.xs,
            self.labels,
            loss="hinge",
            optimizer=self.optimizer,
            epochs=self.steps,
            progress=False,
            l2=ALPHA,
            engine=self.engine,
        )
        return history.loss[0]


class TorchStep:
    """The demo step in PyTorch: float64 tensors, the whole data set as one batch."""

    def __init__(self, torch: ModuleType, xs: list[list[float]], ys: list[int], seed: int):
        torch.manual_seed(seed)
        self.torch = torch
        self.x = torch.tensor(xs, dtype=torch.float64)
        self.y = torch.tensor(ys, dtype=torch.float64)
        layers: list[Any] = []
        sizes = [2, *SIZES]
        for i in range(len(SIZES)):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1], dtype=torch.float64))
            if i != len(SIZES) - 1:
                layers.append(torch.nn.ReLU())
        self.model = torch.nn.Sequential(*layers)
        self.params = list(self.model.parameters())
        self.k = 0

    def __call__(self) -> float:
        torch = self.torch
        scores = self.model(self.x).squeeze(1)
        data_loss = torch.relu(1 - self.y * scores).mean()
        reg_loss = ALPHA * sum((p * p).sum() for p in self.params)
        total_loss = data_loss + reg_loss
        self.model.zero_grad(set_to_none=True)
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * (self.k % 100) / 100
        with torch.no_grad():
            for p in self.params:
                p -= learning_rate * p.grad
        self.k += 1
        return total_loss.item()


def _micrograd_mlp(micrograd: ModuleType, seed: int) -> Any:
    """micrograd's own MLP, with the same initial weights as ``BareMLP(..., seed)``."""
    import micrograd.nn

    state = random.getstate()
    random.seed(seed)
    try:
        return micrograd.nn.MLP(2, SIZES)
    finally:
        random.setstate(state)


def _steps_for(seconds_per_step: float, least: int) -> int:
    """How many consecutive steps one sample times: at least ``least``, and enough to take
    :data:`MIN_SAMPLE_SECONDS`, so a fast engine's sample is not one cold step after another
    engine has filled the caches (a training loop runs its steps back to back)."""
    return max(least, math.ceil(MIN_SAMPLE_SECONDS / max(seconds_per_step, 1e-9)))


def _timed(step: Callable[[], float], steps: int, mode: str) -> Callable[[], float]:
    """A case for :func:`interleaved`: ``steps`` consecutive steps, seconds per step."""

    def case() -> float:
        with collector(mode):
            start = clock()
            if isinstance(step, FitStep):
                step.steps = steps  # one fit() call trains all of them, as a user would
                step()
            else:
                for _ in range(steps):
                    step()
            elapsed = clock() - start
        if getattr(step, "loss", None) is not None:
            step.loss = None  # type: ignore[attr-defined]
        gc.collect()
        return elapsed / steps

    return case


class TorchWorker:
    """The torch step, timed in a child process (see torch_worker.py) but called in the rounds."""

    def __init__(self, points: int, seed: int) -> None:
        worker = Path(__file__).with_name("torch_worker.py")
        self.process = subprocess.Popen(
            [sys.executable, str(worker), str(points), str(seed)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        words = self._read().split()
        if not words or words[0] != "ready":
            raise RuntimeError(f"the torch worker did not start: {' '.join(words)!r}")
        self.first_loss = float(words[1])

    def _read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline()

    def case(self, steps: int, mode: str) -> Callable[[], float]:
        """A case for :func:`interleaved` that asks the worker for ``steps`` steps."""

        def timed() -> float:
            assert self.process.stdin is not None
            self.process.stdin.write(f"{steps} {mode}\n")
            self.process.stdin.flush()
            return float(self._read())

        return timed

    def close(self) -> None:
        """Tell the worker to stop and wait for it."""
        if self.process.stdin is not None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
        self.process.wait(timeout=60)


def collector_share(step: Callable[[], float], steps: int) -> dict[str, Any]:
    """Time spent inside the cyclic collector during ``steps`` steps (collector on).

    Measured with ``gc.callbacks``; also counts the collections of each generation.
    """
    spent = [0.0]
    counts = [0, 0, 0]
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = clock()
        else:
            spent[0] += clock() - started[0]
            counts[info["generation"]] += 1

    gc.collect()
    gc.callbacks.append(callback)
    try:
        with collector("on"):
            start = clock()
            if isinstance(step, FitStep):
                step.steps = steps
                step()
            else:
                for _ in range(steps):
                    step()
            elapsed = clock() - start
    finally:
        gc.callbacks.remove(callback)
    if getattr(step, "loss", None) is not None:
        step.loss = None  # type: ignore[attr-defined]
    gc.collect()
    return {
        "ms_per_step": elapsed / steps * 1e3,
        "ms_in_collector_per_step": spent[0] / steps * 1e3,
        "share_in_collector": spent[0] / elapsed,
        "collections_per_step": [c / steps for c in counts],
    }


def run(
    chainrule_nn: ModuleType | None,
    micrograd: ModuleType | None,
    torch: bool,
    *,
    points: int,
    rounds: int,
    steps: int,
    notes: list[str],
) -> dict[str, Any]:
    """Time every available engine's step, GC on and off, interleaved; ms/step and ratios."""
    import autograd

    xs, ys = moons(points)
    seed = 7
    engines: dict[str, Callable[[], float]] = {
        "chainrule_bare": BinaryOpsStep(
            autograd.Value, BareMLP(autograd.Value, 2, SIZES, seed), xs, ys
        ),
        "chainrule_bare_relaxed": RelaxedStep(
            BinaryOpsStep(autograd.Value, BareMLP(autograd.Value, 2, SIZES, seed), xs, ys)
        ),
    }
    first_loss: dict[str, float] = {}
    compiled = CompiledStep(autograd, xs, ys, seed)
    engines["chainrule_compiled"] = compiled
    if micrograd is not None:
        engines["micrograd"] = BinaryOpsStep(
            micrograd.engine.Value, _micrograd_mlp(micrograd, seed), xs, ys
        )
    if chainrule_nn is not None:
        engines["chainrule_nn"] = NnStep(chainrule_nn, xs, ys, seed)
        if hasattr(chainrule_nn, "fit"):
            engines["chainrule_fit"] = FitStep(chainrule_nn, xs, ys, seed)
            for engine in ("compiled", "batched"):
                engines[f"chainrule_fit_{engine}"] = FitStep(chainrule_nn, xs, ys, seed, engine)
    count: dict[str, int] = {}  # consecutive steps per sample, per engine
    for name, step in engines.items():
        first_loss[name] = step()  # warm-up step, also checks the engine runs
        count[name] = _steps_for(_timed(step, steps, "on")(), steps)
    cases = {
        f"{name}|{mode}": _timed(step, count[name], mode)
        for name, step in engines.items()
        for mode in GC_MODES
    }
    worker = TorchWorker(points, seed) if torch else None
    try:
        if worker is not None:
            first_loss["torch"] = worker.first_loss
            count["torch"] = _steps_for(worker.case(steps, "on")(), steps)
            for mode in GC_MODES:
                cases[f"torch|{mode}"] = worker.case(count["torch"], mode)
        samples = interleaved(cases, rounds)
    finally:
        if worker is not None:
            worker.close()
    result: dict[str, Any] = {
        "points": points,
        "rounds": rounds,
        "steps_per_round": steps,
        "steps_per_sample": count,
        "min_sample_seconds": MIN_SAMPLE_SECONDS,
        "first_loss": first_loss,
        "engines": {},
        "compile_seconds": compiled.compile_seconds,
        "compiled_lines": compiled.compiled.source.count("\n"),
    }
    if "micrograd" in first_loss:
        # Same initial weights and the same operations in the same order: same loss.
        result["bare_matches_micrograd"] = (
            abs(first_loss["micrograd"] - first_loss["chainrule_bare"]) < 1e-9
        )
    # The compiled step computes the same loss as the graph it was traced from.
    result["compiled_matches_bare"] = (
        abs(first_loss["chainrule_compiled"] - first_loss["chainrule_bare"]) < 1e-12
    )
    # Where the time goes with the collector on: one more pass per engine, accounted.
    result["collector"] = {
        name: collector_share(step, count[name]) for name, step in engines.items()
    }
    for name in first_loss:
        row: dict[str, Any] = {}
        for mode in GC_MODES:
            row[f"ms_gc_{mode}"] = median(samples[f"{name}|{mode}"]) * 1e3
            row[f"samples_ms_gc_{mode}"] = [s * 1e3 for s in samples[f"{name}|{mode}"]]
        result["engines"][name] = row
    if "micrograd" in first_loss:
        for row in result["engines"].values():
            for mode in GC_MODES:
                base = result["engines"]["micrograd"][f"ms_gc_{mode}"]
                row[f"x_micrograd_gc_{mode}"] = ratio(base, row[f"ms_gc_{mode}"])
    return result
