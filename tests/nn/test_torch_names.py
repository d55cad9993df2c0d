"""PyTorch's names: Linear, the activation modules, fit by optimizer name, nn.save/load/to_torch."""

import math

import pytest

import nn
from autograd import Value
from nn import ACTIVATIONS, Layer, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh


def test_linear_is_a_layer_without_activation():
    layer = Linear(3, 2, seed=0)
    assert layer.activation == "linear" and isinstance(layer, Layer)
    out = layer([1.0, -1.0, 0.5])
    assert [v.op for v in out] == ["weighted_sum", "weighted_sum"]
    assert Linear(3, 2, bias=False).parameters()[-1].label == "N2.w3"


@pytest.mark.parametrize(
    ("module", "function"),
    [
        (Tanh(), math.tanh),
        (ReLU(), lambda s: max(s, 0.0)),
        (Sigmoid(), lambda s: 1 / (1 + math.exp(-s))),
    ],
)
def test_activation_modules_apply_their_function_to_each_input(module, function):
    inputs = [Value(-1.5), 0.0, 2.0]
    out = module(inputs)
    assert [v.data for v in out] == pytest.approx([function(-1.5), function(0.0), function(2.0)])
    out[0].backward()
    assert inputs[0].grad != 0.0 or module.activation == "relu"
    assert module.parameters() == [] and module.nin is None


def test_leaky_relu_keeps_a_slope_below_zero():
    assert [v.data for v in LeakyReLU()([-2.0, 3.0])] == pytest.approx([-0.02, 3.0])
    assert [v.data for v in LeakyReLU(negative_slope=0.5)([-2.0])] == [-1.0]
    assert ACTIVATIONS["leaky_relu"](Value(-1.0), negative_slope=0.1).data == -0.1


def test_leaky_relu_checks_its_slope():
    with pytest.raises(TypeError, match="LeakyReLU negative_slope must be a number, not str"):
        LeakyReLU("0.1")
    with pytest.raises(ValueError, match="LeakyReLU negative_slope must be a finite number"):
        LeakyReLU(math.nan)


def test_a_pytorch_style_sequential_trains_and_ends_as_its_last_layer_says():
    model = Sequential(Linear(2, 8, seed=0), Tanh(), Linear(8, 1, seed=1))
    assert [name for name, _ in model.named_children()] == ["L1", "Tanh1", "L2"]
    assert model.parameters()[0].label == "L1.N1.w1"
    x, y = nn.data.xor(40, seed=0)
    history = nn.fit(model, x, y, loss="hinge", epochs=60, optimizer="adam", lr=0.05,
                     progress=False)  # fmt: skip
    assert history.loss[-1] < history.loss[0]
    assert nn.accuracy(model, x, y) >= 0.9
    sgd = Sequential(Linear(2, 8, seed=0), Tanh(), Linear(8, 1, seed=1))
    before = sgd.state_dict()
    nn.fit(sgd, x, y, loss="hinge", epochs=1, optimizer="sgd", lr=0.1, progress=False)
    assert sgd.state_dict() != before


def test_sigmoid_module_output_sets_the_prediction_threshold():
    model = Sequential(Linear(1, 1, seed=0), Sigmoid())
    model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.b": 0.0})
    assert nn.predict(model, [[0.5], [-0.5]]) == [1, 0]  # output > 0.5, not > 0


MODELS = [
    lambda: Sequential(Linear(2, 3, seed=0), ReLU(), Linear(3, 2, bias=False, seed=1), Sigmoid()),
    lambda: Sequential(Linear(2, 3, seed=0), Tanh(), Sequential(Linear(3, 1, seed=1))),
    lambda: Linear(3, 2, seed=0),
]


@pytest.mark.parametrize("make", MODELS)
def test_module_functions_save_load_round_trip(tmp_path, make):
    model = make()
    path = tmp_path / "m.json"
    nn.save(model, path)
    loaded = nn.load(path)
    assert repr(loaded) == repr(model) and loaded.state_dict() == model.state_dict()
    x = [0.25, -0.5] if model.nin == 2 else [0.1, 0.2, 0.3]
    assert [v.data for v in loaded.outputs(x)] == [v.data for v in model.outputs(x)]


def test_leaky_relu_saves_its_slope(tmp_path):
    model = Sequential(Linear(2, 2, seed=0), LeakyReLU(0.2), Linear(2, 1, seed=1))
    nn.save(model, tmp_path / "m.json")
    assert repr(nn.load(tmp_path / "m.json")[1]) == "LeakyReLU(negative_slope=0.2)"


torch = pytest.importorskip("torch")


@pytest.mark.parametrize("make", MODELS)
def test_to_torch_exports_pytorch_style_models(make):
    model = make()
    exported = nn.to_torch(model)
    x = [0.25, -0.5] if model.nin == 2 else [0.1, 0.2, 0.3]
    with torch.no_grad():
        expected = exported(torch.tensor([x], dtype=torch.float64))[0].tolist()
    assert [v.data for v in model.outputs(x)] == pytest.approx(expected, rel=1e-12)


def test_to_torch_exports_leaky_relu_with_its_slope():
    model = Sequential(Linear(2, 2, seed=0), LeakyReLU(0.2), Linear(2, 1, seed=1))
    exported = nn.to_torch(model)
    assert type(exported[2]).__name__ == "LeakyReLU" and exported[2].negative_slope == 0.2
    x = [-0.75, 0.5]
    with torch.no_grad():
        expected = exported(torch.tensor([x], dtype=torch.float64)).item()
    assert model(x).data == pytest.approx(expected, rel=1e-12)
