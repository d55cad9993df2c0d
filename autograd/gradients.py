"""``grad``: gradients returned as Values, and built as graphs for higher-order derivatives.

With ``create_graph=True`` the chain rule is run on Values: each local derivative is the op
table's rule evaluated on the graph's own nodes, so the gradient is itself a graph that can
be drawn, stepped through and differentiated again.

>>> from autograd import Value
>>> x = Value(3.0, label="x")
>>> y = x ** 3
>>> (dy,) = grad(y, x, create_graph=True)
>>> (d2y,) = grad(dy, x, create_graph=True)
>>> (d3y,) = grad(d2y, x)
>>> dy.data, d2y.data, d3y.data, x.grad
(27.0, 18.0, 6.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd.derivatives import LOCAL_GRADS
from autograd.names import display_names
from autograd.numbers import real_number
from autograd.ops import OPS, DomainError, VariadicOp
from autograd.value import Value, topological_order

__all__ = ["grad"]


def _values(items: object, what: str) -> list[Value]:
    if isinstance(items, Value):
        return [items]
    if isinstance(items, Sequence) and not isinstance(items, str) and items:
        values = list(items)
        for i, item in enumerate(values):
            if not isinstance(item, Value):
                raise TypeError(
                    f"grad: {what}[{i}] is a {type(item).__name__}, not a Value; pass the "
                    "Values themselves."
                )
        return values
    raise TypeError(
        f"grad: {what} must be a Value or a non-empty list of Values, not {type(items).__name__}."
    )


def _seeds(gradient: object, outputs: list[Value]) -> list[Any]:
    if gradient is None:
        return [1.0] * len(outputs)
    items = [gradient] if isinstance(gradient, Value | int | float) else gradient
    if not isinstance(items, Sequence) or len(items) != len(outputs):
        raise ValueError(
            f"grad: gradient must give one number or Value per output ({len(outputs)}), got "
            f"{gradient!r:.60}"
        )
    return [g if isinstance(g, Value) else real_number(g, "grad: gradient") for g in items]


def _local_grads_as_values(node: Value) -> tuple[Any, ...]:
    """The node's local derivatives from the op table, evaluated on the graph's Values."""
    row = OPS[node.op]
    if isinstance(row, VariadicOp):
        return row.local_grads(node.parents, node.op_arg)
    return LOCAL_GRADS[node.op](*node.parents, node, node.op_arg)


def grad(
    outputs: Value | Sequence[Value],
    inputs: Value | Sequence[Value],
    gradient: float | Value | Sequence[float | Value] | None = None,
    *,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Value | None, ...]:
    """∂outputs/∂inputs as a tuple of Values, one per input, as ``torch.autograd.grad`` does.

    ``gradient`` seeds each output (default 1). No ``.grad`` is changed. With
    ``create_graph=True`` each result is a graph over the same Values, so it can be
    differentiated again; otherwise results are constants. An input that the outputs do not
    depend on is an error, or ``None`` with ``allow_unused=True``.

    >>> from autograd import Value
    >>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    >>> da, db = grad(a * b + a, [a, b])
    >>> da.data, db.data, a.grad
    (-2.0, 2.0, 0.0)
    """
    outs = _values(outputs, "outputs")
    ins = _values(inputs, "inputs")
    seeds = _seeds(gradient, outs)
    for i, value in enumerate(ins):
        if not value.requires_grad:
            raise ValueError(
                f"grad: inputs[{i}] ({value!r}) is a constant (requires_grad=False), so no "
                "gradient flows into it; differentiate with respect to Values that need one."
            )
    order: list[Value] = []
    seen: set[Value] = set()
    for out in outs:
        for node in topological_order(out, grad_only=True):
            if node not in seen:
                seen.add(node)
                order.append(node)
    grads: dict[Value, Any] = {}
    for out, seed in zip(outs, seeds, strict=True):
        if out.requires_grad:
            grads[out] = seed if out not in grads else grads[out] + seed
    for node in reversed(order):
        upstream = grads.get(node)
        if upstream is None or not node.parents:
            continue
        local_grads = _local_grads_as_values(node) if create_graph else node.local_grads
        for parent, local in zip(node.parents, local_grads, strict=True):
            if not parent.requires_grad:
                continue
            # A factor of exactly 1 (an add's local derivative, the output's seed) changes
            # no number, so it makes no "× 1" node in the derivative's graph either.
            if local.__class__ is float and local == 1.0:
                contribution = upstream
            elif upstream.__class__ is float and upstream == 1.0:
                contribution = local
            else:
                contribution = local * upstream
            before = grads.get(parent)
            grads[parent] = contribution if before is None else before + contribution
    results: list[Value | None] = []
    handed: set[Value] = set()  # the Values returned so far (hashed by identity)
    for i, value in enumerate(ins):
        found = grads.get(value)
        if found is None:
            if not allow_unused:
                name = display_names([value])[value]
                raise ValueError(
                    f"grad: inputs[{i}] ({name!r}) is not used to compute the outputs; pass "
                    "allow_unused=True to get None for it."
                )
            results.append(None)
        elif isinstance(found, Value):
            if not create_graph:
                found = _constant(found.data)
            elif found in seen or found in handed or any(found is seed for seed in seeds):
                found = found * 1.0  # never hand out a graph's own node, a seed, or a repeat
            handed.add(found)
            results.append(found)
        elif found - found != 0.0:
            raise DomainError(
                f"grad: the gradient towards inputs[{i}] ({display_names([value])[value]!r}) "
                f"is {found!r}: a local derivative on the way is infinite (as sqrt's is at 0) "
                "or the chain rule overflowed."
            )
        else:
            results.append(_constant(found))
    return tuple(results)


def _constant(number: float) -> Value:
    return Value(number, requires_grad=False)
