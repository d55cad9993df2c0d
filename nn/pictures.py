"""The network picture, as the lecture draws it: neurons in columns, links white and black.

:func:`draw_network` draws neurons in columns, one per layer, linked by white (positive) and
black (negative) lines as thick as the weights are large, on a mid-grey canvas. It can show
each neuron's value on an input, its receptive field as a little pixel image, and mark the
neurons that are dead (ReLU) or saturated (tanh, sigmoid) on a batch of inputs.

>>> from nn import MLP
>>> model = MLP(4, [2, 1], seed=0)
>>> source = network_dot(model, input=[1, 1, -1, -1], hide_below=0)
>>> source.startswith("digraph network {"), source.count('tooltip="w = ')
(True, 10)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from autograd import palette
from autograd.numbers import is_real, real_number, whole_number
from autograd.ops import subscript
from autograd.text import number_text
from nn.activity import (
    SIGMOID_SATURATION,
    TANH_SATURATION,
    NeuronFlag,
    inputs_of,
    layer_values,
    neuron_flags,
    neuron_values,
    read_input,
    read_inputs,
)
from nn.network import bias_of, model_layers, relevant_inputs, weights_of
from nn.picture_parts import Picture, escape, quote
from nn.receptive import receptive_fields as find_receptive_fields

if TYPE_CHECKING:
    from autograd import Drawing

__all__ = [
    "HIDE_BELOW",
    "SIGMOID_SATURATION",
    "TANH_SATURATION",
    "NeuronFlag",
    "draw_network",
    "network_dot",
    "neuron_flags",
    "neuron_values",
]

RANKDIRS = ("LR", "RL", "TB", "BT")
LINK_TEXT = "white link: positive weight, black link: negative weight"


#: Links weaker than this fraction of the largest |w| are left out of network pictures by
#: default, so the strong ones can be followed (``hide_below=0`` draws every link).
HIDE_BELOW = 0.1

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
    hide_below: float = HIDE_BELOW,
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
    - ``threshold``: hide links with ``|w|`` below it; ``hide_below``: hide links weaker than
      this fraction of the largest ``|w|`` (default 0.1, so the strong links can be followed;
      ``hide_below=0`` shows every link); ``digits``: significant digits shown.
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
        hide_below=hide_below,
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
    hide_below: float = HIDE_BELOW,
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
      lecture, "missing entirely"), with ``|w| < threshold``, or weaker than ``hide_below``
      times the largest ``|w|`` (:data:`HIDE_BELOW`, 0.1, by default) are not drawn, and the
      legend says how many; ``hide_below=0`` draws them all.
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
    nin = inputs_of(layers)
    x = None if input is None else read_input(input, nin, "draw_network")
    batch = None if inputs is None else read_inputs(inputs, nin, "draw_network")
    threshold = _check_threshold(threshold)
    hide_below = _check_fraction(hide_below)
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

    picture = Picture(digits, show_bias, image_shape if receptive_fields else None, rankdir)
    values = None if x is None else layer_values(layers, x)
    flags = {} if batch is None else {(f.layer, f.neuron): f for f in neuron_flags(model, batch)}
    fields = find_receptive_fields(model, timeout=timeout) if receptive_fields else None
    masks = relevant_inputs(layers) if receptive_fields else None

    lines = [
        "digraph network {",
        f'  graph [rankdir={rankdir}, bgcolor="{palette.BACKGROUND}", splines=line, '
        f'nodesep={picture.nodesep}, ranksep=1.1, fontname="{palette.FONT}", fontsize=11, '
        "labelloc=t, labeljust=l, outputorder=edgesfirst];",
        f'  node [fontname="{palette.FONT}", fontsize=10, penwidth=1, color="#404040"];',
        "  edge [arrowhead=none];",
    ]
    # Column 0: the input neurons; an input neuron's receptive field is its own pixel.
    column = []
    for i in range(nin):
        name = names_in[i] if names_in else f"x{subscript(i + 1)}"
        value = None if x is None else x[i]
        tooltip = f"input {name}" + ("" if value is None else f" = {value!r}")
        text = [name] if value is None else [name, number_text(value, digits)]
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
    cutoff = max(threshold, hide_below * largest)
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
                text.append(number_text(value, digits))
            if show_bias and neuron.b is not None:
                text.append(f"b = {number_text(bias_of(neuron), digits)}")
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
                if w == 0.0 or abs(w) < cutoff:
                    hidden_links += 1
                    continue
                links.append(
                    f'  {tail} -> {drawn.head} [color="{palette.sign_color(w)}", '
                    f'penwidth="{palette.line_width(w, largest)}", tooltip={quote(f"w = {w!r}")}];'
                )
        heading = f"layer {number}" + (" (output)" if last and number > 1 else "")
        lines += picture.column(number, f"{heading}\n{layer.activation}", column)
    lines += links
    legend = _legend(
        largest,
        hidden_links,
        cutoff,
        values=x is not None,
        fields=fields is not None,
        batch=None if batch is None else (len(batch), len(flags)),
        digits=digits,
    )
    label = (escape(title) + "\\l" if title else "") + "".join(
        escape(line) + "\\l" for line in legend
    )
    lines.append(f'  label="{label}";')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(
    largest: float,
    hidden_links: int,
    cutoff: float,
    *,
    values: bool,
    fields: bool,
    batch: tuple[int, int] | None,
    digits: int,
) -> list[str]:
    lines = [LINK_TEXT, f"thickness ∝ |w| (thickest: |w| = {number_text(largest, digits)})"]
    if hidden_links:
        limit = "weight 0" if cutoff == 0 else f"|w| < {number_text(cutoff, 4)}"
        lines.append(f"{hidden_links} link{'s' if hidden_links > 1 else ''} with {limit} not drawn")
        if cutoff:
            lines.append("(draw_network(..., hide_below=0) draws every link)")
    if values:
        lines.append("shade: the neuron's value (black -1, grey 0, white +1)")
    if fields:
        lines += [
            "images: receptive fields, the input that makes",
            "each neuron as large as it can be",
            "(white +1, black -1, striped: that pixel does not matter;",
            "grey: in between, where a deeper neuron is largest",
            "for a pixel that is neither white nor black)",
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


def _check_fraction(fraction: object) -> float:
    number = real_number(fraction, "draw_network: hide_below")
    if not 0.0 <= number < 1.0:
        raise ValueError(
            "draw_network: hide_below is a fraction of the largest |w|, from 0 (draw every "
            f"link) up to but not including 1, not {fraction!r}."
        )
    return number


def _check_threshold(threshold: object) -> float:
    if not is_real(threshold):
        real_number(threshold, "draw_network: threshold")  # raises the TypeError naming it
    if not threshold >= 0:
        raise ValueError(
            f"draw_network: threshold must be >= 0 (links with |w| below it are hidden), "
            f"got {threshold!r}."
        )
    return float(threshold)


def _check_digits(digits: object) -> int:
    digits = whole_number(digits, "draw_network: digits")
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
