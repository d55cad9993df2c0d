"""The activation table: every row works the same on Values, floats, arrays and in PyTorch."""

import math

import pytest

import nn
from autograd import Value
from nn.activations import ACTIVATIONS, check_activation

NAMES = list(ACTIVATIONS)
POINTS = [-3.0, -0.5, 0.0, 0.25, 2.0]


@pytest.mark.parametrize("name", NAMES)
def test_value_float_and_array_functions_agree(name):
    row = ACTIVATIONS[name]
    floats = [row.on_float(s) for s in POINTS]
    assert all(math.isfinite(f) for f in floats)
    numpy = pytest.importorskip("numpy")
    assert list(row.on_array(numpy.array(POINTS))) == pytest.approx(floats, rel=1e-15, abs=1e-15)
    assert [row(Value(s)).data for s in POINTS] == pytest.approx(floats, rel=1e-15, abs=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_every_row_is_a_layer_activation_that_saves_and_draws(tmp_path, name):
    model = nn.Sequential(nn.Layer(2, 2, activation=name, seed=0), nn.Layer(2, 1, seed=1))
    x = [0.75, -0.25]
    path = tmp_path / "m.json"
    nn.save(model, path)
    assert nn.load(path)(x).data == model(x).data
    assert nn.pictures.neuron_values(model, x)[-1] == [model(x).data]
    assert f"\\n{name}" in nn.pictures.network_dot(model)


@pytest.mark.parametrize("name", NAMES)
def test_every_row_exports_to_its_torch_module(name):
    torch = pytest.importorskip("torch")
    model = nn.Layer(2, 3, activation=name, seed=0)
    exported = nn.to_torch(model)
    assert type(exported[1]).__name__ == ACTIVATIONS[name].module
    with torch.no_grad():
        expected = exported(torch.tensor([[0.5, -1.5]], dtype=torch.float64))[0].tolist()
    assert [v.data for v in model([0.5, -1.5])] == pytest.approx(expected, rel=1e-12)


def test_each_activation_module_names_its_row():
    modules = [nn.Tanh, nn.ReLU, nn.Sigmoid, nn.LeakyReLU]
    assert sorted(m.activation for m in modules) == sorted(n for n in NAMES if n != "linear")
    assert all(ACTIVATIONS[m.activation].module == m.__name__ for m in modules)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="unknown activation 'gelu'; choose one of 'linear', "):
        check_activation("gelu")
    with pytest.raises(TypeError, match="an activation is named by a str, not int"):
        check_activation(3)
