"""Nudges: every op's finite-difference estimate matches its local derivative, and drawings and
explanations show it when asked."""

import math

import pytest

from autograd import Value, backprop_steps, draw, nudges
from autograd.ops import OPS, LeakyReluArg, Op, PowArg
from autograd.sums import weighted_sum


def nodes_for_every_row():
    for row in OPS.values():
        for example in row.examples:
            leaves = [Value(x, label=f"x{i}") for i, x in enumerate(example)]
            if row.name == "sum":
                import autograd

                yield row.name, autograd.sum(leaves)
            elif row.name == "weighted_sum":
                yield row.name, weighted_sum(leaves[:2], leaves[2:4], leaves[4])
            elif isinstance(row, Op) and row.arg_type is PowArg:
                yield row.name, leaves[0] ** 3
            elif isinstance(row, Op) and row.arg_type is LeakyReluArg:
                yield row.name, leaves[0].leaky_relu(0.1)
            else:
                from autograd import operators

                yield row.name, getattr(operators, row.name)(*leaves)


@pytest.mark.parametrize(("name", "node"), list(nodes_for_every_row()))
def test_the_nudge_estimates_every_local_derivative(name, node):
    assert node.op == name
    for index, local in enumerate(node.local_grads):
        estimate = nudges.nudge_estimate(node, index)
        assert math.isclose(estimate, local, rel_tol=1e-4, abs_tol=1e-6), (name, index)


def test_a_nudge_changes_nothing():
    x, w = Value(0.5, label="x"), Value(-2.0, label="w")
    y = (x * w).tanh()
    y.backward()
    before = [(v.data, v.grad, v.local_grads) for v in y.walk()]
    for node in y.walk():
        for i in range(len(node.parents)):
            nudges.nudge_estimate(node, i)
    assert [(v.data, v.grad, v.local_grads) for v in y.walk()] == before


def test_at_the_edge_of_the_domain_the_difference_is_one_sided():
    root = Value(0.0, label="z").sqrt()
    assert nudges.nudge_estimate(root, 0) == pytest.approx(1 / math.sqrt(1e-5))
    near = Value(1e-9, label="q").log()  # q - h is below 0: only q + h can be tried
    assert nudges.nudge_estimate(near, 0) == pytest.approx(
        math.log(1e-5 + 1e-9) / 1e-5 - math.log(1e-9) / 1e-5
    )


def test_no_estimate_for_a_leaf_or_where_the_op_is_defined_on_neither_side(monkeypatch):
    leaf = Value(1.0, label="x")
    assert nudges.nudge_estimate(leaf, 0) is None
    node = leaf.log()
    assert nudges.nudge_estimate(node, 5) is None

    def undefined(node, inputs):
        raise ValueError("nowhere")

    monkeypatch.setattr(nudges, "_output", undefined)
    assert nudges.nudge_estimate(node, 0) is None
    assert nudges.nudge_text(node, 0) == "nudge x: log is not defined on either side, no estimate"
    assert nudges.nudge_text(node, 0, short=True) == "nudged: not defined on either side"


def test_explain_with_nudge_adds_the_estimate_to_the_line():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    step = list(backprop_steps(c.tanh()))[1]
    plain = step.explain()
    nudged = step.explain(nudge=True)
    assert nudged.startswith(plain)
    assert nudged.endswith("(nudge a by ±2e-05: Δc/Δa ≈ -3)")
    ascii_line = step.explain(nudge=True, ascii=True)
    assert ascii_line.endswith("(nudge a by +/-2e-05: Dc/Da ~ -3)") and ascii_line.isascii()


def test_draw_with_nudge_puts_the_estimate_under_every_edge():
    x1, w1, b = Value(2.0, label="x1"), Value(-3.0, label="w1"), Value(6.88, label="b")
    out = (x1 * w1 + b).tanh()
    out.backward()
    plain = draw(out).source
    nudged = draw(out, nudge=True).source
    assert "nudged" not in plain
    assert nudged.count("nudged ±") == 5  # one per edge
    assert "∂mul₁/∂x1 = w1 = -3\\nnudged ±2e-05: ≈ -3" in nudged
