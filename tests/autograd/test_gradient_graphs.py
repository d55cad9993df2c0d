"""The gradient is a graph too: grad(..., create_graph=True) builds the derivative from the op
table's rules, drawable, with no node for a factor of exactly 1, and never hands out a node
that is not the caller's own."""

import pytest

from autograd import Value, draw, grad


def ops_of(value):
    return sorted(v.op for v in value.walk() if v.op)


def test_the_gradient_is_a_graph_that_can_be_drawn():
    x = Value(0.5, label="x")
    s = x.sigmoid()
    s.label = "s"
    (ds,) = grad(s, x, create_graph=True)
    assert ds.data == pytest.approx(s.data * (1 - s.data))
    ops = [v.op for v in ds.walk()]
    # s · (1 - s) and nothing more: no "× 1" for the seed of the output's gradient.
    assert sorted(op for op in ops if op) == ["mul", "sigmoid", "sub"]
    assert ds.op == "mul" and ds.parents[0] is s
    source = draw(ds, show_grad=False).source
    assert "1 - s" in source and "s · sub₁" in source
    # A derivative that is a node of the graph itself is not handed out as the gradient.
    (dx,) = grad(x * s, s, create_graph=True)
    assert dx is not x and dx.data == x.data
    (d2s,) = grad(ds, x)
    assert d2s.data == pytest.approx(s.data * (1 - s.data) * (1 - 2 * s.data))


def test_the_neurons_weight_gradient_is_the_input_times_tanhs_rule():
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.88, label="b")
    n = x1 * w1 + b
    o = n.tanh()
    (dw1,) = grad(o, w1, create_graph=True)
    # x1 · (1 - o·o): the adds on the way pass the gradient on as it is, with no "1 ·" nodes.
    assert dw1.op == "mul" and dw1.parents[0] is x1
    assert dw1.parents[1].op == "sub" and dw1.parents[1].parents[1].parents == (o, o)
    assert dw1.data == pytest.approx(x1.data * (1 - o.data**2))


def test_x_times_x_gives_x_plus_x():
    x = Value(3.0, label="x")
    (d,) = grad(x * x, x, create_graph=True)
    assert d.op == "add" and d.parents == (x, x) and d.data == 6.0


def test_every_result_is_a_node_of_the_callers_own():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    seed = Value(1.5, label="seed")
    da, db = grad(a + b, [a, b], gradient=seed, create_graph=True)
    assert da is not seed and db is not seed and da is not db
    assert (da.data, db.data) == (1.5, 1.5)
    (dx,) = grad(a * b, a, create_graph=True)  # ∂(a·b)/∂a is b itself
    assert dx is not b and dx.data == b.data
    dx.label = "mine"
    assert b.label == "b"
