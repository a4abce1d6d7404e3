"""The one-parameter lesson: fit y = w·x through (1, 2), (2, 4), (3, 6) by following the slope.

L(w) is a parabola with its bottom at w = 2. The tangent at the current w shows the derivative:
negative left of the bottom (so increase w), positive right of it (so decrease w). Each press of
Step applies w ← w − η·dL/dw and leaves the step drawn on the curve.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QPushButton, QVBoxLayout, QWidget

from engine.descent import one_parameter_loss, one_parameter_slope, one_parameter_steps, one_parameter_tangent
from gui.accessibility import describe, spoken
from gui.plotting import make_plot, pen
from gui.style import BLACK, BLUE, GREY, VERMILLION
from gui.widgets.controls import described, number_box
from gui.widgets.wrapping_label import WrappingLabel

W_VIEW = (-0.5, 4.5)
TANGENT_HALF_WIDTH = 0.9
PLOT_LINES = 7   # minimum height of the plot, in lines of text: title, axis and a readable curve


class DescentOneParameterLesson(QWidget):
    """L(w) with its tangent at the current w, the sign of dL/dw, and the steps taken so far."""

    stepped = Signal(float)  # the new w

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("One-parameter lesson")
        self.plot = make_plot("One weight: y = w·x", "w", "L(w)")
        self.plot.setToolTip("The error L(w) = mean((w·x − y)²) of y = w·x through (1, 2), (2, 4) and (3, 6). "
                             "Click the curve to move w; Step follows the tangent's slope downhill.")
        item = self.plot.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.setMenuEnabled(False)
        item.hideButtons()
        grid = np.linspace(*W_VIEW, 201)
        item.plot(grid, one_parameter_loss(grid), pen=pen(GREY, width=2))
        self.tangent = item.plot(pen=pen(VERMILLION, width=2, style=Qt.PenStyle.DashLine))
        self.path = item.plot(pen=pen(BLUE, width=1.5), symbol="o", symbolSize=6,
                              symbolBrush=BLUE, symbolPen=None)
        self.point = pg.ScatterPlotItem(size=14, brush=VERMILLION, pen=pg.mkPen(BLACK))
        item.addItem(self.point)
        item.setXRange(*W_VIEW, padding=0)
        item.setYRange(-1.0, float(one_parameter_loss(W_VIEW[1])) * 1.05, padding=0)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

        self.start_box = number_box(*W_VIEW, 1.0, "One-parameter start w",
                                    "Where the descent starts (1 and 3 are the lesson's examples)",
                                    step=0.1, decimals=2)
        self.start_box.setPrefix("start w = ")
        self.rate_box = number_box(0.001, 0.3, 0.05, "One-parameter learning rate",
                                   "Learning rate of the one-parameter descent; above 2/L'' ≈ 0.214 it overshoots "
                                   "and diverges", step=0.01, decimals=3)
        self.rate_box.setPrefix("η = ")
        self.step_button = described(QPushButton("Step"), "Step one parameter", "Apply one update w ← w − η·dL/dw")
        self.reset_button = described(QPushButton("Reset"), "Reset one parameter",
                                      "Go back to the start w and forget the steps")
        # room for two lines always: the plot does not jump each step
        self.readout = WrappingLabel(min_lines=2, caption="Slope readout",
                                     tip="The derivative at the current w and what its sign says")
        self.readout.setTextFormat(Qt.TextFormat.RichText)

        controls = QGridLayout()  # two by two: narrow enough to sit beside the lesson panel
        controls.addWidget(self.start_box, 0, 0)
        controls.addWidget(self.rate_box, 0, 1)
        controls.addWidget(self.step_button, 1, 0)
        controls.addWidget(self.reset_button, 1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(controls)
        layout.addWidget(self.readout)

        self._keep_plot_readable()
        self.step_button.clicked.connect(self.step)
        self.reset_button.clicked.connect(self.reset)
        self.start_box.valueChanged.connect(lambda _value: self.reset())
        self.history: list[float] = []
        self.reset()

    def _keep_plot_readable(self) -> None:
        """The buttons and the readout take their room first; the curve keeps enough lines of height."""
        self.plot.setMinimumHeight(PLOT_LINES * self.fontMetrics().lineSpacing())

    def changeEvent(self, event) -> None:  # noqa: N802 (projector mode's larger font)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_plot_readable()

    @property
    def w(self) -> float:
        return self.history[-1]

    def reset(self) -> None:
        self.history = [float(self.start_box.value())]
        self._draw()

    def step(self) -> None:
        *_, (new_w, _loss, _slope) = one_parameter_steps(self.w, self.rate_box.value(), steps=1)
        if not np.isfinite(new_w) or abs(new_w) > 1e6:
            self.readout.setText("The steps grew without bound: the learning rate is too large. Press Reset.")
            self.readout.announce(urgent=True)
            return
        self.history.append(float(new_w))
        self._draw()
        self.readout.announce()
        self.stepped.emit(float(new_w))

    def _draw(self) -> None:
        w = self.w
        ws = np.array(self.history)
        self.path.setData(ws, one_parameter_loss(ws))
        self.point.setData([w], [float(one_parameter_loss(w))])
        around = np.array([w - TANGENT_HALF_WIDTH, w + TANGENT_HALF_WIDTH])
        self.tangent.setData(around, one_parameter_tangent(w, around))
        slope = one_parameter_slope(w)
        if abs(slope) < 1e-9:
            advice = "= 0: the minimum, w stays"
        elif slope < 0:
            advice = "&lt; 0: the error falls to the right, so <b>increase w</b>"
        else:
            advice = "&gt; 0: the error rises to the right, so <b>decrease w</b>"
        self.readout.setText(f"step {len(self.history) - 1}: w = {w:.3f}, dL/dw = {slope:+.3f} {advice}")
        describe(self.plot, "The error L(w) of y = w·x through (1, 2), (2, 4), (3, 6), lowest at w = 2, with the "
                            f"tangent at the current w and the steps taken. L(w) = {float(one_parameter_loss(w)):.4f}; "
                            f"{spoken(self.readout.text())}.")

    def _on_click(self, event) -> None:
        vb = self.plot.getPlotItem().getViewBox()
        if event.button() != Qt.MouseButton.LeftButton or not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        event.accept()
        self.start_box.setValue(float(np.clip(vb.mapSceneToView(event.scenePos()).x(), *W_VIEW)))
