"""DOT text of computation graphs, checked without any renderer."""

from __future__ import annotations

import math
import re

import pytest

import autograd
from autograd import OPS, Value, palette, topological_order
from autograd.dot import edge_text, escape_label, graph_source, op_text
from autograd.text import number_text
from tests.autograd.helpers import ALL_OPS, apply_op, central_difference

_ATTRIBUTE = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^\s\]]+)')


def _attributes(text: str) -> dict[str, str]:
    found = {}
    for key, value in _ATTRIBUTE.findall(text):
        found[key] = value[1:-1] if value.startswith('"') else value
    return found


def parse(source: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Nodes {id: attributes} and edges [(tail, head, attributes)] of DOT made by graph_source."""
    nodes, edges = {}, []
    for line in source.splitlines():
        edge = re.match(r"\s*(\w+) -> (\w+) \[(.*)\]$", line)
        node = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if edge:
            edges.append((edge[1], edge[2], _attributes(edge[3])))
        elif node and node[1] not in ("graph", "node", "edge"):
            nodes[node[1]] = _attributes(node[2])
    return nodes, edges


def edge_label(attributes: dict[str, str]) -> str:
    return attributes.get("label", attributes.get("xlabel"))


def example_graph() -> tuple[Value, Value, Value, Value]:
    a, b, c = Value(2.0, label="a"), Value(-0.5, label="b"), Value(0.3, label="c")
    out = (a * b + c).tanh()
    out.backward()
    return a, b, c, out


def test_number_text_uses_significant_digits_and_ascii_minus():
    assert number_text(-0.634739) == "-0.6347"
    assert number_text(2.0) == "2"
    assert number_text(-0.0) == "0"
    assert number_text(123456.0) == "1.235e+05"
    assert number_text(math.pi, digits=6) == "3.14159"
    assert "\u2212" not in number_text(-1e-9)


def test_every_value_is_a_node_with_name_data_and_grad():
    _, _, _, out = example_graph()
    nodes, _ = parse(graph_source(out))
    labels = [attrs["label"] for name, attrs in nodes.items() if name != "legend"]
    assert len(labels) == 6
    assert "a | {data 2 | grad -0.3174}" in labels
    assert "b | {data -0.5 | grad 1.269}" in labels
    assert "mul₁ = a · b | {data -1 | grad 0.6347}" in labels
    assert "add₁ = mul₁ + c | {data -0.7 | grad 0.6347}" in labels
    assert "tanh₁ = tanh(add₁) | {data -0.6044 | grad 1}" in labels


def test_edges_carry_formula_and_number_for_the_acceptance_example():
    _, _, _, out = example_graph()
    _, edges = parse(graph_source(out))
    labels = sorted(edge_label(attrs) for _, _, attrs in edges)
    assert labels == [
        "∂add₁/∂c = 1",
        "∂add₁/∂mul₁ = 1",
        "∂mul₁/∂a = b = -0.5",
        "∂mul₁/∂b = a = 2",
        "∂tanh₁/∂add₁ = 1 - tanh₁² = 0.6347",
    ]


def test_boxes_and_edges_use_the_learners_own_names():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = b * a
    c.label = "c"
    c.backward()
    nodes, edges = parse(graph_source(c))
    assert "c = b · a | {data -6 | grad 1}" in [attrs["label"] for attrs in nodes.values()]
    assert [edge_label(attrs) for *_, attrs in edges] == ["∂c/∂b = a = 2", "∂c/∂a = b = -3"]


def test_both_edges_of_x_times_x_are_drawn():
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    nodes, edges = parse(graph_source(y))
    assert [(tail, head) for tail, head, _ in edges] == [("v0", "v1"), ("v0", "v1")]
    assert [edge_label(attrs) for *_, attrs in edges] == [
        "∂mul₁/∂x (1st input) = x = 3",
        "∂mul₁/∂x (2nd input) = x = 3",
    ]
    cube = (x * x) * x
    assert edge_text(cube, 0) == "∂mul₂/∂mul₁ = x = 3"
    assert edge_text(cube, 1) == "∂mul₂/∂x = mul₁ = 9"
    assert nodes["v0"]["label"] == "x | {data 3 | grad 6}"


@pytest.mark.parametrize("name", ALL_OPS)
def test_every_op_shows_its_local_derivatives_on_its_edges(name):
    op = OPS[name]
    assert op.examples, f"op {name!r} has no examples to draw"
    for numbers in op.examples:
        inputs = [Value(x, label=f"in{i}") for i, x in enumerate(numbers)]
        node = apply_op(name, *inputs)
        assert node.op == name
        node.backward()
        _, edges = parse(graph_source(node))
        ids = {v: f"v{i}" for i, v in enumerate(autograd.topological_order(node))}
        assert len(edges) == len(node.parents)
        for index, (tail, head, attrs) in enumerate(edges):
            parent = node.parents[index]
            assert (tail, head) == (ids[parent], ids[node])
            label = edge_label(attrs)
            names = [p.label or number_text(p.data, 6) for p in node.parents]
            formula = op.formula_text(index, names, node.op_arg, out=f"{name}₁")
            assert label.startswith(f"∂{name}₁/∂{names[index]} = ")
            assert formula in label
            shown = float(label.rsplit("= ", 1)[1])
            position = next(i for i, v in enumerate(inputs) if v is parent)
            expected = central_difference(name, numbers, position)
            assert shown == pytest.approx(expected, rel=1e-3, abs=1e-6)
            # The colour follows the sign of local derivative × grad.
            contribution = node.local_grads[index] * node.grad
            expected = palette.sign_color(contribution) if contribution else palette.ZERO_EDGE
            assert attrs["color"] == expected
            assert (attrs.get("style") == "dotted") == (contribution == 0.0)


def test_forward_picture_has_no_grads_and_plain_edges():
    _, _, _, out = example_graph()
    nodes, edges = parse(graph_source(out, show_grad=False))
    assert nodes["v0"]["label"] == "a | data 2"
    assert all("grad" not in attrs["label"] for attrs in nodes.values())
    assert {attrs["color"] for *_, attrs in edges} == {"#505050"}
    assert "∂mul₁/∂a = b = -0.5" in [edge_label(attrs) for *_, attrs in edges]


def test_edge_colour_follows_the_sign_and_width_the_size_of_the_contribution():
    *_, out = example_graph()
    _, edges = parse(graph_source(out))
    by_label = {edge_label(attrs): attrs for *_, attrs in edges}
    # a's contribution is -0.5 × 0.6347 < 0; b's is 2 × 0.6347, the largest in the graph.
    assert by_label["∂mul₁/∂a = b = -0.5"]["color"] == palette.NEGATIVE
    assert by_label["∂mul₁/∂b = a = 2"]["color"] == palette.POSITIVE
    assert by_label["∂mul₁/∂b = a = 2"]["penwidth"] == "5"
    assert float(by_label["∂mul₁/∂a = b = -0.5"]["penwidth"]) == pytest.approx(
        1.0 + 4.0 / 4, abs=0.01
    )


def test_digits_option_and_top_to_bottom_records():
    _, _, _, out = example_graph()
    nodes, edges = parse(graph_source(out, digits=2, rankdir="TB"))
    assert nodes["v5"]["label"] == "{tanh₁ = tanh(add₁) | {data -0.6 | grad 1}}"
    assert "∂tanh₁/∂add₁ = 1 - tanh₁² = 0.63" in [edge_label(attrs) for *_, attrs in edges]
    assert "rankdir=TB" in graph_source(out, rankdir="TB")


def test_highlight_values_and_edges():
    a, _, c, out = example_graph()
    product = out.parents[0].parents[0]
    nodes, edges = parse(graph_source(out, highlight=[c, (a, product)]))
    assert nodes["v3"]["color"] == palette.HIGHLIGHT and nodes["v3"]["penwidth"] == "3"
    lit = [(tail, head) for tail, head, attrs in edges if attrs["color"] == palette.HIGHLIGHT]
    assert lit == [("v0", "v2")]
    assert "yellow: the current step" in nodes["legend"]["label"]


def test_highlight_one_edge_of_x_times_x_by_index():
    x = Value(3.0, label="x")
    y = x * x
    y.backward()
    _, edges = parse(graph_source(y, highlight=[(x, y, 1)]))
    assert [attrs["color"] == palette.HIGHLIGHT for *_, attrs in edges] == [False, True]
    _, edges = parse(graph_source(y, highlight=[(x, y)]))
    assert [attrs["color"] == palette.HIGHLIGHT for *_, attrs in edges] == [True, True]


def test_pending_values_are_faded_with_question_marks():
    a, _, _, out = example_graph()
    added = out.parents[0]
    nodes, edges = parse(graph_source(out, pending=[a, added]))
    assert nodes["v0"]["label"] == "a | {data 2 | grad ?}"
    assert nodes["v0"]["fillcolor"] == palette.PENDING and "dashed" in nodes["v0"]["style"]
    into_added = [attrs for _, head, attrs in edges if head == "v4"]
    assert all(attrs["style"] == "dashed" for attrs in into_added)
    # A forward-pass picture does not know a pending value's data or local derivatives yet.
    nodes, edges = parse(graph_source(out, show_grad=False, pending=[out]))
    assert nodes["v5"]["label"] == "tanh₁ = tanh(add₁) | data ?"
    assert "∂tanh₁/∂add₁ = 1 - tanh₁² = ?" in [edge_label(attrs) for *_, attrs in edges]
    assert "not reached yet" in nodes["legend"]["label"]


def test_bad_highlight_and_pending_get_clear_errors():
    a, *_, out = example_graph()
    stranger = Value(1.0, label="z")
    with pytest.raises(ValueError, match=r"highlight: the Value 'z'.*not part of the graph"):
        graph_source(out, highlight=[stranger])
    with pytest.raises(ValueError, match="pending: the Value 'z'"):
        graph_source(out, pending=[stranger])
    with pytest.raises(ValueError, match="'a' is not input of 'tanh₁'"):
        graph_source(out, highlight=[(a, out)])
    with pytest.raises(TypeError, match="highlight takes Values and \\(parent, child\\) edges"):
        graph_source(out, highlight=["a"])
    with pytest.raises(TypeError, match="pending takes Values"):
        graph_source(out, pending=[1.0])


def test_options_are_checked():
    _, _, _, out = example_graph()
    with pytest.raises(ValueError, match="rankdir must be 'LR'"):
        graph_source(out, rankdir="RL")
    with pytest.raises(ValueError, match="digits must be a whole number from 1 to 17"):
        graph_source(out, digits=0)
    with pytest.raises(ValueError, match="max_nodes must be a positive whole number"):
        graph_source(out, max_nodes=0)
    with pytest.raises(TypeError, match="draw needs a Value"):
        graph_source(3.0)


def test_more_values_than_max_nodes_is_refused_with_the_count():
    x = Value(0.5, label="x")
    y = x
    for _ in range(9):
        y = y.tanh()
    with pytest.raises(
        ValueError,
        match=r"this graph has 10 values, more than max_nodes=9.*"
        r"collapse='layer'.*pass max_nodes=10 \(or more\) to draw it anyway",
    ):
        graph_source(y, max_nodes=9)
    assert "v9" in graph_source(y, max_nodes=10)


def test_several_roots_share_one_picture():
    x = Value(2.0, label="x")
    outputs = [x * 2, x.tanh()]
    nodes, edges = parse(graph_source(outputs))
    assert len(nodes) == 4  # x, both outputs, the legend: the constant 2 is in x · 2
    assert nodes["v1"]["label"].startswith("mul₁ = x · 2 | ")
    assert [tail for tail, _, _ in edges] == ["v0", "v0"]


def test_constants_are_numbers_not_boxes_with_gradients():
    x = Value(3.0, label="x")
    y = (x + 1) ** 2
    y.backward()
    nodes, edges = parse(graph_source(y))
    labels = [attrs["label"] for name, attrs in nodes.items() if name != "legend"]
    assert labels == [
        "x | {data 3 | grad 8}",
        "add₁ = x + 1 | {data 4 | grad 8}",
        "pow₁ = add₁^2 | {data 16 | grad 1}",
    ]
    assert len(edges) == 2
    # A constant computed from constants is drawn, with no gradient and plain edges.
    six = Value(2.0, requires_grad=False) * 3
    z = six + x
    z.backward()
    nodes, edges = parse(graph_source(z))
    assert nodes["v0"]["label"] == "mul₁ = 2 · 3 | data 6"
    assert edges[0][2]["color"] == "#505050"


def test_hostile_labels_are_escaped():
    hostile = 'a<b>&c "q" {d|e} \\N \\l end\nline\x07'
    x = Value(1.0, label=hostile)
    source = graph_source(x * 2)
    nodes, _ = parse(source)
    assert nodes["v0"]["label"].startswith(r"a\<b\>&amp;c \"q\" \{d\|e\} \\N \\l end\nline\\x07 |")
    assert "\x07" not in source  # the control character itself never reaches the DOT


def test_escape_label_keeps_every_character_as_text():
    assert escape_label("<b>") == "<b>"
    assert escape_label("<b>", record=True) == r"\<b\>"
    assert escape_label("a\r\nb\tc") == r"a\nb c"
    assert escape_label("\ud800") == r"\\ud800"
    assert escape_label("&amp;") == "&amp;amp;"


def test_op_text_uses_the_op_rows_display_with_the_inputs_names():
    x, y = Value(1.5, label="x"), Value(2.0, label="y")
    assert op_text(x / y) == "x / y"
    assert op_text(x**y) == "x^y"
    assert op_text(x**x) == "x^x"
    assert op_text(x**0.5) == "x^0.5"
    assert op_text(x.sigmoid()) == "σ(x)"
    assert op_text(autograd.sum([x, y, 1.0])) == "x + y + 1"
    assert op_text(autograd.sum([x] * 6)) == "x + x + … + x"
    ws = autograd.weighted_sum([x, y], [0.5, -1.0], bias=Value(0.1, label="b"))
    assert op_text(ws) == "x·0.5 + y·(-1) + b"
    mixed = autograd.weighted_sum([x, 0.5, 1.0], [1.0, 2.0, y])
    assert op_text(mixed) == "x·1 + 0.5·2 + 1·y"
    five = autograd.weighted_sum([x] * 5, [y] * 5)
    assert op_text(five) == "x·y + x·y + … + x·y"
    assert edge_text(mixed, 5) == "∂weighted_sum₁/∂y = 1"
    assert edge_text(mixed, 0) == "∂weighted_sum₁/∂x = 1"


def test_long_skipping_edges_get_labels_placed_after_layout():
    x = Value(0.5, label="x")
    y = Value(1.0, label="c")
    for _ in range(40):
        y = y * x + 0.1
    _, edges = parse(graph_source(y))
    assert all("xlabel" in attrs and "label" not in attrs for *_, attrs in edges)
    _, _, _, out = example_graph()
    _, edges = parse(graph_source(out))
    assert all("label" in attrs and "xlabel" not in attrs for *_, attrs in edges)


def test_a_node_of_an_op_missing_from_the_table_is_still_drawn():
    x = Value(2.0, label="x")
    odd = x * 0.125
    odd.op = "mystery"
    nodes, edges = parse(graph_source(odd))
    assert nodes["v1"]["label"] == "mystery₁ = mystery | {data 0.25 | grad 0}"
    assert [edge_label(attrs) for *_, attrs in edges] == ["∂mystery₁/∂x = 0.125"]


def test_default_limit_fits_an_mlp_loss_but_not_much_more():
    # micrograd's one-example MLP loss graph (2-16-16-1) has 405 values: it must draw by default.
    import nn

    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    loss = nn.losses.hinge([model([0.5, -1.0])], [1])
    assert 400 < len(topological_order(loss)) <= 500
    assert "digraph" in graph_source(loss)
    chain = Value(0.0)
    for _ in range(500):
        chain = -chain
    with pytest.raises(ValueError, match="this graph has 501 values, more than max_nodes=500"):
        graph_source(chain)
