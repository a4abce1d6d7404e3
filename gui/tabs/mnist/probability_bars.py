"""Ten bars, one per digit: what the network believes about the current image.

The most likely class is drawn in a different colour and named above the plot, so a projector
audience sees at once both the answer and how sure the network is.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.plotting import plot_widget
from gui.style import ANSWER, PROBABILITY, scaled_font
from gui.widgets.wrapping_label import WrappingLabel


# Under a bar there is room for a digit or a short word; longer class names get one here.
SHORT_NAMES = {"not a digit": "none"}


def short_label(label: str) -> str:
    """A class name short enough to stand under its bar ("none" for "not a digit")."""
    return SHORT_NAMES.get(label, label)


def name_bars(plot, labels: list[str]) -> None:
    """Name each bar of a bar plot (bar i at x = i) and frame them, leaving room at the right end
    for a last name wider than a digit (an axis drops a label that would stick out)."""
    names = [short_label(label) for label in labels]
    plot.getAxis("bottom").setTicks([list(enumerate(names))])
    room = 0.5 if names and len(names[-1]) > 2 else 0.0
    plot.setXRange(-0.6, len(names) - 0.4 + room, padding=0)


class ProbabilityBars(QWidget):
    """Bars for class probabilities; `set_probabilities(None)` shows "no prediction"."""

    def __init__(self, labels: list[str] | None = None, title: str = "Probabilities",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = plot_widget(self)
        self.plot.setAccessibleName(title)
        self.plot.setToolTip("The network's probability for each class; the tallest bar is its answer "
                             "(\"none\": the network's answer \"not a digit\", if it has learned one)")
        self.plot.setMouseEnabled(False, False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setYRange(0, 1.05, padding=0)
        self.plot.setLabel("left", "probability")
        self.plot.setMinimumSize(190, 160)  # with the 280 px canvas beside it, fits a 1280 px projector
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=PROBABILITY)
        self.plot.addItem(self.bars)
        # wraps rather than widening the page when "Answer: not a digit (99.9% sure)" is long
        self.answer = WrappingLabel("No prediction", self)
        self.answer.setAccessibleName(f"{title} answer")
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
            return
        p = np.asarray(probabilities, dtype=np.float64).ravel()
        if p.shape != (n,) or not np.all(np.isfinite(p)):
            raise ValueError(f"expected {n} finite probabilities, got {p.shape}")
        self._probabilities = p.copy()
        top = int(np.argmax(p))
        brushes = [ANSWER if i == top else PROBABILITY for i in range(n)]
        self.bars.setOpts(x=np.arange(n), height=p, brushes=brushes)
        self.answer.setText(f"Answer: {self._labels[top]}  ({100 * p[top]:.1f}% sure)")
