"""The command line: the generic trainer, one-line errors, the version, and main.py as the entry point."""

import json
import os
import subprocess
import sys

import pytest

import cli
from tests.conftest import REPO_ROOT


def test_train_json_has_the_documented_keys(capsys):
    code = cli.run(["train", "--dataset", "vertical", "--hidden", "8", "--epochs", "200", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(out) == {"dataset", "hidden", "optimizer", "epochs", "final_loss", "accuracy", "seconds"}
    assert out["dataset"] == "vertical" and out["epochs"] == 200 and out["accuracy"] > 0.8


def test_train_table_is_readable(capsys):
    assert cli.run(["train", "--epochs", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["dataset", "spiral"]
    assert any(line.startswith("accuracy") for line in lines)


def test_train_and_search_accept_every_registry_optimizer_and_the_old_gd(capsys):
    for name in ("sgd", "momentum", "adam", "gd"):
        assert cli.run(["train", "--epochs", "5", "--optimizer", name, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["optimizer"] == ("sgd" if name == "gd" else name)
        assert cli.run(["search", "--method", "gradient", "--iterations", "5", "--optimizer", name, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["method"] == "gradient"


@pytest.mark.parametrize("argv, fragment", [
    (["train", "--epochs", "0"], "--epochs"),
    (["train", "--lr", "banana"], "--lr"),
    (["train", "--dataset", "moons"], "--dataset"),
    (["train", "--classes", "1"], "--classes"),
    (["train", "--optimizer", "newton"], "choose one of sgd, momentum, adam"),
    (["search", "--optimizer", "rmsprop"], "--optimizer"),
    (["--tab", "nowhere"], "--tab"),
])
def test_bad_arguments_give_one_line_and_exit_2(capsys, argv, fragment):
    with pytest.raises(SystemExit) as exit_info:
        code = cli.run(argv)
        raise SystemExit(code)
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert len(err.strip().splitlines()) == 1 and fragment in err
    assert "Traceback" not in err


def _run(*args):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "main.py", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_version():
    result = _run("--version")
    assert result.returncode == 0 and "Descent Lab" in result.stdout


def test_the_descent_lab_command_starts_the_same_program():
    import shutil
    command = shutil.which("descent-lab", path=os.pathsep.join([os.path.dirname(sys.executable),
                                                                os.environ.get("PATH", "")]))
    if command is None:
        pytest.skip("descent-lab is not installed as a command here (pip install -e . installs it)")
    result = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "Descent Lab" in result.stdout


THREAD_COUNT_AFTER_A_PRODUCT = """
import os, sys
sys.path.insert(0, os.getcwd())
import main
import numpy as np
a = np.ones((400, 400), dtype=np.float32)
a @ a
print(os.environ.get("OPENBLAS_NUM_THREADS", "-"), len(os.listdir("/proc/self/task")))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through Linux's /proc")
def test_the_program_keeps_numpy_to_one_blas_thread_unless_told_otherwise():
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
                                                           "MKL_NUM_THREADS")}
    result = subprocess.run([sys.executable, "-c", THREAD_COUNT_AFTER_A_PRODUCT], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]  # no BLAS threads spinning beside the window's thread

    env["OMP_NUM_THREADS"] = "2"  # the user's own choice is kept, whichever variable says it
    result = subprocess.run([sys.executable, "-c", THREAD_COUNT_AFTER_A_PRODUCT], cwd=REPO_ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.split()[0] == "-"
