"""The notebook widget that steps through backprop: the graph laid out once, played in the page.

``step_through`` makes an anywidget (it runs in JupyterLab, Notebook 7, VS Code, Colab and
marimo). Its script and style ship inside the package (``autograd/web/``): no CDN, no network.
anywidget is imported only when a widget is made, so ``import autograd`` does not need it.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from autograd.page import asset, check_interval
from autograd.playback import check_predict, playback
from autograd.stepper import Stepper

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["step_through"]

INSTALL_HINT = 'pip install "chainrule[notebooks]"'


@cache
def _widget_class() -> type:
    """The widget class, made the first time it is needed (anywidget is a heavy import)."""
    try:
        import anywidget
        import traitlets
    except ImportError:
        raise ImportError(
            f"step_through needs anywidget, which is not installed; install it with {INSTALL_HINT}"
        ) from None

    class StepThrough(anywidget.AnyWidget):
        """Steps through a graph in the page; ``position`` is synced with ``stepper``.

        Moving in the page (buttons, slider, keys, play) moves ``stepper``; setting
        ``position`` (or calling ``next``, ``back``, ``goto``) moves the page.
        """

        _esm = traitlets.Unicode(asset("stepper.js")).tag(sync=True)
        _css = traitlets.Unicode(asset("stepper.css")).tag(sync=True)
        svg = traitlets.Unicode("").tag(sync=True)
        data = traitlets.Dict().tag(sync=True)
        position = traitlets.Int(0).tag(sync=True)
        interval = traitlets.Int(1200).tag(sync=True)

        def __init__(self, stepper: Stepper, interval: int, **options: Any) -> None:
            played = playback(stepper, **options)
            self.stepper = stepper
            super().__init__(
                svg=played.svg, data=played.data, position=stepper.position, interval=interval
            )

        @traitlets.validate("position")
        def _check_position(self, proposal: dict[str, Any]) -> int:
            position = proposal["value"]
            if not 0 <= position <= len(self.stepper):
                raise traitlets.TraitError(
                    f"position must be between 0 and {len(self.stepper)} (the number of "
                    f"steps), got {position}"
                )
            return position

        @traitlets.observe("position")
        def _follow(self, change: dict[str, Any]) -> None:
            self.stepper.goto(change["new"])

        def next(self) -> Any:
            """Apply the next step (in the kernel and in the page) and return it."""
            step = self.stepper.next()
            self.position = self.stepper.position
            return step

        def back(self) -> Any:
            """Undo the last step (in the kernel and in the page) and return it."""
            step = self.stepper.back()
            self.position = self.stepper.position
            return step

        def goto(self, position: int) -> Any:
            """Move to ``position`` (in the kernel and in the page); return the current step."""
            step = self.stepper.goto(position)
            self.position = self.stepper.position
            return step

        def explain(self, ascii: bool = False) -> str:
            """The current step's explanation, as the page shows it."""
            return self.stepper.explain(ascii=ascii)

    return StepThrough


def step_through(
    root: Value,
    mode: str = "backward",
    *,
    interval: int = 1200,
    predict: str | None = None,
    **options: Any,
) -> Any:
    """A widget to walk the chain rule (or the forward pass) through ``root``'s graph.

    The graph is laid out once; the steps are played in the page. ◀ and ▶ (or the ← → keys)
    move one step, the slider jumps to any step, play (or space) steps on its own every
    ``interval`` milliseconds. The live line under the buttons is the current step's
    ``explain()``; hovering or clicking a box shows its value, gradient and the contributions
    that make it up, hovering an edge its local derivative. With ``predict``
    (``"contribution"`` or ``"local"``) the learner types each step's number (what it adds to
    a gradient, or its local derivative) before it is revealed; the page says whether it is
    right, or which slip it looks like, and keeps a score. ``options`` are
    :func:`autograd.draw`'s ``rankdir``, ``digits``, ``max_nodes``, ``timeout`` and
    ``renderer``. The widget's ``position`` is synced with its ``stepper`` (a
    :class:`~autograd.Stepper`); ``widget.stepper.save_html(path)`` writes the same player as
    one offline file.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> widget = step_through(x * x, renderer="wasm")
    >>> widget.position, len(widget.stepper)
    (0, 2)
    >>> widget.position = 2
    >>> widget.stepper.position, x.grad
    (2, 4.0)
    """
    check_interval(interval)
    check_predict(predict, mode)
    return _widget_class()(Stepper(root, mode=mode), interval, predict=predict, **options)
