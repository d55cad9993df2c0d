"""Layers of a traced graph, each written a whole layer at a time, for code that runs a batch.

In a batch program (``write_source(..., on_arrays=True, batch=True)``) every per-sample value
is a numpy array with one entry per sample, and the parameters are plain numbers. A layer of
neurons is a group of ``weighted_sum`` nodes over the same inputs, each with weights (and a
bias) of its own. One line per weight would make one numpy call per weight per pass; a layer
is instead computed with a few calls on whole matrices, in the rows' own chain rule:

- forward: ``Z = W · X + b``, one row of ``Z`` per neuron, added up input by input in the
  order a ``weighted_sum`` adds (so every sum is the same number, to the last bit, as the
  other engines compute: a ReLU at its kink takes the same side);
- backward: ``∂L/∂W = G @ Xᵀ`` (summed over the batch), ``∂L/∂X = Wᵀ @ G`` and
  ``∂L/∂b = Σ G``, where ``G`` holds each neuron's upstream gradient.

>>> from autograd import Value, weighted_sum
>>> x = [Value(1.0, label="x1", requires_grad=False), Value(2.0, label="x2", requires_grad=False)]
>>> w = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)]]
>>> b = [Value(0.0), Value(1.0)]
>>> sums = [weighted_sum(row, x, bias) for row, bias in zip(w, b)]
>>> order = [*x, *w[0], *w[1], *b, *sums]
>>> parents = {id(node): node.parents for node in order}
>>> grad_inputs = {id(v) for v in (*w[0], *w[1], *b)}
>>> layers = find_layers(order, parents, grad_inputs, {key: 1 for key in grad_inputs})
>>> [(layer.number, len(layer.members)) for layer in {id(v): v for v in layers.values()}.values()]
[(1, 2)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from autograd.value import Value

__all__ = ["Layer", "find_layers", "write_layer_backward", "write_layer_forward"]


@dataclass
class Layer:
    """Weighted sums of the same ``inputs``, one per neuron, each with its own weights."""

    number: int
    members: list[Value]
    weights: list[tuple[Value, ...]]
    biases: list[Value] | None
    inputs: tuple[Value, ...]


def find_layers(
    order: Sequence[Value],
    parents_of: dict[int, tuple[Value, ...]],
    grad_inputs: set[int],
    uses: dict[int, int],
    varies: set[int] | None = None,
) -> dict[int, Layer]:
    """The layers among ``order``'s weighted sums, by the id of each member.

    A weighted sum joins a layer when all its weights (and its bias, if any) are inputs in
    ``grad_inputs`` used nowhere else (``uses`` counts each value's uses), so each of their
    gradients is one entry of ``∂L/∂W``; a layer has at least two members. Members share
    their inputs: the same values, or constants (values not in ``varies``) of equal number.
    """
    groups: dict[tuple, list[Value]] = {}
    for node in order:
        if node.op != "weighted_sum":
            continue
        n, has_bias = node.op_arg.n, node.op_arg.bias
        parents = parents_of[id(node)]
        own = parents[:n] + parents[2 * n :]  # the weights and the bias
        if all(id(p) in grad_inputs and uses.get(id(p)) == 1 for p in own):
            inputs = [
                id(p) if varies is None or id(p) in varies else ("constant", p.data)
                for p in parents[n : 2 * n]
            ]
            groups.setdefault((has_bias, *inputs), []).append(node)
    layers: dict[int, Layer] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        first = parents_of[id(members[0])]
        n = members[0].op_arg.n
        layer = Layer(
            number=len({id(layer) for layer in layers.values()}) + 1,
            members=members,
            weights=[parents_of[id(m)][:n] for m in members],
            biases=[parents_of[id(m)][2 * n] for m in members] if members[0].op_arg.bias else None,
            inputs=first[n : 2 * n],
        )
        for member in members:
            layers[id(member)] = layer
    return layers


def write_layer_forward(writer: Any, layer: Layer) -> None:
    """Write the lines that compute every member of ``layer`` (``writer`` is the
    :mod:`autograd.compiled_source` writer: its names, ``text_of`` and ``emit``)."""
    k = layer.number
    text_of = writer.text_of
    shown = [writer.shown[m] for m in layer.members]
    rows = ", ".join(f"({', '.join(map(text_of, row))},)" for row in layer.weights)
    z = f"_affine(_W{k}, _X{k}"
    if layer.biases is not None:
        z += f", ({', '.join(map(text_of, layer.biases))},)"
    z += ")"
    names = ", ".join(writer.names[id(m)] for m in layer.members)
    lines = [
        (f"_X{k} = _rows(({', '.join(map(text_of, layer.inputs))},), _n)", "the shared inputs"),
        (f"_W{k} = _matrix(({rows},))", "the weights, one row per neuron"),
        (f"_Z{k} = {z}", f"{shown[0]} … {shown[-1]} = W · x + b, all rows at once"),
        (f"{names}, = _Z{k}", "one row per neuron"),
    ]
    for code, comment in lines:
        writer.emit(f"{code}  # layer {k}: {comment}", "weighted_sum", shown[0])


def write_layer_backward(writer: Any, layer: Layer, started: set[int]) -> None:
    """Write ``layer``'s chain rule: from its members' upstream gradients, the weights' and
    biases' gradients summed over the batch, and each input's ``∂L/∂x`` term (added to what
    it has in ``started``). The weights' and biases' gradients are noted in ``writer.totals``:
    they are sums over the batch already."""
    k = layer.number

    def named(leaf: Value) -> str:
        name = writer.grad_names[id(leaf)] = f"grad_{writer.names[id(leaf)]}"
        started.add(id(leaf))
        writer.totals.add(id(leaf))
        return name

    upstream = ", ".join(writer.grad_names.get(id(m), "0.0") for m in layer.members)
    weights = ", ".join(named(w) for row in layer.weights for w in row)
    lines = [
        (f"_G{k} = _rows(({upstream},), _n)", "∂L/∂ each neuron's sum"),
        (
            f"{weights}, = (_G{k} @ _X{k}.T).ravel().tolist()",
            "∂L/∂w = Σ over the batch x · ∂L/∂sum",
        ),
    ]
    if layer.biases is not None:
        biases = ", ".join(named(b) for b in layer.biases)
        lines.append(
            (f"{biases}, = _G{k}.sum(axis=1).tolist()", "∂L/∂b = Σ over the batch ∂L/∂sum")
        )
    wanted = [i for i, x in enumerate(layer.inputs) if id(x) in writer.needs_grad]
    if wanted:
        lines.append((f"_dX{k} = _W{k}.T @ _G{k}", "∂L/∂x = Σ over the neurons w · ∂L/∂sum"))
    for i in wanted:
        key = id(layer.inputs[i])
        name = writer.grad_names.setdefault(key, f"grad_{writer.names[key]}")
        term = f"{name} + _dX{k}[{i}]" if key in started else f"_dX{k}[{i}]"
        started.add(key)
        lines.append((f"{name} = {term}", f"∂L/∂{writer.shown[layer.inputs[i]]}"))
    shown = writer.shown[layer.members[0]]
    for code, comment in lines:
        writer.emit(f"{code}  # layer {k}: {comment}", "weighted_sum", shown)
