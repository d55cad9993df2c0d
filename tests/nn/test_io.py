"""Tests for saving and loading models as JSON."""

import json
import os
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value
from nn import MLP, Dropout, Layer, Module, Neuron, Sequential
from nn.describe import architecture, build
from nn.io import FORMAT, VERSION
from nn.module import load, save


def trained_like(model):
    """Give every parameter an awkward float so the round trip is a real test."""
    for i, p in enumerate(model.parameters()):
        p.data = (i + 1) / 7.0 - 0.123456789e-3 * i
    return model


MODELS = [
    lambda: MLP(4, [8, 8, 4], activation="tanh", seed=0),
    lambda: MLP(2, [16, 16, 1], activation=["relu", "sigmoid"], dropout=0.2, seed=3),
    lambda: MLP(3, [2], output_activation="tanh", bias=False, init="he"),
    lambda: Sequential(Layer(2, 3, activation="relu"), Dropout(0.5), Neuron(3, "linear")),
    lambda: Sequential(Sequential(Layer(2, 2)), Layer(2, 1, bias=False)),
    lambda: Layer(3, 2, activation="sigmoid"),
    lambda: Neuron(4, activation="relu", bias=False),
]


@pytest.mark.parametrize("make", MODELS)
def test_save_load_round_trip_is_exact(tmp_path, make):
    model = trained_like(make())
    path = tmp_path / "model.json"
    model.save(path)
    loaded = nn.load(path)
    assert type(loaded) is type(model)
    assert repr(loaded) == repr(model)
    assert loaded.state_dict() == model.state_dict()
    assert architecture(loaded) == architecture(model)
    assert [p.label for p in loaded.parameters()] == [p.label for p in model.parameters()]
    x = [0.25 * (i + 1) for i in range(model.nin)]
    model.eval()
    loaded.eval()
    assert [v.data for v in loaded.outputs(x)] == [v.data for v in model.outputs(x)]


def test_file_format(tmp_path):
    model = MLP(2, [3, 1], seed=0)
    path = tmp_path / "m.json"
    save(model, str(path))
    document = json.loads(path.read_text())
    assert document["format"] == FORMAT == "chainrule.model"
    assert document["version"] == VERSION == 1
    assert document["architecture"]["type"] == "MLP"
    assert document["architecture"]["sizes"] == [3, 1]
    assert document["weights"] == model.state_dict()


def test_save_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=0).save(path)
    first = path.read_text()
    MLP(2, [3, 1], seed=1).save(path)
    assert path.read_text() != first
    assert os.listdir(tmp_path) == ["model.json"]

    class Custom(Module):
        def __init__(self):
            self.w = Value(1.0)

        def forward(self, x):
            return [self.w * x[0]]

    before = path.read_text()
    with pytest.raises(TypeError, match="cannot describe a Custom: saving and export support"):
        Custom().save(path)
    assert path.read_text() == before  # the old file is untouched
    with pytest.raises(FileNotFoundError):
        save(MLP(2, [1], seed=0), tmp_path / "missing-folder" / "m.json")
    assert os.listdir(tmp_path) == ["model.json"]


def write(tmp_path, document):
    path = tmp_path / "bad.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def good_document():
    model = MLP(2, [3, 2], seed=0)
    return {
        "format": FORMAT,
        "version": VERSION,
        "architecture": architecture(model),
        "weights": model.state_dict(),
    }


def test_truncated_file(tmp_path):
    path = tmp_path / "m.json"
    MLP(2, [3, 1], seed=0).save(path)
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(ValueError, match=r"not valid JSON .* the file may be truncated"):
        load(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: [1, 2], "not a chainrule model file"),
        (lambda d: d | {"format": "other"}, "not a chainrule model file"),
        (lambda d: d | {"version": 2}, "format version 2 is newer than this chainrule reads"),
        (lambda d: d | {"version": "1"}, "invalid format version '1'"),
        (lambda d: {k: v for k, v in d.items() if k != "weights"}, "the file has no weights"),
        (
            lambda d: d | {"architecture": d["architecture"] | {"type": "CNN"}},
            "invalid architecture: unknown module type 'CNN'",
        ),
        (
            lambda d: d | {"architecture": d["architecture"] | {"sizes": [3, "2"]}},
            r"invalid architecture: .*layer size '2' must be an int",
        ),
        (
            lambda d: d | {"architecture": d["architecture"] | {"activation": ["swish"]}},
            "invalid architecture: unknown activation 'swish'",
        ),
        (
            lambda d: d | {"architecture": {"type": "Layer", "nin": 2}},
            r"invalid architecture: Layer: missing keys \['activation', 'bias', 'nout'\]",
        ),
        (
            lambda d: d | {"architecture": {"type": "Sequential", "modules": "L1"}},
            "invalid architecture: Sequential: Sequential modules must be a list",
        ),
        (
            lambda d: d | {"architecture": d["architecture"] | {"bias": 1}},
            "bias must be true or false",
        ),
        (
            lambda d: d | {"architecture": d["architecture"] | {"sizes": [4, 2]}},
            r"weights do not fit the architecture: .*missing 'L1.N4.w1'",
        ),
        (
            lambda d: d | {"weights": d["weights"] | {"L2.N1.b": "x"}},
            "weights do not fit the architecture: parameter 'L2.N1.b' must be a number, not str",
        ),
        (
            lambda d: d | {"weights": d["weights"] | {"L2.N1.b": float("nan")}},
            "parameter 'L2.N1.b' must be a finite number, got nan",
        ),
        (lambda d: d | {"weights": [1.0]}, "a state dict must be a dict"),
    ],
)
def test_malformed_or_mismatched_files(tmp_path, change, message):
    path = write(tmp_path, change(good_document()))
    with pytest.raises(ValueError, match=message):
        load(path)


