"""Stepping in the browser: one step of a ~400-value MLP loss, from click to updated picture.

Usage: ``python benchmarks/browser.py [--quick] [--out benchmarks/browser_results.json]``.

It writes the graph's offline page (``Stepper.save_html``), opens it in headless Chromium (the
system's ``/usr/bin/chromium``, driven by Playwright's Python package) and times, inside the
page, each click on ``next step`` until the picture has been painted (two animation frames
after the click). The same run times what stepping cost before the page played steps itself:
``Stepper.draw().svg()``, one Graphviz layout and render per step, and reports the ratio.
Targets (issue 14): a step in at most 50 ms, the file at most 2 MiB.

Needs ``pip install "chainrule[browser]"`` and Chromium (``apt-get install chromium``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# Run as a script, the repository root must be importable for the benchmarks package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

__all__ = ["CHROMIUM", "LAUNCH_ARGS", "main", "mlp_loss", "run"]

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STEP_TARGET_MS = 50.0
SIZE_TARGET = 2 * 1024 * 1024

# Clicks on "next step", timed in the page. "painted": from the click until the frame after
# it has been painted (the next animation frame, then a task after its paint); "work": the
# click's own work with the style and layout it causes, forced at once.
_TIME_CLICKS = """
async (count) => {
  const next = document.querySelector('button[aria-label="next step"]');
  const painted = () =>
    new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const times = { painted: [], work: [] };
  for (let i = 0; i < count; i += 1) {
    await painted();
    let start = performance.now();
    next.click();
    await painted();
    times.painted.push(performance.now() - start);
    next.previousElementSibling.previousElementSibling.click();  // back again
    await painted();
    start = performance.now();
    next.click();
    document.body.getBoundingClientRect();
    times.work.push(performance.now() - start);
  }
  return times;
}
"""


def mlp_loss(samples: int = 8) -> Any:
    """The loss of an MLP 2-8-8-1 (tanh) on ``samples`` points: about 400 values for 8.

    >>> from autograd import topological_order
    >>> len(topological_order(mlp_loss()))
    412
    """
    import nn

    model = nn.MLP(2, [8, 8, 1], activation="tanh", seed=0)
    inputs = [[0.1 * i, -0.2 * i] for i in range(samples)]
    targets = [1.0 if i % 2 else -1.0 for i in range(samples)]
    loss = nn.losses.mse([model(x) for x in inputs], targets)
    loss.label = "loss"
    return loss


def run(quick: bool = False) -> dict[str, Any]:
    """Measure the page and the per-step renders; return every figure and sample."""
    from playwright.sync_api import sync_playwright

    from autograd import Stepper, topological_order

    loss = mlp_loss(2 if quick else 8)
    stepper = Stepper(loss)
    folder = Path(tempfile.mkdtemp(prefix="chainrule-bench-"))
    page_path = folder / "steps.html"
    start = time.perf_counter()
    stepper.save_html(page_path)
    layout_once = time.perf_counter() - start
    size = page_path.stat().st_size

    redraws = []
    for position in (1, 2, 3) if quick else (1, 2, 3, 4, 5):
        stepper.goto(position)
        start = time.perf_counter()
        stepper.draw().svg()
        redraws.append((time.perf_counter() - start) * 1000)

    count = min(len(stepper), 20 if quick else 400)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            start = time.perf_counter()
            page.goto(page_path.as_uri())
            page.wait_for_selector("[role=status]")
            load = time.perf_counter() - start
            clicks = page.evaluate(_TIME_CLICKS, count)
            assert page.get_by_role("status").text_content() == stepper.steps[count - 1].explain(
                stepper.names, loss=stepper.loss
            )
        finally:
            browser.close()
    for name in os.listdir(folder):
        os.unlink(folder / name)
    os.rmdir(folder)

    work = clicks["work"]
    clicks = clicks["painted"]
    step = statistics.median(clicks)
    redraw = statistics.median(redraws)
    return {
        "graph": {"values": len(topological_order(loss)), "steps": len(stepper)},
        "file_bytes": size,
        "file_target_bytes": SIZE_TARGET,
        "layout_once_s": layout_once,
        "page_load_s": load,
        "step_ms": {
            "median": step,
            "p95": sorted(clicks)[int(0.95 * (len(clicks) - 1))],
            "max": max(clicks),
            "target": STEP_TARGET_MS,
            "samples": clicks,
        },
        "step_work_ms": {"median": statistics.median(work), "max": max(work), "samples": work},
        "graphviz_per_step_ms": {"median": redraw, "samples": redraws},
        "speedup": redraw / step if step else None,
        "quick": quick,
    }


def report(results: dict[str, Any]) -> str:
    """The results as a short Markdown table."""
    step = results["step_ms"]
    size = results["file_bytes"]
    return "\n".join(
        [
            f"Stepping in the browser: MLP loss of {results['graph']['values']} values, "
            f"{results['graph']['steps']} steps",
            "",
            "| what | measured | target |",
            "|---|---|---|",
            f"| one step, click to painted picture (median) | {step['median']:.1f} ms | "
            f"≤ {step['target']:.0f} ms |",
            f"| one step (95th percentile / max) | {step['p95']:.1f} / {step['max']:.1f} ms | |",
            f"| of which the page's own work, style and layout (median / max) | "
            f"{results['step_work_ms']['median']:.1f} / {results['step_work_ms']['max']:.1f} ms "
            "| |",
            f"| before: a Graphviz render per step (median) | "
            f"{results['graphviz_per_step_ms']['median']:.0f} ms | |",
            f"| speed-up | {results['speedup']:.0f}× | |",
            f"| the HTML file | {size / 1024 / 1024:.2f} MiB | ≤ 2 MiB |",
            f"| layout once + write the file | {results['layout_once_s']:.2f} s | |",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print its table and write the JSON results."""
    parser = argparse.ArgumentParser(prog="python benchmarks/browser.py", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small graph: a smoke run")
    parser.add_argument("--out", type=Path, default=None, help="where to write the JSON")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: install it with apt-get install chromium", file=sys.stderr)
        return 1
    results = run(quick=args.quick)
    print(report(results))
    out = args.out
    if out is None:
        folder = Path(tempfile.gettempdir()) if args.quick else Path(__file__).parent
        out = folder / "browser_results.json"
    from autograd.files import write_atomically

    write_atomically(out, json.dumps(results, indent=1) + "\n")
    print(f"\nWrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
