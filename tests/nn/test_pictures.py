"""Network pictures (DOT structure and one SVG render), neuron values and flags, and the plots."""

from __future__ import annotations

import html
import math
import re

import pytest

import autograd
import nn
from autograd import palette
from nn.pictures import (
    SIGMOID_SATURATION,
    TANH_SATURATION,
    NeuronFlag,
    network_dot,
    neuron_flags,
    neuron_values,
)
from nn.plots import plot_history

# ---------------------------------------------------------------------------------------------
# Reading DOT text back: statements are one per line, attributes are name=value pairs.

ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|<.*?>(?=[,\]])|[^,\]\s]+)')
EDGE = re.compile(r"^\s+(\w+)(?::\w+)? -> (\w+)(?::\w+)? \[(.*)\];$")
NODE = re.compile(r"^\s+(\w+) \[(.*)\];$")


def attributes(text: str) -> dict[str, str]:
    found = {}
    for name, value in ATTRIBUTE.findall(text):
        if value.startswith('"'):
            # DOT escapes back to the text: \n is a line break, \x is x, and Graphviz reads
            # &amp; as &.
            value = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], value[1:-1])
            value = value.replace("&amp;", "&")
        found[name] = value
    return found


def links(source: str) -> dict[tuple[str, str], dict[str, str]]:
    """The visible links, keyed by (tail neuron, head neuron)."""
    found = {}
    for line in source.splitlines():
        match = EDGE.match(line)
        if match and "invis" not in match.group(3):
            tail, head = (re.sub(r"_r\d+$", "", n) for n in match.group(1, 2))
            found[tail, head] = attributes(match.group(3))
    return found


def nodes(source: str) -> dict[str, dict[str, str]]:
    found = {}
    for line in source.splitlines():
        match = NODE.match(line)
        if match and " -> " not in line:
            found[match.group(1)] = attributes(match.group(2))
    return found


def pixels(stripes: str, columns: int) -> list[str]:
    """Decode a striped fill into one entry per pixel: its colour, or "any" for the stripes."""
    parts = [part.split(";") for part in stripes.split(":")]
    share = 1.0 / columns
    result, k = [], 0
    while k < len(parts):
        colour, fraction = parts[k]
        if float(fraction) > share * 0.75:
            result.append(colour)
            k += 1
        else:
            assert [c for c, _ in parts[k : k + 4]] == ["#ffffff", "#000000"] * 2
            result.append("any")
            k += 4
    return result


def image(source: str, node_id: str, rows: int, columns: int) -> list[str]:
    found = nodes(source)
    return [
        p
        for r in range(1, rows + 1)
        for p in pixels(found[f"{node_id}_r{r}"]["fillcolor"], columns)
    ]


def weights(model: nn.MLP) -> dict[tuple[str, str], float]:
    """Every weight of the model keyed like links(): (tail node, head node)."""
    found = {}
    for index, layer in enumerate(model.layers):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                tail = f"x{i + 1}" if index == 0 else f"L{index}N{i + 1}"
                found[tail, f"L{index + 1}N{j + 1}"] = w.data
    return found


@pytest.fixture
def model() -> nn.MLP:
    return nn.MLP(4, [3, 2], activation="tanh", seed=2)


# ---------------------------------------------------------------------------------------------
# Links, biases, activations, layout.


def test_links_are_white_for_positive_and_black_for_negative_weights(model):
    drawn = links(network_dot(model, hide_below=0))
    assert set(drawn) == set(weights(model))
    for key, w in weights(model).items():
        assert drawn[key]["color"] == ("#ffffff" if w > 0 else "#000000")
        assert drawn[key]["tooltip"] == f"w = {w!r}"


def test_link_widths_follow_the_size_of_the_weights(model):
    drawn = links(network_dot(model, hide_below=0))
    ordered = sorted(weights(model).items(), key=lambda item: abs(item[1]))
    widths = [float(drawn[key]["penwidth"]) for key, _ in ordered]
    assert widths == sorted(widths)
    largest = abs(ordered[-1][1])
    assert widths[-1] == 5.0
    for key, w in ordered:
        assert drawn[key]["penwidth"] == palette.line_width(abs(w), largest)


