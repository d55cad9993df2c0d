"""Compiled code puts the steps that a ReLU that is off makes no-ops under one test: the same
gradients as backward(), the same errors, and readable code."""

import math
import random

import pytest

import autograd
from autograd import DomainError, Value


def _neuron_net(*weights):
    """Two ReLU neurons over three inputs, then a weighted sum: some neurons are off."""
    x = [1.0, -2.0, 0.5]
    hidden = []
    for k in range(2):
        w = weights[4 * k : 4 * k + 3]
        total = w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + weights[4 * k + 3]
        hidden.append(total.relu())
    return hidden[0] * weights[8] + hidden[1] * weights[9]


def _backward(fn, numbers):
    leaves = [Value(v) for v in numbers]
    out = fn(*leaves)
    out.backward()
    return out.data, [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("seed", range(12))
def test_gradients_equal_backward_whether_each_relu_is_on_or_off(seed):
    rng = random.Random(seed)
    numbers = [rng.uniform(-1, 1) for _ in range(10)]
    cf = autograd.compile(_neuron_net, *numbers)
    for _ in range(5):  # other weights turn other neurons on and off
        point = [rng.uniform(-1, 1) for _ in range(10)]
        value, grads = cf.value_and_grad(*point)
        expected_value, expected_grads = _backward(_neuron_net, point)
        assert value == expected_value
        assert list(grads) == pytest.approx(expected_grads, rel=1e-12, abs=0)


def test_the_steps_of_a_relus_input_go_under_one_test_with_an_else_for_first_values():
    cf = autograd.compile(_neuron_net, *([0.5] * 10))
    source = cf.source
    assert "    if grad_add3:  # when it is 0, every step below adds 0\n" in source
    body, rest = source.split("if grad_add3:")[1].split(
        "\n    elif add3 - add3: raise _NotFiniteHere"
    )
    otherwise = rest.split("\n    else: ")[1]
    assert "        grad_x2 = (-2.0) * grad_add3  # ∂mul₂/∂x2 = -2" in body
    assert "        # ∂add₇/∂x1 is grad_add3 (∂mul₁/∂x1 = 1)" in body  # w·1.0: no line
    assert otherwise.splitlines()[0] == "grad_x3 = grad_x2 = 0.0"
    off = [-1.0, 1.0, -1.0, 0.0] * 2 + [1.0, 1.0]  # both neurons off: every weight gets 0
    assert cf.value_and_grad(*off) == (0.0, (0.0,) * 8 + (0.0, 0.0))


def test_an_infinite_relu_input_still_runs_its_steps_so_the_nan_is_reported():
    # p = a·1e300 overflows to inf for a = 1e10; q = p·b is -inf, so ReLU(q) = 0 hides it in
    # the forward pass, but backward() meets ∂q/∂b = p = inf times 0: nan.
    def f(a, b):
        return ((a * 1e300) * b).relu()

    cf = autograd.compile(f, 1.0, -1.0)
    assert "if grad_mul2:" in cf.source and "elif mul2 - mul2:" in cf.source
    assert cf.value_and_grad(1.0, -1.0) == (0.0, (0.0, 0.0))
    with pytest.raises(
        DomainError, match=r"^mul: the result is inf.* line 3 .*: mul1 = a \* 1e\+300"
    ):
        cf.value_and_grad(1e10, -1.0)
    a, b = Value(1e10), Value(-1.0)
    with pytest.raises(DomainError):
        f(a, b).backward()


def test_steps_through_a_function_with_its_own_derivative_are_not_skipped():
    # tanh's local derivative 1 - t² is not one of its inputs: its step keeps its own line.
    def f(w, b):
        return (w.tanh() * 3.0 + b).relu()

    cf = autograd.compile(f, 0.5, 0.25)
    source = cf.source.split("# backward")[1]
    tanh_step = next(line for line in source.splitlines() if "1.0 - tanh1 * tanh1" in line)
    assert not tanh_step.startswith("        ")  # not inside the test's block
    for point in [(0.5, 0.25), (-2.0, -1.0), (0.1, -5.0)]:
        value, grads = cf.value_and_grad(*point)
        expected_value, expected_grads = _backward(f, point)
        assert value == expected_value and math.isclose(grads[0], expected_grads[0])
        assert grads[1] == expected_grads[1]


def test_a_complex_power_is_a_domain_error_naming_the_power():
    # x ** 0.5 of a negative x is complex in Python; the ReLU after it cannot compare it.
    cf = autograd.compile(lambda x: (x**0.5).relu(), 4.0)
    assert cf(4.0) == 2.0
    with pytest.raises(DomainError, match=r"^pow: the result is complex .* not a real number"):
        cf(-1.0)


def test_an_overflow_a_relu_hides_from_the_output_is_reported_where_it_was_made():
    # (x·1e300·y).relu() + y at x = -1, y = 1e10: the product overflows to -inf, the ReLU
    # makes it 0 and the output is finite; backward() names the mul, and so does the code.
    def f(x, y):
        return (x * 1e300 * y).relu() + y

    cf = autograd.compile(f, -1.0, 1.0)
    assert cf.value_and_grad(-1.0, 1.0) == (1.0, (0.0, 1.0))
    with pytest.raises(DomainError, match=r"^mul: the result is -?inf, not a finite number"):
        cf.value_and_grad(-1.0, 1e10)
    with pytest.raises(DomainError, match=r"^mul: the result overflows"):
        f(Value(-1.0), Value(1e10))
