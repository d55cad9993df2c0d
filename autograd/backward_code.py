"""The backward half of generated code: the chain rule, one line per step.

Nodes are taken from the output back to the inputs; each step ``∂L/∂parent += local ·
∂L/∂node`` is one line whose local derivative comes from the op row's rule. A parent whose
only step has local derivative 1 shares its child's gradient variable (a comment says so).
Layers of batch code are written by :mod:`autograd.layer_code`; runs of steps that a zero
gradient makes no-ops go under one test (:mod:`autograd.zero_runs`).

>>> from autograd import Value, compile
>>> print(compile(lambda a, b: a * b + a, 2.0, 3.0).source.split("# backward")[1])
: the chain rule, one line per step, from add1 back to the inputs
    grad_add1 = 1.0
    # ∂add₁/∂mul₁ is grad_add1 (∂add₁/∂mul₁ = 1)
    grad_a = grad_add1  # ∂add₁/∂a = 1
    grad_a += b * grad_add1  # ∂mul₁/∂a = b
    grad_b = a * grad_add1  # ∂mul₁/∂b = a
    return (add1,), (grad_a, grad_b,)
<BLANKLINE>
"""

from __future__ import annotations

from typing import Any

from autograd.code_text import LineInfo, grouped, is_simple
from autograd.layer_code import write_layer_backward
from autograd.ops import OPS
from autograd.value import Value, topological_order
from autograd.zero_runs import ZeroRuns

__all__ = ["write_backward"]


def write_backward(self: Any, root: Value) -> None:
    """Write the chain rule of ``root``'s graph: one line per step, from ``root`` back to the
    inputs, each step's line from its op row's derivative rule (``self``: the writer)."""
    self.grad_names: dict[int, str] = {}
    if id(root) not in self.needs_grad:
        return
    order = [n for n in topological_order(root, grad_only=True) if id(n) in self.needs_grad]
    needs_grad, parents_of, shown = self.needs_grad, self.parents_of, self.shown
    contributions: dict[int, int] = {}
    for node in order:
        for parent in parents_of[id(node)]:
            if id(parent) in needs_grad:
                contributions[id(parent)] = contributions.get(id(parent), 0) + 1
    root_name = self.names[id(root)]
    root_shown = self.shown[root]
    self.note(f"# backward: the chain rule, one line per step, from {root_name} back to the inputs")
    seed = f"grad_{root_name}"
    self.grad_names[id(root)] = seed
    started = set(self.accumulated)
    for key in self.accumulated:
        self.grad_names[key] = f"grad_{self.names[key]}"
    self.emit(f"{seed} {'+=' if id(root) in started else '='} 1.0", "", root_name)
    runs = None if self.on_arrays else ZeroRuns(self)
    through_sums: dict[int, bool] = {}  # an alias's gradient came through sums only
    anchors: dict[int, Value] = {}  # per layer: its first sum, where its chain rule goes
    for node in order:
        layer = self.layers.get(id(node))
        if layer is not None:
            anchors.setdefault(id(layer), node)
    grad_names, names, lines, info, tidy = (
        self.grad_names,
        self.names,
        self.lines,
        self.info,
        self.tidy,
    )
    plus = "{0} = {0} + {1}" if self.on_arrays else "{0} += {1}"  # arrays: no += (shared)
    for node in reversed(order):
        parents = parents_of[id(node)]
        if not parents:
            continue
        layer = self.layers.get(id(node))
        if layer is not None:
            if anchors[id(layer)] is node:
                write_layer_backward(self, layer, started)
            continue
        upstream = grad_names[id(node)]
        row = OPS[node.op]
        node_shown = shown[node]
        line_info = LineInfo(node.op, node_shown, row.hint)  # the same for each of its lines
        locals_ = self.locals_of(node)
        shown_parents = self.parent_texts(node)[1]
        held = plain = False
        if runs is not None:
            if upstream in runs.heads:  # the gradient of a ReLU's input, which may be 0
                # A sum or product whose local derivatives are its own inputs (zero_runs.py).
                plain = through_sums.get(id(node), True) and all(map(is_simple, locals_))
            if plain or runs.upstream is not None:
                held = runs.begin(upstream if plain else None)
        for index, parent in enumerate(parents):
            key = id(parent)
            if key not in needs_grad:
                continue
            local = locals_[index]
            if local == "1.0" and key not in grad_names and contributions[key] == 1:
                grad_names[key] = upstream  # the same number: no line needed
                through_sums[key] = plain
                if tidy:  # a graph people read says so in a comment
                    formula = row.formula_text(index, shown_parents, node.op_arg, out=node_shown)
                    step = f"∂{node_shown}/∂{shown[parent]} = {formula}"
                    self.note(f"# ∂{root_shown}/∂{shown[parent]} is {upstream} ({step})")
                continue
            formula = row.formula_text(index, shown_parents, node.op_arg, out=node_shown)
            step = f"∂{node_shown}/∂{shown[parent]} = {formula}"
            if local == "1.0":
                term = upstream
            elif local == "-1.0":
                term = f"-{upstream}"
            else:
                term = f"{grouped(local)} * {upstream}"
            name = grad_names.get(key)
            if name is None:
                name = grad_names[key] = f"grad_{names[key]}"
                vanishes = contributions[key] == 1 and " else 0.0" in local  # as ReLU's
                if runs is not None and vanishes and key not in self.inlined:
                    runs.may_vanish(name, names[key], shown[parent])
            code = plus.format(name, term) if key in started else f"{name} = {term}"
            lines.append(f"{self.pad}{code}  # {step}")
            info[len(lines) + 1] = line_info  # +1: the def line
            if held:
                runs.step(None if key in started else name)  # type: ignore[union-attr]
            started.add(key)
    if runs is not None:
        runs.flush()
