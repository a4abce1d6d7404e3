"""A logarithmic learning-rate slider that shows, on its own scale, where descent stops working.

A coloured strip under the track shows the three regimes of plain full-batch descent, computed
from the Hessian's eigenvalues: smooth up to 1/λmax, oscillating but converging up to the stability
limit 2/λmax, diverging above it. Marks sit at 1/λmax, at the fastest rate 2/(λmin + λmax) and at
the limit. Moving the x range of the data moves them all, so a student sees the safe region grow
or shrink; a line under the slider names the regime of the selected rate. Beside the slider a
number box gives fine control: near the limit a pixel of slider is a big step (0.69 to 0.97 in a
few pixels), while the box steps by about 1% (0.69, 0.70, 0.71 …) and takes a typed value.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QHBoxLayout, QSlider, QStyle, QVBoxLayout, QWidget

from gui.style import BEYOND_LIMIT, FASTEST, REGIME_COLOURS, ZIGZAG, scaled_font, text_shade
from gui.widgets.controls import described
from gui.widgets.labelled_slider import LabelledSlider
from gui.widgets.readout import Readout

STRIP_HEIGHT = 4


class _RateMarks(QWidget):
    """Paints the regime strip and the marks exactly under the positions they have on the slider's track."""

    def __init__(self, slider: QSlider, minimum: float, maximum: float, parent=None):
        super().__init__(parent)
        self._slider = slider
        self._minimum, self._maximum = minimum, maximum
        self._log_min, self._log_max = math.log10(minimum), math.log10(maximum)
        self.marks: list[tuple[float, str, str]] = []  # (value, text, colour), most important first
        self.regions: list[tuple[float, float, str]] = []  # (from, to, colour) along the track
        self.setMinimumHeight(22 + STRIP_HEIGHT)
        self.setAccessibleName("Learning-rate marks")

    def set_marks(self, marks: list[tuple[float, str, str]], regions=()) -> None:
        self.marks = marks
        self.regions = list(regions)
        self.update()

    def x_for(self, value: float) -> float:
        """Horizontal pixel of `value` in this widget, matching the slider handle's centre."""
        handle = self._slider.style().pixelMetric(QStyle.PixelMetric.PM_SliderLength, None, self._slider)
        span = max(1, self._slider.width() - handle)
        t = (math.log10(max(value, 1e-300)) - self._log_min) / (self._log_max - self._log_min)
        x_in_slider = handle / 2 + min(max(t, 0.0), 1.0) * span
        return self.mapFromGlobal(self._slider.mapToGlobal(QPoint(round(x_in_slider), 0))).x()

    def label_boxes(self, width_of) -> list[tuple[float, float] | None]:
        """Where each mark's text goes, as (left, width), or None when it fits nowhere.

        Most important mark first, a text goes right of its tick, else left of it, wherever it
        overlaps neither an earlier text nor another tick; so close rates (0.749 and 0.789) never
        print over each other, and a text that finds no room is left to the caption.
        """
        ticks = [self.x_for(value) for value, _, _ in self.marks]
        placed: list[tuple[float, float]] = []
        boxes: list[tuple[float, float] | None] = []
        for i, (x, (_, text, _)) in enumerate(zip(ticks, self.marks)):
            width = width_of(text) + 2
            box = None
            for left in (x + 4, x - width - 3):
                right = left + width
                inside = 0 <= left and right <= self.width()
                clear = all(right <= a or left >= a + w for a, w in placed)
                clear = clear and all(not (left - 2 <= t <= right + 2) for j, t in enumerate(ticks) if j != i)
                if inside and clear:
                    box = (left, width)
                    break
            boxes.append(box)
            if box is not None:
                placed.append(box)
        return boxes

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for low, high, colour in self.regions:
            left, right = self.x_for(max(low, self._minimum)), self.x_for(min(high, self._maximum))
            if right > left:
                painter.fillRect(QRectF(left, 0, right - left, STRIP_HEIGHT), QColor(colour))
        painter.setFont(scaled_font(self.font(), 0.9, minimum_points=7.0))
        metrics = painter.fontMetrics()
        boxes = self.label_boxes(metrics.horizontalAdvance)
        for (value, text, colour), box in zip(self.marks, boxes):
            x = self.x_for(value)
            painter.setPen(QPen(QColor(colour), 2))
            painter.drawLine(round(x), 0, round(x), 16 + STRIP_HEIGHT)
            if box is not None:
                painter.setPen(QColor(text_shade(colour)))  # the tick in the palette colour, the text darker
                painter.drawText(QRectF(box[0], 2 + STRIP_HEIGHT, box[1], 18), Qt.AlignmentFlag.AlignLeft, text)
        painter.end()


class DescentRateSlider(QWidget):
    """Log-scale learning rate from `minimum` to `maximum` with the regimes and marks underneath."""

    valueChanged = Signal(float)

    def __init__(self, minimum: float = 1e-4, maximum: float = 2.0, value: float = 0.1, parent=None):
        super().__init__(parent)
        tip = ("Learning rate η of the selected run (logarithmic). Under the track, the regimes of plain "
               "full-batch descent: smooth up to 1/λmax, oscillating but converging up to the stability "
               "limit 2/λmax, diverging above it; and the fastest rate 2/(λmin+λmax).")
        self.slider = LabelledSlider("η", minimum, maximum, value, log=True, steps=1000, decimals=4, tooltip=tip,
                                     show_value=False)
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
        self.caption = Readout("Regimes, stability limit and fastest rate",
                               "Computed from the Hessian of the mean squared error for the current data")
        self.caption.setWordWrap(True)
        self.regime_label = Readout("Regime of the selected rate")
        self.regime_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(row)
        layout.addWidget(self.marks)
        layout.addWidget(self.caption)
        layout.addWidget(self.regime_label)
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
        """Place the strip and the marks and say in words what they mean (eigenvalues go in the tooltip).

        1/λmax is half the stability limit 2/λmax, whatever the data.
        """
        smooth = stability_limit / 2
        if eigenvalues is not None:
            lo, hi = eigenvalues
            self.caption.setToolTip(f"Hessian of the mean squared error: λmin = {lo:.4g}, λmax = {hi:.4g}. "
                                    f"Plain gradient descent converges only for η < 2/λmax.")
        self.marks.set_marks([(stability_limit, f"limit {stability_limit:.3g}", BEYOND_LIMIT),
                              (smooth, f"1/λmax {smooth:.3g}", ZIGZAG),
                              (fastest, f"fastest {fastest:.3g}", FASTEST)],
                             [(0.0, smooth, REGIME_COLOURS["smooth"]),
                              (smooth, stability_limit, REGIME_COLOURS["oscillating"]),
                              (stability_limit, math.inf, REGIME_COLOURS["diverging"])])
        self.caption.setText(
            f"<span style='color:{REGIME_COLOURS['smooth']}'>■</span> smooth to 1/λmax = <b>{smooth:.3g}</b> "
            f"<span style='color:{REGIME_COLOURS['oscillating']}'>■</span> oscillating to the stability "
            f"limit 2/λmax = <b>{stability_limit:.3g}</b> <span style='color:{REGIME_COLOURS['diverging']}'>■</span> "
            f"diverging &nbsp; <span style='color:{FASTEST}'>■</span> fastest 2/(λmin+λmax) = <b>{fastest:.3g}</b>")

    def show_regime(self, text: str) -> None:
        """One line on the selected rate: its regime, or that the method is judged from its loss."""
        self.regime_label.setText(text)
