"""Small seeded data sets: the lecture's four-pixel camera and 2-D toy problems, pure Python.

Every function returns ``(inputs, labels)``: a list of input lists of floats and a list of
int labels ``0 … k-1``. Randomness comes from a private ``random.Random(seed)``, so the same
seed gives the same data and the global random state is untouched.

>>> images, labels = four_pixel_camera()
>>> images[4], FOUR_PIXEL_CLASSES[labels[4]]
([1.0, -1.0, -1.0, 1.0], 'diagonal')
"""

from __future__ import annotations

import math
import random

from autograd.numbers import is_real, real_number, whole_number
from nn.init import make_rng

__all__ = [
    "CANONICAL_IMAGES",
    "FOUR_PIXEL_CLASSES",
    "circles",
    "four_pixel_camera",
    "moons",
    "spiral",
    "xor",
]

FOUR_PIXEL_CLASSES = ("solid", "vertical", "diagonal", "horizontal")

# The 8 two-tone images of a 2x2 camera, pixels row-major (top-left, top-right, bottom-left,
# bottom-right), white +1, black -1, each with its class index into FOUR_PIXEL_CLASSES.
CANONICAL_IMAGES: tuple[tuple[tuple[float, float, float, float], int], ...] = (
    ((1.0, 1.0, 1.0, 1.0), 0),  # solid white
    ((-1.0, -1.0, -1.0, -1.0), 0),  # solid black
    ((1.0, -1.0, 1.0, -1.0), 1),  # vertical: left column white, right black
    ((-1.0, 1.0, -1.0, 1.0), 1),  # vertical: left column black, right white
    ((1.0, -1.0, -1.0, 1.0), 2),  # diagonal: top-left and bottom-right white
    ((-1.0, 1.0, 1.0, -1.0), 2),  # diagonal: top-right and bottom-left white
    ((1.0, 1.0, -1.0, -1.0), 3),  # horizontal: top row white, bottom black
    ((-1.0, -1.0, 1.0, 1.0), 3),  # horizontal: top row black, bottom white
)


def _check_n(n: object, least: int = 1) -> int:
    return whole_number(n, "n (the number of samples)", minimum=least)


def _check_noise(noise: object) -> float:
    noise = real_number(noise, "noise (a standard deviation)")
    if noise < 0:
        raise ValueError(f"noise (a standard deviation) must be a finite number >= 0, got {noise}.")
    return noise


def _jitter(rng: random.Random, noise: float) -> float:
    return rng.gauss(0.0, noise) if noise else 0.0


def _shuffled(
    rng: random.Random, inputs: list[list[float]], labels: list[int], noise: float
) -> tuple[list[list[float]], list[int]]:
    """The points in a seeded random order, each then moved by Gaussian noise of std ``noise``."""
    order = list(range(len(labels)))
    rng.shuffle(order)
    inputs = [inputs[i] for i in order]
    for point in inputs:
        point[0] += _jitter(rng, noise)
        point[1] += _jitter(rng, noise)
    return inputs, [labels[i] for i in order]


