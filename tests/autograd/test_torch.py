"""Gradients compared with PyTorch autograd in float64 (skipped when torch is absent)."""

import math

import pytest
from hypothesis import given

from autograd import Value
from tests.autograd.programs import KINKED_OPS, SMOOTH_OPS, ValueMath, programs, run

torch = pytest.importorskip("torch")


class TorchMath:
    exp, log, sqrt, tanh = torch.exp, torch.log, torch.sqrt, torch.tanh
    sigmoid, relu = torch.sigmoid, torch.relu

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
    compare(([x], [("relu", (0,)), ("abs", (0,)), ("add", (1, 2))]))


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
