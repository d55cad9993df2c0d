"""Scenario 2: bytes per node, measured with tracemalloc while a graph is built.

Shapes: ``chain`` is a 100,000-node chain ``((l0 * l1) + l2) * l3 ...`` whose leaves are made
inside the measured region too, so every node is counted with everything it owns; ``demo`` is
one forward pass of micrograd's demo (MLP 2-16-16-1, all points, hinge + L2), built with
binary ops only. The same code builds both engines' graphs.
"""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

from benchmarks.common import moons, ratio
from benchmarks.demo_step import SIZES, BareMLP, _micrograd_loss

__all__ = ["chain", "count_nodes", "run"]


def chain(value: type, nodes: int) -> Any:
    """A chain of alternating * and + over fresh leaves: ``nodes`` Values in all (odd count)."""
    leaves = [value(1.0 + 1e-9 * i) for i in range(nodes // 2 + 1)]
    acc = leaves[0]
    for i, leaf in enumerate(leaves[1:]):
        acc = acc * leaf if i % 2 == 0 else acc + leaf
    return acc


def count_nodes(root: Any) -> int:
    """The number of distinct Values ``root`` depends on (either engine), without recursion."""
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        parents = node.parents if hasattr(node, "parents") else node._prev
        for parent in parents:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)


def _traced(build: Any) -> tuple[int, Any]:
    """Bytes allocated and still held after ``build()``, and what it returned."""
    gc.collect()
    gc.disable()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        result = build()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        gc.enable()
    return after - before, result


def run(engines: dict[str, type], *, nodes: int, points: int) -> dict[str, Any]:
    """Bytes per node of each engine on both shapes, and chainrule's share of micrograd's."""
    xs, ys = moons(points)
    result: dict[str, Any] = {"chain_nodes": nodes, "demo_points": points, "engines": {}}
    for name, value in engines.items():
        row: dict[str, Any] = {}
        size, root = _traced(lambda value=value: chain(value, nodes))
        row["chain_nodes"] = count_nodes(root)
        row["chain_bytes_per_node"] = size / row["chain_nodes"]
        del root
        model = BareMLP(value, 2, SIZES, seed=7)
        size, (loss, _) = _traced(
            lambda value=value, model=model: _micrograd_loss(value, model, xs, ys)
        )
        # The model's parameters existed before; count only the nodes made by the pass.
        row["demo_nodes"] = count_nodes(loss) - len(model.parameters())
        row["demo_bytes_per_node"] = size / row["demo_nodes"]
        del loss, model
        gc.collect()
        result["engines"][name] = row
    if "micrograd" in result["engines"]:
        base = result["engines"]["micrograd"]
        for row in result["engines"].values():
            for shape in ("chain", "demo"):
                share = ratio(row[f"{shape}_bytes_per_node"], base[f"{shape}_bytes_per_node"])
                row[f"{shape}_share_of_micrograd"] = share
    return result
