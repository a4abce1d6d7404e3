"""A square canvas to draw a digit with the mouse, white ink on black like MNIST.

The ink is painted with an anti-aliased round brush onto a QImage for the user to see. The canvas
also keeps every stroke as the list of points the pen went through: the network is given those
strokes redrawn with MNIST's pen (engine.mnist.preprocess), so the brush and the size of the
drawing do not matter. While the user draws, the drawing is sent out at most a few times a
second, and always once when the stroke ends.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from engine.mnist.preprocess import preprocess_drawing, preprocess_strokes
from gui.accessibility import describe
from gui.focus import ASK_FOR_RING
from gui.widgets.controls import described
from gui.widgets.wrapping_label import WrappingLabel


@dataclass(frozen=True)
class Drawing:
    """What is on the canvas, as copies: the strokes as the pen went and the picture on screen."""

    strokes: list[np.ndarray]   # one (points, 2) float array of (x, y) canvas pixels per stroke
    image: np.ndarray           # (side, side) float32 in [0, 1], 1 = white ink
    side: int                   # the canvas's width and height in pixels
    picture: bool = False       # a test digit or a file is on the canvas: no strokes tell its shape


def prepared_input(drawing: Drawing) -> np.ndarray | None:
    """The (28, 28) image a network is given for a drawing, prepared like MNIST; None if empty.

    Strokes are redrawn with MNIST's pen; a picture put on the canvas (a test digit, a file) has
    no strokes and is prepared from its pixels.
    """
    if drawing.picture:
        return preprocess_drawing(drawing.image)
    return preprocess_strokes(drawing.strokes, drawing.side)


class DrawingCanvas(QWidget):
    """The drawing surface itself: a fixed-size grey-scale QImage painted with the mouse.

    Signals:
        drawingChanged(object): a `Drawing`; throttled while the pen moves.
        cleared(): the canvas was wiped.
    """

    drawingChanged = Signal(object)
    cleared = Signal()

    def __init__(self, size: int = 280, brush_width: float = 22.0, emit_hz: float = 12.0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._size = int(size)
        self.brush_width = float(brush_width)
        self._image = QImage(self._size, self._size, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self._last_point: QPointF | None = None
        self._strokes: list[list[tuple[float, float]]] = []
        self._has_ink = False
        self._picture = False
        self.setFixedSize(self._size, self._size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty(ASK_FOR_RING, True)  # a black square shows no focus by itself
        self.setAccessibleName("Digit drawing canvas")
        self.setToolTip("Draw a digit with the mouse (white on black). Esc clears.")
        # Throttle: while drawing, emit at most emit_hz times a second.
        self._emit_timer = QTimer(self)
        self._emit_timer.setSingleShot(True)
        self._emit_timer.setInterval(max(1, int(1000 / emit_hz)))
        self._emit_timer.timeout.connect(self._emit_drawing)

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

    def strokes(self) -> list[np.ndarray]:
        """Every stroke so far as a (points, 2) array of (x, y) canvas pixels (copies)."""
        return [np.array(stroke, dtype=np.float64).reshape(-1, 2) for stroke in self._strokes]

    def drawing(self) -> Drawing:
        return Drawing(self.strokes(), self.image_array(), self._size, self._picture)

    def is_empty(self) -> bool:
        return not self._has_ink

    @Slot()
    def clear(self) -> None:
        self._image.fill(0)
        self._strokes.clear()
        self._has_ink = False
        self._picture = False
        self._last_point = None
        self._emit_timer.stop()
        self.update()
        self.cleared.emit()
        self._emit_drawing()

    def show_picture(self, ink: np.ndarray) -> None:
        """Put a picture on the canvas in place of the drawing: ``ink`` (height, width) in [0, 1],
        1 = ink, scaled to fill the canvas with its shape kept (a test digit, an opened file)."""
        ink = np.ascontiguousarray(np.clip(np.asarray(ink, dtype=np.float64), 0.0, 1.0) * 255, dtype=np.uint8)
        height, width = ink.shape
        picture = QImage(ink.data, width, height, width, QImage.Format.Format_Grayscale8).scaled(
            self._size, self._size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self._image.fill(0)
        self._strokes.clear()
        self._picture = True
        painter = QPainter(self._image)
        painter.drawImage((self._size - picture.width()) // 2, (self._size - picture.height()) // 2, picture)
        painter.end()
        self._has_ink = bool(ink.any())
        self._last_point = None
        self.update()
        self._emit_drawing()

    def draw_stroke(self, points: list[tuple[float, float]]) -> None:
        """Paint a polyline in canvas pixels (used by scripted demos; the mouse goes the same way)."""
        if not points:
            return
        self._begin_stroke(QPointF(*points[0]))
        for x, y in points[1:]:
            self._continue_stroke(QPointF(x, y))
        self._last_point = None
        self._emit_drawing()

    # --- painting ----------------------------------------------------------------------------
    def _begin_stroke(self, point: QPointF) -> None:
        self._strokes.append([(point.x(), point.y())])
        self._last_point = point
        self._paint_segment(point, point)

    def _continue_stroke(self, point: QPointF) -> None:
        self._strokes[-1].append((point.x(), point.y()))
        self._paint_segment(self._last_point, point)
        self._last_point = point

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
            self._begin_stroke(event.position())
            self._request_emit()
            event.accept()
        else:
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if self._last_point is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self._continue_stroke(event.position())
            self._request_emit()
            event.accept()
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._last_point is not None:
            self._last_point = None
            self._emit_timer.stop()
            self._emit_drawing()  # the finished stroke is always delivered
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
    def _emit_drawing(self) -> None:
        drawing = self.drawing()
        describe(self, "A square to draw a digit on, white ink on black. " + (
            "Empty." if not self._has_ink else f"Ink covers {100 * float(np.mean(drawing.image > 0.5)):.0f}% of it."))
        self.drawingChanged.emit(drawing)


class DrawingPanel(QWidget):
    """The canvas with its buttons and a hint; forwards the canvas signals.

    Esc clears when the canvas has the keyboard focus; in the main window the Run menu's
    "Clear drawing" (Esc) reaches it through the tab's clear_canvas(). Who cannot draw with a
    mouse gets a digit onto the canvas with "Use a test digit" or "Open a picture…" (the page
    acts on ``testDigitWanted`` and ``pictureWanted``).
    """

    drawingChanged = Signal(object)
    cleared = Signal()
    testDigitWanted = Signal()
    pictureWanted = Signal()

    def __init__(self, size: int = 280, parent: QWidget | None = None):
        super().__init__(parent)
        self.canvas = DrawingCanvas(size=size, parent=self)
        self.clear_button = described(QPushButton("Clear", self), "Clear", "Wipe the canvas (Esc)", key="Clear drawing")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.test_digit_button = described(QPushButton("Use a test digit", self), "Use a test digit",
                                           "Put a digit from the MNIST test set on the canvas (needs MNIST)")
        self.test_digit_button.setEnabled(False)
        self.test_digit_button.clicked.connect(self.testDigitWanted)
        self.open_button = described(QPushButton("Open a picture…", self), "Open a picture",
                                     "Put a picture of a digit from a file on the canvas (PNG, JPEG, BMP, …)")
        self.open_button.clicked.connect(self.pictureWanted)
        hint = WrappingLabel("Draw one digit, large or small, anywhere: it is redrawn with MNIST's pen, "
                             "scaled to 20 px and centred like MNIST.", self)
        hint.setWordWrap(True)
        row = QGridLayout()  # two rows: no wider than the canvas, also in projector mode
        row.addWidget(self.clear_button, 0, 0)
        row.addWidget(self.open_button, 0, 1)
        row.addWidget(self.test_digit_button, 1, 0, 1, 2)
        row.setColumnStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.canvas)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.canvas.drawingChanged.connect(self.drawingChanged)
        self.canvas.cleared.connect(self.cleared)
