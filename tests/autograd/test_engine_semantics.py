"""What learners from micrograd and PyTorch expect, and the holes adversarial testing found:
constants, habits, per-thread grad mode, transactional backward, and data set by hand."""

from __future__ import annotations

import gc
import math
import threading

import pytest

import autograd
from autograd import DomainError, Stepper, Value, backprop_steps, grad, no_grad, relaxed_gc
from nn.cli import main

# ---------------------------------------------------------------------------------------------
# Constants.


def test_lifted_numbers_are_constants_with_no_gradient_and_no_step():
    x = Value(3.0, label="x")
    y = (x * 2 + 1) * (1 - x)
    steps = list(backprop_steps(y))
    assert all(step.parent.requires_grad for step in steps)
    constants = [v for v in y.walk() if not v.requires_grad]
    assert sorted(v.data for v in constants) == [1.0, 1.0, 2.0]
    assert all(v.grad == 0.0 for v in constants)
    assert x.grad == pytest.approx(2 * (1 - 3.0) - (2 * 3.0 + 1))


def test_a_subgraph_of_constants_gets_no_step():
    x = Value(1.5, label="x")
    six = Value(2.0, requires_grad=False) * Value(3.0, requires_grad=False)
    assert not six.requires_grad and six.parents  # still drawn, as 2 · 3
    y = six + x
    assert [step.parent for step in backprop_steps(y)] == [x]
    assert six.grad == 0.0


def test_python_sum_starting_at_zero_adds_no_step_into_the_zero():
    xs = [Value(float(i), label=f"x{i}") for i in range(3)]
    total = sum(xs)  # Python's sum: 0 + x0 + x1 + x2
    assert {step.parent.label for step in backprop_steps(total)} <= {"x0", "x1", "x2", ""}
    assert all(step.parent.requires_grad for step in backprop_steps(total))


@pytest.mark.parametrize(
    ("expression", "values", "constant"),
    [("log(x*x + 1)", ["x=3"], "1"), ("2*3 + x", ["x=1"], "6")],
)
def test_explain_prints_no_step_into_a_constant(capsys, expression, values, constant):
    assert main(["explain", expression, *values]) == 0
    out = capsys.readouterr().out
    assert f"∂L/∂{constant} " not in out and f"/∂{constant} +=" not in out
    assert "∂L/∂x +=" in out


def test_backward_of_a_constant_is_refused():
    with pytest.raises(ValueError, match="this value is a constant"):
        (Value(2.0, requires_grad=False) * 3).backward()
    with no_grad():
        y = Value(2.0) * 3
    with pytest.raises(ValueError, match="inside no_grad"):
        y.backward()
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        Value(1.0, requires_grad=1)


# ---------------------------------------------------------------------------------------------
# Habits.


def test_item_format_and_gradient_seed():
    x = Value(2.0, label="x")
    y = x * x
    assert y.item() == 4.0 and f"{y:.2f}" == "4.00" and f"{y:e}" == "4.000000e+00"
    y.backward(gradient=0.5)
    assert x.grad == 2.0
    y.backward(gradient=2)  # leaves accumulate, as in PyTorch
    assert x.grad == 10.0
    with pytest.raises(TypeError, match="backward: the gradient must be a number"):
        y.backward(gradient="1")
    with pytest.raises(ValueError, match="must be a finite number"):
        y.backward(gradient=math.inf)


def test_math_functions_refuse_a_value_instead_of_cutting_the_graph():
    x = Value(0.5)
    for call in (math.tanh, math.exp, float):
        with pytest.raises(TypeError, match=r"would drop its gradient.*v\.tanh\(\).*v\.item\(\)"):
            call(x)
    with pytest.raises(TypeError):
        int(x)
    assert not hasattr(Value, "__index__") and not hasattr(Value, "__int__")


def test_micrograds_names_for_parents_and_op_work_for_its_draw_dot_code():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    assert c._prev == {a, b} and c._op == "mul" and a._prev == set() and a._op == ""


def test_power_zero_and_sqrt_at_zero():
    x = Value(0.0, label="x")
    y = x**0
    assert (y.data, y.local_grads) == (1.0, (0.0,))
    y.backward()
    assert x.grad == 0.0
    for root in (x.sqrt(), x**0.5):
        assert root.data == 0.0  # the forward pass is fine
        x.grad = 0.25
        with pytest.raises(DomainError, match=r"local derivative of '(sqrt|pow)₁'.* infinite"):
            root.backward()
        assert x.grad == 0.25  # nothing changed
    assert (x + 1).sqrt().data == 1.0


def test_identity_equality_is_documented_beside_the_comparisons():
    assert "identity" in Value.__doc__ and "dict keys" in Value.__doc__
    a, b = Value(1.0), Value(1.0)
    assert a != b and len({a, b}) == 2 and a <= b


