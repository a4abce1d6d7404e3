"""A slider for a real number, with its name and current value beside it; linear or logarithmic.

QSlider only knows integers, so the slider runs over 0…steps and this widget maps that range onto
[minimum, maximum] — evenly, or evenly in log10 for quantities like learning rates and deltas that
matter by orders of magnitude. For the same reason a screen reader would hear the position (600 of
0–800) rather than the value: the slider's accessible name carries the value in real units
("x₀ = 2.00"), and its object name keeps the plain name, which is what its value is remembered under.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget


class LabelledSlider(QWidget):
    valueChanged = Signal(float)

    def __init__(self, name: str, minimum: float, maximum: float, value: float, *, log: bool = False,
                 steps: int = 1000, decimals: int = 3, tooltip: str = "", spoken_name: str = "",
                 unit: str = "", show_value: bool = True, parent: QWidget | None = None):
        """``spoken_name``: what a reader calls it, when the label beside it says less (or nothing);
        ``unit``: said after the value ("updates per second"); ``show_value=False`` hides the
        value beside the slider where an editable number sits beside it (a reader still hears it)."""
        super().__init__(parent)
        if not minimum < maximum:
            raise ValueError("minimum must be below maximum")
        if log and minimum <= 0:
            raise ValueError("a logarithmic slider needs a positive minimum")
        self._min, self._max, self._log, self._steps, self._decimals = minimum, maximum, log, steps, decimals
        self._name = QLabel(name)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, steps)
        self._value_label = QLabel()
        self._value_label.setMinimumWidth(70)
        self._value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._name)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self._value_label)
        self._value_label.setVisible(show_value)
        self.spoken_name = spoken_name or name
        self._unit = f" {unit}" if unit else ""
        self.slider.setObjectName(self.spoken_name)
        if tooltip:
            self.setToolTip(tooltip)
            self.slider.setToolTip(tooltip)
            self.slider.setAccessibleDescription(tooltip)
        self._value = value
        self.slider.valueChanged.connect(self._on_slider)
        self.setValue(value)

    def _to_position(self, value: float) -> int:
        if self._log:
            a, b, v = math.log10(self._min), math.log10(self._max), math.log10(max(value, self._min))
        else:
            a, b, v = self._min, self._max, value
        return round((min(max(v, a), b) - a) / (b - a) * self._steps)

    def _from_position(self, position: int) -> float:
        t = position / self._steps
        if self._log:
            a, b = math.log10(self._min), math.log10(self._max)
            return 10 ** (a + t * (b - a))
        return self._min + t * (self._max - self._min)

    def _format(self, value: float) -> str:
        if self._log or (value != 0 and abs(value) < 10 ** -self._decimals):
            return f"{value:.{max(1, self._decimals - 1)}g}" if value >= 1e-3 else f"{value:.1e}"
        return f"{value:.{self._decimals}f}"

    def value(self) -> float:
        return self._value

    def setValue(self, value: float) -> None:
        """Set an exact value (kept as given, the slider shows the nearest position)."""
        value = min(max(float(value), self._min), self._max)
        self._value = value
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_position(value))
        self.slider.blockSignals(False)
        self._show(value)
        self.valueChanged.emit(value)

    def _on_slider(self, position: int) -> None:
        self._value = self._from_position(position)
        self._show(self._value)
        self.valueChanged.emit(self._value)

    def _show(self, value: float) -> None:
        text = self._format(value)
        self._value_label.setText(text)
        self.slider.setAccessibleName(f"{self.spoken_name} = {text}{self._unit}")


def real_value(widget):
    """The number a slider stands for: a LabelledSlider's value rather than its inner QSlider's
    position (η = 0.808, not step 808); None for any other widget."""
    parent = widget.parentWidget()
    return parent.value() if isinstance(parent, LabelledSlider) and widget is parent.slider else None
