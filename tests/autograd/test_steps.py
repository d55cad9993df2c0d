"""Tests for autograd.steps: the chain-rule loop, Step, ForwardStep and their explanations."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
import autograd.steps as steps_module
from autograd import OPS, DomainError, Step, Value, backprop_steps, topological_order
from autograd.steps import ForwardStep, chain_rule, loss_name, step_names
from autograd.text import number_text, to_ascii

# ---------------------------------------------------------------------------------------------
# Random expression DAGs: each op takes operands from everything built so far, so leaves and
# subexpressions are shared (and an op may take the same operand twice).

GRAPH_OPS = {
    "add": lambda a, b, c, d: a + b,
    "sub": lambda a, b, c, d: a - b,
    "mul": lambda a, b, c, d: a * b,
    "div": lambda a, b, c, d: a / (b * b + 1.0),
    "neg": lambda a, b, c, d: -a,
    "square": lambda a, b, c, d: a**2,
    "tanh": lambda a, b, c, d: a.tanh(),
    "sigmoid": lambda a, b, c, d: a.sigmoid(),
    "relu": lambda a, b, c, d: a.relu(),
    "abs": lambda a, b, c, d: abs(a),
    "exp": lambda a, b, c, d: a.tanh().exp(),
    "sum": lambda a, b, c, d: autograd.sum([a, b, c]),
    "weighted_sum": lambda a, b, c, d: autograd.weighted_sum([a, b], [c, a], bias=d),
    "weighted_sum_numbers": lambda a, b, c, d: autograd.weighted_sum([a, b], [0.5, -1.5]),
}


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[float], list[tuple[str, list[int]]]]:
    """A recipe for a random graph: the leaves' numbers and a list of (op, operand picks)."""
    numbers = draw(st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=1, max_size=4))
    program = draw(
        st.lists(
            st.tuples(
                st.sampled_from(sorted(GRAPH_OPS)),
                st.lists(st.integers(0, 1000), min_size=4, max_size=4),
            ),
            min_size=1,
            max_size=10,
        )
    )
    return numbers, program


def build(recipe: tuple[list[float], list[tuple[str, list[int]]]]) -> tuple[list[Value], Value]:
    """Build the graph of a recipe; the same recipe always builds an identical graph."""
    numbers, program = recipe
    pool = [Value(x, label=f"x{i}") for i, x in enumerate(numbers)]
    leaves = list(pool)
    for name, picks in program:
        operands = [pool[pick % len(pool)] for pick in picks]
        node = GRAPH_OPS[name](*operands)
        if abs(node.data) > 1e6:  # keep every number finite however the ops combine
            node = node.tanh()
        pool.append(node)
    return leaves, pool[-1]


def grads(root: Value) -> list[float]:
    return [node.grad for node in topological_order(root)]


# ---------------------------------------------------------------------------------------------
# The loop.


def test_steps_of_a_small_graph_in_backward_order():
    a, b, c = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c")
    d = a * b
    loss = d + c
    steps = list(backprop_steps(loss))
    assert [(s.node, s.parent, s.index) for s in steps] == [
        (loss, d, 0),
        (loss, c, 1),
        (d, a, 0),
        (d, b, 1),
    ]
    assert [s.local_grad for s in steps] == [1.0, 1.0, -3.0, 2.0]
    assert [s.upstream for s in steps] == [1.0, 1.0, 1.0, 1.0]
    assert [s.contribution for s in steps] == [1.0, 1.0, -3.0, 2.0]
    assert all(s.grad_before == 0.0 for s in steps)
    assert [s.grad_after for s in steps] == [1.0, 1.0, -3.0, 2.0]
    assert all(s.root is loss for s in steps)


def test_a_value_used_twice_accumulates_step_by_step():
    x = Value(3.0, label="x")
    steps = list(backprop_steps(x * x))
    assert [(s.index, s.grad_before, s.grad_after) for s in steps] == [(0, 0.0, 3.0), (1, 3.0, 6.0)]
    assert x.grad == 6.0


def test_steps_are_yielded_lazily_and_change_the_graph_as_they_go():
    w, x = Value(0.5, label="w"), Value(-1.0, label="x")
    out = (w * x).tanh()
    walker = backprop_steps(out)
    assert w.grad == 0.0 and out.grad == 0.0
    first = next(walker)
    assert first.parent is out.parents[0] and out.grad == 1.0 and w.grad == 0.0
    second = next(walker)
    assert second.parent is w and w.grad == second.grad_after


def test_a_leaf_root_has_no_steps_and_gets_gradient_one():
    x = Value(4.0)
    assert list(backprop_steps(x)) == []
    assert x.grad == 1.0


