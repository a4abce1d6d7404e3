"""A logarithmic learning-rate slider that shows, on its own scale, where descent stops working.

Two marks sit under the track: the stability limit 2/λmax (above it plain gradient descent
diverges) and the fastest rate 2/(λmin + λmax). Moving the x range of the data moves the marks,
so a student sees the safe region grow or shrink. Beside the slider a number box gives fine
control: near the limit a pixel of slider is a big step (0.69 to 0.97 in a few pixels), while
the box steps by about 1% (0.69, 0.70, 0.71 …) and takes a typed value.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractSpinBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSlider, QStyle,
                               QVBoxLayout, QWidget)

from gui.style import BEYOND_LIMIT, FASTEST, scaled_font
from gui.widgets.controls import described
from gui.widgets.labelled_slider import LabelledSlider



class _RateMarks(QWidget):
    """Paints the two marks exactly under the positions they have on the slider's track."""

    def __init__(self, slider: QSlider, minimum: float, maximum: float, parent=None):
        super().__init__(parent)
        self._slider = slider
        self._log_min, self._log_max = math.log10(minimum), math.log10(maximum)
        self.marks: list[tuple[float, str, str]] = []  # (value, text, colour)
        self.setMinimumHeight(22)
        self.setAccessibleName("Learning-rate marks")

    def set_marks(self, marks: list[tuple[float, str, str]]) -> None:
        self.marks = marks
        self.update()

    def x_for(self, value: float) -> float:
        """Horizontal pixel of `value` in this widget, matching the slider handle's centre."""
        handle = self._slider.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength, None, self._slider)
        span = max(1, self._slider.width() - handle)
        t = (math.log10(max(value, 1e-300)) - self._log_min) / (self._log_max - self._log_min)
        x_in_slider = handle / 2 + min(max(t, 0.0), 1.0) * span
        return self.mapFromGlobal(self._slider.mapToGlobal(QPoint(round(x_in_slider), 0))).x()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setFont(scaled_font(self.font(), 0.9, minimum_points=7.0))
        metrics = painter.fontMetrics()
        # Marks are sorted by value; the lower one's text ends at its tick, the higher one's starts
        # at its tick, so two close rates (0.749 and 0.789) never print over each other.
        marks = sorted(self.marks)
        for i, (value, text, colour) in enumerate(marks):
            x = self.x_for(value)
            painter.setPen(QPen(QColor(colour), 2))
            painter.drawLine(round(x), 0, round(x), 16)
            width = metrics.horizontalAdvance(text) + 2
            left = x - width - 3 if (i == 0 and len(marks) > 1) else x + 4
            left = min(max(0.0, left), max(0.0, self.width() - width))
            painter.drawText(QRectF(left, 2, width, 18), Qt.AlignmentFlag.AlignLeft, text)
        painter.end()


class DescentRateSlider(QWidget):
    """Log-scale learning rate from `minimum` to `maximum` with stability marks underneath."""

    valueChanged = Signal(float)

    def __init__(self, minimum: float = 1e-4, maximum: float = 2.0, value: float = 0.1, parent=None):
        super().__init__(parent)
        tip = ("Learning rate η of the selected run (logarithmic). Marks: the stability limit 2/λmax "
               "(above it plain gradient descent diverges) and the fastest rate 2/(λmin+λmax).")
        self.slider = LabelledSlider("η", minimum, maximum, value, log=True, steps=1000, decimals=4, tooltip=tip,
                                     show_value=False)
        self.slider.setAccessibleName("Learning rate slider")
        self.fine = described(QDoubleSpinBox(), "Learning rate, exactly",
                              "The selected run's learning rate: type it, or step it by about 1% with the arrows")
        self.fine.setDecimals(4)
        self.fine.setRange(minimum, maximum)
        self.fine.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)
        self.fine.setKeyboardTracking(False)   # a typed number counts when it is complete
        self.fine.setValue(value)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.fine)
        self.marks = _RateMarks(self.slider.slider, minimum, maximum)
        self.marks.setToolTip(tip)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("Stability limit and fastest rate")
        self.caption.setToolTip("Computed from the Hessian of the mean squared error for the current data")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.marks)
        layout.addWidget(self.caption)
        self.slider.valueChanged.connect(self._show_exactly)
        self.slider.valueChanged.connect(self.valueChanged)
        self.fine.valueChanged.connect(self.slider.setValue)

    def value(self) -> float:
        return self.slider.value()

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt naming)
        self.slider.setValue(value)
        self._show_exactly(self.slider.value())   # also when the caller blocked the slider's signals

    def _show_exactly(self, value: float) -> None:
        self.fine.blockSignals(True)
        self.fine.setValue(value)
        self.fine.blockSignals(False)

    def set_limits(self, stability_limit: float, fastest: float, eigenvalues=None) -> None:
        """Place the two marks and say in words what they mean (eigenvalues go in the tooltip)."""
        if eigenvalues is not None:
            lo, hi = eigenvalues
            self.caption.setToolTip(f"Hessian of the mean squared error: λmin = {lo:.4g}, λmax = {hi:.4g}. "
                                    f"Plain gradient descent converges only for η < 2/λmax.")
        self.marks.set_marks([(stability_limit, f"limit {stability_limit:.3g}", BEYOND_LIMIT),
                              (fastest, f"fastest {fastest:.3g}", FASTEST)])
        self.caption.setText(
            f"<span style='color:{BEYOND_LIMIT}'>■</span> stability limit 2/λmax = <b>{stability_limit:.3g}</b> "
            f"&nbsp; <span style='color:{FASTEST}'>■</span> fastest 2/(λmin+λmax) = <b>{fastest:.3g}</b>")
