"""check_gradients and step_mistakes: right answers pass, each usual slip gets its own hint,
bad input is refused by name, and the learner's graph and gradients never change."""

import math

import pytest

from autograd import Value, backprop_steps, check_gradients, step_mistakes


def snapshot(root):
    return [(v, v.data, v.grad, v.label, v.parents, v.local_grads) for v in root.walk()]


def lecture_neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, (x1, x2, w1, w2, b, n)


def test_hand_rounded_right_answers_pass_and_nothing_changes():
    o, (x1, x2, w1, w2, b, n) = lecture_neuron()
    before = snapshot(o)
    report = check_gradients(o, {x1: -1.5, x2: 0.5, w1: 1.0, w2: 0.0, b: 0.5, n: 0.5, o: 1})
    assert report.passed and bool(report)
    assert [a.name for a in report.answers] == [
        "∂o/∂x1",
        "∂o/∂x2",
        "∂o/∂w1",
        "∂o/∂w2",
        "∂o/∂b",
        "∂o/∂n",
        "∂o/∂o",
    ]
    assert str(report).splitlines()[0] == "All 7 answers right."
    assert snapshot(o) == before
    assert all(v.grad == 0.0 for v in o.walk())


def test_gradients_already_computed_are_left_alone():
    o, (x1, *_rest) = lecture_neuron()
    o.backward()
    before = snapshot(o)
    check_gradients(o, {x1: 99.0})
    assert snapshot(o) == before


def test_a_missing_path_is_named():
    x, w = Value(-2.0, label="x"), Value(3.0, label="w")
    y = x * w + x
    y.label = "y"
    direct = check_gradients(y, {x: 3.0}).answers[0]  # w only: the direct path left out
    assert not direct.ok and direct.expected == 4.0
    assert direct.hint.startswith("You left out the path x → y (it contributes 1)")
    through = check_gradients(y, {x: 1.0}).answers[0]
    assert "You left out the path x → mul₁ → y (it contributes 3)" in through.hint


def test_a_missing_path_deeper_in_the_graph():
    a, b = Value(0.5, label="a"), Value(2.0, label="b")
    out = (a * b + a).tanh()
    local = 1 - out.data**2
    hint = check_gradients(out, {a: local * b.data}).answers[0].hint
    assert "You left out the path a → add₁ → tanh₁" in hint


def test_a_missing_upstream_factor_says_what_to_multiply_by():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    loss = c * 0.5
    answer = check_gradients(loss, {a: -3.0}).answers[0]
    assert answer.expected == -1.5
    assert answer.hint == (
        "That is the local derivative ∂c/∂a = b = -3 alone: multiply it by the upstream "
        "gradient ∂L/∂c = 0.5."
    )


def test_a_wrong_sign():
    a, b = Value(2.0, label="a"), Value(5.0, label="b")
    out = a - b
    answer = check_gradients(out, {b: 1.0}).answers[0]
    assert answer.expected == -1.0
    assert answer.hint.startswith("The sign is wrong")


def test_sigmoids_derivative_used_for_tanh():
    o, (*_leaves, n) = lecture_neuron()
    s = o.data
    answer = check_gradients(o, {n: s * (1 - s)}).answers[0]
    assert answer.hint.startswith("That uses sigmoid's derivative o·(1 - o) instead of tanh's")
    assert "∂o/∂n = 1 - o² = 0.5" in answer.hint


def test_an_unrecognised_number_gets_the_chain_rule_written_out():
    x, w = Value(-2.0, label="x"), Value(3.0, label="w")
    y = x * w + x
    hint = check_gradients(y, {x: 123.0}).answers[0].hint
    assert hint.startswith("Not one of the usual slips.")
    assert "∂L/∂x = ∂mul₁/∂x · ∂L/∂mul₁ + ∂add₁/∂x · ∂L/∂add₁" in hint


def test_the_report_reads_well():
    x, w = Value(-2.0, label="x"), Value(3.0, label="w")
    y = x * w + x
    y.label = "y"
    report = check_gradients(y, {w: -2.0, x: 3.0})
    assert not report.passed
    assert [a.name for a in report.wrong] == ["∂y/∂x"]
    lines = str(report).splitlines()
    assert lines[:3] == [
        "1 of 2 answers right.",
        "  ∂y/∂w = -2: right",
        "  ∂y/∂x = 3: wrong, expected 4",
    ]
    assert lines[3].startswith("    You left out the path")


