"""A graph holds no reference cycles: dropping it frees every node at once, collector or not."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest

import autograd
from autograd import Value


@pytest.fixture
def collector_off() -> Iterator[None]:
    """Disable the cyclic garbage collector for one test, so only reference counting frees."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def every_op(x: Value, y: Value) -> Value:
    """A graph using every op of the table, plain-number constants and both many-input ops."""
    a = (x + y) - 1.5 * x
    b = (a * y / (y + 3.0)) ** 2
    c = x ** (y + 2.5) + (-b) + abs(a)
    d = (c.exp() * 1e-3 + 1.0).log() + (b + 1.0).sqrt()
    e = d.tanh() + d.sigmoid() + d.relu()
    f = autograd.sum([e, a, 2.0])
    return autograd.weighted_sum([x, y, 0.5], [f, e, y], bias=x)


def chain(x: Value, y: Value) -> Value:
    """A 5,000-deep chain: deep graphs must not need the collector either."""
    acc = x
    for _ in range(5_000):
        acc = (acc * y + x) * 0.5
    return acc


def refs_of(root: Value) -> list[weakref.ref]:
    return [weakref.ref(node) for node in root.walk()]


@pytest.mark.parametrize("build", [every_op, chain], ids=["every_op", "chain"])
@pytest.mark.parametrize("after", ["nothing", "backward", "backprop_steps", "zero_grad"])
def test_dropping_a_graph_frees_every_node_without_the_collector(
    collector_off: None, build: Callable[[Value, Value], Value], after: str
) -> None:
    x, y = Value(0.7, label="x"), Value(1.3, label="y")
    root = build(x, y)
    if after == "backward":
        root.backward()
    elif after == "backprop_steps":
        steps = list(autograd.backprop_steps(root))
        assert steps
        del steps
    elif after == "zero_grad":
        root.backward()
        root.zero_grad()
    refs = refs_of(root)
    assert len(refs) > 20
    del root, x, y
    alive = [ref() for ref in refs if ref() is not None]
    assert alive == [], f"{len(alive)} of {len(refs)} nodes outlived their graph"


def test_leaves_kept_by_the_caller_survive_and_forget_the_graph(collector_off: None) -> None:
    x = Value(2.0, label="x")
    root = every_op(x, Value(0.5, label="y"))
    interior = [weakref.ref(node) for node in root.walk() if node.parents]
    root.backward()
    del root
    assert all(ref() is None for ref in interior)
    assert x.parents == () and x.grad != 0.0


def test_no_grad_results_hold_no_parents(collector_off: None) -> None:
    x = Value(2.0)
    with autograd.no_grad():
        y = x * x + 1.0
    assert y.parents == () and y.local_grads == ()
    ref = weakref.ref(y)
    del y
    assert ref() is None


def test_the_collector_finds_nothing_to_free_after_a_dropped_graph(collector_off: None) -> None:
    # Nothing of ours is left in a cycle: a full collection after dropping finds no garbage.
    gc.collect()
    root = chain(Value(0.7), Value(1.3))
    root.backward()
    del root
    assert gc.collect() == 0
