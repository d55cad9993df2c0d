"""chainrule's autograd engine: scalar Values, the op table, backprop you can watch.

``autograd.sum`` and ``autograd.compile`` are left out of ``__all__`` so that ``from autograd
import *`` does not hide Python's built-in ``sum`` and ``compile``; call them as
``autograd.sum(terms)`` and ``autograd.compile(fn, *example_inputs)``.

>>> from autograd import Value
>>> x = Value(-1.0, label="w")
>>> error = x ** 2
>>> error.backward()
>>> x.grad
-2.0
"""

from autograd import operators as _operators  # noqa: F401  (gives Value its operators)
from autograd._version import __version__
from autograd.check import GradcheckResult, gradcheck
from autograd.collector import relaxed_gc
from autograd.compiler import compile as compile  # public as autograd.compile, not in __all__
from autograd.drawing import Drawing, draw
from autograd.exercises import check_gradients, compare_engine, step_mistakes
from autograd.expr import ExpressionError, parse_expression
from autograd.gradients import grad
from autograd.modes import is_grad_enabled, no_grad, scope
from autograd.names import display_names
from autograd.ops import OPS, DomainError, Op, VariadicOp
from autograd.render import RenderError
from autograd.stepper import Stepper
from autograd.steps import Step, backprop_steps
from autograd.sums import sum as sum  # public as autograd.sum, but not in __all__
from autograd.sums import weighted_sum, weighted_sums
from autograd.tracing import TraceError
from autograd.value import Value, topological_order
from autograd.widgets import step_through

__all__ = [
    "OPS",
    "DomainError",
    "Drawing",
    "ExpressionError",
    "GradcheckResult",
    "Op",
    "RenderError",
    "Step",
    "Stepper",
    "TraceError",
    "Value",
    "VariadicOp",
    "__version__",
    "backprop_steps",
    "check_gradients",
    "compare_engine",
    "display_names",
    "draw",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "parse_expression",
    "relaxed_gc",
    "scope",
    "step_mistakes",
    "step_through",
    "topological_order",
    "weighted_sum",
    "weighted_sums",
]