def test_backward_makes_no_step_objects(monkeypatch):
    class NoSteps:
        def __init__(self, *args):
            raise AssertionError("backward() must not build Step objects")

    monkeypatch.setattr(steps_module, "Step", NoSteps)
    x = Value(3.0, label="x")
    y = (x * x + x).tanh()
    y.backward()
    assert x.grad == pytest.approx((1 - math.tanh(12.0) ** 2) * 7.0)
    with pytest.raises(AssertionError, match="must not build Step"):
        list(backprop_steps(y))


def test_chain_rule_without_steps_yields_nothing_but_fills_grads():
    x = Value(2.0, label="x")
    assert list(chain_rule(x**3, steps=False)) == []
    assert x.grad == 12.0


def test_backprop_needs_a_value():
    with pytest.raises(TypeError, match="backprop starts from a Value, not float"):
        list(backprop_steps(2.0))


def test_overflow_raises_the_engines_error_after_the_last_step():
    x = Value(1e-200, label="x")
    z = (x * 1e200) * 1e200  # every value finite, but dz/dx = 1e400 overflows
    walker = backprop_steps(z)
    assert len([next(walker), next(walker)]) == 2
    with pytest.raises(DomainError, match=r"gradient of 'x' .* is inf: the chain rule overflowed"):
        next(walker)
    assert x.grad == 0.0  # put back as it was


# ---------------------------------------------------------------------------------------------
# Properties on random graphs.


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_contributions_add_up_exactly_to_backwards_gradients(recipe):
    leaves, root = build(recipe)
    twin_leaves, twin_root = build(recipe)
    twin_root.backward()
    totals = {node: 0.0 for node in topological_order(root)}
    totals[root] = 1.0
    for step in backprop_steps(root):
        totals[step.parent] = totals[step.parent] + step.contribution
    for node, twin in zip(topological_order(root), topological_order(twin_root), strict=True):
        assert totals[node] == twin.grad
    assert [leaf.grad for leaf in leaves] == [leaf.grad for leaf in twin_leaves]


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_each_step_is_the_chain_rule_on_a_complete_gradient(recipe):
    _, root = build(recipe)
    taken = list(backprop_steps(root))
    for step in taken:
        # The gradient passed back is already final: nothing reaches the node afterwards.
        assert step.upstream == step.node.grad
        assert step.parent is step.node.parents[step.index]
        assert step.local_grad == step.node.local_grads[step.index]
        assert step.contribution == step.local_grad * step.upstream
        assert step.grad_after == step.grad_before + step.contribution
    # A node is never the parent of a step after its own gradient was passed back.
    pushed = {}
    for position, step in enumerate(taken):
        pushed.setdefault(step.node, position)
    for position, step in enumerate(taken):
        assert step.parent not in pushed or pushed[step.parent] > position


@settings(max_examples=100, deadline=None)
@given(graphs())
def test_exhausted_steps_leave_the_graph_exactly_as_backward(recipe):
    leaves, root = build(recipe)
    twin_leaves, twin_root = build(recipe)
    for leaf, twin in zip(leaves, twin_leaves, strict=True):
        leaf.grad = twin.grad = 0.25  # leaves accumulate in both
    twin_root.backward()
    for _ in backprop_steps(root):
        pass
    assert grads(root) == grads(twin_root)


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_every_step_explains_itself_in_unicode_and_pure_ascii(recipe):
    _, root = build(recipe)
    names = step_names(root)
    for step in backprop_steps(root):
        text = step.explain(names)
        assert text.endswith(f" = {number_text(step.contribution)}")
        assert "−" not in text
        plain = step.explain(names, ascii=True)
        assert plain.isascii()
        assert plain.startswith("dL/d")


# ---------------------------------------------------------------------------------------------
# Explanations.


def test_explain_reads_like_the_hand_calculation():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    loss = c * 0.5
    steps = list(backprop_steps(loss))
    assert len(steps) == 3  # none into the constant 0.5
    assert steps[1].explain() == "∂L/∂a += ∂c/∂a · ∂L/∂c = b · ∂L/∂c = (-3)(0.5) = -1.5"
    assert steps[1].explain(ascii=True) == "dL/da += dc/da * dL/dc = b * dL/dc = (-3)(0.5) = -1.5"
    # The root node has its drawing's name (mul₁); "L" is only the quantity differentiated.
    assert steps[0].explain() == "∂L/∂c += ∂mul₁/∂c · ∂L/∂mul₁ = 0.5 · ∂L/∂mul₁ = (0.5)(1) = 0.5"


