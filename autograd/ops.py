"""The op table: one row per primitive, and the only place an op is described.

A row of fixed arity (:class:`Op`) holds the forward rule and, for each input, the local
derivative written once as a small Python expression over the inputs ``a``, ``b``, the result
``out`` and the row's constant parameters. The same expression runs on floats (what a node
stores, so ``backward()`` only multiplies and adds) and on Values (what
``autograd.grad(..., create_graph=True)`` builds, so derivatives can be differentiated again).
:mod:`autograd.codegen` turns every row into the operator functions of
:mod:`autograd.operators`. Each row also says how people read it: its forward form and its
derivatives with ``{a}``, ``{b}``, ``{out}`` placeholders, so every display puts the learner's
own names in. Ops with any number of inputs are rows of their own type
(:class:`VariadicOp`) whose rules are ordinary methods.

>>> OPS["mul"].derivatives
('b', 'a')
>>> OPS["mul"].forward_text(["w", "x"])
'w · x'
>>> OPS["tanh"].formula_text(0, ["z"], out="h")
'1 - h²'
>>> [op.name for op in OPS.values()][:4]
['add', 'sub', 'mul', 'div']
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from autograd.text import number_text

__all__ = [
    "FLOAT_FUNCTIONS",
    "OPS",
    "DomainError",
    "Op",
    "Param",
    "SumArg",
    "VariadicOp",
    "WeightedSumArg",
    "fill",
    "subscript",
]


class DomainError(ValueError):
    """An op was applied where it (or its derivative) is not defined, or a value overflowed.

    >>> from autograd import Value
    >>> Value(-1.0, label="x").log()
    Traceback (most recent call last):
    ...
    autograd.ops.DomainError: log: the input must be > 0, got a = -1.0 (Value 'x'). ...
    """


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(number: int) -> str:
    """Return ``number`` written with Unicode subscript digits.

    >>> "w" + subscript(12)
    'w₁₂'
    """
    return str(number).translate(_SUBSCRIPTS)


# ---------------------------------------------------------------------------------------------
# The functions that rules may call. A derivative rule runs on floats with these and on Values
# with the Value methods of the same name, so it may only call functions that are both here
# and provided by a row (codegen checks this).


def _sigmoid(a: float) -> float:
    """The logistic function, computed without overflow for any float."""
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


def _softplus(a: float) -> float:
    """log(1 + e^a), computed without overflow for any float."""
    return math.log1p(math.exp(-abs(a))) + (a if a > 0.0 else 0.0)


FLOAT_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "tanh": math.tanh,
    "sin": math.sin,
    "cos": math.cos,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
}


# ---------------------------------------------------------------------------------------------
# Display: templates with placeholders become text with the learner's names in them.

_SIMPLE = re.compile(r"[\w.]+|\d[\d.e+]*")
_FORMATTER = string.Formatter()


def fill(template: str, values: dict[str, str]) -> str:
    """Put names (or numbers) into a display template such as ``"{a} · {b}"``.

    A name that is not a single word or an unsigned number is put in parentheses, unless the
    template already encloses the placeholder (``tanh({a})``, ``|{a}|``).

    >>> fill("{a} · {b}", {"a": "w", "b": "-3"})
    'w · (-3)'
    >>> fill("tanh({a})", {"a": "w + b"})
    'tanh(w + b)'
    """
    return _put_in(template_pieces(template), values)


def _put_in(pieces: Sequence[tuple[str, Any, bool]], values: Any) -> str:
    """Join ``pieces`` (literal, key or None, enclosed) with ``values[key]`` after each
    literal, in parentheses unless one word or number or already enclosed."""
    out = []
    for literal, key, enclosed in pieces:
        out.append(literal)
        if key is not None:
            text = values[key]
            out.append(text if enclosed or _SIMPLE.fullmatch(text) else f"({text})")
    return "".join(out)


@functools.lru_cache(maxsize=1024)
def template_pieces(template: str) -> tuple[tuple[str, str | None, bool], ...]:
    """``template`` split once into ``(literal text, placeholder or None, enclosed)``, where
    ``enclosed`` says the template already brackets the placeholder (``tanh({a})``).

    >>> template_pieces("tanh({a}) + {b}")
    (('tanh(', 'a', True), (') + ', 'b', False))
    """
    return tuple(
        (literal, name, literal.endswith(("(", "|")) or template == "{" + str(name) + "}")
        for literal, name, _, _ in _FORMATTER.parse(template)
    )


@functools.lru_cache(maxsize=1024)
def _display_plan(
    template: str, names: tuple[str, ...]
) -> tuple[tuple[str, int | None, bool], ...]:
    """``template``'s pieces with each placeholder as its index in ``names`` (None: none)."""
    return tuple(
        (literal, None if name is None else names.index(name), enclosed)
        for literal, name, enclosed in template_pieces(template)
    )


