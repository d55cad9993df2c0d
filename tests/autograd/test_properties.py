"""Property tests: backward() on random expression DAGs agrees with central differences."""

import pytest
from hypothesis import given

from autograd import Value
from tests.autograd.programs import FloatMath, ValueMath, programs, run


def finite_difference(program, index, h=1e-6):
    def at(shift):
        leaves = [x + (shift if i == index else 0.0) for i, x in enumerate(program[0])]
        return run(program, leaves, FloatMath())[-1]

    return (at(h) - at(-h)) / (2 * h)


@given(programs())
def test_backward_matches_central_differences(program):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(program[0])]
    out = run(program, leaves, ValueMath())[-1]
    out.backward()
    assert out.data == pytest.approx(run(program, program[0], FloatMath())[-1], rel=1e-12)
    for i, leaf in enumerate(leaves):
        expected = finite_difference(program, i)
        assert leaf.grad == pytest.approx(expected, rel=1e-4, abs=1e-6), (i, program)


@given(programs())
def test_backward_twice_gives_the_same_interior_grads(program):
    values = run(program, [Value(x) for x in program[0]], ValueMath())
    out = values[-1]
    out.backward()
    first = [v.grad for v in values]
    out.backward()
    leaves = len(program[0])
    again = [v.grad for v in values]
    for i, (a, b) in enumerate(zip(first, again, strict=True)):
        if i >= leaves and values[i].parents:
            assert a == b
