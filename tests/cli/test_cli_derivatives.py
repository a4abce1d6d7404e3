"""Command line: `derivative` and `gradient-cost` (parsing, JSON shape, one-line errors)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli

REPO = Path(__file__).resolve().parents[2]


def run_json(capsys, *argv):
    code = cli.run(list(argv) + ["--json"])
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)


def test_derivative_json_has_the_spec_fields_and_the_lesson_figure(capsys):
    record = run_json(capsys, "derivative", "--function", "2*x**2", "--x", "2", "--delta", "1e-4", "--method", "forward")
    assert set(record) == {
        "function", "x", "y", "delta", "method", "secant_slope", "secant_intercept", "tangent_slope",
        "tangent_intercept", "error", "differentiable", "left_slope", "right_slope", "note",
    }
    assert record["secant_slope"] == pytest.approx(8.0002, abs=1e-9)
    assert record["tangent_slope"] == 8.0  # the exact slope
    assert record["tangent_intercept"] == 8.0 - 2.0 * 8.0


def test_derivative_central_and_negative_x(capsys):
    record = run_json(capsys, "derivative", "--function", "x^3 - 3*x", "--x", "-1.5", "--method", "central")
    assert record["tangent_slope"] == pytest.approx(3.75)
    assert record["error"] < 1e-7


def test_derivative_at_a_corner_says_there_is_no_tangent(capsys):
    record = run_json(capsys, "derivative", "--function", "abs(x)", "--x", "0")
    assert record["differentiable"] is False and record["tangent_slope"] is None
    assert (record["left_slope"], record["right_slope"]) == (-1.0, 1.0) and "corner" in record["note"]
    assert cli.run(["derivative", "--function", "relu(x)", "--x", "0"]) == 0
    out = capsys.readouterr().out
    assert "tangent_slope" in out and "none" in out and "corner" in out


def test_derivative_table_is_readable(capsys):
    assert cli.run(["derivative", "--function", "sin(x)", "--x", "0"]) == 0
    out = capsys.readouterr().out
    assert "secant_slope" in out and "tangent_slope" in out and "{" not in out and "note" not in out


@pytest.mark.parametrize(
    "argv,fragment",
    [
        (["derivative", "--function", "9**9**9"], "exponent too large"),
        (["derivative", "--function", "x.real"], "attribute"),
        (["derivative", "--function", "log(x)", "--x", "-1"], "not defined"),
        (["derivative", "--function", "1/x", "--x", "0"], "not defined at x = 0"),
        (["derivative", "--x", "inf"], "finite"),
        (["gradient-cost", "--layers", "784,abc,10"], "positive whole number"),
        (["gradient-cost", "--layers", "784,10", "--preset", "small"], "either"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, fragment):
    try:
        code = cli.run(argv)
    except SystemExit as exit_:        # refused by the parser itself
        code = exit_.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("descent-lab") and "error:" in err and fragment in err
    assert "\n" not in err


def test_rejected_expression_in_a_real_process_has_no_side_effect(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "main.py"), "derivative", "--function", "__import__('os').system('touch F')", "--json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "F").exists()


def test_gradient_cost_json(capsys):
    record = run_json(capsys, "gradient-cost", "--layers", "20,8,4", "--batch", "4")
    for key in ("parameters", "numerical_forward_passes", "numerical_seconds", "backprop_seconds", "speedup",
                "max_abs_difference"):
        assert key in record
    assert record["parameters"] == 20 * 8 + 8 + 8 * 4 + 4
    assert record["numerical_forward_passes"] == record["parameters"] + 1
    assert record["max_abs_difference"] < 1e-5
    assert record["speedup"] > 1


def test_gradient_cost_central_table(capsys):
    assert cli.run(["gradient-cost", "--preset", "small", "--batch", "2", "--method", "central"]) == 0
    out = capsys.readouterr().out
    assert "2,420" in out and "speed-up" in out
