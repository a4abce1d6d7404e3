"""`main.py search`: the documented JSON fields, readable tables, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[2]
FIELDS = {"dataset", "method", "iterations", "loss_evaluations", "multiply_adds", "best_loss", "accuracy",
          "seconds"}
TRIAL_FIELDS = {"sweeps", "step_rule", "final_step", "ended"}
FORWARD = 4_500  # multiply-adds of one forward pass of 2→3→3 over 300 points


def run_cli(capsys, *argv):
    code = cli.run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("method", ["random", "tweak", "trial", "gradient"])
def test_search_json_has_the_documented_fields(capsys, method):
    code, out, err = run_cli(capsys, "search", "--dataset", "vertical", "--method", method,
                             "--iterations", "300", "--hidden", "3", "--seed", "0", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert set(record) == FIELDS | (TRIAL_FIELDS if method == "trial" else set())
    assert record["method"] == method and record["dataset"] == "vertical"
    assert record["iterations"] == 300
    assert record["loss_evaluations"] == 301
    # a guess costs one forward pass; a gradient step a forward and a backward pass (3 in all)
    passes = 3 * 300 + 1 if method == "gradient" else 301
    assert record["multiply_adds"] == passes * FORWARD
    assert 0.0 <= record["accuracy"] <= 1.0
    assert record["best_loss"] <= 1.0987  # never worse than the start, ln 3 ≈ 1.0986


def test_search_help_explains_how_work_is_counted():
    proc = subprocess.run([sys.executable, "main.py", "search", "--help"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert "multiply_adds" in proc.stdout and "backward" in proc.stdout


def test_search_same_seed_same_answer(capsys):
    args = ("search", "--method", "tweak", "--iterations", "500", "--seed", "4", "--json")
    first = json.loads(run_cli(capsys, *args)[1])
    second = json.loads(run_cli(capsys, *args)[1])
    assert first["best_loss"] == second["best_loss"]
    other = json.loads(run_cli(capsys, *args[:-3], "--seed", "5", "--json")[1])
    assert other["best_loss"] != first["best_loss"]


def test_trial_step_rule_and_how_it_ended(capsys):
    fixed = json.loads(run_cli(capsys, "search", "--method", "trial", "--json")[1])
    assert fixed["ended"] == "stuck" and fixed["iterations"] < 10_000 and fixed["step_rule"] == "fixed"
    assert fixed["loss_evaluations"] == fixed["iterations"] + 1
    halved = json.loads(run_cli(capsys, "search", "--method", "trial", "--step-rule", "halve",
                                "--iterations", "2000", "--json")[1])
    assert halved["iterations"] == 2000 and halved["final_step"] < 0.05 and halved["ended"] == "budget"


def test_search_prints_a_table_without_json(capsys):
    code, out, _ = run_cli(capsys, "search", "--method", "random", "--iterations", "200")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0].split() == ["dataset", "spiral"]
    assert any(line.startswith("best_loss") for line in lines)


@pytest.mark.parametrize("argv, message", [
    (["--method", "annealing"], "invalid choice"),
    (["--iterations", "0"], "from 1 to 10,000,000"),
    (["--iterations", "ten"], "whole number"),
    (["--classes", "1"], "from 2 to 20"),
    (["--step", "-1"], "positive"),
    (["--lr", "inf"], "positive"),
    (["--hidden", "5000"], "from 1 to 1,024"),
    (["--step-rule", "double"], "invalid choice"),
    (["--optimizer", "trial"], "use --method trial"),
])
def test_bad_arguments_give_one_line_and_exit_2(argv, message):
    proc = subprocess.run([sys.executable, "main.py", "search", *argv], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert "Traceback" not in proc.stderr and proc.stdout == ""
