"""Tests for autograd.step_through, the anywidget that plays the steps in the page (kernel side).

The page side runs in a real browser in tests/browser/.
"""

from __future__ import annotations

import sys

import pytest

from autograd import Stepper, Value, step_through
from autograd.page import asset

pytest.importorskip("anywidget")


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    return w, x, b, (w * x + b).tanh()


def test_the_widget_ships_its_script_and_style_and_sends_the_picture_once():
    import anywidget

    *_, out = neuron()
    widget = step_through(out)
    assert isinstance(widget, anywidget.AnyWidget)
    assert widget._esm == asset("stepper.js") and widget._css == asset("stepper.css")
    assert "import " not in widget._esm and "http" not in widget._esm  # nothing fetched
    assert widget.svg.startswith("<svg") and widget.svg.rstrip().endswith("</svg>")
    assert widget.data["mode"] == "backward" and len(widget.data["steps"]) == 5
    assert widget.data["start"] == "start: ∂L/∂L = 1 (L is tanh₁)"
    assert widget.position == 0 and widget.stepper.position == 0
    state = widget.get_state()
    assert state["position"] == 0 and state["interval"] == 1200


def test_setting_the_position_moves_the_kernel_stepper():
    w, x, b, out = neuron()
    widget = step_through(out)
    svg = widget.svg
    widget.position = 4  # what the page sends when someone clicks
    assert widget.stepper.position == 4
    assert w.grad == widget.stepper.current.grad_after and x.grad == 0.0
    assert widget.explain().startswith("∂L/∂w += ∂mul₁/∂w")
    assert widget.svg == svg  # stepping never lays the graph out again
    widget.position = 5
    twin = neuron()
    twin[-1].backward()
    assert [w.grad, x.grad, b.grad] == [leaf.grad for leaf in twin[:3]]


def test_next_back_and_goto_move_the_page_too():
    *_, out = neuron()
    widget = step_through(out)
    widget.next()
    widget.next()
    assert widget.position == widget.stepper.position == 2
    widget.back()
    assert widget.position == 1
    widget.goto(5)
    assert widget.position == 5
    with pytest.raises(ValueError, match="at the end"):
        widget.next()
    assert widget.position == 5


def test_a_position_outside_the_steps_is_refused_and_nothing_moves():
    import traitlets

    *_, out = neuron()
    widget = step_through(out)
    widget.position = 2
    with pytest.raises(traitlets.TraitError, match=r"between 0 and 5 .* got 6"):
        widget.position = 6
    assert widget.position == widget.stepper.position == 2


def test_forward_mode_sends_forward_steps():
    *_, out = neuron()
    widget = step_through(out, mode="forward")
    assert widget.data["mode"] == "forward" and len(widget.data["steps"]) == 3
    assert widget.data["start"] == "start: w = 0.5, x = -1, b = 0.1"
    assert widget.data["steps"][0]["explain"] == "mul₁ = w · x = 0.5 · (-1) = -0.5"
    assert "grad" not in widget.svg


def test_play_speed_and_drawing_options_are_passed_on():
    *_, out = neuron()
    widget = step_through(out, interval=300, digits=2)
    assert widget.interval == 300
    assert "grad -0.86" in widget.svg and "grad -0.8556" not in widget.svg
    with pytest.raises(ValueError, match="interval must be a whole number of milliseconds"):
        step_through(out, interval=0)
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        step_through(out, colour="red")


def test_a_graph_over_the_size_limit_is_refused_as_draw_refuses_it():
    from autograd import draw

    x = Value(1.0, label="x")
    out = x
    for _ in range(6):
        out = out * 1.5
    with pytest.raises(ValueError) as drawn:
        draw(out, max_nodes=5)
    with pytest.raises(ValueError) as widget:
        step_through(out, max_nodes=5)
    assert str(widget.value) == str(drawn.value)
    assert x.grad == 0.0  # the stepper put every gradient back


def test_labels_go_to_the_page_as_data_not_markup():
    a = Value(2.0, label="<script>alert(1)</script>")
    widget = step_through(a * 3)
    assert "<script>" not in widget.svg and "&lt;script&gt;" in widget.svg
    assert widget.data["nodes"][0]["name"] == "<script>alert(1)</script>"


def test_without_anywidget_the_error_names_the_extra(monkeypatch):
    from autograd import widgets

    widgets._widget_class.cache_clear()
    monkeypatch.setitem(sys.modules, "anywidget", None)
    try:
        with pytest.raises(ImportError, match=r'pip install "chainrule\[notebooks\]"'):
            step_through(Value(1.0) * 2)
    finally:
        widgets._widget_class.cache_clear()


def test_the_stepper_api_stays():
    *_, out = neuron()
    widget = step_through(out)
    assert isinstance(widget.stepper, Stepper)
    widget.stepper.goto(3)
    assert widget.stepper.draw().source.count("#ffd400") >= 1


def test_notebook_03_saves_the_current_player_with_its_widgets():
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "03-step-through-backprop.ipynb"
    metadata = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    saved = metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    players = [model["state"] for model in saved.values() if model["model_name"] == "AnyModel"]
    assert len(players) == 2  # the neuron and the small network
    for state in players:  # re-run the notebook when the player changes
        assert state["_esm"] == asset("stepper.js") and state["_css"] == asset("stepper.css")
        assert state["position"] == 0 and state["data"]["format"] == 1


def test_predict_mode_sends_the_hints_and_a_bad_option_is_refused():
    w, _, _, out = neuron()
    widget = step_through(out, predict="contribution")
    assert widget.data["predict"] == "contribution"
    assert [step["expected"] for step in widget.data["steps"]] == [
        step.contribution for step in widget.stepper.steps
    ]
    assert all(step["mistakes"] for step in widget.data["steps"])
    assert "predict" not in step_through(out).data
    with pytest.raises(ValueError, match="predict must be 'contribution'"):
        step_through(out, predict="gradient")
    with pytest.raises(ValueError, match="needs the backward pass"):
        step_through(out, "forward", predict="local")
    assert w.grad == 0.0  # nothing was stepped


def test_notebook_05_saves_a_predicting_player_with_its_widgets():
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[2] / "notebooks" / "05-check-yourself.ipynb"
    metadata = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    saved = metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    players = [model["state"] for model in saved.values() if model["model_name"] == "AnyModel"]
    assert len(players) == 1
    (state,) = players  # re-run the notebook when the player changes
    assert state["_esm"] == asset("stepper.js") and state["_css"] == asset("stepper.css")
    assert state["data"]["predict"] == "contribution" and len(state["data"]["steps"]) == 3
    assert all(step["mistakes"] for step in state["data"]["steps"])
