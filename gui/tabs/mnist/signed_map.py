"""A signed 28×28 map over the digit it belongs to: a saliency map with the strokes outlined on top.

The colours are the weight images' (blue: negative, pale: zero, orange: positive) on a symmetric
scale, so zero is always the pale middle; the digit's outline (where the ink reaches half strength)
is drawn over it, so one sees at once whether the map lies on the strokes or beside them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.plotting import three_colour_map
from gui.style import BLACK, DARK_BACKGROUND, WEIGHT_COLOURS
from gui.tabs.mnist.weight_grid import symmetric_limit
from gui.widgets.controls import described
from gui.widgets.readout import Readout


class SignedMap(QWidget):
    """`set_map(values, digit)` with two 28×28 arrays; `set_map(None)` empties it."""

    def __init__(self, name: str, tip: str, size: int = 200, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = described(pg.GraphicsLayoutWidget(self), name, tip)
        self.view.setBackground(DARK_BACKGROUND)
        self.view.setMinimumSize(size, size)
        self.box = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setColorMap(three_colour_map(WEIGHT_COLOURS))
        self.box.addItem(self.image)
        self.outline = pg.IsocurveItem(level=0.5, pen=pg.mkPen(BLACK, width=1.5), axisOrder="row-major")
        self.outline.setParentItem(self.image)
        self.box.setRange(xRange=(0, 28), yRange=(0, 28), padding=0)
        self.caption = Readout(f"{name}, caption", parent=self)
        self.caption.setWordWrap(True)
        # two lines always, so maps side by side stay the same size whatever their captions say
        self.caption.setMinimumHeight(2 * self.caption.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.caption)
        self._values: np.ndarray | None = None
        self.set_map(None)

    def values(self) -> np.ndarray | None:
        return None if self._values is None else self._values.copy()

    def set_map(self, values: np.ndarray | None, digit: np.ndarray | None = None, caption: str = "") -> None:
        if values is None:
            self._values = None
            self.image.setImage(np.zeros((28, 28)), levels=(-1, 1), autoLevels=False)
            self.outline.setData(None)
            self.caption.setText(caption or "No digit yet")
            return
        self._values = np.asarray(values, dtype=np.float64).reshape(28, 28).copy()
        limit = symmetric_limit(self._values)
        self.image.setImage(self._values, levels=(-limit, limit), autoLevels=False)
        # the isocurve runs through pixel centres; the image's pixels span [i, i + 1]
        self.outline.setData(None if digit is None else np.asarray(digit, dtype=np.float64).reshape(28, 28))
        self.outline.setPos(0.5, 0.5)
        self.caption.setText(caption)