@pytest.mark.parametrize(
    ("answers", "error", "message"),
    [
        (lambda x, q: {"x": 1.0}, TypeError, "the key 'x' is a str, not a Value"),
        (lambda x, q: {q: 1.0}, ValueError, "the Value 'q' (data 5) is not in the graph"),
        (lambda x, q: {x: "1.5"}, TypeError, "the answer for 'x' must be a number, not str"),
        (lambda x, q: {x: math.nan}, ValueError, "the answer for 'x' must be a finite number"),
        (lambda x, q: [x], TypeError, "answers must be a dict mapping Values"),
        (lambda x, q: {}, ValueError, "answers is empty"),
    ],
)
def test_bad_answers_are_refused_by_name_and_nothing_changes(answers, error, message):
    x, q = Value(2.0, label="x"), Value(5.0, label="q")
    y = x * 3.0
    before = snapshot(y)
    with pytest.raises(error, match="check_gradients: ") as caught:
        check_gradients(y, answers(x, q))
    assert message in str(caught.value)
    assert snapshot(y) == before


def test_a_constant_or_a_non_value_root_is_refused():
    x = Value(2.0, label="x")
    c = Value(4.0, label="c", requires_grad=False)
    with pytest.raises(ValueError, match="'c' is a constant"):
        check_gradients(x * c, {c: 2.0})
    with pytest.raises(TypeError, match="root must be a Value, not float"):
        check_gradients(2.0, {x: 1.0})


# ---------------------------------------------------------------------------------------------
# step_mistakes: the hints for one step, shared with the stepper's predict mode.


def mul_step():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    return list(backprop_steps(c * 0.5))[1]


def test_step_mistakes_for_a_contribution():
    step = mul_step()
    mistakes = dict(step_mistakes(step))
    assert step.contribution not in mistakes  # the right answer is never listed as wrong
    assert mistakes[1.5].startswith("The sign is wrong")
    assert mistakes[-3.0].startswith("That is the local derivative ∂c/∂a = b = -3 alone")
    assert mistakes[0.5].startswith("That is the upstream gradient ∂L/∂c = 0.5 alone")
    assert "∂c/∂b (the derivative towards the other input)" in mistakes[1.0]
    numbers = [number for number, _ in step_mistakes(step)]
    assert len(numbers) == len(set(numbers))


def test_step_mistakes_for_a_local_derivative():
    z = Value(0.5, label="z")
    h = z.tanh()
    h.label = "h"
    step = list(backprop_steps(h * 2.0))[1]
    mistakes = step_mistakes(step, quantity="local")
    assert all(not math.isclose(number, step.local_grad) for number, _ in mistakes)
    sigmoid = [hint for number, hint in mistakes if math.isclose(number, h.data * (1 - h.data))]
    assert sigmoid == [
        "That is sigmoid's derivative h·(1 - h) instead of tanh's: ∂h/∂z = 1 - h² = 0.7864."
    ]
    assert any(hint.startswith("That is the value of h") for _, hint in mistakes)


def test_step_mistakes_uses_the_names_given():
    step = mul_step()
    names = {step.node: "product", step.parent: "alpha"}
    hint = step_mistakes(step, names)[1][1]
    assert "∂product/∂alpha = b = -3" in hint


def test_step_mistakes_when_the_parent_already_had_a_gradient():
    x = Value(3.0, label="x")
    second = list(backprop_steps(x * x))[1]
    assert second.grad_before == 3.0
    hints = dict(step_mistakes(second))
    assert hints[6.0].startswith("That is ∂L/∂x so far, this step included")


def test_step_mistakes_refuses_bad_input():
    with pytest.raises(TypeError, match="needs a Step"):
        step_mistakes("step")
    with pytest.raises(ValueError, match="quantity must be 'contribution' or 'local'"):
        step_mistakes(mul_step(), quantity="upstream")


def test_a_deep_chain_and_a_graph_with_very_many_paths_are_checked_without_trouble():
    x = Value(1.0, label="x")
    out = x
    for _ in range(5000):
        out = out * 1.0 + 0.0
    answer = check_gradients(out, {x: -1.0}).answers[0]
    assert answer.expected == 1.0 and answer.hint.startswith("The sign is wrong")
    # 2**40 paths from x to the root: only the first few are looked at.
    y = Value(0.5, label="y")
    top = y
    for _ in range(40):
        top = top * 0.5 + top * 0.5
    answer = check_gradients(top, {y: 0.5}).answers[0]
    assert answer.expected == pytest.approx(1.0) and not answer.ok
