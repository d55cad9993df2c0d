"""Seeded starting weights: the random numbers a network begins with, reproducible by seed.

>>> import random
>>> rng = random.Random(0)
>>> weights = initial_weights(3, "uniform", rng)
>>> len(weights), all(-1.0 <= w <= 1.0 for w in weights)
(3, True)
"""

from __future__ import annotations

import math
import random

from autograd.numbers import whole_number

__all__ = ["INITS", "initial_weights", "make_rng"]

# Each scheme draws weights uniformly from (-limit, limit); the limit depends on the fan-in
# (inputs per neuron) and fan-out (neurons in the layer).
INITS: dict[str, str] = {
    "uniform": "uniform in (-1, 1), as in the lecture",
    "xavier": "uniform in (-a, a) with a = sqrt(6 / (fan_in + fan_out)) (Glorot)",
    "he": "uniform in (-a, a) with a = sqrt(6 / fan_in) (Kaiming), suited to ReLU",
}


def make_rng(seed: int | random.Random | None) -> random.Random:
    """A private random generator: ``seed`` may be an int, ``None`` (fresh) or a ``Random``.

    The global ``random`` state is never used or changed.

    >>> make_rng(3).random() == make_rng(3).random()
    True
    """
    if isinstance(seed, random.Random):
        return seed
    if seed is not None:
        seed = whole_number(seed, "seed")
    return random.Random(seed)


def check_init(init: str) -> str:
    """Return ``init`` if it names a scheme in :data:`INITS`, else raise ``ValueError``."""
    if not isinstance(init, str) or init not in INITS:
        choices = ", ".join(repr(name) for name in INITS)
        raise ValueError(f"unknown init {init!r}; choose one of {choices}.")
    return init


def initial_weights(fan_in: int, init: str, rng: random.Random, fan_out: int = 1) -> list[float]:
    """``fan_in`` starting weights for one neuron, drawn from ``rng`` by scheme ``init``.

    >>> import random
    >>> w = initial_weights(2, "he", random.Random(1))
    >>> all(abs(x) <= math.sqrt(6 / 2) for x in w)
    True
    """
    check_init(init)
    if init == "uniform":
        limit = 1.0
    elif init == "xavier":
        limit = math.sqrt(6.0 / (fan_in + fan_out))
    else:
        limit = math.sqrt(6.0 / fan_in)
    return [rng.uniform(-limit, limit) for _ in range(fan_in)]
