"""Tests for neurons, layers, MLPs, Sequential, Dropout, softmax and the Module base."""

import math
import random

import pytest

import autograd
import nn
from autograd import Value
from nn import MLP, Dropout, Layer, Module, Neuron, Sequential, softmax


def test_neuron_is_one_weighted_sum_then_activation():
    neuron = Neuron(3, activation="sigmoid", seed=0)
    y = neuron([1.0, -2.0, 0.5])
    assert isinstance(y, Value)  # a neuron returns its Value, as micrograd's does
    assert y.op == "sigmoid"
    (s,) = y.parents
    assert s.op == "weighted_sum"
    assert [p for p in s.parents if p.requires_grad] == [*neuron.w, neuron.b]
    assert [p.data for p in s.parents if not p.requires_grad] == [1.0, -2.0, 0.5]
    expected = sum(w.data * x for w, x in zip(neuron.w, [1.0, -2.0, 0.5], strict=True))
    assert s.data == pytest.approx(expected)
    assert y.data == pytest.approx(1 / (1 + math.exp(-expected)))


@pytest.mark.parametrize("activation", ["linear", "sigmoid", "tanh", "relu"])
def test_activations_use_the_value_methods(activation):
    neuron = Neuron(2, activation=activation, seed=1)
    y = neuron([0.3, -0.7])
    s = autograd.weighted_sum(neuron.w, [0.3, -0.7], neuron.b)
    if activation == "linear":
        assert y.op == "weighted_sum"
        assert y.data == s.data
    else:
        assert y.op == activation
        assert y.data == getattr(s, activation)().data
    assert activation in nn.ACTIVATIONS


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match=r"unknown activation 'softplus'.*'linear', 'sigmoid'"):
        Neuron(2, activation="softplus")
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        MLP(2, [3, 1], activation=["gelu"])
    with pytest.raises(ValueError, match="unknown activation"):
        MLP(2, [3, 1], output_activation="softmax")
    with pytest.raises(TypeError, match="named by a str"):
        Layer(2, 2, activation=None)


def test_parameters_are_plain_values_with_readable_labels():
    model = MLP(4, [8, 8, 4], seed=0)
    params = model.parameters()
    assert len(params) == (4 + 1) * 8 + (8 + 1) * 8 + (8 + 1) * 4
    assert all(p.__class__ is Value for p in params)
    labels = [p.label for p in params]
    assert labels[:6] == ["L1.N1.w1", "L1.N1.w2", "L1.N1.w3", "L1.N1.w4", "L1.N1.b", "L1.N2.w1"]
    assert labels[-1] == "L3.N4.b"
    assert len(set(labels)) == len(labels)
    assert [name for name, _ in model.named_parameters()] == labels
    layer = Layer(2, 3, seed=0)
    assert layer.neurons[2].b.label == "N3.b"
    assert [p.label for p in Neuron(2, seed=0).parameters()] == ["w1", "w2", "b"]


def test_a_layer_always_returns_a_list_and_a_one_output_model_its_value():
    for layer in (Layer(2, 1, seed=0), nn.Linear(2, 1, seed=0)):
        out = layer([1.0, 2.0])
        assert isinstance(out, list) and len(out) == 1 and isinstance(out[0], Value)
    for model in (
        Neuron(2, seed=0),
        MLP(2, [3, 1], seed=0),
        MLP(2, [1], seed=0),
        Sequential(Layer(2, 3, seed=0), Layer(3, 1, seed=1)),
        Sequential(nn.Linear(2, 1, seed=0), nn.Tanh()),
        Sequential(Layer(2, 1, seed=0), Dropout(0.5)).eval(),
    ):
        out = model([1.0, 2.0])
        assert isinstance(out, Value), model
        assert model.outputs([1.0, 2.0])[0].data == out.data
    assert len(MLP(2, [3, 5], seed=0)((Value(1.0), 2))) == 5


