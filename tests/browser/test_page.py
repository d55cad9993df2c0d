"""The offline page (Stepper.save_html) in headless Chromium: it steps exactly like the Stepper."""

from __future__ import annotations

import pytest

from autograd import Stepper, Value, topological_order
from autograd.playback import step_data
from benchmarks.browser import mlp_loss

# The ids of the page's highlighted parts, without the per-player prefix.
LIT = """(kind) => [...document.querySelectorAll(`g.${kind}.cr-lit`)]
  .map((g) => g.id.split('-').slice(1).join('-'))"""
# The texts of the box of node ``id``.
BOX = """(id) => [...document.querySelector(`g.node[id$='-${id}']`).querySelectorAll('text')]
  .map((t) => t.textContent)"""

# Where every node and edge is drawn, and the picture element itself.
PLACES = """() => [...document.querySelectorAll('g.node, g.edge')].map((g) => {
  const box = g.getBBox();
  return [g.id, box.x, box.y, box.width, box.height];
}).concat([[document.querySelectorAll('svg').length]])"""


def neuron():
    w, x, b = Value(0.5, label="w"), Value(-1.0, label="x"), Value(0.1, label="b")
    return w, x, b, (w * x + b).tanh()


def open_page(watched, stepper, tmp_path, **options):
    path = stepper.save_html(tmp_path / "steps.html", **options)
    watched.page.goto(path.as_uri())
    watched.page.get_by_role("status").wait_for()
    return watched.page


def status(page) -> str:
    return page.get_by_role("status").text_content()


def position(page) -> int:
    return int(page.locator(".chainrule-stepper").get_attribute("data-position"))


def assert_clean(watched) -> None:
    assert watched.errors == []
    assert watched.dialogs == []
    assert all(url.startswith(("file:", "data:")) for url in watched.requests), watched.requests


def test_clicking_through_every_step_shows_the_stepper_explanation_and_edge(watched, tmp_path):
    *_, out = neuron()
    stepper = Stepper(out)
    page = open_page(watched, Stepper(out), tmp_path)
    data_edges = [step["edge"] for step in step_data(Stepper(out))["steps"]]
    assert status(page) == stepper.explain() == "start: ∂L/∂L = 1 (L is tanh₁)"
    assert page.get_by_role("button", name="previous step").is_disabled()
    assert page.evaluate(LIT, "node") == ["v5"] and page.evaluate(LIT, "edge") == []
    assert page.evaluate(BOX, "v0")[-1] == "grad ?"
    boxes = page.evaluate(PLACES)
    next_button = page.get_by_role("button", name="next step")
    order = topological_order(out)  # the picture's ids: v0, v1, … (every value is drawn here)
    edges = []
    for k in range(1, len(stepper) + 1):
        next_button.click()
        step = stepper.next()
        assert status(page) == stepper.explain()
        assert page.get_by_role("slider", name="step").input_value() == str(k)
        edges.append(page.evaluate(LIT, "edge"))
        lit_nodes = {f"v{i}" for i, node in enumerate(order) if node in (step.node, step.parent)}
        assert set(page.evaluate(LIT, "node")) == lit_nodes
    assert edges == [[edge] for edge in data_edges] and len(set(data_edges)) == 5
    assert page.evaluate(PLACES) == boxes  # the layout never moved
    assert next_button.is_disabled()
    assert page.evaluate(BOX, "v0")[-1] == "grad -0.8556"  # ∂L/∂w, filled in by its step
    back = page.get_by_role("button", name="previous step")
    for _ in range(len(stepper)):
        back.click()
        stepper.back()
        assert status(page) == stepper.explain()
    assert page.evaluate(BOX, "v0")[-1] == "grad ?"
    assert_clean(watched)


def test_keys_and_the_slider_move_and_play_runs_to_the_end(watched, tmp_path):
    *_, out = neuron()
    stepper = Stepper(out)
    page = open_page(watched, Stepper(out), tmp_path, interval=60)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    stepper.goto(2)
    assert position(page) == 2 and status(page) == stepper.explain()
    page.keyboard.press("ArrowLeft")
    stepper.goto(1)
    assert position(page) == 1 and status(page) == stepper.explain()
    page.get_by_role("slider", name="step").fill("4")
    stepper.goto(4)
    assert position(page) == 4 and status(page) == stepper.explain()
    page.locator("body").click(position={"x": 2, "y": 2})  # focus back on the page
    page.keyboard.press(" ")
    assert page.get_by_role("button", name="pause").is_visible()
    page.locator(".chainrule-stepper[data-position='5']").wait_for()
    page.get_by_role("button", name="play").wait_for()
    stepper.goto(5)
    assert status(page) == stepper.explain()
    page.get_by_role("button", name="play").click()  # at the end, play starts over
    page.locator(".chainrule-stepper[data-position='5']").wait_for()
    page.get_by_role("button", name="play").wait_for()
    assert_clean(watched)


