"""Drawing and draw(): rendering, saving by suffix, notebook display, hostile labels."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ElementTree

import pytest

from autograd import Drawing, RenderError, Value, draw, drawing
from autograd.raster import svg_to_png
from tests.autograd.test_render import (
    FAKE_SVG,
    SVG,
    hide_system_dot,
    make_fake_dot,
    needs_posix,
    svg_texts,
)


@pytest.fixture
def no_system_dot(tmp_path, monkeypatch):
    hide_system_dot(tmp_path, monkeypatch)


def acceptance_graph() -> Value:
    a, b, c = Value(2.0, label="a"), Value(-0.5, label="b"), Value(0.3, label="c")
    out = (a * b + c).tanh()
    out.backward()
    return out


def edge_numbers(svg: str) -> list[str]:
    """The number ending each edge's label in the SVG (the text after its last '= ')."""
    numbers = []
    for group in ElementTree.fromstring(svg).iter(f"{SVG}g"):
        if group.get("class") == "edge":
            for text in group.iter(f"{SVG}text"):
                numbers.append(text.text.rsplit("= ", 1)[1])
    return numbers


def test_acceptance_saved_svg_edges_carry_the_local_derivatives(tmp_path, no_system_dot):
    path = draw(acceptance_graph()).save(tmp_path / "g.svg")
    svg = path.read_text(encoding="utf-8")
    assert sorted(edge_numbers(svg)) == sorted(["-0.5", "2", "1", "1", "0.6347"])
    assert "∂tanh₁/∂add₁ = 1 - tanh₁² = 0.6347" in svg_texts(svg)


def test_svg_is_rendered_once_and_kept(monkeypatch):
    calls = []

    def fake_render(source, *, renderer, timeout):
        calls.append((renderer, timeout))
        return "<svg/>"

    monkeypatch.setattr(drawing, "render_svg", fake_render)
    picture = draw(acceptance_graph(), timeout=5.0, renderer="wasm")
    assert picture.svg() == "<svg/>" and picture.svg() == "<svg/>"
    assert picture._repr_svg_() == "<svg/>"
    assert calls == [("wasm", 5.0)]


def test_drawing_takes_any_dot_text():
    picture = Drawing('digraph { a [label="-2"] }', renderer="wasm")
    assert picture.source == 'digraph { a [label="-2"] }'
    assert "-2" in svg_texts(picture.svg())
    assert "lines of DOT" in repr(picture)
    with pytest.raises(AttributeError):
        picture.source = "digraph { b }"
    with pytest.raises(TypeError, match=r"Drawing needs DOT text \(a str\), not Value"):
        Drawing(Value(1.0))
    with pytest.raises(ValueError, match="renderer must be one of"):
        Drawing("digraph { a }", renderer="svg")


def test_draw_checks_renderer_and_timeout_up_front():
    with pytest.raises(ValueError, match="renderer must be one of"):
        draw(acceptance_graph(), renderer="png")
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        draw(acceptance_graph(), timeout=-1)


def test_save_dot_and_svg(tmp_path):
    picture = draw(acceptance_graph(), renderer="wasm")
    dot_path = picture.save(str(tmp_path / "graph.dot"))
    assert dot_path.read_text(encoding="utf-8") == picture.source
    svg_path = picture.save(tmp_path / "graph.SVG")
    assert svg_path.read_text(encoding="utf-8") == picture.svg()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.SVG", "graph.dot"]


def test_save_png_without_system_dot_draws_it_with_pip_alone(tmp_path, no_system_dot):
    target = tmp_path / "graph.png"
    target.write_bytes(b"old picture")
    picture = draw(acceptance_graph())
    picture.save(target)
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, _ = png_size(data)
    svg_width = float(re.search(r'<svg width="([0-9.]+)pt"', picture.svg())[1])
    assert abs(width - 2 * svg_width * 4 / 3) <= 2  # twice the SVG's size, in pixels
    assert png_size(picture.png(scale=1.0))[0] == pytest.approx(width / 2, abs=1)
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["graph.png"]


