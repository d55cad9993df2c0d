"""Write :mod:`autograd.operators` from the op table: real, readable Python for every row.

Each row of fixed arity becomes a function that builds a node, with the row's forward and
derivative expressions written inline (so making a node costs no extra call per rule), and a
function that evaluates the same derivative expressions on Values, for higher-order
gradients. The file is checked in, so tracebacks, ``inspect``, coverage and editors see real
code; after changing a row, run ``python -m autograd.codegen`` (a test fails while the file is
out of date).

>>> source = operators_source()
>>> "def mul(x: Value, y: Value | float) -> Value:" in source
True
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from autograd.ops import FLOAT_FUNCTIONS, OPS, Op

__all__ = ["PATH", "main", "operators_source"]

PATH = Path(__file__).with_name("operators.py")
_BUILTINS = {"abs", "float", "max", "min"}
_HEADER = '''\
"""The operators of Value, generated from the op table (autograd/ops.py): do not edit.

Regenerate with ``python -m autograd.codegen`` after changing a row. Each operator checks its
inputs, computes the row's forward and local derivatives as floats and makes the node; each
``*_local_grads`` function evaluates the same derivative rules on Values, for
``autograd.grad(..., create_graph=True)``.
"""

# ruff: noqa: E501
from __future__ import annotations

from math import inf as _inf

from autograd.ops import FLOAT_FUNCTIONS, OPS
from autograd.value import (
    Value,
    _arg,
    _domain_error,
    _lift,
    _make,
    _not_finite,
    _param,
    _read,
)

__all__ = [{names}]

'''


class _Rename(ast.NodeTransformer):
    """Rename the functions a rule calls, for its float version or its Value version.

    On floats a name means :data:`autograd.ops.FLOAT_FUNCTIONS`; on Values it means the op
    of the row whose ``function`` it is. A few builtins (``abs``, ``float``, ``max``,
    ``min``) work on both.
    """

    def __init__(self, row: Op, on_values: bool) -> None:
        self.row = row
        self.on_values = on_values
        self.values = {op.function: op.name for op in OPS.values() if op.function}

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        if not isinstance(node.func, ast.Name):
            raise ValueError(f"op {self.row.name!r}: a rule may only call plain function names")
        name = node.func.id
        if self.on_values and name in self.values:
            node.func.id = self.values[name]
        elif not self.on_values and name in FLOAT_FUNCTIONS:
            node.func.id = f"_float_{name}"
        elif name in _BUILTINS:
            node.func.id = f"_builtin_{name}"
        else:
            where = "Values: no row provides it" if self.on_values else "floats"
            raise ValueError(f"op {self.row.name!r}: {name}() is not available on {where}")
        return node


def _expression(row: Op, text: str, on_values: bool) -> tuple[str, bool]:
    """The rule ``text`` with its calls renamed, and whether it can raise an arithmetic error
    (it calls a function, divides or takes a power)."""
    tree = ast.parse(text, mode="eval")
    risky = any(
        isinstance(node, ast.Call)
        or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div | ast.Pow))
        for node in ast.walk(tree)
    )
    tree = _Rename(row, on_values).visit(tree)
    return ast.unparse(tree), risky


def _docstring(row: Op) -> str:
    """The operator's docstring: the row's doc and its derivatives as people read them."""
    if callable(row.formulas):
        return f"{row.doc}."
    values = {name: name for name in (*row.inputs, "out", *(p.name for p in row.params))}
    derivatives = ", ".join(
        f"∂out/∂{name} = {row.formula_text(i, row.inputs, None, out='out')}"
        if not row.params
        else f"∂out/∂{name} = {row.formulas[i].format(**values)}"
        for i, name in enumerate(row.inputs)
    )
    return f"{row.doc}. {derivatives}."


def _operator(row: Op) -> list[str]:
    """The function that applies ``row`` to Values and makes the node."""
    upper = f"_{row.name.upper()}"
    binary = row.arity == 2
    param = row.params[0] if row.params else None
    if binary:
        signature = "x: Value, y: Value | float"
    elif param is not None:
        default = "" if param.default is None else f" = {param.default!r}"
        signature = f"x: Value, {param.name}: float{default}"
    else:
        signature = "x: Value"
    inputs = "(x, y)" if binary else "(x,)"
    arg = "arg" if param else "None"
    lines = [f"def {row.name}({signature}) -> Value:", f'    """{_docstring(row)}"""']
    if param is not None:
        if row.value_param_op:
            lines += [
                f"    if {param.name}.__class__ is Value or isinstance({param.name}, Value):",
                f"        return {row.value_param_op}(x, {param.name})",
            ]
        lines += [
            f"    if {param.name}.__class__ is not float:",
            f"        {param.name} = _param({upper}, {param.name!r}, {param.name})",
            f"    arg = _arg({upper}, {param.name})",
        ]
    if binary:
        lines += [
            "    if y.__class__ is not Value:",
            f'        y = _lift(y, "{row.name}: the other operand")',
        ]
    lines.append("    a = x.data")
    if binary:
        lines += [
            "    b = y.data",
            "    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:",
            f"        a, b = _read({upper}, (x, y))",
        ]
    else:
        lines += [
            "    if a.__class__ is not float or a - a:",
            f"        (a,) = _read({upper}, (x,))",
        ]
    for condition, problem in row.checks:
        lines += [
            f"    if not ({condition}):",
            f"        raise _domain_error({upper}, {inputs}, {problem!r}, {arg})",
        ]
    forward, risky = _expression(row, row.forward, on_values=False)
    if risky:
        lines += [
            "    try:",
            f"        out = {forward}",
            "    except (ArithmeticError, ValueError) as error:",
            f"        raise _domain_error({upper}, {inputs}, error, {arg}) from None",
        ]
    else:
        lines.append(f"    out = {forward}")
    lines += [
        "    if out - out:",
        f"        raise _not_finite({upper}, {inputs}, out, {arg})",
    ]
    names = ["d_first", "d_second"][: row.arity]
    for name, rule in zip(names, row.derivatives, strict=True):
        code, risky = _expression(row, rule, on_values=False)
        if risky:
            lines += [
                "    try:",
                f"        {name} = {code}",
                "    except ZeroDivisionError:  # an infinite derivative: backward() reports it",
                f"        {name} = _inf",
            ]
        else:
            lines.append(f"    {name} = {code}")
    if binary:
        lines.append(
            f"    return _make({row.name!r}, out, None, x, y, d_first, d_second, None, None, "
            "x.requires_grad or y.requires_grad)"
        )
    else:
        lines.append(
            f"    return _make({row.name!r}, out, {arg}, x, None, d_first, 0.0, None, None, "
            "x.requires_grad)"
        )
    return lines


def _local_grads(row: Op) -> list[str]:
    """The function giving the row's local derivatives as Values (for higher order)."""
    inputs = ", ".join(row.inputs)
    lines = [
        f"def {row.name}_local_grads({inputs}, out, arg):",
        f'    """∂out/∂({inputs}) of {row.name}, evaluated on Values."""',
    ]
    for param in row.params:
        lines.append(f"    {param.name} = arg.{param.name}")
    codes = [_expression(row, rule, on_values=True)[0] for rule in row.derivatives]
    lines.append(f"    return ({', '.join(codes)},)")
    return lines


