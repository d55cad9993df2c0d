"""A safe expression parser: arithmetic text becomes a graph of Values, never Python code.

The text is parsed with :mod:`ast` and only a whitelist of node types is accepted: numbers,
variable names, ``+ - * / **``, unary minus and plus, parentheses, and calls of the functions
the op table names (``tanh(x)``, ``leaky_relu(x, 0.1)``: the input, then any constant
parameters of the op as numbers). Everything else is an :class:`ExpressionError` with a
one-line message. Nothing is ever evaluated as Python.

>>> y = parse_expression("tanh(w*x + b)", {"w": 0.5, "x": -1.0, "b": 0.1})
>>> round(y.data, 4), y.op
(-0.3799, 'tanh')
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from typing import Any

from autograd import operators
from autograd.modes import no_grad
from autograd.ops import OPS, Op
from autograd.value import Value

__all__ = ["FUNCTIONS", "ExpressionError", "expression_names", "parse_expression"]

#: The function names an expression may call, from the op table, with their rows.
_ROWS: dict[str, Op] = {
    row.function: row for row in OPS.values() if isinstance(row, Op) and row.function
}
FUNCTIONS = tuple(_ROWS)
MAX_LENGTH = 10_000

_BINARY = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}
_BINARY_NAMES = {
    ast.MatMult: "@",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^ (write powers as **)",
    ast.BitAnd: "&",
}
_CONSTRUCTS = {
    ast.Attribute: "attribute access (.)",
    ast.Subscript: "a subscript ([])",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Compare: "a comparison",
    ast.BoolOp: "and/or",
    ast.IfExp: "if/else",
    ast.NamedExpr: ":=",
    ast.Tuple: "a tuple (,)",
    ast.List: "a list",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.JoinedStr: "a string",
    ast.Starred: "a starred argument",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "a slice",
}


class ExpressionError(ValueError):
    """The expression text is not one this parser accepts, or a variable has no value.

    >>> parse_expression("x.real", {"x": 1.0})
    Traceback (most recent call last):
    ...
    autograd.expr.ExpressionError: attribute access (.) is not allowed; ...
    """


def _allowed() -> str:
    return "allowed: numbers, variable names, + - * / **, parentheses and " + ", ".join(
        f"{name}()" for name in FUNCTIONS
    )


def _parse(text: str) -> ast.expr:
    if not isinstance(text, str):
        raise TypeError(f"the expression must be a str, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}"
        )
    if not text.strip():
        raise ExpressionError("the expression is empty; write one such as 'tanh(w*x + b)'")
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        where = f" at column {error.offset}" if error.offset else ""
        raise ExpressionError(
            f"cannot read the expression{where}: {error.msg}; {_allowed()}"
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply to read") from None


def expression_names(text: str) -> list[str]:
    """The variable names used in ``text``, in order of first appearance.

    Function names that are called (``tanh`` in ``tanh(x)``) are not variables.

    >>> expression_names("w*x + b + w")
    ['w', 'x', 'b']
    """
    tree = _parse(text)
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found = [
        node for node in ast.walk(tree) if isinstance(node, ast.Name) and id(node) not in called
    ]
    found.sort(key=lambda node: (node.lineno, node.col_offset))
    return list(dict.fromkeys(node.id for node in found))


def parse_expression(text: str, variables: Mapping[str, float | Value]) -> Value:
    """Build the graph of ``text`` from Values, with ``variables`` giving each name its value.

    A number given for a variable becomes a leaf Value labelled with the name (one leaf per
    name, shared wherever it appears); a Value is used as it is. Parts made only of numbers
    are computed once into one constant leaf, as Python does with plain numbers
    (``x ** (1/2)`` is ``x ** 0.5``). Raises :class:`ExpressionError` for anything outside the
    whitelist or a name with no value, and the engine's :class:`~autograd.DomainError` for
    maths that is not defined (``log(0)``).

    >>> y = parse_expression("x**2 + 3*x", {"x": 2.0})
    >>> y.data
    10.0
    >>> y.backward()
    >>> y.parents[0].parents[0].grad
    7.0
    >>> parse_expression("__import__('os').system('ls')", {})
    Traceback (most recent call last):
    ...
    autograd.expr.ExpressionError: attribute access (.) is not allowed; ...
    """
    tree = _parse(text)
    leaves: dict[str, Value] = {}
    for name, value in variables.items():
        if name in FUNCTIONS:
            raise ExpressionError(f"{name!r} is a function name and cannot be a variable")
        if isinstance(value, Value):
            leaves[name] = value
        else:
            try:
                leaves[name] = Value(value, label=name)
            except (TypeError, ValueError) as error:
                raise ExpressionError(f"variable {name!r}: {error}") from None
    try:
        result = _build(tree, leaves)
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply to build") from None
    return result if isinstance(result, Value) else Value(result)


def _build(node: ast.AST, leaves: Mapping[str, Value]) -> Value | float:
    """The Value (or, for a part made only of numbers, the float) of one syntax node."""
    if isinstance(node, ast.Constant):
        return _number(node.value)
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id!r} is a function: call it, as in {node.id}(x)")
        if node.id not in leaves:
            raise ExpressionError(
                f"the variable {node.id!r} has no value: give it one, e.g. {node.id}=1.0"
            )
        return leaves[node.id]
    if isinstance(node, ast.BinOp):
        operation = _BINARY.get(type(node.op))
        if operation is None:
            symbol = _BINARY_NAMES.get(type(node.op), type(node.op).__name__)
            raise ExpressionError(f"the operator {symbol} is not allowed; {_allowed()}")
        left, right = _build(node.left, leaves), _build(node.right, leaves)
        return _apply(operation, left, right)
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.UAdd):
            return _build(node.operand, leaves)
        if isinstance(node.op, ast.USub):
            return _apply(lambda a: -a, _build(node.operand, leaves))
        raise ExpressionError(f"the operator {_unary_name(node.op)} is not allowed; {_allowed()}")
    if isinstance(node, ast.Call):
        return _call(node, leaves)
    construct = _CONSTRUCTS.get(type(node), type(node).__name__)
    raise ExpressionError(f"{construct} is not allowed; {_allowed()}")


def _number(constant: object) -> float:
    if isinstance(constant, bool) or not isinstance(constant, int | float):
        kind = {
            str: "a string",
            bytes: "a bytes string",
            bool: "a bool",
            complex: "a complex number",
        }
        what = kind.get(type(constant), repr(constant))
        raise ExpressionError(f"{what} is not allowed, only real numbers; {_allowed()}")
    try:
        number = float(constant)
    except OverflowError:
        raise ExpressionError(f"the number {str(constant)[:20]}... is too large") from None
    if not math.isfinite(number):
        raise ExpressionError(f"the number {constant!r} is not finite")
    return number


def _unary_name(op: ast.unaryop) -> str:
    return {ast.Not: "not", ast.Invert: "~"}.get(type(op), type(op).__name__)


def _call(node: ast.Call, leaves: Mapping[str, Value]) -> Value | float:
    if not isinstance(node.func, ast.Name):
        construct = _CONSTRUCTS.get(type(node.func), "calling the result of an expression")
        raise ExpressionError(f"{construct} is not allowed; {_allowed()}")
    name = node.func.id
    row = _ROWS.get(name)
    if row is None:
        raise ExpressionError(
            f"unknown function {name!r}; the functions are {', '.join(FUNCTIONS)}"
        )
    if node.keywords:
        raise ExpressionError(f"{name}() takes no keyword arguments")
    most = 1 + len(row.params)
    usage = f"{name}(x" + "".join(f", {p.name}" for p in row.params) + ")"
    if any(isinstance(a, ast.Starred) for a in node.args):
        raise ExpressionError(f"a starred argument is not allowed: write {usage}")
    if not 1 <= len(node.args) <= most:
        raise ExpressionError(
            f"{name}() takes {'one argument' if most == 1 else f'1 to {most} arguments'}, "
            f"got {len(node.args)}: write {usage}"
        )
    argument = _build(node.args[0], leaves)
    params = [_build(arg, leaves) for arg in node.args[1:]]
    if any(isinstance(param, Value) for param in params):
        raise ExpressionError(f"the parameters of {usage} must be numbers, not variables")
    return _apply(lambda a: getattr(operators, row.name)(a, *params), argument)


def _apply(operation: Callable[..., Any], *operands: Value | float) -> Value | float:
    """Apply ``operation`` to Values; for plain numbers, compute it once into a float.

    Numbers go through the same op rows (with recording off, the first one as a Value so a
    number exponent stays a number), so ``log(0)`` gives the engine's DomainError either way.
    """
    if any(isinstance(operand, Value) for operand in operands):
        return operation(*operands)
    first, *rest = operands
    with no_grad():
        return operation(Value(first), *rest).data
