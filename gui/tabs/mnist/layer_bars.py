"""Every layer of neurons as two rows of bars: activations a going forward, errors δ coming back.

One row per layer of neurons (hidden 1, hidden 2, ..., output), two plots per row: a = f(z) on the
left, δ = ∂L/∂z on the right, each δ bar coloured by its sign (blue: the cost wants z up, orange:
down, as in the weight images). A layer not reached yet by the walk-through stays empty. The output
row can also show the target y the cost compares with, and the activations before a gradient step.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.plotting import set_title
from gui.style import ANSWER, GREY, PROBABILITY, WEIGHT_COLOURS
from gui.widgets.controls import described

NEGATIVE, POSITIVE = WEIGHT_COLOURS[0], WEIGHT_COLOURS[2]


def _bars() -> pg.BarGraphItem:
    return pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brush=PROBABILITY, pen=None)


class LayerBars(QWidget):
    """`set_layers(names, sizes, labels)` once per network, then `show_values(...)` per stage."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = described(pg.GraphicsLayoutWidget(self), "Activations and errors by layer",
                              "Left: each neuron's activation a. Right: its error δ = ∂L/∂z, what the cost\n"
                              "wants its weighted input to do (blue: go up, orange: go down).")
        self.view.setMinimumSize(280, 240)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.activation_plots: list[pg.PlotItem] = []
        self.delta_plots: list[pg.PlotItem] = []
        self._activation_bars: list[pg.BarGraphItem] = []
        self._delta_bars: list[pg.BarGraphItem] = []
        self.before_bars: pg.BarGraphItem | None = None
        self.target: pg.ScatterPlotItem | None = None
        self._shape: tuple | None = None
        self._row_labels: list[pg.LabelItem] = []
        self._first: list[int] = []        # the x of each layer's first bar
        self._shown: dict[str, list[np.ndarray | None]] = {"activation": [], "delta": []}

    # --- built once per network --------------------------------------------------------------
    def set_layers(self, names: list[str], sizes: list[int], labels: list[str]) -> None:
        shape = (tuple(names), tuple(sizes), tuple(labels))
        if shape == self._shape:
            return
        self._shape = shape
        self.view.clear()
        self.activation_plots, self.delta_plots = [], []
        self._activation_bars, self._delta_bars = [], []
        for row, (name, size) in enumerate(zip(names, sizes)):
            for column, (title, plots, bars) in enumerate((("a = f(z), forward", self.activation_plots,
                                                            self._activation_bars),
                                                           ("δ = ∂L/∂z, backward", self.delta_plots,
                                                            self._delta_bars))):
                plot = self.view.addPlot(row=row, col=column + 1)
                if row == 0:
                    set_title(plot, title)
                plot.setMouseEnabled(False, False)
                plot.setMenuEnabled(False)
                plot.hideButtons()
                first = 0 if name == "output" else 1    # neurons are counted from 1, classes from 0
                plot.setXRange(first - 0.7, first + size - 0.3, padding=0)
                # the numbered ends, also on a plot only a few lines of text high (and no grid: with
                # one, pyqtgraph drops tick labels reaching past the plot's edge)
                plot.getAxis("left").setStyle(hideOverlappingLabels=False, textFillLimits=[(0, 0.99)])
                if name == "output":
                    plot.getAxis("bottom").setTicks([list(enumerate(labels))])
                item = _bars()
                plot.addItem(item)
                plots.append(plot)
                bars.append(item)
        # The layer's name on two lines beside its row: a rotated axis label would need more
        # height than a row has once projector mode enlarges the text.
        self._row_labels = [self.view.addLabel(name.replace(" ", "<br>"), row=row, col=0, size=self._label_size())
                            for row, name in enumerate(names)]
        # made anew with the plots: clearing the view deleted the previous ones
        self.before_bars = pg.BarGraphItem(x=np.zeros(0), height=np.zeros(0), width=0.8, brush=None,
                                           pen=pg.mkPen(GREY, width=1.5))
        self.target = pg.ScatterPlotItem(symbol="t1", size=11, brush=ANSWER, pen=pg.mkPen(GREY))
        self.activation_plots[-1].addItem(self.before_bars)
        self.activation_plots[-1].addItem(self.target)
        self._shown = {"activation": [None] * len(sizes), "delta": [None] * len(sizes)}
        self._first = [0 if name == "output" else 1 for name in names]
        self._fit_height()

    def _fit_height(self) -> None:
        """Enough height for every row's bars to be read, at the current text size (the page
        around scrolls when the screen is smaller): about eight lines of text per layer."""
        rows = max(1, len(self._row_labels))
        self.view.setMinimumHeight(rows * 8 * self.fontMetrics().lineSpacing())

    def _label_size(self) -> str:
        return f"{self.font().pointSizeF():g}pt"

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:    # projector mode: the row names follow the text size
            self._fit_height()
            for label in self._row_labels:
                label.setText(label.text, size=self._label_size())

    # --- what a stage shows -------------------------------------------------------------------
    def show_values(self, activations: list[np.ndarray | None], deltas: list[np.ndarray | None],
             target: np.ndarray | None = None, before: np.ndarray | None = None) -> None:
        """One array (or None: not reached yet) per layer for each column; `target` is the y the
        cost compares the output with; `before` the output activations before a gradient step."""
        for index, values in enumerate(activations):
            self._set(self._activation_bars[index], self.activation_plots[index], values, False, self._first[index])
            self._shown["activation"][index] = None if values is None else np.array(values, copy=True)
        for index, values in enumerate(deltas):
            self._set(self._delta_bars[index], self.delta_plots[index], values, True, self._first[index])
            self._shown["delta"][index] = None if values is None else np.array(values, copy=True)
        if target is None:
            self.target.setData([], [])
        else:
            self.target.setData(np.arange(target.size), target)
        if before is None:
            self.before_bars.setOpts(x=np.zeros(0), height=np.zeros(0))
        else:
            self.before_bars.setOpts(x=np.arange(before.size), height=before)

    def shown(self, kind: str) -> list[np.ndarray | None]:
        """What each plot of a column ("activation" or "delta") shows now (copies; for tests)."""
        return [None if v is None else v.copy() for v in self._shown[kind]]

    @staticmethod
    def _set(bars: pg.BarGraphItem, plot: pg.PlotItem, values: np.ndarray | None, signed: bool, first: int) -> None:
        if values is None:
            bars.setOpts(x=np.zeros(0), height=np.zeros(0))
            _scale(plot, 1.0, signed)
            return
        values = np.asarray(values, dtype=np.float64)
        top = float(np.max(np.abs(values))) if values.size else 0.0
        if signed:
            _scale(plot, top if top > 0 else 1.0, signed)
            brushes = [NEGATIVE if v < 0 else POSITIVE for v in values]
            bars.setOpts(x=first + np.arange(values.size), height=values, brushes=brushes)
        else:
            _scale(plot, max(1.0, top), signed)   # sigmoid outputs on their full 0..1 scale
            bars.setOpts(x=first + np.arange(values.size), height=values, brushes=[PROBABILITY] * values.size)


def short_number(value: float) -> str:
    """Two significant digits in few characters: 0.25, 12, 1.2e-4 (not 0.00012)."""
    if value == 0 or 0.01 <= abs(value) < 1000:
        return f"{value:.2g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _scale(plot: pg.PlotItem, top: float, signed: bool) -> None:
    """The y range 0..top or −top..top, with only its ends (and 0) numbered: these plots are short."""
    bottom = -top if signed else 0.0
    plot.setYRange(bottom, top, padding=0.08)
    ends = [(bottom, short_number(bottom)), (top, short_number(top))] + ([(0.0, "0")] if signed else [])
    plot.getAxis("left").setTicks([ends, []])
