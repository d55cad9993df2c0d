"""Build the DOT text of a computation graph: every value, and every local derivative on its edge.

>>> from autograd import Value
>>> a, b = Value(2.0, label="a"), Value(-0.5, label="b")
>>> source = graph_source(a * b)
>>> "∂mul₁/∂a = b = -0.5" in source and "∂mul₁/∂b = a = 2" in source
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from autograd import palette
from autograd.names import display_names
from autograd.nudges import nudge_text
from autograd.ops import OPS
from autograd.text import number_text
from autograd.value import Value, topological_order

__all__ = ["edge_text", "escape_label", "graph_source", "op_text"]

FONT = palette.FONT
MUTED = "#505050"  # forward-pass edges; text, outline and edges of values not reached yet
COMPACT_EXCESS = 500  # above this many skipped ranks, edge labels are placed after layout
FAN_IN = 4  # a box with more inputs than this grows tall enough to part their arrows
ARROW_SPACING = 0.14  # inches of box side per input arrow

# Characters Graphviz reads as structure inside record labels (fields, ports).
_RECORD_SPECIALS = re.compile(r"([{}|<>])")
# Control characters: shown as visible escapes (\x07), since DOT and XML cannot carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def escape_label(text: str, *, record: bool = False) -> str:
    r"""``text`` made safe for a quoted DOT label: shown as written, never read as markup.

    Backslashes are doubled (so ``\N`` or ``\l`` stay text), ``&`` becomes ``&amp;`` (Graphviz
    reads entities in labels), newlines become DOT line breaks and other control characters
    visible escapes. With ``record``, the characters ``{ } | < >`` that structure a record
    label are escaped too. Quotes are left to the ``graphviz`` package's quoting.

    >>> print(escape_label(r"a\N & b"))
    a\\N &amp; b
    >>> print(escape_label("{x|y}\nz", record=True))
    \{x\|y\}\nz
    """
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    text = text.replace("\\", "\\\\").replace("&", "&amp;")
    if record:
        text = _RECORD_SPECIALS.sub(r"\\\1", text)
    return text.replace("\n", "\\n")


def op_text(node: Value, names: Mapping[Value, str] | None = None) -> str:
    """How ``node`` was computed, from its op row's display form, with its inputs' names.

    ``names`` maps values to the names to show (default: :func:`autograd.display_names` of
    the node's graph). Long sums show their first and last terms.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> op_text(x * 2), op_text(x.tanh()), op_text(x ** 2), op_text(-x), op_text(x)
    ('x · 2', 'tanh(x)', 'x^2', '-x', '')
    """
    row = OPS.get(node.op)
    if row is None:
        return node.op  # "" for a leaf; an op from outside the table is shown by its name
    names = _names_for(node, names)
    parents = [names[p] for p in node.parents]
    return row.forward_text(parents, node.op_arg, max_terms=4)


def _names_for(node: Value, names: Mapping[Value, str] | None) -> Mapping[Value, str]:
    if names is None or any(p not in names for p in node.parents) or node not in names:
        return display_names(topological_order(node))
    return names


def edge_text(
    node: Value,
    index: int,
    digits: int = 4,
    *,
    known: bool = True,
    names: Mapping[Value, str] | None = None,
) -> str:
    """The label of the edge from ``node.parents[index]`` to ``node``: ∂node/∂input.

    The op row gives the derivative's formula, with the learner's names in it; the number is
    the local derivative stored in the node (``?`` when not ``known`` yet). A formula that is
    just the number is not repeated.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-0.5, label="b")
    >>> c = b * a
    >>> c.label = "c"
    >>> edge_text(c, 0), edge_text(c, 1), edge_text(a + b, 1)
    ('∂c/∂b = a = 2', '∂c/∂a = b = -0.5', '∂add₁/∂b = 1')
    >>> edge_text(c.tanh(), 0, known=False)
    '∂tanh₁/∂c = 1 - tanh₁² = ?'
    """
    number = number_text(node.local_grads[index], digits) if known else "?"
    names = _names_for(node, names)
    parents = [names[p] for p in node.parents]
    lead = f"∂{names[node]}/∂{parents[index]}"
    if node.parents.count(node.parents[index]) > 1:  # x * x: say which input this edge is
        lead += f" ({_ordinal(index + 1)} input)"
    row = OPS.get(node.op)
    if row is None:  # an op from outside the table: the number is all there is to show
        return f"{lead} = {number}"
    formula = row.formula_text(index, parents, node.op_arg, out=names[node])
    if formula == number:
        return f"{lead} = {number}"
    return f"{lead} = {formula} = {number}"


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def graph_source(
    root: Value | Iterable[Value],
    *,
    rankdir: str = "LR",
    digits: int = 4,
    show_grad: bool = True,
    highlight: Iterable[object] = (),
    pending: Iterable[Value] = (),
    max_nodes: int = 500,
    nudge: bool = False,
) -> str:
    """The DOT text of the graph that computed ``root`` (a Value, or a list of Values).

    Pure text, no rendering. Each value is a box: its name (its label, a constant's number, or
    op name and count, as :func:`autograd.display_names` gives), how it was computed, ``data``
    and ``grad`` with ``digits`` significant digits. Each edge goes from an input to the value
    computed from it and carries ``∂output/∂input = formula = number`` from the op table; with
    gradients shown it is white when its contribution (local derivative × the value's grad) is
    positive, black when negative, and thicker the larger it is, relative to the largest in the
    graph.

    ``show_grad=False`` gives a forward-pass picture: no grads,
    plain edges. ``highlight`` takes Values and ``(parent, child)`` edges (or
    ``(parent, child, index)`` for one input of ``child``) to draw in yellow; ``pending`` takes
    Values not reached yet, drawn faded with ``?`` for their grad (or, in a forward-pass
    picture, their data). A graph of more than ``max_nodes`` values raises ``ValueError``.
    ``nudge=True`` adds, under each edge's local derivative, its finite-difference estimate
    (:func:`autograd.nudges.nudge_text`).

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.backward()
    >>> source = graph_source(y)
    >>> source.count("v0 -> v1"), source.count("= x = 3")
    (2, 2)
    >>> "grad 6" in source
    True
    """
    roots = _roots(root)
    _check_options(rankdir, digits, max_nodes)
    full = _combined_order(roots)
    names = display_names(full)
    # A constant leaf (the 2 of x * 2) is shown as its number inside the box that uses it.
    order = [node for node in full if node.op or node.requires_grad or node in roots]
    if len(order) > max_nodes:
        raise ValueError(
            f"this graph has {len(order)} values, more than max_nodes={max_nodes}; laying out "
            "a graph that big can take minutes. Fold it with draw(root, collapse='layer') "
            "(or 'neuron', or 'scope': values made by nn modules or inside autograd.scope "
            f"blocks), pass max_nodes={len(order)} (or more) to draw it anyway, or draw a "
            "smaller part of it."
        )
    ids = {node: f"v{i}" for i, node in enumerate(order)}
    lit_nodes, lit_edges = _highlights(highlight, ids, names)
    waiting = _pending(pending, ids, names)

    import graphviz

    # Edges that skip many ranks (a value used all along a long chain) make dot's layout
    # explode when labels take ranks of their own: such graphs get labels placed after layout.
    compact = _long_edge_excess(order) > COMPACT_EXCESS
    graph = _digraph(rankdir, compact)

    contributions = [
        node.local_grads[i] * node.grad
        for node in order
        if node not in waiting
        for i, parent in enumerate(node.parents)
        if parent.requires_grad
    ]
    largest = max(map(abs, contributions), default=0.0)

    for node in order:
        style = _node_style(node, node in lit_nodes, node in waiting)
        fan_in = sum(1 for parent in node.parents if parent in ids)
        if fan_in > FAN_IN:
            # A taller box spreads the arrowheads of many inputs along its side.
            style["height"] = f"{ARROW_SPACING * fan_in:.2f}"
        graph.node(
            ids[node],
            label=_node_label(node, names, digits, show_grad, node in waiting, rankdir),
            id=ids[node],  # stable ids (v0, v1, … and v5-0 for input 0 of v5) for pages
            **style,
        )
    for node in order:
        for index, parent in enumerate(node.parents):
            if parent not in ids:
                continue
            known = show_grad or node not in waiting
            style = _edge_style(node, index, show_grad, node in waiting, largest)
            if (parent, node, index) in lit_edges:
                style["color"] = palette.HIGHLIGHT
                style["penwidth"] = str(max(3.0, float(style["penwidth"])))
            text = edge_text(node, index, digits, known=known, names=names)
            if nudge:
                text += "\n" + nudge_text(node, index, digits, names=names, short=True)
            label = escape_label(text)
            style["xlabel" if compact else "label"] = graphviz.nohtml(label)
            graph.edge(ids[parent], ids[node], id=f"{ids[node]}-{index}", **style)
    graph.node(
        "legend",
        label=graphviz.nohtml(_legend(show_grad, bool(lit_nodes or lit_edges), bool(waiting))),
        shape="note",
        fontsize="10",
        fillcolor=palette.NODE_FILL,
    )
    return graph.source


def _roots(root: object) -> list[Value]:

    if isinstance(root, Value):
        return [root]
    if isinstance(root, list | tuple) and root and all(isinstance(r, Value) for r in root):
        return list(root)
    raise TypeError(
        f"draw needs a Value (or a non-empty list of Values), not {type(root).__name__}; "
        "draw the output of a computation, e.g. draw(loss)."
    )


def _check_options(rankdir: str, digits: int, max_nodes: int) -> None:
    if rankdir not in ("LR", "TB"):
        raise ValueError(
            f"rankdir must be 'LR' (left to right) or 'TB' (top down), not {rankdir!r}"
        )
    if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 17:
        raise ValueError(f"digits must be a whole number from 1 to 17, not {digits!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive whole number, not {max_nodes!r}")


def _combined_order(roots: list[Value]) -> list[Value]:
    if len(roots) == 1:
        return topological_order(roots[0])
    seen: set[Value] = set()
    order: list[Value] = []
    for root in roots:
        for node in topological_order(root):
            if node not in seen:
                seen.add(node)
                order.append(node)
    return order


def _describe(item: object, names: dict[Value, str]) -> str:
    return repr(names.get(item, getattr(item, "label", "") or repr(item)))


def _highlights(
    items: Iterable[object], ids: dict[Value, str], names: dict[Value, str]
) -> tuple[set[Value], set[tuple[Value, Value, int]]]:

    nodes: set[Value] = set()
    edges: set[tuple[Value, Value, int]] = set()
    for item in [items] if isinstance(items, Value) else items:
        if isinstance(item, Value):
            _require_in_graph(item, ids, "highlight")
            nodes.add(item)
            continue
        if not (
            isinstance(item, tuple)
            and len(item) in (2, 3)
            and isinstance(item[0], Value)
            and isinstance(item[1], Value)
        ):
            raise TypeError(
                "highlight takes Values and (parent, child) edges, or (parent, child, index) "
                f"for one input of child; got {item!r:.80}"
            )
        parent, child = item[0], item[1]
        _require_in_graph(child, ids, "highlight")
        indices = [i for i, p in enumerate(child.parents) if p is parent]
        if len(item) == 3:
            indices = [i for i in indices if i == item[2]]
        if not indices:
            raise ValueError(
                f"highlight: {_describe(parent, names)} is not input"
                + (f" {item[2]!r}" if len(item) == 3 else "")
                + f" of {_describe(child, names)}, so there is no such edge to highlight."
            )
        edges.update((parent, child, i) for i in indices)
    return nodes, edges


def _pending(items: Iterable[Value], ids: dict[Value, str], names: dict[Value, str]) -> set[Value]:

    waiting: set[Value] = set()
    for item in [items] if isinstance(items, Value) else items:
        if not isinstance(item, Value):
            raise TypeError(f"pending takes Values, got {type(item).__name__} ({item!r:.80})")
        _require_in_graph(item, ids, "pending")
        waiting.add(item)
    return waiting


def _require_in_graph(node: Value, ids: dict[Value, str], option: str) -> None:
    if node not in ids:
        name = f" {node.label!r}" if node.label else ""
        raise ValueError(
            f"{option}: the Value{name} (data {number_text(node.data)}) is not part of the "
            "graph being drawn; pass Values the drawn root depends on."
        )


def _long_edge_excess(order: list[Value]) -> int:
    """How many ranks, beyond one per edge, the graph's edges skip (layout cost grows with it).

    Ranks are longest paths from the leaves, with each leaf moved up next to its first use.
    """
    rank: dict[Value, int] = {}
    for node in order:
        ranks = [rank[p] for p in node.parents if p in rank]
        rank[node] = 1 + max(ranks) if ranks else 0
    first_use: dict[Value, int] = {}
    for node in order:
        for parent in node.parents:
            if parent in rank and not parent.parents:
                first_use[parent] = min(first_use.get(parent, rank[node]), rank[node])
    for leaf, used in first_use.items():
        rank[leaf] = used - 1
    return sum(rank[node] - rank[p] - 1 for node in order for p in node.parents if p in rank)


def _digraph(rankdir: str, compact: bool) -> Any:
    """An empty computation-graph picture with the shared canvas, box and edge settings."""
    import graphviz

    graph = graphviz.Digraph("chainrule", graph_attr=_graph_attributes(rankdir, compact))
    graph.attr(
        "node", shape="record", fontname=FONT, fontsize="11", style="filled", margin="0.16,0.05"
    )
    graph.attr("edge", fontname=FONT, fontsize="11", arrowsize="0.7", fontcolor=palette.TEXT)
    return graph


def _graph_attributes(rankdir: str, compact: bool) -> dict[str, str]:
    attributes = {
        "rankdir": rankdir,
        "bgcolor": palette.GRAPH_BACKGROUND,
        "outputorder": "edgesfirst",  # edges under the boxes, never over their text
        "fontname": FONT,
        "nodesep": "0.25",
        "ranksep": "0.35",
    }
    if compact:
        # Fewer network-simplex passes, and room between ranks for the edge labels.
        attributes.update(nslimit="1", nslimit1="1", ranksep="0.9", forcelabels="true")
    return attributes


def _node_label(
    node: Value,
    names: Mapping[Value, str],
    digits: int,
    show_grad: bool,
    waiting: bool,
    rankdir: str,
) -> str:
    import graphviz

    header = escape_label(names[node], record=True)
    if node.op:
        header += " = " + escape_label(op_text(node, names), record=True)
    data = "?" if waiting and not show_grad else number_text(node.data, digits)
    cells = f"data {escape_label(data, record=True)}"
    if show_grad and node.requires_grad:  # a constant gets no gradient
        grad = "?" if waiting else number_text(node.grad, digits)
        cells = f"{{{cells} | grad {escape_label(grad, record=True)}}}"
    # Records stack their top-level fields across the rank direction: braces flip it so the
    # name always sits above the numbers.
    label = f"{header} | {cells}" if rankdir == "LR" else f"{{{header} | {cells}}}"
    return graphviz.nohtml(label)


def _node_style(node: Value, lit: bool, waiting: bool) -> dict[str, str]:
    style = {"fillcolor": palette.OP_FILL if node.op else palette.NODE_FILL}
    if waiting:
        style.update(fillcolor=palette.PENDING, fontcolor=MUTED, color=MUTED)
        style["style"] = "filled,dashed"
    if lit:
        style.update(color=palette.HIGHLIGHT, penwidth="3")
    return style


def _edge_style(
    node: Value, index: int, show_grad: bool, waiting: bool, largest: float
) -> dict[str, str]:
    if waiting:
        return {"color": MUTED, "style": "dashed", "penwidth": "1"}
    if not show_grad or not node.parents[index].requires_grad:
        return {"color": MUTED, "penwidth": "1.2"}  # a forward picture, or into a constant
    return _contribution_style(node.local_grads[index] * node.grad, largest)


def _contribution_style(contribution: float, largest: float) -> dict[str, str]:
    """White for a positive contribution, black for a negative one, wider the larger; an
    edge that contributes exactly 0 stays visible, dotted and quiet."""
    if contribution == 0.0:
        return {"color": palette.ZERO_EDGE, "style": "dotted", "penwidth": "1.5"}
    return {
        "color": palette.sign_color(contribution),
        "penwidth": palette.line_width(contribution, largest),
    }


def _legend(show_grad: bool, highlighted: bool, waiting: bool) -> str:
    lines = [
        "box: name = how it was computed",
        "edge: ∂output/∂input = formula = local derivative",
    ]
    if show_grad:
        lines += [
            "white edge: positive contribution (local derivative × grad)",
            "black edge: negative contribution",
            "thicker edge: larger contribution",
            "dotted edge: contribution 0",
        ]
    if highlighted:
        lines.append("yellow: the current step")
    if waiting:
        lines.append("faded, ?: not reached yet")
    return "".join(escape_label(line) + "\\l" for line in lines)