def test_threshold_hides_small_links_and_zero_weights_are_not_drawn(model):
    model.layers[1].neurons[0].w[2].data = 0.0
    all_weights = weights(model)
    source = network_dot(model, threshold=0.3, hide_below=0)
    kept = {key for key, w in all_weights.items() if abs(w) >= 0.3}
    assert set(links(source)) == kept
    hidden = len(all_weights) - len(kept)
    assert f"{hidden} links with |w| < 0.3 not drawn" in source
    every = network_dot(model, hide_below=0)
    assert ("L2N3", "L2N1") not in links(every)
    assert set(links(every)) == {k for k, w in all_weights.items() if w != 0.0}
    assert "1 link with weight 0 not drawn" in every


def test_by_default_links_weaker_than_a_tenth_of_the_largest_are_hidden(model):
    all_weights = weights(model)
    largest = max(map(abs, all_weights.values()))
    source = network_dot(model)
    kept = {key for key, w in all_weights.items() if abs(w) >= nn.pictures.HIDE_BELOW * largest}
    assert set(links(source)) == kept and len(kept) < len(all_weights)
    hidden = len(all_weights) - len(kept)
    assert f"{hidden} link{'s' if hidden > 1 else ''} with |w| <" in source
    assert "hide_below=0) draws every link" in source
    half = network_dot(model, hide_below=0.5)
    assert set(links(half)) == {k for k, w in all_weights.items() if abs(w) >= 0.5 * largest}
    for bad, error in ((1.0, ValueError), (-0.1, ValueError), ("a", TypeError)):
        with pytest.raises(error, match="hide_below"):
            network_dot(model, hide_below=bad)


def test_biases_and_activations_are_shown(model):
    model.layers[0].neurons[1].b.data = 0.25
    model.layers[1].neurons[0].b.data = -1.5
    source = network_dot(model)
    found = nodes(source)
    assert found["L1N2"]["label"] == "b = 0.25"
    assert found["L2N1"]["label"] == "b = -1.5"
    assert found["layer1"]["label"] == "layer 1\ntanh"
    assert found["layer2"]["label"] == "layer 2 (output)\nlinear"
    assert found["layer0"]["label"] == "inputs"
    assert "b = " not in nodes(network_dot(model, show_bias=False))["L1N2"]["label"]
    relu = nn.MLP(2, [2, 1], activation="relu", output_activation="sigmoid", seed=0)
    found = nodes(network_dot(relu))
    assert (found["layer1"]["label"], found["layer2"]["label"]) == (
        "layer 1\nrelu",
        "layer 2 (output)\nsigmoid",
    )


def test_neurons_are_columns_in_order_inputs_first(model):
    source = network_dot(model)
    assert "  {rank=same; layer0; x1; x2; x3; x4;}" in source
    assert "  {rank=same; layer1; L1N1; L1N2; L1N3;}" in source
    assert "  {rank=same; layer2; L2N1; L2N2;}" in source
    assert "  layer0 -> x1 -> x2 -> x3 -> x4 [style=invis];" in source
    assert "  layer0 -> layer1 [style=invis];" in source
    assert "rankdir=LR" in source and f'bgcolor="{palette.BACKGROUND}"' in source
    assert "rankdir=TB" in network_dot(model, rankdir="TB")
    assert nodes(source)["x3"]["label"] == "x₃"


# ---------------------------------------------------------------------------------------------
# Values on an input.


def test_values_shown_are_the_forward_pass(model):
    x = [-1.0, -1.0, 1.0, 1.0]
    values = neuron_values(model, x)
    assert values[-1] == [v.data for v in model.outputs(x)]
    found = nodes(network_dot(model, input=x, digits=3))
    for index, layer_values in enumerate(values):
        for j, value in enumerate(layer_values):
            node = found[f"L{index + 1}N{j + 1}"]
            assert node["label"].splitlines()[0] == f"{value:.3g}"
            assert f"value {value!r}" in node["tooltip"]
            assert node["fillcolor"] == palette.shade(value)
            assert node["fontcolor"] == palette.text_color_on(value)
    for i, pixel in enumerate(x):
        assert found[f"x{i + 1}"]["fillcolor"] == palette.shade(pixel)
        assert found[f"x{i + 1}"]["label"] == f"x{'₁₂₃₄'[i]}\n{pixel:.3g}"


def test_values_match_the_lecture_walkthrough():
    # Dark top, white bottom; a neuron adding the left column gives grey 0, one with a negative
    # weight on the lower left pixel gives -1 (the lecture's first layer).
    model = nn.MLP(4, [2], activation="linear", seed=0)
    for neuron, row in zip(model.layers[0].neurons, [[1, 0, 1, 0], [1, 0, -1, 0]], strict=True):
        for w, number in zip(neuron.w, row, strict=True):
            w.data = number * 0.5
    found = nodes(network_dot(model, input=[-1, -1, 1, 1]))
    assert found["L1N1"]["fillcolor"] == palette.shade(0.0) == "#808080"
    assert found["L1N1"]["label"].startswith("0\n")
    assert found["L1N2"]["fillcolor"] == "#000000"
    assert found["L1N2"]["label"].startswith("-1\n")


