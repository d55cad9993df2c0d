"""Tests for SGD and Adam: update rules, schedules, bad hyperparameters, saving and resuming."""

import json
import math

import pytest

from autograd import Value
from nn import MLP, losses
from nn.optim import SGD, Adam


def quadratic_step(opt, params):
    """One step on error = Σ (p - 1)²: gradient 2(p - 1)."""
    opt.zero_grad()
    error = sum(((p - 1.0) ** 2 for p in params), Value(0.0))
    error.backward()
    opt.step()


def test_sgd_plain_step():
    w = Value(-1.0, label="w")
    opt = SGD([w], lr=0.25)
    (w**2).backward()
    opt.step()
    assert w.data == -0.5
    assert opt.steps == 1


def test_sgd_momentum_and_weight_decay_follow_the_formulas():
    w = Value(2.0)
    opt = SGD([w], lr=0.1, momentum=0.9, weight_decay=0.5)
    velocity, data = 0.0, 2.0
    for _ in range(3):
        quadratic_step(opt, [w])
        g = 2 * (data - 1.0) + 0.5 * data
        velocity = 0.9 * velocity + g
        data -= 0.1 * velocity
        assert w.data == pytest.approx(data, rel=1e-14)


def test_adam_follows_the_formulas():
    w = Value(2.0)
    opt = Adam([w], lr=0.1, betas=(0.8, 0.9), eps=1e-6)
    m = v = 0.0
    data = 2.0
    for t in range(1, 4):
        quadratic_step(opt, [w])
        g = 2 * (data - 1.0)
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g * g
        data -= 0.1 * (m / (1 - 0.8**t)) / (math.sqrt(v / (1 - 0.9**t)) + 1e-6)
        assert w.data == pytest.approx(data, rel=1e-14)


def test_learning_rate_may_be_a_function_of_the_step_number():
    seen = []

    def schedule(k):
        seen.append(k)
        return 1.0 - 0.9 * k / 100

    w = Value(0.0)
    opt = SGD([w], lr=schedule)
    for _ in range(3):
        w.grad = 1.0
        opt.step()
    assert seen == [0, 1, 2]
    assert w.data == pytest.approx(-(1.0 + 0.991 + 0.982))
    bad = SGD([w], lr=lambda k: -1.0)
    with pytest.raises(ValueError, match="learning rate returned for step 0 must be a finite"):
        bad.step()


