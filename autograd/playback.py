"""What a page plays to step through a graph: its picture, laid out once, and every step as data.

A :class:`Playback` holds the SVG of the whole graph (rendered once, with stable ids on every
node and edge, see :func:`autograd.dot.graph_source`) and a JSON-ready dict: one object per
node, per edge and per step. The page (:mod:`autograd.page`) and the notebook widget
(:mod:`autograd.widgets`) apply a step as styling, so stepping never re-runs Graphviz and the
layout never moves. Steps are objects so that more fields can be added without breaking
players that do not know them.

>>> from autograd import Stepper, Value
>>> x = Value(3.0, label="x")
>>> data = step_data(Stepper(x * x))
>>> [step["explain"] for step in data["steps"]][1]
'∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3'
>>> [(step["edge"], step["grad_before"], step["grad_after"]) for step in data["steps"]]
[('v1-0', '0', '3'), ('v1-1', '3', '6')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd import palette
from autograd.dot import edge_text, graph_source
from autograd.drawing import Drawing
from autograd.steps import Step
from autograd.text import number_text
from autograd.value import topological_order

if TYPE_CHECKING:
    from autograd.stepper import Stepper
    from autograd.value import Value

__all__ = ["FORMAT", "Playback", "playback", "slim_svg", "step_data"]

FORMAT = 1  # the version of the data's layout; players check it
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")


@dataclass(frozen=True)
class Playback:
    """The picture of a graph (``svg``, laid out once) and its steps as data (``data``)."""

    svg: str
    data: dict[str, Any]


def _drawn(stepper: Stepper) -> list[Value]:
    """The values the picture draws, in the order that numbers their ids ``v0, v1, …``.

    As in :func:`autograd.dot.graph_source`: a constant leaf is not drawn (its number shows
    in the box that uses it).
    """
    root = stepper.root
    order = topological_order(root)
    return [node for node in order if node.op or node.requires_grad or node is root]


def step_data(stepper: Stepper, *, digits: int = 4) -> dict[str, Any]:
    """The steps of ``stepper``, with the nodes and edges they touch, as JSON-ready data.

    ``nodes`` and ``edges`` are lists of objects with the ids the picture uses; ``steps`` is
    one object per step: backward steps name their ``edge``, ``node`` and ``parent`` and give
    the ``explain()`` text and the parent's gradient before and after (as shown, ``digits``
    significant digits); forward steps name the ``node`` computed and its incoming ``edges``.
    ``start`` is the explanation at position 0. Numbers are text, as the picture shows them.

    >>> from autograd import Stepper, Value
    >>> x = Value(3.0, label="x")
    >>> data = step_data(Stepper(x * 2, mode="forward"))
    >>> data["mode"], data["start"], data["steps"][0]["explain"]
    ('forward', 'start: x = 3, 2 = 2', 'L = mul₁ = x · 2 = 3 · 2 = 6')
    >>> [(node["id"], node["name"], node["data"]) for node in data["nodes"]]
    [('v0', 'x', '3'), ('v1', 'mul₁', '6')]
    """
    drawn = _drawn(stepper)
    ids = {node: f"v{i}" for i, node in enumerate(drawn)}
    names = stepper.names
    position = stepper.position
    backward = stepper.mode == "backward"
    if backward:
        stepper.goto(len(stepper))  # the gradients the picture shows: all steps applied
    try:
        nodes = [
            {
                "id": ids[node],
                "name": names[node],
                "data": number_text(node.data, digits),
                "grad": number_text(node.grad, digits) if node.requires_grad else None,
                "computed": bool(node.op),
            }
            for node in drawn
        ]
    finally:
        stepper.goto(position)
    inputs = _inputs(drawn, ids)
    edges = [
        {
            "id": f"{ids[node]}-{index}",
            "from": ids[node.parents[index]],
            "to": ids[node],
            "index": index,
            "formula": edge_text(node, index, digits, names=names),
        }
        for node, index in inputs
    ]
    if not backward:  # forward, an edge into a value not computed yet shows "?"
        for edge, (node, index) in zip(edges, inputs, strict=True):
            edge["pending_formula"] = edge_text(node, index, digits, known=False, names=names)
    steps = []
    for step in stepper.steps:
        text = step.explain(names, loss=stepper.loss)
        if isinstance(step, Step):
            steps.append(
                {
                    "edge": f"{ids[step.node]}-{step.index}",
                    "node": ids[step.node],
                    "parent": ids[step.parent],
                    "explain": text,
                    "contribution": number_text(step.contribution, digits),
                    "grad_before": number_text(step.grad_before, digits),
                    "grad_after": number_text(step.grad_after, digits),
                }
            )
        else:
            node = step.node
            incoming = [f"{ids[node]}-{i}" for i, p in enumerate(node.parents) if p in ids]
            steps.append({"node": ids[node], "edges": incoming, "explain": text})
    return {
        "format": FORMAT,
        "mode": stepper.mode,
        "loss": stepper.loss,
        "root": ids[stepper.root],
        "root_grad": number_text(1.0, digits),
        "start": _start_text(stepper),
        "nodes": nodes,
        "edges": edges,
        "steps": steps,
    }


def _inputs(drawn: list[Value], ids: dict[Value, str]) -> list[tuple[Value, int]]:
    """Each drawn edge as (the value it goes into, which input of it), in the data's order."""
    return [
        (node, index)
        for node in drawn
        for index, parent in enumerate(node.parents)
        if parent in ids
    ]