def test_a_good_document_loads(tmp_path):
    model = load(write(tmp_path, good_document()))
    assert model.state_dict() == MLP(2, [3, 2], seed=0).state_dict()


def test_build_from_description():
    assert repr(build({"type": "Neuron", "nin": 2, "activation": "relu", "bias": True})) == (
        "Neuron(2, activation='relu')"
    )
    with pytest.raises(ValueError, match="a module description must be a JSON object"):
        build(["Layer"])
    with pytest.raises(ValueError, match=r"unexpected keys \['extra'\]"):
        build({"type": "Dropout", "p": 0.5, "extra": 1})


@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    weights=st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=8
    ),
    dropout=st.sampled_from([0.0, 0.5]),
)
def test_round_trip_is_exact_for_any_weights(tmp_path_factory, sizes, weights, dropout):
    model = MLP(3, sizes, dropout=dropout, seed=0)
    for i, p in enumerate(model.parameters()):
        p.data = weights[i % len(weights)]
    path = tmp_path_factory.mktemp("round-trip") / "model.json"
    model.save(path)
    assert load(path).state_dict() == model.state_dict()


def test_loading_a_binary_file_says_it_is_not_a_model(tmp_path):
    path = tmp_path / "weights.bin"
    path.write_bytes(bytes(range(256)))
    with pytest.raises(ValueError, match=r"not a chainrule model JSON file \(it is not text"):
        load(path)


@pytest.mark.parametrize("path", [None, 3, b"model.json"])
def test_path_must_be_a_str_or_pathlike(path):
    model = MLP(2, [1], seed=0)
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike"):
        load(path)
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike"):
        model.save(path)


def test_saving_into_a_missing_folder_names_it(tmp_path):
    folder = tmp_path / "missing"
    with pytest.raises(
        FileNotFoundError, match=re.escape(f"the folder '{folder}' does not exist; create it first")
    ):
        MLP(2, [1], seed=0).save(folder / "m.json")
    assert not folder.exists()


def test_saving_or_loading_a_folder_is_a_clear_error(tmp_path):
    with pytest.raises(IsADirectoryError, match=r"it is a folder; give a file path such as"):
        MLP(2, [1], seed=0).save(tmp_path)
    with pytest.raises(IsADirectoryError, match="it is a folder; give the path of a saved model"):
        load(tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_weight_that_is_not_finite_is_named_and_nothing_is_written(tmp_path, bad):
    model = MLP(2, [3, 1], seed=0)
    model.modules[1].neurons[0].w[2].data = bad
    path = tmp_path / "m.json"
    with pytest.raises(ValueError, match=rf"parameter 'L2.N1.w3' is not finite \({bad}\)"):
        model.save(path)
    assert list(tmp_path.iterdir()) == []


def test_a_huge_corrupted_size_fails_fast_without_building(tmp_path, monkeypatch):
    document = good_document()
    document["architecture"]["sizes"] = [300_000, 2]

    def no_build(description):
        raise AssertionError("build must not run")

    monkeypatch.setattr(nn.module, "build", no_build)
    with pytest.raises(
        ValueError,
        match=r"weights do not fit the architecture: it has 1500002 parameters, the file "
        r"holds 17 weights; the file is corrupted",
    ):
        load(write(tmp_path, document))


def test_a_size_mismatch_reports_the_counts_and_the_names(tmp_path):
    document = good_document()
    document["architecture"]["sizes"] = [4, 2]
    with pytest.raises(
        ValueError, match=r"it has 22 parameters, the file holds 17 weights; .*missing 'L1.N4.w1'"
    ):
        load(write(tmp_path, document))


def test_a_custom_module_made_savable_saves_and_loads(tmp_path):
    @nn.describe.savable
    class Scale(Module):
        def __init__(self, factor=2.0):
            self.factor = factor
            self.w = Value(1.0)

        def forward(self, x):
            return [self.w * (self.factor * xi) for xi in x]

        def config(self):
            return {"factor": self.factor}

    try:
        model = Sequential(Scale(3.0), Layer(1, 1, seed=0))
        model[0].w.data = 0.5
        nn.save(model, tmp_path / "m.json")
        loaded = nn.load(tmp_path / "m.json")
        assert loaded[0].factor == 3.0 and loaded.state_dict() == model.state_dict()
        assert loaded([2.0]).data == model([2.0]).data

        class Other(Module):
            pass

        Other.__name__ = "Scale"
        with pytest.raises(ValueError, match="a savable module class named 'Scale' already"):
            nn.describe.savable(Other)
    finally:
        nn.describe._SAVABLE.pop("Scale", None)