def test_hovering_shows_values_gradients_contributions_and_local_derivatives(watched, tmp_path):
    x = Value(3.0, label="x")
    out = x * x + x
    page = open_page(watched, Stepper(out), tmp_path)
    for _ in range(2):
        page.get_by_role("button", name="next step").click()
    tip = page.get_by_role("tooltip")
    page.locator("g.node[id$='-v0']").hover()
    assert tip.locator("div").all_text_contents() == [
        "x",
        "data 3",
        "grad 1",
        "made of:",
        "  step 2: ∂L/∂x += ∂add₁/∂x · ∂L/∂add₁ = 1 · ∂L/∂add₁ = (1)(1) = 1",
        "2 more contributions to come",
    ]
    page.get_by_role("button", name="next step").click()
    page.locator("g.edge[id$='-v1-0'] text").hover()
    assert tip.locator("div").all_text_contents() == [
        "∂mul₁/∂x (1st input) = x = 3",
        "adds 3 to ∂L/∂x",
    ]
    page.locator("g.node[id$='-v0']").click()  # a click pins the box
    page.mouse.move(1, 1)
    assert tip.is_visible() and tip.locator("div").first.text_content() == "x"
    page.get_by_role("button", name="next step").click()  # the pinned box follows the step
    assert "grad 7" in tip.locator("div").all_text_contents()
    assert_clean(watched)


def test_the_forward_pass_reveals_values_one_node_at_a_time(watched, tmp_path):
    *_, out = neuron()
    stepper = Stepper(out, mode="forward")
    page = open_page(watched, Stepper(out, mode="forward"), tmp_path)
    assert status(page) == "start: w = 0.5, x = -1, b = 0.1"
    assert page.evaluate(BOX, "v2")[-1] == "data ?"
    for _ in range(len(stepper)):
        page.keyboard.press("ArrowRight")
        stepper.next()
        assert status(page) == stepper.explain()
    assert page.evaluate(BOX, "v2")[-1] == "data -0.5"
    assert page.evaluate(LIT, "node") == ["v5"]
    assert_clean(watched)


def test_every_step_of_a_400_value_mlp_loss_says_what_the_stepper_says(watched, tmp_path):
    loss = mlp_loss()
    stepper = Stepper(loss)
    expected = [stepper.explain()]
    for _ in range(len(stepper)):
        stepper.next()
        expected.append(stepper.explain())
    stepper.reset()
    path = stepper.save_html(tmp_path / "mlp.html")
    assert path.stat().st_size <= 2 * 1024 * 1024
    page = watched.page
    page.goto(path.as_uri())
    page.get_by_role("status").wait_for()
    shown = page.evaluate(
        """() => {
          const next = document.querySelector('button[aria-label="next step"]');
          const status = document.querySelector('[role=status]');
          const lit = () => document.querySelectorAll('g.edge.cr-lit').length;
          const seen = [[status.textContent, lit()]];
          while (!next.disabled) { next.click(); seen.push([status.textContent, lit()]); }
          return seen;
        }"""
    )
    assert [text for text, _ in shown] == expected
    assert all(count == 1 for _, count in shown[1:])  # exactly the step's edge is highlighted
    page.keyboard.press("ArrowLeft")
    assert status(page) == expected[-2]
    assert_clean(watched)


@pytest.mark.parametrize(
    "label",
    [
        "<script>window.pwned = 1</script>",
        '<img src=x onerror="window.pwned = 1">',
        "\"double\" & 'single' quotes",
        "&amp; &lt;b&gt; &#39;",
    ],
)
def test_labels_are_shown_as_typed_and_never_run(watched, tmp_path, label):
    x = Value(2.0, label=label)
    stepper = Stepper(x * x)
    page = open_page(watched, Stepper(x * x), tmp_path)
    assert page.evaluate(BOX, "v0")[0] == label
    page.get_by_role("button", name="next step").click()
    stepper.next()
    assert status(page) == stepper.explain() and label in status(page)
    page.locator("g.node[id$='-v0']").hover()
    assert page.get_by_role("tooltip").locator("div").first.text_content() == label
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("img").count() == 0
    assert_clean(watched)
