"""Every row of the op table, checked against central differences and its own formulas."""

import math

import pytest

from autograd import OPS, Value, op_source
from tests.autograd.helpers import ALL_OPS, apply_op, central_difference


@pytest.mark.parametrize("name", ALL_OPS)
def test_row_is_complete(name):
    op = OPS[name]
    assert op.name == name
    assert op.symbol and op.doc and op.forward
    assert op.examples, f"op {name!r} needs example inputs to be tested"
    if op.arity is not None:
        assert len(op.grads) == op.arity == len(op.formulas)
        for example in op.examples:
            assert len(example) == op.arity


@pytest.mark.parametrize("name", ALL_OPS)
def test_local_grads_match_central_differences(name):
    for numbers in OPS[name].examples:
        node = apply_op(name, *map(Value, numbers))
        assert node.op == name
        assert len(node.local_grads) == len(node.parents) == len(numbers)
        for i in range(len(numbers)):
            numeric = central_difference(name, numbers, i)
            assert node.local_grads[i] == pytest.approx(numeric, rel=1e-6, abs=1e-8), (name, i)


@pytest.mark.parametrize("name", ALL_OPS)
def test_backward_multiplies_local_grads(name):
    for numbers in OPS[name].examples:
        leaves = [Value(x, label=f"v{i}") for i, x in enumerate(numbers)]
        node = apply_op(name, *leaves)
        (node * 2.0).backward()
        for i, leaf in enumerate(leaves):
            assert leaf.grad == pytest.approx(2.0 * node.local_grads[i])


@pytest.mark.parametrize("name", ALL_OPS)
def test_formulas_are_text_for_every_input(name):
    op = OPS[name]
    numbers = op.examples[0]
    node = apply_op(name, *map(Value, numbers))
    for i in range(len(node.parents)):
        formula = op.formula(i, node.op_arg)
        assert isinstance(formula, str) and formula
        assert "−" not in formula, "formulas use ASCII minus"
        assert op.input_name(i, node.op_arg)


@pytest.mark.parametrize("name", sorted(n for n in OPS if OPS[n].arity is not None))
def test_generated_source_uses_the_row(name):
    source = op_source(name)
    assert OPS[name].forward in source
    for grad in OPS[name].grads:
        assert grad in source


def test_formula_text_for_known_ops():
    assert OPS["mul"].formula(0) == "b"
    assert OPS["mul"].formula(1) == "a"
    assert OPS["tanh"].formula(0) == "1 - out²"
    assert OPS["sigmoid"].formula(0) == "out·(1 - out)"
    assert OPS["relu"].formula(0) == "1 if a > 0 else 0"
    assert OPS["pow"].formula(0, 2.0) == "2·a"
    assert OPS["pow"].formula(0, -1.0) == "-1·a⁻²"
    assert OPS["pow"].formula(0, 0.5) == "0.5·a^(-0.5)"
    names = ("w₁", "x₁", "b")
    assert [OPS["weighted_sum"].formula(i, names) for i in range(3)] == ["x₁", "w₁", "1"]


def test_conventions_at_kinks_follow_pytorch():
    # relu'(0) = 0 and abs'(0) = 0, as documented in the op rows.
    assert Value(0.0).relu().local_grads == (0.0,)
    assert abs(Value(0.0)).local_grads == (0.0,)
    assert "0" in OPS["relu"].doc and "0" in OPS["abs"].doc


def test_sigmoid_is_stable_for_large_inputs():
    assert Value(-800.0).sigmoid().data == pytest.approx(0.0)
    assert Value(800.0).sigmoid().data == 1.0
    assert math.isfinite(Value(-800.0).sigmoid().local_grads[0])