def _binding(row: Op) -> list[str]:
    lines = []
    for method in row.methods:
        if method.startswith("__r") and row.arity == 2:
            lines += [
                f"def _{method.strip('_')}(self: Value, other: float) -> Value:",
                f'    """{row.forward_text(["other", "self"])}, for a number on the left."""',
                f'    return {row.name}(_lift(other, "{row.name}: the other operand"), self)',
                "",
                "",
            ]
    return lines


def operators_source() -> str:
    """The text of :mod:`autograd.operators` for the current op table."""
    rows = [row for row in OPS.values() if isinstance(row, Op)]
    names = [row.name for row in rows] + [f"{row.name}_local_grads" for row in rows]
    parts = [_HEADER.format(names=", ".join(f'"{n}"' for n in sorted(names)))]
    parts.append("\n".join(f"_builtin_{name} = {name}" for name in sorted(_BUILTINS)))
    parts.append(
        "\n".join(f'_float_{name} = FLOAT_FUNCTIONS["{name}"]' for name in FLOAT_FUNCTIONS)
    )
    parts.append("\n".join(f'_{row.name.upper()} = OPS["{row.name}"]' for row in rows))
    body = []
    for row in rows:
        body += [*_operator(row), "", "", *_local_grads(row), "", "", *_binding(row)]
    parts.append("\n".join(body).rstrip())
    methods = ["# The Value methods each row provides."]
    for row in rows:
        for method in row.methods:
            target = (
                f"_{method.strip('_')}"
                if method.startswith("__r") and row.arity == 2
                else (row.name)
            )
            methods.append(f"Value.{method} = {target}")
    methods.append(
        "LOCAL_GRADS = {" + ", ".join(f'"{row.name}": {row.name}_local_grads' for row in rows) + "}"
    )
    parts.append("\n".join(methods))
    source = "\n\n\n".join(parts) + "\n"
    return source


def main(argv: list[str] | None = None) -> int:
    """Rewrite :mod:`autograd.operators`; with ``--check``, only say whether it is current."""
    args = sys.argv[1:] if argv is None else argv
    source = operators_source()
    current = PATH.read_text(encoding="utf-8") if PATH.exists() else ""
    if "--check" in args:
        print("up to date" if current == source else f"{PATH} is out of date")
        return 0 if current == source else 1
    if current != source:
        PATH.write_text(source, encoding="utf-8")
        print(f"wrote {PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
