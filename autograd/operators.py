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

__all__ = ["abs", "add", "cos", "div", "exp", "leaky_relu", "log", "mul", "neg", "pow", "pow_value", "relu", "sigmoid", "sin", "softplus", "sqrt", "sub", "tanh"]


_builtin_abs = builtins.abs
_builtin_float = builtins.float
_builtin_max = builtins.max
_builtin_min = builtins.min


_float_exp = FLOAT_FUNCTIONS["exp"]
_float_log = FLOAT_FUNCTIONS["log"]
_float_sqrt = FLOAT_FUNCTIONS["sqrt"]
_float_tanh = FLOAT_FUNCTIONS["tanh"]
_float_sin = FLOAT_FUNCTIONS["sin"]
_float_cos = FLOAT_FUNCTIONS["cos"]
_float_sigmoid = FLOAT_FUNCTIONS["sigmoid"]
_float_softplus = FLOAT_FUNCTIONS["softplus"]


_ADD = OPS["add"]
_SUB = OPS["sub"]
_MUL = OPS["mul"]
_DIV = OPS["div"]
_POW_VALUE = OPS["pow_value"]
_POW = OPS["pow"]
_NEG = OPS["neg"]
_ABS = OPS["abs"]
_EXP = OPS["exp"]
_LOG = OPS["log"]
_SQRT = OPS["sqrt"]
_TANH = OPS["tanh"]
_SIGMOID = OPS["sigmoid"]
_RELU = OPS["relu"]
_LEAKY_RELU = OPS["leaky_relu"]
_SIN = OPS["sin"]
_COS = OPS["cos"]
_SOFTPLUS = OPS["softplus"]


def add(x: Value, y: Value | float) -> Value:
    """a + b. ∂out/∂a = 1, ∂out/∂b = 1."""
    if y.__class__ is not Value:
        y = _lift(y, "add: the other operand")
    a = x.data
    b = y.data
    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:
        a, b = _read(_ADD, (x, y))
    out = a + b
    if out - out:
        raise _not_finite(_ADD, (x, y), out, None)
    d_first = 1.0
    d_second = 1.0
    return _make('add', out, None, x, y, d_first, d_second, None, None, x.requires_grad or y.requires_grad)


def _radd(self: Value, other: float) -> Value:
    """other + self, for a number on the left."""
    return add(_lift(other, "add: the other operand"), self)


def sub(x: Value, y: Value | float) -> Value:
    """a - b. ∂out/∂a = 1, ∂out/∂b = -1."""
    if y.__class__ is not Value:
        y = _lift(y, "sub: the other operand")
    a = x.data
    b = y.data
    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:
        a, b = _read(_SUB, (x, y))
    out = a - b
    if out - out:
        raise _not_finite(_SUB, (x, y), out, None)
    d_first = 1.0
    d_second = -1.0
    return _make('sub', out, None, x, y, d_first, d_second, None, None, x.requires_grad or y.requires_grad)


def _rsub(self: Value, other: float) -> Value:
    """other - self, for a number on the left."""
    return sub(_lift(other, "sub: the other operand"), self)


def mul(x: Value, y: Value | float) -> Value:
    """a · b. ∂out/∂a = b, ∂out/∂b = a."""
    if y.__class__ is not Value:
        y = _lift(y, "mul: the other operand")
    a = x.data
    b = y.data
    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:
        a, b = _read(_MUL, (x, y))
    out = a * b
    if out - out:
        raise _not_finite(_MUL, (x, y), out, None)
    d_first = b
    d_second = a
    return _make('mul', out, None, x, y, d_first, d_second, None, None, x.requires_grad or y.requires_grad)


def _rmul(self: Value, other: float) -> Value:
    """other · self, for a number on the left."""
    return mul(_lift(other, "mul: the other operand"), self)


def div(x: Value, y: Value | float) -> Value:
    """a / b. ∂out/∂a = 1/b, ∂out/∂b = -a/b²."""
    if y.__class__ is not Value:
        y = _lift(y, "div: the other operand")
    a = x.data
    b = y.data
    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:
        a, b = _read(_DIV, (x, y))
    if not (b != 0.0):
        raise _domain_error(_DIV, (x, y), 'division by zero: the divisor b is 0', None)
    try:
        out = a / b
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_DIV, (x, y), error, None) from None
    if out - out:
        raise _not_finite(_DIV, (x, y), out, None)
    try:
        d_first = 1.0 / b
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    try:
        d_second = -out / b
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_second = _inf
    return _make('div', out, None, x, y, d_first, d_second, None, None, x.requires_grad or y.requires_grad)