def test_optimizers_reach_the_minimum():
    for opt_class, kwargs in ((SGD, {"lr": 0.1, "momentum": 0.5}), (Adam, {"lr": 0.1})):
        params = [Value(3.0), Value(-2.0)]
        opt = opt_class(params, **kwargs)
        for _ in range(200):
            quadratic_step(opt, params)
        assert [p.data for p in params] == pytest.approx([1.0, 1.0], abs=1e-3)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: SGD(p, lr=-0.1), "lr \\(the learning rate\\) must be a finite number >= 0"),
        (lambda p: SGD(p, lr=math.nan), "lr .* must be a finite number"),
        (lambda p: SGD(p, lr=0.1, momentum=1.0), "momentum must be a finite number in \\[0"),
        (lambda p: SGD(p, lr=0.1, weight_decay=-1), "weight_decay must be a finite number >= 0"),
        (lambda p: Adam(p, betas=(0.9, 1.0)), "betas\\[1\\] must be a finite number in \\[0"),
        (lambda p: Adam(p, betas=(0.9,)), "betas must be a pair"),
        (lambda p: Adam(p, eps=-1e-8), "eps must be a finite number >= 0"),
    ],
)
def test_invalid_hyperparameters(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


def test_invalid_parameter_lists():
    with pytest.raises(ValueError, match="got no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="take a list of parameters"):
        SGD(Value(1.0), lr=0.1)
    with pytest.raises(TypeError, match="parameter 1 is a float, not a Value"):
        Adam([Value(1.0), 2.0])
    w = Value(1.0, label="w")
    with pytest.raises(ValueError, match=r"parameter 1 \(w\) appears twice"):
        SGD([w, w], lr=0.1)
    with pytest.raises(TypeError, match=r"lr \(the learning rate\) must be a number"):
        SGD([w], lr="0.1")


def test_zero_grad():
    params = [Value(1.0), Value(2.0)]
    for p in params:
        p.grad = 3.0
    Adam(params).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def train_steps(model, opt, steps):
    x = [[0.5, -1.0], [1.0, 0.25], [-0.3, 0.8]]
    y = [0, 1, 1]
    for _ in range(steps):
        opt.zero_grad()
        losses.hinge([model(xi) for xi in x], y).backward()
        opt.step()


@pytest.mark.parametrize(
    "make",
    [
        lambda p: SGD(p, lr=0.05, momentum=0.9, weight_decay=1e-3),
        lambda p: Adam(p, lr=0.01, betas=(0.8, 0.95), weight_decay=1e-3),
    ],
)
def test_state_dict_resumes_exactly(make):
    straight = MLP(2, [4, 1], seed=0)
    train_steps(straight, make(straight.parameters()), 6)
    first = MLP(2, [4, 1], seed=0)
    opt = make(first.parameters())
    train_steps(first, opt, 3)
    saved = json.loads(json.dumps({"model": first.state_dict(), "optimizer": opt.state_dict()}))
    resumed = MLP(2, [4, 1], seed=5)
    resumed.load_state_dict(saved["model"])
    opt2 = make(resumed.parameters())
    opt2.load_state_dict(saved["optimizer"])
    assert opt2.steps == 3
    train_steps(resumed, opt2, 3)
    assert resumed.state_dict() == straight.state_dict()


def test_schedule_is_stored_as_none_and_kept_on_load():
    schedule = lambda k: 0.5  # noqa: E731
    opt = SGD([Value(1.0)], lr=schedule)
    state = opt.state_dict()
    assert state["lr"] is None
    other = SGD([Value(1.0)], lr=schedule)
    other.load_state_dict(state)
    assert other.lr is schedule
    numeric = SGD([Value(1.0)], lr=0.1)
    numeric.load_state_dict(dict(SGD([Value(1.0)], lr=0.3).state_dict()))
    assert numeric.lr == 0.3


def test_load_state_dict_checks_everything_before_changing_anything():
    opt = Adam([Value(1.0), Value(2.0)], lr=0.1)
    opt.m = [0.5, 0.25]
    good = opt.state_dict()
    target = Adam([Value(1.0), Value(2.0)], lr=0.2)
    before = target.state_dict()
    cases = [
        (dict(good, m=[0.1]), "'m' must be a list of 2 numbers .* got 1"),
        (dict(good, v=[0.1, math.inf]), "v\\[1\\] must be a finite number"),
        (dict(good, steps=-1), "steps must be at least 0, got -1"),
        (dict(good, steps=1.0), "steps must be an int, not float"),
        (dict(good, betas=[0.9, 2.0]), "betas\\[1\\] must be a finite number"),
        (dict(good, type="SGD"), "from a 'SGD', not a 'Adam'"),
        ({k: v for k, v in good.items() if k != "eps"}, "missing keys \\['eps'\\]"),
        (dict(good, extra=1), "unexpected keys \\['extra'\\]"),
    ]
    for state, message in cases:
        with pytest.raises(ValueError, match=message):
            target.load_state_dict(state)
        assert target.state_dict() == before
    with pytest.raises(TypeError, match="needs a dict"):
        target.load_state_dict([1])
    target.load_state_dict(good)
    assert target.state_dict() == good


def test_repr():
    assert repr(SGD([Value(1.0)], lr=0.1, momentum=0.9)) == (
        "SGD(1 parameters, lr=0.1, momentum=0.9, weight_decay=0.0)"
    )
    assert repr(Adam([Value(1.0)], lr=lambda k: 0.1)).startswith("Adam(1 parameters, lr=schedule")