def test_png_text_shows_with_only_the_fonts_pip_installed(no_system_dot):
    np = pytest.importorskip("numpy")
    from matplotlib.image import imread

    def dark_pixels(svg: str) -> int:
        image = imread(io.BytesIO(svg_to_png(svg, scale=2)))
        opaque_and_dark = (image[..., 3] > 0.5) & (image[..., :3].mean(axis=2) < 0.5)
        return int(opaque_and_dark.sum())

    page = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="30">{}</svg>'
    blank = dark_pixels(page.format(""))
    text = dark_pixels(
        page.format('<text x="4" y="20" font-family="Helvetica" font-size="14">∂L/∂w = 2</text>')
    )
    assert blank == 0 and text > 150, text
    assert np is not None


@needs_posix
def test_save_png_with_system_dot(tmp_path, monkeypatch):
    bin_folder = tmp_path / "bin"
    bin_folder.mkdir()
    make_fake_dot(bin_folder, FAKE_SVG)
    monkeypatch.setenv("PATH", str(bin_folder))
    path = draw(acceptance_graph()).save(tmp_path / "graph.png")
    data = path.read_bytes()  # laid out by the system's dot, drawn by resvg
    assert data[1:4] == b"PNG" and abs(int.from_bytes(data[16:20], "big") - 2 * 80 * 4 / 3) < 2


def test_save_refuses_unknown_suffixes_and_missing_folders(tmp_path):
    picture = draw(acceptance_graph())
    with pytest.raises(ValueError, match=r"cannot save a drawing as '.pdf'.*\.svg, \.dot, \.png"):
        picture.save(tmp_path / "graph.pdf")
    with pytest.raises(ValueError, match="a file without a suffix"):
        picture.save(tmp_path / "graph")
    with pytest.raises(FileNotFoundError, match=r"the folder .*missing does not exist"):
        picture.save(tmp_path / "missing" / "graph.dot")
    assert list(tmp_path.iterdir()) == []


def test_failed_render_leaves_an_existing_file_alone(tmp_path, monkeypatch):
    def failing(*args, **kwargs):
        raise RenderError("the wasm renderer crashed")

    monkeypatch.setattr(drawing, "render_svg", failing)
    target = tmp_path / "graph.svg"
    target.write_text("<svg>old</svg>")
    with pytest.raises(RenderError, match="crashed"):
        draw(acceptance_graph()).save(target)
    assert target.read_text() == "<svg>old</svg>"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.svg"]


def test_notebook_display_shows_the_svg():
    from IPython.core.formatters import DisplayFormatter

    data, _ = DisplayFormatter().format(draw(acceptance_graph(), renderer="wasm"))
    assert "∂mul₁/∂a = b = -0.5" in svg_texts(data["image/svg+xml"])
    assert "Drawing" in data["text/plain"]


def test_notebook_display_of_a_failed_render_is_text_not_a_traceback(monkeypatch, capsys):
    from IPython.core.formatters import DisplayFormatter

    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise RenderError("the wasm renderer did not finish within timeout=0.1 s; max_nodes=")

    monkeypatch.setattr(drawing, "render_svg", failing)
    picture = draw(acceptance_graph())
    data, _ = DisplayFormatter().format(picture)
    assert list(data) == ["text/plain"]
    assert data["text/plain"].startswith("The drawing could not be rendered: the wasm renderer")
    assert "Traceback" not in capsys.readouterr().err
    assert calls == [1]  # the display hooks do not render again after a failure
    assert picture._repr_mimebundle_() == {"text/plain": data["text/plain"]}
    with pytest.raises(RenderError):  # asking explicitly tries again and raises
        picture.svg()


HOSTILE = [
    "<b>bold</b>",
    "a & b &amp; c",
    'say "hi"',
    "{x | y}",
    "back\\slash \\N \\l \\G",
    "two\nlines",
    "<<TABLE>>",
    "}; digraph evil { x",
]


@pytest.mark.parametrize("label", HOSTILE)
def test_hostile_labels_render_as_plain_text(label):
    x = Value(1.5, label=label)
    y = x * 2
    y.label = label
    y.backward()
    picture = draw(y, renderer="wasm")
    texts = svg_texts(picture.svg())  # parsing also proves the SVG is well-formed
    lines = label.split("\n")
    assert all(line in texts for line in lines), texts  # x's name
    joined = "\n".join(texts)
    assert f"{lines[-1]} = ({lines[0]}" in joined and ") · 2" in joined  # y's name and op
    assert texts.count("data 1.5") == 1 and f"∂{lines[0]}" in joined


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
