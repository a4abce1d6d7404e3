"""The small data sets the lessons use. Every function takes a seed: the same seed, the same data.

* ``linear_toy``    – points near the line y = 2x + 1, for fitting w and b by gradient descent.
* ``vertical_data`` – three blobs side by side: an easy, almost linearly separable problem.
* ``spiral_data``   – three interleaved spiral arms: easy to draw, hard to separate.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from engine.layers import as_generator


def linear_toy(n: int = 100, x_range: tuple[float, float] = (0.0, 1.0), noise: float = 0.1,
               seed: int | np.random.Generator | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """x = linspace over the range (n points), y = 2x + 1 + noise·N(0, 1). Shapes (n,), (n,)."""
    rng = as_generator(seed)
    x = np.linspace(x_range[0], x_range[1], n)
    y = 2 * x + 1 + noise * rng.standard_normal(n)
    return x, y


def vertical_data(samples: int = 100, classes: int = 3, noise: float = 0.1,
                  seed: int | np.random.Generator | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Class c is a blob at (c/classes, 0.5) with spread `noise`. Returns X (N, 2), y (N,) int."""
    def blob(c: int, rng: np.random.Generator) -> np.ndarray:
        x = noise * rng.standard_normal(samples) + c / classes
        return np.column_stack((x, noise * rng.standard_normal(samples) + 0.5))

    return _by_class(samples, classes, seed, blob)


def spiral_data(samples: int = 100, classes: int = 3, noise: float = 0.2,
                seed: int | np.random.Generator | None = 0) -> tuple[np.ndarray, np.ndarray]:
    """Arm c: r = linspace(0, 1), t = linspace(4c, 4(c+1)) + noise·N(0,1), point (r·sin 2.5t, r·cos 2.5t)."""
    def arm(c: int, rng: np.random.Generator) -> np.ndarray:
        r = np.linspace(0.0, 1.0, samples)
        t = np.linspace(c * 4, (c + 1) * 4, samples) + noise * rng.standard_normal(samples)
        return np.column_stack((r * np.sin(t * 2.5), r * np.cos(t * 2.5)))

    return _by_class(samples, classes, seed, arm)


def _by_class(samples: int, classes: int, seed, points: Callable[[int, np.random.Generator], np.ndarray]
              ) -> tuple[np.ndarray, np.ndarray]:
    """`samples` points (samples, 2) of each class c from points(c, rng), stacked in class order
    (so the random numbers, and the data, are the same for the same seed) with labels y (N,)."""
    _check_sizes(samples, classes)
    rng = as_generator(seed)
    X = np.concatenate([points(c, rng) for c in range(classes)])
    return X, np.repeat(np.arange(classes, dtype=np.int64), samples)


DATASETS = {"vertical": vertical_data, "spiral": spiral_data}


def _check_sizes(samples: int, classes: int) -> None:
    if samples < 1 or classes < 2:
        raise ValueError(f"need at least 1 sample per class and 2 classes, got {samples} and {classes}")
