"""The demo trains the four-pixel network to 100% and writes a graph, a network, a plot, a page."""

import contextlib
import html.parser
import io
import math
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

import nn
from autograd.ops import subscript
from nn.data import FOUR_PIXEL_CLASSES, four_pixel_camera
from nn.demo import EXAMPLE, SIZES, build_model, loss_graph, per_class_accuracy, run_demo

FILES = ("graph.svg", "network.svg", "loss.svg", "index.html")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """One run of the demo (without a progress bar), shared by the tests that read its output."""
    folder = tmp_path_factory.mktemp("demo") / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        result = run_demo(folder, seed=0, progress=False)
    return folder, result, printed.getvalue()


def svg_root(path: Path) -> ElementTree.Element:
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg"), root.tag
    return root


def svg_text(path: Path) -> str:
    return " ".join(text for text in svg_root(path).itertext())


def test_demo_writes_every_file(demo):
    folder, result, _ = demo
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    for name in FILES:
        key = name.split(".")[0]
        assert result[key] == folder / name
        assert result[key].stat().st_size > 0


def test_demo_reaches_full_accuracy_and_prints_it(demo):
    _, result, printed = demo
    assert result["accuracy"] == {name: (2, 2) for name in FOUR_PIXEL_CLASSES}
    images, labels = four_pixel_camera()
    assert nn.accuracy(result["model"], images, labels) == 1.0
    for name in FOUR_PIXEL_CLASSES:
        assert f"{name}" in printed
    assert "8/8  100.0%" in printed
    assert "notebooks/" in printed


def test_demo_prints_the_paths_it_wrote(demo):
    folder, _, printed = demo
    for name in FILES:
        assert str(folder / name) in printed


def test_graph_svg_shows_local_derivatives(demo):
    folder, _, _ = demo
    text = svg_text(folder / "graph.svg")
    # Every weight's edge is labelled with its local derivative: its input's value.
    assert re.search(r"∂horizontal/∂w₁ = -?[0-9.]+ ", text)  # the input, a constant
    assert "∂horizontal/∂b = 1" in text
    assert "∂log₁/∂Σ exp = 1/(Σ exp)" in text  # log's local derivative
    assert "loss" in text and "horizontal" in text
    assert "\u2212" not in text  # numbers use ASCII minus


def test_network_svg_is_the_trained_network(demo):
    folder, _, _ = demo
    root = svg_root(folder / "network.svg")
    text = " ".join(root.itertext())
    for name in (*FOUR_PIXEL_CLASSES, "top-left", "bottom-right", "receptive fields"):
        assert name in text
    # Every neuron of every layer is drawn as a 2x2 receptive-field image (rows r1 and r2).
    titles = {element.text for element in root.iter() if element.tag.endswith("title")}
    for layer, size in enumerate(SIZES, start=1):
        assert {f"L{layer}N{size}_r1", f"L{layer}N{size}_r2"} <= titles


def test_loss_svg_is_a_matplotlib_plot_of_the_history(demo):
    folder, result, _ = demo
    svg_root(folder / "loss.svg")
    assert result["history"].epochs > 0
    assert result["history"].loss[-1] < result["history"].loss[0]
    assert result["figures"]["loss"].axes[0].lines[0].get_ydata()[-1] == result["history"].loss[-1]


class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[str] = []
        self.links: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes["src"])
        elif tag == "a":
            self.links.append(attributes["href"])
        if tag not in ("img", "meta"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_index_html_shows_all_three_pictures(demo):
    folder, _, _ = demo
    source = (folder / "index.html").read_text(encoding="utf-8")
    assert source.startswith("<!DOCTYPE html>")
    page = _Page()
    page.feed(source)
    page.close()
    assert page.open == []  # every tag closed, in order
    assert sorted(page.images) == ["graph.svg", "loss.svg", "network.svg"]
    assert sorted(page.links) == ["graph.svg", "loss.svg", "network.svg"]
    text = "".join(page.text)
    assert "8/8" in text and "horizontal" in text
    # Text is escaped: a quote in the prose comes back as a quote after parsing, not as markup.
    assert '"How Deep Neural Networks Work"' in text
    assert '"How Deep' not in source
    # Pictures show at their own size, scrolling in a frame, never shrunk to fit the page.
    assert ".picture img { display: block; max-width: none; }" in source
    assert source.count('<div class="picture">') == 3


def test_the_network_picture_hides_weak_links_so_strong_ones_can_be_followed(demo):
    folder, _, _ = demo
    text = svg_text(folder / "network.svg")
    assert re.search(r"\d+ links with \|w\| < [0-9.]+ not drawn", text)


def test_loss_graph_matches_the_full_network():
    model = build_model(seed=3)
    images, labels = four_pixel_camera()
    image, label = images[EXAMPLE], labels[EXAMPLE]
    loss = loss_graph(model, image, label)
    full = nn.losses.softmax_cross_entropy([model(image)], [label])
    model.zero_grad()
    full.backward()
    neuron = model.layers[-1].neurons[label]
    copies = {v.label: v for v in loss.walk() if not v.parents and v.requires_grad}
    assert math.isclose(loss.data, full.data, rel_tol=1e-12)
    assert len(copies) == len(neuron.w) + 1 + 3  # weights, bias, the other three scores
    for i, weight in enumerate(neuron.w, start=1):
        copy = copies["w" + subscript(i)]
        assert copy.data == weight.data
        assert math.isclose(copy.grad, weight.grad, rel_tol=1e-9, abs_tol=1e-12)
    assert math.isclose(copies["b"].grad, neuron.b.grad, rel_tol=1e-9)
    # The model's own parameters are not part of the drawn graph.
    assert not set(map(id, model.parameters())) & set(map(id, loss.walk()))


def test_per_class_accuracy_counts_each_class():
    images, labels = four_pixel_camera()
    counts = per_class_accuracy(build_model(seed=0), images, labels)
    assert list(counts) == list(FOUR_PIXEL_CLASSES)
    assert all(total == 2 and 0 <= right <= 2 for right, total in counts.values())


def test_bad_out_dir_is_a_clear_error_before_training(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("keep me", encoding="utf-8")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        run_demo(a_file, progress=False)
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        run_demo(a_file / "inside", progress=False)
    assert a_file.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(TypeError, match="out_dir must be a folder path"):
        run_demo(None)
    with pytest.raises(ValueError, match="out_dir is empty"):
        run_demo("")
    with pytest.raises(TypeError, match="seed must be an int"):
        run_demo(tmp_path, seed=1.5)
    with pytest.raises(TypeError, match="progress must be True or False"):
        run_demo(tmp_path, progress="yes")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def chainrule_command() -> list[str]:
    found = shutil.which("chainrule")
    return [found] if found else [sys.executable, "-m", "nn"]


def test_chainrule_demo_command_end_to_end(tmp_path):
    out = tmp_path / "demo output"
    finished = subprocess.run(
        [*chainrule_command(), "demo", "--out", str(out), "--seed", "1"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "Accuracy per class:" in finished.stdout
    assert "8/8  100.0%" in finished.stdout
    assert "seed 1" in finished.stdout
    assert "training" in finished.stderr  # the progress bar
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)
    for name in ("graph.svg", "network.svg", "loss.svg"):
        svg_root(out / name)


def test_chainrule_demo_command_reports_a_file_as_out(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("", encoding="utf-8")
    finished = subprocess.run(
        [*chainrule_command(), "demo", "--out", str(a_file)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert finished.returncode == 1
    assert "is a file, not a folder" in finished.stderr
    assert "Traceback" not in finished.stderr
