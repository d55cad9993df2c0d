"""Collapsed views: autograd.scope tags values, nn tags its own, draw folds groups into boxes."""

from __future__ import annotations

import re
import threading

import pytest

import nn
from autograd import Value, draw, scope, topological_order
from autograd.collapse import collapsed_source, group_path


def moons_loss():
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=0)
    loss = nn.losses.hinge([model([0.5, -1.0])], [1])
    loss.backward()
    return model, loss


def boxes(source: str) -> list[str]:
    return [m[1] for m in re.finditer(r"^\s*([vg]\d+) \[", source, re.MULTILINE)]


def test_scope_tags_values_made_inside_and_nests():
    x = Value(1.0, label="x")
    with scope("encoder"):
        h = x * 2
        with scope("block"):
            y = h.tanh()
    z = y + 1
    assert (x.scope, h.scope, y.scope, z.scope) == ((), ("encoder",), ("encoder", "block"), ())
    with pytest.raises(TypeError, match="scope needs a non-empty str"), scope(""):
        pass


def test_a_scope_in_one_thread_does_not_tag_values_of_another():
    inside, done, seen = threading.Event(), threading.Event(), {}

    def other():
        with scope("theirs"):
            inside.set()
            done.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    try:
        assert inside.wait(10)
        seen["mine"] = (Value(1.0) * 2).scope
    finally:
        done.set()
        thread.join(10)
    assert seen["mine"] == ()


def test_nn_modules_tag_their_parameters_and_values_with_their_path():
    model, loss = moons_loss()
    neuron = model.layers[1].neurons[2]
    assert {p.scope for p in neuron.parameters()} == {("L2", "N3")}
    out = model([0.1, 0.2])
    assert out.scope == ("L3", "N1") and out.parents[0].scope == ("L3", "N1")
    assert loss.scope == ()


def test_moons_loss_collapses_to_few_boxes():
    _, loss = moons_loss()
    assert len(topological_order(loss)) > 400
    layer = collapsed_source(loss, collapse="layer")
    neuron = collapsed_source(loss, collapse="neuron")
    assert len(boxes(layer)) <= 20 and len(boxes(neuron)) <= 60
    assert "L2 (304 values)" in layer and "16 outputs" in layer
    assert "L2.N3 (19 values)" in neuron
    svg = draw(loss, collapse="layer").svg()
    assert "L1 (80 values)" in svg


def test_expand_opens_chosen_groups_again():
    _, loss = moons_loss()
    opened = collapsed_source(loss, collapse="layer", expand=["L3"])
    assert "L3 (" not in opened and "relu" in opened
    partly = collapsed_source(loss, collapse="layer", expand="L2.N1")
    assert "L2 (285 values)" in partly  # 19 values of L2.N1 drawn one by one
    with pytest.raises(TypeError, match="expand takes group names"):
        collapsed_source(loss, collapse="layer", expand=[3])
    with pytest.raises(ValueError, match="highlight, pending and nudge show single values"):
        draw(loss, collapse="layer", nudge=True)
    with pytest.raises(ValueError, match="expand opens groups of a collapsed drawing"):
        draw(loss, expand=["L2"], max_nodes=1000)


def test_group_outputs_show_value_and_gradient():
    x = Value(2.0, label="x")
    with scope("square"):
        y = x * x
    z = y * 3
    z.backward()
    source = collapsed_source(z, collapse="scope")
    assert "square (1 value)" in source and "out mul₁ = 4" in source and "grad 3" in source
    assert "inputs: x" in source


def test_too_many_values_suggests_collapse_and_bad_modes_are_refused():
    _, loss = moons_loss()
    with pytest.raises(ValueError, match=r"Fold it with draw\(root, collapse='layer'\)"):
        draw(loss, max_nodes=100)
    with pytest.raises(ValueError, match="collapse must be one of 'layer', 'neuron', 'scope'"):
        draw(loss, collapse="everything")
    with pytest.raises(ValueError, match="still has 38 boxes, more than max_nodes=10"):
        draw(loss, collapse="neuron", max_nodes=10)


def test_group_path_depths():
    v = Value(1.0)
    v.scope = ("a", "b", "c")
    assert group_path(v, "layer") == ("a",)
    assert group_path(v, "neuron") == ("a", "b")
    assert group_path(v, "scope") == ("a", "b", "c")
    assert group_path(v, "scope", [("a", "b")]) is None
    assert group_path(Value(1.0), "layer") is None
