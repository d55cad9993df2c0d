"""gradcheck: analytic vs numeric derivatives, with a readable report."""

import pytest

from autograd import GradcheckResult, Value, gradcheck


def test_passes_on_correct_gradients_and_leaves_inputs_alone():
    w = Value(-1.0, label="w")
    result = gradcheck(lambda w, x: (w * x).sigmoid(), w, 0.5)
    assert isinstance(result, GradcheckResult) and result.passed and bool(result)
    assert [c.name for c in result.inputs] == ["w", "x₂"]
    assert w.grad == 0.0, "gradcheck must not touch the caller's values"
    text = str(result)
    assert "gradcheck passed: 2 of 2 inputs agree" in text
    assert text.splitlines()[0].split() == ["input", "analytic", "numeric", "abs", "error", "ok"]


def test_fails_when_the_function_is_not_differentiable_there():
    # relu at exactly 0: backward uses relu'(0) = 0, the central difference gives 0.5.
    result = gradcheck(lambda x: x.relu(), 0.0)
    assert not result.passed
    assert result.inputs[0].analytic == 0.0
    assert result.inputs[0].numeric == pytest.approx(0.5)
    assert result.inputs[0].error == pytest.approx(0.5)
    assert "gradcheck FAILED: 0 of 1" in str(result)


def test_lecture_numbers():
    # error = w², slope -2 at w = -1; chain x·w1·w2: dE/dw1 = x·w2.
    assert gradcheck(lambda w: w**2, -1.0).inputs[0].analytic == -2.0
    result = gradcheck(lambda x, w1, w2: x * w1 * w2, 3.0, 0.5, -2.0)
    assert result.inputs[1].analytic == 3.0 * -2.0


def test_bad_arguments():
    with pytest.raises(TypeError, match="needs a function"):
        gradcheck(3.0, 1.0)
    with pytest.raises(ValueError, match="at least one input"):
        gradcheck(lambda x: x)
    with pytest.raises(ValueError, match="eps must be > 0"):
        gradcheck(lambda x: x, 1.0, eps=0)
    with pytest.raises(TypeError, match="return one Value, got list"):
        gradcheck(lambda x: [x], 1.0)
    with pytest.raises(TypeError, match="not str"):
        gradcheck(lambda x: x, "1")


def test_errors_name_the_real_cause():
    with pytest.raises(TypeError, match="return one Value built from its inputs, got float"):
        gradcheck(lambda a: 3.0, 1.0)
    with pytest.raises(TypeError, match="passed 2 input"):
        gradcheck(lambda a: a, 1.0, 2.0)
    with pytest.raises(ValueError, match=r"nudging input 1 from 1e-08 by -1e-06.*smaller eps"):
        gradcheck(lambda a: a.log(), 1e-8)
    assert gradcheck(lambda a: a.log(), 1e-8, eps=1e-10, rtol=1e-3).passed
