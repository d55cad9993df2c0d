"""Tests for autograd.step_through, the notebook widget that steps through backprop."""

from __future__ import annotations

import sys

import pytest

from autograd import Value, palette, step_through

pytest.importorskip("ipywidgets")


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    return w, x, b, (w * x + b).tanh()


def parts(widget):
    """The widget's controls and displays, by role."""
    controls, explanation, picture = widget.children
    back, play, forward, slider = controls.children
    return back, play, forward, slider, explanation, picture


def test_the_widget_has_buttons_a_slider_play_the_explanation_and_the_drawing():
    import ipywidgets

    *_, out = neuron()
    widget = step_through(out)
    back, play, forward, slider, explanation, picture = parts(widget)
    assert isinstance(widget, ipywidgets.VBox)
    assert (back.description, forward.description) == ("◀", "▶")
    assert isinstance(play, ipywidgets.Play) and isinstance(slider, ipywidgets.IntSlider)
    assert (slider.min, slider.max, play.max) == (0, 5, 5)
    assert back.disabled and not forward.disabled
    assert explanation.value == "<code>0/5: start: ∂L/∂L = 1 (L is tanh₁)</code>"
    assert picture.value.startswith("<svg") and picture.value.rstrip().endswith("</svg>")
    assert widget.stepper.position == 0


def test_moving_the_slider_steps_the_graph_and_updates_the_displays():
    w, x, b, out = neuron()
    widget = step_through(out)
    back, _, forward, slider, explanation, picture = parts(widget)
    start_picture = picture.value
    slider.value = 4
    assert widget.stepper.position == 4
    assert w.grad == widget.stepper.current.grad_after and x.grad == 0.0
    assert explanation.value.startswith("<code>4/5: ∂L/∂w += ∂mul₁/∂w")
    assert picture.value != start_picture
    assert palette.HIGHLIGHT in picture.value
    slider.value = 5
    assert forward.disabled and not back.disabled
    twin = neuron()
    twin[-1].backward()
    assert [w.grad, x.grad, b.grad] == [leaf.grad for leaf in twin[:3]]


def test_the_buttons_move_one_step_and_play_drives_the_slider():
    *_, out = neuron()
    widget = step_through(out)
    back, play, forward, slider, explanation, _ = parts(widget)
    forward.click()
    forward.click()
    assert slider.value == 2 and widget.stepper.position == 2
    back.click()
    assert slider.value == 1 and explanation.value.startswith("<code>1/5: ")
    play.value = 3  # what the play button does as it ticks
    assert slider.value == 3 and widget.stepper.position == 3
    slider.value = 0
    assert play.value == 0
    back.click()
    assert slider.value == 0


def test_the_explanation_is_escaped_for_html():
    a = Value(2.0, label="<a>")
    widget = step_through(a * 3)
    *_, explanation, _ = parts(widget)
    widget.children[0].children[2].click()
    assert "&lt;a&gt;" in explanation.value and "<a>" not in explanation.value


def test_forward_mode_reveals_values():
    *_, out = neuron()
    widget = step_through(out, mode="forward")
    *_, slider, explanation, picture = parts(widget)
    assert slider.max == 3
    assert explanation.value == "<code>0/3: start: w = 0.5, x = -1, b = 0.1</code>"
    slider.value = 1
    assert explanation.value == "<code>1/3: mul₁ = w · x = 0.5 · (-1) = -0.5</code>"
    assert "grad" not in picture.value


def test_play_speed_and_drawing_options_are_passed_on():
    *_, out = neuron()
    widget = step_through(out, interval=300, digits=2)
    _, play, _, slider, _, picture = parts(widget)
    assert play.interval == 300
    slider.value = 5
    assert "grad -0.86" in picture.value and "grad -0.8556" not in picture.value


def test_without_ipywidgets_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "ipywidgets", None)
    with pytest.raises(ImportError, match=r'pip install "chainrule\[notebooks\]"'):
        step_through(Value(1.0) * 2)