def _start_text(stepper: Stepper) -> str:
    """The explanation at position 0, whatever position ``stepper`` is at."""
    position = stepper.position
    stepper.goto(0)
    try:
        return stepper.explain()
    finally:
        stepper.goto(position)


def playback(
    stepper: Stepper,
    *,
    rankdir: str = "LR",
    digits: int = 4,
    max_nodes: int = 500,
    timeout: float | None = 30.0,
    renderer: str = "auto",
) -> Playback:
    """Lay out ``stepper``'s graph once and gather its steps: what a page needs to play it.

    The options are :func:`autograd.draw`'s; a graph of more than ``max_nodes`` values is
    refused with ``draw``'s ``ValueError``. The picture shows the values (and, backward,
    every gradient) as they are after the last step; players fill in and fade parts to show
    any position.

    >>> from autograd import Stepper, Value
    >>> x = Value(3.0, label="x")
    >>> played = playback(Stepper(x * x), renderer="wasm")
    >>> played.svg.count('class="edge"'), len(played.data["steps"])
    (2, 2)
    """
    position = stepper.position
    backward = stepper.mode == "backward"
    if backward:
        stepper.goto(len(stepper))
    try:
        source = graph_source(
            stepper.root, rankdir=rankdir, digits=digits, show_grad=backward, max_nodes=max_nodes
        )
    finally:
        stepper.goto(position)
    svg = Drawing(source, timeout=timeout, renderer=renderer).svg()
    return Playback(svg=slim_svg(svg), data=step_data(stepper, digits=digits))


def slim_svg(svg: str) -> str:
    """Graphviz's SVG without what a page does not need, so big graphs stay small files.

    Out go the XML prolog and doctype, comments, the ``<title>`` of each node and edge (their
    ids; a page shows its own hover text) and the font family repeated on every text, which
    is set once on the ``<svg>`` element instead (the texts inherit it).

    >>> print(slim_svg('<?xml?><svg><!-- v0 --><g id="v0"><title>v0</title>'
    ...       '<text font-family="DejaVu Sans,Verdana,sans-serif">x &lt;b&gt;</text></g></svg>'))
    <svg font-family="DejaVu Sans,Verdana,sans-serif"><g id="v0"><text>x &lt;b&gt;</text></g></svg>
    """
    svg = svg[svg.find("<svg") :]
    # Labels are escaped in the SVG text (&lt;), so these patterns only meet Graphviz's markup.
    svg = _COMMENT.sub("", svg)
    svg = _TITLE.sub("", svg)
    svg = svg.replace(f' font-family="{palette.FONT_FALLBACKS}"', "")
    return svg.replace("<svg", f'<svg font-family="{palette.FONT_FALLBACKS}"', 1)
