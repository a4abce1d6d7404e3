"""A step δ below the resolution of floating point at x is named, not silently measured as slope 0
(issue 16, "Also")."""

from __future__ import annotations

import json

import pytest

import cli
from engine.calculus import derivative_report, resolution_note


@pytest.mark.parametrize("x, delta", [(1e308, 1.0), (2.0, 1e-320), (1e16, 1.0)])
def test_a_step_below_the_resolution_is_named(x, delta):
    report = derivative_report("x", x, delta)
    assert report["secant_slope"] == 0 and report["tangent_slope"] == 1
    assert "below the resolution of floating point" in report["note"]


def test_a_step_near_the_resolution_is_named_and_an_ordinary_one_is_not():
    assert "close to the resolution" in resolution_note(4.0, 1e-15)
    assert resolution_note(2.0, 1e-4) is None and derivative_report("2*x**2", 2.0, 1e-4)["note"] == ""
    assert resolution_note(0.0, 1e-320) is None      # at 0 the subnormal step is exact


def test_the_command_line_says_it_too(capsys):
    assert cli.run(["derivative", "--function", "x", "--x", "1e308", "--delta", "1", "--json"]) == 0
    assert "below the resolution" in json.loads(capsys.readouterr().out)["note"]
    assert cli.run(["derivative", "--function", "x", "--x", "2", "--delta", "1e-320"]) == 0
    assert "below the resolution" in capsys.readouterr().out