def test_values_accept_values_and_skip_dropout():
    model = nn.MLP(2, [3, 1], dropout=0.5, seed=0).eval()
    x = [autograd.Value(0.5), -1.0]
    assert neuron_values(model, x)[-1] == [model([0.5, -1.0]).data]


def test_numbers_have_plain_minus_and_no_negative_zero():
    model = nn.MLP(1, [1], activation="linear", seed=0)
    model.layers[0].neurons[0].w[0].data = -1e-9
    assert nodes(network_dot(model, input=[1.0]))["L1N1"]["label"] == "-1e-09\nb = 0"
    no_bias = nn.MLP(1, [1], activation="linear", bias=False, seed=0)
    no_bias.layers[0].neurons[0].w[0].data = 0.0
    assert neuron_values(no_bias, [-1.0]) == [[-0.0]]
    assert nodes(network_dot(no_bias, input=[-1.0]))["L1N1"]["label"] == "0"
    assert "−" not in network_dot(model, input=[-1.0], receptive_fields=True)


# ---------------------------------------------------------------------------------------------
# Receptive fields as pictures.


def test_first_layer_receptive_field_pixels_are_the_weight_signs():
    model = nn.MLP(4, [3, 2], seed=1)
    rows = [[0.5, -0.2, -0.9, 0.1], [-1.0, -0.3, 0.7, 0.0], [0.2, 0.4, -0.6, -0.8]]
    for neuron, row in zip(model.layers[0].neurons, rows, strict=True):
        for w, number in zip(neuron.w, row, strict=True):
            w.data = number
    source = network_dot(model, receptive_fields=True, shape=(2, 2))
    for j, row in enumerate(rows, start=1):
        expected = ["#ffffff" if w > 0 else "#000000" if w < 0 else "any" for w in row]
        assert image(source, f"L1N{j}", 2, 2) == expected
    # Input neurons: their own pixel white, the others do not matter (checkered in the lecture).
    assert image(source, "x3", 2, 2) == ["any", "any", "#ffffff", "any"]
    # Deeper neurons: the shades of their receptive fields.
    fields = nn.receptive_fields(model)
    for j, field in enumerate(fields[1], start=1):
        assert image(source, f"L2N{j}", 2, 2) == [palette.shade(p) for p in field]


def test_receptive_image_shape_defaults_and_errors():
    square = nn.MLP(9, [2], seed=0)
    source = network_dot(square, receptive_fields=True)
    assert {"L1N1_r1", "L1N1_r2", "L1N1_r3"} <= set(nodes(source))
    assert "L1N1_r4" not in nodes(source)
    assert len(image(source, "L1N1", 3, 3)) == 9
    row = nn.MLP(3, [2], seed=0)
    source = network_dot(row, receptive_fields=True)
    assert "L1N1_r2" not in nodes(source) and len(image(source, "L1N1", 1, 3)) == 3
    assert len(image(network_dot(square, receptive_fields=True, shape=(1, 9)), "L1N1", 1, 9)) == 9
    with pytest.raises(ValueError, match="shape 2x2 has 4 pixels but the model takes 9 inputs"):
        network_dot(square, receptive_fields=True, shape=(2, 2))
    with pytest.raises(ValueError, match=r"shape must be \(rows, columns\)"):
        network_dot(square, receptive_fields=True, shape=(3, "3"))
    with pytest.raises(ValueError, match="rankdir 'LR' or 'RL'"):
        network_dot(square, receptive_fields=True, rankdir="TB")


def test_receptive_links_meet_the_middle_of_the_image():
    model = nn.MLP(4, [2, 1], seed=0)
    source = network_dot(model, receptive_fields=True)
    assert "  x1_r1:se -> L1N1_r1:sw [" in source
    assert "  L1N2_r1:se -> L2N1_r1:sw [" in source
    mirrored = network_dot(model, receptive_fields=True, rankdir="RL")
    assert "  x1_r1:sw -> L1N1_r1:se [" in mirrored
    odd = network_dot(nn.MLP(9, [1], seed=0), receptive_fields=True)
    assert "  x1_r2 -> L1N1_r2 [" in odd


# ---------------------------------------------------------------------------------------------
# Dead and saturated neurons.


