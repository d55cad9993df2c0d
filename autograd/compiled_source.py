"""Write a traced graph as straight-line Python: one line per op forward, one per chain-rule
step backward, from the op table's own rules.

Each line comes from a row of :data:`autograd.ops.OPS`: the forward and derivative expressions
are the row's, turned into templates by :func:`autograd.codegen.rule_template`. A value used
only once, whose number no derivative needs (the products and partial sums of a neuron, say),
is written into the expression of the value that uses it, so a neuron is one line.

>>> from autograd import Value
>>> from autograd.tracing import trace
>>> x = Value(0.5, label="x")
>>> print(write_source(trace(lambda: (x * x).tanh(), [x]), ["x"]).text, end="")
def value_and_grad(x):
    # forward: one line per value of the graph
    tanh1 = _float_tanh(x * x)  # tanh₁ = tanh(x · x)
    # backward: the chain rule, one line per step, from tanh1 back to the inputs
    grad_tanh1 = 1.0
    grad_mul1 = (1.0 - tanh1 * tanh1) * grad_tanh1  # ∂tanh₁/∂mul₁ = 1 - tanh₁²
    grad_x = x * grad_mul1  # ∂mul₁/∂x = x
    grad_x += x * grad_mul1  # ∂mul₁/∂x = x
    return (tanh1,), (grad_x,)
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from autograd.backward_code import write_backward
from autograd.code_text import (
    ASCII_DIGITS,
    LineInfo,
    Term,
    code_plan,
    fill_plan,
    grouped,
    identifier,
    number,
    parents_read,
    rule_reads,
)
from autograd.codegen import rule_can_raise, rule_template
from autograd.layer_code import Layer, find_layers, write_layer_forward
from autograd.names import display_names
from autograd.ops import OPS, Op
from autograd.tracing import Trace
from autograd.value import Value

__all__ = ["LineInfo", "Source", "write_source"]

_PREFIXES = re.compile(r"\b_(float|builtin)_")
_MAX_DEPTH = 24
_FLAT_TERMS = 200  # a sum of more terms is a call, not one expression Python parses deeply
_TIDY_NODES = 20_000  # larger graphs are written untidied, for speed (see _Writer.write)
_NEGATIONS = {"<": ">=", "<=": ">", ">": "<=", ">=": "<"}


@dataclass
class Source:
    """Generated code: its ``text``, the argument names, the captured leaves read at each call
    (``live``) and, per line number, what the line computes (``lines``)."""

    text: str
    arguments: list[str]
    live: list[Value]
    lines: dict[int, LineInfo] = field(default_factory=dict)
    names: dict[str, object] = field(default_factory=dict)  # the rows' methods the code calls


class _Writer:
    def __init__(
        self, trace: Trace, arguments: Sequence[str], on_arrays: bool, batch: bool = False
    ) -> None:
        self.trace = trace
        self.on_arrays = on_arrays or batch
        self.batch = batch
        self.order = trace.order
        self.inputs = {id(leaf): i for i, leaf in enumerate(trace.inputs)}
        self.shown = display_names(self.order)
        self.used: set[str] = set()
        self.names: dict[int, str] = {}
        for leaf, name in zip(trace.inputs, arguments, strict=True):
            self.names[id(leaf)] = identifier(name, self.used)
        self.arguments = [self.names[id(leaf)] for leaf in trace.inputs]
        self.live: list[Value] = []
        self.lines: list[str] = []
        self.info: dict[int, LineInfo] = {}
        self.texts: dict[int, str] = {}
        self.parents_cache: dict[int, tuple[list[str], list[str]]] = {}
        self.locals_cache: dict[int, list[str]] = {}
        self.rule_plans: dict[tuple, list[tuple[tuple[str, int], ...]]] = {}
        self.shown_texts: dict[int, str] = {}
        self.globals: dict[str, object] = {}
        self._classify()
        self.layers: dict[int, Layer] = {}
        self.totals: set[int] = set()  # inputs whose gradient is already the batch's sum
        if batch:
            grad_inputs = {id(leaf) for leaf in trace.inputs if id(leaf) in self.needs_grad}
            self.layers = find_layers(
                self.order, self.parents_of, grad_inputs, self.uses, self.varies
            )
            self.inlined.difference_update(self.layers)  # a layer's sums are rows of names

    # -- which values are variables, literals, live leaves, or written into their user --------

    def _classify(self) -> None:
        # Each node's parents are read once here: the property builds a tuple per call.
        self.parents_of: dict[int, tuple[Value, ...]] = {id(n): n.parents for n in self.order}
        parents_of = self.parents_of
        self.varies: set[int] = set()  # depends on an input or a live leaf: computed per call
        self.needs_grad: set[int] = set()  # depends on an input: gets a gradient
        varies, needs_grad = self.varies, self.needs_grad
        uses: dict[int, int] = {}
        read: set[int] = set()  # values whose number a derivative or a guard needs
        for node in self.order:
            key = id(node)
            parents = parents_of[key]
            if key in self.inputs:
                varies.add(key)
                if node.requires_grad:  # an input made with requires_grad=False gets no grad
                    needs_grad.add(key)
                continue
            if not parents:
                if node.requires_grad:  # a Value captured from outside: read at each call
                    varies.add(key)
                    self.live.append(node)
                    self.names[key] = identifier(node.label or "captured", self.used)
                continue
            keys = [id(p) for p in parents]
            if varies.isdisjoint(keys):
                continue
            varies.add(key)
            if not needs_grad.isdisjoint(keys):
                needs_grad.add(key)
            for parent_key in keys:
                uses[parent_key] = uses.get(parent_key, 0) + 1
            row = OPS[node.op]
            for index in parents_read(row, node):
                read.add(keys[index])
            if isinstance(row, Op) and rule_reads(row, "out"):
                read.add(key)
        for leaf in self.trace.inputs:  # an input the traced path never reads is still one
            if id(leaf) not in varies:
                varies.add(id(leaf))
                if leaf.requires_grad:
                    needs_grad.add(id(leaf))
        self.live_names = [self.names[id(leaf)] for leaf in self.live]
        self.uses = uses
        for output in self.trace.outputs:
            read.add(id(output))
        for guard in self.trace.guards:
            read.add(id(guard.left))
            if guard.right.__class__ is Value:
                read.add(id(guard.right))
        # A value used once, whose number nothing else needs, is written into its user's
        # line, up to a nesting depth that keeps lines readable and the parser happy. Ops that
        # can raise keep their own line, so an error names the right op.
        self.inlined: set[int] = set()
        depth: dict[int, int] = {}
        raises: dict[str, bool] = {}
        for node in self.order:
            key = id(node)
            if key not in varies or not parents_of[key]:
                continue
            level = 1 + max(depth.get(id(p), 0) for p in parents_of[key])
            can_raise = raises.get(node.op)
            if can_raise is None:
                row = OPS[node.op]
                can_raise = raises[node.op] = isinstance(row, Op) and rule_can_raise(
                    row, row.forward
                )
            if (
                uses.get(key) == 1
                and not can_raise
                and key not in read
                and not node.label  # a value the learner named keeps its own line
                and level < _MAX_DEPTH
            ):
                self.inlined.add(key)
                depth[key] = level
            else:
                depth[key] = 0
        for node in self.order:
            key = id(node)
            if key in varies and key not in self.names:
                self.names[key] = identifier(
                    node.label or self.shown[node].translate(ASCII_DIGITS), self.used
                )

    # -- text -------------------------------------------------------------------------------

    def text_of(self, node: Value) -> str:
        """The Python expression for ``node``'s number."""
        key = id(node)
        if key not in self.varies:
            return number(node.data)
        if key in self.inlined:
            text = self.texts.get(key)
            if text is None:
                text = self.texts[key] = self.expression(node)
            return text
        return self.names[key]

    def shown_of(self, node: Value) -> str:
        """How the comment shows ``node``: its name, or the expression it was written into."""
        key = id(node)
        if key in self.inlined:
            text = self.shown_texts.get(key)
            if text is None:
                text = self.shown_texts[key] = self.formula(node)
            return text
        return self.shown[node]

    def formula(self, node: Value) -> str:
        row = OPS[node.op]
        names = [self.shown_of(p) for p in self.parents_of[id(node)]]
        return row.forward_text(names, node.op_arg)

    def expression(self, node: Value) -> str:
        row = OPS[node.op]
        parents = [self.text_of(p) for p in self.parents_of[id(node)]]
        if isinstance(row, Op):
            plans = self.plans(row, node.op_arg)
            return fill_plan(plans[0], self._plan_values(parents, "", node.op_arg))
        terms = [Term(grouped(text)) for text in parents]
        if len(terms) <= _FLAT_TERMS:  # one expression (longer ones are too deep to parse)
            try:
                return str(row.forward(terms, node.op_arg))
            except TypeError:  # the row computes in a way plain + cannot write (math.fsum)
                pass
        if self.on_arrays and row.kind == "sum":  # arrays add elementwise; fsum takes none
            return f"_plain_sum(({', '.join(terms)},))"
        name = f"_{row.name}_forward"  # the row's own forward, called on the numbers
        self.globals[name] = row.forward
        self.globals[f"_arg{len(self.globals)}"] = node.op_arg
        return f"{name}(({', '.join(terms)},), _arg{len(self.globals) - 1})"

    def parent_texts(self, node: Value) -> tuple[list[str], list[str]]:
        """The code and the comment text of each of ``node``'s parents (kept per node)."""
        key = id(node)
        texts = self.parents_cache.get(key)
        if texts is None:
            parents = self.parents_of[key]
            texts = self.parents_cache[key] = (
                [self.text_of(p) for p in parents],
                [self.shown_of(p) for p in parents],
            )
        return texts

    def plans(self, row: Op, arg: object) -> list[tuple[tuple[str, int], ...]]:
        """The row's forward and derivative templates, split for :func:`fill_plan` (kept)."""
        fields = () if arg is None else arg._fields  # type: ignore[attr-defined]
        key = (row.name, fields)
        found = self.rule_plans.get(key)
        if found is None:
            names = (*row.inputs, "out", *fields)
            found = self.rule_plans[key] = [
                code_plan(rule_template(row, rule, on_arrays=self.on_arrays), names)
                for rule in (row.forward, *row.derivatives)
            ]
        return found

    @staticmethod
    def _plan_values(code: list[str], out: str, arg: object) -> list[str]:
        if arg is None:
            return [*code, out]
        return [*code, out, *map(number, arg)]  # type: ignore[call-overload]

    def locals_of(self, node: Value) -> list[str]:
        """The code of ``node``'s local derivative towards each parent (kept per node)."""
        key = id(node)
        found = self.locals_cache.get(key)
        if found is not None:
            return found
        row = OPS[node.op]
        code = self.parent_texts(node)[0]
        if isinstance(row, Op):
            values = self._plan_values(code, self.names[key], node.op_arg)
            found = [fill_plan(plan, values) for plan in self.plans(row, node.op_arg)[1:]]
        else:
            found = [
                local if isinstance(local, str) else number(local)
                for local in row.local_grads(code, node.op_arg)
            ]
        self.locals_cache[key] = found
        return found

    def emit(self, line: str, op: str, value: str, hint: str = "") -> None:
        self.lines.append(self.pad + line)
        self.info[len(self.lines) + 1] = LineInfo(op, value, hint)  # +1: the def line

    def note(self, line: str) -> None:
        self.lines.append(self.pad + line)

    # -- the function -----------------------------------------------------------------------

    def write(self, loop: bool) -> Source:
        self.pad = "    "
        grad_inputs = [leaf for leaf in self.trace.inputs if id(leaf) in self.needs_grad]
        per_sample = [leaf for leaf in self.trace.inputs if id(leaf) not in self.needs_grad]
        self.accumulated = {id(leaf) for leaf in grad_inputs} if loop else set()
        if loop:
            self.note("# the gradients of the parameters add up over the samples")
            for leaf in grad_inputs:
                self.emit(f"grad_{self.names[id(leaf)]} = 0.0", "", self.names[id(leaf)])
            self.emit("total = 0.0", "", "total")
            names = ", ".join(self.names[id(leaf)] for leaf in per_sample)
            self.emit(f"for {names}{',' if len(per_sample) == 1 else ''} in _samples:", "", "")
            self.pad = "        "
        if self.batch:
            samples = [leaf for leaf in self.trace.inputs if not leaf.requires_grad]
            columns = ", ".join(self.names[id(leaf)] for leaf in samples)
            self.emit(f"_n = _size({columns})  # the number of samples", "", "_n")
        self.note("# forward: one line per value of the graph")
        for index, name in enumerate(self.live_names):
            self.emit(f"{name} = _live[{index}].data  # a Value captured by the function", "", name)
        self.written = {id(leaf) for leaf in (*self.trace.inputs, *self.live)}
        guards = self._guards(list(self.trace.guards), 0)
        # Redundant parentheses are taken out of lines for graphs people read; a graph of
        # tens of thousands of values is compiled faster with them left in, and without the
        # comment-only lines that say a gradient is shared.
        tidy = self.tidy = len(self.order) <= _TIDY_NODES
        for node in self.order:
            key = id(node)
            layer = self.layers.get(key)
            if layer is not None:
                if node is layer.members[0]:
                    write_layer_forward(self, layer)
            elif key in self.varies and self.parents_of[key] and key not in self.inlined:
                name = self.names[key]
                shown = self.formula(node)
                expression = self.expression(node)
                if tidy and any(id(p) in self.inlined for p in self.parents_of[key]):
                    expression = ast.unparse(ast.parse(expression, mode="eval"))  # tidy parens
                    shown = _PREFIXES.sub("", expression).replace(" * ", " · ")
                comment = f"{self.shown[node]} = {shown}"
                self.emit(
                    f"{name} = {expression}  # {comment}",
                    node.op,
                    self.shown[node],
                    OPS[node.op].hint,
                )
            guards = self._guards(guards, key)
        root = self.trace.outputs[0]
        write_backward(self, root)
        outputs = ", ".join(self.text_of(o) for o in self.trace.outputs)
        grads = ", ".join(self._gradient(leaf) for leaf in self.trace.inputs)
        comma = "," if grads else ""
        if loop:
            self.emit(f"total += {self.text_of(root)}", "", "total")
            extra = ", ".join(self.text_of(o) for o in self.trace.outputs[1:])
            self.emit(f"_outputs.append(({extra}{',' if extra else ''}))", "", "")
            self.pad = "    "
            grads = ", ".join(self.grad_names.get(id(leaf), "0.0") for leaf in grad_inputs)
            self.note(f"return (total,), ({grads}{',' if grads else ''})")
            arguments = [self.names[id(leaf)] for leaf in grad_inputs]
            signature = ", ".join(
                [*arguments, "_samples", "_outputs", *(["_live"] if self.live else [])]
            )
        else:
            self.note(f"return ({outputs},), ({grads}{comma})")
            arguments = self.arguments
            signature = ", ".join([*arguments, *(["_live"] if self.live else [])])
        text = "\n".join([f"def value_and_grad({signature}):", *self.lines]) + "\n"
        return Source(text, arguments, self.live, self.info, self.globals)

    def _gradient(self, leaf: Value) -> str:
        """What the function returns as ``leaf``'s gradient (summed over a batch)."""
        name = self.grad_names.get(id(leaf))
        if name is None:
            return "0.0"
        if self.batch and id(leaf) not in self.totals:
            return f"_total({name}, _n)"
        return name

    def _guards(self, pending: list, key: int) -> list:
        """Write the checks of the guards whose operands are all computed by now."""
        self.written.add(key)
        waiting = []
        for guard in pending:
            right = guard.right
            operands = [guard.left, *([right] if right.__class__ is Value else [])]
            if any(id(v) in self.varies and id(v) not in self.written for v in operands):
                waiting.append(guard)
                continue
            left = self.text_of(guard.left)
            other = self.text_of(right) if right.__class__ is Value else number(right)
            failing = guard.symbol if not guard.holds else _NEGATIONS[guard.symbol]
            test = f"{grouped(left)} {failing} {grouped(other)}"
            if self.on_arrays:
                test = f"_any({test})"
            said = f"{left} {guard.symbol} {other}"
            self.emit(f"if {test}:  # guard: {said} was {guard.holds} when traced", "guard", said)
            self.emit("    return None", "guard", said)
        return waiting


