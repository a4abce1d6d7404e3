"""Data sets follow the lesson formulas and are reproducible from a seed."""

import numpy as np
import pytest

from engine.datasets import linear_toy, spiral_data, vertical_data


@pytest.mark.parametrize("make", [spiral_data, vertical_data])
def test_same_seed_same_points_and_other_seed_other_points(make):
    a, b, c = make(seed=1), make(seed=1), make(seed=2)
    assert np.array_equal(a[0], b[0]) and not np.array_equal(a[0], c[0])
    X, y = a
    assert X.shape == (300, 2) and np.array_equal(np.bincount(y), [100, 100, 100])


def test_spiral_radius_grows_along_each_arm():
    X, y = spiral_data(100, 3, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.allclose(r[:100], np.linspace(0, 1, 100))


def test_vertical_blobs_sit_at_c_over_3():
    X, y = vertical_data(2000, 3, seed=0)
    for c in range(3):
        assert X[y == c, 0].mean() == pytest.approx(c / 3, abs=0.01)
        assert X[y == c, 1].mean() == pytest.approx(0.5, abs=0.01)


def test_linear_toy_follows_2x_plus_1():
    x, y = linear_toy(100, seed=0)
    assert np.array_equal(x, np.linspace(0, 1, 100))
    w, b = np.polyfit(x, y, 1)
    assert w == pytest.approx(2, abs=0.1) and b == pytest.approx(1, abs=0.05)
    assert np.std(y - (2 * x + 1)) == pytest.approx(0.1, abs=0.03)