def constant_layer(activation: str, rows: list[list[float]], biases: list[float]) -> nn.Layer:
    layer = nn.Layer(len(rows[0]), len(rows), activation=activation, seed=0)
    for neuron, row, bias in zip(layer.neurons, rows, biases, strict=True):
        for w, number in zip(neuron.w, row, strict=True):
            w.data = number
        neuron.b.data = bias
    return layer


BATCH = [[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0], [0.5, 0.5]]


def test_dead_relu_neurons_are_flagged():
    layer = constant_layer("relu", [[1.0, 1.0], [1.0, 1.0], [0.5, 0.5]], [-3.0, 0.0, -0.5])
    flags = neuron_flags(layer, BATCH)
    # Neuron 3's weighted sum is 0 at (0.5, 0.5): dead too (<= 0 counts). Neuron 2 lives.
    assert [(f.layer, f.neuron, f.kind) for f in flags] == [(0, 0, "dead"), (0, 2, "dead")]
    assert all(isinstance(f, NeuronFlag) for f in flags)
    assert "layer 1 neuron 1 (relu) is dead" in flags[0].message
    assert "on all 4 inputs (at most -2)" in flags[0].message


def test_saturated_tanh_and_sigmoid_neurons_are_flagged():
    # Weighted sums on BATCH: neuron 1 is 5 everywhere; neuron 2 is 10, 10, -20, 10; neuron 3
    # is 20, 20, -10, 20. Every |tanh| is above 0.99.
    tanh = constant_layer("tanh", [[0.0, 0.0], [10.0, 10.0], [10.0, 10.0]], [5.0, 0.0, 10.0])
    flags = neuron_flags(tanh, BATCH)
    assert [(f.neuron, f.kind) for f in flags] == [
        (0, "saturated"),
        (1, "saturated"),
        (2, "saturated"),
    ]
    assert f"|output| > {TANH_SATURATION}" in flags[0].message
    lively = constant_layer("tanh", [[10.0, 10.0]], [0.0])
    assert neuron_flags(lively, [*BATCH, [0.1, -0.1]]) == []  # one input with sum 0 is enough
    # Sigmoid: sums 4, -6, -16, -1 (sigmoid(4) = 0.982 is inside [0.01, 0.99]) and 1, 0, -1, 0.5.
    sigmoid = constant_layer("sigmoid", [[10.0, 0.0], [1.0, 0.0]], [-6.0, 0.0])
    assert neuron_flags(sigmoid, BATCH) == []
    # Sums 30, -30, 15: stuck at one end or the other on every input.
    low, high = SIGMOID_SATURATION
    stuck = constant_layer("sigmoid", [[30.0, 0.0]], [0.0])
    (flag,) = neuron_flags(stuck, [[1.0, 0.0], [-1.0, 0.0], [0.5, 0.3]])
    assert flag.kind == "saturated" and f"outside [{low}, {high}]" in flag.message
    linear = constant_layer("linear", [[100.0, 100.0]], [-1000.0])
    assert neuron_flags(linear, BATCH) == []


def test_flags_are_marked_on_the_picture_with_a_legend():
    model = nn.MLP(2, [2, 1], activation="relu", seed=0)
    model.layers[0].neurons[1].b.data = -10.0
    source = network_dot(model, inputs=BATCH)
    found = nodes(source)
    assert found["L1N2"]["color"] == palette.FLAG
    assert "dashed" in found["L1N2"]["style"]
    assert "is dead" in found["L1N2"]["tooltip"]
    assert "color" not in found["L1N1"] and "dashed" not in found["L1N1"]["style"]
    assert "red dashed: dead or saturated on all 4 inputs" in source
    pictured = nodes(network_dot(model, inputs=BATCH, receptive_fields=True))
    assert pictured["L1N2"]["color"] == palette.FLAG
    assert pictured["L1N2_r1"]["color"] == palette.FLAG
    healthy = nn.MLP(2, [2, 1], activation="relu", seed=0)
    healthy.layers[0].neurons[0].b.data = healthy.layers[0].neurons[1].b.data = 5.0
    assert "no dead or saturated neurons on these 4 inputs" in network_dot(healthy, inputs=BATCH)


# ---------------------------------------------------------------------------------------------
# Text is escaped; the result is a Drawing; bad input is refused.


