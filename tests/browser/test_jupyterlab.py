"""The widget in a real JupyterLab: run the notebook, click "next step", the kernel follows.

The test starts a Jupyter server on a free 127.0.0.1 port with a token, in a temporary folder
holding the notebook, and shuts the server and its kernel down at the end, leaving no process.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from autograd import Stepper, Value

pytest.importorskip(
    "jupyterlab", reason='JupyterLab is not installed: pip install "chainrule[browser]"'
)
pytest.importorskip(
    "anywidget", reason='anywidget is not installed: pip install "chainrule[browser]"'
)
nbformat = pytest.importorskip("nbformat")

CELLS = [
    """\
from pathlib import Path
from autograd import Value
from autograd.widgets import step_through

x, w = Value(2.0, label="x"), Value(-3.0, label="w")
out = (x * w).tanh()
widget = step_through(out, predict="local")
# The kernel's Stepper position, written each time the page moves it.
widget.observe(
    lambda change: Path("position.txt").write_text(str(widget.stepper.position)), "position"
)
widget""",
]


def same_graph() -> Stepper:
    """A Stepper on the notebook's graph, made here in the test's own process."""
    x, w = Value(2.0, label="x"), Value(-3.0, label="w")
    return Stepper((x * w).tanh())


def run_all_cells(page, prompt) -> None:
    """Run the notebook (one cell) from the keyboard, once the kernel has taken it."""
    for _ in range(3):  # a key pressed while the page is still settling can be lost
        prompt.click()  # select the cell, in command mode
        page.keyboard.press("Shift+Enter")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if prompt.text_content().strip() != "[ ]:":
                return
            time.sleep(0.2)
    raise AssertionError("JupyterLab did not run the cell")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def processes_mentioning(text: str) -> list[int]:
    """The ids of running processes whose command line contains ``text``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if text in command:
            found.append(int(entry))
    return found


def request(url: str, method: str = "GET") -> bytes:
    with urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=10) as reply:
        return reply.read()


@pytest.fixture
def jupyter(tmp_path):
    """A Jupyter server in ``tmp_path``: yields (base URL, token, folder); all stopped after."""
    folder = tmp_path / "work"
    folder.mkdir()
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, folder / "stepping.ipynb")
    port, token = free_port(), secrets.token_hex(16)
    environment = dict(os.environ)
    for name in ("CONFIG", "RUNTIME"):
        environment[f"JUPYTER_{name}_DIR"] = str(tmp_path / name.lower())
    environment["JUPYTERLAB_SETTINGS_DIR"] = str(tmp_path / "settings")
    environment["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp_path / "workspaces")
    environment["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable, "-m", "jupyterlab", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={folder}", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
        ],
        cwd=folder, env=environment, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                request(f"{base}/api/status?token={token}")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "the Jupyter server did not start:\n"
                        + (tmp_path / "server.log").read_text(errors="replace")[-3000:]
                    ) from None
                time.sleep(0.3)
        yield base, token, folder
    finally:
        try:
            if server.poll() is None:
                kernels = json.loads(request(f"{base}/api/kernels?token={token}"))
                for kernel in kernels:
                    request(f"{base}/api/kernels/{kernel['id']}?token={token}", "DELETE")
                request(f"{base}/api/shutdown?token={token}", "POST")
                server.wait(timeout=30)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                server.wait(timeout=30)
        finally:
            log.close()
        # Kernels run with a connection file in the runtime folder: none may be left.
        deadline = time.monotonic() + 20
        while processes_mentioning(str(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert processes_mentioning(str(tmp_path)) == []


def test_the_widget_steps_in_jupyterlab_and_the_kernel_follows(jupyter, browser):
    base, token, folder = jupyter
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/lab/tree/stepping.ipynb?token={token}", timeout=120_000)
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=120_000)
        page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=120_000)
        prompt = page.locator(".jp-Cell .jp-InputPrompt").first
        widget = page.locator(".chainrule-stepper")
        try:
            run_all_cells(page, prompt)
            widget.wait_for(timeout=120_000)
        except Exception:
            page.screenshot(path=folder.parent / "jupyterlab.png")  # kept with pytest's tmp
            raise
        explanation = widget.get_by_role("status")
        assert explanation.text_content() == "start: ∂L/∂L = 1 (L is tanh₁)"
        lit = """(el) => [...el.querySelectorAll('g.edge.cr-lit')]
          .map((g) => g.id.split('-').slice(1).join('-'))"""
        assert widget.evaluate(lit) == []
        widget.get_by_role("button", name="next step").click()
        assert explanation.text_content() == same_graph().next().explain(same_graph().names)
        assert widget.evaluate(lit) == ["v3-0"]
        position = folder / "position.txt"
        deadline = time.monotonic() + 30
        while not (position.exists() and position.read_text() == "1"):
            assert time.monotonic() < deadline, "the kernel's Stepper did not follow the page"
            time.sleep(0.2)
        widget.get_by_role("button", name="next step").click()
        assert widget.evaluate(lit) == ["v2-0"]
        deadline = time.monotonic() + 30
        while position.read_text() != "2":
            assert time.monotonic() < deadline, "the kernel's Stepper did not follow the page"
            time.sleep(0.2)
        # Predict mode: keys typed into the answer stay there (no notebook shortcut takes
        # them), Enter checks the answer, the step is revealed and the kernel follows.
        answer = widget.get_by_label("Step 3 of 3: What is the local derivative ∂mul₁/∂w?")
        cells = page.locator(".jp-Notebook .jp-Cell")
        before = cells.count()
        answer.click()
        page.keyboard.type("1")
        answer.press("Backspace")
        page.keyboard.type("2")
        assert answer.input_value() == "2"
        answer.press("Enter")
        assert widget.locator(".cr-feedback").text_content() == "Step 3: right, 2."
        assert widget.locator(".cr-score").text_content() == "Score: 1 of 1 right"
        deadline = time.monotonic() + 30
        while position.read_text() != "3":
            assert time.monotonic() < deadline, "the kernel's Stepper did not follow the page"
            time.sleep(0.2)
        # No notebook shortcut ran: no cell added, none made a heading ("1", "2" in command mode).
        assert cells.count() == before
        assert page.locator(".jp-Notebook .jp-MarkdownCell").count() == 0
        assert not [error for error in errors if "chainrule" in error]
    finally:
        context.close()
