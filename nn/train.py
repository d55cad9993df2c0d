"""Training: fit() runs forward, loss, backward and optimizer steps; accuracy() scores a model.

>>> from nn import MLP, data, fit
>>> images, labels = data.four_pixel_camera()
>>> model = MLP(4, [8, 4], seed=0)
>>> history = fit(model, images, labels, loss="softmax_cross_entropy", epochs=50,
...               progress=False)
>>> history.loss[-1] < history.loss[0], accuracy(model, images, labels)
(True, 1.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, no_grad, relaxed_gc
from nn.init import make_rng
from nn.losses import get_loss
from nn.losses import l2 as l2_penalty
from nn.module import Module
from nn.optim import Adam, Optimizer

__all__ = ["History", "accuracy", "fit", "predict"]


@dataclass
class History:
    """What happened in training, one entry per epoch.

    ``loss[e]`` is the mean training loss over epoch ``e`` (including any l2 penalty) and
    ``accuracy[e]`` the fraction of training samples classified right, both taken from the
    forward passes of the epoch itself, so no extra pass is needed: each sample is scored by
    the weights as they were just before its batch's step (and with dropout active, if the
    model has any). For the final weights, use :func:`accuracy`. ``accuracy`` stays empty when
    the targets are not class labels (regression), as accuracy has no meaning there.

    >>> h = History(loss=[0.9, 0.5], accuracy=[0.5, 0.75])
    >>> h.epochs, h
    (2, History(epochs=2, loss=0.5, accuracy=0.75))
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """The number of epochs recorded."""
        return len(self.loss)

    def plot(self, ax: Any = None) -> Any:
        """Plot loss and accuracy per epoch; returns the matplotlib Figure.

        Uses :func:`nn.pictures.plot_history`.
        """
        from nn.pictures import plot_history

        return plot_history(self, ax=ax)

    def __repr__(self) -> str:
        if not self.loss:
            return "History(epochs=0)"
        text = f"History(epochs={self.epochs}, loss={self.loss[-1]:.4g}"
        if self.accuracy:
            text += f", accuracy={self.accuracy[-1]:.4g}"
        return text + ")"


def _output_activation(model: Module) -> str | None:
    layers = getattr(model, "layers", None) or getattr(model, "modules", None)
    last = layers[-1] if layers else model
    return getattr(last, "activation", None)


def _is_labels(targets: Sequence[object]) -> bool:
    return all(isinstance(t, int) and not isinstance(t, bool) for t in targets)


@contextmanager
def _evaluating(model: Module):
    """Eval mode and no graph recording inside; the model's mode is restored after."""
    was_training = model.training
    model.eval()
    try:
        with no_grad():
            yield
    finally:
        model.train(was_training)


def predict(model: Module, inputs: Sequence[Sequence[float]], threshold: float | None = None):
    """The class each input is put in: argmax of the outputs, or output > threshold for one.

    For a model with one output, class 1 means the output is above ``threshold``: by default
    0.5 when the model's last activation is ``"sigmoid"``, else 0. Runs in eval mode without
    recording a graph.

    >>> from nn import MLP
    >>> model = MLP(2, [1])
    >>> model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.w2": -1.0, "L1.N1.b": 0.0})
    >>> predict(model, [[1.0, 0.0], [0.0, 1.0], [0.5, 0.25]])
    [1, 0, 1]
    """
    if threshold is None:
        threshold = _default_threshold(model)
    with _evaluating(model):
        return [_predicted_class(model(x), threshold) for x in inputs]


def _predicted_class(outputs: list[Value], threshold: float) -> int:
    if len(outputs) == 1:
        return int(outputs[0].data > threshold)
    scores = [v.data for v in outputs]
    return scores.index(max(scores))


def _default_threshold(model: Module) -> float:
    return 0.5 if _output_activation(model) == "sigmoid" else 0.0


def accuracy(
    model: Module,
    inputs: Sequence[Sequence[float]],
    labels: Sequence[int],
    threshold: float | None = None,
) -> float:
    """The fraction of ``inputs`` whose predicted class (see :func:`predict`) is the label.

    >>> from nn import MLP
    >>> model = MLP(2, [2])
    >>> model.load_state_dict({"L1.N1.w1": 1.0, "L1.N1.w2": 0.0, "L1.N1.b": 0.0,
    ...                        "L1.N2.w1": 0.0, "L1.N2.w2": 1.0, "L1.N2.b": 0.0})
    >>> accuracy(model, [[1.0, 0.0], [0.0, 1.0]], [0, 0])
    0.5
    """
    if len(inputs) != len(labels):
        raise ValueError(f"accuracy: got {len(inputs)} inputs but {len(labels)} labels.")
    if not inputs:
        raise ValueError("accuracy: no inputs given.")
    if not _is_labels(labels):
        raise TypeError("accuracy needs class labels (ints), one per input.")
    predictions = predict(model, inputs, threshold)
    return sum(map(int.__eq__, predictions, labels)) / len(labels)


