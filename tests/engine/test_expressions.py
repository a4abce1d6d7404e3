"""The typed-function parser: whitelist safety, refusal of absurd input, exact derivatives."""

import builtins
import math

import numpy as np
import pytest

from engine.expressions import PRESETS, ExpressionError, parse_expression

XS = np.linspace(-2.5, 2.5, 11)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


# Derivatives worked out by hand with the rules of calculus, one per preset.
CALCULUS = {
    "2*x": lambda x: np.full_like(x, 2.0),
    "2*x**2": lambda x: 4.0 * x,
    "x**2": lambda x: 2.0 * x,
    "x**3 - 3*x": lambda x: 3.0 * x**2 - 3.0,
    "sin(x)": np.cos,
    "exp(x)": np.exp,
    "abs(x)": lambda x: np.where(x == 0, np.nan, np.sign(x)),  # a corner at 0: no derivative
    "relu(x)": lambda x: np.where(x == 0, np.nan, (x > 0).astype(float)),
    "sigmoid(x)": lambda x: sigmoid(x) * (1.0 - sigmoid(x)),
}


@pytest.mark.parametrize("label,text", list(PRESETS.items()))
def test_every_preset_has_the_calculus_derivative(label, text):
    expression = parse_expression(text)
    np.testing.assert_allclose(expression.derivative(XS), CALCULUS[text](XS), rtol=1e-12, atol=1e-15)


def test_slopes_of_x_squared_from_the_lesson():
    square = parse_expression("x**2")
    assert square.derivative(2.0) == 4.0
    assert square.derivative(0.0) == 0.0
    assert square.derivative(-1.0) == -2.0


@pytest.mark.parametrize(
    "text,value,slope",
    [
        ("3*x**2 + 2*x + 1", lambda x: 3 * x**2 + 2 * x + 1, lambda x: 6 * x + 2),
        ("sin(x)*exp(x)", lambda x: np.sin(x) * np.exp(x), lambda x: np.exp(x) * (np.sin(x) + np.cos(x))),
        ("1/(1 + x**2)", lambda x: 1 / (1 + x**2), lambda x: -2 * x / (1 + x**2) ** 2),
        ("tanh(2*x) - cos(x)", lambda x: np.tanh(2 * x) - np.cos(x), lambda x: 2 * (1 - np.tanh(2 * x) ** 2) + np.sin(x)),
        ("sqrt(x**2 + 1)", lambda x: np.sqrt(x**2 + 1), lambda x: x / np.sqrt(x**2 + 1)),
        ("2**x", lambda x: 2.0**x, lambda x: np.log(2) * 2.0**x),
        ("e^x + pi", lambda x: np.exp(x) + np.pi, np.exp),
        ("-x^3", lambda x: -(x**3), lambda x: -3 * x**2),
        ("tan(x/4)", lambda x: np.tan(x / 4), lambda x: 0.25 / np.cos(x / 4) ** 2),
    ],
)
def test_typed_functions_evaluate_and_differentiate_exactly(text, value, slope):
    expression = parse_expression(text)
    np.testing.assert_allclose(expression(XS), value(XS), rtol=1e-12)
    np.testing.assert_allclose(expression.derivative(XS), slope(XS), rtol=1e-10, atol=1e-14)


def test_power_with_x_in_base_and_exponent_matches_a_central_difference():
    expression = parse_expression("x**x")
    x = np.array([0.5, 1.0, 2.0, 3.0])
    h = 1e-6
    numeric = (expression(x + h) - expression(x - h)) / (2 * h)
    np.testing.assert_allclose(expression.derivative(x), numeric, rtol=1e-7)


def test_log_keeps_nan_outside_its_domain_without_warnings():
    expression = parse_expression("log(x)")
    values = expression(np.array([-1.0, 1.0]))
    assert math.isnan(values[0]) and values[1] == 0.0
    assert expression.derivative(4.0) == 0.25
    slopes = expression.derivative(np.array([-2.0, 0.0, 2.0]))
    assert np.isnan(slopes[0]) and np.isnan(slopes[1]) and slopes[2] == 0.5  # no slope where f is undefined


