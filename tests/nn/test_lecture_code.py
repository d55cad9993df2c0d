"""The code learners already have runs as written: the lecture's loop and micrograd's demo.

Both are written the way micrograd's users write them: models called on a list of inputs
return one Value, Python's ``sum`` adds Values, gradients are zeroed by hand or with
``model.zero_grad()``, and parameters are stepped through ``p.data``.
"""

import pytest

import nn
from autograd import Value
from nn import MLP


def test_the_lectures_training_loop_runs_as_written():
    n = nn.MLP(3, [4, 4, 1])
    xs = [
        [2.0, 3.0, -1.0],
        [3.0, -1.0, 0.5],
        [0.5, 1.0, 1.0],
        [1.0, 1.0, -1.0],
    ]
    ys = [1.0, -1.0, -1.0, 1.0]  # desired targets
    losses = []
    for k in range(100):
        # forward pass
        ypred = [n(x) for x in xs]
        loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))

        # backward pass
        for p in n.parameters():
            p.grad = 0.0
        loss.backward()

        # update
        for p in n.parameters():
            p.data += -0.05 * p.grad

        print(k, loss.data)
        losses.append(loss.data)
    assert losses[-1] < 0.1 < losses[0]
    assert all(isinstance(y, Value) for y in ypred)
    assert [round(y.data) for y in ypred] == [1, -1, -1, 1]


def test_micrograds_demo_notebook_code_runs_as_written():
    np = pytest.importorskip("numpy")
    points, labels = nn.data.moons(100, noise=0.1, seed=1)
    X, y = np.array(points), np.array(labels)  # what sklearn's make_moons returns
    y = y * 2 - 1  # make y be -1 or 1

    model = MLP(2, [16, 16, 1], activation="relu", seed=1)  # 2-layer neural network

    def loss(batch_size=None):
        # inline DataLoader :)
        if batch_size is None:
            Xb, yb = X, y
        else:
            ri = np.random.permutation(X.shape[0])[:batch_size]
            Xb, yb = X[ri], y[ri]
        inputs = [list(map(Value, xrow)) for xrow in Xb]

        # forward the model to get scores
        scores = list(map(model, inputs))

        # svm "max-margin" loss
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(yb, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        # L2 regularization
        alpha = 1e-4
        reg_loss = alpha * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss

        # also get accuracy
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(yb, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    total_loss, acc = loss()
    first = total_loss.data
    for k in range(40):
        # forward
        total_loss, acc = loss()

        # backward
        model.zero_grad()
        total_loss.backward()

        # update (sgd)
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
    assert total_loss.data < first
    assert acc >= 0.9
    # the same data and model through nn's own helpers, with ±1 labels as the demo has them
    assert nn.losses.hinge([model(x) for x in points], list(y)).data >= 0.0
    assert nn.accuracy(model, points, labels) == pytest.approx(float(acc), abs=0.05)
    assert nn.accuracy(model, points, list(y)) == nn.accuracy(model, points, labels)
    history = nn.fit(model, points, y, loss="hinge", optimizer="sgd", epochs=1, progress=False)
    assert history.accuracy[0] == pytest.approx(float(acc), abs=0.05)  # -1 counts as class 0
