"""'Cost of one step': what a step of each method costs as the number of parameters P grows.

The lines are counted (``engine.step_cost.computed_costs``): a trial-and-error sweep is up to 2P loss
evaluations, every up/down/stay combination 3^P, a backprop step one forward and one backward pass.
The points are measured: one sweep timed against one backprop step on the tab's model and on the
13,002-parameter digit network, in a worker thread (the digit network's sweep takes seconds).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from engine.gradient_cost import DEFAULT_LAYERS, format_duration, parameter_count
from engine.step_cost import BACKPROP_FORWARD_PASSES, StepCostProgress, computed_costs, step_cost
from gui.errors import one_line
from gui.plotting import make_plot, pen
from gui.style import BLACK, GREY, METHOD_COLOURS
from gui.widgets.controls import described
from gui.widgets.wrapping_label import WrappingLabel
from gui.worker import JobRunner, stop_requested

P_RANGE = (1, 1e6)          # a million parameters: a small network by today's standards
TOP = 1e12                  # the exhaustive line is drawn until it leaves the plot here


class StepCostView(QWidget):
    """The plot beside its key, a Measure button and what was measured; ``measureRequested`` asks the
    tab for its model and weights."""

    measureRequested = Signal()
    measured = Signal(dict)   # the report of a finished measurement

    big_network = DEFAULT_LAYERS   # the digit network 784-16-16-10, timed beside the tab's model

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.jobs = JobRunner(self)
        self.report: dict | None = None
        self.plot = make_plot("Cost of one step", "parameters P", "backprop steps")
        self.plot.setToolTip("What one step of each method costs, in backprop steps. Lines: counted (a backprop "
                             f"step does the work of about {BACKPROP_FORWARD_PASSES:g} loss evaluations). Points: "
                             "one trial-and-error sweep timed against one backprop step")
        item = self.plot.getPlotItem()
        item.setLogMode(x=True, y=True)
        item.getAxis("left").enableAutoSIPrefix(False)
        p = np.geomspace(*P_RANGE, 200)
        costs = computed_costs(p)
        item.plot(p, costs["trial"], pen=pen(METHOD_COLOURS["trial"]))
        small = np.arange(1, 60)
        exhaustive = computed_costs(small)["exhaustive"]
        shown = exhaustive <= TOP
        item.plot(small[shown], exhaustive[shown], pen=pen(BLACK, style=Qt.PenStyle.DashLine))
        item.plot(p, costs["backprop"], pen=pen(METHOD_COLOURS["gradient"]))
        # a plot item, not a bare scatter: it follows the axes' log mode
        self.points = item.plot([], [], pen=None, symbol="o", symbolSize=11, symbolPen=pg.mkPen(BLACK),
                                symbolBrush=pg.mkBrush(METHOD_COLOURS["trial"]))
        marks = pg.mkPen(GREY, style=Qt.PenStyle.DotLine)
        self.model_line = pg.InfiniteLine(angle=90, pen=marks)
        self.digits_line = pg.InfiniteLine(np.log10(parameter_count(self.big_network)), angle=90, pen=marks)
        for line in (self.model_line, self.digits_line):
            item.addItem(line)
        item.setXRange(0, np.log10(P_RANGE[1]), padding=0.02)
        item.setYRange(-1, np.log10(TOP), padding=0.02)
        item.setMouseEnabled(x=False, y=False)

        # the key beside the plot rather than a legend in it: the page is short, the lines need the room
        self.key = WrappingLabel(min_lines=4, caption="Key", tip="What each line and point of the plot is")
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.measure_button = described(QPushButton("Measure"), "Measure the cost of one step",
                                        "Time one trial-and-error sweep against one backprop step, on this model "
                                        "and on the 13,002-parameter digit network (a few seconds)")
        self.measure_button.clicked.connect(self.measureRequested)
        # a WrappingLabel: a plain wrapped label's height-for-width would pull the tab's plot rows unequal
        self.status = WrappingLabel(min_lines=3, caption="What one step costs",
                                    tip="What the measurement is doing, then one sweep's time against one "
                                        "backprop step's")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        text = QWidget()
        column = QVBoxLayout(text)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for widget in (self.key, self.measure_button, self.status):
            column.addWidget(widget)
        column.addStretch(1)
        # the text scrolls when the page is short (projector mode beside the lesson), never overlaps
        scroller = QScrollArea()
        scroller.setAccessibleName("Key and measurement")
        scroller.setWidget(text)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.plot, 3)
        layout.addWidget(scroller, 2)
        self.jobs.progress.connect(self._on_progress)
        self.jobs.finished.connect(self._on_finished)
        self.jobs.failed.connect(self._on_failed)
        self.jobs.done.connect(self._on_done)
        self.set_model_size(21)

    # ------------------------------------------------------------------------------------------
    def set_model_size(self, parameters: int) -> None:
        """A new model in the tab: mark it, and forget what was measured on the old one."""
        self.parameters = int(parameters)
        self.model_line.setValue(np.log10(self.parameters))
        self.report = None
        self.points.setData([], [])
        self.key.setText(self.key_html())
        if not self.jobs.busy():
            self.status.setText("Press Measure to time one sweep against one backprop step.")

    def key_html(self) -> str:
        """The key, with this model's counts: 2P, 3^P (as a power of ten), and the two dotted lines."""
        p = self.parameters

        def mark(colour: str, symbol: str) -> str:
            return f"<span style='color:{colour}'><b>{symbol}</b></span>"

        return "<br>".join([
            f"{mark(METHOD_COLOURS['trial'], '━')} trial and error: 2P tries",
            f"{mark(BLACK, '╍')} every up/down/stay: 3^P",
            f"{mark(METHOD_COLOURS['gradient'], '━')} backprop: 1 step",
            f"{mark(METHOD_COLOURS['trial'], '●')} measured; {mark(GREY, '┆')} P = {p:,} and "
            f"{parameter_count(self.big_network):,}"])

    def start(self, model, X, y, weights, step: float) -> None:
        """Time the step of both models (called by the tab with its current model and weights)."""
        if self.jobs.busy():
            return
        self.measure_button.setEnabled(False)
        self.status.setText("Timing one sweep of this model …")
        layers = self.big_network
        self.jobs.start(lambda: step_cost(model, X, y, weights, step, layers=layers, should_stop=stop_requested))

    def cancel(self, why: str) -> None:
        if self.jobs.busy():
            self.jobs.cancel()
            self.measure_button.setEnabled(True)
            self.status.setText(why)

    def is_running(self) -> bool:
        return self.jobs.busy()

    # ------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, record: StepCostProgress) -> None:
        if record.model == "digits" and record.report is None:
            self.status.setText(f"Timing one sweep of the digit network: {record.done:,} of "
                                f"{record.parameters:,} weights, {format_duration(record.seconds)} so far …")

    @Slot(object)
    def _on_finished(self, report) -> None:
        if not isinstance(report, dict):
            return
        self.report = report
        models = report["models"]
        self.points.setData([m["parameters"] for m in models], [m["ratio"] for m in models])
        self.status.setText(self.measured_text(report))
        self.measured.emit(report)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.status.setText("The measurement failed: " + one_line(text))

    @Slot(bool)
    def _on_done(self, _stopped: bool) -> None:
        self.measure_button.setEnabled(True)

    @staticmethod
    def measured_text(report: dict) -> str:
        """One sweep against one backprop step, per model: the ratio first, then the times."""
        names = {"search": "this model", "digits": "the digit network"}
        return "One sweep of " + "; of ".join(
            f"{names[m['name']]}: <b>{m['ratio']:,.0f}</b> backprop steps ({format_duration(m['sweep_seconds'])}, "
            f"{m['sweep_evaluations']:,} tries, against {format_duration(m['backprop_seconds'])})"
            for m in report["models"]) + "."
