"""Tests for the loss functions: values, gradients (central differences) and bad input."""

import math

import pytest

from autograd import Value
from nn import losses
from nn.losses import LOSSES, abs_error, get_loss, hinge, l2, mse, softmax_cross_entropy


def batch(rows):
    return [[Value(x) for x in row] for row in rows]


def check_gradients(loss_fn, rows, targets, h=1e-6):
    """Backprop gradients of the loss w.r.t. every output equal central differences."""
    outputs = batch(rows)
    loss_fn(outputs, targets).backward()
    for i, row in enumerate(rows):
        for j in range(len(row)):

            def at(shift, i=i, j=j):
                shifted = [list(r) for r in rows]
                shifted[i][j] += shift
                return loss_fn(batch(shifted), targets).data

            numeric = (at(h) - at(-h)) / (2 * h)
            assert outputs[i][j].grad == pytest.approx(numeric, rel=1e-5, abs=1e-7)


ROWS = [[0.3, -1.2, 2.0], [1.5, 0.1, -0.4], [-0.7, 0.9, 0.25]]


def test_softmax_cross_entropy_value_and_gradient():
    labels = [2, 0, 1]
    expected = 0.0
    for row, label in zip(ROWS, labels, strict=True):
        expected += math.log(sum(math.exp(z) for z in row)) - row[label]
    assert softmax_cross_entropy(batch(ROWS), labels).data == pytest.approx(expected / 3)
    check_gradients(softmax_cross_entropy, ROWS, labels)


def test_softmax_cross_entropy_is_stable_for_huge_scores():
    loss = softmax_cross_entropy(batch([[1000.0, -1000.0, 990.0]]), [2])
    assert loss.data == pytest.approx(10.0 + math.log1p(math.exp(-10.0)), rel=1e-12)
    loss.backward()


def test_abs_error_is_the_lecture_error():
    # truth for label 1 is [0, 1, 0]; |truth - answer| summed over outputs, mean over samples
    expected = (abs(0 - 0.3) + abs(1 + 1.2) + abs(0 - 2.0) + abs(1 - 1.5) + 0.1 + 0.4) / 2
    assert abs_error(batch(ROWS[:2]), [1, 0]).data == pytest.approx(expected)
    check_gradients(abs_error, ROWS, [[0.0, 0.5, 1.0], [1.0, 0.0, 0.0], [0.2, 0.2, 0.2]])


def test_mse_means_over_every_output():
    targets = [[0.0, 0.5, 1.0], [1.0, 0.0, 0.0], [0.2, 0.2, 0.2]]
    expected = (
        sum(
            (y - t) ** 2
            for row, tr in zip(ROWS, targets, strict=True)
            for y, t in zip(row, tr, strict=True)
        )
        / 9
    )
    assert mse(batch(ROWS), targets).data == pytest.approx(expected)
    check_gradients(mse, ROWS, targets)
    # labels stand for one-hot vectors; one output takes the number itself
    assert mse(batch([[1.0, 0.0]]), [0]).data == 0.0
    assert mse(batch([[0.5], [2.0]]), [1, 2.5]).data == pytest.approx((0.25 + 0.25) / 2)


def test_hinge_maps_labels_to_signs():
    rows = [[2.0], [0.5], [-0.3], [-3.0]]
    labels = [1, 1, 0, 1]
    expected = (0.0 + 0.5 + 0.7 + 4.0) / 4
    assert hinge(batch(rows), labels).data == pytest.approx(expected)
    check_gradients(hinge, rows, labels)


def test_l2_is_alpha_times_sum_of_squares_in_few_nodes():
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    penalty = l2(params, 0.1)
    assert penalty.data == pytest.approx(0.1 * (1 + 4 + 0.25))
    assert penalty.op == "mul" and penalty.parents[0].op == "weighted_sum"
    assert len(list(penalty.walk())) == len(params) + 3  # params, Σp·p, the constant, the mul
    penalty.backward()
    assert [p.grad for p in params] == pytest.approx([0.2, -0.4, 0.1])


def test_l2_checks_its_arguments():
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0, got -1"):
        l2([Value(1.0)], -1)
    with pytest.raises(TypeError, match="alpha must be a number"):
        l2([Value(1.0)], "0.1")
    with pytest.raises(ValueError, match="got no parameters"):
        l2([], 0.1)
    with pytest.raises(TypeError, match="not one Value"):
        l2(Value(1.0), 0.1)
    with pytest.raises(TypeError, match="every parameter must be a Value, got float"):
        l2([1.0], 0.1)