# ---------------------------------------------------------------------------------------------
# Per-thread grad mode and collector settings, with real threads.


def test_no_grad_in_one_thread_does_not_stop_recording_in_another():
    inside, done = threading.Event(), threading.Event()

    def evaluate():
        with no_grad():
            inside.set()
            done.wait(10)

    thread = threading.Thread(target=evaluate)
    thread.start()
    try:
        assert inside.wait(10)
        x = Value(2.0)
        y = x * x
        assert y.parents == (x, x) and autograd.is_grad_enabled()
    finally:
        done.set()
        thread.join(10)


def test_overlapping_no_grad_blocks_in_two_threads_leave_recording_on():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with no_grad():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with no_grad():
            second_in.set()
            first_out.wait(10)
            seen["inside"] = (Value(1.0) * 2).parents
        seen["after"] = autograd.is_grad_enabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == {"inside": (), "after": True}
    assert autograd.is_grad_enabled() and (Value(1.0) * 2).parents
    assert autograd.modes.ACTIVE.paused_threads == 0


def test_training_in_one_thread_while_another_predicts():
    import nn

    model = nn.MLP(2, [4, 1], seed=0)
    before = [p.data for p in model.parameters()]
    stop = threading.Event()

    def predict_forever():
        while not stop.is_set():
            nn.predict(model, [[0.5, -0.5]])

    reader = threading.Thread(target=predict_forever)
    reader.start()
    try:
        xs, ys = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [1.0, -1.0, 0.5]
        nn.fit(model, xs, ys, loss="mse", epochs=5, progress=False)
    finally:
        stop.set()
        reader.join(10)
    changed = sum(a != p.data for a, p in zip(before, model.parameters(), strict=True))
    assert changed == len(before)


def test_relaxed_gc_blocks_overlapping_across_threads_restore_the_settings():
    before = gc.get_threshold()
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = []

    def a():
        with relaxed_gc():
            a_in.set()
            b_in.wait(10)
        a_out.set()

    def b():
        a_in.wait(10)
        with relaxed_gc(200_000):
            b_in.set()
            a_out.wait(10)
            seen.append(gc.get_threshold()[0])  # a ended first: b's block still relaxes

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [max(before[0], 200_000)]
    assert gc.get_threshold() == before


# ---------------------------------------------------------------------------------------------
# A backward() that fails changes nothing.


def test_a_failing_backward_changes_no_gradient():
    x = Value(1e-200, label="x")
    w = Value(2.0, label="w")
    x.grad, w.grad = 0.5, -1.0
    z = (x * 1e200) * 1e200 + w  # dz/dx = 1e400 overflows
    middle = z.parents[0]
    middle.grad = 7.0
    with pytest.raises(DomainError, match="gradient of 'x'"):
        z.backward()
    assert (x.grad, w.grad, middle.grad, z.grad) == (0.5, -1.0, 7.0, 0.0)


def test_a_failing_stepper_changes_no_gradient():
    x = Value(0.0, label="x")
    x.grad = 3.0
    with pytest.raises(DomainError, match="infinite"):
        Stepper(x.sqrt() * 2)
    assert x.grad == 3.0


# ---------------------------------------------------------------------------------------------
# Data and labels set by hand, and bad containers.


@pytest.mark.parametrize(
    ("bad", "kind"),
    [(1 + 2j, "complex"), ("2", "str"), (None, "NoneType"), ([1.0], "list")],
)
def test_data_set_to_a_non_number_is_named_at_the_next_op_and_in_backward(bad, kind):
    x = Value(1.0, label="x")
    y = x * 3
    x.data = bad
    with pytest.raises(TypeError, match=rf"mul: the data of input a .*Value 'x'.* {kind}"):
        x * 2
    with pytest.raises(TypeError, match=rf"tanh: the data of input a .* {kind}"):
        x.tanh()
    with pytest.raises(TypeError, match=rf"backward: the data of 'x' .*\({kind}\)"):
        y.backward()
    assert x.grad == 0.0


def test_data_set_to_a_value_an_array_or_a_huge_int_is_refused():
    np = pytest.importorskip("numpy")
    x = Value(1.0, label="x")
    for bad, pattern in (
        (Value(2.0), "Value"),
        (np.array([1.0, 2.0]), "ndarray"),
        (10**400, "not finite"),
    ):
        x.data = bad
        with pytest.raises((TypeError, DomainError), match=pattern):
            x + 1
    x.data = np.float64(2.5)  # one number of another float type is fine
    assert (x * 2).data == 5.0
    x.data = 3  # and so is a whole number
    assert (x * 2).data == 6.0


def test_complex_data_never_gives_a_complex_gradient():
    x = Value(1.0, label="x")
    y = x * 2
    x.data = 1j
    with pytest.raises(TypeError):
        y.backward()
    assert x.grad == 0.0 and isinstance(x.grad, float)


