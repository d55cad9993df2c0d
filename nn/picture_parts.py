"""The pieces of the network picture's DOT text: a neuron (text or image), a column, quoting.

>>> print(quote('say "hi"'), number_text(-0.00001, 2), number_text(-0.0, 2))
"say \\"hi\\"" -1e-05 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from autograd import palette
from autograd.dot import escape_label
from autograd.text import number_text

__all__ = ["Drawn", "Picture", "escape", "fraction", "quote", "stripes"]


@dataclass
class Drawn:
    """The DOT lines of one neuron, its nodes (top to bottom) and where links attach."""

    lines: list[str]
    nodes: list[str]
    tail: str
    head: str


class Picture:
    """Builds the DOT lines of neurons and columns with one set of display options."""

    def __init__(
        self, digits: int, show_bias: bool, shape: tuple[int, int] | None, rankdir: str
    ) -> None:
        self.digits = digits
        self.show_bias = show_bias
        self.shape = shape
        self.rankdir = rankdir
        # Image rows are separate nodes of one column, so they sit as close as DOT allows.
        self.nodesep = 0.2 if shape is None else 0.02
        self.pixel = 0.0 if shape is None else max(0.06, min(0.25, 0.8 / max(shape)))

    def neuron(
        self,
        node_id: str,
        text: list[str],
        value: float | None,
        field: list[float] | None,
        mask: list[bool] | None,
        *,
        tooltip: str,
        flag: Any,  # an nn.activity.NeuronFlag, or None
    ) -> Drawn:
        font = palette.TEXT if value is None else palette.text_color_on(value)
        fill = palette.NODE_FILL if value is None else palette.shade(value)
        style = "filled" if self.shape is None else "filled,rounded"
        attributes = [
            f'style="{style}{",dashed" if flag else ""}"',
            f'fillcolor="{fill}"',
            f'fontcolor="{font}"',
            f"label={quote(chr(10).join(text))}",
            f"tooltip={quote(tooltip)}",
        ]
        if flag is not None:
            attributes += [f'color="{palette.FLAG}"', "penwidth=3"]
        if self.shape is None or field is None or mask is None:
            attributes[:0] = ["shape=circle", "width=0.5"]
            line = f"  {node_id} [{', '.join(attributes)}];"
            return Drawn([line], [node_id], node_id, node_id)
        rows, columns = self.shape
        attributes[:0] = ["shape=box", "height=0.25", "margin=0.04"]
        lines = []
        ids = []
        outline = [f'color="{palette.FLAG}"', "penwidth=2"] if flag else ["penwidth=0.5"]
        for r in range(rows):
            row_id = f"{node_id}_r{r + 1}"
            ids.append(row_id)
            fill = stripes(field[r * columns : (r + 1) * columns], mask[r * columns :])
            pixels = ", ".join(
                number_text(field[r * columns + c], 4) if mask[r * columns + c] else "any"
                for c in range(columns)
            )
            lines.append(
                f'  {row_id} [shape=box, style=striped, fillcolor="{fill}", label="", '
                f"width={columns * self.pixel:g}, height={self.pixel:g}, fixedsize=true, "
                f"{', '.join(outline)}, tooltip={quote(f'{tooltip}. Row {r + 1}: {pixels}')}];"
            )
        lines.append(f"  {node_id} [{', '.join(attributes)}];")
        ids.append(node_id)
        # Links meet the image at the middle of its height: the middle row, or between two.
        middle = rows // 2
        if rows % 2:
            tail = head = f"{node_id}_r{middle + 1}"
        else:
            east, west = ("se", "sw") if self.rankdir == "LR" else ("sw", "se")
            tail, head = f"{node_id}_r{middle}:{east}", f"{node_id}_r{middle}:{west}"
        return Drawn(lines, ids, tail, head)

    def column(self, number: int, heading: str, neurons: list[Drawn]) -> list[str]:
        """A column: a heading above its neurons, held in one rank and in order."""
        head = f"layer{number}"
        order = [head]
        lines = [f"  {head} [shape=plaintext, label={quote(heading)}, fontsize=11];"]
        for position, neuron in enumerate(neurons):
            lines += neuron.lines
            if self.shape is not None and position:
                gap = f"{head}_gap{position}"  # space between two images
                lines.append(f"  {gap} [style=invis, shape=point, width=0.12, height=0.12];")
                order.append(gap)
            order += neuron.nodes
        lines.append(f"  {{rank=same; {'; '.join(order)};}}")
        lines.append(f"  {' -> '.join(order)} [style=invis];")
        # A heavy edge between the parts of one neuron keeps its image rows and text together.
        lines += [
            f"  {' -> '.join(neuron.nodes)} [style=invis, weight=100];"
            for neuron in neurons
            if len(neuron.nodes) > 1
        ]
        if number > 0:
            lines.append(f"  layer{number - 1} -> {head} [style=invis];")
        return lines


def stripes(row: list[float], mask: list[bool]) -> str:
    """A DOT ``striped`` fill: one stripe per pixel, four thin black/white ones for "any"."""
    share = 1.0 / len(row)
    parts = []
    for value, matters in zip(row, mask, strict=False):
        if matters:
            parts.append(f"{palette.shade(value)};{fraction(share)}")
        else:
            for k in range(4):
                colour = palette.POSITIVE if k % 2 == 0 else palette.NEGATIVE
                parts.append(f"{colour};{fraction(share / 4)}")
    return ":".join(parts)


def fraction(share: float) -> str:
    # Rounded down so that the shares never add up to more than 1 (DOT would complain).
    return f"{math.floor(share * 1e6) / 1e6:.6f}".rstrip("0")


def quote(text: str) -> str:
    """A DOT double-quoted string whose text shows exactly as given (newlines as line breaks)."""
    return '"' + escape(text) + '"'


def escape(text: str) -> str:
    """Text for inside a DOT double-quoted label, shown as written: the computation graph's
    escaping (backslashes, ``&`` entities, newlines, control characters), plus the quotes."""
    return escape_label(text).replace('"', '\\"')