def fit(
    model: Module,
    inputs: Sequence[Sequence[Value | float]],
    targets: Sequence[Any],
    loss: str | Callable[..., Value] = "mse",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    progress: bool = True,
    *,
    lr: float | None = None,
    l2: float = 0.0,
    seed: int | None = None,
) -> History:
    """Train ``model`` on ``inputs`` and ``targets``; return the :class:`History`.

    Each step: zero the gradients, run the model on a batch, compute ``loss`` (a function
    from :mod:`nn.losses` or its name: ``"abs_error"``, ``"mse"``, ``"softmax_cross_entropy"``,
    ``"hinge"``) plus ``l2·Σp²`` when ``l2 > 0``, backpropagate and step the optimizer
    (default: ``Adam(model.parameters(), lr=0.02)``, or ``lr=lr`` when given).
    ``batch_size=None`` trains on the whole set at once; otherwise samples are shuffled every
    epoch by a generator seeded by ``seed``. The loss and (for class-label targets) the
    accuracy of each epoch are recorded in the History. ``progress`` shows a tqdm bar. The
    model's train/eval mode is restored at the end. The garbage collector's first threshold is
    raised while training runs (see ``autograd.relaxed_gc``) and restored afterwards.

    >>> from nn import MLP, data
    >>> x, y = data.xor(40, seed=0)
    >>> history = fit(MLP(2, [8, 1], seed=0), x, y, loss="hinge", epochs=3, progress=False)
    >>> len(history.loss), len(history.accuracy)
    (3, 3)
    """
    if not isinstance(model, Module):
        raise TypeError(f"fit trains an nn.Module, not {type(model).__name__}.")
    if len(inputs) != len(targets):
        raise ValueError(
            f"fit: got {len(inputs)} inputs but {len(targets)} targets; give one per input."
        )
    if not inputs:
        raise ValueError("fit: no training data given.")
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"epochs must be an int >= 1, got {epochs!r:.40}.")
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1
    ):
        raise ValueError(f"batch_size must be None (whole set) or an int >= 1, got {batch_size!r}.")
    loss_fn = get_loss(loss)
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=0.02 if lr is None else lr)
    elif lr is not None:
        raise ValueError(
            "give lr to the optimizer you pass, not to fit (fit's lr is for its default Adam)."
        )
    elif not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an nn.optim optimizer, not {type(optimizer).__name__}.")
    params = model.parameters()
    if l2:
        l2_penalty(params, l2)  # checks alpha before any training
    labelled = _is_labels(targets)
    threshold = _default_threshold(model)
    size = len(inputs) if batch_size is None else min(batch_size, len(inputs))
    rng = make_rng(seed)
    order = list(range(len(inputs)))
    history = History()
    bar = _progress_bar(epochs) if progress else None
    was_training = model.training
    try:
        with relaxed_gc():
            for _ in range(epochs):
                model.train()
                if size < len(order):
                    rng.shuffle(order)
                total = 0.0
                right = 0
                for start in range(0, len(order), size):
                    batch = order[start : start + size]
                    optimizer.zero_grad()
                    outputs = [model(inputs[i]) for i in batch]
                    value = loss_fn(outputs, [targets[i] for i in batch])
                    if value.__class__ is not Value:
                        raise TypeError(
                            f"the loss function must return one Value, got "
                            f"{type(value).__name__}; build it from the outputs' Values."
                        )
                    if labelled:
                        for i, sample in zip(batch, outputs, strict=True):
                            right += _predicted_class(sample, threshold) == targets[i]
                    if l2:
                        value = value + l2_penalty(params, l2)
                    value.backward()
                    optimizer.step()
                    total += value.data * len(batch)
                    del outputs, value  # drop the graph before the next batch is built
                history.loss.append(total / len(order))
                if labelled:
                    history.accuracy.append(right / len(order))
                if bar is not None:
                    bar.update(1)
                    postfix = {"loss": f"{history.loss[-1]:.4g}"}
                    if labelled:
                        postfix["accuracy"] = f"{history.accuracy[-1]:.4g}"
                    bar.set_postfix(postfix, refresh=False)
    finally:
        model.train(was_training)
        if bar is not None:
            bar.close()
    return history


def _progress_bar(epochs: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc="training", unit="epoch")