def test_names_and_title_are_escaped(model):
    tricky = 'say "hi" \\N <b> & \\'
    source = network_dot(
        model,
        input_names=[tricky, "b", "c", "line\nbreak"],
        output_names=["yes", "no"],
        title=tricky,
    )
    found = nodes(source)
    assert found["x1"]["label"] == tricky
    assert found["x4"]["label"] == "line\nbreak"
    assert found["L2N2"]["label"].splitlines()[0] == "no"
    # The title is left-justified (\\l) like the legend below it, so a long one is not cut off.
    assert 'label="say \\"hi\\" \\\\N <b> &amp; \\\\\\l' in source


def test_entity_like_text_shows_as_typed_in_the_svg():
    # Graphviz reads entities in labels: "&lt;" typed by a user must not turn into "<".
    svg = nn.draw_network(
        nn.MLP(2, [1], seed=0), input_names=["a &lt; b", "c"], title="x &amp; y"
    ).svg()
    assert "a &amp;lt; b" in svg and "x &amp;amp; y" in svg


def test_draw_network_renders_svg_with_the_picture():
    model = nn.MLP(4, [2, 2], activation="relu", seed=0)
    model.layers[0].neurons[0].w[0].data = 0.9
    model.layers[0].neurons[0].w[1].data = -0.8
    drawing = nn.draw_network(
        model,
        input=[-1, -1, 1, 1],
        inputs=[[-1, -1, 1, 1]],
        receptive_fields=True,
        input_names=['top "left"', "top right", "bottom <left>", "bottom & right"],
        title="four-pixel \\camera",
        renderer="wasm",
    )
    assert isinstance(drawing, autograd.Drawing)
    assert drawing.source == network_dot(
        model,
        input=[-1, -1, 1, 1],
        inputs=[[-1, -1, 1, 1]],
        receptive_fields=True,
        input_names=['top "left"', "top right", "bottom <left>", "bottom & right"],
        title="four-pixel \\camera",
    )
    svg = drawing.svg()
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert {'top "left"', "bottom <left>", "bottom & right", "four-pixel \\camera"} <= set(texts)
    assert f'fill="{palette.BACKGROUND}"' in svg
    titles = re.findall(r"<title>([^<]*)</title>", svg)
    assert "x1_r1:se&#45;&gt;L1N1_r1:sw" in titles or "x1_r1:se->L1N1_r1:sw" in [
        html.unescape(t) for t in titles
    ]
    edge = svg[svg.index("x1_r1:se&#45;&gt;L1N1_r1:sw") :]
    assert 'stroke="#ffffff"' in edge[: edge.index("</g>")]
    edge = svg[svg.index("x2_r1:se&#45;&gt;L1N1_r1:sw") :]
    assert 'stroke="#000000"' in edge[: edge.index("</g>")]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda m: network_dot(5), TypeError, "expected a network"),
        (lambda m: network_dot(m, input=[1, 2, 3]), ValueError, "has 3 numbers but the model"),
        (lambda m: network_dot(m, input="abcd"), TypeError, "input must be a list of 4"),
        (lambda m: network_dot(m, input=[1, 2, "x", 4]), TypeError, "item 3 of input is str"),
        (lambda m: network_dot(m, input=[1, 2, math.nan, 4]), ValueError, "finite"),
        (lambda m: network_dot(m, inputs=[]), ValueError, "inputs is empty"),
        (lambda m: network_dot(m, inputs=[[1, 2, 3, 4], [1]]), ValueError, "input 2 has 1"),
        (lambda m: network_dot(m, threshold=-0.1), ValueError, "threshold must be >= 0"),
        (lambda m: network_dot(m, threshold="big"), TypeError, "threshold must be a number"),
        (lambda m: network_dot(m, digits=0), ValueError, "digits must be between 1 and 17"),
        (lambda m: network_dot(m, rankdir="up"), ValueError, "rankdir must be one of"),
        (lambda m: network_dot(m, input_names=["a"]), ValueError, "input_names has 1 names"),
        (lambda m: network_dot(m, output_names=[1, 2]), TypeError, "must be a str"),
        (lambda m: network_dot(m, title=3), TypeError, "title must be a str"),
        (lambda m: neuron_values(m, [1.0]), ValueError, "neuron_values: input has 1 numbers"),
        (lambda m: neuron_flags(m, 3), TypeError, "inputs must be a list of inputs"),
    ],
)
def test_bad_input_is_refused_clearly(model, call, error, message):
    with pytest.raises(error, match=re.escape(message) if "(" in message else message):
        call(model)


# ---------------------------------------------------------------------------------------------
# Plots.


