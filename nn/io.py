"""Saving models as JSON, loading them back, and exporting them to PyTorch.

A saved file holds a format name and version, the architecture (enough to rebuild the model)
and the weights by parameter name. Never pickle: loading a file runs no code from it.

>>> import os, tempfile
>>> from nn import MLP
>>> model = MLP(2, [3, 1], seed=0)
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "model.json")
...     model.save(path)
...     load(path).state_dict() == model.state_dict()
True
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from nn.layers import MLP, Dropout, Layer, Neuron
from nn.module import Module, Sequential

__all__ = ["FORMAT", "VERSION", "architecture", "build", "load", "save", "to_torch"]

FORMAT = "chainrule.model"
VERSION = 1

_SUPPORTED = "Neuron, Layer, Dropout, Sequential and MLP"


def architecture(model: Module) -> dict[str, Any]:
    """A JSON-able description of ``model`` from which :func:`build` makes a new one.

    >>> architecture(Layer(2, 3, activation="relu"))
    {'type': 'Layer', 'nin': 2, 'nout': 3, 'activation': 'relu', 'bias': True}
    """
    kind = type(model)
    if kind is Neuron:
        return {
            "type": "Neuron",
            "nin": model.nin,
            "activation": model.activation,
            "bias": model.b is not None,
        }
    if kind is Layer:
        return {
            "type": "Layer",
            "nin": model.nin,
            "nout": model.nout,
            "activation": model.activation,
            "bias": model.bias,
        }
    if kind is Dropout:
        return {"type": "Dropout", "p": model.p}
    if kind is MLP:
        return {
            "type": "MLP",
            "nin": model.nin,
            "sizes": list(model.sizes),
            "activation": list(model.activation),
            "output_activation": model.output_activation,
            "dropout": model.dropout,
            "bias": model.bias,
            "init": model.init,
            "seed": model.seed if isinstance(model.seed, int) else None,
        }
    if kind is Sequential:
        return {"type": "Sequential", "modules": [architecture(m) for m in model.modules]}
    raise TypeError(
        f"cannot describe a {kind.__name__}: saving and export support {_SUPPORTED} "
        "(compose your model from them, or save its state_dict() yourself)."
    )


_KEYS = {
    "Neuron": {"nin", "activation", "bias"},
    "Layer": {"nin", "nout", "activation", "bias"},
    "Dropout": {"p"},
    "MLP": {"nin", "sizes", "activation", "output_activation", "dropout", "bias", "init", "seed"},
    "Sequential": {"modules"},
}


def build(description: dict[str, Any]) -> Module:
    """A new model (fresh weights) from an :func:`architecture` description.

    >>> build({"type": "Dropout", "p": 0.25})
    Dropout(p=0.25)
    """
    if not isinstance(description, dict):
        raise ValueError(f"a module description must be a JSON object, not {description!r:.60}.")
    kind = description.get("type")
    if kind not in _KEYS:
        raise ValueError(f"unknown module type {kind!r:.40}; known: {', '.join(_KEYS)}.")
    given = set(description) - {"type"}
    if given != _KEYS[kind]:
        missing, unexpected = sorted(_KEYS[kind] - given), sorted(given - _KEYS[kind])
        raise ValueError(f"{kind}: missing keys {missing}, unexpected keys {unexpected}.")
    d = description
    try:
        if kind == "Neuron":
            return Neuron(d["nin"], d["activation"], _flag(d["bias"]), seed=0)
        if kind == "Layer":
            return Layer(d["nin"], d["nout"], d["activation"], _flag(d["bias"]), seed=0)
        if kind == "Dropout":
            return Dropout(d["p"])
        if kind == "MLP":
            if not isinstance(d["sizes"], list) or not isinstance(d["activation"], list):
                raise TypeError("MLP sizes and activation must be lists")
            return MLP(
                d["nin"],
                d["sizes"],
                d["activation"],
                d["output_activation"],
                seed=d["seed"],
                init=d["init"],
                dropout=d["dropout"],
                bias=_flag(d["bias"]),
            )
        if not isinstance(d["modules"], list):
            raise TypeError("Sequential modules must be a list")
        return Sequential(*[build(m) for m in d["modules"]])
    except TypeError as error:
        raise ValueError(f"{kind}: {error}") from None


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"bias must be true or false, not {value!r:.40}")
    return value


def save(model: Module, path: str | os.PathLike) -> None:
    """Write ``model`` to ``path`` as JSON, atomically: a crash never leaves half a file.

    The text goes to a temporary file in the same folder, which then replaces ``path``.
    Everything is checked before anything is written: the path, that the folder exists, and
    that every weight is finite (a nan or inf weight cannot be stored in JSON).

    >>> import os, tempfile
    >>> from nn import MLP
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> save(MLP(2, [3, 1], seed=0), path)
    >>> load(path)
    MLP(2, [3, 1], activation='tanh', output_activation='linear')
    """
    target = _as_path(path)
    description = architecture(model)
    weights = model.state_dict()
    for name, number in weights.items():
        if not math.isfinite(number):
            raise ValueError(
                f"cannot save: parameter {name!r} is not finite ({number!r}), so the model "
                "cannot be stored; training probably diverged (try a lower learning rate) "
                "or reload weights saved before."
            )
    if target.is_dir():
        raise IsADirectoryError(
            f"cannot save to {str(path)!r}: it is a folder; give a file path such as "
            f"{str(target / 'model.json')!r}."
        )
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise NotADirectoryError(
                f"cannot save to {str(path)!r}: {str(folder)!r} is a file, not a folder."
            )
        raise FileNotFoundError(
            f"cannot save to {str(path)!r}: the folder {str(folder)!r} does not exist; "
            "create it first (e.g. os.makedirs(folder)) or choose another path."
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "architecture": description,
        "weights": weights,
    }
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def load(path: str | os.PathLike) -> Module:
    """Rebuild the model saved at ``path``; a broken or mismatched file raises ``ValueError``.

    The error says what is wrong: not JSON (e.g. truncated), not a chainrule model, a newer
    format version, an invalid architecture, or weights that do not fit the architecture.

    >>> import os, tempfile
    >>> from nn import MLP
    >>> path = os.path.join(tempfile.mkdtemp(), "model.json")
    >>> model = MLP(4, [2], activation="relu", seed=1)
    >>> model.save(path)
    >>> load(path).state_dict() == model.state_dict()
    True
    """
    source = _as_path(path)
    if source.is_dir():
        raise IsADirectoryError(
            f"cannot load {str(path)!r}: it is a folder; give the path of a saved model file."
        )
    try:
        text = source.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            f"{path}: not a chainrule model JSON file (it is not text: a binary file?); "
            "give a file written by model.save()."
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(
            f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column "
            f"{error.colno}); the file may be truncated or not a saved model."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f'{path}: not a chainrule model file (no "format": {FORMAT!r}).')
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"{path}: invalid format version {version!r:.40}.")
    if version > VERSION:
        raise ValueError(
            f"{path}: format version {version} is newer than this chainrule reads "
            f"({VERSION}); upgrade chainrule."
        )
    missing = [key for key in ("architecture", "weights") if key not in document]
    if missing:
        raise ValueError(f"{path}: the file has no {' or '.join(missing)}.")
    weights, description = document["weights"], document["architecture"]
    expected = _parameter_count(description)
    counts = ""
    if isinstance(weights, dict) and expected is not None and expected != len(weights):
        counts = f"it has {expected} parameters, the file holds {len(weights)} weights"
        if expected > 2 * len(weights) + 10_000:
            # Decided before building: a corrupted size could make building take very long.
            raise ValueError(
                f"{path}: the weights do not fit the architecture: {counts}; the file is "
                "corrupted or was edited."
            )
    try:
        model = build(description)
    except ValueError as error:
        raise ValueError(f"{path}: invalid architecture: {error}") from None
    try:
        model.load_state_dict(weights)
    except (TypeError, ValueError) as error:
        counts = counts and counts + "; "
        raise ValueError(
            f"{path}: the weights do not fit the architecture: {counts}{error}"
        ) from None
    return model


def _as_path(path: object) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"path must be a str or os.PathLike (like 'model.json'), not {type(path).__name__} "
            f"({path!r:.40})."
        )
    return Path(path)


def _parameter_count(description: object) -> int | None:
    """How many parameters :func:`build` would make, or None if the description is invalid."""
    try:
        kind = description["type"]
        if kind == "Neuron":
            return _size(description["nin"]) + _bias(description["bias"])
        if kind == "Layer":
            nin = _size(description["nin"])
            return _size(description["nout"]) * (nin + _bias(description["bias"]))
        if kind == "Dropout":
            return 0
        if kind == "MLP":
            total, fan_in = 0, _size(description["nin"])
            bias = _bias(description["bias"])
            for size in description["sizes"]:
                total += _size(size) * (fan_in + bias)
                fan_in = size
            return total
        if kind == "Sequential":
            counts = [_parameter_count(module) for module in description["modules"]]
            return None if None in counts else sum(counts)
    except (KeyError, TypeError, ValueError):
        pass
    return None


def _size(number: object) -> int:
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError("not a size")
    return number


def _bias(flag: object) -> int:
    if not isinstance(flag, bool):
        raise ValueError("not a flag")
    return int(flag)


def to_torch(model: Module) -> Any:
    """An equivalent ``torch.nn.Sequential`` in float64 with the same weights.

    Each Layer (or Neuron) becomes ``Linear`` followed by ``Tanh``, ``Sigmoid``, ``ReLU`` or
    ``Identity``; Dropout becomes ``Dropout``; nested Sequentials are flattened. The torch
    model is in the same train/eval mode as ``model``.

    >>> from nn import MLP
    >>> model = MLP(2, [3, 1], seed=0)
    >>> try:
    ...     import torch
    ... except ImportError:  # without the torch extra, to_torch says what to install
    ...     torch = None
    >>> if torch is not None:
    ...     net = to_torch(model)
    ...     out = net(torch.tensor([0.5, -1.0], dtype=torch.float64)).item()
    ...     assert abs(out - model([0.5, -1.0])[0].data) < 1e-12
    """
    try:
        import torch
    except ImportError:
        raise ImportError(
            'to_torch needs PyTorch, which is not installed: pip install "chainrule[torch]"'
        ) from None
    sequential = torch.nn.Sequential(*_torch_modules(model, torch))
    sequential.train(model.training)
    return sequential


def _torch_modules(model: Module, torch: Any) -> list[Any]:
    kind = type(model)
    if kind is Sequential or kind is MLP:
        return [t for m in model.modules for t in _torch_modules(m, torch)]
    if kind is Dropout:
        return [torch.nn.Dropout(model.p)]
    if kind is Layer or kind is Neuron:
        neurons = model.neurons if kind is Layer else [model]
        bias = neurons[0].b is not None
        linear = torch.nn.Linear(model.nin, len(neurons), bias=bias, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(
                torch.tensor([[w.data for w in n.w] for n in neurons], dtype=torch.float64)
            )
            if bias:
                linear.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
        activation = {
            "linear": torch.nn.Identity,
            "tanh": torch.nn.Tanh,
            "sigmoid": torch.nn.Sigmoid,
            "relu": torch.nn.ReLU,
        }[model.activation]
        return [linear, activation()]
    raise TypeError(f"cannot export a {kind.__name__} to PyTorch: to_torch supports {_SUPPORTED}.")
