"""How long each update's step is: gradient steps shrink with the slope, trial-and-error steps do not.

A gradient step is η·∇L (for momentum and Adam, whatever distance the update moved), so it shrinks
as the bowl flattens near the bottom; a trial-and-error step is always the whole ±step, along one
axis, until it is halved (if that rule is on). One curve per learning rate, one for trial and error.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.accessibility import describe
from gui.plotting import cache_axes, make_plot, pen
from gui.style import TRIAL_AND_ERROR
from gui.tabs.gradient_descent.plots import fast_curve, thinned

MAX_POINTS = 600


def update_lengths(w: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance moved in the (w, b) plane by each update: (n+1,) positions -> (n,) lengths."""
    return np.hypot(np.diff(w), np.diff(b))


class StepSizePlot(QWidget):
    """Step length against update number, on a log axis (steps span many powers of ten)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = make_plot("Step size of each update", "update", "distance moved in (w, b)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.setAccessibleName("Step sizes")
        describe(self.plot, "Step size of each update, on a log scale: how far each update moved (w, b). "
                            "Nothing has run yet.")
        self.setToolTip("How far each update moved (w, b). Gradient steps η·∇L shrink as the slope flattens; "
                        "trial and error always moves by its whole step, until it halves it")
        item = self.plot.getPlotItem()
        item.setLogMode(y=True)
        item.getAxis("left").enableAutoSIPrefix(False)
        cache_axes(self.plot)
        self.gradient_curves: list[pg.PlotDataItem] = []
        self.trial_curve = item.plot([], [], pen=pen(TRIAL_AND_ERROR, width=2.5), symbol="s", symbolSize=5,
                                     symbolBrush=pg.mkBrush(TRIAL_AND_ERROR), symbolPen=None)
        self.trial_curve.setZValue(5)

    def set_run_colours(self, colours: list[str]) -> None:
        """One curve per gradient run, created once and recoloured."""
        item = self.plot.getPlotItem()
        while len(self.gradient_curves) > len(colours):
            item.removeItem(self.gradient_curves.pop())
        while len(self.gradient_curves) < len(colours):
            self.gradient_curves.append(fast_curve(item.plot([], [], pen=pen(0, width=2.0))))
        for curve, colour in zip(self.gradient_curves, colours):
            width = pg.mkPen(curve.opts["pen"]).widthF()  # kept: projector mode may have thickened it
            curve.setPen(pen(colour, width=width))

    def show_gradient(self, index: int, lengths: np.ndarray) -> None:
        """The first len(lengths) updates of gradient run `index` (zero-length steps cannot be drawn on a log axis)."""
        _set_positive(self.gradient_curves[index], lengths)

    def show_trial(self, lengths: np.ndarray) -> None:
        _set_positive(self.trial_curve, lengths)

    def frame(self, longest: int, smallest: float, largest: float) -> None:
        """Fix the axes to whole runs, so they stay still while the curves grow."""
        item = self.plot.getPlotItem()
        item.setXRange(1, max(longest, 2), padding=0.02)
        # at most four numbers under the axis: 10,000 one-sample updates in a narrow plot would
        # otherwise print their labels on top of each other
        major = _nice_spacing(max(longest, 2) / 4)
        item.getAxis("bottom").setTickSpacing(major, major / 5)
        if np.isfinite(smallest) and np.isfinite(largest) and 0 < smallest <= largest:
            describe(self.plot, f"Step size of each update, on a log scale, over {longest:,} updates: from "
                                f"{largest:.3g} down to {smallest:.3g}. Gradient steps shrink as the slope "
                                f"flattens; trial and error always moves by its whole step, until it halves it.")
            item.setYRange(np.log10(smallest), np.log10(largest) + (0 if largest > smallest else 1), padding=0.05)


def _nice_spacing(raw: float) -> float:
    """The smallest of 1, 2, 5 × 10^k that is at least `raw`."""
    power = 10.0 ** np.floor(np.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _set_positive(curve: pg.PlotDataItem, lengths: np.ndarray) -> None:
    updates = np.arange(1, len(lengths) + 1)
    keep = np.isfinite(lengths) & (lengths > 0)
    updates, lengths = updates[keep], lengths[keep]
    shown = thinned(len(lengths), MAX_POINTS)
    curve.setData(updates[shown], lengths[shown])
