"""Topological order and display names."""

from autograd import Value, display_names, topological_order


def test_parents_come_before_children_and_each_node_once():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    assert order[-1] is e
    assert len(order) == len(set(order)) == 5
    position = {node: i for i, node in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[parent] < position[node]


def test_order_is_deterministic_argument_order():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    assert [v.label for v in topological_order(a + b)[:2]] == ["a", "b"]
    assert [v.label for v in topological_order(b + a)[:2]] == ["b", "a"]


def test_deep_chain_without_recursion():
    x = Value(0.0)
    y = x
    for _ in range(200_000):
        y = -y
    assert len(topological_order(y)) == 200_001


def test_display_names():
    x = Value(2.0, label="x")
    y = (x * 0.5) * x
    names = display_names(topological_order(y.tanh()))
    assert sorted(names.values()) == ["0.5", "mul₁", "mul₂", "tanh₁", "x"]
