"""Pictures of networks as the lecture draws them, and plots of training and decision boundaries.

:func:`draw_network` draws neurons in columns, one per layer, linked by white (positive) and
black (negative) lines as thick as the weights are large, on a mid-grey canvas. It can show
each neuron's value on an input, its receptive field as a little pixel image, and mark the
neurons that are dead (ReLU) or saturated (tanh, sigmoid) on a batch of inputs.

>>> from nn import MLP
>>> model = MLP(4, [2, 1], seed=0)
>>> source = network_dot(model, input=[1, 1, -1, -1])
>>> source.startswith("digraph network {"), source.count('tooltip="w = ')
(True, 10)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from autograd import palette
from autograd.dot import escape_label
from autograd.ops import subscript
from nn.activations import ACTIVATIONS
from nn.network import activation_on_arrays, bias_of, model_layers, relevant_inputs, weights_of
from nn.receptive import receptive_fields as find_receptive_fields

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from autograd import Drawing

__all__ = [
    "SIGMOID_SATURATION",
    "TANH_SATURATION",
    "NeuronFlag",
    "draw_network",
    "network_dot",
    "neuron_flags",
    "neuron_values",
    "plot_decision_boundary",
    "plot_history",
]

# A tanh neuron is saturated where |output| > 0.99: its slope 1 - out² is then below 0.02.
TANH_SATURATION = 0.99
# A sigmoid neuron is saturated outside [0.01, 0.99]: its slope out·(1 - out) is below 0.0099.
SIGMOID_SATURATION = (0.01, 0.99)

RANKDIRS = ("LR", "RL", "TB", "BT")
LINK_TEXT = "white link: positive weight, black link: negative weight"


# ---------------------------------------------------------------------------------------------
# Reading the network: values on one input, flags on a batch.


def neuron_values(model: Any, input: Sequence[float]) -> list[list[float]]:
    """The value of every neuron on ``input``: a list per layer of the neurons' outputs.

    The model's own layers compute them under ``autograd.no_grad()`` (no graph is built), so
    the last list equals ``model(input)``; Dropout is skipped, as in evaluation mode.

    >>> from nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> values = neuron_values(model, [0.5, -1.0])
    >>> [len(layer) for layer in values]
    [3, 1]
    >>> values[-1] == [model([0.5, -1.0]).data]
    True
    """
    layers = model_layers(model)
    x = _one_input(input, _nin(layers), "neuron_values")
    return [outputs for _, outputs in _forward(layers, x)]


@dataclass(frozen=True)
class NeuronFlag:
    """A neuron a learner should look at: ``kind`` is ``"dead"`` or ``"saturated"``.

    ``layer`` and ``neuron`` index ``model.layers[layer].neurons[neuron]`` (from 0);
    ``message`` says what is wrong in words.

    >>> from nn import MLP
    >>> model = MLP(2, [2, 1], activation="relu", seed=0)
    >>> first, second = model.layers[0].neurons
    >>> for dead, alive in zip(first.w, second.w):
    ...     dead.data, alive.data = -1.0, 1.0  # on positive inputs: never fires, always fires
    >>> [(f.layer, f.neuron, f.kind) for f in neuron_flags(model, [[1.0, 1.0], [0.5, 2.0]])]
    [(0, 0, 'dead')]
    """

    layer: int
    neuron: int
    kind: str
    message: str


def neuron_flags(model: Any, inputs: Sequence[Sequence[float]]) -> list[NeuronFlag]:
    """The neurons that are dead or saturated on **every** input of the batch ``inputs``.

    - A ReLU neuron is *dead* when its weighted sum is ≤ 0 on all of them: it outputs 0 and
      passes no gradient back, so it cannot learn from these inputs.
    - A tanh neuron is *saturated* when ``|output| > TANH_SATURATION`` (0.99) on all of them, a
      sigmoid neuron when its output is outside ``SIGMOID_SATURATION`` ([0.01, 0.99]) on all
      of them: its slope is then almost 0 and it learns very slowly.

    Linear neurons are never flagged. Flags come in layer order, then neuron order.

    >>> from nn import Layer
    >>> layer = Layer(2, 2, activation="relu", seed=0)
    >>> layer.neurons[1].b.data = -10.0
    >>> [(f.layer, f.neuron, f.kind) for f in neuron_flags(layer, [[1, 0], [0, 1]])]
    [(0, 1, 'dead')]
    """
    layers = model_layers(model)
    batch = _batch(inputs, _nin(layers), "neuron_flags")
    stuck = [(ACTIVATIONS[layer.activation].stuck, len(layer.neurons)) for layer in layers]
    dead = [[kind == "dead"] * count for kind, count in stuck]
    saturated = [[kind == "saturated"] * count for kind, count in stuck]
    largest_sum = [[-math.inf] * len(layer.neurons) for layer in layers]
    low, high = SIGMOID_SATURATION
    for x in batch:
        for index, (layer, (pre, out)) in enumerate(zip(layers, _forward(layers, x), strict=True)):
            for j in range(len(layer.neurons)):
                largest_sum[index][j] = max(largest_sum[index][j], pre[j])
                if pre[j] > 0.0:
                    dead[index][j] = False
                if layer.activation == "tanh" and abs(out[j]) <= TANH_SATURATION:
                    saturated[index][j] = False
                if layer.activation == "sigmoid" and low <= out[j] <= high:
                    saturated[index][j] = False
    count = len(batch)
    flags = []
    for index, layer in enumerate(layers):
        for j in range(len(layer.neurons)):
            where = f"layer {index + 1} neuron {j + 1} ({layer.activation})"
            if dead[index][j]:
                message = (
                    f"{where} is dead: its weighted sum is <= 0 on all {count} inputs (at most "
                    f"{_number(largest_sum[index][j], 4)}), so it outputs 0 and passes back no "
                    "gradient."
                )
                flags.append(NeuronFlag(index, j, "dead", message))
            elif saturated[index][j]:
                if layer.activation == "tanh":
                    limit = f"|output| > {TANH_SATURATION}"
                else:
                    limit = f"output outside [{low}, {high}]"
                message = (
                    f"{where} is saturated: {limit} on all {count} inputs, so its slope is "
                    "almost 0 and it learns very slowly."
                )
                flags.append(NeuronFlag(index, j, "saturated", message))
    return flags


def _forward(layers: Sequence[Any], x: list[float]) -> list[tuple[list[float], list[float]]]:
    """Per layer: the weighted sums (from the weights) and outputs (from the layer itself)."""
    from autograd import no_grad

    result = []
    h = x
    with no_grad():
        for layer in layers:
            pre = [
                math.fsum(w * v for w, v in zip(weights_of(n), h, strict=True)) + bias_of(n)
                for n in layer.neurons
            ]
            h = [_data(v) for v in layer(h)]
            result.append((pre, h))
    return result


def _data(value: Any) -> float:
    return float(getattr(value, "data", value))


def _nin(layers: Sequence[Any]) -> int:
    return len(layers[0].neurons[0].w)


def _one_input(x: object, nin: int, who: str, what: str = "input") -> list[float]:
    if isinstance(x, str | bytes | Mapping | Set) or not isinstance(x, Sequence):
        raise TypeError(
            f"{who}: {what} must be a list of {nin} numbers (one per input neuron), not "
            f"{type(x).__name__} ({x!r:.60})."
        )
    if len(x) != nin:
        raise ValueError(
            f"{who}: {what} has {len(x)} numbers but the model takes {nin} inputs; give one "
            "number per input neuron."
        )
    numbers = []
    for position, item in enumerate(x, start=1):
        number = getattr(item, "data", item)
        if isinstance(number, bool | str | bytes) or not isinstance(number, int | float):
            raise TypeError(
                f"{who}: item {position} of {what} is {type(item).__name__} ({item!r:.40}), "
                "not a number."
            )
        if not math.isfinite(number):
            raise ValueError(f"{who}: item {position} of {what} is {number!r}; use finite numbers.")
        numbers.append(float(number))
    return numbers


def _batch(inputs: object, nin: int, who: str) -> list[list[float]]:
    if isinstance(inputs, str | bytes | Mapping | Set) or not isinstance(inputs, Sequence):
        raise TypeError(
            f"{who}: inputs must be a list of inputs (each a list of {nin} numbers), not "
            f"{type(inputs).__name__}."
        )
    if not inputs:
        raise ValueError(f"{who}: inputs is empty; give at least one input.")
    return [_one_input(x, nin, who, f"input {i}") for i, x in enumerate(inputs, start=1)]


# ---------------------------------------------------------------------------------------------
# The network picture.


def draw_network(
    model: Any,
    input: Sequence[float] | None = None,
    inputs: Sequence[Sequence[float]] | None = None,
    *,
    receptive_fields: bool = False,
    shape: tuple[int, int] | None = None,
    threshold: float = 0.0,
    digits: int = 2,
    rankdir: str = "LR",
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    title: str | None = None,
    show_bias: bool = True,
    timeout: float = 30.0,
    renderer: str = "auto",
) -> Drawing:
    """The lecture's picture of ``model``, as an :class:`autograd.Drawing`.

    Displays inline in Jupyter and saves to SVG with no system Graphviz. Links are white for
    positive weights and black for negative ones, thicker for larger ``|w|``.

    - ``input``: one input; each neuron is shaded by its value on it (black -1 … white +1).
    - ``inputs``: a batch; ReLU neurons dead on all of it and saturated tanh/sigmoid neurons
      get a red dashed outline.
    - ``receptive_fields``: draw each neuron as the input image that maximises it, with
      ``shape`` (rows, columns) of that image (default: square if possible, else one row).
    - ``threshold``: hide links with ``|w|`` below it; ``digits``: significant digits shown.
    - ``rankdir``: "LR" (columns left to right) or "RL", or "TB"/"BT" without fields.
    - ``input_names``, ``output_names``, ``title``, ``show_bias``: labels and bias display.
    - ``timeout``, ``renderer``: passed to the :class:`autograd.Drawing`; ``timeout`` also
      limits the receptive-field search (see :func:`nn.receptive_fields`).

    :func:`network_dot` builds the same DOT text without rendering, and documents each option.

    >>> from nn import MLP
    >>> drawing = draw_network(MLP(4, [4, 4], seed=0), receptive_fields=True)
    >>> drawing.source == network_dot(MLP(4, [4, 4], seed=0), receptive_fields=True)
    True
    """
    from autograd import Drawing

    source = network_dot(
        model,
        input,
        inputs,
        receptive_fields=receptive_fields,
        shape=shape,
        threshold=threshold,
        digits=digits,
        rankdir=rankdir,
        input_names=input_names,
        output_names=output_names,
        title=title,
        show_bias=show_bias,
        timeout=timeout,
    )
    return Drawing(source, timeout=timeout, renderer=renderer)


def network_dot(
    model: Any,
    input: Sequence[float] | None = None,
    inputs: Sequence[Sequence[float]] | None = None,
    *,
    receptive_fields: bool = False,
    shape: tuple[int, int] | None = None,
    threshold: float = 0.0,
    digits: int = 2,
    rankdir: str = "LR",
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    title: str | None = None,
    show_bias: bool = True,
    timeout: float | None = 30.0,
) -> str:
    """The DOT text of the network picture (pure: nothing is rendered).

    - Input neurons come first, then one column per layer headed by its activation. Node ids
      are ``x1 … xn`` for inputs and ``L2N3`` for neuron 3 of layer 2 (as in parameter names).
    - Links: white for a positive weight, black for a negative one, pen width proportional to
      ``|w|`` relative to the largest ``|w|`` in the model. Links with weight 0 (as in the
      lecture, "missing entirely") or ``|w| < threshold`` are not drawn.
    - Each neuron shows its bias (``show_bias``); numbers have ``digits`` significant digits.
    - ``input=``: every neuron is filled with the shade of its value on that input (black -1,
      grey 0, white +1) and shows the number (see :func:`neuron_values`).
    - ``inputs=`` (a batch): dead and saturated neurons (see :func:`neuron_flags`) get a red
      dashed outline, explained in the legend.
    - ``receptive_fields=True``: each neuron is drawn as its receptive field (see
      :func:`nn.receptive_fields`), a ``shape`` = (rows, columns) image of squares, white +1,
      black -1, grey between, striped black and white where the pixel does not matter; its
      numbers go in a box below (the node ``L2N3``; the image rows are ``L2N3_r1`` ...).
      ``shape`` defaults to a square when the number of inputs is a perfect square, else one
      row. Images need columns that run left to right: ``rankdir`` "LR" or "RL".
    - ``input_names``, ``output_names`` and ``title`` are shown exactly as given (escaped).
    - ``timeout``: seconds the receptive-field search may take (``TimeoutError`` after).

    Only plain-text labels are used (no HTML-like labels), so every Graphviz renders it.

    >>> from nn import MLP
    >>> model = MLP(2, [1], seed=0)
    >>> model.layers[0].neurons[0].w[0].data = -0.5
    >>> edge = [line for line in network_dot(model).splitlines() if "x1 -> L1N1" in line][0]
    >>> 'color="#000000"' in edge
    True
    """
    layers = model_layers(model)
    nin = _nin(layers)
    x = None if input is None else _one_input(input, nin, "draw_network")
    batch = None if inputs is None else _batch(inputs, nin, "draw_network")
    threshold = _check_threshold(threshold)
    digits = _check_digits(digits)
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}.")
    image_shape = None
    if receptive_fields or shape is not None:
        image_shape = _image_shape(shape, nin)
    if receptive_fields and rankdir not in ("LR", "RL"):
        raise ValueError(
            f"receptive-field pictures stack each image's rows in a column, so they are drawn "
            f"with rankdir 'LR' or 'RL', not {rankdir!r}."
        )
    names_in = _names(input_names, nin, "input_names")
    names_out = _names(output_names, len(layers[-1].neurons), "output_names")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"draw_network: title must be a str, not {type(title).__name__}.")

    picture = _Picture(digits, show_bias, image_shape if receptive_fields else None, rankdir)
    values = None if x is None else _forward(layers, x)
    flags = {} if batch is None else {(f.layer, f.neuron): f for f in neuron_flags(model, batch)}
    fields = find_receptive_fields(model, timeout=timeout) if receptive_fields else None
    masks = relevant_inputs(layers) if receptive_fields else None

    lines = [
        "digraph network {",
        f'  graph [rankdir={rankdir}, bgcolor="{palette.BACKGROUND}", splines=line, '
        f'nodesep={picture.nodesep}, ranksep=1.1, fontname="Helvetica", fontsize=11, '
        "labelloc=t, labeljust=l];",
        '  node [fontname="Helvetica", fontsize=10, penwidth=1, color="#404040"];',
        "  edge [arrowhead=none];",
    ]
    # Column 0: the input neurons; an input neuron's receptive field is its own pixel.
    column = []
    for i in range(nin):
        name = names_in[i] if names_in else f"x{subscript(i + 1)}"
        value = None if x is None else x[i]
        tooltip = f"input {name}" + ("" if value is None else f" = {value!r}")
        text = [name] if value is None else [name, _number(value, digits)]
        one_hot = [1.0 if k == i else 0.0 for k in range(nin)]
        column.append(
            picture.neuron(
                f"x{i + 1}",
                text,
                value,
                one_hot,
                [k == i for k in range(nin)],
                tooltip=tooltip,
                flag=None,
            )
        )
    lines += picture.column(0, "inputs", column)

    largest = max(abs(w) for layer in layers for n in layer.neurons for w in weights_of(n))
    hidden_links = 0
    links = []
    for index, layer in enumerate(layers):
        number = index + 1
        last = number == len(layers)
        tails = [neuron.tail for neuron in column]
        column = []
        for j, neuron in enumerate(layer.neurons):
            value = None if values is None else values[index][1][j]
            flag = flags.get((index, j))
            tooltip = f"layer {number}, neuron {j + 1} ({layer.activation})"
            if neuron.b is not None:
                tooltip += f", bias {bias_of(neuron)!r}"
            if value is not None:
                tooltip += f", value {value!r}"
            if flag is not None:
                tooltip += ". " + flag.message
            text = [names_out[j]] if (last and names_out) else []
            if value is not None:
                text.append(_number(value, digits))
            if show_bias and neuron.b is not None:
                text.append(f"b = {_number(bias_of(neuron), digits)}")
            drawn = picture.neuron(
                f"L{number}N{j + 1}",
                text,
                value,
                None if fields is None else fields[index][j],
                None if masks is None else masks[index][j],
                tooltip=tooltip,
                flag=flag,
            )
            column.append(drawn)
            for tail, w in zip(tails, weights_of(neuron), strict=True):
                if w == 0.0 or abs(w) < threshold:
                    hidden_links += 1
                    continue
                links.append(
                    f'  {tail} -> {drawn.head} [color="{palette.sign_color(w)}", '
                    f'penwidth="{palette.line_width(w, largest)}", tooltip={_quote(f"w = {w!r}")}];'
                )
        heading = f"layer {number}" + (" (output)" if last and number > 1 else "")
        lines += picture.column(number, f"{heading}\n{layer.activation}", column)
    lines += links
    legend = _legend(
        largest,
        hidden_links,
        threshold,
        values=x is not None,
        fields=fields is not None,
        batch=None if batch is None else (len(batch), len(flags)),
        digits=digits,
    )
    label = (_escape(title) + "\\l" if title else "") + "".join(
        _escape(line) + "\\l" for line in legend
    )
    lines.append(f'  label="{label}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


@dataclass
class _Drawn:
    """The DOT lines of one neuron, its nodes (top to bottom) and where links attach."""

    lines: list[str]
    nodes: list[str]
    tail: str
    head: str


class _Picture:
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
        flag: NeuronFlag | None,
    ) -> _Drawn:
        font = palette.TEXT if value is None else palette.text_color_on(value)
        fill = palette.NODE_FILL if value is None else palette.shade(value)
        style = "filled" if self.shape is None else "filled,rounded"
        attributes = [
            f'style="{style}{",dashed" if flag else ""}"',
            f'fillcolor="{fill}"',
            f'fontcolor="{font}"',
            f"label={_quote(chr(10).join(text))}",
            f"tooltip={_quote(tooltip)}",
        ]
        if flag is not None:
            attributes += [f'color="{palette.FLAG}"', "penwidth=3"]
        if self.shape is None or field is None or mask is None:
            attributes[:0] = ["shape=circle", "width=0.5"]
            line = f"  {node_id} [{', '.join(attributes)}];"
            return _Drawn([line], [node_id], node_id, node_id)
        rows, columns = self.shape
        attributes[:0] = ["shape=box", "height=0.25", "margin=0.04"]
        lines = []
        ids = []
        outline = [f'color="{palette.FLAG}"', "penwidth=2"] if flag else ["penwidth=0.5"]
        for r in range(rows):
            row_id = f"{node_id}_r{r + 1}"
            ids.append(row_id)
            stripes = _stripes(field[r * columns : (r + 1) * columns], mask[r * columns :])
            pixels = ", ".join(
                _number(field[r * columns + c], 4) if mask[r * columns + c] else "any"
                for c in range(columns)
            )
            lines.append(
                f'  {row_id} [shape=box, style=striped, fillcolor="{stripes}", label="", '
                f"width={columns * self.pixel:g}, height={self.pixel:g}, fixedsize=true, "
                f"{', '.join(outline)}, tooltip={_quote(f'{tooltip}. Row {r + 1}: {pixels}')}];"
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
        return _Drawn(lines, ids, tail, head)

    def column(self, number: int, heading: str, neurons: list[_Drawn]) -> list[str]:
        """A column: a heading above its neurons, held in one rank and in order."""
        head = f"layer{number}"
        order = [head]
        lines = [f"  {head} [shape=plaintext, label={_quote(heading)}, fontsize=11];"]
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


def _stripes(row: list[float], mask: list[bool]) -> str:
    """A DOT ``striped`` fill: one stripe per pixel, four thin black/white ones for "any"."""
    share = 1.0 / len(row)
    parts = []
    for value, matters in zip(row, mask, strict=False):
        if matters:
            parts.append(f"{palette.shade(value)};{_fraction(share)}")
        else:
            for k in range(4):
                colour = palette.POSITIVE if k % 2 == 0 else palette.NEGATIVE
                parts.append(f"{colour};{_fraction(share / 4)}")
    return ":".join(parts)


def _fraction(share: float) -> str:
    # Rounded down so that the shares never add up to more than 1 (DOT would complain).
    return f"{math.floor(share * 1e6) / 1e6:.6f}".rstrip("0")


def _legend(
    largest: float,
    hidden_links: int,
    threshold: float,
    *,
    values: bool,
    fields: bool,
    batch: tuple[int, int] | None,
    digits: int,
) -> list[str]:
    lines = [LINK_TEXT, f"thickness ∝ |w| (thickest: |w| = {_number(largest, digits)})"]
    if hidden_links:
        limit = "weight 0" if threshold == 0 else f"|w| < {_number(threshold, 4)}"
        lines.append(f"{hidden_links} link{'s' if hidden_links > 1 else ''} with {limit} not drawn")
    if values:
        lines.append("shade: the neuron's value (black -1, grey 0, white +1)")
    if fields:
        lines += [
            "images: receptive fields, the input that makes",
            "each neuron as large as it can be",
            "(white +1, black -1, striped: that pixel does not matter)",
        ]
    if batch is not None:
        count, flagged = batch
        if flagged:
            low, high = SIGMOID_SATURATION
            lines += [
                f"red dashed: dead or saturated on all {count} inputs",
                f"(ReLU sum <= 0; |tanh| > {TANH_SATURATION}; sigmoid < {low} or > {high})",
            ]
        else:
            lines.append(f"no dead or saturated neurons on these {count} inputs")
    return lines


def _check_threshold(threshold: object) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise TypeError(
            f"draw_network: threshold must be a number, not {type(threshold).__name__}."
        )
    if not threshold >= 0:
        raise ValueError(
            f"draw_network: threshold must be >= 0 (links with |w| below it are hidden), "
            f"got {threshold!r}."
        )
    return float(threshold)


def _check_digits(digits: object) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise TypeError(f"draw_network: digits must be an int, not {type(digits).__name__}.")
    if not 1 <= digits <= 17:
        raise ValueError(f"draw_network: digits must be between 1 and 17, got {digits}.")
    return digits


def _image_shape(shape: object, nin: int) -> tuple[int, int]:
    if shape is None:
        side = math.isqrt(nin)
        return (side, side) if side * side == nin else (1, nin)
    if (
        not isinstance(shape, tuple | list)
        or len(shape) != 2
        or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in shape)
    ):
        raise ValueError(
            f"draw_network: shape must be (rows, columns), two positive ints, got {shape!r:.40}."
        )
    rows, columns = shape
    if rows * columns != nin:
        raise ValueError(
            f"draw_network: shape {rows}x{columns} has {rows * columns} pixels but the model "
            f"takes {nin} inputs; choose rows x columns = {nin}."
        )
    return rows, columns


def _names(names: object, count: int, what: str) -> list[str] | None:
    if names is None:
        return None
    if isinstance(names, str | bytes) or not isinstance(names, Sequence):
        raise TypeError(f"draw_network: {what} must be a list of {count} str, not {names!r:.40}.")
    if len(names) != count:
        raise ValueError(f"draw_network: {what} has {len(names)} names but {count} are needed.")
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"draw_network: every entry of {what} must be a str, got {type(name).__name__}."
            )
    return list(names)


def _number(number: float, digits: int) -> str:
    """``number`` with ``digits`` significant digits, ASCII minus, and no "-0"."""
    text = f"{number:.{digits}g}"
    return "0" if text in ("-0", "-0.0") else text


def _quote(text: str) -> str:
    """A DOT double-quoted string whose text shows exactly as given (newlines as line breaks)."""
    return '"' + _escape(text) + '"'


def _escape(text: str) -> str:
    """Text for inside a DOT double-quoted label, shown as written: the computation graph's
    escaping (backslashes, ``&`` entities, newlines, control characters), plus the quotes."""
    return escape_label(text).replace('"', '\\"')


# ---------------------------------------------------------------------------------------------
# Plots (matplotlib, imported when a plot is made).


def plot_history(history: Any, ax: Axes | None = None) -> Figure:
    """Loss (left axis) and accuracy (right axis) per epoch of ``history`` (an ``nn.History``).

    Draws on ``ax`` if given, else on a new figure made without pyplot (no window needed);
    returns the figure. Accuracy is drawn when the history has one number per epoch.

    >>> from nn import History
    >>> figure = plot_history(History(loss=[1.0, 0.5, 0.2], accuracy=[0.5, 0.75, 1.0]))
    >>> [[float(y) for y in line.get_ydata()] for ax in figure.axes for line in ax.lines]
    [[1.0, 0.5, 0.2], [0.5, 0.75, 1.0]]
    """
    loss = _series(history, "loss")
    if not loss:
        raise ValueError("plot_history: the history has no epochs yet; train the model first.")
    accuracy = _series(history, "accuracy", required=False)
    figure, ax = _figure_and_axes(ax, "plot_history")
    from matplotlib.ticker import MaxNLocator

    epochs = list(range(1, len(loss) + 1))
    marker = "." if len(loss) < 30 else None
    handles = ax.plot(epochs, loss, color="#1f77b4", marker=marker, label="loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.set_title("training")
    if accuracy and len(accuracy) == len(loss) and all(a is not None for a in accuracy):
        right = ax.twinx()
        handles += right.plot(epochs, accuracy, color="#ff7f0e", marker=marker, label="accuracy")
        right.set_ylabel("accuracy")
        right.set_ylim(-0.02, 1.02 if max(accuracy) <= 1.0 else max(accuracy) * 1.02)
    ax.legend(handles=handles, loc="center right")
    return figure


def _series(history: Any, name: str, required: bool = True) -> list[Any]:
    series = getattr(history, name, None)
    if series is None:
        if required:
            raise TypeError(
                f"plot_history needs a training history with a .{name} list (what nn.fit "
                f"returns), not {type(history).__name__}."
            )
        return []
    return [None if v is None else float(v) for v in series]


def _figure_and_axes(ax: Any, who: str) -> tuple[Figure, Axes]:
    if ax is None:
        from matplotlib.figure import Figure

        figure = Figure(figsize=(6.0, 4.0), layout="constrained")
        return figure, figure.add_subplot()
    if not hasattr(ax, "plot") or not hasattr(ax, "figure"):
        raise TypeError(f"{who}: ax must be a matplotlib Axes, not {type(ax).__name__}.")
    return ax.figure, ax


def plot_decision_boundary(
    model: Any,
    inputs: Sequence[Sequence[float]],
    labels: Sequence[Any],
    ax: Axes | None = None,
    resolution: int = 100,
) -> Figure:
    """The model's score over the plane of 2-D ``inputs``, with the points coloured by label.

    One output: its value is shaded (white high, black low, as the lecture's pixels) and the
    decision line is drawn in yellow where it crosses 0 (0.5 for a sigmoid output). Several
    outputs: each region is coloured by the class with the largest output. The points are
    drawn on top, one colour per label (a one-hot label counts as its class). The grid has
    ``resolution`` × ``resolution`` points over the data's range plus a margin. Artists carry
    gids ``"score"``, ``"boundary"`` and ``"points"``. Returns the figure.

    >>> from nn import MLP
    >>> figure = plot_decision_boundary(MLP(2, [4, 1], seed=0), [[0, 0], [1, 1]], [0, 1],
    ...                                 resolution=20)
    >>> [artist.get_gid() for artist in figure.axes[0].collections]
    ['score', 'boundary', 'points']
    """
    import numpy as np

    layers = model_layers(model)
    nin = _nin(layers)
    if nin != 2:
        raise ValueError(
            f"plot_decision_boundary draws 2-D data, but this model takes {nin} inputs; use a "
            "model and data with exactly 2 inputs."
        )
    points = np.array(_batch(inputs, 2, "plot_decision_boundary"))
    classes = _classes(labels, len(points))
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 2:
        raise ValueError(
            f"plot_decision_boundary: resolution must be an int >= 2, got {resolution!r:.40}."
        )
    figure, ax = _figure_and_axes(ax, "plot_decision_boundary")
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * 0.15, 0.5)
    xs = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    ys = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    scores = _forward_grid(layers, np.column_stack([grid_x.ravel(), grid_y.ravel()]))
    if scores.shape[1] == 1:
        score = scores[:, 0].reshape(grid_x.shape)
        level = 0.5 if layers[-1].activation == "sigmoid" else 0.0
        spread = max(float(np.abs(score - level).max()), 1e-12)
        surface = ax.contourf(
            grid_x, grid_y, score, levels=20, cmap="gray", vmin=level - spread, vmax=level + spread
        )
        boundary = ax.contour(
            grid_x, grid_y, score, levels=[level], colors=[palette.HIGHLIGHT], linewidths=2
        )
    else:
        predicted = scores.argmax(axis=1).reshape(grid_x.shape)
        count = scores.shape[1]
        surface = ax.contourf(
            grid_x,
            grid_y,
            predicted,
            levels=np.arange(count + 1) - 0.5,
            cmap="tab10",
            vmin=-0.5,
            vmax=9.5,
            alpha=0.35,
        )
        boundary = ax.contour(
            grid_x,
            grid_y,
            predicted,
            levels=np.arange(count - 1) + 0.5,
            colors=[palette.TEXT],
            linewidths=1,
        )
    surface.set_gid("score")
    boundary.set_gid("boundary")
    kinds = sorted(set(classes), key=_sort_key)
    colours = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    ]
    point_colours = [colours[kinds.index(c) % len(colours)] for c in classes]
    scatter = ax.scatter(
        points[:, 0],
        points[:, 1],
        c=point_colours,
        edgecolors="white",
        linewidths=0.8,
        s=30,
        zorder=3,
    )
    scatter.set_gid("points")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    ax.set_title("decision boundary")
    return figure


def _classes(labels: object, count: int) -> list[Any]:
    if isinstance(labels, str | bytes) or not isinstance(labels, Sequence):
        raise TypeError(
            f"plot_decision_boundary: labels must be a list (one per input), not "
            f"{type(labels).__name__}."
        )
    if len(labels) != count:
        raise ValueError(
            f"plot_decision_boundary: {len(labels)} labels for {count} inputs; give one label "
            "per input."
        )
    classes = []
    for label in labels:
        if isinstance(label, Sequence) and not isinstance(label, str):
            values = [_data(v) for v in label]
            classes.append(values.index(max(values)) if values else 0)  # one-hot: its class
        else:
            classes.append(_data(label) if not isinstance(label, str) else label)
    return classes


def _sort_key(label: Any) -> tuple[int, Any]:
    return (0, label) if isinstance(label, int | float) else (1, str(label))


def _forward_grid(layers: Sequence[Any], points: Any) -> Any:
    """Every layer applied to many points at once with numpy (same arithmetic as the neurons)."""
    import numpy as np

    h = points
    for layer in layers:
        weights = np.array([weights_of(n) for n in layer.neurons])
        biases = np.array([bias_of(n) for n in layer.neurons])
        h = activation_on_arrays(layer)(h @ weights.T + biases)
    return h
