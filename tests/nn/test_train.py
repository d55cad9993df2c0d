"""Tests for fit, History, accuracy and predict, including the two acceptance runs."""

import gc
import importlib.util
import subprocess
import sys

import pytest

from autograd import Value, is_grad_enabled
from nn import (
    MLP,
    Dropout,
    History,
    Layer,
    Module,
    Sequential,
    accuracy,
    data,
    fit,
    losses,
    predict,
)
from nn.optim import SGD, Adam


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_four_pixel_camera_acceptance(seed):
    """MLP(4, [8, 8, 4], tanh) from random init learns the lecture's four classes."""
    images, labels = data.four_pixel_camera()
    model = MLP(4, [8, 8, 4], activation="tanh", seed=seed)
    optimizer = Adam(model.parameters(), lr=0.05)
    history = fit(
        model,
        images,
        labels,
        loss="softmax_cross_entropy",
        optimizer=optimizer,
        epochs=100,
        progress=False,
    )
    assert history.epochs == 100 and history.loss[-1] < 0.05
    assert accuracy(model, images, labels) == 1.0
    variants, variant_labels = data.four_pixel_camera(200, noise=0.1, seed=100 + seed)
    assert accuracy(model, variants, variant_labels) >= 0.95


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_micrograd_demo_acceptance(seed):
    """MLP 2-16-16-1 ReLU on moons, hinge + l2(1e-4), SGD with decaying lr, 100 steps."""
    inputs, labels = data.moons(100, noise=0.1, seed=seed)
    model = MLP(2, [16, 16, 1], activation="relu", seed=seed)
    optimizer = SGD(model.parameters(), lr=lambda k: 1.0 - 0.9 * k / 100)
    history = fit(
        model,
        inputs,
        labels,
        loss="hinge",
        optimizer=optimizer,
        epochs=100,
        l2=1e-4,
        progress=False,
    )
    assert optimizer.steps == 100
    assert history.loss[-1] < history.loss[0]
    assert accuracy(model, inputs, labels) >= 0.97


def test_history_records_the_training_pass():
    images, labels = data.four_pixel_camera()
    model = MLP(4, [4], seed=3)
    history = fit(model, images, labels, loss="softmax_cross_entropy", epochs=5, progress=False)
    assert len(history.loss) == len(history.accuracy) == 5
    # the first epoch's numbers are those of the starting weights
    start = MLP(4, [4], seed=3)
    from nn.losses import softmax_cross_entropy

    first_loss = softmax_cross_entropy([start(x) for x in images], labels).data
    assert history.loss[0] == pytest.approx(first_loss)
    assert history.accuracy[0] == accuracy(start, images, labels)


def test_loss_includes_the_l2_penalty():
    x, y = data.xor(20, seed=1)
    a, b = MLP(2, [4, 1], seed=0), MLP(2, [4, 1], seed=0)
    plain = fit(
        a, x, y, loss="hinge", optimizer=SGD(a.parameters(), lr=0.0), epochs=1, progress=False
    )
    penalised = fit(
        b,
        x,
        y,
        loss="hinge",
        optimizer=SGD(b.parameters(), lr=0.0),
        epochs=1,
        l2=0.5,
        progress=False,
    )
    squares = sum(p.data**2 for p in b.parameters())
    assert penalised.loss[0] == pytest.approx(plain.loss[0] + 0.5 * squares)


def test_minibatches_are_shuffled_reproducibly():
    x, y = data.moons(30, seed=0)

    def run(seed):
        model = MLP(2, [4, 1], seed=0)
        opt = SGD(model.parameters(), lr=0.1)
        fit(
            model,
            x,
            y,
            loss="hinge",
            optimizer=opt,
            epochs=3,
            batch_size=7,
            seed=seed,
            progress=False,
        )
        return model.state_dict(), opt.steps

    first, steps = run(5)
    assert steps == 3 * 5  # ceil(30 / 7) batches per epoch
    assert run(5)[0] == first
    assert run(6)[0] != first


def test_regression_targets_have_no_accuracy():
    x = [[0.0], [0.5], [1.0]]
    y = [[0.0], [0.25], [1.0]]
    history = fit(MLP(1, [8, 1], seed=0), x, y, loss="mse", epochs=3, progress=False)
    assert history.accuracy == [] and len(history.loss) == 3
    assert repr(history).startswith("History(epochs=3, loss=")
    assert "accuracy" not in repr(history)


