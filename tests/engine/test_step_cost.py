"""What one step costs: counted for any P, and one sweep timed against one backprop step."""

import numpy as np
import pytest

from engine.datasets import spiral_data
from engine.gradient_cost import DEFAULT_LAYERS, parameter_count
from engine.loops import drive
from engine.search_model import SearchModel
from engine.step_cost import BACKPROP_FORWARD_PASSES, computed_costs, step_cost


def test_counted_costs_in_backprop_steps():
    costs = computed_costs(np.array([1, 21, 13_002]))
    np.testing.assert_allclose(costs["trial"], 2 * np.array([1, 21, 13_002]) / BACKPROP_FORWARD_PASSES)
    np.testing.assert_allclose(costs["backprop"], 1.0)
    assert costs["exhaustive"][1] == pytest.approx(3.0 ** 21 / 3)
    assert np.isinf(costs["exhaustive"][2])  # 3^13002 is beyond any floating-point number
    assert BACKPROP_FORWARD_PASSES == 3.0    # forward 1×, backward about 2× the multiply-adds


def test_the_default_big_network_is_the_lessons_digit_network():
    assert DEFAULT_LAYERS == (784, 16, 16, 10) and parameter_count(DEFAULT_LAYERS) == 13_002


def test_one_sweep_of_each_model_is_timed_against_one_backprop_step():
    X, y = spiral_data(50, 3, seed=0)
    model = SearchModel(2, 3, 3)
    weights = model.initial_weights(np.random.default_rng(0))
    records = list(step_cost(model, X, y, weights, layers=(64, 16, 10), repeats=2))
    report = records[-1].report
    assert [m["name"] for m in report["models"]] == ["search", "digits"]
    small, big = report["models"]
    assert small["parameters"] == 21 and big["parameters"] == parameter_count((64, 16, 10))
    assert small["backprop_multiply_adds"] == 3 * 150 * (2 * 3 + 3 * 3)  # 2→3→3 on 150 points
    for m in (small, big):
        assert m["parameters"] <= m["sweep_evaluations"] <= 2 * m["parameters"]
        # counted with engine.work: each try one forward pass, a backprop step one forward and one backward
        assert m["sweep_multiply_adds"] == m["sweep_evaluations"] * m["backprop_multiply_adds"] // 3
        assert m["sweep_seconds"] > 0 and m["backprop_seconds"] > 0
        assert m["ratio"] == pytest.approx(m["sweep_seconds"] / m["backprop_seconds"])
    # a sweep of 1,210 weights makes over a thousand forward passes: far more than one backprop step
    assert big["ratio"] > 50


def test_stopping_ends_the_measurement():
    X, y = spiral_data(20, 3, seed=0)
    model = SearchModel(2, 3, 3)
    calls = []
    steps = step_cost(model, X, y, model.initial_weights(np.random.default_rng(0)),
                      should_stop=lambda: calls.append(1) or True)
    assert drive(steps) is None and calls


def test_the_lessons_figures_for_one_sweep_of_the_digit_network():
    """random-search.md: one sweep of the 13,002-weight network makes about 18,600 forward passes and
    takes as long as thousands of backprop steps (a forward pass costs at least a third of one)."""
    X, y = spiral_data(100, 3, seed=0)
    model = SearchModel(2, 3, 3)
    report = drive(step_cost(model, X, y, model.initial_weights(np.random.default_rng(0)), repeats=1))
    small, digits = report["models"]
    assert small["parameters"] == 21 and 21 < small["sweep_evaluations"] <= 42
    assert digits["parameters"] == 13_002
    assert digits["sweep_evaluations"] == pytest.approx(18_600, abs=100)
    assert digits["ratio"] > 1000