def _rtruediv(self: Value, other: float) -> Value:
    """other / self, for a number on the left."""
    return div(_lift(other, "div: the other operand"), self)


def pow_value(x: Value, y: Value | float) -> Value:
    """a ** b with a Value exponent (needs a > 0). ∂out/∂a = b·a^(b - 1), ∂out/∂b = out·ln(a)."""
    if y.__class__ is not Value:
        y = _lift(y, "pow_value: the other operand")
    a = x.data
    b = y.data
    if a.__class__ is not float or b.__class__ is not float or a - a or b - b:
        a, b = _read(_POW_VALUE, (x, y))
    if not (a > 0.0):
        raise _domain_error(_POW_VALUE, (x, y), 'a Value exponent needs a base > 0 (its derivative uses ln(a))', None)
    try:
        out = a ** b
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_POW_VALUE, (x, y), error, None) from None
    if out - out:
        raise _not_finite(_POW_VALUE, (x, y), out, None)
    try:
        d_first = b * a ** (b - 1.0)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    try:
        d_second = out * _float_log(a)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_second = _inf
    return _make('pow_value', out, None, x, y, d_first, d_second, None, None, x.requires_grad or y.requires_grad)


def _rpow(self: Value, other: float) -> Value:
    """other^self, for a number on the left."""
    return pow_value(_lift(other, "pow_value: the other operand"), self)


def pow(x: Value, n: float) -> Value:
    """a ** n for a number n."""
    if n.__class__ is Value or isinstance(n, Value):
        return pow_value(x, n)
    if n.__class__ is not float:
        n = _param(_POW, 'n', n)
    arg = _arg(_POW, n)
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_POW, (x,))
    if not (a != 0.0 or n >= 0.0):
        raise _domain_error(_POW, (x,), '0 to a negative power is undefined', arg)
    if not (a >= 0.0 or n == int(n)):
        raise _domain_error(_POW, (x,), 'a negative base needs a whole-number exponent (the result is not real)', arg)
    try:
        out = a ** n
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_POW, (x,), error, arg) from None
    if out - out:
        raise _not_finite(_POW, (x,), out, arg)
    try:
        d_first = 0.0 if n == 0.0 else n * a ** (n - 1.0)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('pow', out, arg, x, None, d_first, 0.0, None, None, x.requires_grad)