def test_default_optimizer_and_lr():
    images, labels = data.four_pixel_camera()
    model = MLP(4, [8, 4], seed=0)
    history = fit(model, images, labels, loss="softmax_cross_entropy", epochs=60, progress=False)
    assert accuracy(model, images, labels) == 1.0
    assert history.loss[-1] < history.loss[0]
    frozen = MLP(4, [4], seed=0)
    before = frozen.state_dict()
    fit(frozen, images, labels, epochs=2, lr=0.0, progress=False)
    assert frozen.state_dict() == before


def test_dropout_models_train_and_keep_their_mode():
    images, labels = data.four_pixel_camera(32, noise=0.05, seed=0)
    model = MLP(4, [16, 4], dropout=0.1, seed=0)
    model.eval()
    fit(model, images, labels, loss="softmax_cross_entropy", epochs=5, progress=False)
    assert not model.training and not model.modules[1].training
    model.train()
    fit(model, images, labels, loss="softmax_cross_entropy", epochs=1, progress=False)
    assert model.training


def test_progress_bar_can_be_turned_off(capsys):
    x, y = data.xor(10, seed=0)
    fit(MLP(2, [2, 1], seed=0), x, y, loss="hinge", epochs=2, progress=True)
    assert "training" in capsys.readouterr().err
    fit(MLP(2, [2, 1], seed=0), x, y, loss="hinge", epochs=2, progress=False)
    assert capsys.readouterr().err == ""


def test_collector_settings_are_restored_even_on_error():
    before = gc.get_threshold()
    x, y = data.xor(10, seed=0)
    fit(MLP(2, [2, 1], seed=0), x, y, loss="hinge", epochs=1, progress=False)
    assert gc.get_threshold() == before

    def broken_loss(outputs, targets):
        assert gc.get_threshold()[0] >= 100_000  # raised while training
        raise RuntimeError("stop")

    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(RuntimeError, match="stop"):
        fit(model, x, y, loss=broken_loss, epochs=1, progress=False)
    assert gc.get_threshold() == before
    assert model.training


def test_custom_loss_function():
    x, y = data.xor(10, seed=0)
    calls = []

    def loss(outputs, targets):
        calls.append(len(outputs))
        # a one-output model gives each sample's Value itself, as model(x) does
        return sum((o - t) ** 2 for o, t in zip(outputs, targets, strict=True))

    fit(MLP(2, [2, 1], seed=0), x, y, loss=loss, epochs=2, batch_size=4, progress=False)
    assert calls == [4, 4, 2, 4, 4, 2]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"targets": [0]}, ValueError, "fit: got 2 inputs but 1 targets"),
        ({"inputs": [], "targets": []}, ValueError, "no training data"),
        ({"epochs": 0}, ValueError, "epochs must be at least 1, got 0"),
        ({"epochs": 2.0}, TypeError, "epochs must be an int, not float"),
        (
            {"batch_size": 0},
            ValueError,
            r"batch_size \(None for the whole set\) must be at least 1",
        ),
        ({"loss": "nll"}, ValueError, "unknown loss 'nll'"),
        ({"l2": -1.0}, ValueError, "alpha must be a finite number >= 0"),
        ({"optimizer": "rmsprop"}, ValueError, "unknown optimizer 'rmsprop'; give 'sgd' or 'adam'"),
        ({"optimizer": 3}, TypeError, "optimizer must be an nn.optim optimizer or 'sgd' or 'adam'"),
        ({"optimizer": "sgd", "lr": -1.0}, ValueError, r"lr \(the learning rate\) must be"),
        ({"model": "net"}, TypeError, "fit trains an nn.Module, not str"),
        ({"loss": "softmax_cross_entropy"}, ValueError, "needs at least 2 outputs"),
        ({"targets": [0, 2]}, ValueError, r"label 2 \(targets\[1\]\) is not a hinge label"),
        ({"inputs": [[1.0], [2.0]]}, ValueError, "MLP expects 2 inputs, got 1"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, error, message):
    model = MLP(2, [2, 1], seed=0)
    arguments = {
        "model": model,
        "inputs": [[0.0, 1.0], [1.0, 0.0]],
        "targets": [0, 1],
        "loss": "hinge",
        "epochs": 1,
        "progress": False,
    } | kwargs
    before = model.state_dict()
    with pytest.raises(error, match=message):
        fit(**arguments)
    assert model.state_dict() == before


