"""Value: a number that remembers how it was computed, and runs the chain rule back through it.

Every operator on a Value is built from its row in :data:`autograd.ops.OPS`: the row's forward
expression gives the new node's ``data`` and its derivative expressions give the node's
``local_grads``, stored as plain floats. ``backward()`` only multiplies and adds those numbers.

>>> a, b = Value(2.0, label="a"), Value(-3.0, label="b")
>>> c = a * b + 1
>>> c.backward()
>>> a.grad, b.grad
(-3.0, 2.0)
>>> c.op, [p.label for p in c.parents[0].parents]
('add', ['a', 'b'])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import mul as _mul

from autograd.graph import topological_order
from autograd.ops import OPS, DomainError, Op, subscript

__all__ = ["Value", "is_grad_enabled", "no_grad", "sum", "weighted_sum", "weighted_sums"]

_builtin_sum = sum
_exp, _log, _sqrt, _tanh = math.exp, math.log, math.sqrt, math.tanh
_isfinite = math.isfinite
_INT_LIMIT = 2**1000  # ints beyond this are too large for a float

# Whether new nodes record their parents; switched off inside ``no_grad()``.
_recording = True


def _describe(value: object) -> str:
    label = getattr(value, "label", "")
    data = getattr(value, "data", value)
    return f"{data!r} (Value {label!r})" if label else repr(data)


def _domain_error(
    op: Op, inputs: Sequence[Value], problem: object, n: object = None
) -> DomainError:
    names = [f"{op.input_name(i)} = {_describe(v)}" for i, v in enumerate(inputs)]
    if isinstance(problem, OverflowError):
        problem = "the result is too large for a float (it overflows)"
    elif isinstance(problem, ZeroDivisionError):
        problem = "a division by zero in the result or its derivative"
    if n is not None:
        names.append(f"n = {n!r}")
    hint = {
        "log": "Shift or clamp the input away from 0 (e.g. (x + 1e-9).log()).",
        "sqrt": "Keep the input above 0 (e.g. (x * x + 1e-12).sqrt()).",
        "div": "Make sure the divisor cannot be 0 (e.g. add a small epsilon).",
        "exp": "Scale the input down (e.g. divide it by a constant).",
        "pow_value": "Use a positive base, or a plain number as the exponent.",
    }.get(op.name, "Check the inputs of this operation.")
    return DomainError(f"{op.name}: {problem}, got {', '.join(names)}. {hint}")


def _not_a_number(op: Op, inputs: Sequence[Value]) -> TypeError:
    """The error for an input whose ``data`` was replaced by something that is not a float."""
    for i, value in enumerate(inputs):
        data = value.data
        if not isinstance(data, int | float):
            return TypeError(
                f"{op.name}: input {op.input_name(i)} ({_describe(value)}) has data of type "
                f"{type(data).__name__}, not float. A Value's data must stay a float: set it "
                "with a number, e.g. w.data -= learning_rate * w.grad."
            )
    return TypeError(f"{op.name}: an input's data is not a number")


def _lift(value: object, op_name: str) -> Value:
    """Turn a plain number into a constant leaf Value (numbers may stand on either side)."""
    if isinstance(value, Value):
        return value
    # Fast path for the common case, a finite float or int (x * 2, 1 - y): no checks to repeat.
    if value.__class__ is float or (value.__class__ is int and -_INT_LIMIT < value < _INT_LIMIT):
        number = float(value)
        if _isfinite(number):
            node = _new(Value)
            node.data = number
            node.grad = 0.0
            node.label = ""
            node.op = ""
            node.op_arg = None
            node._a = node._b = node._many = None
            return node
    return Value(_as_float(value, f"the other operand of {op_name!r}"))


def _as_float(value: object, what: str) -> float:
    if isinstance(value, str | bytes | complex) or not hasattr(value, "__float__"):
        raise TypeError(
            f"{what} must be a real number or a Value, not {type(value).__name__} "
            f"({value!r:.60}). Convert it with float(...) first if it holds a number."
        )
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(
            f"{what} is too large for a float ({value!r:.60}); scale it down."
        ) from None
    if not _isfinite(number):
        raise ValueError(f"{what} must be finite, got {number!r}; nan and inf cannot be traced.")
    return number


class Value:
    """A scalar in a computation graph: its number, its gradient and how it was made.

    ``data`` is stored as a float; ``grad`` starts at 0.0. ``op`` names the op that made the
    value (``""`` for a leaf), ``parents`` holds its inputs in argument order (``x * x`` lists
    ``x`` twice) and ``local_grads`` holds ∂self/∂parents[i] as floats, fixed when the node is
    made. ``op_arg`` is an op's constant argument (the ``n`` of ``x ** n``), else ``None``.

    >>> x = Value(3.0, label="x")
    >>> y = x * x
    >>> y.parents == (x, x), y.local_grads
    (True, (3.0, 3.0))
    >>> y.backward()
    >>> x.grad
    6.0
    """

    # For speed, a node with one or two inputs keeps them in slots (_a, _b) with their local
    # derivatives (_da, _db) instead of in tuples: no container object per node, so the cyclic
    # garbage collector has half as many objects to scan while a graph is built. Ops with more
    # inputs keep tuples in _many and _many_grads. ``parents`` and ``local_grads`` show both.
    __slots__ = (
        "__weakref__",
        "_a",
        "_b",
        "_da",
        "_db",
        "_many",
        "_many_grads",
        "data",
        "grad",
        "label",
        "op",
        "op_arg",
    )

    def __init__(self, data: float, label: str = "") -> None:
        if isinstance(data, Value):
            raise TypeError(
                "Value(...) needs a number, got a Value; use value.detach() to copy one "
                "without its history."
            )
        if not isinstance(label, str):
            raise TypeError(f"label must be a str, not {type(label).__name__}")
        self.data = _as_float(data, "Value data")
        self.grad = 0.0
        self.label = label
        self.op = ""
        self.op_arg = None
        self._a = self._b = self._many = None

    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs this value was computed from, in argument order (duplicates kept)."""
        a = self._a
        if a is None:
            many = self._many
            return () if many is None else many
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parents[i] for each parent, as floats fixed when this node was made."""
        if self._a is None:
            return () if self._many is None else self._many_grads
        return (self._da,) if self._b is None else (self._da, self._db)

    def __repr__(self) -> str:
        parts = [f"data={self.data!r}", f"grad={self.grad!r}"]
        if self.label:
            parts.append(f"label={self.label!r}")
        if self.op:
            parts.append(f"op={self.op!r}")
        return f"Value({', '.join(parts)})"

    def __float__(self) -> float:
        return self.data

    # Comparisons look at the numbers; == stays identity so Values work as dict keys.
    def __lt__(self, other: Value | float) -> bool:
        return self.data < _data_of(other, "<")

    def __le__(self, other: Value | float) -> bool:
        return self.data <= _data_of(other, "<=")

    def __gt__(self, other: Value | float) -> bool:
        return self.data > _data_of(other, ">")

    def __ge__(self, other: Value | float) -> bool:
        return self.data >= _data_of(other, ">=")

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):
            return _pow_value(self, exponent)
        return _pow(self, _as_float(exponent, "the exponent of '**'"))

    def __rpow__(self, base: float) -> Value:
        return _pow_value(_lift(base, "**"), self)

    def detach(self) -> Value:
        """A new leaf with the same number and label, cut off from this value's history.

        >>> x = Value(2.0, label="x")
        >>> d = (x * 3).detach()
        >>> d.data, d.parents
        (6.0, ())
        """
        return Value(self.data, self.label)

    def backward(self) -> None:
        """Fill in ``grad`` of every value this one depends on with ∂self/∂value.

        Interior gradients are reset first, so calling it twice gives the same answer; leaf
        gradients accumulate across calls (as in PyTorch) until zeroed, e.g. with
        :meth:`zero_grad`. Raises :class:`DomainError` naming the first node whose value or
        gradient is not finite.

        >>> w = Value(-1.0, label="w")
        >>> error = w ** 2
        >>> error.backward()
        >>> w.grad
        -2.0
        """
        from autograd.steps import chain_rule

        for _ in chain_rule(self, steps=False):
            pass

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on this value and every value it depends on.

        >>> x = Value(2.0)
        >>> (x * x).backward()
        >>> x.grad
        4.0
        >>> (x * x).zero_grad()
        >>> x.grad
        0.0
        """
        for node in topological_order(self):
            node.grad = 0.0

    def walk(self) -> Iterator[Value]:
        """Every value this one depends on (itself included), parents before children.

        >>> a = Value(1.0, label="a")
        >>> [v.label or v.op for v in (a + 2).walk()]
        ['a', '', 'add']
        """
        return iter(topological_order(self))


