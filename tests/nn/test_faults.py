"""Bad input and faults: each is refused with a message naming it, and nothing changes.

Every test checks the message and that the model, and the files on disk, are as before.
"""

import json
import os
import time

import pytest

import nn
from autograd import Value, no_grad
from nn import MLP, Linear, Sequential, Tanh, io


def listing(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def nested(depth):
    model = Linear(2, 2, seed=0)
    for _ in range(depth):
        model = Sequential(model)
    return model


def test_deeply_nested_json_is_a_value_error_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text('{"format": "chainrule.model", "a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    before = listing(tmp_path)
    with pytest.raises(ValueError, match=r"nested more than 200 levels deep \(nn.io.MAX_DEPTH\)"):
        nn.load(path)
    assert listing(tmp_path) == before


def test_brackets_inside_strings_do_not_count_as_nesting(tmp_path):
    model = Linear(1, 1, seed=0)
    path = tmp_path / "m.json"
    nn.save(model, path)
    document = json.loads(path.read_text())
    document["note"] = "[" * 1000 + '\\"{' * 500
    path.write_text(json.dumps(document))
    assert nn.load(path).state_dict() == model.state_dict()


def test_deeply_nested_sequentials_save_load_and_run(tmp_path):
    model = nested(90)
    path = tmp_path / "m.json"
    nn.save(model, path)
    loaded = nn.load(path)
    assert [v.data for v in loaded([0.5, -1.0])] == [v.data for v in model([0.5, -1.0])]
    loaded([0.5, -1.0])[0].backward()


def test_a_model_nested_too_deeply_to_load_is_not_saved(tmp_path):
    path = tmp_path / "m.json"
    path.write_text("old")
    with pytest.raises(ValueError, match=r"cannot save to .*nested more than 200 levels"):
        nn.save(nested(150), path)
    assert listing(tmp_path) == {"m.json": b"old"}


def test_files_over_the_size_limit_are_refused_before_being_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "big.json"
    nn.save(MLP(2, [3, 1], seed=0), path)
    size = path.stat().st_size
    monkeypatch.setattr(io, "MAX_FILE_BYTES", size - 1)
    read = []
    real_open = open

    def spying_open(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        original = handle.read
        handle.read = lambda n=-1: read.append(n) or original(n)
        return handle

    monkeypatch.setattr(io, "open", spying_open, raising=False)
    before = listing(tmp_path)
    with pytest.raises(ValueError, match=r"larger than .* MiB \(nn.io.MAX_FILE_BYTES\)"):
        nn.load(path)
    assert read == [size]  # at most the limit and one byte more
    assert listing(tmp_path) == before
    assert io.MAX_FILE_BYTES > 0 and io.__doc__.count("MAX_FILE_BYTES")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_at_once():
    started = time.monotonic()
    with pytest.raises(ValueError, match="is not a regular file"):
        nn.load("/dev/zero")
    assert time.monotonic() - started < 1.0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(ValueError, match="is not a regular file"):
        nn.load(pipe)


def test_receptive_fields_refuse_a_model_over_the_size_limit_at_once():
    model = MLP(128, [128, 128], seed=0)
    before = model.state_dict()
    started = time.monotonic()
    with pytest.raises(ValueError, match=r"too large to search: 4,194,304 units of work"):
        nn.receptive_fields(model)
    with pytest.raises(ValueError, match="too large to search"):
        nn.draw_network(model, receptive_fields=True)
    assert time.monotonic() - started < 2.0
    assert model.state_dict() == before


def test_receptive_fields_honour_their_time_limit():
    model = MLP(64, [64, 64], seed=0)
    for p in model.parameters():
        p.grad = 0.5
    before = model.state_dict()
    started = time.monotonic()
    with pytest.raises(TimeoutError, match=r"gave up after its time limit of 0\.5 s"):
        nn.receptive_fields(model, timeout=0.5)
    with pytest.raises(TimeoutError, match=r"time limit of 0\.5 s"):
        nn.draw_network(model, receptive_fields=True, timeout=0.5)
    assert time.monotonic() - started < 4.0
    assert model.state_dict() == before
    assert all(p.grad == 0.5 for p in model.parameters())
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        nn.receptive_fields(model, timeout=0)


@pytest.mark.parametrize(
    ("loss", "message"),
    [
        (lambda outputs, targets: Value(1.0), "has no graph"),
        (lambda outputs, targets: Value(0.5) * 2.0 + 1.0, "does not depend on any parameter"),
        (lambda outputs, targets: outputs[0].detach() * 2.0, "does not depend on any parameter"),
    ],
)
def test_fit_refuses_a_loss_that_cannot_train_the_model(loss, message):
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    with pytest.raises(ValueError, match=message):
        nn.fit(model, [[0.0, 1.0]], [1], loss=loss, progress=False)
    assert model.state_dict() == before


def test_fit_refuses_a_loss_built_under_no_grad():
    def loss(outputs, targets):
        with no_grad():
            return nn.losses.hinge(outputs, targets) + 0.0

    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    optimizer = nn.optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"computed under autograd.no_grad\(\) or from plain"):
        nn.fit(model, [[0.0, 1.0]], [1], loss=loss, optimizer=optimizer, progress=False)
    assert model.state_dict() == before and optimizer.steps == 0


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_predict_and_accuracy_name_a_non_finite_output(bad):
    model = Sequential(Linear(2, 1, seed=0), Tanh(), Linear(1, 1, seed=1))
    model[2].neurons[0].b.data = bad
    before = model.state_dict()
    # The engine names the parameter at the op that reads it, before any output exists.
    named = rf"weighted_sum: the data of input b \({bad} \(Value 'L2.N1.b'\)\) is not finite"
    with pytest.raises(ValueError, match=named):
        nn.predict(model, [[0.0, 1.0]])
    with pytest.raises(ValueError, match=named):
        nn.accuracy(model, [[0.0, 1.0]], [1])
    several = MLP(2, [2], seed=0)
    several.layers[0].neurons[1].b.data = bad
    with pytest.raises(ValueError, match=r"\(Value 'L1.N2.b'\)\) is not finite"):
        nn.predict(several, [[0.0, 0.0], [0.0, 1.0]])
    assert str(model.state_dict()) == str(before)


def test_a_file_describing_too_many_modules_is_refused_before_building(tmp_path, monkeypatch):
    path = tmp_path / "many.json"
    nn.save(Linear(1, 1, seed=0), path)
    document = json.loads(path.read_text())
    document["architecture"] = {"type": "Sequential", "modules": [{"type": "Tanh"}] * 20_000}
    path.write_text(json.dumps(document))
    built = []
    monkeypatch.setattr(nn.module, "build", built.append)
    before = listing(tmp_path)
    with pytest.raises(
        ValueError, match=r"describes 20,001 modules, more than nn.describe.MAX_MODULES"
    ):
        nn.load(path)
    assert built == [] and listing(tmp_path) == before