@pytest.mark.parametrize("loss_fn", list(LOSSES.values()))
def test_batch_shape_errors(loss_fn):
    name = loss_fn.__name__
    with pytest.raises(ValueError, match=f"{name}: got 2 outputs but 1 targets"):
        loss_fn(batch([[1.0], [2.0]]), [0])
    with pytest.raises(ValueError, match=f"{name}: the batch is empty"):
        loss_fn([], [])
    with pytest.raises(TypeError, match=r"wrap it: \[model\(x\)\]"):
        loss_fn(["a"], [0])
    with pytest.raises(ValueError, match=r"outputs\[1\] has 1 values but outputs\[0\] has 2"):
        loss_fn(batch([[1.0, 2.0], [3.0]]), [0, 1])
    with pytest.raises(TypeError, match="targets must be a list"):
        loss_fn(batch([[1.0]]), 0)


def test_label_errors_name_the_label_and_range():
    with pytest.raises(ValueError, match=r"label 3 \(targets\[1\]\) is out of range for 3"):
        softmax_cross_entropy(batch(ROWS[:2]), [0, 3])
    with pytest.raises(ValueError, match=r"label -1 .* labels must be 0 ... 2"):
        abs_error(batch(ROWS[:1]), [-1])
    with pytest.raises(TypeError, match=r"must be a class label \(an int\), not float"):
        softmax_cross_entropy(batch(ROWS[:1]), [1.0])
    with pytest.raises(ValueError, match=r"label 2 \(targets\[0\]\) is not a hinge label"):
        hinge(batch([[1.0]]), [2])
    with pytest.raises(ValueError, match=r"targets\[0\] has 2 values but the model has 3"):
        mse(batch(ROWS[:1]), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="targets must be finite"):
        mse(batch([[1.0]]), [math.inf])
    with pytest.raises(TypeError, match="must hold numbers, not str"):
        mse(batch([[1.0]]), [["a"]])


def test_output_count_errors():
    with pytest.raises(ValueError, match=r"hinge needs exactly 1 output per sample .* got 3"):
        hinge(batch(ROWS[:1]), [1])
    with pytest.raises(ValueError, match=r"needs at least 2 outputs .* got 1"):
        softmax_cross_entropy(batch([[1.0]]), [0])


def test_get_loss_by_name_or_function():
    assert get_loss("hinge") is losses.hinge
    assert get_loss(mse) is mse
    with pytest.raises(ValueError, match="unknown loss 'cross_entropy'; give a function or one"):
        get_loss("cross_entropy")
    assert set(LOSSES) == {"abs_error", "mse", "softmax_cross_entropy", "hinge"}


def test_one_output_models_give_values_and_losses_take_them():
    values = [Value(0.5), Value(-2.0)]
    assert mse(values, [1.0, -1.0]).data == mse(batch([[0.5], [-2.0]]), [1.0, -1.0]).data
    assert mse(Value(3.0), 1.0).data == 4.0  # a single Value and a number
    assert abs_error(Value(3.0), 1.0).data == 2.0
    single = Value(0.25)
    mse(single, 1.0).backward()
    assert single.grad == pytest.approx(2 * (0.25 - 1.0))
    with pytest.raises(ValueError, match=r"mse: targets\[0\] has 2 values but the model has 1"):
        mse(Value(1.0), [1.0, 2.0])


def test_hinge_takes_plus_minus_one_labels_as_micrograd_writes_them():
    scores = [Value(2.0), Value(0.5), Value(-0.25)]
    assert (
        hinge(scores, [1, -1, -1]).data
        == hinge(scores, [1, 0, 0]).data
        == pytest.approx((0.0 + 1.5 + 0.75) / 3)
    )
    with pytest.raises(ValueError, match="labels mix 0 and -1"):
        hinge(scores, [1, 0, -1])
    with pytest.raises(TypeError, match=r"hinge: targets\[1\] must be a class label"):
        hinge(scores, [1, 0.5, 0])
    numpy = pytest.importorskip("numpy")
    assert hinge(scores, numpy.array([1, -1, -1])).data == hinge(scores, [1, -1, -1]).data


def test_softmax_cross_entropy_takes_one_hot_and_probability_targets():
    one_hot = [[0.0, 0.0, 1.0], [1, 0, 0], [0.0, 1.0, 0.0]]
    expected = softmax_cross_entropy(batch(ROWS), [2, 0, 1]).data
    assert softmax_cross_entropy(batch(ROWS), one_hot).data == pytest.approx(expected)
    soft = [[0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]]
    by_hand = 0.0
    for row, target in zip(ROWS, soft, strict=True):
        log_total = math.log(sum(math.exp(z) for z in row))
        by_hand += sum(t * (log_total - z) for t, z in zip(target, row, strict=True))
    assert softmax_cross_entropy(batch(ROWS), soft).data == pytest.approx(by_hand / 3)
    check_gradients(softmax_cross_entropy, ROWS, soft)
    for bad in ([0.5, 0.4, 0.0], [1.5, -0.5, 0.0]):
        with pytest.raises(ValueError, match=r"targets\[0\] = .* is not one-hot or a list of"):
            softmax_cross_entropy(batch(ROWS[:1]), [bad])
