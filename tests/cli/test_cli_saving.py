"""`mnist train --save`: the target is checked before training, and NaN weights are never saved
(issue 16, item 3)."""

from __future__ import annotations

import stat
import time

import cli


def run(capsys, *argv):
    code = cli.run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_read_only_target_is_refused_before_any_training(capsys, tmp_path):
    target = tmp_path / "model.npz"
    target.write_bytes(b"someone's model")
    target.chmod(stat.S_IRUSR)
    started = time.monotonic()
    # no MNIST folder at all: the refusal must come first, before the data is even looked for
    code, out, err = run(capsys, "mnist", "train", "--save", str(target), "--mnist-dir", str(tmp_path / "none"))
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "cannot save the model to" in err and "read-only" in err
    assert time.monotonic() - started < 2 and target.read_bytes() == b"someone's model"


def test_a_folder_as_target_is_refused(capsys, tmp_path):
    code, _out, err = run(capsys, "mnist", "train", "--save", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_diverged_weights_are_not_saved_and_exit_2(capsys, tmp_path, mnist_dir):
    target = tmp_path / "m.npz"
    target.write_bytes(b"the previous model")
    code, out, err = run(capsys, "mnist", "train", "--lr", "1e308", "--limit", "200", "--epochs", "1",
                         "--mnist-dir", str(mnist_dir), "--save", str(target), "--json")
    assert code == 2 and out == ""
    assert "not saved" in err and "NaN or infinite" in err and "Traceback" not in err
    assert target.read_bytes() == b"the previous model"