def test_a_label_must_stay_a_str():
    x = Value(1.0, label="x")
    with pytest.raises(TypeError, match="label must be a str, not int"):
        x.label = 5
    assert x.label == "x"
    assert "digraph" in autograd.draw(x * 2).source  # still draws


def test_no_op_hides_a_nan_set_by_hand():
    x = Value(1.0, label="x")
    x.data = math.nan
    for make in (Value.relu, lambda v: v.leaky_relu(), abs, Value.sigmoid, Value.tanh):
        with pytest.raises(DomainError, match=r"the data of input a .* is not finite"):
            make(x)


def test_an_overflow_in_the_forward_pass_names_the_op():
    with pytest.raises(DomainError, match=r"^mul: the result overflows"):
        Value(1e300) * 1e300
    with pytest.raises(DomainError, match=r"^sum: the result overflows"):
        autograd.sum([Value(1e308), Value(1e308)])
    with pytest.raises(DomainError, match=r"^exp: the result overflows"):
        Value(800.0).exp()


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda np: Value(np.array([1.0, 2.0])), "Value data must be a number, not ndarray"),
        (lambda np: Value(x for x in [1.0]), "Value data must be a number, not generator"),
        (lambda np: Value([1.0]), "Value data must be a number, not list"),
        (lambda np: autograd.sum(np.array([1.0, 2.0])), "convert an array with .tolist"),
        (lambda np: autograd.sum(5), "sum's terms must be an iterable of Values or numbers"),
        (lambda np: autograd.sum("ab"), "sum's terms must be a list"),
        (
            lambda np: autograd.weighted_sum((w for w in [Value(1.0)]), [1.0]),
            r"weighted_sum's weights must be a list or tuple .* not generator",
        ),
        (
            lambda np: autograd.weighted_sum([Value(1.0)], np.array([1.0])),
            "weighted_sum's inputs must be a list of Values or numbers, not ndarray",
        ),
        (
            lambda np: autograd.weighted_sum([Value(1.0)], 3.0),
            "weighted_sum's inputs must be a list or tuple",
        ),
    ],
)
def test_bad_containers_get_our_own_type_error(call, pattern):
    np = pytest.importorskip("numpy")
    with pytest.raises(TypeError, match=pattern):
        call(np)


def test_sum_still_takes_a_generator():
    xs = [Value(1.0), Value(2.0)]
    assert autograd.sum(x * 2 for x in xs).data == 6.0


# ---------------------------------------------------------------------------------------------
# grad().


def test_grad_leaves_grad_alone_and_names_unused_inputs():
    a, b, c = Value(2.0, label="a"), Value(3.0, label="b"), Value(4.0, label="c")
    y = a * b
    assert [g.data for g in grad(y, [a, b])] == [3.0, 2.0]
    assert (a.grad, b.grad) == (0.0, 0.0)
    with pytest.raises(ValueError, match=r"inputs\[0\] \('c'\) is not used.*allow_unused=True"):
        grad(y, c)
    assert grad(y, [c, a], allow_unused=True)[0] is None
    with pytest.raises(ValueError, match="is a constant"):
        grad(y, Value(1.0, requires_grad=False))
    with pytest.raises(TypeError, match="outputs must be a Value"):
        grad(3.0, a)
    with pytest.raises(ValueError, match="one number or Value per output"):
        grad([y, a * c], a, gradient=[1.0])


def test_grad_of_several_outputs_with_seeds_and_of_an_interior_node():
    x = Value(2.0, label="x")
    h = x * x
    y, z = h * 3, h.tanh()
    (dx,) = grad([y, z], x, gradient=[1.0, 2.0])
    assert dx.data == pytest.approx(3 * 4.0 + 2 * (1 - math.tanh(4.0) ** 2) * 4.0)
    (dh,) = grad(y, h)
    assert dh.data == 3.0


def test_create_graph_gives_gradients_that_are_graphs():
    x = Value(0.7, label="x")
    y = x.tanh()
    (dy,) = grad(y, x, create_graph=True)
    assert dy.requires_grad and dy.parents
    assert dy.data == pytest.approx(1 - math.tanh(0.7) ** 2)
    (d2y,) = grad(dy, x)
    t = math.tanh(0.7)
    assert d2y.data == pytest.approx(-2 * t * (1 - t * t))
    assert "digraph" in autograd.draw(dy).source
    (plain,) = grad(y, x)
    assert not plain.requires_grad and not plain.parents


def test_grad_of_an_infinite_derivative_is_a_domain_error():
    x = Value(0.0, label="x")
    with pytest.raises(DomainError, match=r"grad: the gradient towards inputs\[0\] \('x'\)"):
        grad(x.sqrt(), x)
    with pytest.raises(DomainError, match="div: division by zero"):
        grad(x.sqrt(), x, create_graph=True)
