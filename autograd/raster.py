"""SVG to PNG with pip alone: resvg draws the picture, with fonts that pip installed.

The fonts are the DejaVu faces that matplotlib (a core dependency) ships, so text shows in the
PNG on a machine with no fonts of its own, and a picture looks the same on every machine.
resvg is imported only when a PNG is made.

>>> png = svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
...                  '<text x="1" y="9" font-size="9">a</text></svg>')
>>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
True
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

__all__ = ["INSTALL_HINT", "font_files", "svg_to_png"]

INSTALL_HINT = "pip install resvg-py"
_FACES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSansMono.ttf")


@cache
def font_files() -> tuple[str, ...]:
    """The font files PNGs are drawn with: DejaVu Sans (and Mono) from matplotlib's data.

    Found without importing matplotlib, which is slow to import.

    >>> all(path.endswith(".ttf") for path in font_files())
    True
    """
    spec = importlib.util.find_spec("matplotlib")
    folders = [] if spec is None else list(spec.submodule_search_locations or ())
    for folder in folders:
        fonts = Path(folder) / "mpl-data" / "fonts" / "ttf"
        found = tuple(str(fonts / face) for face in _FACES if (fonts / face).is_file())
        if found:
            return found
    raise RuntimeError(
        "the DejaVu fonts that matplotlib ships were not found; reinstall matplotlib "
        "(pip install --force-reinstall matplotlib)"
    )


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """Draw ``svg`` as PNG bytes, ``scale`` times its own size (2 reads well on screens).

    Raises ``ValueError`` for a bad ``scale`` or SVG text resvg cannot read, and
    ``ImportError`` naming the install command if resvg-py is missing.
    """
    if not isinstance(svg, str):
        raise TypeError(f"svg_to_png needs the SVG text as a str, not {type(svg).__name__}")
    if isinstance(scale, bool) or not isinstance(scale, int | float) or not 0.1 <= scale <= 8:
        raise ValueError(f"scale must be a number from 0.1 to 8, not {scale!r}")
    try:
        import resvg_py
    except ImportError:
        raise ImportError(f"PNG output needs resvg-py; install it with {INSTALL_HINT}") from None
    try:
        return bytes(
            resvg_py.svg_to_bytes(
                svg_string=svg,
                zoom=float(scale),
                dpi=96.0,  # CSS pixels: Graphviz sizes its SVG in points
                skip_system_fonts=True,
                font_files=list(font_files()),
                font_family="DejaVu Sans",
                sans_serif_family="DejaVu Sans",
                serif_family="DejaVu Sans",
                monospace_family="DejaVu Sans Mono",
                text_rendering="optimize_legibility",
            )
        )
    except ValueError as error:
        raise ValueError(f"the SVG could not be drawn as PNG: {error}") from None
