"""A small view of one 28×28 grey image (white ink on black), e.g. what the network really sees."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.accessibility import describe
from gui.style import BLACK
from gui.widgets.wrapping_label import WrappingLabel


class DigitImage(QWidget):
    """Shows a grey image in [0, 1] with a caption; `set_image(None)` shows an empty black square."""

    def __init__(self, caption: str = "", size: int = 140, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.setBackground(BLACK)  # MNIST ink is white on black
        self.view.setFixedSize(size, size)
        self.view.setAccessibleName(caption or "Digit image")
        self.box = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
        self.item = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.item)
        self.caption = WrappingLabel(caption, self)   # a plain label until a caption is given
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(self.caption)
        self._image: np.ndarray | None = None
        self.set_image(None)

    def image(self) -> np.ndarray | None:
        return None if self._image is None else self._image.copy()

    def set_image(self, image: np.ndarray | None, shape: tuple[int, int] = (28, 28)) -> None:
        if image is None:
            self._image = None
            shown = np.zeros(shape)
        else:
            shown = np.asarray(image, dtype=np.float64)
            if shown.ndim == 1:
                shown = shown.reshape(shape)
            self._image = shown.copy()
        self.item.setImage(shown, levels=(0.0, 1.0), autoLevels=False)
        ink = float(np.mean(shown > 0.5))
        describe(self.view, f"{self.caption.text()}: " + ("an empty 28×28 picture, until there is a digit to show." if image is None else
                                                           f"{100 * ink:.0f}% of its pixels are bright ink."))
        self.box.setRange(xRange=(0, shown.shape[1]), yRange=(0, shown.shape[0]), padding=0)
