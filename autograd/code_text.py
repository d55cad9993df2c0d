"""Text pieces of generated code: fresh names, grouping parentheses, filled rule templates,
number literals, and :class:`Term`, code text that ``+`` and ``*`` combine.

>>> grouped("a + b"), grouped("x1"), fill_plan(code_plan("{a} * {b}", ("a", "b")), ["x + 1", "y"])
('(a + b)', 'x1', '(x + 1) * y')
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Sequence
from typing import NamedTuple

from autograd.codegen import rule_names
from autograd.ops import Op, template_pieces
from autograd.value import Value

__all__ = [
    "ASCII_DIGITS",
    "LineInfo",
    "Term",
    "code_plan",
    "fill_plan",
    "grouped",
    "identifier",
    "is_simple",
    "number",
    "parents_read",
    "rule_reads",
]

_SIMPLE = re.compile(r"[A-Za-z_]\w*|\d[\d.]*(e[+-]?\d+)?")
_NOT_WORD = re.compile(r"\W+")
ASCII_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


class LineInfo(NamedTuple):
    """What a line of the generated source computes: the op, and the value it is for."""

    op: str
    value: str
    hint: str


def identifier(text: str, used: set[str]) -> str:
    """A fresh Python name close to ``text`` (a label such as ``x₁`` or ``L``).

    >>> used = set()
    >>> identifier("x₁", used), identifier("x₁", used), identifier("lambda", used)
    ('x1', 'x1_2', 'v_lambda')
    """
    name = _NOT_WORD.sub("_", text.translate(ASCII_DIGITS)).strip("_") or "v"
    if name[0].isdigit() or keyword.iskeyword(name) or name.startswith("grad_"):
        name = "v_" + name
    candidate, count = name, 1
    while candidate in used:
        count += 1
        candidate = f"{name}_{count}"
    used.add(candidate)
    return candidate


def is_simple(text: str) -> bool:
    """Whether ``text`` is one name or number, perhaps negated and in parentheses.

    >>> is_simple("x1"), is_simple("(-2.0)"), is_simple("a * b")
    (True, True, False)
    """
    return _SIMPLE.fullmatch(text.strip("()").lstrip("-")) is not None


def grouped(text: str) -> str:
    """``text`` in parentheses unless it is one name or number, or in parentheses already.

    >>> grouped("x1"), grouped("-2.0"), grouped("(-2.0)"), grouped("(a) * (b)")
    ('x1', '(-2.0)', '(-2.0)', '((a) * (b))')
    """
    if _SIMPLE.fullmatch(text) or _enclosed(text):
        return text
    return f"({text})"


def _enclosed(text: str) -> bool:
    """Whether ``text`` is one parenthesized group with no parentheses inside: ``(-2.0)``,
    ``(a + b)``; not ``(a) * (b)``. (A C-level test: texts can be whole neurons long.)"""
    inner = text[1:-1]
    return text[:1] == "(" and text[-1:] == ")" and "(" not in inner and ")" not in inner


@functools.lru_cache(maxsize=1024)
def code_plan(template: str, names: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """``template`` split once into ``(literal, index in names)`` pairs (-1: no placeholder
    after the literal), for :func:`fill_plan`.

    >>> plan = code_plan("{a} * {b}", ("a", "b", "out"))
    >>> plan, fill_plan(plan, ["x + 1", "y", "z"])
    ((('', 0), (' * ', 1)), '(x + 1) * y')
    """
    return tuple(
        (literal, -1 if name is None else names.index(name))
        for literal, name, _ in template_pieces(template)
    )


def fill_plan(plan: tuple[tuple[str, int], ...], values: Sequence[str]) -> str:
    """A template split by :func:`code_plan`, with ``values`` put in, each grouped as needed."""
    if len(plan) == 1 and not plan[0][0] and plan[0][1] >= 0:  # a lone placeholder: "{b}"
        return grouped(values[plan[0][1]])
    return "".join([literal + (grouped(values[i]) if i >= 0 else "") for literal, i in plan])


class Term(str):
    """Code text that ``+`` and ``*`` combine into more code text, so a variadic row's own
    ``forward`` method, run on these, writes the expression it computes (in its order)."""

    summed = False

    def __add__(self, other: object) -> Term:
        right = f"({other})" if getattr(other, "summed", False) else str(other)
        term = Term(f"{self} + {right}")
        term.summed = True
        return term

    def __radd__(self, other: object) -> Term:
        if other == 0:  # the start of Python's sum()
            return self
        return NotImplemented

    def __mul__(self, other: object) -> Term:
        left = f"({self})" if self.summed else str(self)
        right = f"({other})" if getattr(other, "summed", False) else str(other)
        return Term(f"{left} * {right}")


def number(value: float) -> str:
    """The Python literal of ``value``.

    >>> number(2), number(-0.5)
    ('2.0', '-0.5')
    """
    return repr(float(value))


_READS: dict[tuple[str, str], bool] = {}
_READ_INPUTS: dict[str, list[int]] = {}  # per op row: the inputs its derivatives read


def rule_reads(row: Op, name: str) -> bool:
    """Whether any derivative rule of ``row`` reads ``name`` (an input or ``out``), so the
    code must keep that number in a variable of its own.

    >>> from autograd.ops import OPS
    >>> rule_reads(OPS["tanh"], "out"), rule_reads(OPS["add"], "a")
    (True, False)
    """
    key = (row.name, name)
    found = _READS.get(key)
    if found is None:
        found = _READS[key] = any(name in rule_names(row, rule) for rule in row.derivatives)
    return found


def parents_read(row: Op | object, node: Value) -> list[int]:
    """The parents of ``node`` (made by ``row``) whose numbers its derivatives read, by index.

    >>> from autograd.ops import OPS
    >>> x = Value(2.0)
    >>> parents_read(OPS["mul"], x * 3.0), parents_read(OPS["add"], x + 3.0)
    ([0, 1], [])
    """
    if isinstance(row, Op):
        found = _READ_INPUTS.get(row.name)
        if found is None:
            found = _READ_INPUTS[row.name] = [
                i for i, name in enumerate(row.inputs) if rule_reads(row, name)
            ]
        return found
    markers = [i + 0.5 for i in range(len(node.parents))]  # stand-ins no rule makes
    return [int(m) for m in row.local_grads(markers, node.op_arg) if m in markers]