def _data_of(other: object, symbol: str) -> float:
    if isinstance(other, Value):
        return other.data
    return _as_float(other, f"the right side of {symbol!r}")


_new = object.__new__


# ---------------------------------------------------------------------------------------------
# Building the operators from the op table. Each row's expressions are placed into a small
# function template and compiled once, at import, in this module's namespace (only the fixed
# strings of OPS are compiled, never user text). The result is a fast operator with no
# per-node closure: the node keeps floats, not code. ``op_source(name)`` shows the code.

_BINARY = """\
def {function}(x, y):
    if y.__class__ is not Value:
        y = _lift(y, {symbol!r})
    a = x.data
    b = y.data
{checks}    try:
        out = {forward}
        da = {grad0}
        db = {grad1}
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(OPS[{name!r}], (x, y), error) from None
    except TypeError:
        raise _not_a_number(OPS[{name!r}], (x, y)) from None
"""

_UNARY = """\
def {function}(x{n}):
    a = x.data
{checks}    try:
        out = {forward}
        da = {grad0}
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(OPS[{name!r}], (x,), error{n}) from None
    except TypeError:
        raise _not_a_number(OPS[{name!r}], (x,)) from None
"""

_NODE = """\
    node = _new(Value)
    node.data = out
    node.grad = 0.0
    node.label = ""
    node.op = {name!r}
    node.op_arg = {op_arg}
    node._many = None
    if _recording:
{store}    else:
        node._a = node._b = None
    return node
"""

