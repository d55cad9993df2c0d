"""Write :mod:`autograd.operators` and :mod:`autograd.derivatives` from the op table.

Each row of fixed arity becomes a function that builds a node, with the row's forward and
derivative expressions written inline (so making a node costs no extra call per rule), and a
function that evaluates the same derivative expressions on Values, for higher-order
gradients. The files are checked in, so tracebacks, ``inspect``, coverage and editors see real
code; after changing a row, run ``python -m autograd.codegen`` (a test fails while a file is
out of date).

>>> source = operators_source()
>>> "def mul(x: Value, y: Value | float) -> Value:" in source
True
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path

from autograd.ops import FLOAT_FUNCTIONS, OPS, Op

__all__ = [
    "DERIVATIVES_PATH",
    "PATH",
    "derivatives_source",
    "generated",
    "main",
    "operators_source",
    "rule_can_raise",
    "rule_names",
    "rule_template",
]

PATH = Path(__file__).with_name("operators.py")
DERIVATIVES_PATH = Path(__file__).with_name("derivatives.py")
_BUILTINS = {"abs", "float", "max", "min"}
_HEADER = '''\
"""The operators of Value, generated from the op table (autograd/ops.py): do not edit.

Regenerate with ``python -m autograd.codegen`` after changing a row. Each operator checks its
inputs, computes the row's forward and local derivatives as floats and makes the node.
"""

# ruff: noqa: E501
from __future__ import annotations

import builtins
from math import inf as _inf

from autograd.ops import FLOAT_FUNCTIONS, OPS
from autograd.op_checks import domain_error as _domain_error
from autograd.op_checks import not_finite as _not_finite
from autograd.op_checks import op_arg as _arg
from autograd.op_checks import param as _param
from autograd.op_checks import read_inputs as _read
from autograd.value import Value, _lift, _make

__all__ = [{names}]'''
_DERIVATIVES_HEADER = '''\
"""The op table's derivative rules evaluated on Values, generated from autograd/ops.py: do not
edit.

