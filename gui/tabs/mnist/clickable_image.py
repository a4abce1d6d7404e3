"""An ImageItem that reports left clicks, in the image's own pixel coordinates.

pyqtgraph's ImageItem ignores clicks; the confusion matrix (click a cell) and the weight mosaic
(click a neuron) both need them.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt


class ClickableImage(pg.ImageItem):
    def __init__(self, on_click: Callable[[QPointF], None]):
        super().__init__(axisOrder="row-major")
        self._on_click = on_click

    def mouseClickEvent(self, event):  # noqa: N802 (pyqtgraph name)
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self._on_click(event.pos())
