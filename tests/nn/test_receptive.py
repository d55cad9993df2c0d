"""Receptive fields: exact signs in the first layer, true maxima deeper, and model reading."""

from __future__ import annotations

import itertools
import random

import pytest

import nn
from autograd import Value
from nn.pictures import neuron_values
from nn.receptive import model_layers, relevant_inputs


def set_weights(layer: nn.Layer, rows: list[list[float]], biases: list[float] | None = None):
    for neuron, row in zip(layer.neurons, rows, strict=True):
        for w, number in zip(neuron.w, row, strict=True):
            w.data = number
    for neuron, bias in zip(layer.neurons, biases or [0.0] * len(rows), strict=True):
        neuron.b.data = bias


def test_first_layer_fields_are_exactly_the_weight_signs():
    model = nn.MLP(4, [3, 2], seed=3)
    set_weights(model.layers[0], [[0.5, -0.1, 2.0, -3.0], [-1.0, 0.0, 0.25, 0.0], [1, 1, 1, 1]])
    fields = nn.receptive_fields(model)
    assert fields[0] == [[1.0, -1.0, 1.0, -1.0], [-1.0, 0.0, 1.0, 0.0], [1.0, 1.0, 1.0, 1.0]]


def test_shapes_and_range():
    model = nn.MLP(3, [4, 3, 2], activation="relu", seed=5)
    fields = nn.receptive_fields(model)
    assert [len(layer) for layer in fields] == [4, 3, 2]
    for layer in fields:
        for field in layer:
            assert len(field) == 3
            assert all(isinstance(p, float) and -1.0 <= p <= 1.0 for p in field)


def sampled_inputs(n: int, count: int, seed: int) -> list[list[float]]:
    rng = random.Random(seed)
    samples = [[rng.uniform(-1.0, 1.0) for _ in range(n)] for _ in range(count)]
    samples += [list(corner) for corner in itertools.product((-1.0, 1.0), repeat=n)]
    return samples


@pytest.mark.parametrize(
    ("nin", "sizes", "activation", "seed"),
    [
        (4, [4, 4, 4], "tanh", 0),
        (4, [4, 4, 4], "relu", 1),
        (4, [3, 3, 2], "sigmoid", 2),
        (3, [5, 4, 1], "tanh", 7),
        (2, [6, 6, 1], "relu", 11),
    ],
)
def test_deeper_fields_are_not_beaten_by_sampled_inputs(nin, sizes, activation, seed):
    model = nn.MLP(nin, sizes, activation=activation, output_activation="tanh", seed=seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = random.Random(seed + len(neuron.w)).uniform(-0.5, 0.5)
    fields = nn.receptive_fields(model)
    best = [
        [neuron_values(model, field)[index][j] for j, field in enumerate(layer_fields)]
        for index, layer_fields in enumerate(fields)
    ]
    for x in sampled_inputs(nin, 2000, seed):
        values = neuron_values(model, x)
        for index in range(len(sizes)):
            for j, value in enumerate(values[index]):
                assert value <= best[index][j] + 1e-6, (index, j, x, fields[index][j])


def test_linear_network_field_is_the_sign_of_the_composed_map():
    model = nn.MLP(3, [2, 1], activation="linear", seed=0)
    set_weights(model.layers[0], [[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]])
    set_weights(model.layers[1], [[1.0, 3.0]])
    # Composed row: 1·[1, -2, 0.5] + 3·[0.5, 1, -1] = [2.5, 1, -2.5].
    assert nn.receptive_fields(model)[1] == [[1.0, 1.0, -1.0]]


def test_inputs_without_a_path_of_nonzero_weights_do_not_matter():
    model = nn.MLP(4, [2, 1], seed=0)
    set_weights(model.layers[0], [[1.0, 0.0, 0.0, -1.0], [0.0, 0.0, 2.0, 0.0]])
    set_weights(model.layers[1], [[1.0, 0.0]])
    fields = nn.receptive_fields(model)
    assert fields[1][0][1:3] == [0.0, 0.0]
    assert fields[1][0][0] == 1.0 and fields[1][0][3] == -1.0
    assert relevant_inputs(model.layers)[1][0] == [True, False, False, True]


def test_interior_maximum_of_a_tanh_neuron_is_found():
    # Neuron 2 computes -(tanh(x1) - tanh(x1 - 0.5))-like shapes: its best input is inside.
    model = nn.MLP(1, [2, 1], activation="tanh", output_activation="linear", seed=0)
    set_weights(model.layers[0], [[3.0], [3.0]], biases=[0.0, -1.5])
    set_weights(model.layers[1], [[1.0, -1.0]])
    field = nn.receptive_fields(model)[1][0]
    score = neuron_values(model, field)[1][0]
    grid = [neuron_values(model, [k / 500 - 1])[1][0] for k in range(1001)]
    assert -1.0 < field[0] < 1.0
    assert score >= max(grid) - 1e-6


def test_deterministic_and_leaves_the_model_untouched():
    model = nn.MLP(4, [3, 3, 2], activation="tanh", seed=4)
    for p in model.parameters():
        p.grad = 0.125
    before = [p.data for p in model.parameters()]
    first = nn.receptive_fields(model)
    assert nn.receptive_fields(model) == first
    assert [p.data for p in model.parameters()] == before
    assert all(p.grad == 0.125 for p in model.parameters())


def test_dead_neuron_still_gets_a_field_that_reaches_its_maximum():
    model = nn.MLP(2, [2, 1], activation="relu", output_activation="relu", seed=0)
    set_weights(model.layers[0], [[1.0, 1.0], [-1.0, 1.0]], biases=[-5.0, -5.0])
    field = nn.receptive_fields(model)[1][0]
    assert all(-1.0 <= p <= 1.0 for p in field)
    assert neuron_values(model, field)[1][0] == 0.0


def test_models_it_reads():
    layer = nn.Layer(2, 3, seed=0)
    assert model_layers(layer) == [layer]
    sequential = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Dropout(0.5), nn.Layer(3, 1, seed=1))
    assert model_layers(sequential) == [sequential.modules[0], sequential.modules[2]]
    nested = nn.Sequential(nn.MLP(2, [3], seed=0), nn.Layer(3, 1, seed=1))
    assert len(model_layers(nested)) == 2
    mlp = nn.MLP(2, [3, 1], dropout=0.25, seed=0)
    assert model_layers(mlp) == mlp.layers
    assert len(nn.receptive_fields(sequential)) == 2


@pytest.mark.parametrize("thing", [5, "MLP", None, [1, 2], Value(1.0), nn.Dropout(0.5)])
def test_non_models_are_refused(thing):
    with pytest.raises(TypeError, match="expected a network"):
        nn.receptive_fields(thing)


def test_layers_that_do_not_fit_are_refused():
    model = nn.Sequential(nn.Layer(2, 3, seed=0), nn.Layer(3, 1, seed=1))
    model.modules[1] = nn.Layer(4, 1, seed=1)
    with pytest.raises(ValueError, match="layer 2 takes 4 inputs but layer 1 gives 3"):
        nn.receptive_fields(model)
