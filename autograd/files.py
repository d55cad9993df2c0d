"""Writing a file atomically: the new contents appear all at once, or the old file stays as it was.

>>> import os, tempfile
>>> path = os.path.join(tempfile.mkdtemp(), "notes.txt")
>>> write_atomically(path, "first\\n")
>>> write_atomically(path, b"second\\n")
>>> open(path).read()
'second\\n'
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` so that no reader sees half of it.

    The data goes to a temporary file in the same folder, is flushed to disk, and is then
    renamed over the target in one step. So:

    - an existing file keeps its permission bits; a new file gets the ones the umask allows
      (as ``open(path, "w")`` would give it);
    - when ``path`` is a symbolic link, the file it points to is replaced and the link stays;
    - if anything goes wrong on the way, Ctrl-C (``KeyboardInterrupt``) included, the
      temporary file is removed and the target is left as it was.

    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "data.txt")
    >>> write_atomically(target, "x")
    >>> os.chmod(target, 0o600)
    >>> write_atomically(target, "y")
    >>> oct(os.stat(target).st_mode & 0o777), os.listdir(folder)
    ('0o600', ['data.txt'])
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        raise TypeError(f"write_atomically writes str or bytes, not {type(data).__name__}.")
    target = Path(os.path.realpath(path))  # through symbolic links to the file they name
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask: from /proc where Linux shows it, else by setting it and back."""
    with suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
