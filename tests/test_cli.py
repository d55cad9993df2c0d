"""Tests for the chainrule command (nn.cli, with explain from autograd.cli): exit codes, errors."""

from __future__ import annotations

import io
import math
import subprocess
import sys
import types
from pathlib import Path

import pytest

from autograd import __version__
from nn.cli import main

NEURON = ["explain", "tanh(w*x + b)", "w=0.5", "x=-1", "b=0.1"]


def numbers_after(output: str, prefix: str) -> float:
    (line,) = [line for line in output.splitlines() if line.strip().startswith(prefix)]
    return float(line.rsplit("=", 1)[1])


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"chainrule {__version__}"


def test_explain_prints_forward_values_every_step_and_the_gradients(capsys):
    assert main(NEURON) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Expression: tanh(w*x + b)"
    assert "  mul₁ = w · x = 0.5 · (-1) = -0.5" in lines
    assert "  add₁ = mul₁ + b = (-0.5) + 0.1 = -0.4" in lines
    assert "  L = tanh₁ = tanh(add₁) = tanh(-0.4) = -0.3799" in lines
    assert "Backward pass (chain rule, 5 steps):" in lines
    steps = [line for line in lines if line[:4].strip().rstrip(".").isdigit()]
    assert [line.split(".")[0].strip() for line in steps] == ["1", "2", "3", "4", "5"]
    assert steps[3] == "  4. ∂L/∂w += ∂mul₁/∂w · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (-1)(0.8556) = -0.8556"
    local = 1 - math.tanh(-0.4) ** 2
    assert numbers_after(out, "∂L/∂w =") == pytest.approx(-local, abs=5e-5)
    assert numbers_after(out, "∂L/∂x =") == pytest.approx(0.5 * local, abs=5e-5)
    assert numbers_after(out, "∂L/∂b =") == pytest.approx(local, abs=5e-5)
    assert lines[-4:] == ["Gradients:", "  ∂L/∂w = -0.8556", "  ∂L/∂x = 0.4278", "  ∂L/∂b = 0.8556"]


