"""Scenario 4: time to turn a graph into SVG with ``autograd.draw(...).svg()``, per renderer.

Graphs: chains of 100 and 1,000 Values, and micrograd's one-example MLP loss graph (MLP
2-16-16-1 ReLU on one moons point, hinge loss, binary ops as micrograd builds it; and, when
the nn package is there, the same loss with ``nn.MLP``'s fused weighted sums). Renderers:
the WebAssembly Graphviz installed from pip (always) and the system ``dot`` (when on PATH).
Each timing includes building the DOT text and rendering it, as a notebook cell would; the
one-off cost of loading a renderer (the first SVG of a session) is reported on its own.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

from benchmarks.common import clock, median, moons
from benchmarks.demo_step import SIZES, BareMLP

__all__ = ["graphs", "run"]


def _chain(value: type, nodes: int) -> Any:
    """``nodes`` Values in one chain: a labelled leaf, then tanh, *0.5 ... alternating."""
    acc = value(0.5, label="x")
    count = 1
    while count < nodes:
        if count % 2:
            acc = acc.tanh()
            count += 1
        else:
            acc = acc * 0.9  # the constant 0.9 is a Value too: two more nodes
            count += 2
    return acc


def _one_example_loss(value: type) -> Any:
    """micrograd's MLP on one moons point, hinge loss, written with binary ops."""
    xs, ys = moons(2)
    model = BareMLP(value, 2, SIZES, seed=7)
    score = model(list(map(value, xs[0])))
    return (1 + -ys[0] * score).relu()


def _one_example_loss_nn(nn: Any) -> Any:
    """The same loss with ``nn.MLP``: one weighted-sum node per neuron."""
    xs, ys = moons(2)
    model = nn.MLP(2, SIZES, activation="relu", seed=7)
    return nn.losses.hinge([model(xs[0])], [(ys[0] + 1) // 2])


def graphs(value: type, nn: Any = None) -> dict[str, Callable[[], Any]]:
    """The graphs to draw, by name, each as a function that builds it."""
    built = {
        "chain_100": lambda: _chain(value, 100),
        "chain_1000": lambda: _chain(value, 1000),
        "mlp_one_example_loss": lambda: _one_example_loss(value),
    }
    if nn is not None:
        built["mlp_one_example_loss_nn"] = lambda: _one_example_loss_nn(nn)
        for mode in ("layer", "neuron"):
            built[f"mlp_one_example_loss_nn_{mode}"] = lambda: _one_example_loss_nn(nn)
    return built


def draw_options(name: str) -> dict[str, Any]:
    """How each graph is drawn: collapsed views are named after their mode."""
    for mode in ("layer", "neuron"):
        if name.endswith(f"_{mode}"):
            return {"collapse": mode}
    return {}


def run(
    autograd: Any, nn: Any = None, *, rounds: int, notes: list[str], quick: bool = False
) -> dict[str, Any]:
    """Seconds per SVG for each graph and renderer (median of ``rounds``, interleaved)."""
    renderers = ["wasm"]
    if shutil.which("dot"):
        renderers.append("dot")
    else:
        notes.append("system Graphviz (dot) is not on PATH: only the pip renderer is timed.")
    builders = graphs(autograd.Value, nn)
    if quick:
        builders = {"chain_100": builders["chain_100"]}
    roots = {name: build() for name, build in builders.items()}
    samples: dict[tuple[str, str], list[float]] = {}
    errors: dict[tuple[str, str], str] = {}
    # The first SVG of a session also loads the renderer (for wasm: compiles the module).
    first: dict[str, float | str] = {}
    tiny = autograd.Value(1.0, label="x") * 2
    for renderer in renderers:
        try:
            start = clock()
            autograd.draw(tiny, renderer=renderer).svg()
            first[renderer] = clock() - start
        except Exception as error:  # reported in the results, never hidden
            first[renderer] = f"{type(error).__name__}: {error}"[:300]
    for r in range(rounds):
        for name, root in roots.items():
            for renderer in renderers[r % 2 :] + renderers[: r % 2]:
                if (name, renderer) in errors:
                    continue
                try:
                    start = clock()
                    options = draw_options(name)
                    svg = autograd.draw(root, max_nodes=10_000, renderer=renderer, **options).svg()
                    elapsed = clock() - start
                except Exception as error:  # reported in the results, never hidden
                    errors[(name, renderer)] = f"{type(error).__name__}: {error}"[:300]
                    continue
                if "<svg" not in svg:
                    errors[(name, renderer)] = "the output is not SVG"
                    continue
                samples.setdefault((name, renderer), []).append(elapsed)
    rows = []
    for name, root in roots.items():
        nodes = len(list(root.walk()))
        for renderer in renderers:
            row: dict[str, Any] = {"graph": name, "nodes": nodes, "renderer": renderer}
            if (name, renderer) in errors:
                row["error"] = errors[(name, renderer)]
            else:
                row["seconds"] = median(samples[(name, renderer)])
            rows.append(row)
    return {"rounds": rounds, "renderers": renderers, "first_svg_seconds": first, "rows": rows}
