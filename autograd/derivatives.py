"""The op table's derivative rules evaluated on Values, generated from autograd/ops.py: do not
edit.

Regenerate with ``python -m autograd.codegen``. ``autograd.grad(..., create_graph=True)`` calls
these, so a gradient is itself a graph built from the same rules ``backward()`` uses as floats.
"""

# ruff: noqa: E501
from __future__ import annotations

import builtins

__all__ = ["LOCAL_GRADS", "abs_local_grads", "add_local_grads", "cos_local_grads", "div_local_grads", "exp_local_grads", "leaky_relu_local_grads", "log_local_grads", "mul_local_grads", "neg_local_grads", "pow_local_grads", "pow_value_local_grads", "relu_local_grads", "sigmoid_local_grads", "sin_local_grads", "softplus_local_grads", "sqrt_local_grads", "sub_local_grads", "tanh_local_grads"]


from autograd.operators import (
    abs,
    add,
    cos,
    div,
    exp,
    leaky_relu,
    log,
    mul,
    neg,
    pow,
    pow_value,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    sub,
    tanh,
)  # noqa: F401  (the functions the rules call)


_builtin_abs = builtins.abs
_builtin_float = builtins.float
_builtin_max = builtins.max
_builtin_min = builtins.min


def add_local_grads(a, b, out, arg):
    """∂out/∂(a, b) of add, evaluated on Values."""
    return (1.0, 1.0,)


def sub_local_grads(a, b, out, arg):
    """∂out/∂(a, b) of sub, evaluated on Values."""
    return (1.0, -1.0,)


def mul_local_grads(a, b, out, arg):
    """∂out/∂(a, b) of mul, evaluated on Values."""
    return (b, a,)


def div_local_grads(a, b, out, arg):
    """∂out/∂(a, b) of div, evaluated on Values."""
    return (1.0 / b, -out / b,)


def pow_value_local_grads(a, b, out, arg):
    """∂out/∂(a, b) of pow_value, evaluated on Values."""
    return (b * a ** (b - 1.0), out * log(a),)


def pow_local_grads(a, out, arg):
    """∂out/∂(a) of pow, evaluated on Values."""
    n = arg.n
    return (0.0 if n == 0.0 else n * a ** (n - 1.0),)


def neg_local_grads(a, out, arg):
    """∂out/∂(a) of neg, evaluated on Values."""
    return (-1.0,)


def abs_local_grads(a, out, arg):
    """∂out/∂(a) of abs, evaluated on Values."""
    return (_builtin_float((a > 0.0) - (a < 0.0)),)


def exp_local_grads(a, out, arg):
    """∂out/∂(a) of exp, evaluated on Values."""
    return (out,)


def log_local_grads(a, out, arg):
    """∂out/∂(a) of log, evaluated on Values."""
    return (1.0 / a,)


def sqrt_local_grads(a, out, arg):
    """∂out/∂(a) of sqrt, evaluated on Values."""
    return (0.5 / out,)


def tanh_local_grads(a, out, arg):
    """∂out/∂(a) of tanh, evaluated on Values."""
    return (1.0 - out * out,)


def sigmoid_local_grads(a, out, arg):
    """∂out/∂(a) of sigmoid, evaluated on Values."""
    return (out * (1.0 - out),)


def relu_local_grads(a, out, arg):
    """∂out/∂(a) of relu, evaluated on Values."""
    return (1.0 if a > 0.0 else 0.0,)


def leaky_relu_local_grads(a, out, arg):
    """∂out/∂(a) of leaky_relu, evaluated on Values."""
    negative_slope = arg.negative_slope
    return (1.0 if a > 0.0 else negative_slope,)


def sin_local_grads(a, out, arg):
    """∂out/∂(a) of sin, evaluated on Values."""
    return (cos(a),)


def cos_local_grads(a, out, arg):
    """∂out/∂(a) of cos, evaluated on Values."""
    return (-sin(a),)


def softplus_local_grads(a, out, arg):
    """∂out/∂(a) of softplus, evaluated on Values."""
    return (sigmoid(a),)


#: The local-derivative function of each row, by op name.
LOCAL_GRADS = {
    "add": add_local_grads,
    "sub": sub_local_grads,
    "mul": mul_local_grads,
    "div": div_local_grads,
    "pow_value": pow_value_local_grads,
    "pow": pow_local_grads,
    "neg": neg_local_grads,
    "abs": abs_local_grads,
    "exp": exp_local_grads,
    "log": log_local_grads,
    "sqrt": sqrt_local_grads,
    "tanh": tanh_local_grads,
    "sigmoid": sigmoid_local_grads,
    "relu": relu_local_grads,
    "leaky_relu": leaky_relu_local_grads,
    "sin": sin_local_grads,
    "cos": cos_local_grads,
    "softplus": softplus_local_grads,
}