def test_a_loss_function_must_return_a_value():
    model = MLP(2, [1], seed=0)
    before = model.state_dict()
    with pytest.raises(TypeError, match="the loss function must return one Value, got float"):
        fit(model, [[0.0, 1.0]], [1], loss=lambda outputs, targets: 0.5, progress=False)
    assert model.state_dict() == before


def test_lr_and_optimizer_together_is_an_error():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="give lr to the optimizer you pass"):
        fit(
            model,
            [[0.0, 0.0]],
            [1],
            loss="hinge",
            optimizer=SGD(model.parameters(), lr=0.1),
            lr=0.5,
            progress=False,
        )


def test_accuracy_and_predict():
    model = Sequential(Layer(2, 1, activation="linear"))
    model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.w2": -1.0, "L1.N1.b": 0.0})
    inputs = [[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]
    assert predict(model, inputs) == [1, 0, 0]
    assert accuracy(model, inputs, [1, 0, 1]) == pytest.approx(2 / 3)
    assert predict(model, inputs, threshold=-0.5) == [1, 0, 1]
    sigmoid = Sequential(Layer(2, 1, activation="sigmoid"))
    sigmoid.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.w2": -1.0, "L1.N1.b": 0.0})
    assert predict(sigmoid, inputs) == [1, 0, 0]  # threshold 0.5 for a sigmoid output
    scores = Sequential(Layer(2, 3, activation="linear"))
    scores.load_state_dict(
        {
            "L1.N1.w1": 1.0,
            "L1.N1.w2": 0.0,
            "L1.N1.b": 0.0,
            "L1.N2.w1": 0.0,
            "L1.N2.w2": 1.0,
            "L1.N2.b": 0.0,
            "L1.N3.w1": 0.0,
            "L1.N3.w2": 0.0,
            "L1.N3.b": 1.0,
        }
    )
    assert predict(scores, inputs) == [0, 1, 0]  # ties go to the first class
    assert predict(scores, [[0.0, 0.0], [3.0, 4.0]]) == [2, 1]


def test_accuracy_runs_in_eval_mode_without_a_graph_and_restores_the_mode():
    seen = []

    class Spy(Module):
        nin = 2

        def forward(self, x):
            seen.append((self.training, is_grad_enabled()))
            return [Value(x[0])]

    model = Sequential(Spy(), Dropout(0.5))
    assert accuracy(model, [[1.0, 0.0], [-1.0, 0.0]], [1, 0]) == 1.0
    assert seen == [(False, False), (False, False)]
    assert model.training and is_grad_enabled()
    model = MLP(2, [8, 2], dropout=0.5, seed=0)
    x, y = data.xor(40, seed=1)
    first = accuracy(model, x, y)
    assert all(accuracy(model, x, y) == first for _ in range(3))  # dropout is off


def test_accuracy_rejects_bad_arguments():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="got 1 inputs but 2 labels"):
        accuracy(model, [[0.0, 0.0]], [0, 1])
    with pytest.raises(ValueError, match="no inputs given"):
        accuracy(model, [], [])
    with pytest.raises(TypeError, match=r"needs class labels \(ints\)"):
        accuracy(model, [[0.0, 0.0]], [0.5])


def test_history_plot_uses_the_plots_module():
    if importlib.util.find_spec("nn.plots") is None:
        pytest.skip("nn.plots is not available")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    history = History(loss=[1.0, 0.5, 0.25], accuracy=[0.5, 0.75, 1.0])
    figure = history.plot()
    lines = [[float(y) for y in line.get_ydata()] for ax in figure.axes for line in ax.lines]
    assert history.loss in lines and history.accuracy in lines


