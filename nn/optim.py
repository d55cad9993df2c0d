"""Optimizers: rules that move every parameter a small step against its gradient.

>>> from autograd import Value
>>> w = Value(-1.0, label="w")
>>> opt = SGD([w], lr=0.25)
>>> error = w ** 2
>>> error.backward()
>>> opt.step()
>>> w.data
-0.5
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from autograd import Value
from autograd.numbers import is_real, real_number, whole_number

__all__ = ["SGD", "Adam", "Optimizer"]

LearningRate = float | Callable[[int], float]


def _check_number(value: object, name: str, low: float, high: float | None = None) -> float:
    """``value`` as a float, checked to lie in [low, high) (or [low, inf) without high)."""
    if not is_real(value):
        real_number(value, name)  # raises the TypeError naming it
    number = float(value)
    in_range = math.isfinite(number) and number >= low and (high is None or number < high)
    if not in_range:
        where = f"in [{low}, {high})" if high is not None else f">= {low}"
        raise ValueError(f"{name} must be a finite number {where}, got {value!r}.")
    return number


class Optimizer:
    """What SGD and Adam share: the parameter list, the step count and the learning rate.

    ``lr`` is a number or a function of the step number (0 for the first step) that returns
    the learning rate for that step, e.g. ``lambda k: 1.0 - 0.9 * k / 100``.
    """

    def __init__(self, params: Iterable[Value], lr: LearningRate) -> None:
        if isinstance(params, Value):
            raise TypeError("optimizers take a list of parameters, e.g. model.parameters().")
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError("the optimizer got no parameters; pass model.parameters().")
        seen: set[int] = set()
        for i, p in enumerate(self.params):
            if p.__class__ is not Value:
                raise TypeError(f"parameter {i} is a {type(p).__name__}, not a Value.")
            if id(p) in seen:
                raise ValueError(
                    f"parameter {i} ({p.label or 'unlabelled'}) appears twice; it would be "
                    "updated twice per step."
                )
            seen.add(id(p))
        if not callable(lr):
            _check_number(lr, "lr (the learning rate)", 0.0)
            lr = float(lr)
        self.lr = lr
        self.steps = 0

    def learning_rate(self) -> float:
        """The learning rate the next :meth:`step` will use.

        >>> from autograd import Value
        >>> SGD([Value(1.0)], lr=lambda k: 1.0 - 0.9 * k / 100).learning_rate()
        1.0
        """
        if not callable(self.lr):
            return self.lr
        rate = self.lr(self.steps)
        return _check_number(rate, f"the learning rate returned for step {self.steps}", 0.0)

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients add up until zeroed).

        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> w.grad = 5.0
        >>> SGD([w], lr=0.1).zero_grad()
        >>> w.grad
        0.0
        """
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter from its gradient, then count the step.

        >>> from autograd import Value
        >>> w = Value(1.0)
        >>> opt = SGD([w], lr=0.5)
        >>> w.grad = 2.0
        >>> opt.step()
        >>> w.data, opt.steps
        (0.0, 1)
        """
        self._update(self.learning_rate())
        self.steps += 1

    def _update(self, lr: float) -> None:
        raise NotImplementedError

    # -- saving and resuming --------------------------------------------------------------

    _BUFFERS: tuple[str, ...] = ()

    def _hyperparameters(self) -> dict[str, Any]:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Hyperparameters, step count and per-parameter buffers as a JSON-able dict.

        A learning-rate function cannot be stored: ``lr`` is then ``None``.

        >>> from autograd import Value
        >>> SGD([Value(1.0)], lr=0.1, momentum=0.9).state_dict()["velocity"]
        [0.0]
        """
        state: dict[str, Any] = {"type": type(self).__name__, "steps": self.steps}
        state["lr"] = None if callable(self.lr) else self.lr
        state.update(self._hyperparameters())
        for buffer in self._BUFFERS:
            state[buffer] = list(getattr(self, buffer))
        return state

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Resume from :meth:`state_dict`; everything is checked before anything changes.

        A stored ``lr`` of ``None`` keeps this optimizer's own learning rate (function).
        """
        name = type(self).__name__
        if not isinstance(state, Mapping):
            raise TypeError(f"{name}.load_state_dict needs a dict, not {type(state).__name__}.")
        expected = {"type", "steps", "lr", *self._hyperparameters(), *self._BUFFERS}
        missing = sorted(expected - set(state))
        unexpected = sorted(set(state) - expected)
        if missing or unexpected:
            raise ValueError(
                f"{name} state dict: missing keys {missing}, unexpected keys {unexpected}."
            )
        if state["type"] != name:
            raise ValueError(f"this state dict is from a {state['type']!r}, not a {name!r}.")
        steps = state["steps"]
        try:  # a state dict that does not fit is a ValueError, whatever is wrong in it
            steps = whole_number(steps, f"{name} state dict: steps", minimum=0)
        except TypeError as error:
            raise ValueError(str(error)) from None
        lr = state["lr"]
        if lr is not None:
            lr = _check_number(lr, f"{name} state dict: lr", 0.0)
        checked = self._check_hyperparameters(state)
        buffers = {}
        for buffer in self._BUFFERS:
            numbers = state[buffer]
            if not isinstance(numbers, list) or len(numbers) != len(self.params):
                size = len(numbers) if isinstance(numbers, list) else type(numbers).__name__
                raise ValueError(
                    f"{name} state dict: {buffer!r} must be a list of {len(self.params)} "
                    f"numbers (one per parameter), got {size}."
                )
            buffers[buffer] = [
                _check_number(x, f"{name} state dict: {buffer}[{i}]", -math.inf)
                for i, x in enumerate(numbers)
            ]
        self.steps = steps
        if lr is not None:
            self.lr = lr
        for key, value in checked.items():
            setattr(self, key, value)
        for buffer, numbers in buffers.items():
            setattr(self, buffer, numbers)

    def _check_hyperparameters(self, state: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def __repr__(self) -> str:
        lr = "schedule" if callable(self.lr) else repr(self.lr)
        extras = "".join(f", {k}={v!r}" for k, v in self._hyperparameters().items())
        return f"{type(self).__name__}({len(self.params)} parameters, lr={lr}{extras})"


class SGD(Optimizer):
    """Stochastic gradient descent: p ← p - lr·g, optionally with momentum and weight decay.

    With ``weight_decay`` the gradient used is g + weight_decay·p; with ``momentum`` m a
    velocity v ← m·v + g is kept per parameter and used instead of g (as PyTorch's SGD).

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> opt = SGD([w], lr=0.5, momentum=0.5)
    >>> for _ in range(2):
    ...     w.grad = 1.0
    ...     opt.step()
    >>> w.data
    -0.25
    """

    _BUFFERS = ("velocity",)

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = _check_number(momentum, "momentum", 0.0, 1.0)
        self.weight_decay = _check_number(weight_decay, "weight_decay", 0.0)
        self.velocity = [0.0] * len(self.params)

    def _hyperparameters(self) -> dict[str, Any]:
        return {"momentum": self.momentum, "weight_decay": self.weight_decay}

    def _check_hyperparameters(self, state: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "momentum": _check_number(state["momentum"], "SGD state dict: momentum", 0.0, 1.0),
            "weight_decay": _check_number(
                state["weight_decay"], "SGD state dict: weight_decay", 0.0
            ),
        }

    def _update(self, lr: float) -> None:
        decay, momentum, velocity = self.weight_decay, self.momentum, self.velocity
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            if momentum:
                g = velocity[i] = momentum * velocity[i] + g
            p.data -= lr * g


class Adam(Optimizer):
    """Adam: steps scaled by running averages of the gradient and of its square.

    m ← β₁·m + (1-β₁)·g, v ← β₂·v + (1-β₂)·g², then p ← p - lr·m̂/(√v̂ + eps) with the
    bias-corrected m̂ = m/(1-β₁ᵗ), v̂ = v/(1-β₂ᵗ). ``weight_decay`` adds weight_decay·p to g.

    >>> from autograd import Value
    >>> w = Value(1.0)
    >>> opt = Adam([w], lr=0.1)
    >>> w.grad = 4.0
    >>> opt.step()
    >>> round(w.data, 6)
    0.9
    """

    _BUFFERS = ("m", "v")

    def __init__(
        self,
        params: Iterable[Value],
        lr: LearningRate = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.betas = self._check_betas(betas, "betas")
        self.eps = _check_number(eps, "eps", 0.0)
        self.weight_decay = _check_number(weight_decay, "weight_decay", 0.0)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)

    @staticmethod
    def _check_betas(betas: object, what: str) -> tuple[float, float]:
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise ValueError(f"{what} must be a pair (beta1, beta2), got {betas!r:.40}.")
        return (
            _check_number(betas[0], f"{what}[0]", 0.0, 1.0),
            _check_number(betas[1], f"{what}[1]", 0.0, 1.0),
        )

    def _hyperparameters(self) -> dict[str, Any]:
        return {"betas": list(self.betas), "eps": self.eps, "weight_decay": self.weight_decay}

    def _check_hyperparameters(self, state: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "betas": self._check_betas(state["betas"], "Adam state dict: betas"),
            "eps": _check_number(state["eps"], "Adam state dict: eps", 0.0),
            "weight_decay": _check_number(
                state["weight_decay"], "Adam state dict: weight_decay", 0.0
            ),
        }

    def _update(self, lr: float) -> None:
        beta1, beta2 = self.betas
        t = self.steps + 1
        correction1 = 1.0 - beta1**t
        correction2 = 1.0 - beta2**t
        decay, eps, m, v = self.weight_decay, self.eps, self.m, self.v
        for i, p in enumerate(self.params):
            g = p.grad + decay * p.data if decay else p.grad
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            p.data -= lr * (m[i] / correction1) / (math.sqrt(v[i] / correction2) + eps)
