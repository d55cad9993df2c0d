"""Sums in one node: ``sum`` of many terms, and the ``weighted_sum`` a neuron computes.

Their rows in the op table (:class:`autograd.ops.VariadicOp`) hold the rules; this module
checks the inputs and makes the nodes. Plain numbers among the inputs become constants.

>>> from autograd import Value
>>> xs = [Value(float(i)) for i in range(1, 5)]
>>> total = sum(xs)
>>> total.data, total.op, len(total.parents), total.op_arg
(10.0, 'sum', 4, SumArg(count=4))
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from operator import attrgetter
from operator import mul as _mul

from autograd.op_checks import domain_error, read_inputs
from autograd.ops import OPS, SumArg, VariadicOp, WeightedSumArg
from autograd.value import Value, _lift, _make

__all__ = ["sum", "weighted_sum", "weighted_sums"]

_SUM = OPS["sum"]
_WEIGHTED_SUM = OPS["weighted_sum"]
_builtin_sum = builtins.sum
_data_of = attrgetter("data")
_requires_grad = attrgetter("requires_grad")
_VALUE_TYPE = frozenset({Value})


def _container(items: object, what: str, sequence: bool) -> Sequence[object] | Iterable[object]:
    """``items`` if it is a list, tuple or (without ``sequence``) another iterable of items."""
    if items.__class__ is list or items.__class__ is tuple:
        return items  # the common case, checked first because layers call this per neuron
    if hasattr(items, "ndim") or isinstance(items, str | bytes | Value):
        raise TypeError(
            f"{what} must be a list of Values or numbers, not {type(items).__name__}; "
            "convert an array with .tolist() first."
        )
    if sequence and not isinstance(items, Sequence):
        raise TypeError(
            f"{what} must be a list or tuple of Values or numbers, not "
            f"{type(items).__name__}; wrap it in list(...) first."
        )
    if not isinstance(items, Iterable):
        raise TypeError(
            f"{what} must be an iterable of Values or numbers, not {type(items).__name__}."
        )
    return items


def _checked_total(
    row: VariadicOp, total: object, parents: tuple[Value, ...], arg: SumArg | WeightedSumArg
) -> float:
    """``total`` if it is a finite float; else the error naming the input that made it not."""
    if total.__class__ is float and total - total == 0.0:
        return total  # type: ignore[return-value]
    read_inputs(row, parents, arg)  # names a Value whose data is not a finite float
    raise domain_error(row, parents, f"the result overflows a float ({total!r})", arg)


# Shared op_args for sums of the same shape (a layer makes many), by n * 2 + bias for a
# weighted sum and by -count for a sum.
_ARGS: dict[int, SumArg | WeightedSumArg] = {}


def _arg(kind: type, count: int, bias: bool = False) -> SumArg | WeightedSumArg:
    """The ``op_arg`` of a sum of ``count`` terms, or of a weighted sum of ``count`` pairs."""
    key = -count if kind is SumArg else count * 2 + bias
    arg = _ARGS.get(key)
    if arg is None:
        arg = _ARGS[key] = SumArg(count) if kind is SumArg else WeightedSumArg(count, bias)
    return arg


def sum(terms: Iterable[Value | float]) -> Value:
    """Add many terms in **one** node (local derivative 1 to each term).

    Plain numbers among the terms become constants, as with ``+``.

    >>> from autograd import Value
    >>> total = sum([Value(1.0), 2, Value(3.0)])
    >>> total.data, total.local_grads
    (6.0, (1.0, 1.0, 1.0))
    """
    items = _container(terms, "sum's terms", sequence=False)
    parents = tuple(t if t.__class__ is Value else _lift(t, "sum: a term") for t in items)
    if not parents:
        raise ValueError("sum needs at least one term; got an empty sequence.")
    arg = _arg(SumArg, len(parents))
    total = _checked_total(_SUM, _SUM.forward(list(map(_data_of, parents)), arg), parents, arg)
    return _node("sum", total, arg, parents, (1.0,) * len(parents))


def weighted_sum(
    weights: Sequence[Value | float],
    inputs: Sequence[Value | float],
    bias: Value | float | None = None,
) -> Value:
    """One node for ``w₁·x₁ + … + wₙ·xₙ + b``, the sum a neuron computes.

    Parents are w₁…wₙ, then x₁…xₙ, then b (plain numbers become constants); their local
    derivatives are x₁…xₙ, w₁…wₙ and 1.

    >>> from autograd import Value
    >>> w = [Value(0.5, label="w1"), Value(-1.0, label="w2")]
    >>> s = weighted_sum(w, [1.0, 2.0], bias=Value(0.25, label="b"))
    >>> s.data, s.local_grads
    (-1.25, (1.0, 2.0, 0.5, -1.0, 1.0))
    >>> s.op_arg
    WeightedSumArg(n=2, bias=True)
    """
    x = _inputs(inputs)
    return _weighted_sum(weights, x, list(map(_data_of, x)), bias)


def weighted_sums(
    weight_rows: Sequence[Sequence[Value | float]],
    inputs: Sequence[Value | float],
    biases: Sequence[Value | float | None],
) -> list[Value]:
    """A layer's weighted sums: ``weighted_sum(w, inputs, b)`` for each row ``w`` and bias ``b``.

    The nodes are exactly those :func:`weighted_sum` makes; the shared inputs are only checked
    and read once, which makes a layer faster.

    >>> from autograd import Value
    >>> x = [Value(1.0), Value(2.0)]
    >>> rows = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)]]
    >>> [s.data for s in weighted_sums(rows, x, [Value(0.25), None])]
    [-1.25, 2.5]
    """
    _container(weight_rows, "weighted_sums' weight rows", sequence=True)
    _container(biases, "weighted_sums' biases", sequence=True)
    if len(weight_rows) != len(biases):
        raise ValueError(
            f"weighted_sums needs one bias (or None) per row of weights; got "
            f"{len(weight_rows)} rows and {len(biases)} biases."
        )
    x = _inputs(inputs)
    x_data = list(map(_data_of, x))
    return [
        _weighted_sum(weights, x, x_data, bias)
        for weights, bias in zip(weight_rows, biases, strict=True)
    ]


def _inputs(inputs: Sequence[Value | float]) -> tuple[Value, ...]:
    """The inputs of a weighted sum as Values (numbers become constants)."""
    items = _container(inputs, "weighted_sum's inputs", sequence=True)
    if _VALUE_TYPE.issuperset(map(type, items)):
        return tuple(items)  # type: ignore[arg-type]
    return tuple(v if v.__class__ is Value else _lift(v, "weighted_sum: an input") for v in items)


def _weighted_sum(
    weights: Sequence[Value | float],
    x: tuple[Value, ...],
    x_data: list[float],
    bias: Value | float | None,
) -> Value:
    # The hot path of every neuron: the checks that are cheap in C come first.
    items = weights
    if items.__class__ is not list and items.__class__ is not tuple:
        items = _container(weights, "weighted_sum's weights", sequence=True)
    n = len(items)
    if len(x) != n:
        raise ValueError(
            f"weighted_sum needs as many weights as inputs; got {n} weights and {len(x)} inputs."
        )
    if n == 0:
        raise ValueError("weighted_sum needs at least one weight and input.")
    if _VALUE_TYPE.issuperset(map(type, items)):
        w = tuple(items)
    else:
        w = tuple(v if v.__class__ is Value else _lift(v, "weighted_sum: a weight") for v in items)
    w_data = list(map(_data_of, w))
    total = _builtin_sum(map(_mul, w_data, x_data))
    if bias is None:
        parents, local_grads = (*w, *x), (*x_data, *w_data)
    else:
        b = bias if bias.__class__ is Value else _lift(bias, "weighted_sum: the bias")
        total += b.data
        parents, local_grads = (*w, *x, b), (*x_data, *w_data, 1.0)
    arg = _ARGS.get(n * 2 + (bias is not None)) or _arg(WeightedSumArg, n, bias is not None)
    if total.__class__ is not float or total - total != 0.0:
        total = _checked_total(_WEIGHTED_SUM, total, parents, arg)
    return _node("weighted_sum", total, arg, parents, local_grads)


def _node(
    op: str, total: float, arg: object, parents: tuple[Value, ...], local_grads: tuple
) -> Value:
    """A node with any number of parents; it needs a gradient if any parent does."""
    return _make(
        op,
        total,
        arg,
        None,
        None,
        0.0,
        0.0,
        parents,
        local_grads,
        any(map(_requires_grad, parents)),
    )
