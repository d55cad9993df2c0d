"""Tests for autograd.Stepper: walking the backward (or forward) pass to and fro."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd.stepper
from autograd import DomainError, Step, Stepper, Value, backprop_steps, palette, topological_order
from autograd.steps import ForwardStep
from tests.autograd.test_steps import build, grads, graphs


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    product = w * x
    total = product + b
    out = total.tanh()
    return w, x, b, product, total, out


def test_a_new_stepper_stands_at_position_zero_with_only_the_root_gradient():
    *_, out = neuron()
    stepper = Stepper(out)
    assert len(stepper) == 5
    assert stepper.position == 0 and stepper.current is None
    assert grads(out) == [0.0, 0.0, 0.0, 0.0, 0.0, 1.0]
    assert repr(stepper) == "Stepper(backward, position 0 of 5)"


def test_next_and_back_apply_and_undo_one_step_each():
    *_, product, total, out = neuron()
    stepper = Stepper(out)
    first = stepper.next()
    assert isinstance(first, Step) and first.parent is total and first.node is out
    assert total.grad == first.contribution and stepper.current is first
    second = stepper.next()
    assert second.parent is product and product.grad == second.grad_after
    assert stepper.position == 2
    assert stepper.back() is second
    assert product.grad == 0.0 and total.grad == first.grad_after
    assert stepper.back() is first
    assert total.grad == 0.0 and stepper.current is None


def test_the_ends_raise_a_clear_error():
    stepper = Stepper(Value(2.0, label="a") * Value(3.0, label="b"))
    with pytest.raises(ValueError, match=r"at the start \(position 0\)"):
        stepper.back()
    stepper.goto(2)
    with pytest.raises(ValueError, match="at the end: all 2 steps are applied"):
        stepper.next()
    assert stepper.position == 2


def test_goto_validates_its_position():
    stepper = Stepper(Value(2.0) * Value(3.0))
    for bad in (-1, 3, 100):
        with pytest.raises(ValueError, match=r"position must be between 0 and 2 .* got"):
            stepper.goto(bad)
    for bad in ("1", 1.0, True, None):
        with pytest.raises(TypeError, match="position must be an int"):
            stepper.goto(bad)
    assert stepper.position == 0


def test_goto_and_reset_move_anywhere():
    w, x, b, _product, _total, out = neuron()
    stepper = Stepper(out)
    assert stepper.goto(4) is stepper.steps[3]
    assert w.grad == stepper.steps[3].grad_after and x.grad == 0.0
    assert stepper.goto(1) is stepper.steps[0]
    assert w.grad == 0.0 and b.grad == 0.0
    stepper.reset()
    assert stepper.position == 0 and grads(out) == [0.0] * 5 + [1.0]


def test_at_the_end_every_gradient_is_what_a_fresh_backward_gives():
    w, x, b, _product, _total, out = neuron()
    for leaf in (w, x, b):
        leaf.grad = 7.0  # left over from an earlier backward: the stepper starts fresh
    stepper = Stepper(out)
    stepper.goto(len(stepper))
    twin = neuron()
    twin[-1].backward()
    assert grads(out) == grads(twin[-1])


def test_restore_puts_back_the_gradients_from_before_and_a_move_resumes():
    w, _x, _b, _product, _total, out = neuron()
    out.backward()
    out.backward()  # leaves hold twice the gradient now
    before = grads(out)
    stepper = Stepper(out)
    stepper.goto(3)
    at_three = grads(out)
    assert at_three != before
    stepper.restore()
    assert grads(out) == before
    assert stepper.position == 3
    stepper.goto(3)
    assert grads(out) == at_three
    stepper.restore()
    stepper.next()
    assert stepper.position == 4 and w.grad == stepper.current.grad_after


def test_a_leaf_root_has_no_steps():
    x = Value(3.0, label="x")
    x.grad = 5.0
    stepper = Stepper(x)
    assert len(stepper) == 0 and x.grad == 1.0
    assert stepper.explain() == "start: ∂x/∂x = 1"
    stepper.restore()
    assert x.grad == 5.0


def test_an_overflow_is_raised_when_the_stepper_is_made_and_nothing_is_lost():
    x = Value(1e-200, label="x")
    x.grad = 3.0
    z = (x * 1e200) * 1e200  # every value finite, but dz/dx = 1e400 overflows
    with pytest.raises(DomainError, match="overflow"):
        Stepper(z)
    assert x.grad == 3.0


def test_bad_arguments():
    with pytest.raises(TypeError, match="Stepper needs a Value to start from, not int"):
        Stepper(3)
    with pytest.raises(ValueError, match="mode must be 'backward' or 'forward', got 'sideways'"):
        Stepper(Value(1.0), mode="sideways")


def test_explain_follows_the_position():
    *_, out = neuron()
    out.label = "y"
    stepper = Stepper(out)
    assert stepper.explain() == "start: ∂y/∂y = 1"
    stepper.goto(4)
    assert stepper.explain() == (
        "∂y/∂w += ∂mul₁/∂w · ∂y/∂mul₁ = x · ∂y/∂mul₁ = (-1)(0.8556) = -0.8556"
    )
    assert stepper.explain(ascii=True).startswith("dy/dw += dmul1/dw * dy/dmul1 = x *")


def test_explain_calls_the_root_node_by_its_drawing_name():
    *_, out = neuron()
    stepper = Stepper(out)
    assert stepper.names[out] == "tanh₁" and stepper.loss == "L"
    assert stepper.explain() == "start: ∂L/∂L = 1 (L is tanh₁)"
    assert stepper.next().explain(stepper.names) == stepper.explain()
    assert stepper.explain() == (
        "∂L/∂add₁ += ∂tanh₁/∂add₁ · ∂L/∂tanh₁ = (1 - tanh₁²) · ∂L/∂tanh₁ = (0.8556)(1) = 0.8556"
    )
    forward = Stepper(out, mode="forward")
    forward.goto(3)
    assert forward.explain() == "L = tanh₁ = tanh(add₁) = tanh(-0.4) = -0.3799"


def test_a_variable_called_L_makes_the_stepper_call_the_loss_out():
    big_l, x = Value(2.0, label="L"), Value(3.0, label="x")
    root = big_l * x
    stepper = Stepper(root)
    assert stepper.loss == "out"
    assert stepper.explain() == "start: ∂out/∂out = 1 (out is mul₁)"
    assert stepper.goto(1).explain() is not None
    assert stepper.explain() == ("∂out/∂L += ∂mul₁/∂L · ∂out/∂mul₁ = x · ∂out/∂mul₁ = (3)(1) = 3")
    assert Stepper(root, mode="forward").goto(1).explain() == "out = mul₁ = L · x = 2 · 3 = 6"


def test_highlight_and_pending_follow_the_steps():
    w, x, b, product, total, out = neuron()
    stepper = Stepper(out)
    assert stepper.highlighted() == (out,)
    assert set(stepper.pending()) == {w, x, b, product, total}
    stepper.goto(3)
    assert stepper.highlighted() == (total, b, (b, total, 1))
    assert set(stepper.pending()) == {w, x}
    stepper.goto(5)
    assert stepper.highlighted() == (product, x, (x, product, 1))
    assert stepper.pending() == ()


@settings(max_examples=100, deadline=None)
@given(graphs(), st.lists(st.tuples(st.sampled_from("nbgrR"), st.integers(0, 1000)), max_size=25))
def test_any_walk_restores_exactly_the_state_of_its_position(recipe, moves):
    # The reference: the state after k steps of a fresh backprop_steps on an identical graph.
    _, twin_root = build(recipe)
    for node in topological_order(twin_root):
        node.grad = 0.0
    states = [[1.0 if node is twin_root else 0.0 for node in topological_order(twin_root)]]
    for _ in backprop_steps(twin_root):
        states.append(grads(twin_root))
    leaves, root = build(recipe)
    for leaf in leaves:
        leaf.grad = -2.5
    before = grads(root)
    stepper = Stepper(root)
    assert len(stepper) == len(states) - 1
    for move, number in moves:
        if move == "n" and stepper.position < len(stepper):
            stepper.next()
        elif move == "b" and stepper.position > 0:
            stepper.back()
        elif move == "g":
            stepper.goto(number % (len(stepper) + 1))
        elif move == "r":
            stepper.reset()
        elif move == "R":
            stepper.restore()
            assert grads(root) == before
            stepper.goto(stepper.position)
        assert grads(root) == states[stepper.position]
    stepper.goto(len(stepper))
    assert grads(root) == states[-1]
    stepper.restore()
    assert grads(root) == before


# ---------------------------------------------------------------------------------------------
# Forward mode.


def test_forward_mode_reveals_the_ops_in_topological_order_and_leaves_grads_alone():
    w, x, _b, product, total, out = neuron()
    out.backward()
    before = grads(out)
    stepper = Stepper(out, mode="forward")
    assert len(stepper) == 3
    assert [step.node for step in stepper.steps] == [product, total, out]
    assert all(isinstance(step, ForwardStep) for step in stepper.steps)
    assert stepper.pending() == (product, total, out)
    assert stepper.highlighted() == ()
    assert stepper.explain() == "start: w = 0.5, x = -1, b = 0.1"
    stepper.next()
    assert stepper.explain() == "mul₁ = w · x = 0.5 · (-1) = -0.5"
    assert stepper.pending() == (total, out)
    assert stepper.highlighted() == (product, (w, product), (x, product))
    stepper.goto(3)
    assert stepper.explain(ascii=True) == "L = tanh1 = tanh(add1) = tanh(-0.4) = -0.3799"
    assert stepper.pending() == ()
    stepper.back()
    assert stepper.pending() == (out,)
    assert grads(out) == before
    stepper.restore()
    stepper.next()
    assert grads(out) == before
    with pytest.raises(ValueError, match="at the end"):
        stepper.next()


def test_forward_mode_highlights_a_repeated_input_once():
    x = Value(3.0, label="x")
    square = x * x
    stepper = Stepper(square, mode="forward")
    stepper.next()
    assert stepper.highlighted() == (square, (x, square))


# ---------------------------------------------------------------------------------------------
# Drawing.


class FakeDrawing:
    def __init__(self, root, **options):
        self.root = root
        self.options = options


def test_draw_passes_the_current_state_to_autograd_draw(monkeypatch):
    monkeypatch.setattr(autograd.stepper, "draw", FakeDrawing)
    w, x, b, product, total, out = neuron()
    stepper = Stepper(out)
    stepper.goto(2)
    drawing = stepper.draw(digits=3)
    assert drawing.root is out
    assert drawing.options == {
        "highlight": (total, product, (product, total, 0)),
        "pending": (w, x, b),
        "show_grad": True,
        "digits": 3,
    }
    forward = Stepper(out, mode="forward")
    forward.next()
    options = forward.draw().options
    assert options["show_grad"] is False
    assert options["pending"] == (total, out)
    assert options["highlight"] == (product, (w, product), (x, product))


def highlighted_edges(source):
    """The DOT edge lines drawn in the highlight colour."""
    return [
        line.split("[")[0].strip()
        for line in source.splitlines()
        if "->" in line and palette.HIGHLIGHT in line
    ]


def test_draw_at_step_k_highlights_the_active_edge_and_fades_pending_nodes():
    pytest.importorskip("autograd.drawing")
    x = Value(3.0, label="x")
    c = Value(2.0, label="c")
    square = x * x
    out = square * c
    stepper = Stepper(out)
    assert highlighted_edges(stepper.draw().source) == []
    assert palette.PENDING in stepper.draw().source
    ids = {node: f"v{i}" for i, node in enumerate(topological_order(out))}
    for position, step in enumerate(stepper.steps, start=1):
        stepper.goto(position)
        source = stepper.draw().source
        # Exactly one edge is lit, even for x * x where x is both inputs.
        assert highlighted_edges(source) == [f"{ids[step.parent]} -> {ids[step.node]}"]
    stepper.goto(len(stepper))
    assert palette.PENDING not in stepper.draw().source
    assert "grad 12" in stepper.draw().source  # ∂(x·x·c)/∂x = 2·x·c
