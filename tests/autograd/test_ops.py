"""Every row of the op table, checked against central differences, its Value rules and its
displays; adding a row is enough for all of these to test it."""

import inspect
import math
import traceback

import pytest

import autograd
from autograd import OPS, Value, codegen, grad, gradcheck, operators, parse_expression
from autograd.ops import Op, PowArg, fill
from tests.autograd.helpers import ALL_OPS, FIXED_OPS, apply_op, central_difference, params_for


@pytest.mark.parametrize("name", ALL_OPS)
def test_row_is_complete(name):
    op = OPS[name]
    assert op.name == name and op.doc
    assert op.examples, f"op {name!r} needs example inputs to be tested"
    if isinstance(op, Op):
        assert op.forward and op.shows
        assert len(op.derivatives) == op.arity == len(op.formula_templates(PowArg(2.0)))
        for example in op.examples:
            assert len(example) == op.arity
        assert op.methods, f"op {name!r} provides no Value method"


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
def test_gradcheck_passes_at_every_example(name):
    for numbers in OPS[name].examples:
        assert gradcheck(lambda *xs: apply_op(name, *xs), *numbers).passed


@pytest.mark.parametrize("name", ALL_OPS)
def test_value_rules_give_the_same_numbers_as_the_float_rules(name):
    # create_graph=True evaluates the row's derivative rules on Values: same numbers.
    for numbers in OPS[name].examples:
        leaves = [Value(x) for x in numbers]
        node = apply_op(name, *leaves)
        with_graph = grad(node, leaves, create_graph=True)
        without = grad(node, leaves)
        for i in range(len(leaves)):
            assert with_graph[i].data == pytest.approx(without[i].data, rel=1e-12)
            assert without[i].data == pytest.approx(node.local_grads[i], rel=1e-12)
        assert all(leaf.grad == 0.0 for leaf in leaves)


@pytest.mark.parametrize("name", ALL_OPS)
def test_displays_are_text_for_every_input(name):
    op = OPS[name]
    node = apply_op(name, *(Value(x, label=f"in{i}") for i, x in enumerate(op.examples[0])))
    names = [p.label for p in node.parents]
    shown = op.forward_text(names, node.op_arg)
    assert all(n in shown for n in names), shown
    for i in range(len(node.parents)):
        formula = op.formula_text(i, names, node.op_arg, out="y")
        assert isinstance(formula, str) and formula
        assert "{" not in formula and "−" not in formula, "formulas use ASCII minus"


@pytest.mark.parametrize("name", FIXED_OPS)
def test_operators_are_real_source_code(name):
    function = getattr(operators, name)
    source = inspect.getsource(function)
    assert source.startswith(f"def {name}(")
    for method in OPS[name].methods:
        assert hasattr(Value, method), (name, method)
    assert inspect.getsourcefile(Value.__mul__).endswith("operators.py")


def test_tracebacks_show_the_operator_line():
    try:
        Value(1.0) / 0
    except autograd.DomainError as error:
        frames = traceback.extract_tb(error.__traceback__)
    assert frames[-1].filename.endswith("operators.py")
    assert "raise _domain_error" in frames[-1].line


def test_the_generated_module_is_current():
    # After changing a row: python -m autograd.codegen
    for path, source in codegen.generated().items():
        assert path.read_text(encoding="utf-8") == source, f"{path.name} is out of date"
    assert codegen.main(["--check"]) == 0


@pytest.mark.parametrize("name", [n for n in FIXED_OPS if OPS[n].function])
def test_the_parser_accepts_every_function_row(name):
    row = OPS[name]
    x = row.examples[0][0]
    params = "".join(f", {p}" for p in params_for(name))
    y = parse_expression(f"{row.function}(x{params})", {"x": x})
    assert y.op == name
    assert y.data == pytest.approx(apply_op(name, Value(x)).data)


def test_known_formulas_read_as_people_write_them():
    assert OPS["mul"].formula_text(0, ["w", "x"]) == "x"
    assert OPS["tanh"].formula_text(0, ["z"], out="out") == "1 - out²"
    assert OPS["sigmoid"].formula_text(0, ["z"], out="s") == "s·(1 - s)"
    assert OPS["relu"].formula_text(0, ["z"]) == "1 if z > 0 else 0"
    pow_row = OPS["pow"]
    assert pow_row.formula_text(0, ["x"], PowArg(2.0)) == "2·x"
    assert pow_row.formula_text(0, ["x"], PowArg(-1.0)) == "-1·x⁻²"
    assert pow_row.formula_text(0, ["x"], PowArg(0.5)) == "0.5·x^(-0.5)"
    assert pow_row.formula_text(0, ["x"], PowArg(0.0)) == "0"
    s = autograd.weighted_sum([Value(1.0, label="w")], [2.0], Value(0.0, label="b"))
    assert OPS["weighted_sum"].forward_text(["w", "2", "b"], s.op_arg) == "w·2 + b"
    assert [OPS["weighted_sum"].formula_text(i, ["w", "2", "b"], s.op_arg) for i in range(3)] == [
        "2",
        "w",
        "1",
    ]


def test_fill_groups_compound_names():
    assert fill("{a}^{n}", {"a": "-3", "n": "2"}) == "(-3)^2"
    assert fill("σ({a})", {"a": "a + b"}) == "σ(a + b)"
    assert fill("{a} · {b}", {"a": "mul₁", "b": "0.5"}) == "mul₁ · 0.5"


def test_conventions_at_kinks_follow_pytorch():
    # relu'(0) = 0, abs'(0) = 0 and leaky_relu'(0) = slope, as documented in the rows.
    assert Value(0.0).relu().local_grads == (0.0,)
    assert abs(Value(0.0)).local_grads == (0.0,)
    assert Value(0.0).leaky_relu(0.2).local_grads == (0.2,)
    assert "0" in OPS["relu"].doc and "0" in OPS["abs"].doc


def test_leaky_relu_keeps_its_slope_as_a_structured_argument():
    y = Value(-2.0).leaky_relu(negative_slope=0.1)
    assert y.data == pytest.approx(-0.2) and y.op_arg.negative_slope == 0.1
    assert Value(-2.0).leaky_relu().op_arg.negative_slope == 0.01
    with pytest.raises(TypeError, match="leaky_relu: the slope negative_slope"):
        Value(1.0).leaky_relu("steep")


def test_sigmoid_and_softplus_are_stable_for_large_inputs():
    assert Value(-800.0).sigmoid().data == pytest.approx(0.0)
    assert Value(800.0).sigmoid().data == 1.0
    assert math.isfinite(Value(-800.0).sigmoid().local_grads[0])
    assert Value(800.0).softplus().data == 800.0
    assert Value(-800.0).softplus().data == pytest.approx(0.0)
