"""Gradient Descent tab: the update w ← w − η·∂L/∂w, learning rates, and the loss surface.

Several learning rates run from the same start on ŷ = w·x + b. The loss curves, the fitted lines
and the paths on the loss surface play back together, one update at a time or animated. The
learning-rate slider re-runs the selected rate live and shows where descent stops working
(2/λmax). Runs are computed in a BackgroundJob; playback is a QTimer; drawing is throttled.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine.descent import (
    DEFAULT_LEARNING_RATES,
    X_RANGES,
    DescentSettings,
    collect_runs,
    loss_grid,
    make_problem,
    random_start,
)
from gui.plotting import GREY, PALETTE, Throttle, make_plot, pen
from gui.widgets.descent_loss_surface import DescentLossSurface
from gui.widgets.descent_one_parameter import DescentOneParameterLesson
from gui.widgets.descent_rate_slider import DescentRateSlider
from gui.widgets.labelled_slider import LabelledSlider
from gui.worker import BackgroundJob

RUN_COLOURS = PALETTE[:6]  # Okabe–Ito without yellow (weak on white) and black (the arrow)
MAX_RUNS = len(RUN_COLOURS)
FRAME_HZ = 30
OPTIMIZER_CHOICES = [("Gradient descent", "gd"), ("Momentum (μ = 0.9)", "momentum"), ("Adam", "adam")]
BATCH_CHOICES = [("Full batch (all 100 points)", "full"), ("Mini-batch (10 points)", "mini"),
                 ("One sample at a time", "one")]


class GradientDescentTab(QWidget):
    runsUpdated = Signal()      # new runs are in self.runs
    frameChanged = Signal(int)  # playback moved to this update

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = int(seed)
        self._start_draws = 0
        self.start = random_start(self.seed)
        self.problem = make_problem(X_RANGES["[0, 1]"], seed=self.seed)
        self.runs = []
        self.frame = 0
        self._frame_float = 0.0
        self._job: BackgroundJob | None = None
        self._rerun_pending = False
        self._surface_rect: QRectF | None = None

        self._build_controls()
        self._build_plots()
        layout = QHBoxLayout(self)
        layout.addWidget(self._controls_scroll)
        right = QVBoxLayout()
        right.addWidget(self._plots, 1)
        right.addWidget(self.summary)
        layout.addLayout(right, 1)

        self._rerun_timer = QTimer(self)  # coalesces bursts of slider moves into one re-run
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(30)
        self._rerun_timer.timeout.connect(self._start_job)
        self._play_timer = QTimer(self)
        self._play_timer.setInterval(round(1000 / FRAME_HZ))
        self._play_timer.timeout.connect(self._advance)
        self._redraw = Throttle(self._draw_frame, hz=FRAME_HZ, parent=self)

        for rate in DEFAULT_LEARNING_RATES:
            self._add_rate(rate)
        self.rate_list.setCurrentRow(self.rate_list.count() - 1)
        self._on_data_changed()

    # ------------------------------------------------------------------------------------------
    # construction
    # ------------------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        panel = QWidget()
        column = QVBoxLayout(panel)

        data_box = QGroupBox("Data: y = 2x + 1 + noise, 100 points")
        data_form = QFormLayout(data_box)
        self.range_combo = QComboBox()
        for name, value in X_RANGES.items():
            self.range_combo.addItem(f"x in {name}", value)
        self.range_combo.setToolTip("Where the x values lie. Wider or shifted ranges make the loss bowl "
                                    "steeper in w, which moves the stability limit.")
        self.range_combo.setAccessibleName("x range")
        data_form.addRow("x range", self.range_combo)
        column.addWidget(data_box)

        rates_box = QGroupBox("Learning rates (η)")
        rates_layout = QVBoxLayout(rates_box)
        self.rate_list = QListWidget()
        self.rate_list.setMaximumHeight(120)
        self.rate_list.setToolTip("One run per learning rate, all from the same start. The slider below "
                                  "changes the selected one.")
        self.rate_list.setAccessibleName("Learning rates")
        rates_layout.addWidget(self.rate_list)
        add_row = QHBoxLayout()
        self.rate_edit = QLineEdit()
        self.rate_edit.setPlaceholderText("e.g. 0.3")
        self.rate_edit.setToolTip("A learning rate to add (a positive number)")
        self.rate_edit.setAccessibleName("New learning rate")
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add a run with this learning rate")
        self.add_button.setAccessibleName("Add learning rate")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected run")
        self.remove_button.setAccessibleName("Remove learning rate")
        for widget in (self.rate_edit, self.add_button, self.remove_button):
            add_row.addWidget(widget)
        rates_layout.addLayout(add_row)
        self.rate_slider = DescentRateSlider(1e-4, 2.0, 0.5)
        rates_layout.addWidget(self.rate_slider)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Message")
        self.message.setStyleSheet(f"color: {PALETTE[3]}")
        rates_layout.addWidget(self.message)
        column.addWidget(rates_box)

        method_box = QGroupBox("Method")
        method_form = QFormLayout(method_box)
        self.optimizer_combo = QComboBox()
        for text, key in OPTIMIZER_CHOICES:
            self.optimizer_combo.addItem(text, key)
        self.optimizer_combo.setToolTip("Plain steps against the gradient; momentum, which keeps a velocity; "
                                        "or Adam, which scales each parameter's step")
        self.optimizer_combo.setAccessibleName("Optimizer")
        self.batch_combo = QComboBox()
        for text, key in BATCH_CHOICES:
            self.batch_combo.addItem(text, key)
        self.batch_combo.setToolTip("How many points each gradient is computed from. Fewer points: more, "
                                    "cheaper and noisier steps")
        self.batch_combo.setAccessibleName("Batch")
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 1000)
        self.epochs_spin.setValue(100)
        self.epochs_spin.setToolTip("Passes over the 100 data points")
        self.epochs_spin.setAccessibleName("Epochs")
        method_form.addRow("optimizer", self.optimizer_combo)
        method_form.addRow("gradient from", self.batch_combo)
        method_form.addRow("epochs", self.epochs_spin)
        column.addWidget(method_box)

        start_box = QGroupBox("Start")
        start_layout = QVBoxLayout(start_box)
        self.start_label = QLabel()
        self.start_label.setAccessibleName("Start point")
        self.start_label.setToolTip("Where every run starts; click the loss surface to choose another point")
        self.random_start_button = QPushButton("New random start")
        self.random_start_button.setToolTip("Draw w and b from N(0, 1) again (reproducible from the seed)")
        self.random_start_button.setAccessibleName("New random start")
        start_layout.addWidget(self.start_label)
        start_layout.addWidget(self.random_start_button)
        column.addWidget(start_box)

        play_box = QGroupBox("Playback")
        play_layout = QVBoxLayout(play_box)
        buttons = QHBoxLayout()
        self.reset_button = QPushButton("Rewind")
        self.reset_button.setToolTip("Back to the starting point")
        self.reset_button.setAccessibleName("Back to start")
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("Advance every run by one update")
        self.step_button.setAccessibleName("Step")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Animate the runs update by update (Pause to stop)")
        self.play_button.setAccessibleName("Play or pause")
        for widget in (self.reset_button, self.step_button, self.play_button):
            buttons.addWidget(widget)
        play_layout.addLayout(buttons)
        self.speed_slider = LabelledSlider("speed", 1, 500, 30, log=True, decimals=4,
                                           tooltip="Updates shown per second while playing")
        play_layout.addWidget(self.speed_slider)
        self.frame_label = QLabel()
        self.frame_label.setAccessibleName("Playback position")
        play_layout.addWidget(self.frame_label)
        self.log_check = QCheckBox("log scale for the loss")
        self.log_check.setChecked(True)
        self.log_check.setToolTip("Show the loss on a logarithmic axis: slow and fast runs stay visible together")
        self.log_check.setAccessibleName("Log scale")
        play_layout.addWidget(self.log_check)
        column.addWidget(play_box)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName("Run results")
        self.summary.setToolTip("Where each run ended, or when and why it diverged")
        column.addStretch(1)

        self._controls_scroll = QScrollArea()
        self._controls_scroll.setWidget(panel)
        self._controls_scroll.setWidgetResizable(True)
        self._controls_scroll.setMinimumWidth(330)
        self._controls_scroll.setMaximumWidth(400)
        self._controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.range_combo.currentIndexChanged.connect(self._on_data_changed)
        self.rate_list.currentRowChanged.connect(self._on_rate_selected)
        self.rate_slider.valueChanged.connect(self._on_slider)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.rate_edit.returnPressed.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.optimizer_combo.currentIndexChanged.connect(self._request_rerun)
        self.batch_combo.currentIndexChanged.connect(self._request_rerun)
        self.epochs_spin.valueChanged.connect(self._request_rerun)
        self.random_start_button.clicked.connect(self._on_random_start)
        self.reset_button.clicked.connect(self.go_to_start)
        self.step_button.clicked.connect(self.step)
        self.play_button.toggled.connect(self._on_play_toggled)
        self.log_check.toggled.connect(self._on_log_toggled)

    def _build_plots(self) -> None:
        self.surface = DescentLossSurface()
        self.surface.startChosen.connect(self.set_start)

        self.loss_plot = make_plot("Loss against epoch", "epoch", "mean squared error")
        self.loss_plot.setToolTip("Each run's loss after every update; × marks a run that diverged")
        self.loss_legend = self.loss_plot.getPlotItem().addLegend(offset=(-10, 10))
        self.loss_plot.getPlotItem().setLogMode(y=True)
        self.loss_plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)
        self.loss_curves: list[pg.PlotDataItem] = []
        self.divergence_marks = pg.ScatterPlotItem(symbol="x", size=16, pen=pg.mkPen(PALETTE[3], width=3))
        self.loss_plot.addItem(self.divergence_marks)

        self.fit_plot = make_plot("Data and each run's line ŷ = w·x + b", "x", "y")
        self.fit_plot.setToolTip("The 100 data points and the line each run has reached so far")
        self.fit_plot.getPlotItem().setMouseEnabled(x=False, y=False)
        self.data_points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(GREY))
        self.fit_plot.addItem(self.data_points)
        self.fit_lines: list[pg.PlotDataItem] = []

        self.one_parameter = DescentOneParameterLesson()

        # Splitters with explicit equal sizes: a grid layout lets plots that happen to have a big
        # size hint (QGraphicsView reports its scene's size) squeeze their neighbours.
        self._plots = QSplitter(Qt.Orientation.Vertical)
        for left, right in ((self.surface, self.loss_plot), (self.fit_plot, self.one_parameter)):
            row = QSplitter(Qt.Orientation.Horizontal)
            for widget in (left, right):
                widget.setMinimumSize(280, 220)
                row.addWidget(widget)
            row.setSizes([1000, 1000])
            row.setChildrenCollapsible(False)
            self._plots.addWidget(row)
        self._plots.setSizes([1000, 1000])
        self._plots.setChildrenCollapsible(False)

    # ------------------------------------------------------------------------------------------
    # learning rates
    # ------------------------------------------------------------------------------------------
    def rates(self) -> list[float]:
        return [self.rate_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.rate_list.count())]

    def _add_rate(self, rate: float) -> None:
        item = QListWidgetItem()
        self.rate_list.addItem(item)
        self._set_item_rate(item, rate)
        self._recolour_items()

    def _set_item_rate(self, item: QListWidgetItem, rate: float) -> None:
        item.setData(Qt.ItemDataRole.UserRole, float(rate))
        item.setText(f"η = {rate:.4g}")

    def _recolour_items(self) -> None:
        for i in range(self.rate_list.count()):
            swatch = QPixmap(14, 14)
            swatch.fill(QColor(RUN_COLOURS[i % MAX_RUNS]))
            self.rate_list.item(i).setIcon(QIcon(swatch))
        full = self.rate_list.count() >= MAX_RUNS
        self.add_button.setEnabled(not full)
        self.remove_button.setEnabled(self.rate_list.count() > 1)

    @Slot()
    def _on_add_clicked(self) -> None:
        text = self.rate_edit.text().strip()
        try:
            rate = float(text)
        except ValueError:
            self.message.setText(f"“{text}” is not a number; type a learning rate such as 0.3.")
            return
        if not (np.isfinite(rate) and 0 < rate <= 10):
            self.message.setText(f"A learning rate must be a positive number up to 10, not {text}.")
            return
        if self.rate_list.count() >= MAX_RUNS:
            self.message.setText(f"At most {MAX_RUNS} runs at once; remove one first.")
            return
        self.message.clear()
        self.rate_edit.clear()
        self._add_rate(rate)
        self.rate_list.setCurrentRow(self.rate_list.count() - 1)
        self._request_rerun()

    @Slot()
    def _on_remove_clicked(self) -> None:
        row = self.rate_list.currentRow()
        if self.rate_list.count() <= 1 or row < 0:
            return
        self.rate_list.takeItem(row)
        self._recolour_items()
        self._request_rerun()

    @Slot(int)
    def _on_rate_selected(self, row: int) -> None:
        if row < 0:
            return
        rate = self.rate_list.item(row).data(Qt.ItemDataRole.UserRole)
        self.rate_slider.slider.blockSignals(True)  # showing a rate is not changing it
        self.rate_slider.setValue(rate)
        self.rate_slider.slider.blockSignals(False)
        self._redraw.request()

    @Slot(float)
    def _on_slider(self, rate: float) -> None:
        item = self.rate_list.currentItem()
        if item is None:
            return
        self._set_item_rate(item, rate)
        self._request_rerun()

    # ------------------------------------------------------------------------------------------
    # data, start, settings → runs
    # ------------------------------------------------------------------------------------------
    @Slot()
    def _on_data_changed(self) -> None:
        self.problem = make_problem(self.range_combo.currentData(), seed=self.seed)
        self.rate_slider.set_limits(self.problem.stability_limit(), self.problem.fastest_learning_rate())
        self.data_points.setData(self.problem.x, self.problem.y)
        x0, x1 = float(self.problem.x.min()), float(self.problem.x.max())
        y0, y1 = float(self.problem.y.min()), float(self.problem.y.max())
        pad_x, pad_y = 0.05 * (x1 - x0), 0.25 * (y1 - y0)
        self.fit_plot.getPlotItem().setRange(xRange=(x0 - pad_x, x1 + pad_x), yRange=(y0 - pad_y, y1 + pad_y),
                                             padding=0)
        self.surface.set_optimum(*self.problem.optimum())
        self._surface_rect = None  # a new bowl needs a new frame
        self._request_rerun()

    @Slot(float, float)
    def set_start(self, w: float, b: float) -> None:
        """Start every run at (w, b) (also what a click on the loss surface does)."""
        self.start = (float(w), float(b))
        self._request_rerun()

    @Slot()
    def _on_random_start(self) -> None:
        self._start_draws += 1
        self.set_start(*random_start(self.seed + 1000 * self._start_draws))

    def settings(self) -> list[DescentSettings]:
        return [DescentSettings(rate, epochs=self.epochs_spin.value(), optimizer=self.optimizer_combo.currentData(),
                                batch=self.batch_combo.currentData(), seed=self.seed)
                for rate in self.rates()]

    @Slot()
    def _request_rerun(self) -> None:
        self.start_label.setText(f"w = {self.start[0]:.3f}, b = {self.start[1]:.3f}  (click the surface to move)")
        self.surface.set_start(*self.start)
        self._rerun_timer.start()

    @Slot()
    def _start_job(self) -> None:
        if self._job is not None:  # one job at a time; the newest settings win when it ends
            self._rerun_pending = True
            self._job.stop(wait_ms=0)
            return
        problem, settings, start = self.problem, self.settings(), self.start
        job = BackgroundJob(lambda: collect_runs(problem, settings, start, should_stop=job.should_stop))
        job.finished.connect(self._on_runs_finished)
        job.failed.connect(self._on_job_failed)
        job.done.connect(self._on_job_done)
        self._job = job
        self.frame_label.setText("computing the runs…")
        job.start()

    @Slot(object)
    def _on_runs_finished(self, runs) -> None:
        if self._job is None or self._job.stopped or self._rerun_pending:
            return  # out of date
        self.runs = runs
        self._prepare_items()
        self._update_surface()
        self._update_summary()
        if self.play_button.isChecked():
            self._set_frame(0)
        else:
            self._set_frame(self.last_frame())  # the outcome at once; Play or Step to watch it happen
        self.runsUpdated.emit()

    @Slot(str)
    def _on_job_failed(self, text: str) -> None:
        self.message.setText("The runs could not be computed: " + text.strip().splitlines()[-1])

    @Slot()
    def _on_job_done(self) -> None:
        job, self._job = self._job, None
        if job is not None:
            job.deleteLater()
        if self._rerun_pending:
            self._rerun_pending = False
            self._start_job()

    # ------------------------------------------------------------------------------------------
    # drawing
    # ------------------------------------------------------------------------------------------
    def _prepare_items(self) -> None:
        """Create or drop plot items so there is one per run; colours follow the list order."""
        n = len(self.runs)
        loss_item, fit_item = self.loss_plot.getPlotItem(), self.fit_plot.getPlotItem()
        while len(self.loss_curves) > n:
            loss_item.removeItem(self.loss_curves.pop())
            fit_item.removeItem(self.fit_lines.pop())
        while len(self.loss_curves) < n:
            curve = loss_item.plot()
            curve.setClipToView(True)
            curve.setDownsampling(auto=True, method="peak")
            self.loss_curves.append(curve)
            self.fit_lines.append(fit_item.plot())
        self.loss_legend.clear()
        for i, run in enumerate(self.runs):
            self.loss_curves[i].setPen(pen(RUN_COLOURS[i % MAX_RUNS], width=2.5))
            self.fit_lines[i].setPen(pen(RUN_COLOURS[i % MAX_RUNS], width=2.5))
            self.loss_legend.addItem(self.loss_curves[i], f"η = {run.settings.learning_rate:.4g}")
        self.surface.set_run_colours([RUN_COLOURS[i % MAX_RUNS] for i in range(n)])
        self.loss_plot.getPlotItem().setXRange(0, self.epochs_spin.value(), padding=0.02)

    def _update_surface(self) -> None:
        """Frame the bowl around the optimum, the start and every run that stayed finite."""
        w_opt, b_opt = self.problem.optimum()
        ws, bs = [w_opt, self.start[0]], [b_opt, self.start[1]]
        for run in self.runs:
            if not run.diverged:
                ws += [float(run.w.min()), float(run.w.max())]
                bs += [float(run.b.min()), float(run.b.max())]
        w0, w1, b0, b1 = min(ws), max(ws), min(bs), max(bs)
        half_w, half_b = max(0.7 * (w1 - w0), 1.0), max(0.7 * (b1 - b0), 1.0)
        cw, cb = (w0 + w1) / 2, (b0 + b1) / 2
        needed = QRectF(cw - half_w, cb - half_b, 2 * half_w, 2 * half_b)
        inner = QRectF(w0, b0, w1 - w0, b1 - b0)
        if self._surface_rect is not None and self._surface_rect.contains(inner):
            return  # the current frame still shows everything: do not jump under the user's cursor
        self._surface_rect = needed
        w_values, b_values, loss = loss_grid(self.problem, (needed.left(), needed.right()),
                                             (needed.top(), needed.bottom()), n=121)
        self.surface.set_surface(w_values, b_values, loss)

    def _update_summary(self) -> None:
        limit = self.problem.stability_limit()
        lines = []
        for i, run in enumerate(self.runs):
            colour = RUN_COLOURS[i % MAX_RUNS]
            head = f"<span style='color:{colour}'>■</span> <b>η = {run.settings.learning_rate:.4g}</b>"
            if run.diverged:
                lines.append(f"{head}: <span style='color:{PALETTE[3]}'>{run.message}</span>")
            else:
                note = "  (above the limit: only the method keeps it stable)" if run.settings.learning_rate > limit else ""
                lines.append(f"{head}: loss {run.final_loss:.4g}, w = {run.w[-1]:.3f}, b = {run.b[-1]:.3f}{note}")
        self.summary.setText("<br>".join(lines))

    def last_frame(self) -> int:
        return max((run.w.size - 1 for run in self.runs), default=0)

    def _set_frame(self, frame: int) -> None:
        self.frame = int(min(max(frame, 0), self.last_frame()))
        self._frame_float = float(self.frame)
        self._redraw.request()
        self.frameChanged.emit(self.frame)

    def _draw_frame(self) -> None:
        if not self.runs:
            return
        x_ends = np.array([self.problem.x.min(), self.problem.x.max()])
        marks_x, marks_y = [], []
        for i, run in enumerate(self.runs):
            k = min(self.frame, run.w.size - 1)
            self.loss_curves[i].setData(run.epoch[:k + 1], np.maximum(run.loss[:k + 1], 1e-300))
            self.surface.set_path(i, run.w[:k + 1], run.b[:k + 1])
            self.fit_lines[i].setData(x_ends, np.clip(run.w[k] * x_ends + run.b[k], -1e6, 1e6))
            if run.diverged and k == run.w.size - 1:
                marks_x.append(run.epoch[k])
                marks_y.append(np.log10(max(run.loss[k], 1e-300)) if self.log_check.isChecked() else run.loss[k])
        self.divergence_marks.setData(marks_x, marks_y)
        selected = self.runs[min(max(self.rate_list.currentRow(), 0), len(self.runs) - 1)]
        k = min(self.frame, selected.w.size - 1)
        self.surface.set_arrow(selected.w[k], selected.b[k], selected.grad_w[k], selected.grad_b[k])
        epoch = max(run.epoch[min(self.frame, run.w.size - 1)] for run in self.runs)
        self.frame_label.setText(f"update {self.frame} of {self.last_frame()}  ·  epoch {epoch:.2f}")

    # ------------------------------------------------------------------------------------------
    # playback
    # ------------------------------------------------------------------------------------------
    @Slot()
    def go_to_start(self) -> None:
        self.play_button.setChecked(False)
        self._set_frame(0)

    @Slot()
    def step(self) -> None:
        """One update forward for every run (from the end, start over)."""
        self.play_button.setChecked(False)
        self._set_frame(1 if self.frame >= self.last_frame() else self.frame + 1)

    @Slot(bool)
    def _on_play_toggled(self, playing: bool) -> None:
        self.play_button.setText("Pause" if playing else "Play")
        if playing:
            if self.frame >= self.last_frame():
                self._set_frame(0)
            self._play_timer.start()
        else:
            self._play_timer.stop()

    @Slot()
    def _advance(self) -> None:
        self._frame_float += self.speed_slider.value() / FRAME_HZ
        target = int(self._frame_float)
        if target >= self.last_frame():
            self._set_frame(self.last_frame())
            self.play_button.setChecked(False)
        elif target != self.frame:
            self.frame = target
            self._redraw.request()
            self.frameChanged.emit(self.frame)

    @Slot(bool)
    def _on_log_toggled(self, log: bool) -> None:
        self.loss_plot.getPlotItem().setLogMode(y=log)
        self._redraw.request()

    # ------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop playback and any computation (called when the window closes)."""
        self._play_timer.stop()
        self._rerun_timer.stop()
        self._rerun_pending = False
        if self._job is not None:
            self._job.stop(wait_ms=2000)
