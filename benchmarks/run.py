"""Runs every benchmark scenario side by side and writes results.json and RESULTS.md.

Usage: ``python benchmarks/run.py [--quick] [--rounds N] [--out benchmarks/results.json]``.
``--quick`` shrinks every scenario to a few seconds (a smoke run; its numbers mean nothing; it
writes to the temporary directory unless ``--out`` is given).
micrograd (``pip install micrograd==0.1.0``) and torch (``pip install "chainrule[torch]"``)
are optional: without them their columns are skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.metadata
import importlib.util
import json
import os
import platform
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

# Run as a script, the repository root must be importable for the benchmarks package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import backward, demo_step, drawing, four_pixel, memory, report, whole_demo
from benchmarks.common import optional

__all__ = ["main"]

HERE = Path(__file__).resolve().parent


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _nn_parts(notes: list[str]) -> Any:
    """The nn package if it has what scenario 1(b) needs (MLP, losses.hinge, losses.l2)."""
    try:
        import nn
        import nn.losses
    except ImportError as error:
        notes.append(f"scenario 1(b) skipped: the nn package cannot be imported ({error}).")
        return None
    missing = [
        name
        for name, present in (
            ("nn.MLP", hasattr(nn, "MLP")),
            ("nn.losses.hinge", hasattr(nn.losses, "hinge")),
            ("nn.losses.l2", hasattr(nn.losses, "l2")),
        )
        if not present
    ]
    if missing:
        notes.append(f"scenario 1(b) skipped: {', '.join(missing)} not available yet.")
        return None
    return nn


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/run.py",
        description="chainrule against micrograd and PyTorch, measured side by side.",
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument(
        "--rounds", type=int, default=None, help="interleaved rounds (default 5, quick 1)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="JSON results, RESULTS.md beside it (default: benchmarks/results.json; with "
        "--quick, a folder in the temporary directory, so a smoke run never replaces them)",
    )
    args = parser.parse_args(argv)
    if args.rounds is None:
        args.rounds = 1 if args.quick else 5
    if args.rounds < 1:
        parser.error(f"--rounds must be at least 1, got {args.rounds}")
    if args.out is None:
        folder = Path(tempfile.gettempdir()) / "chainrule-benchmarks" if args.quick else HERE
        args.out = folder / "results.json"
    return args


def main(argv: list[str] | None = None) -> int:
    """Run all scenarios, print the markdown tables, write the JSON and RESULTS.md."""
    args = _parse(argv)
    quick, rounds = args.quick, args.rounds
    notes: list[str] = []
    import autograd

    micrograd = optional("micrograd", notes)
    if micrograd is not None:
        import micrograd.engine
    has_torch = importlib.util.find_spec("torch") is not None
    if not has_torch:
        optional("torch", notes)
    nn = _nn_parts(notes)
    shown = " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    results: dict[str, Any] = {
        "meta": {
            "command": f"python benchmarks/run.py {shown}".strip(),
            "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "gc_threshold": list(gc.get_threshold()),
            "gc_tracked_objects_at_start": len(gc.get_objects()),
            "quick": quick,
            "rounds": rounds,
            "versions": {
                "chainrule": autograd.__version__,
                "micrograd": _version("micrograd"),
                "torch": _version("torch") if has_torch else None,
            },
        },
        "notes": notes,
    }
    engines: dict[str, type] = {"chainrule": autograd.Value}
    if micrograd is not None:
        engines["micrograd"] = micrograd.engine.Value

    print("1. micrograd's demo step ...", flush=True)
    results["demo_step"] = demo_step.run(
        nn,
        micrograd,
        has_torch,
        points=10 if quick else 100,
        rounds=rounds,
        steps=1 if quick else 2,
        notes=notes,
    )
    print("2. bytes per node ...", flush=True)
    results["bytes_per_node"] = memory.run(
        engines, nodes=2_001 if quick else 100_001, points=5 if quick else 100
    )
    print("3. backward ns/node ...", flush=True)
    results["backward"] = backward.run(
        engines,
        sizes=[100, 1_000] if quick else [10_000, 100_000, 1_000_000],
        rounds=rounds,
        notes=notes,
    )
    print("4. SVG drawing ...", flush=True)
    if hasattr(autograd, "draw"):
        results["draw"] = drawing.run(autograd, nn, rounds=rounds, notes=notes, quick=quick)
    else:
        notes.append("scenario 4 skipped: autograd.draw is not available yet.")
    print("5. four-pixel demo ...", flush=True)
    run_demo = None
    if importlib.util.find_spec("nn.demo") is not None:
        run_demo = getattr(importlib.import_module("nn.demo"), "run_demo", None)
    if run_demo is None:
        notes.append("scenario 5 skipped: nn.demo.run_demo is not available yet.")
    elif quick:
        notes.append("scenario 5 skipped in --quick mode (it trains a model end to end).")
    else:
        results["four_pixel_demo"] = four_pixel.run(run_demo, rounds=min(rounds, 3))
    print("6. micrograd's whole demo, 100 steps ...", flush=True)
    micrograd_step = results["demo_step"]["engines"].get("micrograd", {}).get("ms_gc_on")
    results["whole_demo"] = whole_demo.run(
        autograd,
        nn,
        has_torch,
        micrograd_step,
        points=10 if quick else 100,
        steps=2 if quick else 100,
    )
    if quick:
        notes.append("--quick: tiny sizes for a smoke run; these numbers mean nothing.")
    results["targets"] = report.targets(results)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    table = report.markdown(results)
    args.out.with_name("RESULTS.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"wrote {args.out} and {args.out.with_name('RESULTS.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
