"""Tests against PyTorch (float64): to_torch outputs, whole-MLP gradients, optimizer steps."""

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import MLP, Dropout, Layer, Neuron, Sequential, data, losses
from nn.optim import SGD, Adam


def test_to_torch_without_torch_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r'pip install "chainrule\[torch\]"'):
        MLP(2, [3, 1], seed=0).to_torch()


torch = pytest.importorskip("torch")


def as_tensor(rows):
    return torch.tensor(rows, dtype=torch.float64)


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLP(4, [8, 8, 4], activation="tanh", seed=0),
        lambda: MLP(2, [16, 16, 1], activation="relu", seed=1),
        lambda: MLP(3, [5, 2], activation=["sigmoid"], output_activation="tanh", seed=2),
        lambda: MLP(3, [4, 4, 2], dropout=0.3, bias=False, seed=3).eval(),
        lambda: Sequential(Layer(3, 2, activation="relu", seed=0), Neuron(2, "sigmoid", seed=1)),
        lambda: Layer(3, 4, activation="linear", seed=4),
    ],
)
def test_to_torch_outputs_agree(make):
    model = make()
    exported = model.to_torch()
    assert isinstance(exported, torch.nn.Sequential)
    assert all(p.dtype == torch.float64 for p in exported.parameters())
    assert sum(p.numel() for p in exported.parameters()) == len(model.parameters())
    assert exported.training == model.training
    inputs = [[0.1 * i - 0.7 * j + 0.05 for j in range(model.nin)] for i in range(6)]
    with torch.no_grad():
        expected = exported(as_tensor(inputs)).tolist()
    for x, row in zip(inputs, expected, strict=True):
        got = [v.data for v in model.outputs(x)]
        assert got == pytest.approx(row, rel=1e-12, abs=1e-15)


def test_to_torch_layer_structure():
    exported = MLP(2, [3, 1], activation="relu", dropout=0.25, seed=0).to_torch()
    kinds = [type(m).__name__ for m in exported]
    assert kinds == ["Linear", "ReLU", "Dropout", "Linear", "Identity"]
    assert exported[2].p == 0.25
    assert tuple(exported[0].weight.shape) == (3, 2)


def test_to_torch_rejects_custom_modules():
    from nn import Module

    class Custom(Module):
        def forward(self, x):
            return list(x)

    with pytest.raises(TypeError, match="cannot export a Custom to PyTorch"):
        Sequential(Layer(2, 2, seed=0), Custom()).to_torch()


@pytest.mark.parametrize("loss_name", ["softmax_cross_entropy", "mse", "abs_error"])
def test_whole_mlp_gradients_match_torch(loss_name):
    model = MLP(4, [8, 8, 4], activation="tanh", seed=0)
    images, labels = data.four_pixel_camera(12, noise=0.1, seed=1)
    loss = losses.get_loss(loss_name)([model(x) for x in images], labels)
    loss = loss + losses.l2(model.parameters(), 1e-3)
    loss.backward()

    exported = model.to_torch()
    scores = exported(as_tensor(images))
    targets = torch.tensor(labels)
    if loss_name == "softmax_cross_entropy":
        reference = torch.nn.functional.cross_entropy(scores, targets)
    else:
        one_hot = torch.nn.functional.one_hot(targets, 4).to(torch.float64)
        if loss_name == "mse":
            reference = torch.nn.functional.mse_loss(scores, one_hot)
        else:
            reference = (scores - one_hot).abs().sum(dim=1).mean()
    reference = reference + 1e-3 * sum((p**2).sum() for p in exported.parameters())
    reference.backward()
    assert loss.data == pytest.approx(reference.item(), rel=1e-12)
    ours = [p.grad for p in model.parameters()]
    theirs = []
    for linear in exported[::2]:
        for j in range(linear.out_features):
            theirs.extend(linear.weight.grad[j].tolist())
            theirs.append(linear.bias.grad[j].item())
    assert ours == pytest.approx(theirs, rel=1e-10, abs=1e-13)


def test_hinge_gradients_match_torch():
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    inputs, labels = data.moons(20, seed=0)
    loss = losses.hinge([model(x) for x in inputs], labels)
    loss.backward()
    exported = model.to_torch()
    y = as_tensor([2.0 * c - 1.0 for c in labels])
    reference = torch.relu(1 - y * exported(as_tensor(inputs))[:, 0]).mean()
    reference.backward()
    assert loss.data == pytest.approx(reference.item(), rel=1e-12)
    first = exported[0]
    ours = [[w.grad for w in n.w] for n in model.layers[0].neurons]
    assert ours == [pytest.approx(row, rel=1e-10, abs=1e-13) for row in first.weight.grad.tolist()]


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (
            lambda p: SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
            lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.01),
        ),
        (
            lambda p: Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.01),
            lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-7, weight_decay=0.01),
        ),
    ],
)
def test_optimizer_steps_match_torch(ours, theirs):
    model = MLP(2, [4, 2], seed=0)
    exported = model.to_torch()
    optimizer, reference = ours(model.parameters()), theirs(exported.parameters())
    inputs, labels = data.xor(16, seed=0)
    for _ in range(5):
        optimizer.zero_grad()
        losses.softmax_cross_entropy([model(x) for x in inputs], labels).backward()
        optimizer.step()
        reference.zero_grad()
        torch.nn.functional.cross_entropy(
            exported(as_tensor(inputs)), torch.tensor(labels)
        ).backward()
        reference.step()
    again = model.to_torch()
    for mine, its in zip(again.parameters(), exported.parameters(), strict=True):
        assert mine.flatten().tolist() == pytest.approx(its.flatten().tolist(), rel=1e-9, abs=1e-12)


def test_dropout_export_keeps_train_mode():
    model = Sequential(Layer(2, 2, seed=0), Dropout(0.5))
    assert model.to_torch().training
    assert not model.eval().to_torch().training


@given(
    nin=st.integers(1, 5),
    sizes=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    activation=st.sampled_from(["linear", "sigmoid", "tanh", "relu"]),
    output_activation=st.sampled_from(["linear", "sigmoid", "tanh", "relu"]),
    init=st.sampled_from(["uniform", "xavier", "he"]),
    seed=st.integers(0, 2**32),
    scale=st.floats(-3.0, 3.0),
)
def test_to_torch_agrees_for_any_mlp(nin, sizes, activation, output_activation, init, seed, scale):
    model = MLP(nin, sizes, activation, output_activation, seed=seed, init=init)
    x = [scale * (i + 1) / nin for i in range(nin)]
    with torch.no_grad():
        expected = model.to_torch()(as_tensor([x]))[0].tolist()
    assert [v.data for v in model.outputs(x)] == pytest.approx(expected, rel=1e-12, abs=1e-15)
