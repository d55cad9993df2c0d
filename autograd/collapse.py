"""Collapsed views of big graphs: each group of values (a layer, a neuron, a scope) as one box.

Values are grouped by their ``scope`` (set by :func:`autograd.scope` blocks, and by ``nn``
modules with their path, like ``("L2", "N3")``). ``collapse="layer"`` groups by the outermost
name, ``"neuron"`` by the first two, ``"scope"`` by the whole path; ``expand`` opens chosen
groups again. A group's box shows its name, how many values it folds, its inputs, and the value
and gradient of its output(s); edges between boxes are merged, with the number of edges they
stand for.

>>> from autograd import Value, scope
>>> x = Value(1.0, label="x")
>>> with scope("block"):
...     y = (x * 2).tanh() + 1
>>> y.backward()
>>> source = collapsed_source(y, collapse="scope")
>>> "block (3 values)" in source, source.count("->")
(True, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from autograd import palette
from autograd.dot import (
    MUTED,
    _check_options,
    _combined_order,
    _contribution_style,
    _digraph,
    _node_label,
    _node_style,
    _roots,
    edge_text,
    escape_label,
)
from autograd.names import display_names
from autograd.text import number_text
from autograd.value import Value

__all__ = ["COLLAPSE_MODES", "Group", "collapsed_source", "group_path"]

COLLAPSE_MODES = {"layer": 1, "neuron": 2, "scope": None}


def group_path(
    node: Value, collapse: str, expand: Sequence[tuple[str, ...]] = ()
) -> tuple[str, ...] | None:
    """The group ``node`` folds into under ``collapse``, or None if it is drawn on its own.

    >>> from autograd import Value
    >>> w = Value(0.5)
    >>> w.scope = ("L2", "N3")
    >>> group_path(w, "layer"), group_path(w, "neuron"), group_path(w, "layer", [("L2",)])
    (('L2',), ('L2', 'N3'), None)
    """
    scope = node.scope
    if not scope or any(scope[: len(path)] == path for path in expand):
        return None
    depth = COLLAPSE_MODES[collapse]
    return scope if depth is None else scope[:depth]


@dataclass
class Group:
    """The values that fold into one box, and what the box shows about them."""

    path: tuple[str, ...]
    members: list[Value] = field(default_factory=list)
    inputs: dict[Value, None] = field(default_factory=dict)  # ordered set of outside inputs
    outputs: dict[Value, None] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The group's name: its path joined with dots.

        >>> Group(("L2", "N3")).name
        'L2.N3'
        """
        return ".".join(self.path)


def _paths(expand: object) -> list[tuple[str, ...]]:
    items = [expand] if isinstance(expand, str) else expand
    if not isinstance(items, Iterable):
        raise TypeError(f"expand takes group names such as 'L2' or 'L2.N3', not {expand!r:.60}")
    paths = []
    for item in items:
        if isinstance(item, str) and item:
            paths.append(tuple(item.split(".")))
        elif isinstance(item, tuple) and item and all(isinstance(p, str) for p in item):
            paths.append(item)
        else:
            raise TypeError(
                f"expand takes group names such as 'L2' or 'L2.N3' (or tuples of names), not "
                f"{item!r:.60}"
            )
    return paths