_STORE_BINARY = """\
        node._a = x
        node._b = y
        node._da = da
        node._db = db
"""

_STORE_UNARY = """\
        node._a = x
        node._b = None
        node._da = da
"""

_SOURCES: dict[str, str] = {}


def _build(op: Op, function: str) -> Callable[..., Value]:
    """Compile the function that applies ``op`` and records the new node."""
    n = ", n" if op.name == "pow" else ""
    inputs = "(x, y)" if op.arity == 2 else "(x,)"
    checks = "".join(
        f"    if not ({condition}):\n"
        f"        raise _domain_error(OPS[{op.name!r}], {inputs}, {message!r}{n})\n"
        for condition, message in op.checks
    )
    source = (_BINARY if op.arity == 2 else _UNARY).format(
        function=function,
        symbol=op.symbol,
        checks=checks,
        forward=op.forward,
        grad0=op.grads[0],
        grad1=op.grads[-1],
        name=op.name,
        n=n,
    ) + _NODE.format(
        name=op.name,
        op_arg="n" if n else "None",
        store=_STORE_BINARY if op.arity == 2 else _STORE_UNARY,
    )
    namespace: dict[str, Callable[..., Value]] = {}
    exec(compile(source, f"<autograd op {op.name}>", "exec"), globals(), namespace)
    _SOURCES[op.name] = source
    return namespace[function]


def op_source(name: str) -> str:
    """The Python code generated from an op's table row: how a node of that op is made.

    >>> print(op_source("mul").splitlines()[6])
            out = a * b
    """
    if name not in _SOURCES:
        raise ValueError(
            f"no generated code for op {name!r}; ops with generated code: {sorted(_SOURCES)}"
        )
    return _SOURCES[name]


def _reflected(apply: Callable[[Value, Value], Value], symbol: str) -> Callable[..., Value]:
    def reflected(self: Value, other: float) -> Value:
        return apply(_lift(other, symbol), self)

    return reflected


for _name, _method, _rmethod in (
    ("add", "__add__", "__radd__"),
    ("sub", "__sub__", "__rsub__"),
    ("mul", "__mul__", "__rmul__"),
    ("div", "__truediv__", "__rtruediv__"),
):
    _function = _build(OPS[_name], _method)
    setattr(Value, _method, _function)
    setattr(Value, _rmethod, _reflected(_function, OPS[_name].symbol))

_pow_value = _build(OPS["pow_value"], "_pow_value")
_pow = _build(OPS["pow"], "_pow")

