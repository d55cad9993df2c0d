"""How numbers and symbols are written for people: significant digits, ASCII minus, ASCII only.

>>> number_text(-0.5), number_text(0.634739)
('-0.5', '0.6347')
>>> to_ascii("∂L/∂w₁ = 1 - out²")
'dL/dw1 = 1 - out^2'
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["number_text", "shown_safely", "to_ascii"]


def number_text(number: float, digits: int = 4) -> str:
    """``number`` with ``digits`` significant digits and an ASCII minus sign.

    >>> number_text(-1.5), number_text(2.0), number_text(0.123456), number_text(-0.0)
    ('-1.5', '2', '0.1235', '0')
    """
    text = f"{number:.{digits}g}"
    return "0" if text == "-0" else text


_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"
_FROM_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_DIGITS + "·", "0123456789-.")
# A run of superscripts is an exponent; a middle dot between superscripts is its decimal point.
_EXPONENT = re.compile(f"[{_SUPERSCRIPT_DIGITS}]+(?:·[{_SUPERSCRIPT_DIGITS}]+)?")
_ASCII_SYMBOLS = str.maketrans(
    {
        "∂": "d",
        "·": "*",
        "×": "*",
        "σ": "sigmoid",
        "Σ": "sum",
        "…": "...",
        "−": "-",
        "ᵢ": "_i",
        "ₙ": "_n",
        "→": "->",
        "±": "+/-",
        "≈": "~",
        "Δ": "D",
        **{chr(0x2080 + digit): str(digit) for digit in range(10)},
    }
)


# Control characters (an ANSI escape, a bell): written as visible escapes, never sent as is.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def shown_safely(text: str, limit: int = 300) -> str:
    r"""Text from outside (a learner's error message) made safe to print: control characters
    become visible escapes and anything past ``limit`` characters is cut with ``…``.

    >>> shown_safely("red \x1b[31m alert\x07")
    'red \\x1b[31m alert\\x07'
    >>> shown_safely("x" * 10, limit=4)
    'xxxx…'
    """
    text = _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
    return text if len(text) <= limit else text[:limit] + "…"


def _exponent_text(match: re.Match[str]) -> str:
    exponent = match.group().translate(_FROM_SUPERSCRIPT)
    return "^" + exponent if len(exponent) == 1 else f"^({exponent})"


def to_ascii(text: str) -> str:
    """``text`` with only ASCII characters: ``∂`` → ``d``, ``·`` → ``*``, ``a²`` → ``a^2`` ...

    Subscript digits become plain digits and ``σ`` becomes ``sigmoid``; any other non-ASCII
    character left (say a Greek letter in a label) is written as a Python escape.

    >>> to_ascii("∂L/∂w₁ += ∂t/∂w₁ · ∂L/∂t = (1 - out²) · ∂L/∂t")
    'dL/dw1 += dt/dw1 * dL/dt = (1 - out^2) * dL/dt'
    >>> to_ascii("-0.5·a⁻¹·⁵"), to_ascii("σ(α)")
    ('-0.5*a^(-1.5)', 'sigmoid(\\\\u03b1)')
    """
    text = _EXPONENT.sub(_exponent_text, text).translate(_ASCII_SYMBOLS)
    # Compatibility forms (é → e + accent, ﬁ → fi), then drop the accents themselves.
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return text.encode("ascii", "backslashreplace").decode("ascii")
