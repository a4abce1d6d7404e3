"""Pictures that are not digits, in six kinds, for the "not a digit" class and for judging it.

A network can only answer "not a digit" if it was taught that the answer exists, and it learns it
only for the kinds of non-digits it was shown. Taught on uniform noise alone it still reads a blank
page as a 5 and a bar as a 1. So the class is taught a varied family (shapes four times as often as
each other kind, `TEACHING_WEIGHTS`):

* ``uniform``  – every pixel drawn uniformly from [0, 1);
* ``gaussian`` – every pixel drawn from a normal distribution of random mean and spread, clipped;
* ``sparse``   – a few scattered dots on a black page;
* ``grey``     – one grey level everywhere, a fifth of them a blank (black) page;
* ``stripes``  – stripes of random width, spacing and direction, or a checkerboard;
* ``shapes``   – filled discs, ellipses, rectangles and triangles, or a smooth blob.

Training and judging must not share images: `non_digit_images` keeps separate random streams for
the two purposes (`purpose="train"` or ``"judge"``), so whatever seeds are chosen, the images a
class is judged on are fresh draws. (One picture can occur in both: the all-black page, a fifth of
the "grey" kind.) All images are float32 (count, 784) in [0, 1], white ink on black.
"""

from __future__ import annotations

import numpy as np

__all__ = ["KINDS", "KIND_NAMES", "ALL", "TEACHING_WEIGHTS", "non_digit_images", "mixed_non_digits"]

SIDE = 28
#: The kinds, in the order they are listed everywhere.
KINDS = ("uniform", "gaussian", "sparse", "grey", "stripes", "shapes")
#: How a kind is named in sentences.
KIND_NAMES = {"uniform": "uniform noise", "gaussian": "Gaussian noise", "sparse": "sparse dots",
              "grey": "plain grey or blank pages", "stripes": "stripes and checkerboards",
              "shapes": "filled shapes and blobs"}
#: The name that asks for every kind at once.
ALL = "all"
#: How often each kind is shown when the class is taught (others: 1). Filled shapes vary the most
#: (four families at any size, place and angle) and come closest to a bold digit: taught at equal
#: shares the 3b1b network rejected only 66% of fresh ones, at four times the share 95% (measured,
#: see assets/models/README.md).
TEACHING_WEIGHTS = {"shapes": 4.0}
#: Separate random streams: images for teaching the class are never the ones it is judged on.
PURPOSES = {"train": 0, "judge": 1}


def _rng(seed: int, purpose: str, kind: str) -> np.random.Generator:
    if purpose not in PURPOSES:
        raise ValueError(f"purpose must be 'train' or 'judge', got {purpose!r}")
    return np.random.default_rng([int(seed), PURPOSES[purpose], KINDS.index(kind)])


def _grid() -> tuple[np.ndarray, np.ndarray]:
    """Pixel-centre coordinates (1, 28, 28): rows y and columns x."""
    y, x = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64)
    return y[None], x[None]


def _column(rng: np.random.Generator, low: float, high: float, count: int) -> np.ndarray:
    """`count` uniform draws shaped (count, 1, 1), to broadcast over images."""
    return rng.uniform(low, high, (count, 1, 1))


def _uniform(rng, count):
    return rng.random((count, SIDE, SIDE))


def _gaussian(rng, count):
    mean, spread = _column(rng, 0.15, 0.85, count), _column(rng, 0.1, 0.5, count)
    return mean + spread * rng.standard_normal((count, SIDE, SIDE))


def _sparse(rng, count):
    density = _column(rng, 0.01, 0.2, count)
    dots = rng.random((count, SIDE, SIDE)) < density
    return dots * rng.uniform(0.4, 1.0, (count, SIDE, SIDE))


def _grey(rng, count):
    level = _column(rng, 0.0, 1.0, count)
    level[rng.random(count) < 0.2] = 0.0
    return np.broadcast_to(level, (count, SIDE, SIDE))


