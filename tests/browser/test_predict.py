"""Predict mode in headless Chromium: type each step's number, get "right" or the slip's hint."""

from __future__ import annotations

import pytest

from autograd import Stepper, Value
from autograd.mistakes import same_number, step_mistakes
from autograd.playback import step_data
from tests.browser.test_page import assert_clean, position, status

# The text of the edge label of ``id`` (without the per-player prefix).
EDGE = """(id) => document.querySelector(`g.edge[id$='-${id}'] text`).textContent"""
ASKED = """() => [...document.querySelectorAll('g.edge.cr-ask')]
  .map((g) => g.id.split('-').slice(1).join('-'))"""


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    return (w * x + b).tanh()


def open_page(watched, stepper, tmp_path, predict):
    path = stepper.save_html(tmp_path / "predict.html", predict=predict)
    watched.page.goto(path.as_uri())
    watched.page.locator(".cr-answer").wait_for()
    return watched.page


def answer(page, text: str, enter: bool = True) -> None:
    page.locator(".cr-answer").fill(text)
    if enter:
        page.locator(".cr-answer").press("Enter")
    else:
        page.get_by_role("button", name="check my prediction").click()


def feedback(page) -> str:
    return page.locator(".cr-feedback").text_content()


def score(page) -> str:
    return page.locator(".cr-score").text_content()


@pytest.mark.parametrize("predict", ["contribution", "local"])
def test_right_answers_reveal_each_step_and_score_every_one(watched, tmp_path, predict):
    out = neuron()
    stepper = Stepper(out)
    steps = step_data(Stepper(out), predict=predict)["steps"]
    page = open_page(watched, Stepper(out), tmp_path, predict)
    assert score(page) == "Score: no predictions yet"
    for k, step in enumerate(steps):
        # The question is the input's label, and the asked edge is blue with its number hidden.
        field = page.get_by_label(f"Step {k + 1} of {len(steps)}: {step['ask']}")
        assert field.is_enabled() and field.input_value() == ""
        assert page.evaluate(ASKED) == [step["edge"]]
        assert page.evaluate(EDGE, step["edge"]).endswith("= ?")
        numbers = stepper.steps[k]
        right = numbers.local_grad if predict == "local" else numbers.contribution
        assert step["expected"] == right
        answer(page, f"{right:.5g}", enter=k % 2 == 0)  # Enter or the check button
        stepper.next()
        assert feedback(page) == f"Step {k + 1}: right, {step['expected_text']}."
        assert score(page) == f"Score: {k + 1} of {k + 1} right"
        assert position(page) == k + 1 and status(page) == stepper.explain()
        assert not page.evaluate(EDGE, step["edge"]).endswith("= ?")
    assert page.locator(".cr-note").text_content() == "Every step is revealed."
    assert page.locator(".cr-note").is_visible() and page.locator(".cr-answer").is_hidden()
    assert score(page) == f"Score: {len(steps)} of {len(steps)} right"
    assert_clean(watched)


@pytest.mark.parametrize("predict", ["contribution", "local"])
def test_every_kind_of_slip_gets_its_own_hint(watched, tmp_path, predict):
    z = Value(0.5, label="z")
    h = z.tanh()
    h.label = "h"
    a = Value(-3.0, label="a")
    out = h * a  # step 1: ∂L/∂h, step 2: ∂L/∂a, step 3: ∂L/∂z through tanh
    stepper = Stepper(out)
    for k, step in enumerate(stepper.steps):
        right = step.local_grad if predict == "local" else step.contribution
        mistakes = step_mistakes(step, quantity=predict)
        slips = [(n, hint) for n, hint in mistakes if not same_number(n, right)]
        assert slips, "every step has slips to try"
        stepper.goto(k)
        page = open_page(watched, stepper, tmp_path, predict)  # the page starts at step k + 1
        for number, _ in slips:
            # The hint the page should give: the first slip within tolerance, as Python sees it.
            typed = f"{number:.6g}"
            wanted = next(h for n, h in slips if same_number(float(typed), n))
            page.reload()
            answer(page, typed)
            assert feedback(page) == f"Step {k + 1}: not quite (you typed {typed}). {wanted}"
            assert score(page) == "Score: 0 of 1 right"
            assert position(page) == k + 1  # the step is revealed
    texts = [hint for step in stepper.steps for _, hint in step_mistakes(step, quantity=predict)]
    if predict == "local":
        assert any("sigmoid's derivative" in text for text in texts)
        assert any("the value of h instead of its derivative" in text for text in texts)
    else:
        assert any("upstream gradient" in text and "alone" in text for text in texts)
    assert any(text.startswith("The sign is wrong") for text in texts)
    assert_clean(watched)


