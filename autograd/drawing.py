"""Drawing, a picture made from DOT text, and draw(), which makes one of a computation graph.

>>> from autograd import Value
>>> a, b, c = Value(2.0, label="a"), Value(-0.5, label="b"), Value(0.3, label="c")
>>> out = (a * b + c).tanh()
>>> out.backward()
>>> picture = draw(out)
>>> [text in picture.source for text in ("= -0.5", "= 2", "∂add₁/∂c = 1", "= 0.6347")]
[True, True, True, True]
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from autograd.collapse import collapsed_source
from autograd.dot import graph_source
from autograd.files import write_atomically
from autograd.render import RenderError, check_options, render_svg

if TYPE_CHECKING:
    from autograd.value import Value

__all__ = ["SAVE_SUFFIXES", "Drawing", "draw"]

SAVE_SUFFIXES = (".svg", ".dot", ".png")


class Drawing:
    """A graph picture: DOT text, rendered to SVG on first use and kept.

    It shows itself in Jupyter, VS Code and Colab when it is a cell's last value; if it cannot
    be rendered there, the reason is shown as text instead of a traceback.

    ``source`` is the DOT text; ``svg()`` renders it (with ``renderer`` and ``timeout``, see
    :func:`autograd.render.render_svg`); ``save(path)`` writes ``.svg``, ``.dot`` or ``.png``.

    >>> picture = Drawing('digraph { a -> b }')
    >>> picture.source
    'digraph { a -> b }'
    >>> picture.save("graph.txt")
    Traceback (most recent call last):
    ...
    ValueError: cannot save a drawing as '.txt' (graph.txt); supported suffixes: ...
    """

    def __init__(self, source: str, *, timeout: float | None = 30.0, renderer: str = "auto"):
        if not isinstance(source, str):
            raise TypeError(f"Drawing needs DOT text (a str), not {type(source).__name__}")
        check_options(renderer, timeout)
        self._source = source
        self.timeout = timeout
        self.renderer = renderer
        self._svg: str | None = None
        self._display_error: str | None = None

    @property
    def source(self) -> str:
        """The DOT text of the picture (read-only: the rendered SVG is kept for it)."""
        return self._source

    def __repr__(self) -> str:
        lines = self._source.count("\n") + 1
        return (
            f"<Drawing: {lines} lines of DOT; .svg() renders it, .save('graph.svg') writes it, "
            "and a notebook shows it>"
        )

    def svg(self) -> str:
        """The picture as SVG text, rendered the first time and kept.

        >>> "<svg" in Drawing("digraph { a -> b }", renderer="wasm").svg()
        True
        """
        if self._svg is None:
            self._svg = render_svg(self._source, renderer=self.renderer, timeout=self.timeout)
        return self._svg

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the picture to ``path``, as its suffix says: ``.svg``, ``.dot`` or ``.png``.

        ``.png`` is drawn at twice the SVG's size (see :meth:`png`). The file is written to a
        temporary name beside it and renamed into place, so a failure never leaves half a file
        and never harms an existing one. Returns the path written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SAVE_SUFFIXES:
            shown = repr(suffix) if suffix else "a file without a suffix"
            raise ValueError(
                f"cannot save a drawing as {shown} ({path}); supported suffixes: "
                f"{', '.join(SAVE_SUFFIXES)}"
            )
        folder = path.parent
        if not folder.is_dir():
            raise FileNotFoundError(
                f"cannot save {path}: the folder {folder} does not exist; create it first"
            )
        if suffix == ".dot":
            data = self._source.encode("utf-8")
        elif suffix == ".svg":
            data = self.svg().encode("utf-8")
        else:
            data = self.png()
        write_atomically(path, data)
        return path

    def png(self, scale: float = 2.0) -> bytes:
        """The picture as PNG bytes, ``scale`` times the SVG's size, made with pip alone.

        >>> Drawing("digraph { a -> b }", renderer="wasm").png()[1:4]
        b'PNG'
        """
        from autograd.raster import svg_to_png

        return svg_to_png(self.svg(), scale=scale)

    def _repr_svg_(self) -> str | None:
        """SVG for Jupyter; ``None`` (and the reason kept for text display) if it cannot render."""
        if self._svg is None and self._display_error is not None:
            return None
        try:
            return self.svg()
        except RenderError as error:
            self._display_error = f"The drawing could not be rendered: {error}"
            return None

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None
    ) -> dict[str, str]:
        """Jupyter display data: the SVG, or the renderer's error as text instead of a traceback.

        >>> bundle = Drawing("digraph { a -> b }", renderer="wasm")._repr_mimebundle_()
        >>> list(bundle), bundle["image/svg+xml"].count("<svg")
        (['image/svg+xml'], 1)
        """
        svg = self._repr_svg_()
        if svg is None:
            return {"text/plain": self._display_error or "The drawing could not be rendered."}
        return {"image/svg+xml": svg}


def draw(
    root: Value | Iterable[Value],
    *,
    rankdir: str = "LR",
    digits: int = 4,
    show_grad: bool = True,
    highlight: Iterable[object] = (),
    pending: Iterable[Value] = (),
    max_nodes: int = 500,
    collapse: str | None = None,
    expand: Iterable[str] = (),
    timeout: float | None = 30.0,
    renderer: str = "auto",
    nudge: bool = False,
) -> Drawing:
    """Draw the graph that computed ``root``: every value, and every local derivative on its edge.

    Each box shows a value's name, how it was computed, its ``data`` and ``grad``; each edge
    ``∂output/∂input = formula = number``, coloured white for a positive contribution to the input's
    gradient, black for a negative one, thicker the larger. ``rankdir`` is ``"LR"`` or ``"TB"``;
    ``digits`` the significant digits shown; ``show_grad=False`` draws the forward pass only.
    ``highlight`` takes Values and ``(parent, child)`` edges to draw in yellow, ``pending``
    Values not reached yet (drawn faded, with ``?``). More than ``max_nodes`` values raise
    ``ValueError`` (pass a larger ``max_nodes`` to draw anyway). ``collapse="layer"``,
    ``"neuron"`` or ``"scope"`` folds each group of values (by their ``scope``: nn modules and
    :func:`autograd.scope` blocks set it) into one box, and ``expand`` names groups to open
    again (``expand=["L2.N3"]``); see :mod:`autograd.collapse`. ``timeout`` and ``renderer``
    are used when the picture is rendered: see :func:`autograd.render.render_svg`.
    ``nudge=True`` shows beside each edge's local derivative its finite-difference estimate:
    that one input nudged by ±h, the op's output watched.

    >>> from autograd import Value
    >>> x = Value(3.0, label="x")
    >>> picture = draw(x * x, show_grad=False)
    >>> picture.source.count("v0 -> v1"), "grad" in picture.source
    (2, False)
    >>> "nudged ±3e-05: ≈ 3" in draw(x * x, nudge=True).source
    True
    """
    check_options(renderer, timeout)
    if collapse is not None:
        if highlight or pending or nudge:
            raise ValueError(
                "highlight, pending and nudge show single values and edges: draw without "
                "collapse to use them"
            )
        source = collapsed_source(
            root,
            collapse=collapse,
            expand=expand,
            rankdir=rankdir,
            digits=digits,
            show_grad=show_grad,
            max_nodes=max_nodes,
        )
        return Drawing(source, timeout=timeout, renderer=renderer)
    if expand:
        raise ValueError("expand opens groups of a collapsed drawing: pass collapse= too")
    source = graph_source(
        root,
        rankdir=rankdir,
        digits=digits,
        show_grad=show_grad,
        highlight=highlight,
        pending=pending,
        max_nodes=max_nodes,
        nudge=nudge,
    )
    return Drawing(source, timeout=timeout, renderer=renderer)