def _stripes(rng, count):
    y, x = _grid()
    angle = _column(rng, 0.0, np.pi, count)
    period = _column(rng, 3.0, 14.0, count)
    duty = _column(rng, 0.2, 0.6, count)
    position = (x * np.cos(angle) + y * np.sin(angle) + _column(rng, 0.0, 14.0, count)) % period
    stripes = position < duty * period
    cell = np.floor(_column(rng, 2.0, 8.0, count))
    checks = ((x // cell + y // cell) % 2).astype(bool)
    chequered = rng.random((count, 1, 1)) < 0.3
    return np.where(chequered, checks, stripes) * _column(rng, 0.5, 1.0, count)


def _ellipses(rng, count, y, x):
    cy, cx = _column(rng, 6, 22, count), _column(rng, 6, 22, count)
    ry, rx = _column(rng, 3, 12, count), _column(rng, 3, 12, count)
    turn = _column(rng, 0, np.pi, count)
    u = (x - cx) * np.cos(turn) + (y - cy) * np.sin(turn)
    v = -(x - cx) * np.sin(turn) + (y - cy) * np.cos(turn)
    return (u / rx) ** 2 + (v / ry) ** 2 <= 1.0


def _rectangles(rng, count, y, x):
    cy, cx = _column(rng, 6, 22, count), _column(rng, 6, 22, count)
    half_h, half_w = _column(rng, 3, 11, count), _column(rng, 3, 11, count)   # never as thin as a stroke
    turn = _column(rng, 0, np.pi, count)
    u = (x - cx) * np.cos(turn) + (y - cy) * np.sin(turn)
    v = -(x - cx) * np.sin(turn) + (y - cy) * np.cos(turn)
    return (np.abs(u) <= half_w) & (np.abs(v) <= half_h)


def _triangles(rng, count, y, x):
    # corners on a circle, 90-150 degrees apart: never a sliver as thin as a stroke
    radius = _column(rng, 5, 11, count)
    turns = np.cumsum(rng.uniform(np.pi / 2, 5 * np.pi / 6, (3, count, 1, 1)), axis=0)
    corner_y = _column(rng, 9, 19, count) + radius * np.sin(turns)
    corner_x = _column(rng, 9, 19, count) + radius * np.cos(turns)
    # inside = on the same side of all three edges
    sides = np.stack([(corner_x[(i + 1) % 3] - corner_x[i]) * (y - corner_y[i])
                      - (corner_y[(i + 1) % 3] - corner_y[i]) * (x - corner_x[i]) for i in range(3)])
    return np.all(sides >= 0, axis=0) | np.all(sides <= 0, axis=0)


def _blobs(rng, count, y, x):
    spread = rng.uniform(2.0, 4.0)
    blur = np.exp(-0.5 * ((np.arange(SIDE)[:, None] - np.arange(SIDE)[None, :]) / spread) ** 2)
    field = (blur @ rng.standard_normal((count, SIDE, SIDE)) @ blur.T).reshape(count, -1)
    # keep the highest 20-50% of each smooth random field
    rank = (rng.uniform(0.5, 0.8, count) * field.shape[1]).astype(int)
    level = np.take_along_axis(np.sort(field, axis=1), rank[:, None], axis=1)
    return (field > level).reshape(count, SIDE, SIDE)


def _shapes(rng, count):
    y, x = _grid()
    makers = (_ellipses, _rectangles, _triangles, _blobs)
    choice = rng.integers(0, len(makers), count)
    filled = np.zeros((count, SIDE, SIDE), dtype=bool)
    for index, make in enumerate(makers):
        filled |= make(rng, count, y, x) & (choice == index)[:, None, None]
    second = rng.random(count) < 0.3        # now and then a second shape beside the first
    filled |= _ellipses(rng, count, y, x) & second[:, None, None]
    return filled * _column(rng, 0.5, 1.0, count)


_MAKERS = {"uniform": _uniform, "gaussian": _gaussian, "sparse": _sparse, "grey": _grey,
           "stripes": _stripes, "shapes": _shapes}


def non_digit_images(kind: str, count: int, seed: int = 0, purpose: str = "judge") -> np.ndarray:
    """`count` images of one kind (see the module docstring): float32 (count, 784) in [0, 1].

    The same (kind, seed, purpose) always gives the same images; "train" and "judge" never overlap.
    """
    if kind not in _MAKERS:
        raise ValueError(f"unknown kind of non-digit {kind!r}; choose one of {', '.join(KINDS)} or {ALL}")
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    rng = _rng(seed, purpose, kind)
    if count == 0:
        return np.zeros((0, SIDE * SIDE), dtype=np.float32)
    images = _MAKERS[kind](rng, count)
    return np.clip(images, 0.0, 1.0).reshape(count, SIDE * SIDE).astype(np.float32)


def mixed_non_digits(count: int, seed: int = 0, purpose: str = "judge", kinds: tuple[str, ...] = KINDS,
                     weights: dict[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """`count` images shared out between `kinds` in proportion to `weights` (default: equally;
    a kind not named weighs 1), in kind order.

    Returns (images (count, 784) float32, kind index into KINDS for each image (count,))."""
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    weight = np.array([1.0 if weights is None else float(weights.get(kind, 1.0)) for kind in kinds])
    ideal = count * weight / weight.sum()
    shares = np.floor(ideal).astype(int)
    shares[np.argsort(shares - ideal, kind="stable")[:count - shares.sum()]] += 1   # largest remainders
    images = [non_digit_images(kind, n, seed, purpose) for kind, n in zip(kinds, shares)]
    which = np.concatenate([np.full(n, KINDS.index(kind)) for kind, n in zip(kinds, shares)])
    return np.concatenate(images), which
