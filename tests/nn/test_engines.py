"""fit's engines: values, compiled and batched train to the same weights; auto says why it
falls back; bad requests are refused before training."""

import pytest

from autograd import DomainError
from nn import MLP, Sequential, data, fit
from nn.engines import MAX_TARGETS, choose_engine
from nn.layers import Dropout, Linear
from nn.losses import LOSSES, mse
from nn.module import Module
from nn.optim import SGD, Adam

ENGINES = ("values", "compiled", "batched")


def _train(engine, make_model, x, y, **options):
    model = make_model()
    optimizer = options.pop("optimizer", None)
    if callable(optimizer):
        optimizer = optimizer(model)
    history = fit(model, x, y, progress=False, engine=engine, optimizer=optimizer, **options)
    return model.state_dict(), history


def _same(results):
    (weights, history), *others = results
    for other_weights, other_history in others:
        assert other_weights.keys() == weights.keys()
        for key in weights:
            assert other_weights[key] == pytest.approx(weights[key], rel=1e-9, abs=1e-12), key
        assert other_history.loss == pytest.approx(history.loss, rel=1e-9)
        assert other_history.accuracy == history.accuracy


@pytest.mark.parametrize(
    ("loss", "labels"),
    [("hinge", "pm1"), ("mse", "float"), ("abs_error", "01"), ("softmax_cross_entropy", "01")],
)
def test_every_engine_trains_to_the_same_weights_for_every_loss(loss, labels):
    x, y = data.moons(24, seed=1)
    y = {"pm1": [2 * t - 1 for t in y], "float": [float(t) for t in y], "01": y}[labels]
    outputs = 2 if loss == "softmax_cross_entropy" else 1
    make = lambda: MLP(2, [6, outputs], activation="tanh", seed=3)  # noqa: E731
    results = [_train(e, make, x, y, loss=loss, epochs=6, lr=0.05) for e in ENGINES]
    assert [h.engine for _, h in results] == list(ENGINES)
    _same(results)


@pytest.mark.parametrize(
    "optimizer",
    [
        lambda m: SGD(m.parameters(), lr=0.1, momentum=0.9),
        lambda m: Adam(m.parameters(), lr=0.01),
    ],
)
def test_every_optimizer_l2_and_minibatches_agree(optimizer):
    x, y = data.moons(30, seed=2)
    make = lambda: MLP(2, [5, 5, 1], activation="relu", seed=5)  # noqa: E731
    results = [
        _train(
            e,
            make,
            x,
            y,
            loss="hinge",
            epochs=5,
            batch_size=8,
            seed=4,
            l2=1e-3,
            optimizer=optimizer,
        )
        for e in ENGINES
    ]
    _same(results)


def test_activations_with_parameters_and_linear_layers():
    x, y = data.moons(20, seed=0)
    make = lambda: Sequential(  # noqa: E731
        Linear(2, 4, seed=0), MLP(4, [3, 1], activation="leaky_relu", seed=1)
    )
    _same([_train(e, make, x, [float(t) for t in y], loss="mse", epochs=4) for e in ENGINES])


def test_auto_picks_batched_and_falls_back_to_values_saying_why():
    x, y = data.moons(10, seed=0)
    history = fit(MLP(2, [3, 1], seed=0), x, y, loss="hinge", epochs=1, progress=False)
    assert history.engine == "batched" and history.engine_reason == ""
    model = Sequential(MLP(2, [3], seed=0), Dropout(0.5, seed=0), MLP(3, [1], seed=1))
    history = fit(model, x, y, loss="hinge", epochs=1, progress=False)
    assert history.engine == "values"
    assert history.engine_reason == (
        "the model has Dropout, whose random masks change the graph every step"
    )
    custom = fit(MLP(2, [1], seed=0), x, y, loss=lambda o, t: mse(o, t), epochs=1, progress=False)
    assert custom.engine == "values" and "a custom loss function" in custom.engine_reason


def test_dropout_off_or_in_eval_mode_does_not_stop_the_fast_engines():
    model = Sequential(MLP(2, [3], seed=0), Dropout(0.0), MLP(3, [1], seed=1))
    assert choose_engine("auto", model, LOSSES["mse"], [1.0])[0] == "batched"


class Doubler(Module):
    def forward(self, x):
        return [v * 2 for v in x]


def test_custom_modules_and_many_targets_fall_back():
    model = Sequential(Doubler(), MLP(2, [1], seed=0))
    engine, reason = choose_engine("auto", model, LOSSES["mse"], [1.0])
    assert engine == "values" and "custom module (Doubler)" in reason
    targets = [float(i) for i in range(MAX_TARGETS + 1)]
    engine, reason = choose_engine("auto", MLP(2, [1]), LOSSES["mse"], targets)
    assert engine == "values" and f"take {MAX_TARGETS + 1} different values" in reason


def test_an_engine_that_cannot_apply_or_does_not_exist_is_refused_before_training():
    x, y = data.moons(6, seed=0)
    model = Sequential(MLP(2, [3], seed=0), Dropout(0.5, seed=0), MLP(3, [1], seed=1))
    before = model.state_dict()
    with pytest.raises(
        ValueError,
        match=r"engine='compiled' cannot train this: the model has "
        r"Dropout.*Use engine='values'",
    ):
        fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="compiled")
    with pytest.raises(
        ValueError,
        match=r"engine must be one of 'auto', 'values', 'compiled', "
        r"'batched', not 'fast'",
    ):
        fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="fast")
    assert model.state_dict() == before


