"""Describing modules so they can be saved: the savable classes, ``architecture`` and ``build``.

A savable class (marked with :func:`savable`) says how to describe itself (``config``), how
to be rebuilt from that (``from_config``), how many parameters that makes
(``parameter_count``) and what it is in PyTorch (``torch_modules``); this module keeps the
list of those classes and turns a model into a JSON-able description and back.

>>> from nn import Dropout
>>> build(architecture(Dropout(0.25)))
Dropout(p=0.25)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from nn.module import Module

__all__ = [
    "MAX_MODULES",
    "architecture",
    "build",
    "cannot_describe",
    "check_flag",
    "expect_keys",
    "module_count",
    "parameter_count",
    "savable",
    "supported",
]

M = TypeVar("M", bound="Module")

_SAVABLE: dict[str, type[Module]] = {}
# A file may describe at most this many modules: far more than any model, few enough to build.
MAX_MODULES = 10_000


def savable(cls: type[M]) -> type[M]:
    """Class decorator: ``cls`` can be saved, loaded and exported under its class name.

    The class defines ``config``, and ``from_config``, ``parameter_count`` and
    ``torch_modules`` where the defaults do not fit.

    >>> "Layer" in _SAVABLE
    True
    """
    if _SAVABLE.get(cls.__name__, cls) is not cls:
        raise ValueError(f"a savable module class named {cls.__name__!r} already exists.")
    _SAVABLE[cls.__name__] = cls
    return cls


def supported() -> str:
    """The savable module classes, as a list in words.

    >>> "Sequential" in supported()
    True
    """
    names = list(_SAVABLE)
    return ", ".join(names[:-1]) + " and " + names[-1]


def cannot_describe(model: object) -> str:
    """The message for a module that cannot be saved or exported: what can be.

    >>> cannot_describe(object())[:42]
    'cannot describe a object: saving and expor'
    """
    return (
        f"cannot describe a {type(model).__name__}: saving and export support {supported()} "
        "(compose your model from them, or save its state_dict() yourself)."
    )


def expect_keys(kind: str, config: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """``config`` if its keys are exactly ``keys``; else a ``ValueError`` naming the difference.

    >>> expect_keys("Dropout", {"p": 0.5, "q": 1}, {"p"})
    Traceback (most recent call last):
    ...
    ValueError: Dropout: missing keys [], unexpected keys ['q'].
    """
    given = set(config)
    if given != keys:
        missing, unexpected = sorted(keys - given), sorted(given - keys)
        raise ValueError(f"{kind}: missing keys {missing}, unexpected keys {unexpected}.")
    return config


def architecture(model: Module) -> dict[str, Any]:
    """A JSON-able description of ``model`` from which :func:`build` makes a new one.

    >>> from nn import Layer
    >>> architecture(Layer(2, 3, activation="relu"))
    {'type': 'Layer', 'nin': 2, 'nout': 3, 'activation': 'relu', 'bias': True}
    """
    if _SAVABLE.get(type(model).__name__) is not type(model):
        raise TypeError(cannot_describe(model))
    return {"type": type(model).__name__, **model.config()}


def _kind(description: object) -> type[Module]:
    if not isinstance(description, dict):
        raise ValueError(f"a module description must be a JSON object, not {description!r:.60}.")
    kind = description.get("type")
    if not isinstance(kind, str) or kind not in _SAVABLE:
        raise ValueError(f"unknown module type {kind!r:.40}; known: {', '.join(_SAVABLE)}.")
    return _SAVABLE[kind]


def build(description: dict[str, Any]) -> Module:
    """A new model (fresh weights) from an :func:`architecture` description.

    >>> build({"type": "Dropout", "p": 0.25})
    Dropout(p=0.25)
    """
    kind = _kind(description)
    config = {key: value for key, value in description.items() if key != "type"}
    try:
        return kind.from_config(config)
    except TypeError as error:
        raise ValueError(f"{kind.__name__}: {error}") from None


def parameter_count(description: object) -> int:
    """How many parameters :func:`build` would make; ``ValueError`` if it cannot be told.

    >>> parameter_count({"type": "MLP", "nin": 2, "sizes": [3, 1], "bias": True})
    13
    """
    kind = _kind(description)
    config = {key: value for key, value in description.items() if key != "type"}
    try:
        return kind.parameter_count(config)
    except (KeyError, TypeError) as error:
        raise ValueError(f"{kind.__name__}: cannot count its parameters ({error})") from None


def module_count(description: object) -> int:
    """How many module descriptions (JSON objects) ``description`` holds, counted in a loop.

    >>> module_count({"type": "Sequential", "modules": [{"type": "Tanh"}, {"type": "ReLU"}]})
    3
    """
    count, pending = 0, [description]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            count += 1
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return count


def check_flag(value: object, what: str) -> bool:
    """``value`` if it is True or False (as a saved file must hold), else ``TypeError``.

    >>> check_flag(1, "bias")
    Traceback (most recent call last):
    ...
    TypeError: bias must be true or false, not 1
    """
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be true or false, not {value!r:.40}")
    return value