def test_a_number_no_slip_explains_says_what_was_expected(watched, tmp_path):
    out = neuron()
    page = open_page(watched, Stepper(out), tmp_path, "contribution")
    expected = step_data(Stepper(out), predict="contribution")["steps"][0]["expected_text"]
    answer(page, "123")
    assert feedback(page) == f"Step 1: not quite, expected {expected} (you typed 123)."
    answer(page, "1")  # ∂L/∂mul₁ = 1 · 0.8556: the local derivative alone
    assert feedback(page).startswith("Step 2: not quite (you typed 1). That is the local")
    answer(page, "0.8556")
    assert score(page) == "Score: 1 of 3 right"
    assert_clean(watched)


def test_not_a_number_is_refused_and_nothing_moves(watched, tmp_path):
    page = open_page(watched, Stepper(neuron()), tmp_path, "local")
    for typed in ("abc", "2*3", "1/0", "import('x')"):
        answer(page, typed)
        assert feedback(page) == f"“{typed}” is not a number: type one such as -1.5, 0.25 or 3/4."
        assert position(page) == 0 and score(page) == "Score: no predictions yet"
    answer(page, "   ")
    assert feedback(page).startswith("Type your number first")
    # Fractions, a Unicode minus and a decimal comma are numbers.
    answer(page, "0,8556")
    assert feedback(page) == "Step 1: right, 0.8556." and position(page) == 1
    answer(page, "1/1")
    assert feedback(page) == "Step 2: right, 1." and position(page) == 2
    assert_clean(watched)


def test_keys_typed_into_the_answer_do_not_step_and_revealed_steps_are_not_asked(watched, tmp_path):
    out = neuron()
    steps = step_data(Stepper(out), predict="contribution")["steps"]
    page = open_page(watched, Stepper(out), tmp_path, "contribution")
    field = page.locator(".cr-answer")
    field.click()
    page.keyboard.type("-0 5")
    for key in ("ArrowLeft", "ArrowRight", "ArrowRight", "Space"):
        page.keyboard.press(key)
    assert position(page) == 0 and field.input_value() == "-0 5 "
    assert page.get_by_role("button", name="play").is_visible()  # space did not start playing
    answer(page, steps[0]["expected_text"])
    page.get_by_role("button", name="next step").click()  # step 2 shown without a prediction
    page.get_by_role("button", name="previous step").click()
    assert page.locator(".cr-note").text_content().startswith("Already revealed")
    assert field.is_disabled()
    page.get_by_role("button", name="previous step").click()
    assert page.locator(".cr-note").text_content() == (
        f"You answered {steps[0]['expected_text']}: right."
    )
    assert field.input_value() == steps[0]["expected_text"] and field.is_disabled()
    page.get_by_role("button", name="next step").click()
    page.get_by_role("button", name="next step").click()
    assert page.get_by_label(f"Step 3 of 5: {steps[2]['ask']}").is_enabled()
    assert score(page) == "Score: 1 of 1 right"
    assert_clean(watched)


def test_labels_and_hints_are_text_never_markup(watched, tmp_path):
    x = Value(2.0, label="<img src=x onerror=alert(1)>")
    y = x * Value(-3.0, label="<b>y</b>")
    page = open_page(watched, Stepper(y), tmp_path, "local")
    step = step_data(Stepper(y), predict="local")["steps"][0]
    assert "<b>y</b>" in step["ask"] or "<img" in step["ask"]
    assert page.locator(".cr-question").text_content().endswith(step["ask"])
    answer(page, f"{-step['expected']:.6g}")
    assert feedback(page).endswith(step["mistakes"][0][1])
    assert page.locator(".cr-predict img, .cr-predict b").count() == 0
    assert_clean(watched)


def test_start_over_clears_the_score_and_asks_from_the_first_step(watched, tmp_path):
    out = neuron()
    steps = step_data(Stepper(out), predict="local")["steps"]
    page = open_page(watched, Stepper(out), tmp_path, "local")
    restart = page.get_by_role("button", name="start over")
    assert restart.is_disabled()  # nothing to clear yet
    answer(page, steps[0]["expected_text"])
    answer(page, "7")
    page.get_by_role("button", name="next step").click()  # step 3 shown without predicting
    assert score(page) == "Score: 1 of 2 right" and position(page) == 3
    restart.click()
    assert position(page) == 0 and score(page) == "Score: no predictions yet"
    assert feedback(page) == "" and page.locator(".cr-feedback").is_hidden()
    field = page.get_by_label(f"Step 1 of {len(steps)}: {steps[0]['ask']}")
    assert field.is_enabled() and field.input_value() == "" and restart.is_disabled()
    assert page.evaluate(EDGE, steps[0]["edge"]).endswith("= ?")  # hidden again
    page.keyboard.type(steps[0]["expected_text"])  # the answer has the focus
    page.keyboard.press("Enter")
    assert score(page) == "Score: 1 of 1 right" and position(page) == 1
    assert_clean(watched)