def four_pixel_camera(
    n: int = 8, noise: float = 0.0, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """``n`` images from the lecture's four-pixel camera, labelled by :data:`FOUR_PIXEL_CLASSES`.

    The first ``min(n, 8)`` are the canonical two-tone images of :data:`CANONICAL_IMAGES`
    (solid white, solid black, the two verticals, the two diagonals, the two horizontals).
    Each further image is a random canonical one scaled by a brightness drawn from [0.5, 1],
    plus Gaussian noise of standard deviation ``noise``, clipped to [-1, 1].

    >>> images, labels = four_pixel_camera(8)
    >>> labels
    [0, 0, 1, 1, 2, 2, 3, 3]
    >>> images, labels = four_pixel_camera(20, noise=0.1, seed=0)
    >>> len(images), all(-1.0 <= p <= 1.0 for image in images for p in image)
    (20, True)
    """
    _check_n(n)
    noise = _check_noise(noise)
    rng = make_rng(seed)
    images = [list(pixels) for pixels, _ in CANONICAL_IMAGES[:n]]
    labels = [label for _, label in CANONICAL_IMAGES[:n]]
    for _ in range(n - len(images)):
        pixels, label = CANONICAL_IMAGES[rng.randrange(len(CANONICAL_IMAGES))]
        brightness = rng.uniform(0.5, 1.0)
        images.append([min(1.0, max(-1.0, brightness * p + _jitter(rng, noise))) for p in pixels])
        labels.append(label)
    return images, labels


def moons(
    n: int = 100, noise: float = 0.1, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles (micrograd's demo data), shuffled, with Gaussian noise.

    Class 0 lies on the upper arc (cos t, sin t), class 1 on the lower arc
    (1 - cos t, 0.5 - sin t), t in [0, π]; class 0 gets ``n // 2`` points, class 1 the rest.

    >>> inputs, labels = moons(10, noise=0.0, seed=0)
    >>> len(inputs), sorted(labels)
    (10, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    """
    _check_n(n, 2)
    noise = _check_noise(noise)
    rng = make_rng(seed)
    inputs, labels = [], []
    for label, count in ((0, n // 2), (1, n - n // 2)):
        for i in range(count):
            t = math.pi * i / (count - 1) if count > 1 else 0.0
            if label == 0:
                x, y = math.cos(t), math.sin(t)
            else:
                x, y = 1.0 - math.cos(t), 0.5 - math.sin(t)
            inputs.append([x, y])
            labels.append(label)
    return _shuffled(rng, inputs, labels, noise)


def circles(
    n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """A circle of radius 1 (class 0) around a circle of radius ``factor`` (class 1).

    >>> inputs, labels = circles(8, noise=0.0, seed=0)
    >>> sorted(round(math.hypot(x, y), 6) for x, y in inputs)
    [0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0, 1.0]
    """
    _check_n(n, 2)
    noise = _check_noise(noise)
    if not is_real(factor) or not 0 < factor < 1:
        raise ValueError(f"factor (inner radius / outer radius) must be in (0, 1), got {factor!r}.")
    rng = make_rng(seed)
    inputs, labels = [], []
    for label, count, radius in ((0, n // 2, 1.0), (1, n - n // 2, float(factor))):
        for i in range(count):
            t = 2.0 * math.pi * i / count
            inputs.append([radius * math.cos(t), radius * math.sin(t)])
            labels.append(label)
    return _shuffled(rng, inputs, labels, noise)


def xor(
    n: int = 100, noise: float = 0.0, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """Points uniform in the square [-1, 1]², class 1 where exactly one coordinate is > 0.

    The label comes from the clean point; Gaussian noise of std ``noise`` is added after.

    >>> inputs, labels = xor(50, seed=0)
    >>> all((x > 0) != (y > 0) for (x, y), c in zip(inputs, labels) if c == 1)
    True
    """
    _check_n(n)
    noise = _check_noise(noise)
    rng = make_rng(seed)
    inputs, labels = [], []
    for _ in range(n):
        x, y = rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)
        labels.append(int((x > 0) != (y > 0)))
        inputs.append([x + _jitter(rng, noise), y + _jitter(rng, noise)])
    return inputs, labels


def spiral(
    n: int = 150, classes: int = 3, noise: float = 0.05, seed: int | None = None
) -> tuple[list[list[float]], list[int]]:
    """``classes`` spiral arms winding out from the centre, one class per arm, shuffled.

    Point ``i`` of an arm of ``m`` points sits at radius r = (i + 1)/m and angle
    2π·c/classes + 1.5π·r (a little over half a turn), plus Gaussian noise of std ``noise``.

    >>> inputs, labels = spiral(9, classes=3, noise=0.0, seed=0)
    >>> sorted(labels)
    [0, 0, 0, 1, 1, 1, 2, 2, 2]
    """
    whole_number(classes, "classes", minimum=2)
    _check_n(n, classes)
    noise = _check_noise(noise)
    rng = make_rng(seed)
    inputs, labels = [], []
    for c in range(classes):
        count = n // classes + (1 if c < n % classes else 0)
        for i in range(count):
            r = (i + 1) / count
            angle = 2.0 * math.pi * c / classes + 1.5 * math.pi * r
            inputs.append([r * math.cos(angle), r * math.sin(angle)])
            labels.append(c)
    return _shuffled(rng, inputs, labels, noise)
