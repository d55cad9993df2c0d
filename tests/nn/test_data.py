"""Tests for the data sets: the four-pixel camera and the 2-D toy problems."""

import math
import random

import pytest

from nn import data
from nn.data import (
    CANONICAL_IMAGES,
    FOUR_PIXEL_CLASSES,
    circles,
    four_pixel_camera,
    moons,
    spiral,
    xor,
)


def test_the_eight_canonical_images():
    images, labels = four_pixel_camera()
    assert FOUR_PIXEL_CLASSES == ("solid", "vertical", "diagonal", "horizontal")
    assert labels == [0, 0, 1, 1, 2, 2, 3, 3]
    assert len({tuple(image) for image in images}) == 8
    for image, label in zip(images, labels, strict=True):
        assert set(image) <= {-1.0, 1.0}
        tl, tr, bl, br = image  # row-major: top-left, top-right, bottom-left, bottom-right
        kind = FOUR_PIXEL_CLASSES[label]
        if kind == "solid":
            assert tl == tr == bl == br
        elif kind == "vertical":
            assert tl == bl and tr == br and tl != tr
        elif kind == "diagonal":
            assert tl == br and tr == bl and tl != tr
        else:
            assert tl == tr and bl == br and tl != bl
    assert images[0] == [1.0, 1.0, 1.0, 1.0]  # solid white first
    assert four_pixel_camera(3) == (images[:3], labels[:3])


def test_variants_are_scaled_noisy_canonical_images():
    images, labels = four_pixel_camera(300, noise=0.0, seed=1)
    assert (images[:8], labels[:8]) == four_pixel_camera()
    canonical = {label: [list(p) for p, c in CANONICAL_IMAGES if c == label] for label in range(4)}
    for image, label in zip(images[8:], labels[8:], strict=True):
        brightness = abs(image[0])
        assert 0.5 <= brightness <= 1.0
        assert [p / brightness for p in image] in [
            pytest.approx(c, abs=1e-12) for c in canonical[label]
        ]
    assert set(labels) == {0, 1, 2, 3}
    noisy, _ = four_pixel_camera(300, noise=0.3, seed=1)
    assert all(-1.0 <= p <= 1.0 for image in noisy for p in image)
    assert noisy[:8] == images[:8]
    assert any(p in (-1.0, 1.0) for image in noisy[8:] for p in image)  # clipped
    assert any(abs(p) != abs(image[0]) for image in noisy[8:] for p in image)


def test_seeded_and_independent_of_global_random():
    random.seed(0)
    state = random.getstate()
    a = four_pixel_camera(50, noise=0.1, seed=4)
    assert random.getstate() == state
    assert a == four_pixel_camera(50, noise=0.1, seed=4)
    assert a != four_pixel_camera(50, noise=0.1, seed=5)
    for make in (moons, circles, xor, spiral):
        assert make(30, seed=2) == make(30, seed=2)
        assert make(30, seed=2) != make(30, seed=3)
    assert random.getstate() == state


def test_moons_like_micrograd_demo_data():
    inputs, labels = moons(100, noise=0.0, seed=0)
    assert len(inputs) == 100 and labels.count(0) == 50 and labels.count(1) == 50
    for (x, y), label in zip(inputs, labels, strict=True):
        if label == 0:
            assert math.hypot(x, y) == pytest.approx(1.0) and y >= -1e-12
        else:
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0) and y <= 0.5 + 1e-12
    assert labels != sorted(labels)  # shuffled
    noisy, noisy_labels = moons(100, noise=0.1, seed=0)
    assert noisy_labels == labels
    shifts = [math.dist(a, b) for a, b in zip(inputs, noisy, strict=True)]
    assert 0.05 < sum(shifts) / len(shifts) < 0.2
    assert len(moons(7)[0]) == 7


def test_circles_xor_spiral_shapes_and_labels():
    inputs, labels = circles(50, noise=0.0, factor=0.3, seed=0)
    assert sorted({round(math.hypot(*p), 9) for p in inputs}) == [0.3, 1.0]
    assert all(
        round(math.hypot(*p), 9) == (1.0 if c == 0 else 0.3)
        for p, c in zip(inputs, labels, strict=True)
    )
    inputs, labels = xor(200, seed=0)
    assert set(labels) == {0, 1}
    assert all(c == int((x > 0) != (y > 0)) for (x, y), c in zip(inputs, labels, strict=True))
    assert all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in inputs)
    inputs, labels = spiral(100, classes=4, noise=0.0, seed=0)
    assert sorted(set(labels)) == [0, 1, 2, 3] and labels.count(0) == 25
    assert all(0 < math.hypot(*p) <= 1.0 + 1e-12 for p in inputs)
    assert all(len(p) == 2 and all(isinstance(v, float) for v in p) for p in inputs)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: four_pixel_camera(0), ValueError, "n \\(the number of samples\\) must be at"),
        (lambda: four_pixel_camera(2.5), TypeError, "must be an int, not float"),
        (lambda: four_pixel_camera(8, noise=-0.1), ValueError, "noise .* finite number >= 0"),
        (lambda: moons(1), ValueError, "must be at least 2, got 1"),
        (
            lambda: moons(10, noise="x"),
            TypeError,
            r"noise \(a standard deviation\) must be a number",
        ),
        (lambda: moons(10, seed="a"), TypeError, "seed must be an int"),
        (lambda: circles(10, factor=1.5), ValueError, "factor .* must be in \\(0, 1\\)"),
        (lambda: spiral(10, classes=1), ValueError, "classes must be at least 2, got 1"),
        (lambda: spiral(10, classes=2.0), TypeError, "classes must be an int, not float"),
        (lambda: spiral(2, classes=3), ValueError, "must be at least 3, got 2"),
        (lambda: xor(0), ValueError, "must be at least 1"),
    ],
)
def test_bad_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_module_exports():
    assert set(data.__all__) >= {"four_pixel_camera", "moons", "circles", "xor", "spiral"}
