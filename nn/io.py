"""The model file format: JSON holding a format name and version, an architecture and weights.

Never pickle: reading a file runs no code from it. A file is read only when it is a regular
file of at most :data:`MAX_FILE_BYTES` bytes, and its JSON may nest at most
:data:`MAX_DEPTH` levels deep (about half as many nested Sequentials), so a huge, endless
or hostile file is refused with a ``ValueError`` instead of exhausting memory or the stack.
Describing and rebuilding the model is :func:`nn.save` and :func:`nn.load`'s work.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> write_model(path, {"type": "Dropout", "p": 0.5}, {})
>>> read_model(path)
({'type': 'Dropout', 'p': 0.5}, {})
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

from autograd.files import write_atomically

__all__ = ["FORMAT", "MAX_DEPTH", "MAX_FILE_BYTES", "VERSION", "read_model", "write_model"]

FORMAT = "chainrule.model"
VERSION = 1
# 64 MiB holds well over a million weights, far more than a scalar engine can train.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 200

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def write_model(path: str | os.PathLike, architecture: dict[str, Any], weights: dict) -> None:
    """Write a model file to ``path`` atomically (see :func:`autograd.files.write_atomically`).

    Everything is checked before anything is written: the path, that its folder exists, and
    that every weight is finite (a nan or inf weight cannot be stored in JSON).
    """
    target = _as_path(path)
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
    document = {"format": FORMAT, "version": VERSION, "architecture": architecture}
    document["weights"] = weights
    text = json.dumps(document, indent=1, allow_nan=False) + "\n"
    _check_depth(text, f"cannot save to {str(path)!r}")  # a file read_model would refuse
    write_atomically(target, text)


def read_model(path: str | os.PathLike) -> tuple[Any, Any]:
    """The ``(architecture, weights)`` of the model file at ``path``, as found in it.

    Raises ``ValueError`` saying what is wrong: too large, not a regular file, not text, not
    valid JSON, nested too deeply, not a chainrule model, or a newer format version. The
    architecture and weights themselves are checked by :func:`nn.load`.
    """
    source = _as_path(path)
    text = _read_text(source, path)
    _check_depth(text, path)
    try:
        document = json.loads(text)
    except RecursionError:  # not reached past _check_depth; kept so no RecursionError escapes
        raise ValueError(f"{path}: the JSON is nested too deeply to read.") from None
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
    return document["architecture"], document["weights"]


def _read_text(source: Path, path: object) -> str:
    """The file's text, refusing folders, non-regular files and files over the size limit."""
    if source.is_dir():
        raise IsADirectoryError(
            f"cannot load {str(path)!r}: it is a folder; give the path of a saved model file."
        )
    if not stat.S_ISREG(os.stat(source).st_mode):  # a device or pipe could never end
        raise ValueError(
            f"cannot load {str(path)!r}: it is not a regular file (a device, pipe or socket); "
            "give the path of a file written by nn.save()."
        )
    with open(source, "rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(
            f"cannot load {str(path)!r}: it is larger than {MAX_FILE_BYTES // 2**20} MiB "
            "(nn.io.MAX_FILE_BYTES), far more than any model chainrule can train; it is not "
            "a saved model, or it is corrupted."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(
            f"{path}: not a chainrule model JSON file (it is not text: a binary file?); "
            "give a file written by model.save()."
        ) from None


def _check_depth(text: str, path: object) -> None:
    """Refuse JSON nested more than MAX_DEPTH levels: the parser would run out of stack."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match[0] in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    raise ValueError(
                        f"{path}: the JSON is nested more than {MAX_DEPTH} levels deep "
                        "(nn.io.MAX_DEPTH); a saved model is never that deep (it would be "
                        f"about {MAX_DEPTH // 2} Sequentials inside each other), so the file "
                        "is corrupted or not a model."
                    )
        else:
            depth -= 1


def _as_path(path: object) -> Path:
    if not isinstance(path, str | os.PathLike):
        raise TypeError(
            f"path must be a str or os.PathLike (like 'model.json'), not {type(path).__name__} "
            f"({path!r:.40})."
        )
    return Path(path)
