"""The benchmark harness runs end to end in --quick mode and writes well-formed results."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / "benchmarks" / "run.py"


def finite_positive(x: object) -> bool:
    return isinstance(x, float) and math.isfinite(x) and x > 0


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str, str]:
    out = tmp_path_factory.mktemp("bench") / "results.json"
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    markdown = out.with_name("RESULTS.md").read_text(encoding="utf-8")
    return json.loads(out.read_text(encoding="utf-8")), markdown, done.stdout


def test_meta_records_how_the_run_was_made(quick_run: tuple[dict, str, str]) -> None:
    results, _, _ = quick_run
    meta = results["meta"]
    assert meta["quick"] is True and meta["rounds"] == 1
    assert meta["command"].startswith("python benchmarks/run.py --quick")
    assert meta["versions"]["chainrule"]


def test_demo_step_has_a_time_for_every_engine_and_mode(quick_run: tuple[dict, str, str]) -> None:
    results, _, _ = quick_run
    demo = results["demo_step"]
    assert "chainrule_bare" in demo["engines"]
    for row in demo["engines"].values():
        assert finite_positive(row["ms_gc_on"]) and finite_positive(row["ms_gc_off"])
    # A fast engine's sample times enough consecutive steps to fill the least sample time.
    counts, least = demo["steps_per_sample"], demo["steps_per_round"]
    assert set(counts) == set(demo["engines"]) and min(counts.values()) >= least
    compiled = counts["chainrule_compiled"]
    assert compiled > counts["chainrule_bare"] or compiled == least
    if "micrograd" in demo["engines"]:
        # Same weights, same operations in the same order: the same loss as micrograd's.
        assert demo["bare_matches_micrograd"] is True
        assert demo["engines"]["micrograd"]["x_micrograd_gc_on"] == 1.0
        assert finite_positive(demo["engines"]["chainrule_bare"]["x_micrograd_gc_off"])


def test_bytes_per_node_count_the_same_graph_for_each_engine(
    quick_run: tuple[dict, str, str],
) -> None:
    results, _, _ = quick_run
    engines = results["bytes_per_node"]["engines"]
    counts = {(row["chain_nodes"], row["demo_nodes"]) for row in engines.values()}
    assert len(counts) == 1
    assert next(iter(counts))[0] == 2001
    for row in engines.values():
        assert finite_positive(row["chain_bytes_per_node"])
        assert finite_positive(row["demo_bytes_per_node"])


def test_backward_rows_cover_every_shape_and_size(quick_run: tuple[dict, str, str]) -> None:
    results, _, _ = quick_run
    rows = results["backward"]["rows"]
    chainrule = [row for row in rows if row["engine"] == "chainrule"]
    assert {(row["shape"], row["nodes"]) for row in chainrule} == {
        ("chain", 100),
        ("chain", 1000),
        ("wide", 99),
        ("wide", 999),
    }
    for row in chainrule:
        assert finite_positive(row["ns_per_node_gc_on"])
    for row in rows:
        if row["engine"] == "micrograd" and row["shape"] == "chain" and row["nodes"] >= 1000:
            assert row["error"].startswith("RecursionError")


def test_markdown_and_targets_are_written(quick_run: tuple[dict, str, str]) -> None:
    results, markdown, stdout = quick_run
    assert markdown.startswith("# Benchmark results")
    assert "## 1. micrograd's demo step" in markdown and "## Targets" in markdown
    assert "\u2212" not in markdown
    assert markdown in stdout
    assert {check["met"] for check in results["targets"]} <= {True, False, None}
    assert any("--quick" in note for note in results["notes"])


def test_rounds_must_be_positive(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--rounds", "0", "--out", str(tmp_path / "r.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--rounds must be at least 1, got 0" in done.stderr


@pytest.fixture
def importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the benchmarks package importable, as run.py does for itself."""
    monkeypatch.syspath_prepend(str(ROOT))


def test_a_missing_optional_engine_is_skipped_with_the_install_command(
    importable: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "micrograd", None)  # makes `import micrograd` fail
    from benchmarks.common import optional

    notes: list[str] = []
    assert optional("micrograd", notes) is None
    assert notes == [
        "micrograd is not installed, so its columns are skipped: pip install micrograd==0.1.0"
    ]


def test_a_quick_run_never_replaces_the_recorded_results(importable: None) -> None:
    from benchmarks.run import _parse

    assert _parse([]).out == ROOT / "benchmarks" / "results.json"
    quick = _parse(["--quick"]).out
    assert quick.parent.name == "chainrule-benchmarks"
    assert ROOT not in quick.parents
    assert _parse(["--quick", "--out", "x.json"]).out == Path("x.json")
