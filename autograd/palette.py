"""The colours and line widths shared by computation-graph drawings and network pictures.

The lecture draws positive weights as white links and negative ones as black, with thickness
for magnitude; both show up only on a mid-grey canvas, so that is the background here too.

>>> sign_color(0.7), sign_color(-0.2)
('#ffffff', '#000000')
>>> shade(-1.0), shade(0.0), shade(1.0)
('#000000', '#808080', '#ffffff')
>>> line_width(0.5, 1.0)
'3'
"""

from __future__ import annotations

__all__ = [
    "BACKGROUND",
    "FLAG",
    "FONT",
    "FONT_FALLBACKS",
    "GRAPH_BACKGROUND",
    "HIGHLIGHT",
    "NEGATIVE",
    "NEUTRAL",
    "PENDING",
    "POSITIVE",
    "TEXT",
    "ZERO_EDGE",
    "line_width",
    "shade",
    "sign_color",
    "text_color_on",
]

BACKGROUND = "#808080"  # mid grey: white and black links both stand out
# Computation graphs carry text on their edges: a lighter grey gives black labels strong
# contrast (7:1) while white edges still stand out.
GRAPH_BACKGROUND = "#999999"
ZERO_EDGE = "#4d4d4d"  # an edge whose contribution is exactly 0, drawn dotted on the canvas
# The one font of every picture: Graphviz knows its widths, so text fits its boxes, and
# matplotlib ships it, so PNGs show it on any machine (SVGs fall back to Verdana, sans-serif).
FONT = "DejaVu Sans"
FONT_FALLBACKS = "DejaVu Sans,Verdana,sans-serif"
POSITIVE = "#ffffff"  # white: positive weight / positive gradient contribution
NEGATIVE = "#000000"  # black: negative
NEUTRAL = "#a0a0a0"  # exactly zero: a light grey line, visible but quiet
TEXT = "#000000"
HIGHLIGHT = "#ffd400"  # yellow: the edge and nodes of the current chain-rule step
PENDING = "#b8b8b8"  # nodes the stepper has not reached yet (drawn faded)
NODE_FILL = "#e8e8e8"  # value boxes
OP_FILL = "#c8d8f0"  # op circles
FLAG = "#d62728"  # red: a neuron that needs attention (dead ReLU, saturated tanh/sigmoid)

MIN_WIDTH = 1.0
MAX_WIDTH = 5.0


def sign_color(number: float) -> str:
    """White for a positive number, black for a negative one, light grey for zero.

    >>> sign_color(0.0)
    '#a0a0a0'
    """
    if number > 0:
        return POSITIVE
    if number < 0:
        return NEGATIVE
    return NEUTRAL


def line_width(magnitude: float, largest: float) -> str:
    """A pen width from 1 to 5 points, proportional to ``|magnitude| / largest``.

    Returned as text, ready for DOT's ``penwidth``.

    >>> line_width(2.0, 2.0), line_width(0.0, 2.0), line_width(1.0, 0.0)
    ('5', '1', '1')
    """
    if largest <= 0:
        return _trim(MIN_WIDTH)
    fraction = min(abs(magnitude) / largest, 1.0)
    return _trim(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * fraction)


def shade(value: float) -> str:
    """A grey for ``value`` clipped to [-1, 1]: black at -1, mid grey at 0, white at +1.

    >>> shade(0.5), shade(-7.0)
    ('#c0c0c0', '#000000')
    """
    clipped = max(-1.0, min(1.0, value))
    level = min(255, round((clipped + 1.0) * 128))
    return f"#{level:02x}{level:02x}{level:02x}"


def text_color_on(value: float) -> str:
    """Black or white text, whichever reads better on ``shade(value)``.

    >>> text_color_on(-0.9), text_color_on(0.9)
    ('#ffffff', '#000000')
    """
    return "#ffffff" if value < -0.2 else "#000000"


def _trim(number: float) -> str:
    return f"{number:.2f}".rstrip("0").rstrip(".")
