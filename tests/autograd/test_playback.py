"""Tests for the step data (autograd.playback), the offline page (autograd.page) and save_html."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ElementTree

import pytest

from autograd import Stepper, Value, draw
from autograd.page import asset, page_html, script_json
from autograd.playback import FORMAT, playback, step_data
from autograd.text import number_text

SVG = "{http://www.w3.org/2000/svg}"


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    return w, x, b, (w * x + b).tanh()


def svg_ids(svg: str) -> dict[str, str]:
    """The id of every node and edge group in the picture, and its class."""
    tree = ElementTree.fromstring(svg)
    return {
        group.get("id"): group.get("class")
        for group in tree.iter(f"{SVG}g")
        if group.get("class") in ("node", "edge")
    }


def test_every_node_and_edge_in_the_data_has_its_stable_id_in_the_picture():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + a * 2).relu() + Value(4.0, requires_grad=False)
    played = playback(Stepper(out))
    ids = svg_ids(played.svg)
    drawn = {i for i, kind in ids.items() if kind == "node"}
    nodes = {node["id"] for node in played.data["nodes"]}
    assert nodes < drawn and len(drawn - nodes) == 1  # and the legend
    assert len(nodes) == 7  # the constants 2 and 4 are not drawn: their numbers are in boxes
    assert {edge["id"] for edge in played.data["edges"]} == {
        i for i, kind in ids.items() if kind == "edge"
    }
    for step in played.data["steps"]:
        assert step["edge"] in ids and step["node"] in ids and step["parent"] in ids


def test_the_steps_say_exactly_what_the_stepper_says_at_each_position():
    *_, out = neuron()
    stepper = Stepper(out)
    data = step_data(stepper)
    assert data["format"] == FORMAT and data["mode"] == "backward" and data["loss"] == "L"
    assert data["start"] == stepper.explain()
    grads = {}
    for entry in data["steps"]:
        stepper.next()
        step = stepper.current
        assert entry["explain"] == stepper.explain()
        assert entry["grad_after"] == number_text(step.grad_after)
        assert entry["grad_before"] == number_text(grads.get(entry["parent"], 0.0))
        grads[entry["parent"]] = step.grad_after
    assert len(data["steps"]) == len(stepper) == 5


def test_step_data_leaves_the_stepper_where_it_was():
    w, x, b, out = neuron()
    stepper = Stepper(out)
    stepper.goto(2)
    grads = (w.grad, x.grad, b.grad)
    data = step_data(stepper)
    playback(stepper)
    assert stepper.position == 2 and (w.grad, x.grad, b.grad) == grads
    # The nodes carry the gradients after the last step, as the picture shows them.
    twin = neuron()
    twin[-1].backward()
    shown = [node["grad"] for node in data["nodes"] if node["name"] == "w"]
    assert shown == [number_text(twin[0].grad)]


def test_backward_steps_carry_their_edge_and_the_gradients_before_and_after():
    x = Value(3.0, label="x")
    data = step_data(Stepper(x * x))
    assert data["steps"] == [
        {
            "edge": "v1-0",
            "node": "v1",
            "parent": "v0",
            "explain": "∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3",
            "contribution": "3",
            "grad_before": "0",
            "grad_after": "3",
        },
        {
            "edge": "v1-1",
            "node": "v1",
            "parent": "v0",
            "explain": "∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3",
            "contribution": "3",
            "grad_before": "3",
            "grad_after": "6",
        },
    ]
    assert [edge["formula"] for edge in data["edges"]] == [
        "∂mul₁/∂x (1st input) = x = 3",
        "∂mul₁/∂x (2nd input) = x = 3",
    ]
    assert json.loads(json.dumps(data)) == data  # plain JSON all the way down


def test_forward_steps_name_the_node_and_its_incoming_edges():
    *_, out = neuron()
    stepper = Stepper(out, mode="forward")
    data = step_data(stepper)
    assert [step["node"] for step in data["steps"]] == ["v2", "v4", "v5"]
    assert data["steps"][0]["edges"] == ["v2-0", "v2-1"]
    assert data["edges"][0]["pending_formula"].endswith("= ?")
    for entry in data["steps"]:
        stepper.next()
        assert entry["explain"] == stepper.explain()


def test_the_page_is_one_file_that_fetches_nothing():
    *_, out = neuron()
    page = page_html(playback(Stepper(out)), title="a <neuron> & co")
    assert "<title>a &lt;neuron&gt; &amp; co</title>" in page
    assert asset("stepper.js") in page and asset("stepper.css") in page
    assert not re.search(r"""\b(src|href)\s*=|@import|url\(|fetch\(|XMLHttpRequest""", page)
    assert "default-src 'none'" in page  # and the browser is told so


def test_the_data_in_the_page_cannot_end_its_script_element():
    assert "<" not in script_json({"a": "</script><!--"}) and "&" not in script_json("&amp;")
    assert json.loads(script_json({"a": "</script>&\u2028"})) == {"a": "</script>&\u2028"}
    a = Value(1.0, label="</script><script>alert(1)</script>")
    page = page_html(playback(Stepper(a * 2)))
    assert page.count("</script>") == 2  # the data's and the player's, nothing from the label


def test_asset_names_the_files_it_has():
    with pytest.raises(ValueError, match=r"there are stepper\.js and stepper\.css"):
        asset("../secrets")


def test_save_html_writes_the_page_at_the_stepper_position(tmp_path):
    *_, out = neuron()
    stepper = Stepper(out)
    stepper.goto(3)
    path = stepper.save_html(tmp_path / "steps.html")
    assert path == tmp_path / "steps.html" and os.listdir(tmp_path) == ["steps.html"]
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="chainrule-data">(.*?)</script>', text).group(1))
    assert data["position"] == 3 and len(data["steps"]) == 5
    assert "<title>chainrule: backpropagation through tanh₁, step by step</title>" in text
    assert stepper.position == 3


def test_save_html_refuses_a_missing_folder_a_folder_and_other_suffixes(tmp_path):
    stepper = Stepper(Value(2.0, label="x") * 3)
    with pytest.raises(FileNotFoundError, match=r"folder .*nowhere does not exist; create it"):
        stepper.save_html(tmp_path / "nowhere" / "steps.html")
    (tmp_path / "pages.html").mkdir()
    with pytest.raises(IsADirectoryError, match="it is a folder; give a file name such as"):
        stepper.save_html(tmp_path / "pages.html")
    with pytest.raises(ValueError, match=r"must end in .html \(or .htm\), not '.svg'"):
        stepper.save_html(tmp_path / "steps.svg")
    with pytest.raises(TypeError, match="needs a file path"):
        stepper.save_html(3)
    assert sorted(os.listdir(tmp_path)) == ["pages.html"]
    assert os.listdir(tmp_path / "pages.html") == []


def test_save_html_to_a_read_only_place_is_a_clear_error_and_leaves_nothing(tmp_path):
    stepper = Stepper(Value(2.0, label="x") * 3)
    if os.geteuid() == 0:  # root writes through permission bits: use a place no one can write
        target = "/sys/chainrule-steps.html"
        if not os.path.isdir("/sys") or (os.access("/sys", os.W_OK) and _writable("/sys")):
            pytest.skip("no read-only folder on this machine")
    else:
        folder = tmp_path / "locked"
        folder.mkdir()
        folder.chmod(0o500)
        target = str(folder / "steps.html")
    with pytest.raises(PermissionError, match=r"cannot write .*steps\.html: .*choose a place"):
        stepper.save_html(target)
    assert not os.path.exists(target)
    assert not [name for name in os.listdir(os.path.dirname(target)) if "chainrule" in name]


def _writable(folder: str) -> bool:
    try:
        with open(os.path.join(folder, ".chainrule-probe"), "w"):
            pass
    except OSError:
        return False
    os.unlink(os.path.join(folder, ".chainrule-probe"))
    return True


def test_save_html_keeps_an_existing_file_when_the_graph_is_too_big(tmp_path):
    x = Value(1.0, label="x")
    out = x
    for _ in range(6):
        out = out * 1.5
    target = tmp_path / "steps.html"
    target.write_text("before")
    with pytest.raises(ValueError) as drawn:
        draw(out, max_nodes=5)
    with pytest.raises(ValueError) as saved:
        Stepper(out).save_html(target, max_nodes=5)
    assert str(saved.value) == str(drawn.value)
    assert target.read_text() == "before" and os.listdir(tmp_path) == ["steps.html"]


def test_save_html_interval_and_title_are_checked(tmp_path):
    stepper = Stepper(Value(2.0, label="x") * 3)
    with pytest.raises(ValueError, match="interval must be a whole number of milliseconds"):
        stepper.save_html(tmp_path / "a.html", interval=True)
    with pytest.raises(TypeError, match="title must be a str"):
        stepper.save_html(tmp_path / "a.html", title=3)
    assert os.listdir(tmp_path) == []


def test_a_failed_write_keeps_the_old_file_and_leaves_no_partial_one(tmp_path, monkeypatch):
    import autograd.files

    target = tmp_path / "steps.html"
    target.write_text("before")

    def full(descriptor):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(autograd.files.os, "fsync", full)
    with pytest.raises(OSError, match=r"cannot write .*steps\.html: No space left on device"):
        Stepper(Value(2.0, label="x") * 3).save_html(target)
    assert target.read_text() == "before" and os.listdir(tmp_path) == ["steps.html"]


def test_predict_adds_the_question_the_right_number_and_the_slips_to_each_step():
    from autograd.mistakes import same_number, step_mistakes

    *_, out = neuron()
    stepper = Stepper(out)
    plain = step_data(stepper)
    for quantity in ("contribution", "local"):
        data = step_data(stepper, predict=quantity)
        assert data["predict"] == quantity
        assert (data["rtol"], data["atol"]) == same_number.__defaults__
        for step, shown in zip(stepper.steps, data["steps"], strict=True):
            right = step.contribution if quantity == "contribution" else step.local_grad
            assert shown["expected"] == right
            assert shown["expected_text"] == number_text(right)
            names = stepper.names
            assert shown["mistakes"] == [
                [number, hint]
                for number, hint in step_mistakes(step, names, quantity)
                if not same_number(number, right)
            ]
            assert shown["mistakes"] and all(isinstance(n, float) for n, _ in shown["mistakes"])
        # Until its step is revealed, an edge hides its number.
        assert [edge["pending_formula"] for edge in data["edges"]][-1].endswith("= ?")
        # The rest is the plain data.
        assert [
            {k: v for k, v in step.items() if k in plain["steps"][0]} for step in data["steps"]
        ] == plain["steps"]
        json.dumps(data, allow_nan=False)  # JSON a browser can read
    asks = [s["ask"] for s in step_data(stepper, predict="contribution")["steps"]]
    assert asks[0] == "What does this step add to ∂L/∂add₁?"
    asks = [s["ask"] for s in step_data(stepper, predict="local")["steps"]]
    assert asks[0] == "What is the local derivative ∂tanh₁/∂add₁?"


def test_without_predict_the_steps_carry_no_hints():
    *_, out = neuron()
    data = step_data(Stepper(out))
    assert "predict" not in data and all("mistakes" not in step for step in data["steps"])
    assert all("pending_formula" not in edge for edge in data["edges"])


def test_predict_says_which_input_of_x_times_x_it_asks_about():
    x = Value(3.0, label="x")
    asks = [s["ask"] for s in step_data(Stepper(x * x), predict="local")["steps"]]
    assert asks == [
        "What is the local derivative ∂mul₁/∂x (input 1)?",
        "What is the local derivative ∂mul₁/∂x (input 2)?",
    ]


@pytest.mark.parametrize("predict", ["grad", "", True, 1, "Local"])
def test_a_bad_predict_option_is_a_clear_error_and_nothing_is_written(tmp_path, predict):
    stepper = Stepper(Value(2.0, label="x") * 3)
    stepper.next()
    message = "predict must be 'contribution' .* or None \\(no predicting\\), not "
    with pytest.raises(ValueError, match=message + re.escape(repr(predict))):
        stepper.save_html(tmp_path / "a.html", predict=predict)
    with pytest.raises(ValueError, match=message):
        step_data(stepper, predict=predict)
    assert os.listdir(tmp_path) == [] and stepper.position == 1


def test_predict_needs_the_backward_pass(tmp_path):
    stepper = Stepper(Value(2.0, label="x") * 3, mode="forward")
    with pytest.raises(ValueError, match="predict='local' needs the backward pass: a forward step"):
        stepper.save_html(tmp_path / "a.html", predict="local")
    assert os.listdir(tmp_path) == []


def test_save_html_with_predict_puts_the_hints_in_the_page(tmp_path):
    *_, out = neuron()
    path = Stepper(out).save_html(tmp_path / "p.html", predict="local")
    text = path.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="chainrule-data">(.*?)</script>', text).group(1))
    assert data["predict"] == "local" and data["steps"][0]["mistakes"]
    assert data == json.loads(
        json.dumps(step_data(Stepper(out), predict="local") | {"position": 0})
    )