def write_source(
    trace: Trace,
    arguments: Sequence[str],
    *,
    on_arrays: bool = False,
    loop: bool = False,
    batch: bool = False,
) -> Source:
    """The straight-line function ``value_and_grad(*arguments)`` for ``trace``.

    It returns ``(outputs, gradients)``: the traced outputs' numbers and ∂outputs[0]/∂input
    for every input, or ``None`` when a guard fails (the inputs take another branch). With
    ``on_arrays`` each input may be a numpy array (the rules work elementwise, guards check
    every element); the gradients are then arrays too, one entry per element. With ``loop``,
    the inputs made with ``requires_grad=False`` are one sample's: the function takes the
    others, then ``_samples`` (a list with a tuple of those inputs per sample) and
    ``_outputs`` (a list it appends each sample's outputs to), runs the code for every
    sample and returns ``((total of outputs[0],), gradients of the other inputs)``; each
    sample's other outputs go into ``_outputs``. With ``batch`` (array code for a batch: the
    inputs that need a gradient are numbers, the others arrays with one entry per sample),
    the gradients come back summed over the samples, and the weighted sums of a layer are
    computed a whole layer at a time (see :mod:`autograd.layer_code`).

    >>> from autograd import Value
    >>> from autograd.tracing import trace
    >>> x = Value(2.0, label="x")
    >>> source = write_source(trace(lambda: x * 3, [x]), ["x"])
    >>> source.arguments, source.text.splitlines()[-1]
    (['x'], '    return (mul1,), (grad_x,)')
    """
    if batch and loop:
        raise ValueError("write_source: batch code runs the samples at once, not in a loop.")
    return _Writer(trace, arguments, on_arrays, batch).write(loop)