def test_diverging_weights_raise_a_domain_error_naming_the_line():
    from nn.engines import make_engine
    from nn.train import _check_loss

    x = [[1.0, 2.0], [2.0, 1.0]]
    for engine in ("compiled", "batched"):
        model = MLP(2, [1], activation="linear", seed=0)
        params = model.parameters()
        run = make_engine(engine, model, LOSSES["mse"], params, 0.0, _check_loss)
        run(x, [1.0, 0.0])  # traced at ordinary weights
        model.load_state_dict({"L1.N1.w1": 1e200, "L1.N1.w2": 1e200, "L1.N1.b": 0.0})
        with pytest.raises(
            DomainError,
            match=r"^pow: .* at line \d+ of the compiled source of "
            r"the loss of one sample \(any target\) \(cf.source\): pow1 = sub1 \*\* 2.0\. Keep",
        ):
            run(x, [1.0, 0.0])


def test_the_batched_engine_handles_a_guard_that_splits_the_batch():
    from nn.engines import BatchedEngine

    class Clipped(MLP):  # a built-in class, so the fast engines apply
        def forward(self, x):
            out = super().forward(x)
            return out * 2 if out > 0 else out * 0.5

    x, y = data.moons(16, seed=0)
    make = lambda: Clipped(2, [3, 1], seed=0)  # noqa: E731
    results = [_train(e, make, x, [float(t) for t in y], loss="mse", epochs=3) for e in ENGINES]
    _same(results)
    assert BatchedEngine  # the engine the batched run used
    engine, reason = choose_engine("auto", make(), LOSSES["mse"], [1.0])
    assert engine == "values" and "custom module (Clipped)" in reason


def test_fitting_again_reuses_the_traces_until_the_model_or_loss_changes():
    from nn import engines

    x, y = data.moons(12, seed=0)
    model = MLP(2, [3, 1], seed=0)
    fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="compiled")
    kept = engines._KEPT[model][1]
    fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="compiled")
    assert engines._KEPT[model][1] is kept
    fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="compiled", l2=1e-3)
    assert engines._KEPT[model][1] is not kept
    model.layers[0].neurons[0].w[0] = type(model.parameters()[0])(0.5)  # a new parameter
    fit(model, x, y, loss="hinge", epochs=1, progress=False, engine="compiled", l2=1e-3)
    assert engines._KEPT[model][1].params[0] is model.parameters()[0]


def test_traces_of_different_targets_merge_when_only_constants_differ():
    from nn.engines import make_engine
    from nn.train import _check_loss

    x, y = data.moons(10, seed=0)
    model = MLP(2, [3, 1], seed=0)
    engine = make_engine("compiled", model, LOSSES["hinge"], model.parameters(), 0.0, _check_loss)
    engine(x, y)
    assert engine.merge is not None and sorted(engine.merge.constants) == [0, 1]
    assert "t1" in engine.merge.versions[0].source.text
    two = MLP(2, [3, 2], seed=0)
    engine = make_engine(
        "compiled", two, LOSSES["softmax_cross_entropy"], two.parameters(), 0.0, _check_loss
    )
    engine(x, y)
    assert engine.merge is None and engine.unmergeable  # the label picks a different score


def test_a_parameter_the_traced_path_does_not_read_gets_no_gradient_in_every_engine():
    from autograd import Value

    class Gate(Module):
        def __init__(self):
            self.lin = Linear(1, 1, seed=0)
            self.k = Value(0.5, label="k")  # read on one branch only
            self.spare = Value(0.25, label="spare")  # never read

        def forward(self, x):
            out = self.lin(x)[0]
            return out * self.k if x[0] > 0 else out

    x, y = [[-1.0], [-2.0], [1.0], [2.0]], [0.0, 0.0, 0.0, 1.0]
    results = [_train(e, Gate, x, y, loss="mse", epochs=3) for e in ENGINES]
    _same(results)
    assert results[0][0]["spare"] == 0.25


def test_a_loss_that_no_input_changes_is_summed_over_the_batch():
    from autograd import Value

    class Bias(Module):
        def __init__(self):
            self.b = Value(0.3, label="b")

        def forward(self, x):
            return self.b * 1.0

    x, y = [[1.0], [2.0], [3.0], [4.0]], [1.0] * 4
    results = [_train(e, Bias, x, y, loss="mse", epochs=3, optimizer="sgd") for e in ENGINES]
    _same(results)
    assert results[2][1].loss[0] == pytest.approx((1.0 - 0.3) ** 2)


@pytest.mark.parametrize("engine", ["compiled", "batched"])
def test_an_overflow_the_loss_hides_is_a_domain_error_naming_the_line(engine):
    # 2 · 1e308 overflows for the second sample; the hinge's ReLU hides the inf from the loss.
    model = MLP(1, [1], activation="linear", seed=0)
    model.load_state_dict({"L1.N1.w1": 2.0, "L1.N1.b": 0.0})
    with pytest.raises(DomainError, match=r"^weighted_sum: .* at line \d+ of the compiled"):
        fit(model, [[1.0], [1e308]], [1, 1], loss="hinge", epochs=1, progress=False, engine=engine)
    assert model.state_dict() == {"L1.N1.w1": 2.0, "L1.N1.b": 0.0}


def test_a_neuron_with_hundreds_of_inputs_trains_alike_in_every_engine():
    import random

    rng = random.Random(0)
    x = [[rng.uniform(-1, 1) for _ in range(300)] for _ in range(4)]
    y = [0.5, -0.25, 1.0, 0.0]
    make = lambda: MLP(300, [1], activation="linear", seed=0)  # noqa: E731
    _same([_train(e, make, x, y, loss="mse", epochs=2, optimizer="sgd") for e in ENGINES])
