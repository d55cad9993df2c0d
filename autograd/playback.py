"""What a page plays to step through a graph: its picture, laid out once, and every step as data.

A :class:`Playback` holds the SVG of the whole graph (rendered once, with stable ids on every
node and edge, see :func:`autograd.dot.graph_source`) and a JSON-ready dict: one object per
node, per edge and per step. The page (:mod:`autograd.page`) and the notebook widget
(:mod:`autograd.widgets`) apply a step as styling, so stepping never re-runs Graphviz and the
layout never moves. Steps are objects so that more fields can be added without breaking
players that do not know them. With ``predict`` (``"contribution"`` or ``"local"``) each
backward step also carries what the learner is asked for, the right number and the likely
wrong numbers with their hints (:func:`autograd.mistakes.step_mistakes`), for the page to check
a prediction before it reveals the step.

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
from autograd.mistakes import QUANTITIES, same_number, step_mistakes
from autograd.steps import Step
from autograd.text import number_text
from autograd.value import topological_order

if TYPE_CHECKING:
    from collections.abc import Mapping

    from autograd.stepper import Stepper
    from autograd.value import Value

__all__ = ["FORMAT", "Playback", "check_predict", "playback", "slim_svg", "step_data"]

FORMAT = 1  # the version of the data's layout; players check it
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_TITLE = re.compile(r"<title>[^<]*</title>\n?")
# same_number's tolerance, which the page applies to a prediction.
_RTOL, _ATOL = same_number.__defaults__


def check_predict(predict: object, mode: str) -> None:
    """Refuse a ``predict`` option that is not ``None``, ``"contribution"`` or ``"local"``, or
    that is given for a forward pass (its steps have no derivative to predict).

    >>> check_predict("local", "backward")
    >>> check_predict("grad", "backward")
    Traceback (most recent call last):
    ...
    ValueError: predict must be 'contribution' (what each step adds to a gradient), 'local' \
(each step's local derivative) or None (no predicting), not 'grad'
    """
    if predict is None:
        return
    if not isinstance(predict, str) or predict not in QUANTITIES:
        raise ValueError(
            "predict must be 'contribution' (what each step adds to a gradient), 'local' "
            f"(each step's local derivative) or None (no predicting), not {predict!r}"
        )
    if mode != "backward":
        raise ValueError(
            f"predict={predict!r} needs the backward pass: a {mode} step has no derivative to "
            "predict; use mode='backward' or leave predict out"
        )


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


def step_data(stepper: Stepper, *, digits: int = 4, predict: str | None = None) -> dict[str, Any]:
    """The steps of ``stepper``, with the nodes and edges they touch, as JSON-ready data.

    ``nodes`` and ``edges`` are lists of objects with the ids the picture uses; ``steps`` is
    one object per step: backward steps name their ``edge``, ``node`` and ``parent`` and give
    the ``explain()`` text and the parent's gradient before and after (as shown, ``digits``
    significant digits); forward steps name the ``node`` computed and its incoming ``edges``.
    ``start`` is the explanation at position 0. Numbers are text, as the picture shows them.

    With ``predict`` (``"contribution"`` or ``"local"``, backward only) the data gains
    ``predict``, the tolerance ``rtol``/``atol`` of :func:`autograd.mistakes.same_number`, and
    each step an ``ask`` (the question), the ``expected`` number, ``expected_text`` and
    ``mistakes``: ``[wrong number, hint]`` pairs, in the order
    to try them. Edges gain ``pending_formula``, shown until their step is revealed.

    >>> from autograd import Stepper, Value
    >>> x = Value(3.0, label="x")
    >>> data = step_data(Stepper(x * 2, mode="forward"))
    >>> data["mode"], data["start"], data["steps"][0]["explain"]
    ('forward', 'start: x = 3, 2 = 2', 'L = mul₁ = x · 2 = 3 · 2 = 6')
    >>> [(node["id"], node["name"], node["data"]) for node in data["nodes"]]
    [('v0', 'x', '3'), ('v1', 'mul₁', '6')]
    >>> step = step_data(Stepper(x * 2), predict="contribution")["steps"][0]
    >>> step["ask"], step["expected"], [number for number, hint in step["mistakes"]]
    ('What does this step add to ∂L/∂x?', 2.0, [-2.0, 1.0, 3.0, 6.0])
    >>> print(step["mistakes"][0][1])
    The sign is wrong: ∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = 2 · 1 = 2.
    """
    check_predict(predict, stepper.mode)
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
    if not backward or predict:  # an edge not known (or not revealed) yet shows "?"
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
            if predict:
                steps[-1].update(_prediction(step, names, stepper.loss, predict, digits))
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
    } | ({"predict": predict, "rtol": _RTOL, "atol": _ATOL} if predict else {})


def _prediction(
    step: Step, names: Mapping[Value, str], loss: str, quantity: str, digits: int
) -> dict[str, Any]:
    """What the page needs to check a prediction of ``step``'s ``quantity``."""
    node, parent = names[step.node], names[step.parent]
    if quantity == "local":
        ask = f"What is the local derivative ∂{node}/∂{parent}?"
        if step.node.parents.count(step.parent) > 1:
            ask = f"What is the local derivative ∂{node}/∂{parent} (input {step.index + 1})?"
        right = step.local_grad
    else:
        ask = f"What does this step add to ∂{loss}/∂{parent}?"
        right = step.contribution
    # A slip within the tolerance of the right answer would be marked right anyway.
    mistakes = [
        [number, hint]
        for number, hint in step_mistakes(step, names, quantity)
        if not same_number(number, right)
    ]
    return {
        "ask": ask,
        "expected": right,
        "expected_text": number_text(right, digits),
        "mistakes": mistakes,
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
    predict: str | None = None,
) -> Playback:
    """Lay out ``stepper``'s graph once and gather its steps: what a page needs to play it.

    The options are :func:`autograd.draw`'s; a graph of more than ``max_nodes`` values is
    refused with ``draw``'s ``ValueError``. The picture shows the values (and, backward,
    every gradient) as they are after the last step; players fill in and fade parts to show
    any position. ``predict`` (``"contribution"`` or ``"local"``) adds what a page needs to
    ask for each step's number before revealing it (see :func:`step_data`).

    >>> from autograd import Stepper, Value
    >>> x = Value(3.0, label="x")
    >>> played = playback(Stepper(x * x), renderer="wasm")
    >>> played.svg.count('class="edge"'), len(played.data["steps"])
    (2, 2)
    """
    check_predict(predict, stepper.mode)
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
    return Playback(svg=slim_svg(svg), data=step_data(stepper, digits=digits, predict=predict))


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
