"""Gradient Descent tab: the update w ← w − η·∂L/∂w, learning rates, and the loss surface.

Several learning rates run from the same start on ŷ = w·x + b. The loss curves, the fitted lines
and the paths on the loss surface play back together, one update at a time or animated. The
learning-rate slider re-runs the selected rate live and shows where descent stops working
(2/λmax). Runs are computed in a worker thread (a newer request supersedes an older one);
playback is a QTimer; drawing is throttled.
"""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from engine.descent import (
    BATCH_PHRASES,
    DEFAULT_LEARNING_RATES,
    REGIME_TITLES,
    X_RANGES,
    DescentSettings,
    batch_size_for,
    collect_runs,
    is_plain_full_batch,
    loss_grid,
    make_problem,
    outcome_text,
    random_start,
)
from engine.descent_trial import trial_run
from engine.optimizers import OPTIMIZERS, optimizer_kind
from gui.accessibility import describe
from gui.errors import one_line
from gui.plot_text import add_legend, set_title
from gui.plotting import Throttle, cache_axes, make_plot, pen, set_axis_label, shape
from gui.settings_store import BadSetting, integer, list_of, number, optional, state_value
from gui.style import BEYOND_LIMIT, BLACK, ERROR_TEXT, GREY, REGIME_COLOURS, RUN_COLOURS, text_shade
from gui.tabs.base import LessonTab, TabAction
from gui.tabs.gradient_descent.loss_surface import DescentLossSurface
from gui.tabs.gradient_descent.one_parameter import DescentOneParameterLesson
from gui.tabs.gradient_descent.playback import DescentPlayback
from gui.tabs.gradient_descent.plots import fast_curve, thinned
from gui.tabs.gradient_descent.rate_panel import MAX_RATE, DescentRatePanel
from gui.tabs.gradient_descent.step_sizes import StepSizePlot, update_lengths
from gui.tabs.gradient_descent.trial_view import TrialControls, TrialOverlay
from gui.widgets.control_column import ControlColumn
from gui.widgets.controls import choice_box, described, number_box
from gui.widgets.readout import Readout
from gui.widgets.wrapping_label import WrappingLabel
from gui.worker import JobRunner, stop_requested

REDRAW_HZ = 25
SUMMARY_HZ = 4   # the run results follow playback this often: readable, not flickering
TEXT_HZ = 4  # plot descriptions for screen readers follow playback this often
MARK_SIZE = 16   # the ✕ where a run diverged, in pixels
LINE_WIDTH = 2.5
MAX_CURVE_POINTS = 600  # per loss curve drawn
GRID_POINTS = 121
#: The loss surface zooms back in when the runs fill less than this share of its width or height
#: (after a wide run was removed, diverged or re-run, or the start moved).
ZOOM_BACK_BELOW = 0.3
LOSS_TIP = "Each run's loss after every update; × marks a run that diverged"
BATCH_CHOICES = [("Full batch (all 100 points)", "full"), ("Mini-batch (10 points)", "mini"),
                 ("One sample at a time", "one")]


def recolour(item: pg.PlotDataItem, colour: str) -> None:
    """New colour, same width (projector mode may have thickened the line)."""
    current = pg.mkPen(item.opts["pen"])
    current.setColor(pg.mkColor(colour))
    item.setPen(current)