Regenerate with ``python -m autograd.codegen``. ``autograd.grad(..., create_graph=True)`` calls
these, so a gradient is itself a graph built from the same rules ``backward()`` uses as floats.
"""

# ruff: noqa: E501
from __future__ import annotations

import builtins

__all__ = [{names}]'''


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


class _OnArrays(ast.NodeTransformer):
    """Make a float rule work elementwise on arrays: ``x if c else y`` becomes
    ``_where(c, x, y)`` and a comparison ``_truth(c)`` (1.0 where it holds, else 0.0)."""

    def visit_IfExp(self, node: ast.IfExp) -> ast.Call:
        test = node.test if isinstance(node.test, ast.Compare) else self.visit(node.test)
        if isinstance(test, ast.Compare):  # a comparison np.where can take as it is
            test.left = self.visit(test.left)
            test.comparators = [self.visit(c) for c in test.comparators]
        body, orelse = self.visit(node.body), self.visit(node.orelse)
        return ast.Call(ast.Name("_where"), [test, body, orelse], [])

    def visit_Compare(self, node: ast.Compare) -> ast.Call:
        self.generic_visit(node)
        return ast.Call(ast.Name("_truth"), [node], [])


def _per_row(function):
    """Remember ``function(row, *args)`` by the row's name: rows are frozen dataclasses whose
    hash walks every field, too slow for the many lookups a compiled graph makes."""
    results: dict[tuple, object] = {}

    @functools.wraps(function)
    def remembered(row: Op, *args: object, **options: object):
        key = (row.name, *args, *options.items())
        if key not in results:
            results[key] = function(row, *args, **options)
        return results[key]

    return remembered


@_per_row
def rule_can_raise(row: Op, text: str) -> bool:
    """Whether the float rule ``text`` can raise an arithmetic error (it calls a function,
    divides or takes a power), as the generated operators judge it.

    >>> rule_can_raise(OPS["add"], "a + b"), rule_can_raise(OPS["log"], "log(a)")
    (False, True)
    """
    return _expression(row, text, on_values=False)[1]


@_per_row
def rule_names(row: Op, text: str) -> frozenset[str]:
    """The placeholders (inputs, ``out``, params) a rule of ``row`` reads.

    >>> sorted(rule_names(OPS["tanh"], "1.0 - out * out"))
    ['out']
    """
    tree = ast.parse(text, mode="eval")
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


@_per_row
def rule_template(row: Op, text: str, *, on_arrays: bool = False) -> str:
    """The float rule ``text`` of ``row`` as a template whose ``{a}``, ``{b}``, ``{out}`` and
    ``{param}`` fields take the names (or numbers) of generated code, with the calls renamed
    as in :mod:`autograd.operators` (``_float_tanh``). With ``on_arrays``, conditionals
    become ``_where`` and comparisons ``_truth``, so the rule runs elementwise on arrays.
    :mod:`autograd.compiler` writes its straight-line code from these.

    >>> rule_template(OPS["tanh"], OPS["tanh"].derivatives[0])
    '1.0 - {out} * {out}'
    >>> rule_template(OPS["relu"], OPS["relu"].forward, on_arrays=True)
    '_where({a} > 0.0, {a}, 0.0)'
    """
    tree = _Rename(row, on_values=False).visit(ast.parse(text, mode="eval"))
    if on_arrays:
        tree = ast.fix_missing_locations(_OnArrays().visit(tree))
    fields = {*row.inputs, "out", *(param.name for param in row.params)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in fields:
            node.id = f"__field_{node.id}__"
    code = ast.unparse(tree)
    for name in fields:
        code = code.replace(f"__field_{name}__", "{" + name + "}")
    return code


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


def _builtins_lines() -> str:
    return "\n".join(f"_builtin_{name} = builtins.{name}" for name in sorted(_BUILTINS))


def _rows() -> list[Op]:
    return [row for row in OPS.values() if isinstance(row, Op)]


def _names_line(names: list[str]) -> str:
    return ", ".join(f'"{n}"' for n in sorted(names))


def operators_source() -> str:
    """The text of :mod:`autograd.operators` for the current op table."""
    rows = _rows()
    parts = [_HEADER.format(names=_names_line([row.name for row in rows]))]
    parts.append(_builtins_lines())
    parts.append(
        "\n".join(f'_float_{name} = FLOAT_FUNCTIONS["{name}"]' for name in FLOAT_FUNCTIONS)
    )
    parts.append("\n".join(f'_{row.name.upper()} = OPS["{row.name}"]' for row in rows))
    body = []
    for row in rows:
        body += [*_operator(row), "", "", *_binding(row)]
    parts.append("\n".join(body).rstrip())
    methods = ["# The Value methods each row provides."]
    for row in rows:
        for method in row.methods:
            reflected = method.startswith("__r") and row.arity == 2
            methods.append(
                f"Value.{method} = {f'_{method.strip(chr(95))}' if reflected else row.name}"
            )
    parts.append("\n".join(methods))
    return "\n\n\n".join(parts) + "\n"


def derivatives_source() -> str:
    """The text of :mod:`autograd.derivatives` for the current op table.

    >>> "def sin_local_grads(a, out, arg):" in derivatives_source()
    True
    """
    rows = _rows()
    names = [f"{row.name}_local_grads" for row in rows]
    used = sorted({row.name for row in rows})  # the Value ops a rule may call
    parts = [_DERIVATIVES_HEADER.format(names=_names_line([*names, "LOCAL_GRADS"]))]
    parts.append(
        "from autograd.operators import (\n"
        + "".join(f"    {name},\n" for name in used)
        + ")  # noqa: F401  (the functions the rules call)"
    )
    parts.append(_builtins_lines())
    body = []
    for row in rows:
        body += [*_local_grads(row), "", ""]
    parts.append("\n".join(body).rstrip())
    parts.append(
        "#: The local-derivative function of each row, by op name.\n"
        + "LOCAL_GRADS = {\n"
        + "".join(f'    "{row.name}": {row.name}_local_grads,\n' for row in rows)
        + "}"
    )
    return "\n\n\n".join(parts) + "\n"


def generated() -> dict[Path, str]:
    """Every generated file and the text it should have.

    >>> sorted(path.name for path in generated())
    ['derivatives.py', 'operators.py']
    """
    return {PATH: operators_source(), DERIVATIVES_PATH: derivatives_source()}


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated modules; with ``--check``, only say whether they are current.

    >>> main(["--check"])
    up to date
    0
    """
    args = sys.argv[1:] if argv is None else argv
    stale = [
        path
        for path, source in generated().items()
        if not path.exists() or path.read_text(encoding="utf-8") != source
    ]
    if "--check" in args:
        print("up to date" if not stale else f"out of date: {', '.join(map(str, stale))}")
        return 0 if not stale else 1
    for path in stale:
        path.write_text(generated()[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
