"""Numerical derivatives: the slope between two very close points, and how good it is.

The derivative of f at x is the slope of the tangent there.  Numerically we take two points
a small ``delta`` apart and measure the slope between them (a *secant*):

* forward difference  (f(x + δ) − f(x)) / δ            error ≈ f''(x)·δ/2   (truncation)
* central difference  (f(x + δ) − f(x − δ)) / (2δ)     error ≈ f'''(x)·δ²/6

Shrinking δ lowers the truncation error, but below roughly 1e-8 the two function values
agree in almost all their digits and the subtraction loses them (floating-point
cancellation), so the error grows again.  ``error_vs_delta`` measures both effects against
the exact derivative from ``engine.expressions``.

The secant through the two points is drawn with the measured slope; the tangent at x₀ is
y = m·x + b with the exact slope m = f′(x₀) and b = f(x₀) − m·x₀. Where f has a corner or is not
defined at x₀ there is no exact slope and no tangent (``Expression.slope_at`` says why).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from engine.expressions import Expression, parse_expression

METHODS = ("forward", "central")
DEFAULT_DELTA = 1e-4
MIN_DELTA = 1e-15
MAX_DELTA = 1.0


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"method must be 'forward' or 'central', not {method!r}")


def check_delta(delta: float) -> float:
    """Return delta as a float, or raise ValueError if it cannot be a step size."""
    try:
        value = float(delta)
    except (TypeError, ValueError):
        raise ValueError(f"delta must be a number, not {delta!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"delta must be a positive finite number, not {delta!r}")
    return value


def resolution_note(x: float, delta: float) -> str | None:
    """A warning when δ is at or below the spacing of floating-point numbers near x, else None.

    Floating-point numbers near x are np.spacing(x) apart (about x·2.2e-16), so x + δ is rounded to
    one of them: below that spacing x + δ == x and the measured slope is 0 whatever f is (x = 1e308
    with δ = 1, or x = 2 with δ = 1e-320); a little above it the step really taken differs from δ.
    """
    step = (x + delta) - x
    if step == 0:
        return (f"δ = {delta:g} is below the resolution of floating point at x = {x:g} (numbers there are "
                f"{float(np.spacing(abs(x))):.3g} apart): x + δ equals x, so the measured slope means nothing")
    if abs(step - delta) > 0.1 * delta:
        return (f"δ = {delta:g} is close to the resolution of floating point at x = {x:g}: the step really "
                f"taken is {step:.3g}, so rounding alone puts the measured slope off")
    return None


def secant_points(f: Callable, x0, delta: float, method: str = "forward"):
    """The two points whose slope approximates f'(x0): ((xa, ya), (xb, yb)).

    forward: x0 and x0 + δ; central: x0 − δ and x0 + δ.
    """
    _check_method(method)
    xa = x0 if method == "forward" else x0 - delta
    xb = x0 + delta
    return (xa, f(xa)), (xb, f(xb))


def numerical_derivative(f: Callable, x, delta: float = DEFAULT_DELTA, method: str = "forward"):
    """Slope of the secant of f at x (scalar or array, vectorised when f is).

    The slope is divided by δ itself, the step the user chose.  (The lesson's printout
    8.000199999998785 for 2x² at 2 divides by the stored distance (x + δ) − x instead; the
    two agree to about 1e-11 here.)  Dividing by δ keeps the round-off of the subtraction
    visible, which is what the error-versus-delta plot shows.
    """
    _check_method(method)
    x = np.asarray(x, dtype=np.float64) if not np.isscalar(x) else np.float64(x)
    with np.errstate(all="ignore"):
        if method == "forward":
            slope = (f(x + delta) - f(x)) / delta
        else:
            slope = (f(x + delta) - f(x - delta)) / (2.0 * delta)
    return slope if np.ndim(slope) else float(slope)


def forward_difference(f: Callable, x, delta: float = DEFAULT_DELTA):
    """(f(x + δ) − f(x)) / δ."""
    return numerical_derivative(f, x, delta, "forward")


def central_difference(f: Callable, x, delta: float = DEFAULT_DELTA):
    """(f(x + δ) − f(x − δ)) / (2δ)."""
    return numerical_derivative(f, x, delta, "central")


def tangent_line(slope: float, x0: float, y0: float) -> tuple[float, float]:
    """(m, b) of the line y = m·x + b through (x0, y0) with slope m: b = y0 − m·x0."""
    return float(slope), float(y0 - slope * x0)


def line_through(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
    """(m, b) of the straight line through two points (the secant)."""
    (xa, ya), (xb, yb) = p, q
    with np.errstate(all="ignore"):
        m = (yb - ya) / (xb - xa)
    return float(m), float(ya - m * xa)


def log_deltas(smallest: float = 1e-15, largest: float = 1.0, per_decade: int = 8) -> np.ndarray:
    """Step sizes spread evenly on a log scale, smallest first."""
    decades = math.log10(largest) - math.log10(smallest)
    count = int(round(decades * per_decade)) + 1
    return np.logspace(math.log10(smallest), math.log10(largest), count)


def error_vs_delta(expression: Expression, x0: float, deltas=None, method: str = "forward") -> tuple[np.ndarray, np.ndarray]:
    """|numerical − exact| derivative of ``expression`` at x0 for every delta.

    Returns (deltas, errors).  An error of exactly 0 can happen (central difference of a
    quadratic); callers drawing log axes must floor it.
    """
    _check_method(method)
    deltas = log_deltas() if deltas is None else np.asarray(deltas, dtype=np.float64)
    exact = expression.derivative(float(x0))
    # Elementwise NumPy arithmetic rounds exactly like one scalar at a time would.
    points = np.full(deltas.shape, float(x0))
    errors = np.abs(numerical_derivative(expression, points, deltas, method) - exact)
    return deltas, errors


def derivative_report(function: str, x: float, delta: float = DEFAULT_DELTA, method: str = "forward") -> dict:
    """Everything the ``derivative`` command prints, as a plain dict.

    The secant through the two points has the measured slope; the tangent at x has the exact
    slope f′(x), y = f′(x)·x + b with b = f(x) − f′(x)·x. Where f has no derivative at x (a
    corner such as |x| at 0, or an infinite slope) the tangent's numbers are None, both one-sided
    slopes are given and ``note`` says why; it also warns when δ is too small for floating point at x.
    Non-finite numbers are None, so the JSON is strict.

    Raises ExpressionError (a ValueError) for a rejected function, ValueError for a bad x, delta
    or method, or for an x where f (or the secant's second point) is not defined.
    """
    _check_method(method)
    expression = parse_expression(function)
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"x must be a finite number, not {x!r}")
    delta = check_delta(delta)
    at = expression.slope_at(x)
    if not at.defined:
        raise ValueError(f"{at.why_not()} (f(x) = {at.value}), so it has no slope there")
    points = secant_points(expression, x, delta, method)
    for point in points:
        if not math.isfinite(point[1]):
            raise ValueError(f"f is not defined (or overflows) at {point[0]:g}, so no slope can be measured "
                             f"with delta = {delta:g}")
    secant = float(numerical_derivative(expression, x, delta, method))
    _, secant_intercept = tangent_line(secant, *points[0])
    tangent, tangent_intercept = tangent_line(at.slope, x, at.value)
    # Why there is no tangent, and whether δ is too small to mean anything at this x.
    note = "; ".join(text for text in (at.why_not(), resolution_note(x, delta)) if text)

    def number(value: float) -> float | None:
        return value if math.isfinite(value) else None

    return {
        "function": expression.source,
        "x": x,
        "y": at.value,
        "delta": delta,
        "method": method,
        "secant_slope": secant,
        "secant_intercept": number(secant_intercept),
        "tangent_slope": number(tangent),
        "tangent_intercept": number(tangent_intercept),
        "error": number(abs(secant - tangent)),
        "differentiable": at.differentiable,
        "left_slope": number(at.left),
        "right_slope": number(at.right),
        "note": note,
    }
