"""Per-thread recording state: grad mode (``no_grad``), the scope new values are tagged with,
and the comparisons a trace records as guards.

Both are per thread, as PyTorch's grad mode is: a block in one thread never changes what
another thread records. Making a node is the hot path, so it first reads :data:`ACTIVE`, which
counts the threads inside a block of each kind; only when one is, does it look at its own
thread's state in :data:`THREAD`.

>>> from autograd import Value
>>> with scope("encoder"):
...     y = Value(2.0) * 3
>>> y.scope
('encoder',)
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ACTIVE", "THREAD", "is_grad_enabled", "no_grad", "scope"]


class _Active:
    """How many threads are inside a no_grad() block, and inside a scope() block, right now."""

    paused_threads = 0
    scoped_threads = 0


class _Thread(threading.local):
    paused = 0  # how deep this thread is inside no_grad() blocks
    scope: tuple[str, ...] = ()  # the names of the scope() blocks this thread is inside
    guards: list | None = None  # while autograd.compile traces in this thread: comparisons


ACTIVE = _Active()
THREAD = _Thread()
_lock = threading.Lock()


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block (in this thread), results are constants: no parents, no derivatives.

    Works as a decorator too, and blocks may nest or overlap across threads. Useful for
    evaluating a model without building a graph.

    >>> from autograd import Value
    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.data, y.parents, y.requires_grad
    (4.0, (), False)
    """
    with _lock:
        if THREAD.paused == 0:
            ACTIVE.paused_threads += 1
        THREAD.paused += 1
    try:
        yield
    finally:
        with _lock:
            THREAD.paused -= 1
            if THREAD.paused == 0:
                ACTIVE.paused_threads -= 1


def is_grad_enabled() -> bool:
    """Whether operations in this thread record the graph (False inside ``no_grad()``).

    >>> is_grad_enabled()
    True
    """
    return THREAD.paused == 0


@contextmanager
def scope(name: str) -> Iterator[tuple[str, ...]]:
    """Tag every value made inside this block (in this thread) with ``name``.

    Blocks nest: a value's ``scope`` is the tuple of names from the outermost block in. Drawings
    can fold each scope into one box: ``draw(root, collapse="scope")``.

    >>> from autograd import Value
    >>> with scope("layer 1") as outer, scope("neuron 2"):
    ...     y = Value(1.0).tanh()
    >>> outer, y.scope
    (('layer 1',), ('layer 1', 'neuron 2'))
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"scope needs a non-empty str as its name, not {name!r:.40}")
    previous = THREAD.scope
    with _lock:
        if not previous:
            ACTIVE.scoped_threads += 1
        THREAD.scope = (*previous, name)
    try:
        yield THREAD.scope
    finally:
        with _lock:
            THREAD.scope = previous
            if not previous:
                ACTIVE.scoped_threads -= 1