def test_intermediate_one_neuron_layers_keep_working():
    # micrograd's own MLP breaks here (its PR #13): a middle layer of one neuron.
    model = MLP(2, [1, 3, 1], seed=0)
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    out.backward()
    assert all(p.grad != 0.0 for p in model.layers[0].parameters())
    wide = MLP(2, [1, 3], seed=0)
    assert len(wide([0.5, -1.0])) == 3
    neurons = Sequential(Neuron(2, seed=0), Neuron(1, seed=1), Layer(1, 2, seed=2))
    assert len(neurons([1.0, 2.0])) == 2
    model([1.0, 2.0]).backward()  # model(x).backward() works on a one-output model


def test_wrong_input_length_names_expected_and_actual():
    with pytest.raises(ValueError, match="MLP expects 4 inputs, got 3"):
        MLP(4, [2], seed=0)([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Neuron expects 2 inputs, got 0"):
        Neuron(2, seed=0)([])
    with pytest.raises(ValueError, match="Layer expects 3 inputs, got 4"):
        Layer(3, 2, seed=0)([1, 2, 3, 4])


@pytest.mark.parametrize("bad", [1.0, Value(1.0), "abcd", {"a": 1}, {1.0, 2.0}, None])
def test_non_sequence_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="needs a sequence of inputs"):
        Layer(1, 1, seed=0)(bad)


def test_non_number_inside_the_input_is_a_type_error():
    with pytest.raises(TypeError, match="weighted_sum: an input must be a number, not str"):
        Layer(2, 1, seed=0)([1.0, "x"])


def test_any_sized_iterable_of_numbers_is_accepted():
    layer = Layer(2, 1, seed=0)
    assert layer(range(2))[0].data == layer([0, 1])[0].data
    assert MLP(2, [1], seed=0)(range(2)).data == MLP(2, [1], seed=0)([0, 1]).data


def test_seeded_init_is_reproducible_and_leaves_global_random_alone():
    random.seed(123)
    before = random.getstate()
    a, b = MLP(3, [4, 2], seed=7), MLP(3, [4, 2], seed=7)
    assert random.getstate() == before
    assert a.state_dict() == b.state_dict()
    assert a.state_dict() != MLP(3, [4, 2], seed=8).state_dict()
    assert MLP(3, [4, 2]).state_dict() != MLP(3, [4, 2]).state_dict()  # unseeded: fresh


@pytest.mark.parametrize(
    ("init", "limit"),
    [("uniform", 1.0), ("xavier", math.sqrt(6 / (10 + 20))), ("he", math.sqrt(6 / 10))],
)
def test_init_schemes_draw_within_their_limits_and_biases_start_at_zero(init, limit):
    layer = Layer(10, 20, init=init, seed=0)
    weights = [w.data for n in layer.neurons for w in n.w]
    assert all(-limit <= w <= limit for w in weights)
    assert max(abs(w) for w in weights) > 0.8 * limit  # uses the whole range
    assert all(n.b.data == 0.0 for n in layer.neurons)


def test_unknown_init_is_rejected():
    with pytest.raises(ValueError, match="unknown init 'normal'; choose one of 'uniform'"):
        MLP(2, [2], init="normal")
    with pytest.raises(TypeError, match="seed must be an int"):
        MLP(2, [2], seed=1.5)


def test_neuron_without_bias():
    neuron = Neuron(2, bias=False, seed=0)
    assert neuron.b is None
    assert [p.label for p in neuron.parameters()] == ["w1", "w2"]
    y = neuron([1.0, 1.0])
    assert [p for p in y.parents[0].parents if p.requires_grad] == neuron.w
    assert repr(neuron) == "Neuron(2, activation='tanh', bias=False)"


def test_layer_and_mlp_attributes():
    layer = Layer(3, 2, activation="relu", seed=0)
    assert (layer.nin, layer.nout, layer.activation, len(layer.neurons)) == (3, 2, "relu", 2)
    assert all(n.activation == "relu" and n.nin == 3 for n in layer.neurons)
    model = MLP(2, [4, 3, 1], activation=["relu", "tanh"], output_activation="sigmoid", seed=0)
    assert [layer.activation for layer in model.layers] == ["relu", "tanh", "sigmoid"]
    assert [(layer.nin, layer.nout) for layer in model.layers] == [(2, 4), (4, 3), (3, 1)]
    assert (model.nin, model.nout) == (2, 1)
    assert isinstance(model, Sequential) and model.modules == model.layers
    assert repr(model) == (
        "MLP(2, [4, 3, 1], activation=['relu', 'tanh'], output_activation='sigmoid')"
    )
    assert 0.0 < model([0.1, 0.2]).data < 1.0


def test_mlp_checks_its_arguments():
    with pytest.raises(ValueError, match=r"one name per hidden layer: 2 for sizes \[4, 3, 1\]"):
        MLP(2, [4, 3, 1], activation=["relu"])
    with pytest.raises(TypeError, match="non-empty list of layer sizes"):
        MLP(2, 3)
    with pytest.raises(TypeError, match="non-empty list of layer sizes"):
        MLP(2, [])
    with pytest.raises(ValueError, match="layer size 0 must be at least 1"):
        MLP(2, [0])
    with pytest.raises(TypeError, match=r"nin .* must be an int"):
        MLP(2.0, [1])
    with pytest.raises(ValueError, match=r"Dropout probability p must be a number in \[0, 1\)"):
        MLP(2, [3, 1], dropout=1.0)
    with pytest.raises(ValueError, match="Dropout probability"):
        MLP(2, [1], dropout=-0.1)


def test_mlp_dropout_goes_after_each_hidden_layer():
    model = MLP(2, [4, 4, 1], dropout=0.25, seed=0)
    assert [type(m).__name__ for m in model.modules] == [
        "Layer",
        "Dropout",
        "Layer",
        "Dropout",
        "Layer",
    ]
    assert [name for name, _ in model.named_children()] == [
        "L1",
        "Dropout1",
        "L2",
        "Dropout2",
        "L3",
    ]
    assert [p.label for p in model.parameters()][-1] == "L3.N1.b"
    assert len(model.layers) == 3


def test_dropout_only_in_training_mode_with_inverted_scaling():
    drop = Dropout(0.25, seed=0)
    assert drop.training
    inputs = [Value(2.0) for _ in range(4000)]
    out = drop(inputs)
    kept = [v.data for v in out if v.data != 0.0]
    assert all(k == pytest.approx(2.0 / 0.75) for k in kept)
    assert len(kept) / len(inputs) == pytest.approx(0.75, abs=0.03)
    assert sum(v.data for v in out) / len(out) == pytest.approx(2.0, rel=0.05)
    # gradients flow only through the kept inputs
    total = autograd.sum(out)
    total.backward()
    assert sorted({x.grad for x in inputs}) == [0.0, 1 / 0.75]
    drop.eval()
    assert [v.data for v in drop([1.0, 2.0])] == [1.0, 2.0]
    assert all(isinstance(v, Value) for v in drop([1.0, 2.0]))


def test_dropout_is_seeded():
    a, b = Dropout(0.5, seed=3), Dropout(0.5, seed=3)
    xs = [1.0] * 50
    assert [v.data for v in a(xs)] == [v.data for v in b(xs)]
    a, b = MLP(2, [8, 1], dropout=0.5, seed=4), MLP(2, [8, 1], dropout=0.5, seed=4)
    assert a([1.0, 1.0]).data == b([1.0, 1.0]).data


def test_train_and_eval_reach_every_module():
    model = MLP(2, [3, 3, 1], dropout=0.5, seed=0)
    assert model.eval() is model
    assert not any(m.training for m in model.modules)
    assert not model.layers[0].neurons[0].training
    model.train()
    assert all(m.training for m in model.modules)
    with pytest.raises(TypeError, match="True or False"):
        model.train("yes")
    # in eval mode the output is deterministic and equals the no-dropout network
    model.eval()
    plain = Sequential(*model.layers)
    assert model([0.3, 0.4]).data == plain([0.3, 0.4]).data


def test_sequential_composes_and_relabels():
    first, second = Layer(2, 3, activation="tanh", seed=0), Neuron(3, activation="linear", seed=1)
    model = Sequential(first, Dropout(0.1), second)
    assert model.nin == 2 and len(model) == 3 and model[2] is second
    assert list(model) == [first, model[1], second]
    assert second.w[0].label == "L2.w1"
    assert first.neurons[0].w[1].label == "L1.N1.w2"
    out = model.eval()([1.0, 2.0])
    assert out.data == second(first([1.0, 2.0])).data
    assert Sequential([first, second]).modules == [first, second]
    with pytest.raises(ValueError, match="at least one module"):
        Sequential()
    with pytest.raises(TypeError, match="item 2 is a int"):
        Sequential(first, 3)
    assert "(L1): Layer(2, 3, activation='tanh')" in repr(model)
    assert Sequential(Layer(2, 4, activation="relu"), Layer(4, 1)).modules[1].activation == (
        "linear"  # a Layer's default: no activation, not a silent tanh
    )


class Affine(Module):
    """A custom module: its parameters are found in its attributes."""

    nin = 2

    def __init__(self):
        self.scale = [Value(2.0), Value(3.0)]
        self.shift = Value(1.0)
        self.inner = Neuron(2, activation="linear", seed=0)

    def forward(self, x):
        scaled = [s * xi + self.shift for s, xi in zip(self.scale, x, strict=True)]
        return self.inner(scaled)


def test_custom_modules_find_their_parameters():
    model = Affine()
    assert [name for name, _ in model.named_parameters()] == [
        "scale1",
        "scale2",
        "shift",
        "inner.w1",
        "inner.w2",
        "inner.b",
    ]
    assert isinstance(model([1.0, 1.0]), Value)  # its forward returns the neuron's Value
    wrapped = Sequential(model, Layer(1, 2, seed=0))
    assert model.shift.label == "L1.shift"
    assert len(wrapped([0.0, 1.0])) == 2
    with pytest.raises(ValueError, match="Affine expects 2 inputs, got 1"):
        model([1.0])


def test_forward_must_return_a_list():
    class Bad(Module):
        def forward(self, x):
            return x[0]

    class Tuple(Module):
        def forward(self, x):
            return tuple(x)

    with pytest.raises(
        TypeError, match=r"Bad.forward must return a list of Values \(or one Value\), got float"
    ):
        Bad()([1.0])
    assert Tuple()([1.0, 2.0]) == [1.0, 2.0]
    with pytest.raises(NotImplementedError, match="must define forward"):
        Module()([1.0])


def test_shared_parameters_are_listed_once():
    layer = Layer(2, 2, seed=0)
    model = Sequential(layer, layer)
    assert len(model.parameters()) == 6


def test_zero_grad_clears_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, 2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_state_dict_round_trip_and_validation_changes_nothing_on_error():
    model = MLP(3, [4, 2], seed=0)
    state = model.state_dict()
    assert all(type(v) is float for v in state.values())
    other = MLP(3, [4, 2], seed=1)
    other.load_state_dict(state)
    assert other.state_dict() == state
    before = other.state_dict()
    broken = dict(state, **{"L2.N2.b": float("nan")})
    with pytest.raises(ValueError, match=r"parameter 'L2.N2.b' must be a finite number, got nan"):
        other.load_state_dict(broken)
    assert other.state_dict() == before
    wrong = {k: v for k, v in state.items() if k != "L1.N1.w1"} | {"L9.N1.w1": 0.0}
    with pytest.raises(ValueError, match=r"missing 'L1.N1.w1'; unexpected 'L9.N1.w1'"):
        other.load_state_dict(wrong)
    with pytest.raises(TypeError, match=r"parameter 'L1.N1.w2' must be a number, not str"):
        other.load_state_dict(dict(state, **{"L1.N1.w2": "0.5"}))
    with pytest.raises(TypeError, match="must be a number, not bool"):
        other.load_state_dict(dict(state, **{"L1.N1.w2": True}))
    with pytest.raises(TypeError, match="a state dict must be a dict"):
        other.load_state_dict([1.0, 2.0])
    assert other.state_dict() == before
    other.load_state_dict(dict(state, **{"L1.N1.w2": 3}))
    assert other.layers[0].neurons[0].w[1].data == 3.0


def test_softmax_is_stable_and_differentiable():
    probs = softmax([Value(1000.0), Value(999.0), 998])
    assert sum(p.data for p in probs) == pytest.approx(1.0)
    assert probs[0].data == pytest.approx(1 / (1 + math.exp(-1) + math.exp(-2)))
    z = [Value(0.2), Value(-0.4), Value(1.1)]
    p = softmax(z)
    p[2].backward()
    for j, zj in enumerate(z):
        expected = p[2].data * ((j == 2) - p[j].data)
        assert zj.grad == pytest.approx(expected)
    with pytest.raises(ValueError, match="at least one value"):
        softmax([])
    with pytest.raises(TypeError, match="softmax needs a list"):
        softmax(Value(1.0))


def test_repr_is_readable():
    assert repr(Layer(4, 8, seed=0)) == "Layer(4, 8, activation='linear')"
    assert repr(Layer(4, 8, bias=False, seed=0)) == "Layer(4, 8, activation='linear', bias=False)"
    assert repr(nn.Linear(4, 8, bias=False)) == "Linear(4, 8, bias=False)"
    assert repr(nn.Tanh()) == "Tanh()"
    assert repr(nn.LeakyReLU()) == "LeakyReLU(negative_slope=0.01)"
    assert repr(MLP(4, [8, 4], dropout=0.5)) == (
        "MLP(4, [8, 4], activation='tanh', output_activation='linear', dropout=0.5)"
    )
    assert repr(MLP(4, [2], bias=False)) == "MLP(4, [2], output_activation='linear', bias=False)"
    assert repr(Dropout(0.5)) == "Dropout(p=0.5)"
    assert repr(Module()) == "Module()"


def test_sequential_starting_with_dropout_checks_length_in_its_first_layer():
    model = Sequential(Dropout(0.5, seed=0), Layer(2, 1, seed=0))
    assert model.nin is None
    with pytest.raises(ValueError, match="Layer expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])


@pytest.mark.parametrize("activation", [None, 3, b"tanh"])
def test_mlp_activation_that_is_not_a_name_or_list_lists_the_valid_ones(activation):
    with pytest.raises(
        TypeError,
        match=r"activation must be the name of one activation .* or a list of names, one per "
        r"hidden layer, not .*; choose from 'linear', 'sigmoid', 'tanh', 'relu'",
    ):
        MLP(4, [8], activation=activation)
    with pytest.raises(TypeError, match="activation must be the name"):
        MLP(4, [8, 4], activation=activation)


def test_activation_of_the_wrong_type_lists_the_valid_ones():
    with pytest.raises(TypeError, match=r"named by a str, not NoneType .*choose one of 'linear'"):
        Neuron(2, activation=None)
    with pytest.raises(TypeError, match=r"named by a str, not NoneType .*'relu'"):
        MLP(2, [3, 1], activation=[None])


def test_parameters_come_in_named_parameters_order_each_once():
    from nn import Dropout, Linear, ReLU, Sequential

    models = [
        MLP(3, [4, 4, 1], seed=0),
        Sequential(Linear(2, 3, seed=0), ReLU(), Dropout(0.5, seed=0), Linear(3, 1, seed=1)),
        Neuron(3, bias=False, seed=0),
    ]

    class Shared(Module):
        def __init__(self):
            self.layer = Layer(2, 2, seed=0)
            self.again = self.layer  # the same parameters twice
            self.scale = Value(2.0)

        def forward(self, x):
            return [self.scale * v for v in self.layer(x)]

    models.append(Shared())
    for model in models:
        named = [value for _, value in model.named_parameters()]
        assert model.parameters() == named
        assert len({id(v) for v in named}) == len(named)
