"""Tests for autograd.expr: the whitelist parser that turns text into a graph of Values."""

from __future__ import annotations

import ast
import builtins
import math

import pytest

from autograd import DomainError, ExpressionError, Value, parse_expression, topological_order
from autograd.expr import FUNCTIONS, MAX_LENGTH, expression_names


def leaves_of(root):
    return {node.label: node for node in topological_order(root) if node.label}


@pytest.mark.parametrize(
    ("text", "expected", "op"),
    [
        ("x + y", 5.0, "add"),
        ("x - y", -1.0, "sub"),
        ("x * y", 6.0, "mul"),
        ("x / y", 2.0 / 3.0, "div"),
        ("x ** 2", 4.0, "pow"),
        ("x ** y", 8.0, "pow_value"),
        ("2 ** x", 4.0, "pow_value"),
        ("-x", -2.0, "neg"),
        ("+x", 2.0, ""),
        ("(x + y) * x", 10.0, "mul"),
        ("exp(x)", math.exp(2.0), "exp"),
        ("log(y)", math.log(3.0), "log"),
        ("sqrt(y)", math.sqrt(3.0), "sqrt"),
        ("tanh(x - y)", math.tanh(-1.0), "tanh"),
        ("sigmoid(x)", 1.0 / (1.0 + math.exp(-2.0)), "sigmoid"),
        ("relu(x - y)", 0.0, "relu"),
        ("abs(x - y)", 1.0, "abs"),
        ("1.5e1 * x", 30.0, "mul"),
    ],
)
def test_every_allowed_form_builds_the_right_node(text, expected, op):
    root = parse_expression(text, {"x": 2.0, "y": 3.0})
    assert root.data == pytest.approx(expected, rel=1e-15)
    assert root.op == op


def test_the_graph_matches_one_built_by_hand():
    root = parse_expression("tanh(w*x + b)", {"w": 0.5, "x": -1.0, "b": 0.1})
    root.backward()
    leaves = leaves_of(root)
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    by_hand = (w * x + b).tanh()
    by_hand.backward()
    assert root.data == by_hand.data
    assert [leaves[name].grad for name in "wxb"] == [w.grad, x.grad, b.grad]
    assert [node.op for node in topological_order(root)] == [
        node.op for node in topological_order(by_hand)
    ]


def test_a_variable_is_one_shared_leaf():
    root = parse_expression("x*x + x", {"x": 3.0})
    root.backward()
    (x,) = [node for node in topological_order(root) if node.label == "x"]
    assert x.grad == 7.0


def test_given_values_are_used_as_they_are():
    x = Value(2.0, label="input")
    root = parse_expression("x * 3", {"x": x})
    assert root.parents[0] is x
    root.backward()
    assert x.grad == 3.0


def test_parts_made_only_of_numbers_become_one_constant():
    root = parse_expression("x ** (1/2) * (2 * 3)", {"x": 4.0})
    assert root.data == 12.0
    power, constant = root.parents
    assert (power.op, power.op_arg.n) == ("pow", 0.5)
    assert (constant.op, constant.data, constant.parents) == ("", 6.0, ())
    assert parse_expression("(-2) ** 2 * x", {"x": 1.0}).data == 4.0
    only_numbers = parse_expression("exp(0) + 1", {})
    assert (only_numbers.data, only_numbers.parents) == (2.0, ())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os').system('x')", r"attribute access \(\.\) is not allowed"),
        ("__import__('os')", r"unknown function '__import__'"),
        ("x.real", r"attribute access \(\.\) is not allowed"),
        ("x[0]", r"a subscript \(\[\]\) is not allowed"),
        ("lambda: x", "a lambda is not allowed"),
        ("[x for x in y]", "a comprehension is not allowed"),
        ("sum(x for x in y)", "unknown function 'sum'"),
        ("foo(x)", "unknown function 'foo'; the functions are abs, exp, log"),
        ("exp(x=1)", r"exp\(\) takes no keyword arguments"),
        ("exp(x, y)", r"exp\(\) takes one argument, got 2: write exp\(x\)"),
        ("exp()", r"exp\(\) takes one argument, got 0"),
        ("exp(*y)", r"a starred argument is not allowed: write exp\(x\)"),
        ("leaky_relu(x, 1, 2)", r"leaky_relu\(\) takes 1 to 2 arguments, got 3"),
        ("leaky_relu(x, y)", r"parameters of leaky_relu\(x, negative_slope\) must be numbers"),
        ("'text'", "a string is not allowed, only real numbers"),
        ("b'x'", "a bytes string is not allowed"),
        ("True + x", "a bool is not allowed"),
        ("1j * x", "a complex number is not allowed"),
        ("None", "None is not allowed"),
        ("x < y", "a comparison is not allowed"),
        ("x and y", "and/or is not allowed"),
        ("x if y else 1", "if/else is not allowed"),
        ("(x := 1)", ":= is not allowed"),
        ("x, y", r"a tuple \(,\) is not allowed"),
        ("[x]", "a list is not allowed"),
        ("{x: y}", "a dict is not allowed"),
        ("{x}", "a set is not allowed"),
        ("f'{x}'", "a string is not allowed"),
        ("x // y", "the operator // is not allowed"),
        ("x % y", "the operator % is not allowed"),
        ("x ^ 2", r"the operator \^ \(write powers as \*\*\) is not allowed"),
        ("x @ y", "the operator @ is not allowed"),
        ("not x", "the operator not is not allowed"),
        ("~x", "the operator ~ is not allowed"),
        ("exp", r"'exp' is a function: call it, as in exp\(x\)"),
        ("exp(x)(y)", "calling the result of an expression is not allowed"),
        ("x.exp()", r"attribute access \(\.\) is not allowed"),
        ("x = 1", "cannot read the expression at column"),
        ("x; y", "cannot read the expression"),
        ("(x", "cannot read the expression"),
        ("", "the expression is empty"),
        ("   ", "the expression is empty"),
        ("1e999 * x", "the number inf is not finite"),
        ("(" * 300 + "x" + ")" * 300, "nested too deeply|cannot read"),
        ("-" * 5000 + "x", "nested too deeply"),
        ("x+" * 2000 + "x", "nested too deeply to build"),
        ("x" * (MAX_LENGTH + 1), f"the limit is {MAX_LENGTH}"),
    ],
)
def test_anything_outside_the_whitelist_is_refused_in_one_line(text, message):
    with pytest.raises(ExpressionError, match=message) as caught:
        parse_expression(text, {"x": 1.0, "y": 2.0})
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_a_variable_without_a_value_is_named():
    with pytest.raises(
        ExpressionError, match=r"the variable 'z' has no value: give it one, e\.g\. z=1\.0"
    ):
        parse_expression("x + z", {"x": 1.0})


