"""`python main.py descent`: one JSON object or a readable table; bad input is one line and exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[2]


def run_json(capsys, *argv):
    assert cli.run(["descent", *argv, "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1  # exactly one JSON object
    return json.loads(out)


def test_json_has_the_documented_fields(capsys):
    result = run_json(capsys, "--lrs", "0.01,0.1,0.5,0.9", "--epochs", "100", "--seed", "42")
    assert [run["lr"] for run in result["runs"]] == [0.01, 0.1, 0.5, 0.9]
    for run in result["runs"]:
        assert {"lr", "final_loss", "w", "b", "diverged", "diverged_at"} <= set(run)
    assert result["stability_limit"] == pytest.approx(0.789, abs=0.01)
    assert result["fastest_lr"] < result["stability_limit"]
    good, too_big = result["runs"][2], result["runs"][3]
    assert good["w"] == pytest.approx(2, abs=0.1) and not good["diverged"]
    assert too_big["diverged"] and isinstance(too_big["diverged_at"], int)


def test_rates_either_side_of_the_limit_and_their_regimes(capsys):
    result = run_json(capsys, "--lrs", "0.78,0.79,0.8", "--epochs", "100")
    assert [run["diverged"] for run in result["runs"]] == [False, True, True]
    assert [run["regime"] for run in result["runs"]] == ["oscillating", "diverging", "diverging"]
    assert {run["regime_from"] for run in result["runs"]} == {"eigenvalues"}
    assert result["smooth_limit"] == pytest.approx(result["stability_limit"] / 2)
    momentum = run_json(capsys, "--lrs", "0.1", "--optimizer", "momentum", "--epochs", "50")["runs"][0]
    assert momentum["regime"] == "converging" and momentum["regime_from"] == "loss"


def test_table_names_each_runs_regime(capsys):
    assert cli.run(["descent", "--lrs", "0.1,0.5,0.8"]) == 0
    out = capsys.readouterr().out
    assert "smooth up to 1/λmax" in out
    assert "smooth (η ≤ 1/λmax)" in out and "oscillating but converging (1/λmax < η < 2/λmax)" in out
    assert "rose at 3 updates in a row" in out


def test_help_explains_regimes_and_divergence():
    proc = subprocess.run([sys.executable, "main.py", "descent", "--help"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    text = " ".join(proc.stdout.split())
    assert "1/λmax" in text and "oscillating" in text and "3 updates in a row" in text


def test_x_range_optimizer_and_batch_options(capsys):
    result = run_json(capsys, "--x-range=-1,1", "--lrs", "0.05", "--optimizer", "adam", "--batch", "mini",
                      "--batch-size", "20", "--epochs", "3")
    assert result["stability_limit"] == pytest.approx(1.0, abs=0.01)
    assert result["optimizer"] == "adam" and result["batch"] == "mini"
    assert result["runs"][0]["updates"] == 3 * 5
    wide = run_json(capsys, "--x-range", "[0,10]", "--lrs", "0.05", "--epochs", "30")
    assert wide["stability_limit"] == pytest.approx(0.029, abs=0.001)
    assert wide["runs"][0]["diverged"]  # 0.05 is far above the limit on [0, 10]


def test_optimizer_names_come_from_the_registry_and_gd_still_works(capsys):
    assert run_json(capsys, "--epochs", "2")["optimizer"] == "sgd"  # the default, by its canonical name
    old = run_json(capsys, "--optimizer", "gd", "--epochs", "2")
    assert old == run_json(capsys, "--optimizer", "sgd", "--epochs", "2")
    assert run_json(capsys, "--optimizer", "momentum", "--epochs", "2")["optimizer"] == "momentum"


def test_same_seed_same_result(capsys):
    a = run_json(capsys, "--seed", "3", "--epochs", "10")
    b = run_json(capsys, "--seed", "3", "--epochs", "10")
    c = run_json(capsys, "--seed", "4", "--epochs", "10")
    assert a == b
    assert a["start"] != c["start"]


def test_table_mentions_limit_and_divergence(capsys):
    assert cli.run(["descent", "--lrs", "0.5,0.9", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "stability limit" in out
    assert "diverged at epoch" in out
    assert "overflow" not in out.lower()


@pytest.mark.parametrize("argv", [["--lrs", "0.1,abc"], ["--lrs", "-0.1"], ["--lrs", "nan"], ["--lrs", ","],
                                  ["--x-range", "1,0"], ["--x-range", "zero,one"], ["--epochs", "0"],
                                  ["--optimizer", "newton"], ["--batch", "half"], ["--method", "guess"],
                                  ["--method", "trial", "--step", "0"], ["--step-rule", "double"]])
def test_bad_arguments_are_one_line_and_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        cli.run(["descent", *argv])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "error" in err and "Traceback" not in err


def test_trial_and_error_json_has_the_gradient_fields_and_its_counts(capsys):
    result = run_json(capsys, "--method", "trial", "--step", "0.1", "--epochs", "100", "--seed", "0")
    gradient = run_json(capsys, "--lrs", "0.5", "--epochs", "100", "--seed", "0")
    assert result["method"] == "trial" and len(result["runs"]) == 1
    run = result["runs"][0]
    assert {"final_loss", "w", "b", "diverged", "diverged_at", "updates"} <= set(run)
    assert {"loss_evaluations", "multiply_adds", "sweeps", "step", "step_rule", "ended"} <= set(run)
    assert {"loss_evaluations", "multiply_adds"} <= set(gradient["runs"][0])
    assert run["loss_evaluations"] <= 101 and not run["diverged"]
    assert run["w"] == pytest.approx(gradient["optimum"]["w"], abs=0.1)  # within one step of the fit
    assert run["b"] == pytest.approx(gradient["optimum"]["b"], abs=0.1)
    assert result["start"] == gradient["start"]
    halved = run_json(capsys, "--method", "trial", "--step-rule", "halve", "--epochs", "300")["runs"][0]
    assert halved["final_loss"] < run["final_loss"] and halved["final_step"] < 0.1


@pytest.mark.parametrize("argv, message", [
    (["--optimizer", "trial"], "use --method trial"),
    (["--method", "trial", "--lrs", "0.1"], "--lrs does not apply to --method trial"),
    (["--method", "trial", "--optimizer", "adam"], "--optimizer does not apply"),
    (["--step", "0.2"], "--step does not apply to --method gradient"),
])
def test_options_of_the_other_method_are_refused_in_one_line(capsys, argv, message):
    try:
        code = cli.run(["descent", *argv])
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err.strip()
    assert code == 2 and message in err and err.count("\n") == 0


def test_trial_table_says_how_it_ended(capsys):
    assert cli.run(["descent", "--method", "trial"]) == 0
    out = capsys.readouterr().out
    assert "trial and error, step 0.1 (fixed)" in out and "per parameter per sweep" in out
    assert "stuck: no ±0.1 change of one parameter lowers the loss" in out


def test_command_line_process_prints_no_warnings():
    proc = subprocess.run([sys.executable, "main.py", "descent", "--lrs", "2", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["runs"][0]["diverged"]
