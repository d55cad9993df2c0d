"""Gradients compared with PyTorch autograd in float64 (skipped when torch is absent), first
order with backward() and higher order with grad(..., create_graph=True)."""

import math

import pytest
from hypothesis import given, settings

from autograd import OPS, Value, grad
from tests.autograd.programs import KINKED_OPS, SMOOTH_OPS, ValueMath, programs, run

torch = pytest.importorskip("torch")


class TorchMath:
    exp, log, sqrt, tanh = torch.exp, torch.log, torch.sqrt, torch.tanh
    sigmoid, relu, sin, cos = torch.sigmoid, torch.relu, torch.sin, torch.cos
    softplus = staticmethod(torch.nn.functional.softplus)

    def leaky_relu(self, a, slope):
        return torch.nn.functional.leaky_relu(a, slope)

    def sum(self, terms):
        return torch.stack(terms).sum()

    def weighted_sum(self, w, x, b):
        return sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b


def compare(program):
    leaves = [Value(x) for x in program[0]]
    ours = run(program, leaves, ValueMath())
    ours[-1].backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program[0]]
    theirs = run(program, tensors, TorchMath())
    theirs[-1].backward()
    assert ours[-1].data == pytest.approx(theirs[-1].item(), rel=1e-12, abs=1e-12)
    for leaf, tensor in zip(leaves, tensors, strict=True):
        expected = 0.0 if tensor.grad is None else tensor.grad.item()
        assert leaf.grad == pytest.approx(expected, rel=1e-10, abs=1e-12)


@given(programs(ops={**SMOOTH_OPS, **KINKED_OPS}))
def test_random_graphs_match_pytorch(program):
    compare(program)


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.0])
def test_kinks_follow_pytorch_conventions(x):
    compare(([x], [("relu", (0,)), ("abs", (0,)), ("add", (1, 2)), ("leaky_relu", (3,))]))


def test_the_programs_use_every_op_of_the_table():
    # The random graphs below exercise every row (pow and pow_value through square, cube, rpow).
    covered = {*SMOOTH_OPS, *KINKED_OPS, "pow", "pow_value"}
    assert set(OPS) <= covered


def _torch_derivatives(program, order):
    """∂ⁿ(output)/∂(first leaf)ⁿ for n = 1 … order, and each one's gradient wrt every leaf."""
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program[0]]
    out = run(program, tensors, TorchMath())[-1]
    results = []
    current = out
    for _ in range(order):
        if not current.requires_grad:
            results.append([0.0] * len(tensors))
            current = torch.zeros((), dtype=torch.float64)
            continue
        grads = torch.autograd.grad(current, tensors, create_graph=True, allow_unused=True)
        results.append([0.0 if g is None else g.item() for g in grads])
        current = grads[0] if grads[0] is not None else torch.zeros((), dtype=torch.float64)
    return results


def _our_derivatives(program, order):
    leaves = [Value(x) for x in program[0]]
    out = run(program, leaves, ValueMath())[-1]
    results = []
    current = out
    for _ in range(order):
        if not current.requires_grad:
            results.append([0.0] * len(leaves))
            current = Value(0.0, requires_grad=False)
            continue
        grads = grad(current, leaves, create_graph=True, allow_unused=True)
        results.append([0.0 if g is None else g.data for g in grads])
        current = grads[0] if grads[0] is not None else Value(0.0, requires_grad=False)
    assert all(leaf.grad == 0.0 for leaf in leaves)  # grad() leaves .grad alone
    return results


@settings(max_examples=40, deadline=None)
@given(programs(ops={**SMOOTH_OPS, **KINKED_OPS}, max_steps=8))
def test_second_and_third_derivatives_match_pytorch(program):
    ours = _our_derivatives(program, 3)
    theirs = _torch_derivatives(program, 3)
    for our_row, their_row in zip(ours, theirs, strict=True):
        for a, b in zip(our_row, their_row, strict=True):
            assert a == pytest.approx(b, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("name", sorted(OPS))
def test_every_row_twice_differentiated_matches_pytorch(name):
    # One op on smooth inner functions of two leaves, differentiated three times.
    special = {
        "pow": [("square", (0,)), ("cube", (2,))],
        "sum": [("sum", (0, 1, 0))],
        "weighted_sum": [("weighted_sum", (0, 1, 1))],
    }
    arity = (SMOOTH_OPS | KINKED_OPS).get(name, (0,))[0]
    inner = special.get(name) or [(name, (0, 1)[:arity])]
    program = ([0.8, -0.3], [*inner, ("mul", (2 + len(inner) - 1, 1))])
    ours = [d for row in _our_derivatives(program, 3) for d in row]
    theirs = [d for row in _torch_derivatives(program, 3) for d in row]
    assert ours == pytest.approx(theirs, rel=1e-9, abs=1e-9)
    assert any(d != 0.0 for d in theirs)


def test_a_small_neuron_matches_pytorch():
    w = [Value(0.3), Value(-0.8)]
    x = [1.0, -2.0]
    b = Value(0.1)
    out = sum((wi * xi for wi, xi in zip(w, x, strict=True)), b).tanh()
    out.backward()
    tw = torch.tensor([0.3, -0.8], dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)
    torch.tanh(tw @ torch.tensor(x, dtype=torch.float64) + tb).backward()
    assert [v.grad for v in w] == pytest.approx(tw.grad.tolist(), rel=1e-12)
    assert b.grad == pytest.approx(tb.grad.item(), rel=1e-12)
    assert math.isfinite(out.data)
