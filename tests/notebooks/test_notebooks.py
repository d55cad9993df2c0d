"""Every notebook runs top to bottom in a fresh kernel, and its committed outputs are clean."""

import re
import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "notebooks"
NAMES = (
    "01-value-and-the-chain-rule.ipynb",
    "02-four-pixel-camera.ipynb",
    "03-step-through-backprop.ipynb",
    "04-training-on-moons.ipynb",
    "05-check-yourself.ipynb",
)
# The exercise of this notebook is to write a tiny engine, so it may define one.
WRITES_AN_ENGINE = {"05-check-yourself.ipynb"}
CELL_TIMEOUT = 120  # seconds; a cell takes a few at most, so this only catches a hang
# Engine code belongs in the package: a notebook that defines these is re-implementing it.
ENGINE_DEFINITIONS = re.compile(
    r"^\s*(class\s+(Value|Neuron|Layer|MLP|Module)\b|def\s+(backward|_backward|"
    r"topological_order|zero_grad)\b)",
    re.MULTILINE,
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
# What tqdm bars and %time leave behind: rates, a percentage with a bar, wall times.
PROGRESS_OR_TIMING = re.compile(
    r"\d+(\.\d+)?\s*(it|epoch)/s|\d+%\|[\u2588-\u258f ]*\||Wall time|CPU times"
)


def read(name: str):
    return nbformat.read(FOLDER / name, as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_the_notebooks_are_all_there():
    assert sorted(path.name for path in FOLDER.glob("*.ipynb")) == list(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_valid_and_uses_the_package(name):
    notebook = read(name)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    sources = "\n".join(cell.source for cell in code_cells(notebook))
    assert re.search(r"^(import|from) (autograd|nn)\b", sources, re.MULTILINE)
    if name not in WRITES_AN_ENGINE:
        assert not ENGINE_DEFINITIONS.search(sources)
    else:
        assert "compare_engine(" in sources  # an engine written here is checked here


@pytest.mark.parametrize("name", NAMES)
def test_committed_outputs_are_complete_small_and_stable(name):
    path = FOLDER / name
    assert path.stat().st_size < 1_000_000
    notebook = read(name)
    counts = []
    for cell in code_cells(notebook):
        assert cell.execution_count is not None, f"a cell was not run: {cell.source[:60]!r}"
        counts.append(cell.execution_count)
        for output in cell.outputs:
            assert output.output_type != "error", output.get("evalue")
            if output.output_type == "stream":
                assert output.name == "stdout", f"stderr in committed output: {output.text[:200]}"
                assert not PROGRESS_OR_TIMING.search(output.text), output.text[:200]
    assert counts == list(range(1, len(counts) + 1)), "run the notebook top to bottom once"


@pytest.mark.parametrize("name", NAMES)
def test_committed_widgets_can_be_shown_without_a_kernel(name):
    notebook = read(name)
    saved = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    shown = [
        output.data[WIDGET_VIEW]["model_id"]
        for cell in code_cells(notebook)
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    assert all(model_id in saved for model_id in shown)


def output_kinds(notebook) -> list[list[tuple[str, ...]]]:
    """Per code cell, the kind of each output: its type and, for rich outputs, its formats.

    Consecutive pieces of one stream count as one output (how printing is split into messages
    depends on timing).
    """
    kinds = []
    for cell in code_cells(notebook):
        row: list[tuple[str, ...]] = []
        for output in cell.outputs:
            if output.output_type == "stream":
                kind = ("stream", output.name)
                if row and row[-1] == kind:
                    continue
            else:
                kind = (output.output_type, *sorted(output.get("data", {})))
            row.append(kind)
        kinds.append(row)
    return kinds


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_in_a_fresh_kernel(name, tmp_path):
    # Run a copy in its own folder, so the committed file is never rewritten and runs in
    # parallel cannot meet.
    copy = tmp_path / name
    shutil.copyfile(FOLDER / name, copy)
    notebook = nbformat.read(copy, as_version=4)
    committed = output_kinds(notebook)
    for cell in code_cells(notebook):
        cell.outputs = []
        cell.execution_count = None
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    for cell in code_cells(notebook):
        assert all(output.output_type != "error" for output in cell.outputs)
    # The committed outputs are those the current code gives (no stale cells).
    assert output_kinds(notebook) == committed