class GradientDescentTab(LessonTab):
    supports = TabAction.RUN | TabAction.STEP | TabAction.RESET | TabAction.NUDGE

    runsUpdated = Signal()  # new runs are in self.runs

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = int(seed)
        self._start_draws = 0
        self.start = random_start(self.seed)
        self.problem = make_problem(X_RANGES["[0, 1]"], seed=self.seed)
        self.runs = []
        self.jobs = JobRunner(self)
        self.jobs.finished.connect(self._on_runs_finished)
        self.jobs.failed.connect(self._on_job_failed)
        self._surface_rect: QRectF | None = None

        controls = self._build_controls()
        plots = self._build_plots()
        # a WrappingLabel keeps room for every line: a plain wrapped label under the plots was squeezed
        self.summary = WrappingLabel(min_lines=3, caption="Run results",
                                     tip="Where each run ended and its regime, or when and why it diverged")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        # the results span the tab's whole width, under the controls too: one line a run, so that
        # on a projector beside the lesson they leave the plots their height
        layout = QGridLayout(self)
        layout.addWidget(controls, 0, 0)
        layout.addWidget(plots, 0, 1)
        layout.addWidget(self.summary, 1, 0, 1, 2)
        layout.setColumnStretch(1, 1)
        layout.setRowStretch(0, 1)

        self._rerun_timer = QTimer(self)  # coalesces a burst of slider moves into one re-run
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(30)
        self._rerun_timer.timeout.connect(self._start_job)
        self._redraw = Throttle(self._draw_frame, hz=REDRAW_HZ, parent=self)
        self._summary_clock = Throttle(self._update_summary, hz=SUMMARY_HZ, parent=self)
        self._describe = Throttle(self._describe_plots, hz=TEXT_HZ, parent=self)
        self._on_data_changed()

    # ------------------------------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------------------------------
    def _build_controls(self) -> ControlColumn:
        column = ControlColumn(max_chars=56)  # wider only as far as 56 characters: the plots need the room
        lesson = QLabel("Each update moves against the gradient: <b>w ← w − η·∂L/∂w</b>, "
                        "<b>b ← b − η·∂L/∂b</b>. The gradient points uphill; η sets the step. "
                        "Too small crawls, too large overshoots or diverges.")
        lesson.setWordWrap(True)
        column.add(lesson)

        data_box = QGroupBox("Data: y = 2x + 1 + noise")
        data_box.setToolTip("100 points, x evenly spread over the chosen range, noise N(0, 0.1)")
        data_form = QFormLayout(data_box)
        self.range_combo = choice_box([(f"x in {name}", value) for name, value in X_RANGES.items()], "x range",
                                      "Where the x values lie. Wider or shifted ranges make the loss bowl "
                                      "steeper in w, which moves the stability limit.")
        data_form.addRow("x range", self.range_combo)
        column.add(data_box)

        self.rates_panel = DescentRatePanel(RUN_COLOURS, DEFAULT_LEARNING_RATES)
        column.add(self.rates_panel)

        method_box = QGroupBox("Method")
        method_form = QFormLayout(method_box)
        # The titles are also what the window remembers of this choice (control_state keeps the text).
        self.optimizer_combo = choice_box([(kind.title, name) for name, kind in OPTIMIZERS.items()], "Optimizer",
                                          "; ".join(f"{kind.title}: {kind.description}" for kind in OPTIMIZERS.values()),
                                          min_chars=12)
        self.batch_combo = choice_box(BATCH_CHOICES, "Gradient from", "How many points each gradient is computed "
                                      "from. Fewer points: more, cheaper and noisier steps", key="Batch", min_chars=12)
        self.epochs_spin = number_box(1, 1000, 100, "Epochs", "Passes over the 100 data points")
        method_form.addRow("optimizer", self.optimizer_combo)
        method_form.addRow("gradient from", self.batch_combo)
        method_form.addRow("epochs", self.epochs_spin)
        column.add(method_box)
        self.trial_controls = TrialControls()
        column.add(self.trial_controls)

        start_box = QGroupBox("Start")
        start_layout = QVBoxLayout(start_box)
        self.start_label = Readout("Start point", "Where every run starts; click the loss surface to choose "
                                   "another point")
        self.start_label.setWordWrap(True)
        self.random_start_button = described(QPushButton("New random start"), "New random start",
                                             "Draw w and b from N(0, 1) again (reproducible from the seed)")
        start_layout.addWidget(self.start_label)
        start_layout.addWidget(self.random_start_button)
        column.add(start_box)

        self.playback = DescentPlayback(self._describe_frame)
        self.log_check = described(QCheckBox("log scale for the loss"), "Log scale for the loss",
                                   "Show the loss on a logarithmic axis: slow and fast runs stay visible together",
                                   key="Log scale")
        self.log_check.setChecked(True)
        self.playback.layout().addWidget(self.log_check)
        column.add(self.playback)

        self.range_combo.currentIndexChanged.connect(self._on_data_changed)
        self.rates_panel.ratesChanged.connect(self._request_rerun)
        self.rates_panel.selectionChanged.connect(self._request_redraw)
        self.optimizer_combo.currentIndexChanged.connect(self._request_rerun)
        self.batch_combo.currentIndexChanged.connect(self._request_rerun)
        for changed in (self.rates_panel.ratesChanged, self.rates_panel.selectionChanged,
                        self.optimizer_combo.currentIndexChanged, self.batch_combo.currentIndexChanged):
            changed.connect(self._show_selected_regime)
        self.epochs_spin.valueChanged.connect(self._request_rerun)
        self.trial_controls.changed.connect(self._on_trial_changed)
        self.random_start_button.clicked.connect(self._on_random_start)
        self.playback.frameChanged.connect(self._request_redraw)
        self.log_check.toggled.connect(self._on_log_toggled)
        self.controls_column = column
        return column

    def _build_plots(self) -> QSplitter:
        self.surface = DescentLossSurface()
        self.surface.startChosen.connect(self.set_start)
        self.surface.viewChanged.connect(self.show_surface)

        self.loss_plot = make_plot("Loss against epoch", "epoch", "loss (MSE)")
        self.loss_plot.setToolTip(LOSS_TIP)
        self.loss_legend = add_legend(self.loss_plot.getPlotItem())
        self.loss_plot.getPlotItem().setLogMode(y=True)
        self.loss_curves: list[pg.PlotDataItem] = []
        self.divergence_marks = pg.ScatterPlotItem(symbol="x", size=MARK_SIZE, pen=pg.mkPen(BEYOND_LIMIT, width=3))
        self.loss_plot.addItem(self.divergence_marks)
        self.loss_plot.getPlotItem().vb.sigResized.connect(lambda _vb: self._frame_loss_axis() if self.runs else None)
        # Each run's shape where its curve and its line end: runs told apart without colour
        self.loss_ends = pg.ScatterPlotItem(size=11, pen=pg.mkPen(BLACK, width=1))
        self.loss_plot.addItem(self.loss_ends)

        self.fit_plot = make_plot("Data and fitted lines ŷ = w·x + b", "x", "y")
        self.fit_plot.setToolTip("The 100 data points and the line each run has reached so far")
        self.fit_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.data_points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(GREY))
        self.fit_plot.addItem(self.data_points)
        self.fit_lines: list[pg.PlotDataItem] = []
        self.fit_legend = add_legend(self.fit_plot.getPlotItem())
        self.fit_ends = pg.ScatterPlotItem(size=11, pen=pg.mkPen(BLACK, width=1))
        self.fit_plot.addItem(self.fit_ends)
        self._legend_samples: list[pg.PlotDataItem] = []

        self.one_parameter = DescentOneParameterLesson()
        self.steps_plot = StepSizePlot()
        self.trial = TrialOverlay(self.surface, self.loss_plot, self.fit_plot, self.steps_plot, self)
        for plot in (self.loss_plot, self.fit_plot):
            cache_axes(plot)
        self.lower_pages = described(QTabWidget(), "Step sizes or one parameter",
                                     "The size of each update of every run, or the one-parameter lesson")
        self.lower_pages.setDocumentMode(True)
        # short page names: in projector mode beside the lesson longer ones would need scroll arrows
        self.lower_pages.addTab(self.one_parameter, "y = w·x")
        self.lower_pages.addTab(self.steps_plot, "Step sizes")
        self.lower_pages.setTabToolTip(0, "The one-parameter lesson: follow the slope of L(w)")
        self.lower_pages.setTabToolTip(1, "How far each update of every run moved (w, b)")

        # Splitters with explicit equal sizes: in a grid layout a plot with a big size hint
        # (QGraphicsView reports its scene's size) squeezes its neighbours.
        plots = QSplitter(Qt.Orientation.Vertical)
        for left, right in ((self.surface, self.loss_plot), (self.fit_plot, self.lower_pages)):
            row = QSplitter(Qt.Orientation.Horizontal)
            for widget in (left, right):
                widget.setMinimumSize(160, 150)
                row.addWidget(widget)
            row.setSizes([1000, 1000])
            row.setChildrenCollapsible(False)
            plots.addWidget(row)
        plots.setSizes([800, 1200])  # the lower row holds the one-parameter lesson with its buttons too
        plots.setChildrenCollapsible(False)
        return plots

    # ------------------------------------------------------------------------------------------
    # data, start, settings → runs
    # ------------------------------------------------------------------------------------------
    @Slot()
    def _on_data_changed(self) -> None:
        self.problem = make_problem(self.range_combo.currentData(), seed=self.seed)
        self.rates_panel.set_limits(self.problem.stability_limit(), self.problem.fastest_learning_rate(),
                                    self.problem.eigenvalues())
        self.data_points.setData(self.problem.x, self.problem.y)
        x0, x1 = float(self.problem.x.min()), float(self.problem.x.max())
        y0, y1 = float(self.problem.y.min()), float(self.problem.y.max())
        pad_x, pad_y = 0.05 * (x1 - x0), 0.25 * (y1 - y0)
        self.fit_plot.getPlotItem().setRange(xRange=(x0 - pad_x, x1 + pad_x), yRange=(y0 - pad_y, y1 + pad_y),
                                             padding=0)
        self.surface.set_optimum(*self.problem.optimum())
        self._surface_rect = None  # a new bowl needs a new frame
        self._show_selected_regime()
        self._request_rerun()

    @Slot(float, float)
    def set_start(self, w: float, b: float) -> None:
        """Start every run at (w, b) (also what a click on the loss surface does)."""
        self.start = (float(w), float(b))
        self._request_rerun()

    @Slot()
    def _on_random_start(self) -> None:
        self._start_draws += 1
        self._surface_rect = None  # frame the new runs afresh, however far the old ones went
        self.set_start(*random_start(self.seed + 1000 * self._start_draws))

    @Slot()
    def _show_selected_regime(self, *_) -> None:
        """Name the selected rate's regime under the slider (plain full-batch descent only)."""
        rates = self.rates_panel.rates()
        if not rates:
            return
        rate = rates[min(self.rates_panel.selected_row(), len(rates) - 1)]
        settings = DescentSettings(rate, optimizer=self.optimizer_combo.currentData(),
                                   batch=self.batch_combo.currentData())
        if is_plain_full_batch(settings):
            regime = self.problem.regime(rate)
            text = (f"Plain descent at η = {rate:.4g} is <b style='color:{text_shade(REGIME_COLOURS[regime])}'>"
                    f"{REGIME_TITLES[regime]}</b>.")
        else:
            text = (f"The regimes are plain full-batch descent's; {optimizer_kind(settings.optimizer).phrase} "
                    f"with {BATCH_PHRASES[settings.batch]} is judged from its loss alone.")
        self.rates_panel.slider.show_regime(text)

    def remembered_state(self) -> dict:
        """The list of learning rates (and which one the slider edits) is kept between runs."""
        return {"learning_rates": self.rates_panel.rates(), "selected_rate": self.rates_panel.selected_row()}

    def restore_remembered_state(self, state: dict) -> None:
        most = len(self.rates_panel.colours)
        rates = state_value(state, "learning_rates", list_of(number(0.0, MAX_RATE), most), None)
        selected = state_value(state, "selected_rate", optional(integer(0, most - 1)), None)
        if rates is not None and not self.rates_panel.set_rates(rates, selected):
            raise BadSetting("no usable learning rate")

    def settings(self) -> list[DescentSettings]:
        return [DescentSettings(rate, epochs=self.epochs_spin.value(), optimizer=self.optimizer_combo.currentData(),
                                batch=self.batch_combo.currentData(), seed=self.seed)
                for rate in self.rates_panel.rates()]

    @Slot()
    def _request_rerun(self) -> None:
        self.start_label.setText(f"w = {self.start[0]:.3f}, b = {self.start[1]:.3f}  — click the loss surface to move it")
        self.surface.set_start(*self.start)
        self._rerun_timer.start()

    @Slot()
    def _on_trial_changed(self) -> None:
        """Trial and error on or off (or a new step): rerun, and show its step sizes beside the others'."""
        if self.trial_controls.enabled():
            self.lower_pages.setCurrentWidget(self.steps_plot)
        self._request_rerun()

    @Slot()
    def _start_job(self) -> None:
        problem, settings, start = self.problem, self.settings(), self.start
        trial = self.trial_controls.settings() if self.trial_controls.enabled() else None
        budget = self.epochs_spin.value()  # as many loss evaluations as the gradient runs make passes

        def job():
            runs = collect_runs(problem, settings, start, should_stop=stop_requested)
            if trial is None or stop_requested():
                return runs, None
            return runs, trial_run(problem, start, *trial, tries=budget, should_stop=stop_requested)

        self.playback.show_busy("computing the runs…")
        self.jobs.start(job)

    @Slot(object)
    def _on_runs_finished(self, result) -> None:
        self.runs, trial = result
        self.trial.set_run(trial)
        self._prepare_items()
        self._update_surface()
        self.playback.set_length(self.last_frame())
        self._summary_clock.flush()
        self.summary.announce(urgent=any(run.diverged for run in self.runs))
        self._redraw.flush()
        self._describe.flush()
        self.runsUpdated.emit()

    @Slot(str)
    def _on_job_failed(self, text: str) -> None:
        self.rates_panel.show_message("The runs could not be computed: " + one_line(text))

    # ------------------------------------------------------------------------------------------
    # drawing
    # ------------------------------------------------------------------------------------------
    def last_frame(self) -> int:
        """The last update to play: the longest gradient run, or trial and error's last try if later."""
        trial = self.trial.run
        tries = 0 if trial is None else int(np.ceil(trial.total_tries * self.updates_per_epoch()))
        return max([run.w.size - 1 for run in self.runs] + [tries])

    def updates_per_epoch(self) -> int:
        """Gradient updates per pass over the data: the playback's clock turns updates into passes."""
        n = self.problem.x.size
        return -(-n // batch_size_for(self.settings()[0], n)) if self.rates_panel.rates() else 1

    def _prepare_items(self) -> None:
        """Create or drop plot items so there is one per run; colours follow the list order."""
        n = len(self.runs)
        loss_item, fit_item = self.loss_plot.getPlotItem(), self.fit_plot.getPlotItem()
        while len(self.loss_curves) > n:
            loss_item.removeItem(self.loss_curves.pop())
            fit_item.removeItem(self.fit_lines.pop())
        while len(self.loss_curves) < n:
            curve = fast_curve(loss_item.plot(pen=pen(0, width=LINE_WIDTH)))
            self.loss_curves.append(curve)
            self.fit_lines.append(fit_item.plot(pen=pen(0, width=LINE_WIDTH)))
        self.loss_legend.clear()
        self.fit_legend.clear()
        colours = [RUN_COLOURS[i % len(RUN_COLOURS)] for i in range(n)]
        self._legend_samples = []
        for i, (curve, line, run, colour) in enumerate(zip(self.loss_curves, self.fit_lines, self.runs, colours)):
            recolour(curve, colour)
            recolour(line, colour)
            # the legend shows the line and the run's shape (drawn where the curve ends)
            sample = pg.PlotDataItem(pen=pen(colour, width=LINE_WIDTH), symbol=shape(i)[0], symbolSize=10,
                                     symbolBrush=colour, symbolPen=BLACK)
            self._legend_samples.append(sample)
            self.loss_legend.addItem(sample, f"η = {run.settings.learning_rate:.4g}")
            self.fit_legend.addItem(sample, f"η = {run.settings.learning_rate:.4g}")
        for marks in (self.loss_ends, self.fit_ends):
            marks.setData([], [])
        if self.trial.run is not None:
            self.loss_legend.addItem(self.trial.loss_curve, self.trial.legend_name)
        self.surface.set_run_colours(colours)
        self.steps_plot.set_run_colours(colours)
        self._label_loss_axis()
        self._frame_loss_axis()

    def _label_loss_axis(self) -> None:
        """Beside trial and error the loss is plotted against loss evaluations, the work both do: a
        pass over the data is one evaluation (gradient descent adds a backward pass to each)."""
        if self.trial.run is None:
            title, label, tip = "Loss against epoch", "epoch", LOSS_TIP
        else:
            title, label = "Loss against loss evaluations", "loss evaluations"
            tip = (LOSS_TIP + ". Each epoch of a gradient run is one loss evaluation, a pass over the data (with a "
                   "backward pass besides); each try of trial and error is one too")
        set_title(self.loss_plot.getPlotItem(), title)
        set_axis_label(self.loss_plot.getPlotItem(), "bottom", label)
        self.loss_plot.setToolTip(tip)

    def _frame_loss_axis(self) -> None:
        """Fix the loss axes to the whole runs, so they stay still while the curves grow; with
        room at the edges for a whole ✕ where a run diverged at the top or at the last epoch."""
        item = self.loss_plot.getPlotItem()
        margin = MARK_SIZE / 2 + 3   # pixels
        pad_x = max(0.02, margin / max(item.vb.width() - 2 * margin, margin))
        pad_y = max(0.05, margin / max(item.vb.height() - 2 * margin, margin))
        item.setXRange(0, self.epochs_spin.value(), padding=pad_x)
        trial = [] if self.trial.run is None else [self.trial.run.loss]
        losses = np.concatenate([run.loss[np.isfinite(run.loss)] for run in self.runs] + trial or [np.ones(1)])
        low, high = float(max(losses.min(), 1e-300)), float(max(losses.max(), 1e-300))
        if self.log_check.isChecked():
            low, high = np.log10(low), np.log10(high)  # a log axis takes its range in decades
        if high <= low:
            high = low + 1.0
        item.setYRange(low, high, padding=pad_y)
        self._frame_step_axis()

    def _frame_step_axis(self) -> None:
        lengths = [update_lengths(run.w, run.b) for run in self.runs if not run.diverged]
        if self.trial.run is not None:
            lengths.append(self.trial.run.step_sizes[1:])
        lengths = np.concatenate(lengths or [np.ones(1)])
        lengths = lengths[np.isfinite(lengths) & (lengths > 0)]
        longest = max([run.w.size - 1 for run in self.runs] + [self.trial.run.updates if self.trial.run else 0])
        self.steps_plot.frame(longest, float(lengths.min(initial=1.0)), float(lengths.max(initial=1.0)))

    def _update_surface(self) -> None:
        """Frame the bowl around the optimum, the start and every run that did not diverge.

        The frame stays while it holds them all and they fill a fair share of it (so the picture
        does not move under the user's cursor while a slider is dragged, nor undo a zoom by the
        mouse wheel); it zooms back in when they no longer do. A new start and Reset forget the
        frame, so the runs are fitted afresh.
        """
        w_opt, b_opt = self.problem.optimum()
        ws, bs = [w_opt, self.start[0]], [b_opt, self.start[1]]
        for run in self.runs:
            if not run.diverged:
                ws += [float(run.w.min()), float(run.w.max())]
                bs += [float(run.b.min()), float(run.b.max())]
        trial_w, trial_b = self.trial.extent()
        ws, bs = ws + trial_w, bs + trial_b
        w0, w1, b0, b1 = min(ws), max(ws), min(bs), max(bs)
        inner = QRectF(w0, b0, w1 - w0, b1 - b0)
        current = self._surface_rect
        if current is not None and current.contains(inner):
            filled = max(inner.width() / current.width(), inner.height() / current.height())
            if filled >= ZOOM_BACK_BELOW:
                return
        half_w, half_b = max(0.7 * (w1 - w0), 1.0), max(0.7 * (b1 - b0), 1.0)
        cw, cb = (w0 + w1) / 2, (b0 + b1) / 2
        self.show_surface(QRectF(cw - half_w, cb - half_b, 2 * half_w, 2 * half_b))

    @Slot(QRectF)
    def show_surface(self, rect: QRectF) -> None:
        """Show the loss surface over `rect` of the (w, b) plane (also where the mouse wheel zoomed to)."""
        self._surface_rect = QRectF(rect)
        w_values, b_values, loss = loss_grid(self.problem, (rect.left(), rect.right()), (rect.top(), rect.bottom()),
                                             n=GRID_POINTS)
        self.surface.set_surface(w_values, b_values, loss)

    def _update_summary(self) -> None:
        """Where each run stands at the playback position: its loss, w and b on the way, and at its
        end how it ended and its regime (or when and why it diverged).

        A run's line is brief, to fit a projector beside the lesson: the regimes' bounds are under
        the slider. A screen reader hears the whole outcome, and so does the tooltip."""
        frame = self.playback.frame
        passes = frame / self.updates_per_epoch()
        lines, spoken = [], []
        for i, run in enumerate(self.runs):
            colour = RUN_COLOURS[i % len(RUN_COLOURS)]
            head = f"<span style='color:{colour}'>{shape(i)[1]}</span> <b>η = {run.settings.learning_rate:.4g}</b>"
            k = min(frame, run.w.size - 1)
            if k < run.w.size - 1:
                lines.append(f"{head}: loss {run.loss[k]:.4g}, w = {run.w[k]:.3f}, b = {run.b[k]:.3f}")
                spoken.append(lines[-1])
                continue
            text = html.escape(outcome_text(self.problem, run, brief=True))  # "1/λmax < η" is not a tag
            if run.diverged or run.regime in ("diverging", "not converging"):
                text = f"<span style='color:{ERROR_TEXT}'>{text}</span>"
            lines.append(f"{head}: {text}")
            spoken.append(f"{head}: {html.escape(outcome_text(self.problem, run))}")
        if self.trial.run is not None:
            lines.append(self.trial.summary_html(passes, brief=True))
            spoken.append(self.trial.summary_html(passes))
        whole = "<br>".join(spoken)
        self.summary.setText("<br>".join(lines), spoken=whole)
        self.summary.setToolTip(whole or self.summary.accessibleDescription())

    def _describe_frame(self, frame: int) -> str:
        if not self.runs:
            return ""
        epoch = max(run.epoch[min(frame, run.w.size - 1)] for run in self.runs)
        return f"update {frame} of {self.last_frame()}  ·  epoch {epoch:.2f}"

    @Slot()
    def _request_redraw(self, *_) -> None:
        self._redraw.request()
        self._describe.request()

    def _describe_plots(self) -> None:
        """The three plots in words, with the numbers of the update shown, for screen readers."""
        if not self.runs:
            return
        frame = self.playback.frame
        w_opt, b_opt = self.problem.optimum()
        states = []
        for run in self.runs:
            k = min(frame, run.w.size - 1)
            label = f"η = {run.settings.learning_rate:.4g}"
            states.append((label, run, k, run.diverged and k == run.w.size - 1))
        where = f" At update {frame} of {self.last_frame()}:"
        describe(self.surface.plot, f"Loss surface L(w, b), lowest at w = {w_opt:.3f}, b = {b_opt:.3f}; every run "
                                    f"starts at w = {self.start[0]:.3f}, b = {self.start[1]:.3f}." + where + "".join(
                                        f" {label} {'diverged' if gone else f'is at w = {run.w[k]:.3f}, b = {run.b[k]:.3f}'};"
                                        for label, run, k, gone in states))
        describe(self.loss_plot, "Mean squared error of each run against epoch." + where + "".join(
            f" {label}: {'diverged' if gone else f'loss {run.loss[k]:.4g}'} at epoch {run.epoch[k]:.2f};"
            for label, run, k, gone in states))
        describe(self.fit_plot, "The 100 data points of y = 2x + 1 + noise and each run's line ŷ = w·x + b." + where + "".join(
            f" {label}: {'diverged' if gone else f'ŷ = {run.w[k]:.3f}·x + {run.b[k]:.3f}'};"
            for label, run, k, gone in states))

    def _draw_frame(self) -> None:
        """Show every run as it was after update `playback.frame` (a shorter run stays at its end);
        trial and error as it was after as many passes over the data."""
        x_ends = np.array([self.problem.x.min(), self.problem.x.max()])
        self.trial.draw(self.playback.frame / self.updates_per_epoch(), x_ends)
        if not self.runs:
            return
        frame = self.playback.frame
        log = self.log_check.isChecked()
        marks_x, marks_y = [], []
        ends = {"loss": ([], []), "fit": ([], []), "shape": [], "colour": []}
        for i, run in enumerate(self.runs):
            k = min(frame, run.w.size - 1)
            shown = thinned(k + 1, MAX_CURVE_POINTS)
            self.loss_curves[i].setData(run.epoch[shown], np.maximum(run.loss[shown], 1e-300))
            self.surface.set_path(i, run.w[:k + 1], run.b[:k + 1])
            line = np.clip(run.w[k] * x_ends + run.b[k], -1e6, 1e6)
            self.fit_lines[i].setData(x_ends, line)
            if np.isfinite(run.loss[k]) and np.isfinite(line).all():
                loss = max(run.loss[k], 1e-300)
                ends["loss"][0].append(run.epoch[k])
                ends["loss"][1].append(np.log10(loss) if log else loss)   # a bare scatter ignores log mode
                ends["fit"][0].append(x_ends[1])
                ends["fit"][1].append(line[1])
                ends["shape"].append(shape(i)[0])
                ends["colour"].append(pg.mkBrush(RUN_COLOURS[i % len(RUN_COLOURS)]))
            self.steps_plot.show_gradient(i, update_lengths(run.w[:k + 1], run.b[:k + 1]))
            if run.diverged and k == run.w.size - 1:
                marks_x.append(run.epoch[k])
                # a bare scatter item does not follow the axis' log mode: give it log10 itself
                marks_y.append(np.log10(max(run.loss[k], 1e-300)) if self.log_check.isChecked() else run.loss[k])
        self.divergence_marks.setData(marks_x, marks_y)
        for marks, key in ((self.loss_ends, "loss"), (self.fit_ends, "fit")):
            marks.setData(*ends[key], symbol=ends["shape"], brush=ends["colour"])
        selected = self.runs[min(self.rates_panel.selected_row(), len(self.runs) - 1)]
        k = min(frame, selected.w.size - 1)
        self.surface.set_arrow(selected.w[k], selected.b[k], selected.grad_w[k], selected.grad_b[k])
        if self.playback.is_playing():
            self._summary_clock.request()
        else:
            self._summary_clock.flush()   # a step or a rewind: the numbers of that update at once

    # ------------------------------------------------------------------------------------------
    # the tab contract: what the main window's Run menu and report call
    # ------------------------------------------------------------------------------------------
    def toggle_run(self) -> None:
        self.playback.toggle()

    def step_once(self) -> None:
        self.playback.step()

    def reset(self) -> None:
        """R: back to the first update, with the loss surface framed around the runs again."""
        self.playback.rewind()
        self._surface_rect = None
        if self.runs:
            self._update_surface()

    def nudge(self, dx: int, dy: int) -> None:
        """Move the start by 2 % of the visible surface (arrow keys)."""
        rect = self._surface_rect or QRectF(-1, -1, 2, 2)
        self.set_start(self.start[0] + 0.02 * dx * rect.width(), self.start[1] + 0.02 * dy * rect.height())

    def report(self) -> dict:
        """The numbers behind the picture, for the run report."""
        w_opt, b_opt = self.problem.optimum()
        return {
            "model": "y_hat = w*x + b, mean squared error",
            "x_range": [float(self.problem.x.min()), float(self.problem.x.max())],
            "stability_limit": self.problem.stability_limit(),
            "fastest_lr": self.problem.fastest_learning_rate(),
            "eigenvalues": list(self.problem.eigenvalues()),
            "optimum": {"w": w_opt, "b": b_opt},
            "start": {"w": self.start[0], "b": self.start[1]},
            "optimizer": self.optimizer_combo.currentData(),
            "batch": self.batch_combo.currentData(),
            "epochs": self.epochs_spin.value(),
            "runs": [{**run.summary(), "message": run.message} for run in self.runs],
            "trial_and_error": None if self.trial.run is None else self.trial.run.summary(),
        }

    @Slot(bool)
    def _on_log_toggled(self, log: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=log)
        if self.runs:
            self._frame_loss_axis()
        self._redraw.request()

    # ------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop playback and any computation (called when the window closes)."""
        self.playback.stop()
        self._rerun_timer.stop()
        super().shutdown()
