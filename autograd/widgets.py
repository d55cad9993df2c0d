"""The notebook widget that steps through backprop: buttons, a slider, the drawing, the arithmetic.

ipywidgets is imported only when a widget is made, so ``import autograd`` does not need it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from autograd.stepper import Stepper

if TYPE_CHECKING:
    import ipywidgets

    from autograd.value import Value

__all__ = ["step_through"]

INSTALL_HINT = 'pip install "chainrule[notebooks]"'


def _ipywidgets() -> Any:
    try:
        import ipywidgets
    except ImportError:
        raise ImportError(
            f"step_through needs ipywidgets, which is not installed; install it with {INSTALL_HINT}"
        ) from None
    return ipywidgets


def step_through(
    root: Value, mode: str = "backward", *, interval: int = 1200, **draw_options: Any
) -> ipywidgets.VBox:
    """A widget to walk the chain rule (or the forward pass) through ``root``'s graph.

    ◀ and ▶ move one step, the slider jumps to any step and the play button steps on its own
    every ``interval`` milliseconds. Below them: the current step's explanation and the
    drawing of the graph as it stands (via :meth:`Stepper.draw`, given ``draw_options``). The
    widget's ``stepper`` attribute is the :class:`~autograd.Stepper` it drives.

    >>> from autograd import Value
    >>> x = Value(2.0, label="x")
    >>> widget = step_through(x * x)
    >>> widget.stepper.position, len(widget.stepper)
    (0, 2)
    """
    import html

    widgets = _ipywidgets()
    stepper = Stepper(root, mode=mode)
    last = len(stepper)
    back = widgets.Button(description="◀", tooltip="back one step", layout={"width": "3em"})
    forward = widgets.Button(description="▶", tooltip="next step", layout={"width": "3em"})
    slider = widgets.IntSlider(value=0, min=0, max=last, description="step", readout=True)
    play = widgets.Play(value=0, min=0, max=last, step=1, interval=interval, description="play")
    widgets.link((play, "value"), (slider, "value"))
    explanation = widgets.HTML()
    picture = widgets.HTML()

    def show(position: int) -> None:
        stepper.goto(position)
        back.disabled = position == 0
        forward.disabled = position == last
        text = html.escape(stepper.explain())
        explanation.value = f"<code>{position}/{last}: {text}</code>"
        svg = stepper.draw(**draw_options).svg()
        # Inside HTML the XML prolog and doctype are noise: keep the <svg> element itself.
        picture.value = svg[svg.find("<svg") :]

    def on_slide(change: dict[str, Any]) -> None:
        show(change["new"])

    def on_back(_: Any) -> None:
        slider.value = max(0, slider.value - 1)

    def on_forward(_: Any) -> None:
        slider.value = min(last, slider.value + 1)

    slider.observe(on_slide, names="value")
    back.on_click(on_back)
    forward.on_click(on_forward)
    show(0)
    box = widgets.VBox([widgets.HBox([back, play, forward, slider]), explanation, picture])
    box.stepper = stepper
    return box
