"""Tests for ``chainrule explain ... --html FILE``: one offline page that steps through the pass."""

from __future__ import annotations

import json
import os
import re

from nn.cli import main

NEURON = ["explain", "tanh(w*x + b)", "w=0.5", "x=-1", "b=0.1"]


def page_data(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="chainrule-data">(.*?)</script>', text).group(1))


def test_html_writes_a_page_of_every_step_from_the_start(tmp_path, capsys):
    target = tmp_path / "neuron.html"
    assert main([*NEURON, "--html", str(target)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith(f"Wrote {target}")
    data = page_data(target)
    assert data["position"] == 0 and data["mode"] == "backward"
    # The page says what the command printed, step by step.
    printed = [line.split(". ", 1)[1] for line in out.splitlines() if re.match(r"\s+\d\. ", line)]
    assert [step["explain"] for step in data["steps"]] == printed
    assert "<title>chainrule explain tanh(w*x + b)</title>" in target.read_text()
    assert data["start"] == "start: ∂L/∂L = 1 (L is tanh₁)"


def test_html_with_another_suffix_is_a_usage_error_before_any_output(tmp_path, capsys):
    target = tmp_path / "neuron.txt"
    assert main([*NEURON, "--html", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not target.exists()
    assert captured.err == (
        f"chainrule: error: explain: --html {str(target)!r}: the file name must end in .html "
        "(or .htm)\n"
    )


def test_html_into_a_missing_folder_is_one_line_exit_1_and_writes_nothing(tmp_path, capsys):
    target = tmp_path / "missing" / "neuron.html"
    assert main([*NEURON, "--html", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: explain: cannot write ") and err.count("\n") == 1
    assert "does not exist; create it first" in err and not target.parent.exists()


def test_html_onto_a_folder_is_one_line_exit_1(tmp_path, capsys):
    target = tmp_path / "page.html"
    target.mkdir()
    assert main([*NEURON, "--html", str(target)]) == 1
    err = capsys.readouterr().err
    assert "it is a folder" in err and os.listdir(target) == []


def test_html_of_a_graph_over_max_nodes_is_a_usage_error_before_any_output(tmp_path, capsys):
    target = tmp_path / "big.html"
    assert main(["explain", "+".join(["x"] * 600), "x=1", "--html", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not target.exists()
    assert captured.err.startswith("chainrule: error: explain: --html ")
    assert "600 values, more than --max-nodes 500" in captured.err
    assert "or leave out --html" in captured.err


def test_predict_writes_a_page_that_asks_for_each_number(tmp_path, capsys):
    for quantity in ("contribution", "local"):
        target = tmp_path / f"{quantity}.html"
        assert main([*NEURON, "--html", str(target), "--predict", quantity]) == 0
        data = page_data(target)
        assert data["predict"] == quantity and data["position"] == 0
        assert all(step["mistakes"] for step in data["steps"])
    assert "predict" not in page_data(_plain_page(tmp_path))


def _plain_page(tmp_path):
    target = tmp_path / "plain.html"
    assert main([*NEURON, "--html", str(target)]) == 0
    return target


def test_predict_without_html_or_with_another_quantity_is_a_usage_error(tmp_path, capsys):
    assert main([*NEURON, "--predict", "local"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "chainrule: error: explain: --predict local needs --html FILE: the page is where each "
        "step is predicted\n"
    )
    target = tmp_path / "p.html"
    assert main([*NEURON, "--html", str(target), "--predict", "grad"]) == 2
    assert not target.exists()
    assert "invalid choice: 'grad' (choose from 'contribution', 'local')" in capsys.readouterr().err
