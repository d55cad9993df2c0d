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
import numbers
import signal
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from autograd import Value, no_grad, relaxed_gc, topological_order
from autograd.numbers import is_real, whole_number
from nn.activations import ActivationModule
from nn.engines import choose_engine, distinct_targets, make_engine
from nn.init import make_rng
from nn.layers import Dropout, Layer, Neuron
from nn.losses import LOSSES, get_loss
from nn.losses import l2 as l2_penalty
from nn.module import Module
from nn.optim import SGD, Adam, Optimizer
from nn.sequential import Sequential
from nn.shapes import as_list, check_samples

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
    the lists then hold only the epochs that were completed. ``engine`` names the engine that
    trained (see :func:`fit`) and ``engine_reason`` says why ``engine="auto"`` chose
    ``"values"`` ("" when it did not).

    >>> h = History(loss=[0.9, 0.5], accuracy=[0.5, 0.75])
    >>> h.epochs, h
    (2, History(epochs=2, loss=0.5, accuracy=0.75))
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    interrupted: bool = False
    engine: str = ""
    engine_reason: str = ""

    @property
    def epochs(self) -> int:
        """The number of epochs recorded."""
        return len(self.loss)

    def plot(self, ax: Any = None, *, log_loss: bool = False) -> Any:
        """Plot loss and accuracy per epoch; returns the matplotlib Figure.

        ``log_loss=True`` draws the loss on a log scale. Uses :func:`nn.plots.plot_history`.
        """
        from nn.plots import plot_history

        return plot_history(self, ax=ax, log_loss=log_loss)

    def __repr__(self) -> str:
        end = ", interrupted=True)" if self.interrupted else ")"
        if not self.loss:
            return "History(epochs=0" + end
        text = f"History(epochs={self.epochs}, loss={self.loss[-1]:.4g}"
        if self.accuracy:
            text += f", accuracy={self.accuracy[-1]:.4g}"
        return text + end


# fit(optimizer=name): the optimizer class and its learning rate when fit's lr is not given.
OPTIMIZERS: dict[str, tuple[type[Optimizer], float]] = {"sgd": (SGD, 0.1), "adam": (Adam, 0.02)}


def _output_activation(model: Module) -> str | None:
    """The activation the model applies last (looking through Dropout), if it has one."""
    while isinstance(model, Sequential):
        applied = [module for module in model.modules if not isinstance(module, Dropout)]
        if not applied:
            return None
        model = applied[-1]
    return getattr(model, "activation", None)


def _is_labels(targets: Sequence[object]) -> bool:
    if all(t.__class__ is int for t in targets):  # the usual case, checked fast
        return True
    return all(isinstance(t, numbers.Integral) and not isinstance(t, bool) for t in targets)


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
        return [_checked_class(model(x), threshold, i) for i, x in enumerate(inputs)]


def _checked_class(outputs: Any, threshold: float, index: int) -> int:
    """The predicted class, refusing outputs that are not finite numbers."""
    outputs = as_list(outputs)
    for position, output in enumerate(outputs):
        data = getattr(output, "data", output)
        if not (is_real(data) and math.isfinite(data)):
            which = "the model's output" if len(outputs) == 1 else f"output {position}"
            raise ValueError(
                f"{which} for inputs[{index}] is {data!r:.40}, not a finite number, so no class "
                "can be chosen; the weights have probably diverged (train again with a lower "
                "learning rate)."
            )
    return _predicted_class(outputs, threshold)


def _predicted_class(outputs: Any, threshold: float) -> int:
    if outputs.__class__ is Value:
        return int(outputs.data > threshold)
    return _class_from_scores([v.data for v in outputs], threshold)


def _class_from_scores(scores: list[float], threshold: float) -> int:
    """Class 1 if one score is above ``threshold``; else the index of the largest score."""
    if len(scores) == 1:
        return int(scores[0] > threshold)
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

    A label of -1 counts as class 0, so the -1/+1 labels of micrograd's demo (and of
    :func:`nn.losses.hinge`) work as they are.

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
    return sum(map(int.__eq__, predictions, map(_class_of, labels))) / len(labels)


def _class_of(label: int) -> int:
    """The class a label names: -1 (the negative class of -1/+1 labels) is class 0."""
    return 0 if label == -1 else int(label)


