"""Helpers for the autograd tests: applying an op row to Values, central differences."""

from __future__ import annotations

import autograd
from autograd import OPS, Value, operators
from autograd.ops import Op


def params_for(name: str, n: float = 3.0) -> list[float]:
    """Constant parameters to test a row with: ``n`` for an exponent, else the defaults."""
    row = OPS[name]
    if not isinstance(row, Op):
        return []
    return [n if p.default is None else p.default * 10 for p in row.params]


def apply_op(name: str, *inputs: Value | float, n: float = 3.0) -> Value:
    """Build one node of op ``name`` from ``inputs``, as the row's operator does."""
    row = OPS[name]
    if isinstance(row, Op):
        return getattr(operators, name)(*inputs, *params_for(name, n))
    if row.kind == "sum":
        return autograd.sum(inputs)
    k = (len(inputs) - 1) // 2
    return autograd.weighted_sum(inputs[:k], inputs[k : 2 * k], inputs[-1])


def central_difference(name: str, numbers: tuple[float, ...], index: int, h: float = 1e-6):
    """∂op/∂input[index] by central differences of the forward value."""

    def at(shift: float) -> float:
        shifted = [x + (shift if i == index else 0.0) for i, x in enumerate(numbers)]
        return apply_op(name, *map(Value, shifted)).data

    return (at(h) - at(-h)) / (2 * h)


ALL_OPS = sorted(OPS)
FIXED_OPS = sorted(name for name, row in OPS.items() if isinstance(row, Op))