def _superscript(number: float) -> str:
    return number_text(number, 6).translate(str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·"))


def _power_formulas(arg: PowArg) -> tuple[str, ...]:
    """The derivative of a^n as people write it, for the node's own n."""
    n = arg.n
    if n == 0:
        return ("0",)
    if n == 1:
        return ("1",)
    if n == 2:
        return ("2·{a}",)
    if n == int(n):
        return (f"{number_text(n, 6)}·{{a}}{_superscript(n - 1)}",)
    return (f"{number_text(n, 6)}·{{a}}^({number_text(n - 1, 6)})",)


# ---------------------------------------------------------------------------------------------
# Rows of fixed arity.


class Param(NamedTuple):
    """A constant argument of an op (the ``n`` of ``a ** n``): its name, its default if it
    has one, and what it is, for error messages."""

    name: str
    default: float | None = None
    meaning: str = "the parameter"


class PowArg(NamedTuple):
    """The constant argument of a ``pow`` node: its exponent."""

    n: float


class LeakyReluArg(NamedTuple):
    """The constant argument of a ``leaky_relu`` node: the slope for negative inputs."""

    negative_slope: float


@dataclass(frozen=True)
class Op:
    """One primitive of fixed arity: how to compute it, differentiate it, show it and check it.

    ``inputs`` names the Value inputs (``a``, ``b``). ``forward`` is a float expression over
    them and the ``params``; ``derivatives[i]`` is ∂out/∂input i over the inputs, ``out`` and
    the params, valid on floats and on Values. ``shows`` is the forward as people read it and
    ``formulas`` the derivatives, with ``{a}``, ``{b}``, ``{out}`` and ``{param}``
    placeholders (or a function of the node's ``op_arg`` giving them). ``methods`` are the
    Value methods the row provides (``__rmul__``-style names take the number on the left);
    ``function`` is the name ``chainrule explain`` and the parser accept. ``checks`` are
    ``(condition, problem)`` pairs over the float inputs that must hold before ``forward``
    runs; ``hint`` says what to do when one fails. ``value_param_op`` names the row used when
    the parameter is given as a Value (``x ** y``). ``examples`` are inputs at which the row
    is tested against finite differences.
    """

    name: str
    inputs: tuple[str, ...]
    forward: str
    derivatives: tuple[str, ...]
    shows: str
    formulas: tuple[str, ...] | Callable[[Any], tuple[str, ...]]
    doc: str
    methods: tuple[str, ...] = ()
    function: str | None = None
    params: tuple[Param, ...] = ()
    arg_type: type | None = None
    checks: tuple[tuple[str, str], ...] = ()
    hint: str = "Check the inputs of this operation."
    value_param_op: str | None = None
    examples: tuple[tuple[float, ...], ...] = field(default=())

    @property
    def arity(self) -> int:
        """How many Value inputs a node of this op has.

        >>> OPS["div"].arity, OPS["tanh"].arity
        (2, 1)
        """
        return len(self.inputs)

    def input_name(self, index: int, arg: object = None) -> str:
        """The placeholder name of input ``index`` (``a``, ``b``).

        >>> OPS["div"].input_name(1)
        'b'
        """
        return self.inputs[index]

    def formula_templates(self, arg: object = None) -> tuple[str, ...]:
        """The derivative templates for a node with constant argument ``arg``.

        >>> OPS["mul"].formula_templates(), OPS["pow"].formula_templates(PowArg(3.0))
        (('{b}', '{a}'), ('3·{a}²',))
        """
        return self.formulas(arg) if callable(self.formulas) else self.formulas

    def _filled(self, template: str, names: Sequence[str], arg: object, out: str) -> str:
        fields = () if arg is None else arg._fields  # type: ignore[attr-defined]
        plan = _display_plan(template, (*self.inputs, "out", *fields))
        values = [*names, out]
        if arg is not None:
            values += [number_text(v, 6) for v in arg]  # type: ignore[attr-defined]
        return _put_in(plan, values)

    def forward_text(self, names: Sequence[str], arg: object = None, **_: object) -> str:
        """The forward as people read it, with ``names`` for the inputs.

        >>> OPS["pow"].forward_text(["x"], PowArg(3.0))
        'x^3'
        """
        return self._filled(self.shows, names, arg, "")

    def formula_text(
        self, index: int, names: Sequence[str], arg: object = None, *, out: str = "out"
    ) -> str:
        """∂out/∂input ``index`` as people read it, with ``names`` for the inputs.

        >>> OPS["pow"].formula_text(0, ["x"], PowArg(3.0))
        '3·x²'
        >>> OPS["div"].formula_text(1, ["p", "q"])
        '-p/q²'
        """
        return self._filled(self.formula_templates(arg)[index], names, arg, out)


# ---------------------------------------------------------------------------------------------
# Rows with any number of inputs: their rules loop, so they are methods, not expressions.


class SumArg(NamedTuple):
    """The constant argument of a ``sum`` node: how many terms it adds."""

    count: int


class WeightedSumArg(NamedTuple):
    """The constant argument of a ``weighted_sum`` node.

    Its parents are ``w₁ … wₙ``, then ``x₁ … xₙ``, then the bias ``b`` if ``bias``.
    """

    n: int
    bias: bool


@dataclass(frozen=True)
class VariadicOp:
    """A primitive with any number of inputs; :attr:`kind` says which rule it follows."""

    name: str
    kind: str  # "sum" or "weighted_sum"
    doc: str
    examples: tuple[tuple[float, ...], ...] = field(default=())
    hint: str = "Check the inputs of this operation."
    function: str | None = None
    methods: tuple[str, ...] = ()

    def forward(self, data: Sequence[float], arg: SumArg | WeightedSumArg) -> float:
        """The result from the parents' numbers.

        >>> OPS["weighted_sum"].forward([2.0, 3.0, 10.0], WeightedSumArg(1, True))
        16.0
        """
        if self.kind == "sum":
            return math.fsum(data) if len(data) > 64 else sum(data)
        n = arg.n
        total = sum(w * x for w, x in zip(data[:n], data[n : 2 * n], strict=True))
        return total + data[2 * n] if arg.bias else total

    def local_grads(self, inputs: Sequence[Any], arg: SumArg | WeightedSumArg) -> tuple[Any, ...]:
        """∂out/∂parent for every parent; ``inputs`` are floats or Values (higher order).

        >>> OPS["weighted_sum"].local_grads([2.0, 3.0, 10.0], WeightedSumArg(1, True))
        (3.0, 2.0, 1.0)
        """
        if self.kind == "sum":
            return (1.0,) * len(inputs)
        n = arg.n
        return (*inputs[n : 2 * n], *inputs[:n], *((1.0,) if arg.bias else ()))

    def input_name(self, index: int, arg: SumArg | WeightedSumArg) -> str:
        """The formal name of parent ``index`` (``t₃``; ``w₁``, ``x₂``, ``b``).

        >>> OPS["weighted_sum"].input_name(1, WeightedSumArg(1, True))
        'x₁'
        """
        if self.kind == "sum":
            return "t" + subscript(index + 1)
        n = arg.n
        if index == 2 * n:
            return "b"
        return ("w" if index < n else "x") + subscript(index % n + 1)

    def terms(self, names: Sequence[str], arg: SumArg | WeightedSumArg) -> list[str]:
        """The terms of the forward, as people read them, with ``names`` for the parents."""
        grouped = [name if _SIMPLE.fullmatch(name) else f"({name})" for name in names]
        if self.kind == "sum":
            return grouped
        n = arg.n
        products = [f"{grouped[i]}·{grouped[n + i]}" for i in range(n)]
        return [*products, names[2 * n]] if arg.bias else products

    def forward_text(
        self, names: Sequence[str], arg: SumArg | WeightedSumArg, max_terms: int | None = None
    ) -> str:
        """The forward with ``names`` for the parents; long sums keep their first and last terms.

        >>> OPS["weighted_sum"].forward_text(["w", "x", "b"], WeightedSumArg(1, True))
        'w·x + b'
        >>> OPS["sum"].forward_text(list("abcdef"), SumArg(6), max_terms=4)
        'a + b + … + f'
        """
        terms = self.terms(names, arg)
        if max_terms is not None and len(terms) > max_terms:
            terms = [*terms[: max_terms - 2], "…", terms[-1]]
        return " + ".join(terms)

    def formula_text(
        self,
        index: int,
        names: Sequence[str],
        arg: SumArg | WeightedSumArg,
        *,
        out: str = "out",
    ) -> str:
        """∂out/∂parent ``index`` with ``names`` for the parents: 1, or a weight's partner.

        >>> OPS["weighted_sum"].formula_text(0, ["w", "x", "b"], WeightedSumArg(1, True))
        'x'
        """
        if self.kind == "sum" or index == 2 * arg.n:
            return "1"
        n = arg.n
        return names[index + n] if index < n else names[index - n]


# ---------------------------------------------------------------------------------------------
# The table.


def _rows(*rows: Op | VariadicOp) -> dict[str, Op | VariadicOp]:
    return {row.name: row for row in rows}


_AB = ("a", "b")
_A = ("a",)

# fmt: off
OPS: dict[str, Op | VariadicOp] = _rows(
    # Binary ops: inputs a and b; the __r…__ method puts a plain number on the left.
    Op("add", _AB, "a + b", ("1.0", "1.0"), "{a} + {b}", ("1", "1"), "a + b",
       methods=("__add__", "__radd__"), examples=((2.0, -0.5), (0.3, 4.0))),
    Op("sub", _AB, "a - b", ("1.0", "-1.0"), "{a} - {b}", ("1", "-1"), "a - b",
       methods=("__sub__", "__rsub__"), examples=((2.0, -0.5), (0.3, 4.0))),
    Op("mul", _AB, "a * b", ("b", "a"), "{a} · {b}", ("{b}", "{a}"), "a · b",
       methods=("__mul__", "__rmul__"), examples=((2.0, -0.5), (-1.5, 3.0))),
    Op("div", _AB, "a / b", ("1.0 / b", "-out / b"), "{a} / {b}", ("1/{b}", "-{a}/{b}²"),
       "a / b", methods=("__truediv__", "__rtruediv__"),
       checks=(("b != 0.0", "division by zero: the divisor b is 0"),),
       hint="Make sure the divisor cannot be 0 (e.g. add a small epsilon).",
       examples=((2.0, -0.5), (-1.5, 3.0))),
    Op("pow_value", _AB, "a ** b", ("b * a ** (b - 1.0)", "out * log(a)"), "{a}^{b}",
       ("{b}·{a}^({b} - 1)", "{out}·ln({a})"), "a ** b with a Value exponent (needs a > 0)",
       methods=("__rpow__",),
       checks=(("a > 0.0", "a Value exponent needs a base > 0 (its derivative uses ln(a))"),),
       hint="Use a positive base, or a plain number as the exponent.",
       examples=((2.0, -0.5), (0.7, 3.0))),
    # Unary ops: input a, and constant parameters where a row has them.
    Op("pow", _A, "a ** n", ("0.0 if n == 0.0 else n * a ** (n - 1.0)",), "{a}^{n}",
       _power_formulas, "a ** n for a number n", methods=("__pow__",),
       params=(Param("n", None, "the exponent"),), arg_type=PowArg, value_param_op="pow_value",
       checks=(("a != 0.0 or n >= 0.0", "0 to a negative power is undefined"),
               ("a >= 0.0 or n == int(n)",
                "a negative base needs a whole-number exponent (the result is not real)")),
       hint="Keep the base away from 0, or use a whole-number exponent for a negative base.",
       examples=((1.5,), (-2.0,))),
    Op("neg", _A, "-a", ("-1.0",), "-{a}", ("-1",), "-a", methods=("__neg__",),
       examples=((2.0,), (-0.5,))),
    Op("abs", _A, "abs(a)", ("float((a > 0.0) - (a < 0.0))",), "|{a}|",
       ("1 if {a} > 0 else -1 (0 at 0)",),
       "|a|; its derivative at 0 is taken as 0, as in PyTorch", methods=("__abs__",),
       function="abs", examples=((2.0,), (-0.5,))),
    Op("exp", _A, "exp(a)", ("out",), "exp({a})", ("exp({a})",), "e to the power a",
       methods=("exp",), function="exp",
       checks=(("a <= 709.782712893384", "the result overflows a float (a above 709.78)"),),
       hint="Scale the input down (e.g. divide it by a constant).",
       examples=((0.5,), (-2.0,))),
    Op("log", _A, "log(a)", ("1.0 / a",), "log({a})", ("1/{a}",), "natural logarithm of a",
       methods=("log",), function="log", checks=(("a > 0.0", "the input must be > 0"),),
       hint="Shift or clamp the input away from 0 (e.g. (x + 1e-9).log()).",
       examples=((0.5,), (3.0,))),
    Op("sqrt", _A, "sqrt(a)", ("0.5 / out",), "sqrt({a})", ("1/(2·sqrt({a}))",),
       "square root of a; its derivative is infinite at 0, so backward through sqrt(0) fails",
       methods=("sqrt",), function="sqrt", checks=(("a >= 0.0", "the input must be >= 0"),),
       hint="Keep the input above 0 (e.g. (x * x + 1e-12).sqrt()).",
       examples=((0.5,), (4.0,))),
    Op("tanh", _A, "tanh(a)", ("1.0 - out * out",), "tanh({a})", ("1 - {out}²",),
       "hyperbolic tangent: squashes a into (-1, 1)", methods=("tanh",), function="tanh",
       examples=((0.5,), (-2.0,))),
    Op("sigmoid", _A, "sigmoid(a)", ("out * (1.0 - out)",), "σ({a})", ("{out}·(1 - {out})",),
       "logistic sigmoid: squashes a into (0, 1)", methods=("sigmoid",), function="sigmoid",
       examples=((0.5,), (-2.0,))),
    Op("relu", _A, "a if a > 0.0 else 0.0", ("1.0 if a > 0.0 else 0.0",), "ReLU({a})",
       ("1 if {a} > 0 else 0",),
       "rectified linear unit: max(a, 0); its derivative at 0 is taken as 0, as in PyTorch",
       methods=("relu",), function="relu", examples=((0.5,), (-2.0,))),
    Op("leaky_relu", _A, "a if a > 0.0 else negative_slope * a",
       ("1.0 if a > 0.0 else negative_slope",), "LeakyReLU({a})",
       ("1 if {a} > 0 else {negative_slope}",),
       "leaky ReLU: a for a > 0, negative_slope·a below; its derivative at 0 is the slope",
       methods=("leaky_relu",), function="leaky_relu",
       params=(Param("negative_slope", 0.01, "the slope"),), arg_type=LeakyReluArg,
       examples=((0.5,), (-2.0,))),
    Op("sin", _A, "sin(a)", ("cos(a)",), "sin({a})", ("cos({a})",), "sine of a (radians)",
       methods=("sin",), function="sin", examples=((0.5,), (-2.0,))),
    Op("cos", _A, "cos(a)", ("-sin(a)",), "cos({a})", ("-sin({a})",), "cosine of a (radians)",
       methods=("cos",), function="cos", examples=((0.5,), (-2.0,))),
    Op("softplus", _A, "softplus(a)", ("sigmoid(a)",), "softplus({a})", ("σ({a})",),
       "softplus: log(1 + e^a), a smooth ReLU", methods=("softplus",), function="softplus",
       examples=((0.5,), (-2.0,))),
    # Ops with any number of inputs: one node instead of a chain of binary ones.
    VariadicOp("sum", "sum", "t₁ + t₂ + … + tₙ in one node", examples=((0.5, -2.0, 3.0),)),
    VariadicOp("weighted_sum", "weighted_sum",
               "the weighted sum of a neuron: w₁·x₁ + … + wₙ·xₙ + b, in one node",
               examples=((0.5, -2.0, 1.5, 0.25, 0.1),)),
)
# fmt: on
