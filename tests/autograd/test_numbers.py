"""Tests for the number checks shared by the engine and nn."""

import math

import pytest

from autograd.numbers import is_real, real_number, whole_number


def test_real_number_accepts_ints_floats_and_numpy_scalars():
    assert real_number(2, "x") == 2.0 and type(real_number(2, "x")) is float
    assert real_number(-0.5, "x") == -0.5
    numpy = pytest.importorskip("numpy")
    assert real_number(numpy.float32(0.5), "x") == 0.5
    assert real_number(numpy.int64(3), "x") == 3.0


@pytest.mark.parametrize("bad", ["1", None, 1j, [1.0], True])
def test_real_number_refuses_what_is_not_a_number_naming_it(bad):
    with pytest.raises(TypeError, match=r"^lr \(the learning rate\) must be a number, not "):
        real_number(bad, "lr (the learning rate)")


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_real_number_refuses_nan_and_inf(bad):
    with pytest.raises(ValueError, match=r"^alpha must be a finite number, got .*nan and inf"):
        real_number(bad, "alpha")


def test_real_number_refuses_an_int_too_large_for_a_float():
    with pytest.raises(ValueError, match=r"^alpha is too large for a float \(1000.*scale it down"):
        real_number(10**400, "alpha")
    assert real_number(2**62, "alpha") == float(2**62)


def test_bools_only_when_allowed():
    assert real_number(True, "flag", allow_bool=True) == 1.0
    assert not is_real(False) and is_real(False, allow_bool=True)


def test_whole_number():
    assert whole_number(3, "epochs") == 3
    assert whole_number(0, "epochs", minimum=0) == 0
    numpy = pytest.importorskip("numpy")
    assert type(whole_number(numpy.int64(4), "epochs")) is int
    with pytest.raises(ValueError, match=r"^epochs must be at least 1, got 0\.$"):
        whole_number(0, "epochs", minimum=1)
    with pytest.raises(TypeError, match=r"epochs must be an int, not float \(3\.0\); .* such as 3"):
        whole_number(3.0, "epochs")
    for bad in (True, "3", None):
        with pytest.raises(TypeError, match="epochs must be an int"):
            whole_number(bad, "epochs")
