"""chainrule's autograd engine: scalar Values, the op table, backprop you can watch.

>>> from autograd import Value
>>> x = Value(-1.0, label="w")
>>> error = x ** 2
>>> error.backward()
>>> x.grad
-2.0
"""

from autograd._version import __version__
from autograd.graph import display_names, topological_order
from autograd.ops import OPS, DomainError, Op
from autograd.steps import Step, backprop_steps
from autograd.value import Value, is_grad_enabled, no_grad, op_source, sum, weighted_sum

__all__ = [
    "OPS",
    "DomainError",
    "Op",
    "Step",
    "Value",
    "__version__",
    "backprop_steps",
    "display_names",
    "is_grad_enabled",
    "no_grad",
    "op_source",
    "sum",
    "topological_order",
    "weighted_sum",
]
