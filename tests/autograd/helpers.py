"""Helpers for the autograd tests: applying an op row to Values, central differences."""

from __future__ import annotations

import autograd
from autograd import OPS, Value


def apply_op(name: str, *inputs: Value, n: float = 3.0) -> Value:
    """Build one node of op ``name`` from ``inputs`` through the public API."""
    if name == "sum":
        return autograd.sum(inputs)
    if name == "weighted_sum":
        k = (len(inputs) - 1) // 2
        return autograd.weighted_sum(inputs[:k], inputs[k : 2 * k], inputs[-1])
    if name == "pow":
        return inputs[0] ** n
    if name == "pow_value":
        return inputs[0] ** inputs[1]
    binary = {"add": "__add__", "sub": "__sub__", "mul": "__mul__", "div": "__truediv__"}
    if name in binary:
        return getattr(inputs[0], binary[name])(inputs[1])
    unary = {"neg": "__neg__", "abs": "__abs__"}
    return getattr(inputs[0], unary.get(name, name))()


def central_difference(name: str, numbers: tuple[float, ...], index: int, h: float = 1e-6):
    """∂op/∂input[index] by central differences of the forward value."""

    def at(shift: float) -> float:
        shifted = [x + (shift if i == index else 0.0) for i, x in enumerate(numbers)]
        return apply_op(name, *map(Value, shifted)).data

    return (at(h) - at(-h)) / (2 * h)


ALL_OPS = sorted(OPS)
