"""Turns the results dictionary into the markdown tables of RESULTS.md."""

from __future__ import annotations

from typing import Any

from benchmarks.common import sig

__all__ = ["markdown", "targets"]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of the benchmark issue with the measured figure and whether it is met."""
    checks: list[dict[str, Any]] = []
    engines = results.get("demo_step", {}).get("engines", {})

    def add(name: str, measured: float | None, goal: float, at_least: bool) -> None:
        met = None if measured is None else (measured >= goal if at_least else measured <= goal)
        checks.append({"target": name, "measured": measured, "goal": goal, "met": met})

    add(
        "demo step, bare Value API, x micrograd, GC on (>= 25)",
        engines.get("chainrule_bare", {}).get("x_micrograd_gc_on"),
        25.0,
        True,
    )
    add(
        "demo step, nn.MLP, x micrograd, GC on (>= 70)",
        engines.get("chainrule_nn", {}).get("x_micrograd_gc_on"),
        70.0,
        True,
    )
    if "chainrule_fit" in engines:
        add(
            "demo step, nn.MLP trained by nn.fit, x micrograd, GC on (>= 40)",
            engines["chainrule_fit"].get("x_micrograd_gc_on"),
            40.0,
            True,
        )
    demo = results.get("demo_step", {})
    micrograd_ms = engines.get("micrograd", {}).get("ms_gc_on")
    if "chainrule_compiled" in engines:
        add(
            "demo step, bare Value API compiled, x micrograd, GC on (>= 500)",
            engines["chainrule_compiled"].get("x_micrograd_gc_on"),
            500.0,
            True,
        )
        add(
            "tracing and compiling the demo step, in micrograd steps (<= 3)",
            None if not micrograd_ms else demo["compile_seconds"] * 1e3 / micrograd_ms,
            3.0,
            False,
        )
    fit_ms = engines.get("chainrule_fit", {}).get("ms_gc_on")
    for engine, goal in (("compiled", 8.0), ("batched", 20.0)):
        row = engines.get(f"chainrule_fit_{engine}")
        if row and fit_ms:
            add(
                f"demo step, nn.fit engine={engine!r}, x engine='values', GC on (>= {goal:g})",
                fit_ms / row["ms_gc_on"],
                goal,
                True,
            )
    if "chainrule_fit_batched" in engines and "torch" in engines:
        add(
            "demo step, nn.fit engine='batched', x vectorized PyTorch's time, GC on (<= 3)",
            engines["chainrule_fit_batched"]["ms_gc_on"] / engines["torch"]["ms_gc_on"],
            3.0,
            False,
        )
    memory = results.get("bytes_per_node", {}).get("engines", {}).get("chainrule", {})
    add(
        "bytes per node, share of micrograd's, 100k chain (<= 0.3)",
        memory.get("chain_share_of_micrograd"),
        0.3,
        False,
    )
    for growth in results.get("backward", {}).get("growth", []):
        if growth["engine"] == "chainrule" and growth["gc"] == "on":
            add(
                f"backward ns/node growth, {growth['shape']}, {growth['to_nodes']:,} vs "
                f"{growth['from_nodes']:,} nodes, GC on (<= 1.3)",
                growth["per_node_growth"],
                1.3,
                False,
            )
    for row in results.get("draw", {}).get("rows", []):
        if row["renderer"] == "wasm" and row["graph"] != "chain_100":
            goal = 1.0 if row["graph"] == "chain_1000" else 0.5
            add(
                f"SVG of {row['graph']}, pip renderer, seconds (<= {goal})",
                row.get("seconds"),
                goal,
                False,
            )
    return checks


def markdown(results: dict[str, Any]) -> str:
    """RESULTS.md: the run's settings, one table per scenario, targets and notes."""
    meta = results["meta"]
    out = [
        "# Benchmark results",
        "",
        f"Produced by `{meta['command']}` on {meta['date']} "
        f"(Python {meta['python']}, {meta['cpus']} CPUs, load average at start "
        f"{meta['load_average']}; chainrule {meta['versions'].get('chainrule')}, micrograd "
        f"{meta['versions'].get('micrograd') or 'not installed'}, torch "
        f"{meta['versions'].get('torch') or 'not installed'}). Ratios compare engines measured "
        "in the same interleaved rounds; absolute times on a shared machine are noise.",
        "",
    ]
    demo = results.get("demo_step")
    if demo:
        out += [
            f"## 1. micrograd's demo step ({demo['points']} points, median of "
            f"{demo['rounds']} rounds)",
            "",
        ]
        counts = demo.get("steps_per_sample")
        if counts:
            least = demo["steps_per_round"]
            seconds = demo["min_sample_seconds"]
            out += [
                f"Each sample times consecutive steps of one engine: at least {least}, and "
                f"enough to take {seconds * 1e3:.0f} ms (a training loop runs its steps back "
                "to back; one lone step after another engine's would be timed cold). "
                "Steps per sample: "
                + ", ".join(f"{name} {n}" for name, n in counts.items())
                + ". `nn.fit` trains that many epochs in one call.",
                "",
            ]
        rows = []
        for name, row in demo["engines"].items():
            rows.append(
                [
                    name,
                    sig(row["ms_gc_on"]),
                    sig(row["ms_gc_off"]),
                    sig(row.get("x_micrograd_gc_on")),
                    sig(row.get("x_micrograd_gc_off")),
                ]
            )
        out += _table(
            [
                "engine",
                "ms/step GC on",
                "ms/step GC off",
                "x micrograd GC on",
                "x micrograd GC off",
            ],
            rows,
        )
    if demo and demo.get("collector"):
        out += [
            "Time inside Python's cyclic garbage collector (collector on, default thresholds "
            "except where nn.fit sets its own while it trains):",
            "",
        ]
        rows = [
            [
                name,
                sig(row["ms_per_step"]),
                sig(row["ms_in_collector_per_step"]),
                f"{row['share_in_collector'] * 100:.0f}%",
                " / ".join(f"{c:.3g}" for c in row["collections_per_step"]),
            ]
            for name, row in demo["collector"].items()
        ]
        out += _table(
            ["engine", "ms/step", "ms in collector/step", "share", "collections/step gen0/1/2"],
            rows,
        )
    memory = results.get("bytes_per_node")
    if memory:
        out += ["## 2. Bytes per node (tracemalloc)", ""]
        rows = [
            [
                name,
                f"{row['chain_nodes']:,}",
                sig(row["chain_bytes_per_node"]),
                sig(row.get("chain_share_of_micrograd")),
                f"{row['demo_nodes']:,}",
                sig(row["demo_bytes_per_node"]),
                sig(row.get("demo_share_of_micrograd")),
            ]
            for name, row in memory["engines"].items()
        ]
        out += _table(
            [
                "engine",
                "chain nodes",
                "bytes/node",
                "share of micrograd",
                "demo-graph nodes",
                "bytes/node",
                "share of micrograd",
            ],
            rows,
        )
    back = results.get("backward")
    if back:
        out += [f"## 3. backward() ns per node (median of {back['rounds']} rounds)", ""]
        rows = [
            [
                row["shape"],
                f"{row['nodes']:,}",
                row["engine"],
                row.get("error") or sig(row["ns_per_node_gc_on"]),
                "" if "error" in row else sig(row["ns_per_node_gc_off"]),
            ]
            for row in back["rows"]
        ]
        out += _table(["shape", "nodes", "engine", "ns/node GC on", "ns/node GC off"], rows)
        rows = [
            [
                g["engine"],
                g["shape"],
                g["gc"],
                f"{g['from_nodes']:,} -> {g['to_nodes']:,}",
                sig(g["per_node_growth"]),
            ]
            for g in back.get("growth", [])
        ]
        out += ["Per-node growth, largest vs smallest graph:", ""]
        out += _table(["engine", "shape", "GC", "nodes", "growth"], rows)
    draw = results.get("draw")
    if draw:
        out += [f"## 4. SVG drawing (median of {draw['rounds']} rounds)", ""]
        rows = [
            [
                row["graph"],
                f"{row['nodes']:,}",
                row["renderer"],
                row.get("error") or sig(row["seconds"]),
            ]
            for row in draw["rows"]
        ]
        out += _table(["graph", "nodes", "renderer", "seconds"], rows)
        first = ", ".join(
            f"{k} {sig(v) if isinstance(v, float) else v}"
            for k, v in draw.get("first_svg_seconds", {}).items()
        )
        out += [f"First SVG of a session (loading the renderer, tiny graph), seconds: {first}.", ""]
    demo5 = results.get("four_pixel_demo")
    if demo5:
        out += [
            "## 5. Four-pixel demo end to end",
            "",
            f"{sig(demo5['seconds'])} s (median of {demo5['rounds']} runs).",
            "",
        ]
    whole = results.get("whole_demo")
    if whole:
        out += [
            f"## 6. micrograd's whole demo ({whole['steps']} steps, {whole['points']} points, "
            "compiling included, GC on)",
            "",
        ]
        rows = [
            [name, sig(row["seconds"]), sig(row["x_fit_values"]), row["estimated"]]
            for name, row in whole["engines"].items()
        ]
        out += _table(["engine", "seconds", "x nn.fit values", "note"], rows)
    if demo and "compile_seconds" in demo:
        out += [
            f"Tracing and compiling the bare demo step (scenario 1, `chainrule_compiled`): "
            f"{sig(demo['compile_seconds'])} s for {demo['compiled_lines']:,} lines of "
            "generated Python.",
            "",
        ]
    checks = targets(results)
    if checks:
        out += ["## Targets", ""]
        rows = [
            [
                c["target"],
                sig(c["measured"]),
                {True: "yes", False: "NO", None: "not measured"}[c["met"]],
            ]
            for c in checks
        ]
        out += _table(["target", "measured", "met"], rows)
    if results.get("notes"):
        out += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(out)
