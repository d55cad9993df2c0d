"""relaxed_gc: a scoped, restored change of the collector's first threshold."""

import gc

import pytest

import autograd
from autograd import Value, relaxed_gc


def test_raises_the_threshold_inside_and_restores_it_after_an_error():
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), relaxed_gc():
        assert gc.get_threshold()[0] == max(before[0], autograd.collector.RELAXED_THRESHOLD)
        assert gc.get_threshold()[1:] == before[1:]
        raise RuntimeError("boom")
    assert gc.get_threshold() == before


def test_leaves_automatic_collection_off_when_it_was_off():
    before = gc.get_threshold()
    gc.set_threshold(0)
    try:
        with relaxed_gc():
            assert gc.get_threshold()[0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*before)


def test_graphs_are_still_freed_inside():
    import weakref

    with relaxed_gc():
        x = Value(1.0)
        y = (x * 2).tanh()
        ref = weakref.ref(y)
        del y
        assert ref() is None


@pytest.mark.parametrize("bad", [0, -5, 1.5, True, "100"])
def test_bad_threshold(bad):
    with pytest.raises(ValueError, match="positive whole number"), relaxed_gc(bad):
        pass