def test_bad_variables_are_refused():
    with pytest.raises(ExpressionError, match="'exp' is a function name and cannot be a variable"):
        parse_expression("x", {"x": 1.0, "exp": 2.0})
    with pytest.raises(ExpressionError, match=r"variable 'x': .*must be a number"):
        parse_expression("x", {"x": "one"})
    with pytest.raises(ExpressionError, match=r"variable 'x': .*must be a finite number"):
        parse_expression("x", {"x": math.inf})
    with pytest.raises(TypeError, match="the expression must be a str, not int"):
        parse_expression(3, {})


def test_undefined_maths_gives_the_engines_domain_error():
    with pytest.raises(DomainError, match="log: the input must be > 0"):
        parse_expression("log(x)", {"x": 0.0})
    with pytest.raises(DomainError, match="log: the input must be > 0"):
        parse_expression("log(0) * x", {"x": 1.0})
    with pytest.raises(DomainError, match="division by zero"):
        parse_expression("x / (y - 2)", {"x": 1.0, "y": 2.0})
    with pytest.raises(DomainError, match="pow"):
        parse_expression("9 ** 9 ** 9 * x", {"x": 1.0})


def test_nothing_is_ever_evaluated_as_python(monkeypatch, tmp_path):
    real_compile = builtins.compile

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec must not run on user text")

    def only_syntax_trees(source, filename, mode, flags=0, *args, **kwargs):
        # ast.parse compiles to a syntax tree only; anything runnable is forbidden.
        if not flags & ast.PyCF_ONLY_AST:
            raise AssertionError("user text must not be compiled to code")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", only_syntax_trees)
    target = tmp_path / "touched"
    with pytest.raises(ExpressionError):
        parse_expression(f"__import__('os').system('touch {target}')", {})
    root = parse_expression("tanh(x) * 2 ** x", {"x": 0.5})
    monkeypatch.undo()
    assert root.data == pytest.approx(math.tanh(0.5) * 2**0.5)
    assert not target.exists()


def test_expression_names_in_order_of_appearance():
    assert expression_names("tanh(w*x + b) + exp(a) * w") == ["w", "x", "b", "a"]
    assert expression_names("2 + 3") == []
    with pytest.raises(ExpressionError, match="cannot read"):
        expression_names("x +")


def test_the_functions_are_exactly_the_whitelist():
    from autograd import OPS

    assert tuple(row.function for row in OPS.values() if row.function) == FUNCTIONS
    assert {"exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "sin", "cos"} <= set(FUNCTIONS)
    assert {"softplus", "leaky_relu"} <= set(FUNCTIONS)
    assert parse_expression("leaky_relu(x, 0.25)", {"x": -2.0}).data == -0.5
    for name in FUNCTIONS:
        assert parse_expression(f"{name}(x)", {"x": 0.5}).op == name