def test_explain_puts_the_inputs_own_names_into_the_formula():
    w, x = Value(0.5, label="w"), Value(-1.0, label="x")
    b = Value(0.1, label="b")
    out = (w * x + b).tanh()
    out.label = "y"
    texts = [s.explain() for s in backprop_steps(out)]
    assert texts[0] == "∂y/∂add₁ += ∂y/∂add₁ · ∂y/∂y = (1 - y²) · ∂y/∂y = (0.8556)(1) = 0.8556"
    assert texts[3] == "∂y/∂w += ∂mul₁/∂w · ∂y/∂mul₁ = x · ∂y/∂mul₁ = (-1)(0.8556) = -0.8556"
    assert texts[4] == "∂y/∂x += ∂mul₁/∂x · ∂y/∂mul₁ = w · ∂y/∂mul₁ = (0.5)(0.8556) = 0.4278"


def test_explain_with_a_names_dict_and_a_swapped_formula():
    p, q = Value(3.0, label="p"), Value(4.0, label="q")
    ratio = p / q
    names = {p: "top", q: "bottom", ratio: "r"}
    first, second = backprop_steps(ratio)
    assert (
        first.explain(names) == "∂L/∂top += ∂r/∂top · ∂L/∂r = (1/bottom) · ∂L/∂r = (0.25)(1) = 0.25"
    )
    assert second.explain(names, ascii=True) == (
        "dL/dbottom += dr/dbottom * dL/dr = (-top/bottom^2) * dL/dr = (-0.1875)(1) = -0.1875"
    )


def test_explain_weighted_sum_with_number_inputs_shows_the_number():
    w1, w2 = Value(0.5, label="w1"), Value(-2.0, label="w2")
    bias = Value(0.1, label="b")
    total = autograd.weighted_sum([w1, w2], [3.0, -4.0], bias=bias)
    texts = [s.explain(ascii=True) for s in backprop_steps(total)]
    assert texts == [
        "dL/dw1 += dweighted_sum1/dw1 * dL/dweighted_sum1 = 3 * dL/dweighted_sum1 = (3)(1) = 3",
        "dL/dw2 += dweighted_sum1/dw2 * dL/dweighted_sum1 = -4 * dL/dweighted_sum1 = (-4)(1) = -4",
        "dL/db += dweighted_sum1/db * dL/dweighted_sum1 = 1 * dL/dweighted_sum1 = (1)(1) = 1",
    ]


def test_explain_without_a_root_calls_the_loss_L():
    a, b = Value(2.0, label="a"), Value(5.0, label="b")
    step = Step(a * b, a, 0, 5.0, 2.0, 10.0, 0.0, 10.0)
    assert step.explain() == "∂L/∂a += ∂mul₁/∂a · ∂L/∂mul₁ = b · ∂L/∂mul₁ = (5)(2) = 10"


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_op_explains_in_pure_ascii(name):
    a, b, c = Value(0.7, label="a"), Value(1.3, label="b"), Value(-0.4, label="c")
    node = {
        "add": lambda: a + b,
        "sub": lambda: a - b,
        "mul": lambda: a * b,
        "div": lambda: a / b,
        "pow_value": lambda: a**b,
        "pow": lambda: a**-1.5,
        "neg": lambda: -a,
        "abs": lambda: abs(a),
        "exp": lambda: a.exp(),
        "log": lambda: a.log(),
        "sqrt": lambda: a.sqrt(),
        "tanh": lambda: a.tanh(),
        "sigmoid": lambda: a.sigmoid(),
        "relu": lambda: a.relu(),
        "leaky_relu": lambda: a.leaky_relu(0.2),
        "sin": lambda: a.sin(),
        "cos": lambda: a.cos(),
        "softplus": lambda: a.softplus(),
        "sum": lambda: autograd.sum([a, b, c]),
        "weighted_sum": lambda: autograd.weighted_sum([a, b], [c, a], bias=b),
    }[name]()
    assert node.op == name
    for step in backprop_steps(node):
        plain = step.explain(ascii=True)
        assert plain.isascii(), plain
        assert plain.endswith(number_text(step.contribution))
    forward = ForwardStep(node, node)
    assert forward.explain(ascii=True).isascii()
    assert forward.explain().endswith(f"= {number_text(node.data)}")


def test_numbers_have_four_significant_digits_and_an_ascii_minus():
    assert number_text(-0.000123456) == "-0.0001235"
    assert number_text(123456.0) == "1.235e+05"
    assert number_text(-0.0) == "0"
    assert number_text(2.0 / 3.0, digits=2) == "0.67"