def test_tqdm_and_torch_are_imported_lazily():
    code = "import sys, nn; print(sorted(m for m in ('tqdm', 'torch') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def four_pixel_setup():
    images, labels = data.four_pixel_camera()
    return MLP(4, [8, 4], seed=0), [list(x) for x in images], list(labels)


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        (
            lambda x, y: ([*x[:7], [1, 2]], y),
            ValueError,
            r"MLP expects 4 inputs, got 2 in inputs\[7\]",
        ),
        (
            lambda x, y: ([*x[:7], [1.0, 0.0, 1.0, float("inf")]], y),
            ValueError,
            r"inputs\[7\]\[3\] is inf; every input must be a finite number",
        ),
        (
            lambda x, y: ([*x[:5], [float("nan")] * 4, *x[6:]], y),
            ValueError,
            r"inputs\[5\]\[0\] is nan",
        ),
        (
            lambda x, y: ([*x[:6], [1, "0", 1, 0], *x[7:]], y),
            TypeError,
            r"inputs\[6\]\[1\] must be a real number, not str",
        ),
        (lambda x, y: ([*x[:7], 5.0], y), TypeError, r"inputs\[7\] must be a list of numbers"),
        (
            lambda x, y: (x, [*y[:7], 4]),
            ValueError,
            r"label 4 \(targets\[7\]\) is out of range for 4",
        ),
        (
            lambda x, y: (x, [*y[:7], [0.0, 1.0]]),
            ValueError,
            r"targets\[7\] has 2 values but the model has 4",
        ),
        (
            lambda x, y: (None, y),
            TypeError,
            r"fit: inputs must be a list of samples \(one list of numbers per sample\), "
            "not NoneType",
        ),
        (
            lambda x, y: ((s for s in x), y),
            TypeError,
            r"inputs must be a list of samples .* generator or iterator .* pass list\(inputs\)",
        ),
        (
            lambda x, y: (x, None),
            TypeError,
            "fit: targets must be a list with one target per input",
        ),
        (lambda x, y: (x, iter(y)), TypeError, r"pass list\(targets\) instead"),
    ],
)
def test_fit_checks_every_sample_before_the_first_step(change, error, message):
    model, images, labels = four_pixel_setup()
    inputs, targets = change(images, labels)
    before = model.state_dict()
    with pytest.raises(error, match=message):
        fit(model, inputs, targets, batch_size=1, epochs=3, progress=False, seed=0)
    assert model.state_dict() == before


def test_fit_accepts_tuples_values_ranges_and_arrays():
    x, y = data.xor(8, seed=0)
    samples = [tuple(Value(v) for v in s) for s in x]
    assert fit(MLP(2, [3, 1], seed=0), samples, y, loss="hinge", epochs=1, progress=False)
    assert fit(MLP(2, [3, 1], seed=0), [range(2)] * 2, [0, 1], epochs=1, progress=False)
    numpy = pytest.importorskip("numpy")
    history = fit(MLP(2, [3, 1], seed=0), numpy.array(x), y, loss="hinge", progress=False)
    assert history.epochs == 100


def test_ctrl_c_returns_the_history_of_the_completed_epochs():
    x, y = data.xor(12, seed=0)
    calls = []

    def loss(outputs, targets):
        calls.append(1)
        if len(calls) == 2:  # epoch 2 (one step per epoch)
            raise KeyboardInterrupt
        return losses.hinge(outputs, targets)

    model = MLP(2, [4, 1], seed=0).eval()
    history = fit(model, x, y, loss=loss, epochs=5, progress=False)
    assert history.interrupted and history.epochs == 1 and len(history.accuracy) == 1
    assert repr(history).endswith(", interrupted=True)")
    assert not model.training  # the mode is restored
    reference = MLP(2, [4, 1], seed=0)
    expected = fit(reference, x, y, loss="hinge", epochs=1, progress=False, engine="values")
    assert not expected.interrupted and history.loss == expected.loss
    assert model.state_dict() == reference.state_dict()  # as after the last completed step


def test_ctrl_c_during_an_optimizer_step_lets_the_step_finish():
    import os
    import signal

    x, y = data.xor(12, seed=0)

    class Interrupted(SGD):
        def step(self):
            os.kill(os.getpid(), signal.SIGINT)  # arrives before the update below
            for _ in range(1000):  # give the signal time to be handled mid-step
                pass
            super().step()

    model = MLP(2, [4, 1], seed=0)
    history = fit(
        model, x, y, "hinge", Interrupted(model.parameters(), lr=0.1), epochs=3, progress=False
    )
    assert (
        history.interrupted
        and history.epochs == 0
        and repr(history) == "History(epochs=0, interrupted=True)"
    )
    reference = MLP(2, [4, 1], seed=0)
    fit(reference, x, y, "hinge", SGD(reference.parameters(), lr=0.1), epochs=1, progress=False)
    assert model.state_dict() == reference.state_dict()  # the whole first step was made
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
