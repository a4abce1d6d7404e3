"""Two plots that explain why guessing weights fails, drawn from data the engine computes.

* ``LossSlicePlot``    – the loss along a straight line from the current weights: in a random
  direction it hardly changes; along the negative gradient it drops at once.
* ``GradientBarsPlot`` – |∂L/∂w| for every parameter: some matter far more than others, yet a random
  tweak moves them all by the same amount.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from gui.plot_text import add_legend, plain_axes, set_title
from gui.plotting import pen
from gui.style import BLACK, GRADIENT_DIRECTION, GREY, PARAMETER_GROUP_COLOURS, RANDOM_DIRECTION


class LossSlicePlot(pg.PlotWidget):
    """Loss against the distance t moved from the current weights, in two directions."""

    def __init__(self, parent=None):
        super().__init__(parent=parent, axisItems=plain_axes())
        _copy_look(self, "Loss along a line", "distance moved t", "loss")
        item = self.getPlotItem()
        add_legend(item)
        self.random_curve = item.plot([], [], pen=pen(RANDOM_DIRECTION), name="random")
        self.gradient_curve = item.plot([], [], pen=pen(GRADIENT_DIRECTION), name="−gradient")
        self.here = pg.InfiniteLine(0.0, angle=90, pen=pg.mkPen(GREY, style=Qt.PenStyle.DashLine))
        item.addItem(self.here)

    def show_slices(self, slices: dict) -> None:
        """Draw the output of ``engine.search.loss_slices``."""
        self.random_curve.setData(slices["t"], slices["random"])
        self.gradient_curve.setData(slices["t"], slices["gradient"])

    def clear_slices(self) -> None:
        self.random_curve.setData([], [])
        self.gradient_curve.setData([], [])


def slope_caption(slices: dict) -> str:
    """The slope of the loss where each line starts (t = 0), in words.

    The curves alone can mislead: at the book's tiny weights the loss is nearly flat and curved,
    so the downhill start along −∇L is too small to see at the plot's scale, but not to measure.
    """
    down, random = slices["slopes"]["gradient"], slices["slopes"]["random"]
    text = (f"Slope at t = 0: −gradient {down:.2g}, the steepest way down; "
            f"random direction {random:.2g}")
    if random != 0 and abs(down / random) >= 1.5:
        text += f", {abs(down / random):.0f}× flatter"
    return text.replace("-", "−") + "."


class GradientBarsPlot(pg.PlotWidget):
    """One bar per parameter, height |∂L/∂w|, coloured by the array it belongs to (W1, b1, W2, b2)."""

    def __init__(self, parent=None):
        super().__init__(parent=parent, axisItems=plain_axes())
        _copy_look(self, "|∂L/∂w| per weight", "weight", "|∂L/∂w|")
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.8)
        # Straight into the view box: the bars are not a curve (no setPen), so they stay out of the
        # plot's data items that the window restyles in projector mode. Ranges are set by hand below.
        self.getPlotItem().getViewBox().addItem(self.bars)
        self.heights = np.zeros(0)
        self._names: list[str] = []

    def show_magnitudes(self, data: dict) -> None:
        """Draw the output of ``engine.search.gradient_magnitudes``."""
        names, heights = data["names"], np.asarray(data["magnitude"], dtype=float)
        self.heights = heights
        brushes = [pg.mkBrush(PARAMETER_GROUP_COLOURS.get(name.split("[")[0], BLACK)) for name in names]
        self.bars.setOpts(x=np.arange(len(heights)), height=heights, width=0.8, brushes=brushes,
                          pen=pg.mkPen(None))
        if names != self._names:
            self._names = list(names)
            self.getPlotItem().getAxis("bottom").setTicks([_group_ticks(names)])
            self.getPlotItem().setXRange(-0.6, len(heights) - 0.4, padding=0)
        self.getPlotItem().setYRange(0, max(float(heights.max(initial=0.0)), 1e-12) * 1.05, padding=0)


def _group_ticks(names: list[str]) -> list[tuple[float, str]]:
    """One label per weight array (W1, b1, W2, b2), centred under its bars: readable at any size."""
    groups: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        groups.setdefault(name.split("[")[0], []).append(i)
    return [((idx[0] + idx[-1]) / 2, label) for label, idx in groups.items()]


def _copy_look(widget: pg.PlotWidget, title: str, x_label: str, y_label: str) -> None:
    """Give a PlotWidget subclass the same title, labels and grid that ``make_plot`` gives."""
    item = widget.getPlotItem()
    set_title(item, title)
    item.setLabel("bottom", x_label)
    item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.25)
    widget.setAccessibleName(title)

