"""--json output that strict parsers read: NaN and infinity become null (issue 16, item 6)."""

from __future__ import annotations

import argparse
import json

import numpy as np
import pytest

import cli
from cli.common import emit
from engine import strict_json


def strict_loads(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_a_diverged_training_prints_null_not_nan(capsys):
    code = cli.run(["train", "--optimizer", "sgd", "--lr", "1e308", "--epochs", "5", "--json"])
    captured = capsys.readouterr()
    assert code == 0 and captured.err == ""            # no NumPy overflow warnings either
    result = strict_loads(captured.out)
    assert result["final_loss"] is None


def test_emit_makes_every_number_strict(capsys):
    record = {"loss": float("nan"), "curve": np.array([1.0, np.inf, -np.inf]), "count": np.int64(3),
              "nested": [{"x": np.float32("nan")}], "ok": np.bool_(True)}
    emit(argparse.Namespace(json=True), record)
    assert strict_loads(capsys.readouterr().out) == {
        "loss": None, "curve": [1.0, None, None], "count": 3, "nested": [{"x": None}], "ok": True}


def test_a_nan_that_slips_past_the_conversion_is_refused_not_printed():
    class Opaque:                                        # not walked by plain(): json sees it via default
        pass
    with pytest.raises(ValueError, match="Out of range float"):
        strict_json.dumps(Opaque(), default=lambda _o: float("nan"))
