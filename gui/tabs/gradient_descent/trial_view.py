"""Trial and error beside gradient descent: its controls, and its run drawn on the tab's plots.

Ticked, one trial-and-error run (``engine.descent_trial``) starts from the same point as the
learning rates' runs, with a budget of as many loss evaluations as they make passes over the data.
It appears on every plot in its own colour: a staircase on the loss surface, its loss against loss
evaluations, a dashed fitted line, and the length of each of its steps. Playback shows it after the
same number of passes over the data as the gradient runs have made.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QHBoxLayout

from engine.descent_trial import DEFAULT_STEP, TrialRun
from engine.trial_and_error import STEP_RULE_DESCRIPTIONS, STEP_RULE_TITLES, ended_because
from gui.plotting import pen
from gui.style import TRIAL_AND_ERROR
from gui.tabs.gradient_descent.loss_surface import DescentLossSurface
from gui.tabs.gradient_descent.step_sizes import StepSizePlot
from gui.widgets.controls import choice_box, described, number_box

LINE_WIDTH = 2.5


class TrialControls(QGroupBox):
    """Whether trial and error runs beside the gradient runs, its step, and its step rule."""

    changed = Signal()

    def __init__(self, parent=None):
        super().__init__("Trial and error", parent)
        self.setToolTip("Try w up, else down, by the step, keeping a change only if the loss falls; then b; "
                        "and again. Only 'better or worse', never 'how much' or 'which way'")
        self.show_check = described(QCheckBox("show beside gradient descent"),
                                    "show beside gradient descent: trial and error",
                                    "Run trial and error from the same start, with as many loss evaluations "
                                    "as the gradient runs make passes over the data",
                                    key="Show trial and error")
        self.step_spin = number_box(0.001, 2.0, DEFAULT_STEP, "Trial step", "How far w or b moves on each try",
                                    step=0.01, decimals=3)
        self.rule_combo = choice_box([(title.capitalize(), rule) for rule, title in STEP_RULE_TITLES.items()],
                                     "Trial and error step rule",
                                     "; ".join(f"{STEP_RULE_TITLES[rule]}: {text}" for rule, text
                                               in STEP_RULE_DESCRIPTIONS.items()), key="Trial step rule")
        row = QHBoxLayout()
        row.addWidget(self.step_spin)
        row.addWidget(self.rule_combo, 1)
        form = QFormLayout(self)
        form.addRow(self.show_check)
        form.addRow("step", row)
        self.show_check.toggled.connect(self._on_toggled)
        self.step_spin.valueChanged.connect(self.changed)
        self.rule_combo.currentIndexChanged.connect(self.changed)
        self._on_toggled(False)

    def enabled(self) -> bool:
        return self.show_check.isChecked()

    def settings(self) -> tuple[float, str]:
        return self.step_spin.value(), self.rule_combo.currentData()

    def _on_toggled(self, on: bool) -> None:
        self.step_spin.setEnabled(on)
        self.rule_combo.setEnabled(on)
        self.changed.emit()


class TrialOverlay(QObject):
    """Trial and error's run on the tab's four plots; ``draw(passes)`` shows it after that many passes."""

    legend_name = "trial"  # its method's short name, as in Random Search: a narrow plot's legend keeps a line

    def __init__(self, surface: DescentLossSurface, loss_plot: pg.PlotWidget, fit_plot: pg.PlotWidget,
                 steps_plot: StepSizePlot, parent=None):
        super().__init__(parent)
        self.run: TrialRun | None = None
        self.surface, self.steps_plot = surface, steps_plot
        self.loss_curve = loss_plot.getPlotItem().plot([], [], pen=pen(TRIAL_AND_ERROR, width=LINE_WIDTH))
        self.fit_line = fit_plot.getPlotItem().plot([], [], pen=pen(TRIAL_AND_ERROR, width=LINE_WIDTH,
                                                                    style=Qt.PenStyle.DashLine))
        self.loss_curve.setZValue(5)

    def set_run(self, run: TrialRun | None) -> None:
        self.run = run
        if run is None:
            for item in (self.loss_curve, self.fit_line):
                item.setData([], [])
            self.surface.set_trial_path(np.zeros(0), np.zeros(0))
            self.steps_plot.show_trial(np.zeros(0))

    def draw(self, passes: float, x_ends: np.ndarray) -> None:
        """The run as it stood after `passes` loss evaluations: path, loss, fitted line, step sizes."""
        run = self.run
        if run is None:
            return
        k = run.index_at(passes)
        self.surface.set_trial_path(run.w[:k + 1], run.b[:k + 1])
        tries = np.arange(0, min(passes, run.total_tries) + 1)
        self.loss_curve.setData(tries, run.loss_after(tries))
        self.fit_line.setData(x_ends, run.w[k] * x_ends + run.b[k])
        self.steps_plot.show_trial(run.step_sizes[1:k + 1])

    def extent(self) -> tuple[list[float], list[float]]:
        """The w and b values the surface must show for the whole run."""
        if self.run is None:
            return [], []
        return [float(self.run.w.min()), float(self.run.w.max())], [float(self.run.b.min()), float(self.run.b.max())]

    def summary_html(self, passes: float | None = None, brief: bool = False) -> str:
        """Where the run stands after `passes` loss evaluations; at its end (or without `passes`),
        how it ended: ``brief``, only why it stopped and after how many evaluations."""
        run = self.run
        if run is None:
            return ""
        head = f"<span style='color:{TRIAL_AND_ERROR}'>■</span> <b>trial and error, step {run.step:g}</b>"
        if passes is not None and passes < run.total_tries:
            k = run.index_at(passes)
            return f"{head}: loss {run.loss[k]:.4g}, w = {run.w[k]:.3f}, b = {run.b[k]:.3f}"
        where = f"{head}: loss {run.final_loss:.4g}, w = {run.w[-1]:.3f}, b = {run.b[-1]:.3f}"
        why = ended_because(run.reason, run.step)
        if brief:
            return f"{where}; {why.split(':')[0]} after {run.total_tries + 1} loss evaluations"
        per = run.tries_per_parameter_per_sweep()
        return f"{where}; {run.total_tries + 1} loss evaluations, {per:.2f} per parameter per sweep; {why}"