def test_to_ascii_converts_every_symbol():
    assert to_ascii("∂L/∂w₁₂ · σ(x)") == "dL/dw12 * sigmoid(x)"
    assert to_ascii("3·a² + a⁻¹·⁵ + xᵢ + tₙ … −1") == "3*a^2 + a^(-1.5) + x_i + t_n ... -1"
    assert to_ascii("Σw·x") == "sumw*x"
    assert to_ascii("café λ") == "cafe \\u03bb"


def test_step_names_call_the_root_node_as_drawings_do():
    x = Value(1.0, label="x")
    out = x * 2
    assert step_names(out)[out] == "mul₁"
    out.label = "loss"
    assert step_names(out)[out] == "loss"
    assert step_names(out)[x] == "x"


def test_the_first_step_names_the_root_node_not_the_loss():
    x = Value(3.0, label="x")
    first = next(backprop_steps(x * x))
    assert first.explain() == "∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3"
    w = Value(0.5, label="w")
    out = (w * x).tanh()
    first = next(backprop_steps(out))
    assert first.explain() == (
        "∂L/∂mul₁ += ∂tanh₁/∂mul₁ · ∂L/∂tanh₁ = (1 - tanh₁²) · ∂L/∂tanh₁ = (0.1807)(1) = 0.1807"
    )
    assert first.explain(ascii=True).startswith("dL/dmul1 += dtanh1/dmul1 * dL/dtanh1 = ")


def test_loss_name_avoids_the_names_of_other_values():
    big_l, x, out_var = Value(2.0, label="L"), Value(3.0, label="x"), Value(1.0, label="out")
    assert loss_name(x * x) == "L"
    assert loss_name(big_l * x) == "out"
    assert loss_name(big_l * out_var) == "out2"
    labelled = big_l * x
    labelled.label = "loss"
    assert loss_name(labelled) == "loss"
    root = big_l * x
    assert loss_name(root, {big_l: "p", x: "x", root: "L"}) == "L"  # the root's own name is fine


def test_a_variable_called_L_does_not_clash_with_the_loss():
    big_l, x = Value(2.0, label="L"), Value(3.0, label="x")
    root = big_l * x
    first, second = backprop_steps(root)
    assert first.explain() == "∂out/∂L += ∂mul₁/∂L · ∂out/∂mul₁ = x · ∂out/∂mul₁ = (3)(1) = 3"
    assert second.explain(loss="E") == "∂E/∂x += ∂mul₁/∂x · ∂E/∂mul₁ = L · ∂E/∂mul₁ = (2)(1) = 2"
    assert ForwardStep(root, root).explain() == "out = mul₁ = L · x = 2 · 3 = 6"
    # Without a root, the step's own graph decides.
    bare = Step(root, big_l, 0, 3.0, 1.0, 3.0, 0.0, 3.0)
    assert bare.explain().startswith("∂out/∂L += ∂mul₁/∂L · ∂out/∂mul₁")


def test_a_labelled_root_names_the_loss_and_its_forward_line_once():
    w = Value(0.5, label="w")
    out = w * 2
    out.label = "E"
    assert ForwardStep(out, out).explain() == "E = w · 2 = 0.5 · 2 = 1"
    assert next(backprop_steps(out)).explain().startswith("∂E/∂w += ∂E/∂w · ∂E/∂E = 2")


def test_forward_steps_explain_each_kind_of_node():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(2.0, label="b")
    examples = {
        "w · x = 0.5 · (-1) = -0.5": w * x,
        "b^3 = 2^3 = 8": b**3,
        "-x = -(-1) = 1": -x,
        "σ(w) = σ(0.5) = 0.6225": w.sigmoid(),
        "w + x + b = 0.5 + (-1) + 2 = 1.5": autograd.sum([w, x, b]),
        "w·x + b = 0.5·(-1) + 2 = 1.5": autograd.weighted_sum([w], [x], bias=b),
        "w·3 + 0.25 = 0.5·3 + 0.25 = 1.75": autograd.weighted_sum([w], [3.0], bias=0.25),
        "2·x + b·4 + 1·7 = 2·(-1) + 2·4 + 1·7 = 13": autograd.weighted_sum(
            [2.0, b, 1.0], [x, 4.0, 7.0]
        ),
        "|x| = |-1| = 1": abs(x),
        "b^w = 2^0.5 = 1.414": b**w,
        "LeakyReLU(x) = LeakyReLU(-1) = -0.01": x.leaky_relu(),
    }
    for expected, node in examples.items():
        text = ForwardStep(node, node).explain()
        assert text == f"L = {node.op}₁ = {expected}", text
    assert ForwardStep(w.sigmoid(), None).explain(ascii=True) == (
        "sigmoid1 = sigmoid(w) = sigmoid(0.5) = 0.6225"
    )
