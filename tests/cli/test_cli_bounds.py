"""Every numeric option has bounds: beyond them one line and exit code 2, before any work starts
(issue 16, item 5)."""

from __future__ import annotations

import time

import pytest

import cli


def refused(capsys, argv) -> str:
    started = time.monotonic()
    try:
        code = cli.run(argv)
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "Traceback" not in captured.err
    assert time.monotonic() - started < 2          # refused before training, not after
    return captured.err


@pytest.mark.parametrize("argv, fragment", [
    (["train", "--hidden", "10000000"], "from 1 to 1,024"),
    (["train", "--samples", str(10**8)], "from 1 to 10,000"),
    (["train", "--epochs", str(10**12)], "from 1 to 100,000"),
    (["train", "--classes", str(10**6)], "from 2 to 20"),
    (["train", "--decay", "-1"], "0 or more"),
    (["train", "--samples", "10000", "--classes", "20", "--hidden", "1024"], "activations"),
    (["train", "--epochs", "100000", "--hidden", "1024"], "too long"),
    (["descent", "--epochs", str(10**9)], "from 1 to 10,000"),
    (["descent", "--lrs", ",".join(["0.1"] * 21)], "at most 20"),
    (["descent", "--x-range=-1e300,1"], "between"),
    (["mnist", "train", "--epochs", str(10**9)], "from 1 to 100"),
    (["mnist", "train", "--limit", "0"], "from 1 to 60,000"),
    (["mnist", "noise", "--count", str(10**7)], "from 1 to 20,000"),
    (["--screenshot-delay", str(10**12)], "from 0 to 60,000"),
    (["--seed", "-1"], "from 0 to 4,294,967,295"),
    (["search", "--seed", str(2**40)], "from 0 to 4,294,967,295"),
    (["gradient-cost", "--layers", "784,6000,10"], "hours of work"),
    (["gradient-cost", "--layers", ",".join(["2"] * 40)], "at most 32"),
    (["gradient-cost", "--batch", "100000"], "from 1 to 10,000"),
    (["mnist", "classify", *["x.png"] * 1001], "at most 1000 pictures"),
])
def test_an_option_beyond_its_bounds_is_one_line_and_exit_2(capsys, argv, fragment):
    assert fragment in refused(capsys, argv)


def test_help_states_the_bounds(capsys):
    with pytest.raises(SystemExit):
        cli.run(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "1–1024" in text and "1–100000" in text and "2–20" in text