def test_scalar_in_scalar_out_and_shape_kept():
    expression = parse_expression("x**2")
    assert isinstance(expression(3.0), float)
    grid = np.ones((2, 3))
    assert expression(grid).shape == (2, 3)


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch F')",
        "x.real",
        "(1).__class__",
        "lambda: 1",
        "[x for x in range(3)]",
        "{x: 1}",
        "y + 1",
        "open('F', 'w')",
        "sin",
        "sin(x=1)",
        "sin(x, x)",
        "x if x else 1",
        "x < 1",
        "x // 2",
        "x % 2",
        "'text'",
        "True",
        "1j * x",
        "x; 1",
        "",
        "   ",
        "x +",
    ],
)
def test_anything_outside_the_whitelist_is_refused(text):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    message = str(info.value)
    assert message and "\n" not in message


def test_dangerous_text_executes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(builtins, "eval", lambda *a, **k: pytest.fail("eval was called"))
    monkeypatch.setattr(builtins, "exec", lambda *a, **k: pytest.fail("exec was called"))
    for text in ["__import__('os').system('touch F')", "open('F', 'w').write('x')"]:
        with pytest.raises(ExpressionError):
            parse_expression(text)
    assert not (tmp_path / "F").exists()


@pytest.mark.parametrize("text", ["9**9**9", "2**(10**6)", "x**1000", "(x**2)**(9**9)", "10**1000"])
def test_huge_exponents_are_refused_before_computing(text):
    with pytest.raises(ExpressionError, match="too large"):
        parse_expression(text)


def test_huge_literals_and_long_text_are_refused():
    for text in ["1e999 * x", "x + 1e301"]:
        with pytest.raises(ExpressionError, match="too large"):
            parse_expression(text)
    with pytest.raises(ExpressionError, match="too long"):
        parse_expression("x+" * 150 + "x")
    with pytest.raises(ExpressionError, match="too complicated"):
        parse_expression("+".join(["x"] * 99))


def test_moderate_powers_are_fine():
    expression = parse_expression("x**100 + 2**-3")
    assert expression(1.0) == pytest.approx(1.125)
    assert expression.derivative(1.0) == pytest.approx(100.0)


@pytest.mark.parametrize("text, x, left, right", [
    ("abs(x)", 0.0, -1.0, 1.0), ("relu(x)", 0.0, 0.0, 1.0), ("abs(x - 1)", 1.0, -1.0, 1.0),
    ("abs(abs(x))", 0.0, -1.0, 1.0), ("relu(sin(x))", 0.0, 0.0, 1.0), ("2*abs(x) - relu(x)", 0.0, -2.0, 1.0),
    ("relu(-x)", 0.0, -1.0, 0.0),
])
def test_a_corner_has_two_one_sided_slopes_and_no_derivative(text, x, left, right):
    at = parse_expression(text).slope_at(x)
    assert (at.left, at.right) == (left, right)
    assert at.defined and not at.differentiable and math.isnan(at.slope)
    assert "corner" in at.why_not()
    assert math.isnan(parse_expression(text).derivative(x))


@pytest.mark.parametrize("text, x, slope", [("x*abs(x)", 0.0, 0.0), ("abs(x**3)", 0.0, 0.0), ("relu(x)**2", 0.0, 0.0),
                                            ("abs(x)", 1.5, 1.0), ("abs(x)", -0.5, -1.0)])
def test_abs_and_relu_are_differentiable_where_both_sides_agree(text, x, slope):
    at = parse_expression(text).slope_at(x)
    assert at.differentiable and at.slope == slope and at.why_not() == ""


@pytest.mark.parametrize("text, x", [("1/x", 0.0), ("log(x)", 0.0), ("log(x)", -2.0), ("sqrt(x)", -1.0),
                                     ("sin(x)/x", 0.0)])
def test_an_undefined_point_has_no_value_and_no_slope(text, x):
    at = parse_expression(text).slope_at(x)
    assert not at.defined and not at.differentiable
    assert at.why_not() == f"f is not defined at x = {x:g}"
    assert math.isnan(at.left) and math.isnan(at.right)


def test_a_vertical_tangent_is_not_a_derivative():
    at = parse_expression("sqrt(x)").slope_at(0.0)
    assert at.defined and not at.differentiable and "infinite" in at.why_not()