def fit(
    model: Module,
    inputs: Sequence[Sequence[Value | float]],
    targets: Sequence[Any],
    loss: str | Callable[..., Value] = "mse",
    optimizer: Optimizer | str | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    progress: bool = True,
    *,
    lr: float | None = None,
    l2: float = 0.0,
    seed: int | None = None,
    engine: str = "auto",
) -> History:
    """Train ``model`` on ``inputs`` and ``targets``; return the :class:`History`.

    Each step: zero the gradients, run the model on a batch, compute ``loss`` (a function
    from :mod:`nn.losses` or its name: ``"abs_error"``, ``"mse"``, ``"softmax_cross_entropy"``,
    ``"hinge"``) plus ``l2·Σp²`` when ``l2 > 0``, backpropagate and step the optimizer: one
    from :mod:`nn.optim`, or its name ``"sgd"`` or ``"adam"`` (the default) with learning rate
    ``lr`` (default 0.1 for SGD, 0.02 for Adam). The loss function gets what the model
    returns for each sample (a Value for a model with one output, else a list of Values).
    ``batch_size=None`` trains on the whole set at once; otherwise samples are shuffled every
    epoch by a generator seeded by ``seed``. The loss and (for class-label targets) the
    accuracy of each epoch are recorded in the History. ``progress`` shows a tqdm bar. The
    model's train/eval mode is restored at the end. The garbage collector's first threshold is
    raised while training runs (see ``autograd.relaxed_gc``) and restored afterwards.

    ``engine`` says how each step is computed (all give the same weights, to rounding):
    ``"values"`` builds the batch's Value graph and calls ``backward()``; ``"compiled"`` traces
    one sample's loss once per target with ``autograd``'s compiler and runs the generated
    straight-line code for every sample (17x faster on micrograd's demo); ``"batched"`` runs
    it once per batch with numpy arrays in each slot, a whole layer at a time (31x faster
    there). They need a built-in loss and a
    model of nn's own modules without active Dropout; ``"auto"`` (the default) picks the
    fastest that applies, else ``"values"``, and says why in ``History.engine_reason``.

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
    epochs = whole_number(epochs, "epochs", minimum=1)
    if batch_size is not None:
        batch_size = whole_number(batch_size, "batch_size (None for the whole set)", minimum=1)
    loss_fn = get_loss(loss)
    optimizer = _optimizer(model, "adam" if optimizer is None else optimizer, lr)
    params = model.parameters()
    if l2:
        l2_penalty(params[:1], l2)  # checks alpha before any training
    # Every sample is checked before the first step, so bad data never half-trains the model.
    check_samples(inputs, model.nin, type(model).__name__)
    _check_targets(loss_fn, targets, _output_count(model))
    engine, reason = choose_engine(engine, model, loss_fn, targets)
    run = make_engine(engine, model, loss_fn, params, l2, _check_loss)
    labelled = _is_labels(targets)
    threshold = _default_threshold(model)
    size = len(inputs) if batch_size is None else min(batch_size, len(inputs))
    rng = make_rng(seed)
    order = list(range(len(inputs)))
    history = History(engine=engine, engine_reason=reason)
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
                    value, outputs = run([inputs[i] for i in batch], [targets[i] for i in batch])
                    if labelled:
                        for i, scores in zip(batch, outputs, strict=True):
                            right += _class_from_scores(scores, threshold) == _class_of(targets[i])
                    step(optimizer)
                    total += value * len(batch)
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


def _optimizer(model: Module, optimizer: object, lr: float | None) -> Optimizer:
    """The optimizer fit steps: the one given, or a new one made by name."""
    if isinstance(optimizer, str):
        if optimizer not in OPTIMIZERS:
            choices = " or ".join(repr(name) for name in OPTIMIZERS)
            raise ValueError(
                f"unknown optimizer {optimizer!r:.40}; give {choices}, or an optimizer from "
                "nn.optim such as nn.optim.SGD(model.parameters(), lr=0.1)."
            )
        kind, default = OPTIMIZERS[optimizer]
        return kind(model.parameters(), lr=default if lr is None else lr)
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an nn.optim optimizer or 'sgd' or 'adam', not "
            f"{type(optimizer).__name__}."
        )
    if lr is not None:
        raise ValueError(
            "give lr to the optimizer you pass, not to fit (fit's lr is for an optimizer "
            "given by name, such as optimizer='sgd')."
        )
    return optimizer


def _check_loss(value: object, params: Sequence[Value]) -> None:
    """The loss must be one Value whose graph reaches a parameter, or training does nothing.

    Checked on the first step only: walking the graph costs about as much as building it.
    """
    if value.__class__ is not Value:
        raise TypeError(
            f"the loss function must return one Value, got {type(value).__name__}; build it "
            "from the outputs' Values."
        )
    if not value.parents:
        raise ValueError(
            f"the loss ({value.data!r:.20}) has no graph: it was computed under "
            "autograd.no_grad() or from plain numbers, so backward() cannot reach the "
            "model's parameters. Compute it from the Values the model returns, with "
            "gradients on."
        )
    wanted = {id(p) for p in params}
    if wanted and not any(id(v) in wanted for v in topological_order(value)):
        raise ValueError(
            "the loss does not depend on any parameter of the model (its graph never reaches "
            "one), so backward() cannot train it; compute the loss from the Values the model "
            "returns, not from copies (detach) or plain numbers."
        )


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


def _output_count(model: Module) -> int | None:
    """The number of outputs of ``model``, or None when it cannot be known without running it."""
    if isinstance(model, Layer):
        return model.nout
    if isinstance(model, Neuron):
        return 1
    if isinstance(model, Sequential):
        for module in reversed(model.modules):
            # Dropout and activation modules give as many outputs as they get inputs.
            if not isinstance(module, Dropout | ActivationModule):
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
    stand_in: Any = Value(0.0) if nout == 1 else [Value(0.0)] * nout
    few = distinct_targets(targets)  # one of each kind: it passes exactly when all of them do
    with no_grad():
        try:
            try:
                loss_fn([stand_in] * len(few), few)
            except (TypeError, ValueError):  # again on all of them, to name the sample
                loss_fn([stand_in] * len(targets), targets)
        except (TypeError, ValueError) as error:
            raise type(error)(f"fit: {error}") from None


def _progress_bar(epochs: int) -> Any:
    from tqdm.auto import tqdm

    return tqdm(total=epochs, desc="training", unit="epoch")
