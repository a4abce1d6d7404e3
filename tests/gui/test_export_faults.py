"""Exports and run reports: atomic (an older file survives a failed export), and strict JSON
(issue 16, items 3 and 6)."""

from __future__ import annotations

import json
import stat

import pyqtgraph as pg
import pytest
from PySide6.QtWidgets import QVBoxLayout

from gui.export import export_plot, write_run_report
from gui.tabs.base import LessonTab


def strict_loads(text: str):
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


class DivergedTab(LessonTab):
    """A tab whose curve and details hold the numbers a diverged run leaves: NaN and infinity."""

    def __init__(self):
        super().__init__()
        self.plot = pg.PlotWidget(title="Loss")
        self.plot.plot([0, 1, 2], [1.0, float("inf"), float("nan")], name="lr 5")
        QVBoxLayout(self).addWidget(self.plot)

    def report(self):
        return {"final_loss": float("nan"), "limit": float("-inf")}


@pytest.fixture
def tab(show):
    return show(DivergedTab(), 400, 300)


def test_a_run_report_with_nan_and_infinity_is_strict_json(tab, tmp_path):
    _png, js = write_run_report(tab, "gradient-descent", 0, tmp_path)
    report = strict_loads(js.read_text())
    assert report["details"] == {"final_loss": None, "limit": None}
    assert report["plots"][0]["curves"][0]["y"] == [1.0, None, None]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".csv"])
def test_exporting_over_a_read_only_file_leaves_it_and_leaves_no_temporary(tab, tmp_path, suffix):
    item = tab.plot.getPlotItem()
    target = tmp_path / f"loss{suffix}"
    target.write_bytes(b"last week's figure")
    target.chmod(stat.S_IRUSR)
    with pytest.raises(PermissionError, match="read-only"):
        export_plot(item, target)
    assert target.read_bytes() == b"last week's figure"
    target.chmod(stat.S_IRUSR | stat.S_IWUSR)
    export_plot(item, target)                  # writable again: replaced whole
    assert target.read_bytes() != b"last week's figure"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
