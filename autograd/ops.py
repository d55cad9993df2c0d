"""The op table: one row per primitive, with its forward rule and its local derivatives.

Each :class:`Op` row is the single source of truth for a primitive. Its ``forward`` and
``grads`` fields are Python expressions over the inputs (``a``, ``b``; ``n`` for a constant
exponent) and the result ``out``; :mod:`autograd.value` turns every row into the operator that
builds a node, ``backward()`` multiplies along the numbers those expressions produced, and the
``formulas`` are what drawings and the stepper print beside each edge.

>>> OPS["mul"].formulas
('b', 'a')
>>> OPS["tanh"].formula(0)
'1 - out²'
>>> [op.name for op in OPS.values()][:4]
['add', 'sub', 'mul', 'div']
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["OPS", "DomainError", "Op", "subscript"]


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


@dataclass(frozen=True)
class Op:
    """One primitive: how to compute it and how it passes gradients back.

    ``arity`` is the number of Value inputs (``None`` for ops that take any number).
    ``forward`` and each entry of ``grads`` are Python expressions evaluated with the inputs
    bound to ``a`` and ``b`` (and the constant exponent to ``n``); entries of ``grads`` may use
    ``out``, the forward result. ``formulas`` are the same derivatives written for people.
    ``checks`` are ``(condition, message)`` pairs that must hold before ``forward`` runs.
    ``examples`` are inputs at which the row is tested against finite differences.
    """

    name: str
    symbol: str
    arity: int | None
    forward: str
    grads: tuple[str, ...]
    formulas: tuple[str, ...]
    doc: str
    checks: tuple[tuple[str, str], ...] = ()
    examples: tuple[tuple[float, ...], ...] = field(default=())

    def formula(self, index: int, op_arg: object = None, arity: int | None = None) -> str:
        """The derivative of the output with respect to input ``index``, written for people.

        ``op_arg`` is the node's constant argument (the exponent of ``a ** n``, or the input
        names of a weighted sum); ``arity`` the node's number of inputs.

        >>> OPS["pow"].formula(0, op_arg=3.0)
        '3·a²'
        >>> OPS["weighted_sum"].formula(1, op_arg=("w₁", "w₂", "x₁", "x₂", "b"))
        'x₂'
        """
        if self.name == "pow":
            return _power_formula(float(op_arg))
        if self.name == "weighted_sum":
            names = op_arg
            role = names[index]
            if role == "b":
                return "1"
            partner = ("x" if role[0] == "w" else "w") + role[1:]
            return partner
        if self.arity is None:
            return self.formulas[0]
        return self.formulas[index]

    def input_name(self, index: int, op_arg: object = None) -> str:
        """The name the formulas use for input ``index`` (``a``, ``b``, ``w₁``, ``t₃`` ...).

        >>> OPS["div"].input_name(1)
        'b'
        >>> OPS["sum"].input_name(2)
        't₃'
        """
        if self.name == "weighted_sum":
            return op_arg[index]
        if self.arity is None:
            return "t" + subscript(index + 1)
        return "ab"[index]


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


_SUPERSCRIPTS = str.maketrans("0123456789-.", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻·")


def _power_formula(n: float) -> str:
    if n == 1:
        return "1"
    if n == 2:
        return "2·a"
    if n == 0:
        return "0"
    exponent = _number_text(n - 1)
    if n == int(n):
        return f"{_number_text(n)}·a{exponent.translate(_SUPERSCRIPTS)}"
    return f"{_number_text(n)}·a^({exponent})"


def _rows(*rows: Op) -> dict[str, Op]:
    return {row.name: row for row in rows}


# fmt: off
OPS: dict[str, Op] = _rows(
    # Binary ops: inputs a and b.
    Op("add", "+", 2, "a + b", ("1.0", "1.0"), ("1", "1"), "a + b",
       examples=((2.0, -0.5), (0.3, 4.0))),
    Op("sub", "-", 2, "a - b", ("1.0", "-1.0"), ("1", "-1"), "a - b",
       examples=((2.0, -0.5), (0.3, 4.0))),
    Op("mul", "*", 2, "a * b", ("b", "a"), ("b", "a"), "a · b",
       examples=((2.0, -0.5), (-1.5, 3.0))),
    Op("div", "/", 2, "a / b", ("1.0 / b", "-out / b"), ("1/b", "-a/b²"), "a / b",
       checks=(("b != 0.0", "division by zero: the divisor b is 0"),),
       examples=((2.0, -0.5), (-1.5, 3.0))),
    Op("pow_value", "**", 2, "a ** b", ("b * a ** (b - 1.0)", "out * _log(a)"),
       ("b·a^(b-1)", "out·ln(a)"), "a ** b with a Value exponent (needs a > 0)",
       checks=(("a > 0.0", "a Value exponent needs a base > 0 (its derivative uses ln(a))"),),
       examples=((2.0, -0.5), (0.7, 3.0))),
    # Unary ops: input a; pow also has the constant exponent n.
    Op("pow", "**", 1, "a ** n", ("n * a ** (n - 1.0)",), ("n·a^(n-1)",),
       "a ** n for a number n",
       checks=(("a != 0.0 or n >= 0.0", "0 to a negative power is undefined"),
               ("a >= 0.0 or n == int(n)",
                "a negative base needs a whole-number exponent (the result is not real)"),
               ("a != 0.0 or n >= 1.0 or n == 0.0",
                "the derivative n·a^(n-1) is infinite at a = 0")),
       examples=((1.5,), (-2.0,))),
    Op("neg", "-", 1, "-a", ("-1.0",), ("-1",), "-a", examples=((2.0,), (-0.5,))),
    Op("abs", "abs", 1, "abs(a)", ("float((a > 0.0) - (a < 0.0))",),
       ("1 if a > 0 else -1 (0 at 0)",), "|a|; its derivative at 0 is taken as 0, as in PyTorch",
       examples=((2.0,), (-0.5,))),
    Op("exp", "exp", 1, "_exp(a)", ("out",), ("out",), "e to the power a",
       checks=(("a <= 709.782712893384", "the result overflows a float (a above 709.78)"),),
       examples=((0.5,), (-2.0,))),
    Op("log", "log", 1, "_log(a)", ("1.0 / a",), ("1/a",), "natural logarithm of a",
       checks=(("a > 0.0", "the input must be > 0"),),
       examples=((0.5,), (3.0,))),
    Op("sqrt", "sqrt", 1, "_sqrt(a)", ("0.5 / out",), ("1/(2·out)",), "square root of a",
       checks=(("a >= 0.0", "the input must be >= 0"),
               ("a != 0.0", "the derivative 1/(2·sqrt(a)) is infinite at a = 0")),
       examples=((0.5,), (4.0,))),
    Op("tanh", "tanh", 1, "_tanh(a)", ("1.0 - out * out",), ("1 - out²",),
       "hyperbolic tangent: squashes a into (-1, 1)",
       examples=((0.5,), (-2.0,))),
    Op("sigmoid", "σ", 1, "1.0 / (1.0 + _exp(-a)) if a >= 0.0 else _exp(a) / (1.0 + _exp(a))",
       ("out * (1.0 - out)",), ("out·(1 - out)",),
       "logistic sigmoid: squashes a into (0, 1)",
       examples=((0.5,), (-2.0,))),
    Op("relu", "ReLU", 1, "a if a > 0.0 else 0.0", ("1.0 if a > 0.0 else 0.0",),
       ("1 if a > 0 else 0",),
       "rectified linear unit: max(a, 0); its derivative at 0 is taken as 0, as in PyTorch",
       examples=((0.5,), (-2.0,))),
    # Ops with any number of inputs: one node instead of a chain of binary ones.
    Op("sum", "Σ", None, "sum(terms)", ("1.0",), ("1",), "t₁ + t₂ + … + tₙ",
       examples=((0.5, -2.0, 3.0),)),
    Op("weighted_sum", "Σw·x", None, "w₁x₁ + … + wₙxₙ + b", ("x_i", "w_i", "1.0"),
       ("xᵢ", "wᵢ", "1"), "the weighted sum of a neuron: w₁·x₁ + … + wₙ·xₙ + b",
       examples=((0.5, -2.0, 1.5, 0.25, 0.1),)),
)
# fmt: on
