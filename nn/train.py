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

import math
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, no_grad, relaxed_gc
from nn.init import make_rng
from nn.layers import Dropout, Layer, Neuron
from nn.losses import LOSSES, get_loss
from nn.losses import l2 as l2_penalty
from nn.module import Module, Sequential
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
    ``interrupted`` is True when training was stopped early with Ctrl-C (KeyboardInterrupt):
    the lists then hold only the epochs that were completed.

    >>> h = History(loss=[0.9, 0.5], accuracy=[0.5, 0.75])
    >>> h.epochs, h
    (2, History(epochs=2, loss=0.5, accuracy=0.75))
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    interrupted: bool = False

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
        end = ", interrupted=True)" if self.interrupted else ")"
        if not self.loss:
            return "History(epochs=0" + end
        text = f"History(epochs={self.epochs}, loss={self.loss[-1]:.4g}"
        if self.accuracy:
            text += f", accuracy={self.accuracy[-1]:.4g}"
        return text + end


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

    Every input and (for the built-in losses) every target is checked before the first step,
    so bad data raises an error naming the sample and leaves the model untouched. Pressing
    Ctrl-C (KeyboardInterrupt) stops training quietly: the model keeps the weights of its last
    completed step (a step that has begun is finished first) and the History of the epochs
    completed so far is returned with ``interrupted=True``.

    >>> from nn import MLP, data
    >>> x, y = data.xor(40, seed=0)
    >>> history = fit(MLP(2, [8, 1], seed=0), x, y, loss="hinge", epochs=3, progress=False)
    >>> len(history.loss), len(history.accuracy)
    (3, 3)
    """
    if not isinstance(model, Module):
        raise TypeError(f"fit trains an nn.Module, not {type(model).__name__}.")
    _check_samples(inputs, "inputs", "a list of samples (one list of numbers per sample)")
    _check_samples(targets, "targets", "a list with one target per input")
    if len(inputs) != len(targets):
        raise ValueError(
            f"fit: got {len(inputs)} inputs but {len(targets)} targets; give one per input."
        )
    if len(inputs) == 0:
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
    # Every sample is checked before the first step, so bad data never half-trains the model.
    _check_inputs(inputs, model.nin, type(model).__name__)
    _check_targets(loss_fn, targets, _output_count(model))
    labelled = _is_labels(targets)
    threshold = _default_threshold(model)
    size = len(inputs) if batch_size is None else min(batch_size, len(inputs))
    rng = make_rng(seed)
    order = list(range(len(inputs)))
    history = History()
    bar = _progress_bar(epochs) if progress else None
    was_training = model.training
    try:
        with relaxed_gc(), _atomic_steps() as step:
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
                    step(optimizer)
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
    except KeyboardInterrupt:
        # Stopped by Ctrl-C: the model keeps the weights of its last completed step and the
        # epochs completed so far are returned.
        history.interrupted = True
    finally:
        model.train(was_training)
        if bar is not None:
            bar.close()
    return history


@contextmanager
def _atomic_steps() -> Iterator[Callable[[Optimizer], None]]:
    """A function that steps an optimizer which Ctrl-C cannot stop halfway.

    A SIGINT arriving during a step is held back until the step has finished, so the weights
    are never left half updated. This needs the default SIGINT handler in the main thread;
    anywhere else steps run plainly.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
    ):
        yield lambda optimizer: optimizer.step()
        return
    state = {"stepping": False, "pending": False}

    def handler(signum: int, frame: Any) -> None:
        if state["stepping"]:
            state["pending"] = True
        else:
            raise KeyboardInterrupt

    def step(optimizer: Optimizer) -> None:
        state["stepping"] = True
        try:
            optimizer.step()
        finally:
            state["stepping"] = False
        if state["pending"]:
            state["pending"] = False
            raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    try:
        yield step
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def _check_samples(samples: object, what: str, expected: str) -> None:
    """``samples`` must be a sequence (list, tuple, array ...) with one entry per sample."""
    if isinstance(samples, Sequence) and not isinstance(samples, str | bytes):
        return
    if (
        hasattr(samples, "__len__")
        and hasattr(samples, "__getitem__")
        and not isinstance(samples, str | bytes | Mapping | Set | Iterator)
    ):
        return  # e.g. a NumPy array
    if isinstance(samples, Iterator):
        hint = f" A generator or iterator can be read only once: pass list({what}) instead."
    elif isinstance(samples, Mapping | Set):
        hint = f" Pass list({what}) if the order is the one you want."
    else:
        hint = ""
    raise TypeError(f"fit: {what} must be {expected}, not {type(samples).__name__}.{hint}")


def _check_inputs(inputs: Sequence[object], nin: int | None, who: str) -> None:
    """Every sample a sequence of ``nin`` finite real numbers (or Values); else a clear error."""
    for index, sample in enumerate(inputs):
        if (sample.__class__ is not list and sample.__class__ is not tuple) and (
            isinstance(sample, str | bytes | Mapping | Set | Value)
            or not hasattr(sample, "__len__")
            or not hasattr(sample, "__iter__")
        ):  # the same rule as calling a module (nn.module.as_inputs)
            raise TypeError(
                f"fit: inputs[{index}] must be a list of numbers (one per model input), "
                f"not {type(sample).__name__} ({sample!r:.40})."
            )
        if nin is not None and len(sample) != nin:
            raise ValueError(
                f"fit: {who} expects {nin} inputs, got {len(sample)} in inputs[{index}]; "
                f"give every sample {nin} numbers, one per model input."
            )
        for position, number in enumerate(sample):
            if number.__class__ is float or number.__class__ is int:
                if math.isfinite(number):
                    continue
                data = number
            elif number.__class__ is Value:
                if math.isfinite(number.data):
                    continue
                data = number.data
            else:
                data = _real(number)
                if data is None:
                    raise TypeError(
                        f"fit: inputs[{index}][{position}] must be a real number, not "
                        f"{type(number).__name__} ({number!r:.40})."
                    )
                if math.isfinite(data):
                    continue
            raise ValueError(
                f"fit: inputs[{index}][{position}] is {data!r}; every input must be a finite "
                "number (replace or drop samples holding nan or inf)."
            )


def _real(number: object) -> float | None:
    """``number`` as a float (inf for one too large), or None when it is not a real number."""
    if isinstance(number, str | bytes | complex) or not hasattr(number, "__float__"):
        return None
    try:
        return float(number)
    except OverflowError:
        return math.inf
    except (TypeError, ValueError):
        return None


def _output_count(model: Module) -> int | None:
    """The number of outputs of ``model``, or None when it cannot be known without running it."""
    if isinstance(model, Layer):
        return model.nout
    if isinstance(model, Neuron):
        return 1
    if isinstance(model, Sequential):
        for module in reversed(model.modules):
            if not isinstance(module, Dropout):  # Dropout passes its inputs through
                return _output_count(module)
    return None


def _check_targets(loss_fn: Callable[..., Value], targets: Sequence[object], nout: int | None):
    """Check every target against a built-in loss, as if the model had ``nout`` outputs.

    The loss itself runs once on stand-in outputs (no graph is recorded), so its own rules
    apply: labels in range, target vectors of the right length, finite numbers. Custom loss
    functions are not run, as they may have side effects.
    """
    if nout is None or loss_fn not in LOSSES.values():
        return
    stand_in = [Value(0.0)] * nout
    with no_grad():
        try:
            loss_fn([stand_in] * len(targets), targets)
        except (TypeError, ValueError) as error:
            raise type(error)(f"fit: {error}") from None


def _progress_bar(epochs: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc="training", unit="epoch")