def collapsed_source(
    root: Value | Sequence[Value],
    *,
    collapse: str,
    expand: Iterable[str | tuple[str, ...]] = (),
    rankdir: str = "LR",
    digits: int = 4,
    show_grad: bool = True,
    max_nodes: int = 500,
) -> str:
    """The DOT text of ``root``'s graph with each group folded into one box.

    Values outside every group are drawn as :func:`autograd.dot.graph_source` draws them.
    Raises ``ValueError`` for an unknown ``collapse`` and when more than ``max_nodes`` boxes
    remain.
    """
    if collapse not in COLLAPSE_MODES:
        raise ValueError(
            f"collapse must be one of {', '.join(map(repr, COLLAPSE_MODES))} (or None), "
            f"not {collapse!r}"
        )
    roots = _roots(root)
    _check_options(rankdir, digits, max_nodes)
    opened = _paths(expand)
    full = _combined_order(roots)
    names = display_names(full)
    shown = [node for node in full if node.op or node.requires_grad or node in roots]
    visible = set(shown)
    groups: dict[tuple[str, ...], Group] = {}
    home: dict[Value, Group] = {}
    for node in shown:
        path = group_path(node, collapse, opened)
        if path is not None:
            group = groups.setdefault(path, Group(path))
            group.members.append(node)
            home[node] = group
    for node in shown:
        for parent in node.parents:
            if parent in visible and home.get(parent) is not home.get(node):
                if node in home:
                    home[node].inputs[parent] = None
                if parent in home:
                    home[parent].outputs[parent] = None
    for node in roots:
        if node in home:
            home[node].outputs[node] = None
    singles = [node for node in shown if node not in home]
    boxes = len(singles) + len(groups)
    if boxes > max_nodes:
        raise ValueError(
            f"collapsed by {collapse!r}, this graph still has {boxes} boxes, more than "
            f"max_nodes={max_nodes}; pass max_nodes={boxes} to draw it anyway, or collapse "
            "more (collapse='layer' folds whole layers)."
        )

    import graphviz

    graph = _digraph(rankdir, False)
    ids: dict[Value, str] = {}
    for i, node in enumerate(singles):
        ids[node] = f"v{i}"
        graph.node(
            ids[node],
            label=_node_label(node, names, digits, show_grad, False, rankdir),
            **_node_style(node, False, False),
        )
    for i, group in enumerate(groups.values()):
        box = f"g{i}"
        for member in group.members:
            ids[member] = box
        graph.node(
            box,
            label=_group_label(group, names, digits, show_grad, rankdir),
            fillcolor=palette.OP_FILL,
            penwidth="2",
        )
    edges: dict[tuple[str, str], list[tuple[Value, int]]] = {}
    for node in shown:
        for index, parent in enumerate(node.parents):
            if parent in visible and ids[parent] != ids[node]:
                edges.setdefault((ids[parent], ids[node]), []).append((node, index))
    contributions = {
        key: sum(
            node.local_grads[i] * node.grad for node, i in found if node.parents[i].requires_grad
        )
        for key, found in edges.items()
    }
    largest = max(map(abs, contributions.values()), default=0.0)
    for (tail, head), found in edges.items():
        total = contributions[(tail, head)]
        if not show_grad or not any(node.parents[i].requires_grad for node, i in found):
            style = {"color": MUTED, "penwidth": "1.2"}
        else:
            style = _contribution_style(total, largest)
        if tail.startswith("g") and head.startswith("g"):
            # Between two groups (a layer wired to the next) there are too many edges to
            # label: their colour and width carry the contribution.
            graph.edge(tail, head, **style)
            continue
        if len(found) == 1:
            node, index = found[0]
            label = edge_text(node, index, digits, names=names)
        else:
            label = f"{len(found)} edges"
        graph.edge(tail, head, label=graphviz.nohtml(escape_label(label)), **style)
    graph.node(
        "legend",
        label=graphviz.nohtml(_legend(collapse, show_grad)),
        shape="note",
        fontsize="10",
        fillcolor=palette.NODE_FILL,
    )
    return graph.source


def _group_label(
    group: Group, names: dict[Value, str], digits: int, show_grad: bool, rankdir: str
) -> str:
    import graphviz

    count = len(group.members)
    header = escape_label(f"{group.name} ({count} value{'s' if count != 1 else ''})", record=True)
    inputs = [names[v] for v in group.inputs]
    shown = ", ".join(inputs if len(inputs) <= 4 else [*inputs[:3], "…", inputs[-1]])
    cells = [escape_label(f"inputs: {shown or 'none'}", record=True)]
    outputs = list(group.outputs)
    if len(outputs) == 1:
        (out,) = outputs
        cells.append(
            escape_label(f"out {names[out]} = {number_text(out.data, digits)}", record=True)
        )
        if show_grad:
            cells.append(escape_label(f"grad {number_text(out.grad, digits)}", record=True))
    else:
        cells.append(escape_label(f"{len(outputs)} outputs", record=True))
    body = " | ".join(cells)
    label = f"{header} | {{{body}}}" if rankdir == "LR" else f"{{{header} | {{{body}}}}}"
    return graphviz.nohtml(label)


def _legend(collapse: str, show_grad: bool) -> str:
    lines = [
        f"bold box: one {collapse} folded into one box (its name, inputs, output)",
        "box: name = how it was computed",
        "edge: ∂output/∂input = formula = local derivative, or how many edges it stands for",
        "edge between two bold boxes: all the edges between them, unlabelled",
    ]
    if show_grad:
        lines += [
            "white edge: positive contribution (local derivative × grad)",
            "black edge: negative contribution; dotted: contribution 0",
        ]
    return "".join(escape_label(line) + "\\l" for line in lines)