def neg(x: Value) -> Value:
    """-a. ∂out/∂a = -1."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_NEG, (x,))
    out = -a
    if out - out:
        raise _not_finite(_NEG, (x,), out, None)
    d_first = -1.0
    return _make('neg', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def abs(x: Value) -> Value:
    """|a|; its derivative at 0 is taken as 0, as in PyTorch. ∂out/∂a = 1 if a > 0 else -1 (0 at 0)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_ABS, (x,))
    try:
        out = _builtin_abs(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_ABS, (x,), error, None) from None
    if out - out:
        raise _not_finite(_ABS, (x,), out, None)
    try:
        d_first = _builtin_float((a > 0.0) - (a < 0.0))
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('abs', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def exp(x: Value) -> Value:
    """e to the power a. ∂out/∂a = exp(a)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_EXP, (x,))
    if not (a <= 709.782712893384):
        raise _domain_error(_EXP, (x,), 'the result overflows a float (a above 709.78)', None)
    try:
        out = _float_exp(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_EXP, (x,), error, None) from None
    if out - out:
        raise _not_finite(_EXP, (x,), out, None)
    d_first = out
    return _make('exp', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def log(x: Value) -> Value:
    """natural logarithm of a. ∂out/∂a = 1/a."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_LOG, (x,))
    if not (a > 0.0):
        raise _domain_error(_LOG, (x,), 'the input must be > 0', None)
    try:
        out = _float_log(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_LOG, (x,), error, None) from None
    if out - out:
        raise _not_finite(_LOG, (x,), out, None)
    try:
        d_first = 1.0 / a
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('log', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def sqrt(x: Value) -> Value:
    """square root of a; its derivative is infinite at 0, so backward through sqrt(0) fails. ∂out/∂a = 1/(2·sqrt(a))."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_SQRT, (x,))
    if not (a >= 0.0):
        raise _domain_error(_SQRT, (x,), 'the input must be >= 0', None)
    try:
        out = _float_sqrt(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_SQRT, (x,), error, None) from None
    if out - out:
        raise _not_finite(_SQRT, (x,), out, None)
    try:
        d_first = 0.5 / out
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('sqrt', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def tanh(x: Value) -> Value:
    """hyperbolic tangent: squashes a into (-1, 1). ∂out/∂a = 1 - out²."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_TANH, (x,))
    try:
        out = _float_tanh(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_TANH, (x,), error, None) from None
    if out - out:
        raise _not_finite(_TANH, (x,), out, None)
    d_first = 1.0 - out * out
    return _make('tanh', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def sigmoid(x: Value) -> Value:
    """logistic sigmoid: squashes a into (0, 1). ∂out/∂a = out·(1 - out)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_SIGMOID, (x,))
    try:
        out = _float_sigmoid(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_SIGMOID, (x,), error, None) from None
    if out - out:
        raise _not_finite(_SIGMOID, (x,), out, None)
    d_first = out * (1.0 - out)
    return _make('sigmoid', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def relu(x: Value) -> Value:
    """rectified linear unit: max(a, 0); its derivative at 0 is taken as 0, as in PyTorch. ∂out/∂a = 1 if a > 0 else 0."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_RELU, (x,))
    out = a if a > 0.0 else 0.0
    if out - out:
        raise _not_finite(_RELU, (x,), out, None)
    d_first = 1.0 if a > 0.0 else 0.0
    return _make('relu', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def leaky_relu(x: Value, negative_slope: float = 0.01) -> Value:
    """leaky ReLU: a for a > 0, negative_slope·a below; its derivative at 0 is the slope. ∂out/∂a = 1 if a > 0 else negative_slope."""
    if negative_slope.__class__ is not float:
        negative_slope = _param(_LEAKY_RELU, 'negative_slope', negative_slope)
    arg = _arg(_LEAKY_RELU, negative_slope)
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_LEAKY_RELU, (x,))
    out = a if a > 0.0 else negative_slope * a
    if out - out:
        raise _not_finite(_LEAKY_RELU, (x,), out, arg)
    d_first = 1.0 if a > 0.0 else negative_slope
    return _make('leaky_relu', out, arg, x, None, d_first, 0.0, None, None, x.requires_grad)


def sin(x: Value) -> Value:
    """sine of a (radians). ∂out/∂a = cos(a)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_SIN, (x,))
    try:
        out = _float_sin(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_SIN, (x,), error, None) from None
    if out - out:
        raise _not_finite(_SIN, (x,), out, None)
    try:
        d_first = _float_cos(a)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('sin', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def cos(x: Value) -> Value:
    """cosine of a (radians). ∂out/∂a = -sin(a)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_COS, (x,))
    try:
        out = _float_cos(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_COS, (x,), error, None) from None
    if out - out:
        raise _not_finite(_COS, (x,), out, None)
    try:
        d_first = -_float_sin(a)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('cos', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


def softplus(x: Value) -> Value:
    """softplus: log(1 + e^a), a smooth ReLU. ∂out/∂a = σ(a)."""
    a = x.data
    if a.__class__ is not float or a - a:
        (a,) = _read(_SOFTPLUS, (x,))
    try:
        out = _float_softplus(a)
    except (ArithmeticError, ValueError) as error:
        raise _domain_error(_SOFTPLUS, (x,), error, None) from None
    if out - out:
        raise _not_finite(_SOFTPLUS, (x,), out, None)
    try:
        d_first = _float_sigmoid(a)
    except ZeroDivisionError:  # an infinite derivative: backward() reports it
        d_first = _inf
    return _make('softplus', out, None, x, None, d_first, 0.0, None, None, x.requires_grad)


# The Value methods each row provides.
Value.__add__ = add
Value.__radd__ = _radd
Value.__sub__ = sub
Value.__rsub__ = _rsub
Value.__mul__ = mul
Value.__rmul__ = _rmul
Value.__truediv__ = div
Value.__rtruediv__ = _rtruediv
Value.__rpow__ = _rpow
Value.__pow__ = pow
Value.__neg__ = neg
Value.__abs__ = abs
Value.exp = exp
Value.log = log
Value.sqrt = sqrt
Value.tanh = tanh
Value.sigmoid = sigmoid
Value.relu = relu
Value.leaky_relu = leaky_relu
Value.sin = sin
Value.cos = cos
Value.softplus = softplus
