"""Numerical derivatives against the figures the lesson quotes (TEACHING-FACTS.md)."""

import json

import numpy as np
import pytest

from engine.calculus import (
    central_difference,
    derivative_report,
    error_vs_delta,
    forward_difference,
    line_through,
    log_deltas,
    secant_points,
    tangent_line,
)
from engine.expressions import ExpressionError, parse_expression


def two_x_squared(x):
    return 2 * x**2


def test_forward_difference_of_2x_squared_at_2_is_8_0002():
    assert forward_difference(two_x_squared, 2.0, 1e-4) == pytest.approx(8.0002, abs=1e-9)
    # The book's printout 8.000199999998785 agrees to about 1e-11.
    assert forward_difference(two_x_squared, 2.0, 1e-4) == pytest.approx(8.000199999998785, abs=1e-10)


def test_forward_differences_over_0_to_4():
    slopes = forward_difference(two_x_squared, np.arange(5.0), 1e-4)
    np.testing.assert_allclose(slopes, [0.0002, 4.0002, 8.0002, 12.0002, 16.0002], atol=1e-8)


@pytest.mark.parametrize("delta", [1e-6, 1e-4, 0.01, 0.5, 1.0, 7.0])
@pytest.mark.parametrize("x", [-3.0, 0.0, 2.0, 100.0])
def test_slope_of_2x_is_2_whatever_the_delta(x, delta):
    for method in ("forward", "central"):
        assert derivative_report("2*x", x, delta, method)["secant_slope"] == pytest.approx(2.0, rel=1e-6)


def test_x_squared_slope_at_1_with_delta_0_1_is_2_1():
    assert forward_difference(lambda x: x**2, 1.0, 0.1) == pytest.approx(2.1, abs=1e-12)


def test_forward_error_on_2x_squared_is_2_delta_between_1e6_and_1e1():
    deltas = np.logspace(-6, -1, 11)
    _, errors = error_vs_delta(parse_expression("2*x**2"), 2.0, deltas, "forward")
    np.testing.assert_allclose(errors, 2 * deltas, rtol=0.01)


def test_round_off_makes_tiny_deltas_worse():
    expression = parse_expression("2*x**2")
    deltas, errors = error_vs_delta(expression, 2.0, log_deltas(1e-15, 1.0), "forward")
    best = deltas[np.argmin(errors)]
    assert 1e-10 <= best <= 1e-7
    assert errors.min() < 2e-7
    at_1e12 = error_vs_delta(expression, 2.0, [1e-12])[1][0]
    assert 1e-4 < at_1e12 < 1e-2  # about 7e-4
    assert at_1e12 > 1000 * errors.min()


def test_central_difference_of_a_quadratic_is_exact_up_to_round_off():
    _, errors = error_vs_delta(parse_expression("2*x**2"), 2.0, [1e-3, 1e-2, 0.1, 1.0], "central")
    assert errors.max() < 1e-11
    # and far better than forward at the same delta
    assert central_difference(two_x_squared, 2.0, 1e-3) == pytest.approx(8.0, abs=1e-11)


def test_tangent_intercept_is_y_minus_m_x():
    m, b = tangent_line(8.0, 2.0, 8.0)
    assert (m, b) == (8.0, -8.0)
    assert line_through((0.0, 1.0), (2.0, 5.0)) == (2.0, 1.0)


def test_secant_points_follow_the_method():
    (xa, ya), (xb, yb) = secant_points(two_x_squared, 2.0, 0.5, "forward")
    assert (xa, ya, xb, yb) == (2.0, 8.0, 2.5, 12.5)
    (xa, _), (xb, _) = secant_points(two_x_squared, 2.0, 0.5, "central")
    assert (xa, xb) == (1.5, 2.5)


def test_derivative_report_has_every_field():
    report = derivative_report("2*x**2", 2, 1e-4, "forward")
    assert set(report) == {
        "function", "x", "y", "delta", "method", "secant_slope", "secant_intercept", "tangent_slope",
        "tangent_intercept", "error", "differentiable", "left_slope", "right_slope", "note",
    }
    # the secant has the measured slope and passes through both points
    assert report["secant_slope"] == pytest.approx(8.0002, abs=1e-9)
    assert report["secant_intercept"] == pytest.approx(8.0 - report["secant_slope"] * 2.0)
    # the tangent has the exact slope: y = 8x − 8 touches 2x² at (2, 8)
    assert report["tangent_slope"] == 8.0 and report["tangent_intercept"] == -8.0
    assert report["error"] == pytest.approx(2e-4, rel=1e-6)
    assert report["differentiable"] and report["note"] == ""


def test_the_central_secant_passes_through_both_of_its_points():
    report = derivative_report("x**3", 1.0, 0.5, "central")
    m, c = report["secant_slope"], report["secant_intercept"]
    assert m * 0.5 + c == pytest.approx(0.5**3) and m * 1.5 + c == pytest.approx(1.5**3)
    assert report["tangent_slope"] == 3.0 and report["tangent_intercept"] == pytest.approx(1.0 - 3.0)


@pytest.mark.parametrize("function, x, left, right", [("abs(x)", 0.0, -1.0, 1.0), ("relu(x)", 0.0, 0.0, 1.0),
                                                     ("abs(x - 1) + x", 1.0, 0.0, 2.0),
                                                     ("relu(sin(x))", 0.0, 0.0, 1.0)])
def test_a_corner_has_no_tangent_but_two_one_sided_slopes(function, x, left, right):
    report = derivative_report(function, x, 1e-4, "forward")
    assert not report["differentiable"]
    assert report["tangent_slope"] is None and report["tangent_intercept"] is None and report["error"] is None
    assert (report["left_slope"], report["right_slope"]) == (left, right)
    assert "corner" in report["note"]
    assert report["secant_slope"] == pytest.approx(right)  # forward looks to the right only
    json.dumps(report, allow_nan=False)  # strict JSON: no NaN or Infinity


def test_a_vertical_tangent_is_named_not_refused():
    report = derivative_report("sqrt(x)", 0.0, 1e-4, "forward")
    assert not report["differentiable"] and report["tangent_slope"] is None
    assert "infinite" in report["note"]
    json.dumps(report, allow_nan=False)


def test_a_corner_that_cancels_is_differentiable():
    report = derivative_report("x*abs(x)", 0.0, 1e-4, "central")
    assert report["differentiable"] and report["tangent_slope"] == 0.0


@pytest.mark.parametrize(
    "args",
    [("2*x", 1.0, 0.0, "forward"), ("2*x", 1.0, -1e-3, "forward"), ("2*x", 1.0, float("nan"), "forward"),
     ("2*x", float("inf"), 1e-4, "forward"), ("2*x", 1.0, 1e-4, "backward"), ("log(x)", -1.0, 1e-4, "forward"),
     ("log(x)", 0.5, 1.0, "central"), ("exp(exp(x))", 6.5, 1.0, "forward"), ("1/x", 0.0, 1e-4, "forward"),
     ("log(x)", 0.0, 1e-4, "forward"), ("sqrt(x)", -0.5, 1e-4, "forward")],
)
def test_bad_arguments_raise_value_error(args):
    with pytest.raises(ValueError):
        derivative_report(*args)


def test_bad_function_raises_expression_error():
    with pytest.raises(ExpressionError):
        derivative_report("import os", 1.0)