for _name, _method in (
    ("neg", "__neg__"),
    ("abs", "__abs__"),
    ("exp", "exp"),
    ("log", "log"),
    ("sqrt", "sqrt"),
    ("tanh", "tanh"),
    ("sigmoid", "sigmoid"),
    ("relu", "relu"),
):
    _function = _build(OPS[_name], _method)
    _function.__doc__ = f"{OPS[_name].doc}. Local derivative: {OPS[_name].formulas[0]}."
    setattr(Value, _method, _function)


# ---------------------------------------------------------------------------------------------
# Ops with many inputs. Their rows in OPS hold the formulas; the arithmetic is written here
# because it loops over the inputs.

_SUM = OPS["sum"]
_WEIGHTED_SUM = OPS["weighted_sum"]


def sum(terms: Iterable[Value | float]) -> Value:
    """Add many terms in **one** node (local derivative 1 to each term).

    Plain numbers among the terms become constant leaves, as with ``+``.

    >>> xs = [Value(float(i)) for i in range(1, 5)]
    >>> total = sum(xs)
    >>> total.data, total.op, len(total.parents)
    (10.0, 'sum', 4)
    """
    parents = tuple(t if t.__class__ is Value else _lift(t, "sum") for t in terms)
    if not parents:
        raise ValueError("sum needs at least one term; got an empty sequence.")
    node = _new(Value)
    node.data = _builtin_sum([p.data for p in parents])
    node.grad = 0.0
    node.label = ""
    node.op = "sum"
    node.op_arg = None
    node._a = node._b = None
    if _recording:
        node._many = parents
        node._many_grads = (1.0,) * len(parents)
    else:
        node._many = None
    return node


_NAMES: dict[tuple[int, str], tuple[str, ...]] = {}


def _input_names(n: int, kinds: str) -> tuple[str, ...]:
    """Names of a weighted sum's parents: ``kinds`` is "w", "x", "wx", plus "b" for a bias."""
    key = (n, kinds)
    names = _NAMES.get(key)
    if names is None:
        names = ()
        for letter in "wx":
            if letter in kinds:
                names += tuple(letter + subscript(i) for i in range(1, n + 1))
        if "b" in kinds:
            names += ("b",)
        _NAMES[key] = names
    return names


_VALUE_TYPE = frozenset({Value})
_NUMBER_TYPES = frozenset({float, int})


def weighted_sum(
    weights: Sequence[Value | float],
    inputs: Sequence[Value | float],
    bias: Value | float | None = None,
) -> Value:
    """One node for ``w₁·x₁ + … + wₙ·xₙ + b``, the sum a neuron computes.

    Parents are the Values among w₁…wₙ, then among x₁…xₙ, then b; their local derivatives are
    x₁…xₙ, w₁…wₙ and 1. Plain numbers are allowed anywhere and are not parents.

    >>> w = [Value(0.5, label="w1"), Value(-1.0, label="w2")]
    >>> s = weighted_sum(w, [1.0, 2.0], bias=Value(0.25, label="b"))
    >>> s.data, s.local_grads
    (-1.25, (1.0, 2.0, 1.0))
    >>> s.op_arg
    ('w₁', 'w₂', 'b')
    """
    return _weighted_sum(weights, inputs, bias, _read_inputs(inputs))


def weighted_sums(
    weight_rows: Sequence[Sequence[Value | float]],
    inputs: Sequence[Value | float],
    biases: Sequence[Value | float | None],
) -> list[Value]:
    """A layer's weighted sums: ``weighted_sum(w, inputs, b)`` for each row ``w`` and bias ``b``.

    The nodes are exactly those :func:`weighted_sum` makes; the shared inputs are only checked
    and read once, which makes a layer faster.

    >>> x = [Value(1.0), Value(2.0)]
    >>> rows = [[Value(0.5), Value(-1.0)], [Value(2.0), Value(0.25)]]
    >>> [s.data for s in weighted_sums(rows, x, [Value(0.25), None])]
    [-1.25, 2.5]
    """
    if len(weight_rows) != len(biases):
        raise ValueError(
            f"weighted_sums needs one bias (or None) per row of weights; got "
            f"{len(weight_rows)} rows and {len(biases)} biases."
        )
    read = _read_inputs(inputs)
    return [
        _weighted_sum(weights, inputs, bias, read)
        for weights, bias in zip(weight_rows, biases, strict=True)
    ]


