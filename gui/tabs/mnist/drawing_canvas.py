"""A square canvas to draw a digit with the mouse, white ink on black like MNIST.

The ink is painted with an anti-aliased round brush onto a QImage, so what the user sees is exactly
what the network is given (after MNIST-style preprocessing elsewhere). While the user draws, the
image is sent out as a NumPy array at most a few times a second, and always once when the stroke ends.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from gui.widgets.wrapping_label import WrappingLabel


class DrawingCanvas(QWidget):
    """The drawing surface itself: a fixed-size grey-scale QImage painted with the mouse.

    Signals:
        imageChanged(object): a float32 array (height, width) in [0, 1], 1 = white ink; throttled.
        cleared(): the canvas was wiped.
    """

    imageChanged = Signal(object)
    cleared = Signal()

    def __init__(self, size: int = 280, brush_width: float = 22.0, emit_hz: float = 12.0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._size = int(size)
        self.brush_width = float(brush_width)
        self._image = QImage(self._size, self._size, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self._last_point: QPointF | None = None
        self._has_ink = False
        self.setFixedSize(self._size, self._size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Digit drawing canvas")
        self.setToolTip("Draw a digit with the mouse (white on black). Esc clears.")
        # Throttle: while drawing, emit at most emit_hz times a second.
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(max(1, int(1000 / emit_hz)))
        self._emit_timer.timeout.connect(self._emit_image)

    def sizeHint(self) -> QSize:
        return QSize(self._size, self._size)

    # --- public API --------------------------------------------------------------------------
    def image_array(self) -> np.ndarray:
        """The canvas as float32 (height, width) in [0, 1] (a copy; safe to hand to other code)."""
        width, height = self._image.width(), self._image.height()
        stride = self._image.bytesPerLine()
        raw = np.frombuffer(self._image.constBits(), dtype=np.uint8, count=stride * height)
        pixels = raw.reshape(height, stride)[:, :width]
        return pixels.astype(np.float32) / 255.0

    def is_empty(self) -> bool:
        return not self._has_ink

    @Slot()
    def clear(self) -> None:
        self._image.fill(0)
        self._has_ink = False
        self._last_point = None
        self._emit_timer.stop()
        self.update()
        self.cleared.emit()
        self.imageChanged.emit(self.image_array())

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Paint a polyline in canvas pixels (used by scripted demos; the mouse goes the same way)."""
        if not points:
            return
        self._last_point = QPointF(*points[0])
        self._paint_segment(self._last_point, self._last_point)
        for x, y in points[1:]:
            point = QPointF(x, y)
            self._paint_segment(self._last_point, point)
            self._last_point = point
        self._last_point = None
        self._emit_image()

    # --- painting ----------------------------------------------------------------------------
    def _paint_segment(self, start: QPointF, end: QPointF) -> None:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        # white ink is the input value 1.0 on a black 0.0 page, as in MNIST: data, not a look
        pen = QPen(QColor(Qt.GlobalColor.white), self.brush_width, Qt.PenStyle.SolidLine,
                   Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.drawLine(start, end)
        painter.end()
        self._has_ink = True
        margin = self.brush_width
        dirty = QRectF(start, end).normalized().adjusted(-margin, -margin, margin, margin)
        self.update(dirty.toAlignedRect())

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus()
            self._last_point = event.position()
            self._paint_segment(self._last_point, self._last_point)
            self._request_emit()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._last_point is not None and event.buttons() & Qt.MouseButton.LeftButton:
            point = event.position()
            self._paint_segment(self._last_point, point)
            self._last_point = point
            self._request_emit()
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._last_point is not None:
            self._last_point = None
            self._emit_timer.stop()
            self._emit_image()  # the finished stroke is always delivered
            event.accept()
        else:
            super().mouseReleaseEvent(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            event.accept()
        else:
            super().keyPressEvent(event)

    def _request_emit(self) -> None:
        if not self._emit_timer.isActive():
            self._emit_timer.start()

    @Slot()
    def _emit_image(self) -> None:
        self.imageChanged.emit(self.image_array())


class DrawingPanel(QWidget):
    """The canvas with its Clear button and a hint; forwards the canvas signals.

    Esc clears when the canvas has the keyboard focus; in the main window the Run menu's
    "Clear drawing" (Esc) reaches it through the tab's clear_canvas().
    """

    imageChanged = Signal(object)
    cleared = Signal()

    def __init__(self, size: int = 280, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = DrawingCanvas(size=size, parent=self)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.setToolTip("Wipe the canvas (Esc)")
        self.clear_button.setAccessibleName("Clear drawing")
        self.clear_button.clicked.connect(self.canvas.clear)
        hint = WrappingLabel("Draw one digit, large and centred or not:\nit is cropped, scaled and centred like MNIST.", self)
        hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.canvas.imageChanged.connect(self.imageChanged)
        self.canvas.cleared.connect(self.cleared)