def test_explain_a_shared_variable_accumulates(capsys):
    assert main(["explain", "x*x + 3*x", "x=2"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "  ∂L/∂x = 7"


def test_ascii_is_forced_by_the_flag(capsys):
    assert main([*NEURON, "--ascii"]) == 0
    out = capsys.readouterr().out
    assert out.isascii()
    assert "  4. dL/dw += dmul1/dw * dL/dmul1 = x * dL/dmul1 = (-1)(0.8556) = -0.8556" in out
    assert "  dL/dw = -0.8556" in out


def test_ascii_is_used_when_the_terminal_cannot_show_the_symbols(monkeypatch):
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stdout", terminal)
    assert main(NEURON) == 0
    terminal.flush()
    out = raw.getvalue().decode("ascii")
    assert "dL/dw = -0.8556" in out
    assert "L = tanh1 = tanh(add1) = tanh(-0.4) = -0.3799" in out


def test_step_waits_for_enter_and_q_quits(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\nq\n"))
    assert main([*NEURON, "--step"]) == 0
    out = capsys.readouterr().out
    assert out.count("[Enter: next step, q: quit]") == 3
    assert "  3. ∂L/∂b" in out and "  4. " not in out
    assert out.rstrip().endswith("Stopped.")
    assert "Gradients:" not in out


def test_step_runs_to_the_end_with_enter_and_at_the_end_of_input(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    assert main([*NEURON, "--step"]) == 0
    out = capsys.readouterr().out
    assert "  5. ∂L/∂x" in out and "Gradients:" in out
    assert out.count("[Enter: next step, q: quit]") == 2


def test_interrupting_a_step_exits_quietly(monkeypatch, capsys):
    class Interrupted:
        def readline(self):
            raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdin", Interrupted())
    assert main([*NEURON, "--step"]) == 130
    assert "Traceback" not in capsys.readouterr().err


def test_svg_writes_the_final_graph(tmp_path, capsys):
    pytest.importorskip("autograd.drawing")
    target = tmp_path / "graph.svg"
    assert main(["explain", "a*b", "a=2", "b=-3", "--draw", str(target)]) == 0
    assert f"Wrote {target}" in capsys.readouterr().out
    svg = target.read_text(encoding="utf-8")
    assert "<svg" in svg and "grad -3" in svg and "grad 2" in svg


def test_nudge_adds_the_finite_difference_to_every_step_and_edge(tmp_path, capsys):
    target = tmp_path / "graph.dot"
    assert main(["explain", "a*b", "a=2", "b=-3", "--nudge", "--svg", str(target)]) == 0
    out = capsys.readouterr().out
    assert "= (-3)(1) = -3   (nudge a by ±2e-05: Δmul₁/Δa ≈ -3)" in out
    assert "(nudge b by ±3e-05: Δmul₁/Δb ≈ 2)" in out
    assert target.read_text(encoding="utf-8").count("nudged ±") == 2
    assert main(["explain", "a*b", "a=2", "b=-3"]) == 0
    assert "nudge" not in capsys.readouterr().out


def test_svg_into_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    pytest.importorskip("autograd.drawing")
    target = tmp_path / "missing" / "graph.dot"
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: ") and str(target) in err


def test_svg_with_a_file_type_it_cannot_write_is_a_usage_error(tmp_path, capsys):
    pytest.importorskip("autograd.drawing")
    target = tmp_path / "graph.txt"
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "must end in .svg, .dot, .png" in captured.err
    assert not target.exists()


def test_svg_that_cannot_be_rendered_is_a_clear_error(monkeypatch, tmp_path, capsys):
    drawing = pytest.importorskip("autograd.drawing")
    from autograd.render import RenderError

    class Unrenderable:
        def save(self, path):
            raise RenderError("no renderer could draw this graph")

    monkeypatch.setattr(drawing, "draw", lambda root, **options: Unrenderable())
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", str(tmp_path / "g.svg")]) == 1
    err = capsys.readouterr().err
    assert "cannot write" in err and "no renderer could draw this graph" in err
    assert err.startswith("chainrule: error: ") and err.count("\n") == 1


def test_svg_of_a_graph_over_max_nodes_is_a_usage_error_before_any_output(tmp_path, capsys):
    target = tmp_path / "big.svg"
    expression = "+".join(["x"] * 600)
    assert main(["explain", expression, "x=1", "--svg", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not target.exists()
    assert captured.err.startswith("chainrule: error: explain: --draw ")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert "600 values, more than --max-nodes 500" in captured.err
    assert "--max-nodes 600" in captured.err


def test_max_nodes_is_passed_to_draw(monkeypatch, tmp_path, capsys):
    drawing = pytest.importorskip("autograd.drawing")
    calls = []

    class Saved:
        def save(self, path):
            calls.append(path)

    def draw(root, **options):
        calls.append(options)
        return Saved()

    monkeypatch.setattr(drawing, "draw", draw)
    target = str(tmp_path / "g.svg")
    assert main(["explain", "a*b + a", "a=2", "b=-3", "--svg", target, "--max-nodes", "3"]) == 2
    assert "4 values, more than --max-nodes 3" in capsys.readouterr().err and calls == []
    assert main(["explain", "a*b + a", "a=2", "b=-3", "--svg", target, "--max-nodes", "4"]) == 0
    assert calls == [{"max_nodes": 4, "nudge": False}, target]
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", target]) == 0
    assert calls[-2] == {"max_nodes": 500, "nudge": False}


def test_a_value_error_from_draw_is_one_line_exit_2(monkeypatch, tmp_path, capsys):
    drawing = pytest.importorskip("autograd.drawing")

    def draw(root, **options):
        raise ValueError("this graph has 9 values, more than max_nodes=3")

    monkeypatch.setattr(drawing, "draw", draw)
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", str(tmp_path / "g.svg")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: explain: --draw ") and err.count("\n") == 1


@pytest.mark.parametrize("value", ["0", "-5", "many", "1.5"])
def test_max_nodes_must_be_a_positive_whole_number(value, capsys):
    assert main(["explain", "x", "x=1", "--max-nodes", value]) == 2
    err = capsys.readouterr().err
    assert "argument --max-nodes" in err and "Traceback" not in err


def test_an_overflow_is_one_line_exit_1(capsys):
    for arguments in (["x ** 2", "x=1e200"], ["x ** y", "x=1e200", "y=2"]):
        assert main(["explain", *arguments, "--svg", "never-written.svg"]) == 1
        err = capsys.readouterr().err
        assert err.startswith("chainrule: error: explain: pow") and err.count("\n") == 1
        assert "overflows" in err
    assert not Path("never-written.svg").exists()


def test_a_reader_that_goes_away_stops_the_output_quietly(monkeypatch, capsys):
    class ClosedPipe(io.StringIO):
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(NEURON) == 141
    assert capsys.readouterr().err == ""


def test_a_variable_called_L_does_not_clash_with_the_loss(capsys):
    assert main(["explain", "L*x", "L=2", "x=3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  out = mul₁ = L · x = 2 · 3 = 6" in lines
    assert "  1. ∂out/∂L += ∂mul₁/∂L · ∂out/∂mul₁ = x · ∂out/∂mul₁ = (3)(1) = 3" in lines
    assert lines[-3:] == ["Gradients:", "  ∂out/∂L = 3", "  ∂out/∂x = 2"]


def test_the_first_step_is_not_circular(capsys):
    assert main(["explain", "x*x", "x=3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  L = mul₁ = x · x = 3 · 3 = 9" in lines
    assert "  1. ∂L/∂x += ∂mul₁/∂x · ∂L/∂mul₁ = x · ∂L/∂mul₁ = (3)(1) = 3" in lines
    assert not any("∂L/∂L" in line for line in lines)


UNSAFE = [
    ("__import__('os').system('x')", "attribute access"),
    ("x.real", "attribute access"),
    ("x[0]", "a subscript"),
    ("(lambda: 1)()", "a lambda"),
    ("lambda: x", "a lambda"),
    ("[y for y in x]", "a comprehension"),
    ("open(x)", "unknown function 'open'"),
    ("exp(x=1)", "keyword"),
    ("'x' * 3", "a string"),
    ("x +", "cannot read"),
]


@pytest.mark.parametrize(("expression", "message"), UNSAFE)
def test_unsafe_or_unsupported_syntax_exits_2_with_one_line(expression, message, capsys):
    assert main(["explain", expression, "x=1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("chainrule: error: explain: ")
    assert message in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["x + y", "x=1"], "the variable 'y' has no value: give it one, e.g. y=1.0"),
        (["x", "x"], "'x' is not NAME=VALUE"),
        (["x", "=1"], "'=1' is not NAME=VALUE"),
        (["x", "1x=2"], "'1x=2' is not NAME=VALUE"),
        (["x", "x=abc"], "the value in 'x=abc' is not a number; write it as x=0.5"),
        (["x", "x=nan"], "the value in 'x=nan' must be finite"),
        (["x", "x=1", "x=2"], "'x' is given twice"),
        (["x", "x=1", "w=2"], "'w' not in the expression 'x'; its variables are x"),
        (["exp(x)", "x=1", "exp=2"], "'exp' is a function name and cannot be a variable"),
    ],
)
def test_bad_variables_exit_2_naming_the_problem(arguments, message, capsys):
    assert main(["explain", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_domain_error_exits_1_with_the_engines_message(capsys):
    assert main(["explain", "log(x)", "x=0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: explain: log: the input must be > 0, got a = 0.0")
    assert "Traceback" not in err
    assert main(["explain", "exp(x) * exp(x)", "x=400"]) == 1
    assert "overflow" in capsys.readouterr().err


def test_errors_on_an_ascii_terminal_are_written_in_ascii(monkeypatch):
    raw = io.BytesIO()
    terminal = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["explain", "sqrt(x)", "x=0"]) == 1
    terminal.flush()
    text = raw.getvalue().decode("ascii")
    assert "local derivative of 'sqrt1' (sqrt) towards 'x' is infinite at x = 0.0" in text
    assert "dsqrt1/dx = 1/(2*sqrt(x))" in text


def test_an_expression_starting_with_a_minus_sign(capsys):
    assert main(["explain", " -x * 2", "x=3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  ∂L/∂x = -2"
    assert main(["explain", "--", "-x", "x=3"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  ∂L/∂x = -1"


def test_an_expression_without_variables(capsys):
    assert main(["explain", "2 * 3"]) == 0
    out = capsys.readouterr().out
    assert "(chain rule, 0 steps)" in out and "(no variables: nothing to differentiate)" in out


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert "explain" in capsys.readouterr().out
    assert main(["explain"]) == 2
    assert "the following arguments are required: EXPR" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main(["--help"]) == 0
    assert "exit status: 0 done; 1" in capsys.readouterr().out


def test_demo_runs_nn_demo_with_the_options(monkeypatch, tmp_path, capsys):
    calls = []
    fake = types.ModuleType("nn.demo")
    fake.output_folder = Path
    fake.run_demo = lambda out_dir, seed, progress=True: calls.append((out_dir, seed, progress))
    monkeypatch.setitem(sys.modules, "nn.demo", fake)
    assert main(["demo", "--out", str(tmp_path / "d"), "--seed", "7"]) == 0
    assert calls == [(tmp_path / "d", 7, True)]
    assert str(tmp_path / "d") in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    assert main(["demo"]) == 0
    assert calls[-1] == (Path("chainrule-demo"), 0, True)
    assert main(["demo", "--seed", "x"]) == 2


def test_demo_with_an_empty_out_is_refused_like_run_demo(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--out", ""]) == 2
    err = capsys.readouterr().err
    assert err.startswith("chainrule: error: demo: --out '': out_dir is empty; give a folder")
    assert list(tmp_path.iterdir()) == []  # nothing written into the current folder


def test_demo_that_cannot_write_is_a_clear_error(monkeypatch, capsys):
    def run_demo(out_dir, seed, progress=True):
        raise PermissionError(13, "Permission denied", str(out_dir))

    fake = types.ModuleType("nn.demo")
    fake.output_folder = Path
    fake.run_demo = run_demo
    monkeypatch.setitem(sys.modules, "nn.demo", fake)
    assert main(["demo", "--out", "/nowhere"]) == 1
    assert "cannot write to '/nowhere'" in capsys.readouterr().err


def test_python_dash_m_nn_runs_the_command():
    explain = subprocess.run(
        [sys.executable, "-m", "nn", "explain", "x*y", "x=2", "y=3", "--ascii"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert explain.returncode == 0, explain.stderr
    assert explain.stdout.splitlines()[-2:] == ["  dL/dx = 3", "  dL/dy = 2"]
    refused = subprocess.run(
        [sys.executable, "-m", "nn", "explain", "__import__('os').system('echo hi')"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stdout == "" and "Traceback" not in refused.stderr
    assert refused.stderr.count("\n") == 1


def test_draw_writes_what_the_file_name_says_and_svg_is_its_old_name(tmp_path, capsys):
    png, svg = tmp_path / "graph.png", tmp_path / "graph.svg"
    assert main(["explain", "a*b", "a=2", "b=-3", "--draw", str(png)]) == 0
    assert png.read_bytes()[1:4] == b"PNG"  # with pip-installed software only
    assert main(["explain", "a*b", "a=2", "b=-3", "--svg", str(svg)]) == 0
    assert "<svg" in svg.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["explain", "a*b", "a=2", "b=-3", "--draw", str(tmp_path / "g.gif")]) == 2
    assert "explain: --draw" in capsys.readouterr().err


def test_an_expression_of_numbers_only_shows_its_value(capsys):
    assert main(["explain", "2*3"]) == 0
    out = capsys.readouterr().out
    assert "Forward pass:\n  L = 6\n" in out and "nothing to differentiate" in out
