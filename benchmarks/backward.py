"""Scenario 3: backward() time per node at growing graph sizes, chain-shaped and wide.

``chain`` is ``c * c * ... * c`` as one long chain (depth = size); ``wide`` is a sum of
products ``a_i * b_i`` added up as a balanced binary tree (depth about log2 of the size).
Graphs are built untimed with the collector off; only ``root.backward()`` is timed, with the
collector on and off. micrograd's recursive topological sort cannot go deeper than Python's
recursion limit, so its chain runs end in RecursionError, which is reported as such.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

from benchmarks.common import GC_MODES, clock, median, ratio

__all__ = ["chain", "run", "wide"]


def chain(value: type, nodes: int) -> Any:
    """``nodes - 1`` multiplications by one shared leaf: ``nodes`` Values, as deep as long."""
    c = value(1.0)
    acc = c
    for _ in range(nodes - 1):
        acc = acc * c
    return acc


def wide(value: type, nodes: int) -> Any:
    """Products of fresh leaf pairs summed by a balanced tree of adds: about ``nodes`` Values."""
    terms = [value(1.0) * value(0.5) for _ in range(max(nodes // 4, 1))]
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        if len(terms) % 2:
            paired.append(terms[-1])
        terms = paired
    return terms[0]


SHAPES: dict[str, Callable[[type, int], Any]] = {"chain": chain, "wide": wide}


def _node_count(shape: str, nodes: int) -> int:
    if shape == "chain":
        return nodes
    products = max(nodes // 4, 1)
    return 3 * products + (products - 1)


def _one_round(value: type, shape: str, nodes: int, flip: bool) -> dict[str, float]:
    """Build one graph untimed; time its backward with the collector on and off."""
    gc.disable()
    try:
        root = SHAPES[shape](value, nodes)
    finally:
        gc.enable()
    seconds: dict[str, float] = {}
    for mode in reversed(GC_MODES) if flip else GC_MODES:
        if mode == "off":
            gc.disable()
        try:
            start = clock()
            root.backward()
            seconds[mode] = clock() - start
        finally:
            gc.enable()
    del root
    gc.collect()
    return seconds


def run(
    engines: dict[str, type], *, sizes: list[int], rounds: int, notes: list[str]
) -> dict[str, Any]:
    """ns per node of backward() for every engine, shape and size; growth largest/smallest."""
    results: dict[str, Any] = {"sizes": sizes, "rounds": rounds, "rows": []}
    failed: set[tuple[str, str]] = set()
    for shape in SHAPES:
        for nodes in sizes:
            count = _node_count(shape, nodes)
            samples: dict[str, dict[str, list[float]]] = {
                name: {mode: [] for mode in GC_MODES} for name in engines
            }
            errors: dict[str, str] = {}
            names = list(engines)
            # A million-node round takes seconds per engine: three rounds are enough there.
            for r in range(rounds if nodes < 1_000_000 else min(rounds, 3)):
                order = names[r % len(names) :] + names[: r % len(names)]
                for name in order:
                    if (name, shape) in failed:
                        errors.setdefault(name, "RecursionError (at a smaller size)")
                        continue
                    try:
                        seconds = _one_round(engines[name], shape, nodes, flip=r % 2 == 1)
                    except RecursionError:
                        failed.add((name, shape))
                        errors[name] = f"RecursionError (recursion limit {sys.getrecursionlimit()})"
                        gc.collect()
                        continue
                    for mode in GC_MODES:
                        samples[name][mode].append(seconds[mode])
            for name in engines:
                row: dict[str, Any] = {"engine": name, "shape": shape, "nodes": count}
                if name in errors:
                    row["error"] = errors[name]
                else:
                    for mode in GC_MODES:
                        row[f"ns_per_node_gc_{mode}"] = median(samples[name][mode]) / count * 1e9
                results["rows"].append(row)
    for name in engines:
        for shape in SHAPES:
            rows = [
                row
                for row in results["rows"]
                if row["engine"] == name and row["shape"] == shape and "error" not in row
            ]
            if len(rows) >= 2:
                for mode in GC_MODES:
                    key = f"ns_per_node_gc_{mode}"
                    results.setdefault("growth", []).append(
                        {
                            "engine": name,
                            "shape": shape,
                            "gc": mode,
                            "from_nodes": rows[0]["nodes"],
                            "to_nodes": rows[-1]["nodes"],
                            "per_node_growth": ratio(rows[-1][key], rows[0][key]),
                        }
                    )
    if any("error" in row for row in results["rows"]):
        notes.append(
            "micrograd's topological sort is recursive: on chain-shaped graphs deeper than the "
            "recursion limit its backward() raises RecursionError (reported as such)."
        )
    return results