def _read_inputs(
    inputs: Sequence[Value | float],
) -> tuple[list[float], tuple[Value, ...], str] | None:
    """The inputs' numbers, the inputs that are parents, and their kind ("wx": all Values, as
    in a hidden neuron; "w": all plain numbers, as in a first-layer neuron), or None for a mix
    (left to the general path)."""
    if _VALUE_TYPE.issuperset(map(type, inputs)):
        return [x.data for x in inputs], tuple(inputs), "wx"
    if _NUMBER_TYPES.issuperset(map(type, inputs)):
        return [float(x) for x in inputs], (), "w"
    return None


def _weighted_sum(
    weights: Sequence[Value | float],
    inputs: Sequence[Value | float],
    bias: Value | float | None,
    read: tuple[list[float], tuple[Value, ...], str] | None,
) -> Value:
    n = len(weights)
    if len(inputs) != n:
        raise ValueError(
            f"weighted_sum needs as many weights as inputs; got {n} weights and "
            f"{len(inputs)} inputs."
        )
    if n == 0:
        raise ValueError("weighted_sum needs at least one weight and input.")
    if bias is None:
        tail, tail_grad, offset = (), (), 0.0
    elif bias.__class__ is Value:
        tail, tail_grad, offset = (bias,), (1.0,), bias.data
    else:
        tail, tail_grad, offset = (), (), _as_float(bias, "the bias of weighted_sum")
    if read is not None and _VALUE_TYPE.issuperset(map(type, weights)):
        # A neuron: Value weights, and inputs that are all Values or all numbers.
        x_data, x_parents, kinds = read
        w_data = [w.data for w in weights]
        parents = (*weights, *x_parents, *tail)
        local_grads = (*x_data, *w_data, *tail_grad) if x_parents else (*x_data, *tail_grad)
        names = _input_names(n, kinds + "b" if tail else kinds)
    else:
        w_data, x_data, parents, local_grads, names = _weighted_sum_general(weights, inputs)
        parents, local_grads = parents + tail, local_grads + tail_grad
        names += ("b",) if tail else ()
    total = _builtin_sum(map(_mul, w_data, x_data)) + offset
    if not _isfinite(total):
        for x in x_data:
            _as_float(x, "every input of weighted_sum")
    node = _new(Value)
    node.data = total
    node.grad = 0.0
    node.label = ""
    node.op = "weighted_sum"
    node._a = node._b = None
    if _recording:
        node.op_arg = names
        node._many = parents
        node._many_grads = local_grads
    else:
        node.op_arg = None
        node._many = None
    return node


def _weighted_sum_general(
    weights: Sequence[Value | float], inputs: Sequence[Value | float]
) -> tuple[list[float], list[float], tuple[Value, ...], tuple[float, ...], tuple[str, ...]]:
    """Mixed Values and numbers: returns data, parents, local grads and the parents' names."""
    w_data = [w.data if isinstance(w, Value) else _as_float(w, "a weight") for w in weights]
    x_data = [x.data if isinstance(x, Value) else _as_float(x, "an input") for x in inputs]
    parents: list[Value] = []
    local_grads: list[float] = []
    names: list[str] = []
    for letter, values, partners in (("w", weights, x_data), ("x", inputs, w_data)):
        for i, v in enumerate(values):
            if isinstance(v, Value):
                parents.append(v)
                local_grads.append(partners[i])
                names.append(letter + subscript(i + 1))
    return w_data, x_data, tuple(parents), tuple(local_grads), tuple(names)


# ---------------------------------------------------------------------------------------------
# Switching recording off.


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, results are constants: they record no parents and no derivatives.

    Works as a decorator too. Useful for evaluating a model without building a graph.

    >>> x = Value(2.0)
    >>> with no_grad():
    ...     y = x * x
    >>> y.data, y.parents
    (4.0, ())
    """
    global _recording
    previous = _recording
    _recording = False
    try:
        yield
    finally:
        _recording = previous


def is_grad_enabled() -> bool:
    """Whether operations currently record the graph (False inside ``no_grad()``).

    >>> is_grad_enabled()
    True
    """
    return _recording
