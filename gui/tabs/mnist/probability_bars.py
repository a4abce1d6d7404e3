"""Ten bars, one per digit: what the network believes about the current image.

The most likely class is drawn in a different colour and named above the plot, so a projector
audience sees at once both the answer and how sure the network is.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.accessibility import describe
from gui.plotting import plot_widget
from gui.style import ANSWER, PROBABILITY, scaled_font
from gui.widgets.wrapping_label import WrappingLabel


#: Under its bar a long class name ("not a digit") overlaps its neighbours and pyqtgraph drops it.
SHORT_MARK = "✗"


def tick_label(label: str) -> str:
    """What to write under a class's bar: the digit, or a short mark for a longer name."""
    return label if len(label) <= 2 else SHORT_MARK


def tick_legend(labels: list[str]) -> str:
    """The axis text that says what the short mark stands for ("" when every label is short)."""
    long_names = [label for label in labels if len(label) > 2]
    return f"{SHORT_MARK}: {long_names[-1]}" if long_names else ""


def name_bars(plot, labels: list[str], axis_name: str = "") -> None:
    """Name each bar of a bar plot (bar i at x = i), say on the axis what a short mark stands for
    (else ``axis_name``), and frame the bars so that every name stands whole under its bar."""
    plot.getAxis("bottom").setTicks([list(enumerate(tick_label(label) for label in labels))])
    plot.setLabel("bottom", tick_legend(labels) or axis_name)
    plot.setXRange(-0.6, len(labels) - 0.4, padding=0)


class ProbabilityBars(QWidget):
    """Bars for class probabilities; `set_probabilities(None)` shows "no prediction"."""

    def __init__(self, labels: list[str] | None = None, title: str = "Probabilities",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = plot_widget(self)
        self.plot.setAccessibleName(title)
        self.plot.setToolTip("The network's probability for each class; the tallest bar is its answer "
                             "(✗: the network's answer \"not a digit\", if it has learned one)")
        self.plot.setMouseEnabled(False, False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setYRange(0, 1.05, padding=0)
        self.plot.setLabel("left", "probability")
        self.plot.setMinimumSize(190, 160)  # with the 280 px canvas beside it, fits a 1280 px projector
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=PROBABILITY)
        self.plot.addItem(self.bars)
        # wraps rather than widening the page when "Answer: not a digit (99.9% sure)" is long
        self.answer = WrappingLabel("No prediction", self, caption=title,
                                    tip="The class with the highest probability, and how sure")
        font = scaled_font(self.answer.font(), 1.4)
        font.setBold(True)
        self.answer.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.answer)
        layout.addWidget(self.plot, 1)
        self._probabilities: np.ndarray | None = None
        self.set_labels(labels or [str(d) for d in range(10)])

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def probabilities(self) -> np.ndarray | None:
        return None if self._probabilities is None else self._probabilities.copy()

    def set_labels(self, labels: list[str]) -> None:
        self._labels = list(labels)
        name_bars(self.plot, self._labels)
        self.set_probabilities(None)

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        n = len(self._labels)
        if probabilities is None:
            self._probabilities = None
            self.bars.setOpts(x=np.arange(n), height=np.zeros(n), brushes=[PROBABILITY] * n)
            self.answer.setText("No prediction")
            describe(self.plot, "The network's probability for each class. No prediction.")
            return
        p = np.asarray(probabilities, dtype=np.float64).ravel()
        if p.shape != (n,) or not np.all(np.isfinite(p)):
            raise ValueError(f"expected {n} finite probabilities, got {p.shape}")
        self._probabilities = p.copy()
        top = int(np.argmax(p))
        brushes = [ANSWER if i == top else PROBABILITY for i in range(n)]
        self.bars.setOpts(x=np.arange(n), height=p, brushes=brushes)
        self.answer.setText(f"Answer: {self._labels[top]}  ({100 * p[top]:.1f}% sure)")
        self.answer.announce()
        order = np.argsort(-p, kind="stable")
        describe(self.plot, "The network's probability for each class, tallest first: "
                            + ", ".join(f"{self._labels[i]} {100 * p[i]:.1f}%" for i in order[:4]) + ".")
