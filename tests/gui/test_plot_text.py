"""Titles, legends and tick labels that fit their plot (gui/plot_text.py)."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui import plot_text
from gui.plotting import make_plot, pen
from tests.gui.screen_checks import plot_problems

LONG_TITLE = "f(x), the secant through two points, and the tangent"


def shown_plot(show, width, height=300, title=LONG_TITLE):
    plot = make_plot(title, "x", "y")
    show(plot, width, height)
    return plot, plot.getPlotItem()


def test_a_long_title_wraps_in_a_narrow_plot_and_keeps_one_line_in_a_wide_one(show, qtbot):
    plot, item = shown_plot(show, 260)
    label = item.titleLabel
    qtbot.waitUntil(lambda: plot_text.lines_of_title(item) == 2 and not plot_problems(LONG_TITLE, item, None))
    assert label.opts["size"] == f"{plot_text.title_points():.1f}pt"     # wrapped, not shrunk
    plot.resize(900, 300)
    qtbot.waitUntil(lambda: plot_text.lines_of_title(item) == 1)
    assert plot_text.title_of(item) == LONG_TITLE


def test_the_legend_lists_named_curves_under_the_data_and_follows_removal(show, qtbot):
    plot, item = shown_plot(show, 320, title="Loss")
    legend = plot_text.add_legend(item)
    solid = plot.plot([0, 1], [1, 0], pen=pen(0), name="η = 0.01")
    plot.plot([0, 1], [0, 1], pen=pen(1, style=Qt.PenStyle.DashLine), name="η = 0.5")
    plot.plot([0.5], [0.5], pen=None, symbol="o", symbolBrush="r", name="diverged")
    assert legend.names() == ["η = 0.01", "η = 0.5", "diverged"]
    assert "━" in legend.html() and "╍" in legend.html() and "●" in legend.html()

    def under_the_data():   # never on a curve
        legend_rect = legend.mapRectToItem(item, legend.boundingRect())
        return legend_rect.top() >= item.vb.mapRectToItem(item, item.vb.boundingRect()).bottom() - 1

    qtbot.waitUntil(under_the_data)
    assert plot_problems("Loss", item, min_size=None) == []
    item.removeItem(solid)
    assert legend.names() == ["η = 0.5", "diverged"]
    legend.setVisible(False)
    assert item.layout.rowMaximumHeight(plot_text.LEGEND_ROW) == 0   # a hidden legend leaves no gap


def test_an_axis_leaves_out_tick_labels_that_would_overlap(show):
    plot, item = shown_plot(show, 220, title="Digits")
    item.getAxis("bottom").setTicks([[(i, f"label {i}") for i in range(10)]])   # far too many to fit
    plot.setXRange(0, 9)
    assert plot_problems("Digits", item, min_size=None) == []


def test_numbers_are_shown_as_they_are_without_an_si_prefix(show):
    plot, item = shown_plot(show, 400, title="Small numbers")
    plot.plot(np.linspace(0, 1e-3, 5), np.linspace(0, 2e-3, 5))
    item.setLabel("left", "|error|")
    item.enableAutoRange()
    axis = item.getAxis("left")
    axis.setRange(0, 2e-3)
    assert axis.labelString().count("(x") == 0 and axis.autoSIPrefixScale == 1.0


def test_plain_axes_are_the_axes_every_plot_gets():
    assert isinstance(make_plot("t").getPlotItem().getAxis("left"), plot_text.PlainAxis)
    assert isinstance(pg.PlotWidget(axisItems=plot_text.plain_axes()).getPlotItem().getAxis("bottom"),
                      plot_text.PlainAxis)
