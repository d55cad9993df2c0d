"""Random expression DAGs for property tests: a program of ops over earlier results.

A program is replayed on any backend (chainrule Values, plain floats, torch tensors), so the
same graph can be differentiated by backward(), by finite differences and by PyTorch.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

# Each op maps operands (from earlier steps, so subexpressions are shared) to a new result.
# Every op is smooth and defined on all reals, so central differences are reliable.
SMOOTH_OPS = {
    "add": (2, lambda m, a, b: a + b),
    "sub": (2, lambda m, a, b: a - b),
    "mul": (2, lambda m, a, b: a * b),
    "div": (2, lambda m, a, b: a / (m.exp(b) + 0.5)),
    "rsub": (1, lambda m, a: 1.5 - a),
    "rmul": (1, lambda m, a: 0.7 * a),
    "rdiv": (1, lambda m, a: 2.0 / (a * a + 1.0)),
    "square": (1, lambda m, a: a**2),
    "cube": (1, lambda m, a: a**3),
    "neg": (1, lambda m, a: -a),
    "tanh": (1, lambda m, a: m.tanh(a)),
    "sigmoid": (1, lambda m, a: m.sigmoid(a)),
    "exp": (1, lambda m, a: m.exp(m.tanh(a))),
    "log": (1, lambda m, a: m.log(a * a + 1.0)),
    "sqrt": (1, lambda m, a: m.sqrt(a * a + 0.5)),
    "pow_value": (2, lambda m, a, b: (a * a + 0.5) ** m.tanh(b)),
    "rpow": (1, lambda m, a: 1.5 ** m.tanh(a)),
    "sum": (3, lambda m, a, b, c: m.sum([a, b, c])),
    "weighted_sum": (3, lambda m, a, b, c: m.weighted_sum([a, b], [b, c], a)),
    "sin": (1, lambda m, a: m.sin(a)),
    "cos": (1, lambda m, a: m.cos(a)),
    "softplus": (1, lambda m, a: m.softplus(a)),
}
# Kinked ops: exact agreement with PyTorch's conventions, but not with finite differences.
KINKED_OPS = {
    "relu": (1, lambda m, a: m.relu(a)),
    "abs": (1, lambda m, a: abs(a)),
    "leaky_relu": (1, lambda m, a: m.leaky_relu(a, 0.1)),
}


class ValueMath:
    """Runs a program on chainrule Values."""

    def __init__(self) -> None:
        import autograd

        self.autograd = autograd

    def exp(self, a):
        return a.exp()

    def log(self, a):
        return a.log()

    def sqrt(self, a):
        return a.sqrt()

    def tanh(self, a):
        return a.tanh()

    def sigmoid(self, a):
        return a.sigmoid()

    def relu(self, a):
        return a.relu()

    def leaky_relu(self, a, slope):
        return a.leaky_relu(slope)

    def sin(self, a):
        return a.sin()

    def cos(self, a):
        return a.cos()

    def softplus(self, a):
        return a.softplus()

    def sum(self, terms):
        return self.autograd.sum(terms)

    def weighted_sum(self, w, x, b):
        return self.autograd.weighted_sum(w, x, b)


class FloatMath:
    """Runs a program on plain floats (for finite differences)."""

    exp, log, sqrt, tanh = math.exp, math.log, math.sqrt, math.tanh

    def sigmoid(self, a):
        return 1.0 / (1.0 + math.exp(-a))

    def relu(self, a):
        return max(a, 0.0)

    def leaky_relu(self, a, slope):
        return a if a > 0.0 else slope * a

    sin, cos = math.sin, math.cos

    def softplus(self, a):
        return math.log1p(math.exp(-abs(a))) + max(a, 0.0)

    def sum(self, terms):
        return sum(terms)

    def weighted_sum(self, w, x, b):
        return sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b


@st.composite
def programs(draw, ops=None, max_steps=12):
    """A random program: leaf values and a list of (op name, operand indices)."""
    ops = SMOOTH_OPS if ops is None else ops
    leaves = draw(
        st.lists(
            st.floats(-2.0, 2.0, allow_nan=False).map(lambda x: round(x, 3)),
            min_size=1,
            max_size=4,
        )
    )
    steps = []
    size = len(leaves)
    for _ in range(draw(st.integers(1, max_steps))):
        name = draw(st.sampled_from(sorted(ops)))
        arity = ops[name][0]
        # Prefer recent results so graphs get deep, but allow any earlier one (sharing).
        operands = tuple(draw(st.integers(0, size - 1)) for _ in range(arity))
        steps.append((name, operands))
        size += 1
    return leaves, steps


def run(program, leaves, m, ops=None):
    """Replay ``program`` on ``leaves`` with math backend ``m``; returns all results."""
    ops = {**SMOOTH_OPS, **KINKED_OPS} if ops is None else ops
    values = list(leaves)
    for name, operands in program[1]:
        values.append(ops[name][1](m, *(values[i] for i in operands)))
    return values
