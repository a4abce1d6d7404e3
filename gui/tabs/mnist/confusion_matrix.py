"""A confusion matrix: rows are the true digits, columns what the network answered.

10×10, or 10×11 for a network that can also answer "not a digit" (that column holds the real
digits it rejected). The diagonal holds the correct answers; every other cell is a kind of mistake.
Colours follow the logarithm of the count so that rare mistakes remain visible next to a thousand
correct answers. The cells fill the plot's axes (they need not be square), and the counts take
the largest size at which "1135" still fits a cell, so they stay readable however the page is sized.
Clicking a cell asks for the images behind that count; from the keyboard, the arrow keys move a
frame from cell to cell (a screen reader hears its count) and Enter asks for its images.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.accessibility import announce, describe
from gui.plotting import plot_widget
from gui.style import HINT_TEXT, SELECTED_CELL, WHITE, readable_on
from gui.tabs.mnist.clickable_image import ClickableImage

MOVES = {Qt.Key.Key_Left: (0, -1), Qt.Key.Key_Right: (0, 1), Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}
OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


COUNT_MIN_POINTS, COUNT_MAX_POINTS = 6.0, 14.0


class ConfusionMatrixView(QWidget):
    """`set_matrix(counts, labels)` with counts[true, predicted]; signal cellClicked(true, predicted)."""

    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.plot = plot_widget(self)
        self.plot.setAccessibleName("Confusion matrix")
        self.plot.setToolTip("Rows: true digit. Columns: the network's answer.\n"
                             "Click a cell to see those test images (or move with the arrow keys, then Enter).")
        self.plot.installEventFilter(self)
        self.cursor = (0, 0)   # the cell the keyboard is on (row = true digit, column = answer)
        self._labels: list[str] = []
        self.plot.setMouseEnabled(False, False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setLabel("left", "true digit")
        self.plot.setLabel("bottom", "predicted digit")
        self.plot.setMinimumSize(300, 300)
        self.image = ClickableImage(lambda pos: self._clicked(int(pos.y()), int(pos.x())))
        self.colormap = pg.colormap.get("viridis")
        self.image.setColorMap(self.colormap)
        self.plot.addItem(self.image)
        self._texts: list[pg.TextItem] = []
        self._matrix = np.zeros((0, 0), dtype=np.int64)
        self._selection = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self._selection.setPen(pg.mkPen(SELECTED_CELL, width=3))
        self._selection.setVisible(False)
        self.plot.addItem(self._selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        # Before any evaluation: the empty 10×10 frame with its digit axes, and what to do.
        self.placeholder = pg.TextItem("Evaluate the model\nto fill in the counts", color=HINT_TEXT,
                                       anchor=(0.5, 0.5))
        self.plot.addItem(self.placeholder)
        self.placeholder.setPos(5, 5)
        self._set_frame(10, 10)
        self.plot.getPlotItem().vb.sigResized.connect(self._fit_counts)
        describe(self.plot, "Confusion matrix, rows the true digit and columns the answer. Empty until the model "
                            "is evaluated.")

    def matrix(self) -> np.ndarray:
        return self._matrix.copy()

    def set_matrix(self, counts: np.ndarray, labels: list[str] | None = None) -> None:
        """Show counts (rows, columns); `labels` names the classes (default: their numbers)."""
        counts = np.asarray(counts, dtype=np.int64)
        if counts.ndim != 2:
            raise ValueError(f"a confusion matrix has two axes, got shape {counts.shape}")
        rows, cols = counts.shape
        if counts.shape != self._matrix.shape:
            for text in self._texts:
                self.plot.removeItem(text)
            self._texts = []
            for row, col in np.ndindex(rows, cols):
                text = pg.TextItem("", anchor=(0.5, 0.5), color=WHITE)
                text.textItem.document().setDocumentMargin(0)   # its box is the text: it must fit a cell
                self.plot.addItem(text)
                text.setPos(col + 0.5, row + 0.5)
                self._texts.append(text)
        self._set_frame(rows, cols, labels)
        self._labels = list(labels) if labels else [str(i) for i in range(max(rows, cols))]
        self.cursor = (min(self.cursor[0], rows - 1), min(self.cursor[1], cols - 1))
        self.placeholder.setVisible(False)
        self._matrix = counts.copy()
        shade = np.log1p(counts.astype(np.float64))
        self.image.setImage(shade, levels=(0.0, max(float(shade.max()), 1.0)), autoLevels=False)
        cells = self.colormap.map((shade / max(float(shade.max()), 1.0)).ravel(), mode="qcolor")
        for (row, col), text, cell in zip(np.ndindex(rows, cols), self._texts, cells):
            value = counts[row, col]
            text.setText(str(value) if value else "")
            text.setColor(readable_on(cell))   # black or white, whichever reads on this cell's colour
        self._fit_counts()
        mistakes = counts.astype(np.float64)
        mistakes[np.arange(min(rows, cols)), np.arange(min(rows, cols))] = -1
        worst = np.unravel_index(int(np.argmax(mistakes)), counts.shape)
        correct = int(np.trace(counts[:, :min(rows, cols)]))
        describe(self.plot, f"Confusion matrix, rows the true digit and columns the answer: {correct:,} of "
                            f"{int(counts.sum()):,} test images on the diagonal, answered right. The most frequent "
                            f"mistake: {self.describe_cell(*worst)}. Arrow keys move through the cells.")

    def cell_size(self) -> tuple[float, float]:
        """Width and height of one cell on screen, in pixels."""
        pixel = self.plot.getPlotItem().vb.viewPixelSize()   # data units per pixel
        width = 1.0 / pixel[0] if pixel[0] > 0 else 0.0
        height = 1.0 / pixel[1] if pixel[1] > 0 else 0.0
        return width, height

    def _fit_counts(self, *_args) -> None:
        """The largest font at which the longest count fits inside a cell (never below 6 points)."""
        if not self._texts:
            return
        width, height = self.cell_size()
        longest = max((text.textItem.toPlainText() for text in self._texts), key=len) or "0"
        font = QFont(self.font())
        font.setPointSizeF(10.0)
        metrics = QFontMetricsF(font)
        scale = min(0.85 * width / max(metrics.horizontalAdvance(longest), 1.0),
                    0.7 * height / max(metrics.height(), 1.0))
        font.setPointSizeF(min(max(10.0 * scale, COUNT_MIN_POINTS), COUNT_MAX_POINTS))
        for text in self._texts:
            text.setFont(font)

    def _set_frame(self, rows: int, cols: int, labels: list[str] | None = None) -> None:
        """Class ticks at the cell centres (long names on two lines) and the view on the cells."""
        names = ([textwrap.fill(label, 5) for label in labels] if labels
                 else [str(i) for i in range(max(rows, cols))])
        self.plot.getAxis("left").setTicks([[(i + 0.5, names[i]) for i in range(rows)]])
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, names[i]) for i in range(cols)]])
        self.plot.setRange(xRange=(0, cols), yRange=(0, rows), padding=0.02)

    def select(self, true_digit: int, predicted: int) -> None:
        """Mark a cell and announce it (what a click does)."""
        rows, cols = self._matrix.shape
        if 0 <= true_digit < rows and 0 <= predicted < cols:
            self._selection.setRect(predicted, true_digit, 1, 1)
            self._selection.setVisible(True)
            self.cellClicked.emit(true_digit, predicted)

    def _clicked(self, row: int, col: int) -> None:
        self.cursor = (row, col)
        self.select(row, col)

    def describe_cell(self, row: int, col: int) -> str:
        """A cell in words: what it counts."""
        truth, answer = self._labels[row], self._labels[col]
        verb = "recognised" if row == col else f"answered {answer}"
        return f"true {truth}, {verb}: {self._matrix[row, col]:,} images"

    # --- keys --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is not self.plot or event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = event.key()
        if (key not in MOVES and key not in OPEN_KEYS) or \
                event.modifiers() not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # the matrix's keys, not the window's shortcuts
            return True
        rows, cols = self._matrix.shape
        if not rows:
            announce(self, "No counts yet: evaluate the model first.")
            return True
        if key in OPEN_KEYS:
            self.select(*self.cursor)
            return True
        dr, dc = MOVES[key]
        self.cursor = (min(max(self.cursor[0] + dr, 0), rows - 1), min(max(self.cursor[1] + dc, 0), cols - 1))
        self._selection.setRect(self.cursor[1], self.cursor[0], 1, 1)
        self._selection.setVisible(True)
        announce(self, self.describe_cell(*self.cursor))
        return True
