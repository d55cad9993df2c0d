"""Models read as layers for pictures: MLPs, Sequentials of Layers, Linear + activation modules."""

import pytest

import nn
from nn import Dropout, Layer, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Tanh
from nn.network import ActivatedLayer, model_layers
from nn.pictures import neuron_flags, neuron_values


def pytorch_style():
    return Sequential(Linear(2, 3, seed=0), ReLU(), Dropout(0.5), Linear(3, 1, seed=1), Sigmoid())


def test_a_linear_and_its_activation_module_read_as_one_layer():
    model = pytorch_style()
    layers = model_layers(model)
    assert [type(layer) for layer in layers] == [ActivatedLayer, ActivatedLayer]
    assert [layer.activation for layer in layers] == ["relu", "sigmoid"]
    assert layers[0].neurons == model[0].neurons
    assert model_layers(Sequential(Linear(2, 2, seed=0), Linear(2, 1, seed=1)))[0].activation == (
        "linear"
    )


def test_pictures_of_a_pytorch_style_model_match_the_model():
    model = pytorch_style().eval()
    x = [0.5, -1.0]
    assert neuron_values(model, x)[-1] == [model(x).data]
    same = nn.MLP(2, [3, 1], activation="relu", output_activation="sigmoid", seed=0)
    for ours, theirs in zip(same.layers, [model[0], model[3]], strict=True):
        for a, b in zip(ours.neurons, theirs.neurons, strict=True):
            for p, q in zip(a.parameters(), b.parameters(), strict=True):
                p.data = q.data
    assert nn.receptive_fields(model) == nn.receptive_fields(same)
    assert nn.pictures.network_dot(model, input=x).count("->") == nn.pictures.network_dot(
        same, input=x
    ).count("->")


def test_dead_relus_after_a_linear_are_flagged():
    model = Sequential(Linear(2, 2, seed=0), ReLU(), Linear(2, 1, seed=1))
    model[0].neurons[1].b.data = -10.0
    assert [(f.layer, f.neuron, f.kind) for f in neuron_flags(model, [[1, 0], [0, 1]])] == [
        (0, 1, "dead")
    ]


def test_decision_boundary_of_a_pytorch_style_model():
    pytest.importorskip("matplotlib")
    figure = nn.plot_decision_boundary(pytorch_style(), [[0, 0], [1, 1]], [0, 1], resolution=10)
    assert [a.get_gid() for a in figure.axes[0].collections] == ["score", "boundary", "points"]


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (Sequential(Tanh(), Linear(2, 1, seed=0)), "a Tanh comes first"),
        (Sequential(Layer(2, 2, "relu", seed=0), Tanh()), "a Tanh comes after layer 1"),
        (Sequential(Linear(2, 2, seed=0), Tanh(), ReLU()), "a ReLU comes after layer 1"),
    ],
)
def test_activation_modules_that_do_not_follow_a_linear_are_refused(model, message):
    before = model.state_dict()
    with pytest.raises(ValueError, match=f"{message}, not after a layer without activation"):
        nn.draw_network(model)
    assert model.state_dict() == before


def test_leaky_relu_layers_are_drawn_with_their_slope():
    model = Sequential(Linear(2, 2, seed=0), LeakyReLU(0.5), Linear(2, 1, seed=1))
    x = [-1.0, 0.25]
    assert neuron_values(model, x)[-1] == [model(x).data]
    assert len(nn.receptive_fields(model)) == 2
