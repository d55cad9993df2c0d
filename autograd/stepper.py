"""Stepper: walk a graph's backward (or forward) pass one step at a time, to and fro.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> stepper = Stepper(x * x)
>>> len(stepper), stepper.position
(2, 0)
>>> print(stepper.next().explain())
∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autograd.drawing import Drawing, draw
from autograd.files import write_atomically
from autograd.ops import DomainError
from autograd.page import page_html
from autograd.playback import playback
from autograd.steps import ForwardStep, Step, backprop_steps, loss_name, step_names
from autograd.text import number_text, to_ascii
from autograd.value import topological_order

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["HTML_SUFFIXES", "MODES", "Stepper"]

MODES = ("backward", "forward")
HTML_SUFFIXES = (".html", ".htm")


class Stepper:
    """Walk a graph's backward pass (or forward pass) one step at a time, to and fro.

    Backward mode: making a Stepper remembers every gradient in the graph, zeroes them (the
    state a fresh ``backward()`` starts from), then computes all the steps once with
    :func:`backprop_steps` and rewinds to position 0, where only the root's gradient (1) is
    filled in. ``next()`` applies one step, ``back()`` undoes one, ``goto(k)`` moves to
    position ``k`` (steps applied, 0 … ``len(stepper)``), ``reset()`` goes to 0. Going back
    puts back each gradient's earlier value exactly, and at position ``len(stepper)`` every
    gradient is exactly what ``backward()`` gives on a fresh graph. ``restore()`` puts back
    the gradients remembered at the start (a later move re-applies the stepper's position).

    Forward mode (``mode="forward"``) leaves gradients alone and reveals the results of the
    ops one node at a time, in topological order; nodes not computed yet are pending.

    Moving past either end raises ``ValueError`` saying where the stepper stands.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> stepper = Stepper(a * b)
    >>> len(stepper), stepper.position, stepper.current is None
    (2, 0, True)
    >>> print(stepper.next().explain())
    ∂L/∂a += ∂mul₁/∂a · ∂L/∂mul₁ = b · ∂L/∂mul₁ = (-3)(1) = -3
    >>> a.grad, b.grad, stepper.position
    (-3.0, 0.0, 1)
    >>> _ = stepper.back()
    >>> a.grad
    0.0
    """

    def __init__(self, root: Value, mode: str = "backward") -> None:
        if not hasattr(root, "parents") or not hasattr(root, "local_grads"):
            raise TypeError(f"Stepper needs a Value to start from, not {type(root).__name__}")
        if mode not in MODES:
            raise ValueError(f"mode must be 'backward' or 'forward', got {mode!r}")
        self.root = root
        self.mode = mode
        self._order = topological_order(root)
        self.names = step_names(root, self._order)
        #: What the differentiated quantity is called in explanations (see :func:`loss_name`).
        self.loss = loss_name(root, self.names)
        self._remembered = [node.grad for node in self._order]
        self._restored = False
        self._steps: tuple[Step, ...] | tuple[ForwardStep, ...]
        if mode == "forward":
            self._steps = tuple(ForwardStep(node, root) for node in self._order if node.parents)
            self._position = 0
            return
        for node in self._order:
            node.grad = 0.0
        try:
            self._steps = tuple(backprop_steps(root))
        except DomainError:
            self.restore()
            raise
        self._position = len(self._steps)
        self.goto(0)

    def __len__(self) -> int:
        return len(self._steps)

    def __repr__(self) -> str:
        return f"Stepper({self.mode}, position {self._position} of {len(self._steps)})"

    @property
    def position(self) -> int:
        """How many steps are applied: 0 … ``len(stepper)``."""
        return self._position

    @property
    def steps(self) -> tuple[Step, ...] | tuple[ForwardStep, ...]:
        """Every step, in order (computed when the stepper was made)."""
        return self._steps

    @property
    def current(self) -> Step | ForwardStep | None:
        """The step applied last, or ``None`` at position 0."""
        return self._steps[self._position - 1] if self._position else None

    def next(self) -> Step | ForwardStep:
        """Apply the next step and return it; ``ValueError`` if all steps are applied."""
        if self._position == len(self._steps):
            raise ValueError(
                f"the stepper is at the end: all {len(self._steps)} steps are applied. "
                "Use back(), goto(k) or reset() to move back."
            )
        self._resume()
        step = self._steps[self._position]
        if isinstance(step, Step):
            step.parent.grad = step.grad_after
        self._position += 1
        return step

    def back(self) -> Step | ForwardStep:
        """Undo the last applied step and return it; ``ValueError`` at position 0."""
        if self._position == 0:
            raise ValueError(
                "the stepper is at the start (position 0): there is no step to undo. "
                "Use next() or goto(k) to move forward."
            )
        self._resume()
        self._position -= 1
        step = self._steps[self._position]
        if isinstance(step, Step):
            step.parent.grad = step.grad_before
        return step

    def goto(self, position: int) -> Step | ForwardStep | None:
        """Move to ``position`` (0 … ``len(stepper)``) and return :attr:`current`."""
        if isinstance(position, bool) or not isinstance(position, int):
            raise TypeError(f"position must be an int, not {type(position).__name__}")
        if not 0 <= position <= len(self._steps):
            raise ValueError(
                f"position must be between 0 and {len(self._steps)} (the number of steps), "
                f"got {position}"
            )
        while self._position < position:
            self.next()
        while self._position > position:
            self.back()
        self._resume()
        return self.current

    def reset(self) -> None:
        """Go back to position 0: no step applied."""
        self.goto(0)

    def restore(self) -> None:
        """Put back every gradient as it was before the stepper was made."""
        for node, grad in zip(self._order, self._remembered, strict=True):
            node.grad = grad
        self._restored = True

    def _resume(self) -> None:
        """After :meth:`restore`, set the gradients for the current position again."""
        if not self._restored:
            return
        self._restored = False
        if self.mode == "forward":
            return
        for node in self._order:
            node.grad = 0.0
        self.root.grad = 1.0
        for step in self._steps[: self._position]:
            step.parent.grad = step.grad_after

    def explain(self, ascii: bool = False) -> str:
        """The current step's explanation; at position 0, what the pass starts from.

        >>> from autograd import Value
        >>> x = Value(2.0, label="x")
        >>> stepper = Stepper(x * x)
        >>> print(stepper.explain())
        start: ∂L/∂L = 1 (L is mul₁)
        >>> print(Stepper(x * x, mode="forward").explain(ascii=True))
        start: x = 2
        """
        step = self.current
        if step is not None:
            return step.explain(self.names, ascii=ascii, loss=self.loss)
        if self.mode == "backward":
            loss = self.loss
            text = f"start: ∂{loss}/∂{loss} = 1"
            node = self.names[self.root]
            if node != loss and self.root.op:
                # The steps name the root node as drawings do (tanh₁): say which one L is.
                text += f" ({loss} is {node})"
        else:
            known = [node for node in self._order if not node.parents]
            text = "start: " + ", ".join(
                f"{self.names[node]} = {number_text(node.data)}" for node in known
            )
        return to_ascii(text) if ascii else text

    def highlighted(self) -> tuple[Any, ...]:
        """What a drawing should highlight: the current step's nodes and edge(s).

        Backward mode: the step's node, its parent and the edge ``(parent, node, index)``
        (just that input, even if ``parent`` is used twice); at position 0, the root. Forward
        mode: the node just computed and its incoming edges.
        """
        step = self.current
        if step is None:
            return (self.root,) if self.mode == "backward" else ()
        if isinstance(step, Step):
            return (step.node, step.parent, (step.parent, step.node, step.index))
        node = step.node
        return (node, *((parent, node) for parent in dict.fromkeys(node.parents)))

    def pending(self) -> tuple[Value, ...]:
        """The nodes not reached yet: no gradient yet (backward) or not computed yet (forward)."""
        if self.mode == "forward":
            return tuple(step.node for step in self._steps[self._position :])
        reached = {self.root}
        reached.update(step.parent for step in self._steps[: self._position])
        return tuple(node for node in self._order if node.requires_grad and node not in reached)

    def draw(self, **options: Any) -> Drawing:
        """The graph as it stands at the current position, via :func:`autograd.draw`.

        Gradients filled in so far are shown (backward mode), the current step is
        highlighted and nodes not reached yet are pending; ``options`` go to ``draw``.
        """
        return draw(
            self.root,
            highlight=self.highlighted(),
            pending=self.pending(),
            show_grad=self.mode == "backward",
            **options,
        )

    def save_html(
        self,
        path: str | os.PathLike[str],
        *,
        title: str | None = None,
        interval: int = 1200,
        predict: str | None = None,
        **options: Any,
    ) -> Path:
        """Write one self-contained HTML file that steps through this graph; return its path.

        The file holds the picture (laid out once), every step and the player (inline SVG,
        JavaScript and CSS): it opens from disk in any browser, with no kernel and no network,
        and steps like :func:`autograd.step_through`. It starts at this stepper's position.
        ``title`` heads the page (default: what is differentiated, or the forward pass);
        ``interval`` is the play button's milliseconds per step; ``predict``
        (``"contribution"`` or ``"local"``, backward only) makes the page ask for each step's
        number (what it adds to a gradient, or its local derivative) before revealing it,
        answer with the hint for the slip it matches and keep a score; ``options`` are
        :func:`autograd.draw`'s ``rankdir``, ``digits``, ``max_nodes``, ``timeout`` and
        ``renderer``. A graph of more than ``max_nodes`` values is refused as ``draw``
        refuses it. The file is written whole or not at all.

        >>> import os, tempfile
        >>> from autograd import Value
        >>> x = Value(3.0, label="x")
        >>> path = Stepper(x * x).save_html(os.path.join(tempfile.mkdtemp(), "steps.html"))
        >>> path.name, 'id="chainrule-data"' in path.read_text()
        ('steps.html', True)
        """
        target = _html_target(path)
        if title is None:
            what = "backpropagation" if self.mode == "backward" else "the forward pass"
            title = f"chainrule: {what} through {self.names[self.root]}, step by step"
        played = playback(self, predict=predict, **options)
        played.data["position"] = self._position
        text = page_html(played, title=title, interval=interval)
        try:
            write_atomically(target, text)
        except OSError as problem:
            reason = problem.strerror or str(problem)
            message = f"cannot write {target}: {reason}; choose a place you can write to"
            if problem.errno is None:
                raise type(problem)(message) from None
            raise type(problem)(problem.errno, message) from None
        return target


def _html_target(path: str | os.PathLike[str]) -> Path:
    """``path`` checked before any work: an ``.html`` file in a folder that exists."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"save_html needs a file path (str or Path), not {type(path).__name__}")
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(
            f"cannot save the page as {target}: it is a folder; give a file name such as "
            f"{target / 'steps.html'}"
        )
    if target.suffix.lower() not in HTML_SUFFIXES:
        shown = repr(target.suffix) if target.suffix else "a file without a suffix"
        raise ValueError(
            f"save_html writes an HTML page: the file name must end in .html (or .htm), not "
            f"{shown} ({target})"
        )
    if not target.parent.is_dir():
        raise FileNotFoundError(
            f"cannot save {target}: the folder {target.parent} does not exist; create it first"
        )
    return target
