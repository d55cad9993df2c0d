"""Batch code: a layer's weighted sums become matrix products, and the gradients come back
summed over the batch, equal to the float code's sums over the samples."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.compiled_source import write_source
from autograd.layer_code import find_layers
from autograd.tracing import trace
from tests.autograd.programs import KINKED_OPS, SMOOTH_OPS, ValueMath, programs, run

ALL_OPS = {**SMOOTH_OPS, **KINKED_OPS}

np = pytest.importorskip("numpy")


def _programs(traced, names):
    from autograd.compiler import array_namespace
    from autograd.compiler import program as compiled_program

    floats = compiled_program(traced, names, "floats")
    batch = compiled_program(traced, names, "batch", batch=True, namespace=array_namespace())
    return floats, batch


def _two_layer_net(
    rng, samples_inputs, bias=True, shared_weight=False, constant_input=False, unused=False
):
    """Parameters, one sample's leaves and the loss of a 3-4-2-1 tanh net on them (with
    ``unused``, a fifth first-layer neuron only the second output reads)."""
    params = [Value(rng.uniform(-1, 1), label=f"p{i}") for i in range(50)]
    it = iter(params)
    x = [Value(v, label=f"x{i}", requires_grad=False) for i, v in enumerate(samples_inputs, 1)]

    def build():
        inputs = [*x, 0.5] if constant_input else list(x)
        rows1 = [[next(it) for _ in inputs] for _ in range(4)]
        if shared_weight:
            rows1[1][0] = rows1[0][0]  # one weight used by two neurons: not a layer
        sums = [autograd.weighted_sum(row, inputs, next(it) if bias else None) for row in rows1]
        if unused:
            weights = [next(it) for _ in inputs]
            spare = autograd.weighted_sum(weights, inputs, next(it) if bias else None)
        h = [s.tanh() for s in sums]
        rows2 = [[next(it) for _ in h] for _ in range(2)]
        h2 = [autograd.weighted_sum(row, h, next(it) if bias else None).tanh() for row in rows2]
        out = autograd.weighted_sum([next(it), next(it)], h2, next(it) if bias else None)
        return [(out - 0.25) ** 2, spare if unused else out]

    traced = trace(build, [*params, *x])
    return traced, [p.label for p in params] + [leaf.label for leaf in x], params


@pytest.mark.parametrize(
    "options",
    [{}, {"bias": False}, {"shared_weight": True}, {"constant_input": True}, {"unused": True}],
    ids=["with biases", "without biases", "a shared weight", "a constant input", "unused"],
)
def test_batch_code_sums_the_float_codes_gradients_over_the_samples(options):
    rng = random.Random(3)
    samples = [[rng.uniform(-2, 2) for _ in range(3)] for _ in range(7)]
    traced, names, params = _two_layer_net(rng, samples[0], **options)
    floats, batch = _programs(traced, names)
    data = [p.data for p in params]
    columns = [np.array(column) for column in zip(*samples, strict=True)]
    (loss, out), grads = batch.run(*data, *columns)
    expected_loss, expected_out, expected_grads = 0.0, [], [0.0] * len(params)
    for sample in samples:
        (one_loss, one_out), one_grads = floats.run(*data, *sample)
        expected_loss += one_loss
        expected_out.append(one_out)
        expected_grads = [a + b for a, b in zip(expected_grads, one_grads, strict=False)]
    assert float(np.sum(loss)) == pytest.approx(expected_loss, rel=1e-12)
    assert np.allclose(out, expected_out, rtol=1e-12, atol=0)  # numpy's tanh: within an ulp
    assert all(isinstance(g, float) for g in grads[: len(params)])
    assert grads[: len(params)] == pytest.approx(expected_grads, rel=1e-10, abs=1e-13)
    text = batch.source.text
    assert "_Z1 = _affine(_W1, _X1" in text and "_Z2 = _affine(_W2, _X2" in text
    if options.get("shared_weight"):
        # The two neurons sharing a weight keep their own lines; the other two are a layer.
        assert "layer 1: weighted_sum₃ … weighted_sum₄ = W · x + b, all rows at once" in text
        assert "weighted_sum1 = " in text and "weighted_sum2 = " in text
    elif options.get("unused"):  # the spare neuron joins the layer; its gradient is 0
        assert "layer 1: weighted_sum₁ … weighted_sum₈ = W · x + b, all rows at once" in text
        assert (
            "_G1 = _rows((grad_weighted_sum1, grad_weighted_sum2, grad_weighted_sum3, "
            "grad_weighted_sum4, 0.0,), _n)" in text
        )
    else:
        assert "layer 1: weighted_sum₁ … weighted_sum₄ = W · x + b, all rows at once" in text
    assert ("_affine(_W1, _X1, (" in text) is options.get("bias", True)


def test_a_single_neuron_or_weights_used_twice_make_no_layer():
    w = [Value(0.5), Value(-1.0)]
    x = [Value(1.0, requires_grad=False), Value(2.0, requires_grad=False)]
    single = autograd.weighted_sum(w, x)
    reused = autograd.weighted_sum(w, x)
    order = [*w, *x, single, reused]
    parents = {id(node): node.parents for node in order}
    grad_inputs = {id(v) for v in w}
    uses = {id(v): 2 for v in w}
    assert find_layers(order, parents, grad_inputs, uses) == {}
    assert find_layers(order[:-1], parents, grad_inputs, {id(v): 1 for v in w}) == {}


def test_batch_and_loop_are_refused_together():
    x = Value(1.0, label="x")
    with pytest.raises(ValueError, match="batch code runs the samples at once"):
        write_source(trace(lambda: x * 2, [x]), ["x"], batch=True, loop=True)


@settings(max_examples=60, deadline=None)
@given(programs(ops=ALL_OPS, max_steps=10), st.integers(1, 4))
def test_batch_code_of_random_graphs_agrees_with_the_float_code(program, per_sample):
    """Any graph: the leaves after the first ``per_sample`` are parameters, the first ones
    per-sample arrays; gradients are the float code's summed over three samples."""
    numbers = program[0]
    per_sample = min(per_sample, len(numbers))
    leaves = [Value(v, label=f"x{i}", requires_grad=i >= per_sample) for i, v in enumerate(numbers)]
    traced = trace(lambda: run(program, leaves, ValueMath())[-1], leaves)
    floats, batch = _programs(traced, [leaf.label for leaf in leaves])
    samples = [[v + shift for v in numbers[:per_sample]] for shift in (0.0, 0.125, -0.25)]
    params = numbers[per_sample:]
    expected_value, expected_grads = 0.0, [0.0] * len(params)
    for sample in samples:
        try:
            (value,), grads = floats.run(*sample, *params)
        except (ArithmeticError, ValueError):
            return
        if not all(math.isfinite(g) for g in (value, *grads)):
            return
        expected_value += value
        expected_grads = [a + b for a, b in zip(expected_grads, grads[per_sample:], strict=True)]
    columns = [np.array(column) for column in zip(*samples, strict=True)]
    with np.errstate(all="ignore"):
        (values,), grads = batch.run(*columns, *params)
    assert float(np.sum(np.broadcast_to(values, (3,)))) == pytest.approx(
        expected_value, rel=1e-9, abs=1e-12
    )
    assert list(grads[per_sample:]) == pytest.approx(expected_grads, rel=1e-9, abs=1e-12)


def test_a_relu_at_its_kink_takes_the_same_side_in_every_engine():
    """0.1·(-3) + 0.1·3 is exactly 0.0 added term by term, but -2.8e-17 as numpy's matrix
    product adds it: the batch code adds as the other engines do, so the ReLU stays off."""
    import nn

    def model():
        m = nn.Sequential(nn.Linear(2, 2, bias=False, seed=0), nn.ReLU(), nn.Linear(2, 1, seed=1))
        for p, v in zip(m.parameters()[:4], [0.1, 0.1, 0.5, -0.25], strict=True):
            p.data = v
        return m

    weights = {}
    for engine in ("values", "compiled", "batched"):
        m = model()
        nn.fit(
            m,
            [[-3.0, 3.0]],
            [1.0],
            loss="mse",
            optimizer="sgd",
            lr=0.1,
            epochs=1,
            progress=False,
            engine=engine,
        )
        weights[engine] = [p.data for p in m.parameters()]
    assert weights["batched"] == weights["values"] == weights["compiled"]
    assert weights["batched"][:2] == [0.1, 0.1]  # the ReLU was off: no gradient reached them