def test_plot_history_draws_loss_and_accuracy():
    from matplotlib.figure import Figure

    history = nn.History(loss=[1.2, 0.7, 0.4, 0.3], accuracy=[0.25, 0.5, 0.75, 1.0])
    figure = history.plot()
    assert isinstance(figure, Figure)
    lines = [line for ax in figure.axes for line in ax.lines]
    assert [line.get_label() for line in lines] == ["loss", "accuracy"]
    assert [float(y) for y in lines[0].get_ydata()] == history.loss
    assert [float(y) for y in lines[1].get_ydata()] == history.accuracy
    assert [int(x) for x in lines[0].get_xdata()] == [1, 2, 3, 4]
    assert figure.axes[0].get_xlabel() == "epoch"


def test_plot_history_without_accuracy_and_on_given_axes():
    from matplotlib.figure import Figure

    figure = Figure()
    ax = figure.add_subplot()
    assert plot_history(nn.History(loss=[0.5, 0.25]), ax=ax) is figure
    assert [line.get_label() for line in ax.lines] == ["loss"]
    assert len(figure.axes) == 1
    with pytest.raises(TypeError, match=r"needs a training history with a \.loss list"):
        plot_history([0.5, 0.25])
    with pytest.raises(ValueError, match="no epochs yet"):
        plot_history(nn.History())
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        plot_history(nn.History(loss=[1.0]), ax="left")


def test_decision_boundary_points_and_line():
    model = nn.MLP(2, [4, 1], activation="tanh", seed=3)
    inputs = [[0.0, 0.0], [1.0, 1.0], [-1.0, 0.5], [0.5, -1.0]]
    labels = [1, -1, 1, -1]
    figure = nn.plot_decision_boundary(model, inputs, labels, resolution=60)
    ax = figure.axes[0]
    by_gid = {artist.get_gid(): artist for artist in ax.collections}
    points = by_gid["points"]
    assert points.get_offsets().tolist() == inputs
    colours = [tuple(c) for c in points.get_facecolors()]
    assert colours[0] == colours[2] and colours[1] == colours[3] and colours[0] != colours[1]
    boundary = by_gid["boundary"]
    assert list(boundary.levels) == [0.0]
    vertices = [v for segment in boundary.allsegs[0] for v in segment]
    assert vertices, "the score crosses 0 somewhere on this grid"
    spacing = max(ax.get_xlim()[1] - ax.get_xlim()[0], ax.get_ylim()[1] - ax.get_ylim()[0]) / 59
    for x, y in vertices[:: max(1, len(vertices) // 20)]:
        assert abs(model([float(x), float(y)]).data) < 5 * spacing
    xmin, xmax = ax.get_xlim()
    assert xmin < -1.0 and xmax > 1.0


def test_decision_boundary_of_a_sigmoid_output_is_at_one_half():
    model = nn.MLP(2, [3, 1], output_activation="sigmoid", seed=0)
    model.layers[1].neurons[0].b.data = 0.1
    figure = nn.plot_decision_boundary(model, [[-2, -2], [2, 2]], [0, 1], resolution=30)
    boundary = {a.get_gid(): a for a in figure.axes[0].collections}["boundary"]
    assert list(boundary.levels) == [0.5]


def test_decision_regions_for_several_classes_and_one_hot_labels():
    model = nn.MLP(2, [4, 3], seed=5)
    inputs = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    one_hot = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    figure = nn.plot_decision_boundary(model, inputs, one_hot, resolution=25)
    by_gid = {artist.get_gid(): artist for artist in figure.axes[0].collections}
    assert {"score", "boundary", "points"} <= set(by_gid)
    assert len({tuple(c) for c in by_gid["points"].get_facecolors()}) == 3


def test_decision_boundary_refuses_bad_data():
    model = nn.MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="draws 2-D data, but this model takes 3 inputs"):
        nn.plot_decision_boundary(nn.MLP(3, [1], seed=0), [[0, 0, 0]], [1])
    with pytest.raises(ValueError, match="input 2 has 3 numbers"):
        nn.plot_decision_boundary(model, [[0, 0], [1, 2, 3]], [0, 1])
    with pytest.raises(ValueError, match="3 labels for 2 inputs"):
        nn.plot_decision_boundary(model, [[0, 0], [1, 1]], [0, 1, 1])
    with pytest.raises(ValueError, match="resolution must be at least 2, got 1"):
        nn.plot_decision_boundary(model, [[0, 0]], [0], resolution=1)
    with pytest.raises(TypeError, match="expected a network"):
        nn.plot_decision_boundary("model", [[0, 0]], [0])
