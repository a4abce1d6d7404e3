"""Random Search tab: guessing weights against gradient descent, on the same data, model and budget.

Four methods train the book's small classifier (Dense 2→h, ReLU, Dense h→classes, softmax,
cross-entropy) side by side in one worker thread: pure random search, tweak-and-keep, trial and
error, and gradient descent. Live curves compare them per unit of work (multiply-adds,
``engine.work``), per loss evaluation or per iteration; the plane shows what the chosen method's
weights predict; more plots show *why* guessing stalls and what one step of each costs.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout,
                               QProgressBar, QPushButton, QSizePolicy, QTabWidget, QVBoxLayout, QWidget)

from engine.search import (METHOD_TITLES, METHODS, SearchRecord, SearchResult, decision_grid,
                           gradient_magnitudes, loss_at_work, loss_slices, make_data, make_method,
                           run_side_by_side)
from engine.search_model import SearchModel
from engine.trial_and_error import STEP_RULE_DESCRIPTIONS, STEP_RULE_TITLES, ended_because
from gui.accessibility import announce, describe
from gui.errors import one_line
from gui.plot_text import add_legend, set_title
from gui.plotting import Throttle, make_plot, pen, set_axis_label
from gui.style import METHOD_COLOURS, METHOD_LINES
from gui.tabs.base import LessonTab, TabAction
from gui.tabs.random_search.decision_regions import DecisionRegionsPlot
from gui.tabs.random_search.guessing_views import GradientBarsPlot, LossSlicePlot, slope_caption
from gui.tabs.random_search.step_cost_view import StepCostView
from gui.widgets.control_column import ControlColumn
from gui.widgets.controls import choice_box, described, number_box, relabel
from gui.widgets.plot_grid import Arrangement, PlotGrid
from gui.widgets.readout import Readout
from gui.widgets.wrapping_label import WrappingLabel
from gui.worker import JobRunner

DEFAULT_NOISE = {"vertical": 0.1, "spiral": 0.2}
DEFAULT_LR = {"sgd": 1.0, "adam": 0.05}
REGION_RESOLUTION = 90
#: The curves' possible x axes, the honest one first (the default): record field -> axis label.
X_AXES = {"multiply_adds": "million multiply-adds", "loss_evaluations": "loss evaluations",
          "iteration": "iterations"}
X_CHOICES = {"multiply_adds": "multiply-adds", "loss_evaluations": "loss evaluations", "iteration": "iterations"}
DEFAULT_X_AXIS = "multiply_adds"
#: Work is plotted in millions: tick labels like 500 and 1000 read better than 5e+08 and 1e+09.
X_UNITS = {"multiply_adds": 1e6}
KEEPING_METHODS = ("tweak", "trial")   # the methods that try a change and keep it or not
PLOT_CHARS = 32   # the width one plot needs, in characters, to stay readable


def _millions(count: float) -> str:
    """A large count for a sentence: '1.35 million', '2.88 billion'."""
    if count >= 1e9:
        return f"{count / 1e9:.3g} billion"
    return f"{count / 1e6:.3g} million"


class _Trace:
    """The points of one method's curves received so far (or its full history once finished)."""

    def __init__(self):
        self.columns: dict[str, list] = {k: [] for k in
                                         ("iteration", "loss_evaluations", "multiply_adds", "loss", "accuracy",
                                          "acceptance_rate")}
        self.latest: SearchRecord | None = None

    def add(self, record: SearchRecord) -> None:
        if self.latest is not None and record.iteration <= self.latest.iteration:
            return
        self.latest = record
        for key, values in self.columns.items():
            values.append(getattr(record, key))

    def replace(self, result: SearchResult) -> None:
        self.columns = {key: list(values) for key, values in result.history.items()}
        self.latest = result.final

    def array(self, key: str) -> np.ndarray:
        return np.asarray(self.columns[key], dtype=float)


class RandomSearchTab(LessonTab):
    """Besides the tab contract: start(), toggle_pause(), stop(); ``state``."""

    supports = TabAction.RUN | TabAction.RESET

    stateChanged = Signal(str)   # "idle", "running" or "paused"
    runFinished = Signal()       # a run ended (completed or stopped) and its thread is gone

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = "idle"
        self.jobs = JobRunner(self, throttle=0.04)
        # The 'why guessing fails' views need a gradient and ~150 loss evaluations: 35 ms for 64
        # hidden units, a third of a second for 128 and 6,000 points, so never in the UI thread.
        self.why_jobs = JobRunner(self)
        self.why_jobs.finished.connect(self._show_why_views)
        self.traces: dict[str, _Trace] = {m: _Trace() for m in METHODS}
        self.X = self.y = None
        self.model = SearchModel()
        self._started_at = 0.0
        self._rate_mark = (0.0, 0)
        self._iterations = 0                    # budget of the current (or last) run
        self._running_methods: list[str] = []   # methods of the current (or last) run
        self._build_controls(seed)
        self._build_plots()
        self._layout()
        self._curve_throttle = Throttle(self._draw_curves, hz=25, parent=self)
        self._region_throttle = Throttle(self._draw_regions, hz=5, parent=self)
        self._text_timer = QTimer(self)
        self._text_timer.setInterval(1000)
        self._text_timer.timeout.connect(self._update_text)
        self._text_timer.timeout.connect(self._draw_why_views)
        self._connect()
        self._rebuild_data()

    # --- construction ----------------------------------------------------------------------------
    def _build_controls(self, seed: int) -> None:
        self.dataset_combo = choice_box([("Spiral", "spiral"), ("Vertical", "vertical")], "Data set",
                                        "vertical: three blobs side by side (easy); "
                                        "spiral: three interleaved arms (hard)")
        self.classes_spin = number_box(2, 6, 3, "Classes", "number of classes (arms or blobs)")
        self.samples_spin = number_box(10, 1000, 100, "Points per class", "how many points each class has")
        self.noise_spin = number_box(0.0, 1.0, DEFAULT_NOISE["spiral"], "Noise",
                                     "spread of the points: spiral angle noise, or blob standard deviation",
                                     step=0.05, decimals=2)
        self.seed_spin = number_box(0, 999_999, int(seed), "Seed", "random seed for the data, the starting "
                                    "weights and every guess: same seed, same run")
        self.hidden_spin = number_box(1, 128, 3, "Hidden units h",
                                      "neurons in the hidden layer of Dense 2→h, ReLU, Dense h→classes, softmax, "
                                      "cross-entropy (the book uses 3; gradient descent shines with 64)",
                                      key="Hidden units")

        self.method_checks = {}
        for method in METHODS:
            box = described(QCheckBox(METHOD_TITLES[method].capitalize()), METHOD_TITLES[method],
                            {"random": "draw completely new weights 0.05·N(0,1) every iteration and keep the best",
                             "tweak": "add a small random change to the best weights; keep it only if the loss drops",
                             "trial": "move one weight at a time up, else down, by the step size; keep a change "
                                      "only if the loss drops",
                             "gradient": "move every weight against its derivative (SGD or Adam)"}[method])
            box.setChecked(True)
            self.method_checks[method] = box
        self.step_spin = number_box(0.001, 2.0, 0.05, "Step size",
                                    "size of guesses and tweaks: each weight gets step·N(0,1) (book: 0.05); "
                                    "trial and error moves one weight by exactly ±step",
                                    step=0.01, decimals=3)
        self.step_rule_combo = choice_box([(title.capitalize(), rule) for rule, title in STEP_RULE_TITLES.items()],
                                          "Methods: trial and error step rule", "trial and error's step. " + "; ".join(
                                              f"{STEP_RULE_TITLES[rule]}: {text}"
                                              for rule, text in STEP_RULE_DESCRIPTIONS.items()), key="Trial step")
        self.optimizer_combo = choice_box([("Adam", "adam"), ("SGD", "sgd")], "Optimizer",
                                          "how gradient descent turns gradients into steps")
        self.lr_spin = number_box(0.0001, 10.0, DEFAULT_LR["adam"], "Learning rate", "step size η of gradient descent",
                                  step=0.01, decimals=4)
        self.iterations_spin = number_box(10, 1_000_000, 10_000, "Iterations",
                                          "budget for every method: guesses tried, or gradient steps taken "
                                          "(a step costs about three guesses' work)", step=1000)
        self.iterations_spin.setGroupSeparatorShown(True)

        self.start_button = described(QPushButton("Start"), "Start", "run the checked methods side by side")
        self.pause_button = described(QPushButton("Pause"), "Pause", "pause or resume the run")
        self.stop_button = described(QPushButton("Stop"), "Stop", "end the run, keeping what it found")
        self.reset_button = described(QPushButton("Reset"), "Reset", "stop and clear all curves")

        self.x_axis_combo = choice_box([(label, key) for key, label in X_CHOICES.items()], "Plot against",
                                       "x axis of the curves. Work: the multiply-adds each method did on the "
                                       "same model and data; a guess is one forward pass, a gradient step a "
                                       "forward and a backward pass, about three. Loss evaluations count a step "
                                       "like a guess; iterations count guesses or steps.")
        self.show_combo = choice_box([(METHOD_TITLES[method], method) for method in METHODS], "Show weights of",
                                     "whose current weights the decision regions and the 'why' plots use")
        self.show_combo.setCurrentIndex(METHODS.index("tweak"))

        self.progress_bar = described(QProgressBar(), "Progress", "share of the iteration budget done")
        self.progress_bar.setRange(0, 1000)
        self.speed_label = Readout("Speed", "iterations per second, all methods together", "Speed: –")
        self.speed_label.setWordWrap(True)
        self.summary_label = Readout("Results", "each method's current loss and accuracy")
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.status_label = Readout("Status", "what the tab is doing")
        self.status_label.setWordWrap(True)

    def _build_plots(self) -> None:
        self.regions = DecisionRegionsPlot("Decision regions")
        self.loss_plot = make_plot("Loss", X_AXES[DEFAULT_X_AXIS], "cross-entropy")
        self.accuracy_plot = make_plot("Accuracy", X_AXES[DEFAULT_X_AXIS], "accuracy")
        self.accuracy_plot.getPlotItem().setYRange(0, 1, padding=0.02)
        self.acceptance_plot = make_plot("Changes kept", X_AXES[DEFAULT_X_AXIS], "share kept")
        self.acceptance_plot.setToolTip("Of the last 250 tries of tweak-and-keep and of trial and error, "
                                        "the share that lowered the loss and was kept")
        self.acceptance_plot.getPlotItem().setYRange(0, 1, padding=0.02)
        self.slice_plot = LossSlicePlot()
        self.bars_plot = GradientBarsPlot()
        self.cost_view = StepCostView()
        # every curve named, not only coloured, in a legend under its plot; by the method's short
        # name (as in the results table and `search --method`): four full titles would take four
        # lines under each plot, more than a projector's screen has to spare
        for plot in (self.loss_plot, self.accuracy_plot, self.acceptance_plot):
            add_legend(plot.getPlotItem())
        self.loss_curves, self.accuracy_curves = {}, {}
        for method in METHODS:
            p = pen(METHOD_COLOURS[method], style=METHOD_LINES[method])
            self.loss_curves[method] = self.loss_plot.plot([], [], pen=p, name=method)
            self.accuracy_curves[method] = self.accuracy_plot.plot([], [], pen=p, name=method)
        self.acceptance_curves = {method: self.acceptance_plot.plot([], [], name=method,
                                                                    pen=pen(METHOD_COLOURS[method],
                                                                            style=METHOD_LINES[method]))
                                  for method in KEEPING_METHODS}
        for plot in (self.loss_plot, self.accuracy_plot, self.acceptance_plot):
            plot.getPlotItem().setClipToView(True)
            plot.getPlotItem().setDownsampling(auto=True, mode="peak")

    def _layout(self) -> None:
        data_box = QGroupBox("Data")
        form = QFormLayout(data_box)
        form.addRow("Data set", self.dataset_combo)
        form.addRow("Classes", self.classes_spin)
        form.addRow("Points per class", self.samples_spin)
        form.addRow("Noise", self.noise_spin)
        form.addRow("Seed", self.seed_spin)
        model_box = QGroupBox("Model")
        model_box.setToolTip("Dense 2→h, ReLU, Dense h→classes, softmax, cross-entropy")
        form = QFormLayout(model_box)
        form.addRow("Hidden units h", self.hidden_spin)
        methods_box = QGroupBox("Methods")
        form = QFormLayout(methods_box)
        for method, box in self.method_checks.items():
            if method == "trial":
                form.addRow(box, self.step_rule_combo)  # its step rule beside it: one row, not two
            else:
                form.addRow(box)
        form.addRow("Step size", self.step_spin)
        form.addRow("Optimizer", self.optimizer_combo)
        form.addRow("Learning rate", self.lr_spin)
        form.addRow("Iterations", self.iterations_spin)
        self.settings = QWidget()
        settings_layout = QVBoxLayout(self.settings)
        settings_layout.setContentsMargins(0, 0, 0, 0)
        for box in (data_box, model_box, methods_box):
            settings_layout.addWidget(box)

        buttons = QGridLayout()
        buttons.addWidget(self.start_button, 0, 0)
        buttons.addWidget(self.pause_button, 0, 1)
        buttons.addWidget(self.stop_button, 1, 0)
        buttons.addWidget(self.reset_button, 1, 1)
        view_box = QGroupBox("View")
        form = QFormLayout(view_box)
        form.addRow("Plot against", self.x_axis_combo)
        form.addRow("Show weights of", self.show_combo)

        for form in self.settings.findChildren(QFormLayout):
            form.setVerticalSpacing(3)
        self.controls_column = ControlColumn(min_chars=34, max_chars=34)
        self.controls_column.add(self.settings, buttons, self.progress_bar, self.speed_label, self.summary_label,
                                 self.status_label, view_box)

        weights_page = QWidget()
        weights_page.setToolTip("From the weights shown in the decision regions: the loss along a random "
                                "direction and along the negative gradient, and how much each weight matters")
        plots_row = QHBoxLayout()
        plots_row.addWidget(self.slice_plot)
        plots_row.addWidget(self.bars_plot)
        # a WrappingLabel: a plain wrapped label's height-for-width pulls the plot rows unequal
        self.slope_label = WrappingLabel(min_lines=2, caption="Slopes along the two lines",
                                         tip="How fast the loss changes where each line starts: the negative "
                                             "gradient is the steepest direction down, whatever the curves look like")
        weights_layout = QVBoxLayout(weights_page)
        weights_layout.setContentsMargins(2, 2, 2, 2)
        weights_layout.addLayout(plots_row, 1)
        weights_layout.addWidget(self.slope_label)
        # pages instead of a titled box: the tab bar takes the title's room, the plots keep theirs
        self.why_pages = described(QTabWidget(), "Why guessing fails",
                                   "The current weights seen along two lines and weight by weight, or what one "
                                   "step of each method costs as the number of weights grows")
        self.why_pages.setDocumentMode(True)
        # the grid's equal rows decide its height, not the size a page would like (a plot's is large)
        self.why_pages.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.why_pages.addTab(weights_page, "Why guessing fails")
        self.why_pages.addTab(self.cost_view, "Cost of one step")
        self._why_box = why = self.why_pages
        regions, loss, accuracy, kept = self.regions, self.loss_plot, self.accuracy_plot, self.acceptance_plot
        # three plots a row when there is room, else two (narrow window, projector font, lesson shown)
        self.plot_area = PlotGrid([
            Arrangement(3 * PLOT_CHARS, [(regions, 0, 0, 1, 1), (loss, 0, 1, 1, 1), (accuracy, 0, 2, 1, 1),
                                         (kept, 1, 0, 1, 1), (why, 1, 1, 1, 2)]),
            Arrangement(0, [(regions, 0, 0, 1, 1), (loss, 0, 1, 1, 1), (accuracy, 1, 0, 1, 1),
                            (kept, 1, 1, 1, 1), (why, 2, 0, 1, 2)], [8, 8, 11]),
        ])
        layout = QHBoxLayout(self)
        layout.addWidget(self.controls_column)
        layout.addWidget(self.plot_area, 1)

    def plot_columns(self) -> int:
        """How many plots the grid shows side by side now."""
        return 3 if self.plot_area.current is self.plot_area.arrangements[0] else 2

    def _connect(self) -> None:
        self.jobs.progress.connect(self._on_progress)
        self.jobs.finished.connect(self._on_finished)
        self.jobs.failed.connect(self._on_failed)
        self.jobs.done.connect(self._on_done)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop)
        self.reset_button.clicked.connect(self.reset)
        self.dataset_combo.currentIndexChanged.connect(self._on_dataset_changed)
        for spin in (self.classes_spin, self.samples_spin, self.seed_spin, self.hidden_spin):
            spin.valueChanged.connect(self._rebuild_data)
        self.noise_spin.valueChanged.connect(self._rebuild_data)
        self.optimizer_combo.currentIndexChanged.connect(self._on_optimizer_changed)
        self.x_axis_combo.currentIndexChanged.connect(self._on_x_axis_changed)
        self.show_combo.currentIndexChanged.connect(self._draw_weights_views)
        self.cost_view.measureRequested.connect(self.measure_step_cost)
        self.why_pages.currentChanged.connect(self._on_why_page)
        self.show_combo.currentIndexChanged.connect(self._describe_curves)
        self.x_axis_combo.currentIndexChanged.connect(self._describe_curves)
        self._set_state("idle")

    # --- data and model ------------------------------------------------------------------------------
    @Slot()
    def _on_dataset_changed(self) -> None:
        self.noise_spin.blockSignals(True)
        self.noise_spin.setValue(DEFAULT_NOISE[self.dataset_combo.currentData()])
        self.noise_spin.blockSignals(False)
        self._rebuild_data()

    @Slot()
    def _on_optimizer_changed(self) -> None:
        self.lr_spin.setValue(DEFAULT_LR[self.optimizer_combo.currentData()])

    @Slot()
    def _rebuild_data(self) -> None:
        """New data or model settings: draw the data, forget old runs, show the starting weights."""
        if self.state != "idle":
            return
        classes = self.classes_spin.value()
        self.X, self.y = make_data(self.dataset_combo.currentData(), self.samples_spin.value(), classes,
                                   self.noise_spin.value(), self.seed_spin.value())
        self.model = SearchModel(2, self.hidden_spin.value(), classes)
        if self.model.size != self.cost_view.parameters:
            self.cost_view.cancel("The model changed: press Measure again.")
            self.cost_view.set_model_size(self.model.size)
        lo, hi = self.X.min(axis=0), self.X.max(axis=0)
        pad = 0.1 * np.maximum(hi - lo, 1e-3)
        self._bounds = ((lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1]))
        self.start_weights = self.model.initial_weights(np.random.default_rng(self.seed_spin.value()))
        self.regions.set_points(self.X, self.y, classes)
        self._clear_results()

    def _clear_results(self) -> None:
        self.traces = {m: _Trace() for m in METHODS}
        self.details: dict[str, dict] = {}   # what a finished method adds (trial and error: how it ended)
        self.progress_bar.setValue(0)
        self.speed_label.setText("Speed: –")
        self._draw_curves()
        self._draw_weights_views()
        self._update_text()
        self.status_label.setText(f"{len(self.y)} points, {self.model.size} weights to find. Press Start.")

    def current_weights(self) -> np.ndarray:
        """Weights of the method chosen under 'Show weights of' (the start, before it has run)."""
        latest = self.traces[self.show_combo.currentData()].latest
        return latest.weights if latest is not None and latest.weights is not None else self.start_weights

    def report(self) -> dict:
        """Plain numbers for the window's run report: the model and each method's latest result."""
        results = {}
        for method, trace in self.traces.items():
            r = trace.latest
            if r is not None:
                results[method] = {"iterations": int(r.iteration), "loss_evaluations": int(r.loss_evaluations),
                                   "multiply_adds": int(r.multiply_adds),
                                   "loss": float(r.loss), "accuracy": float(r.accuracy),
                                   "accepted": int(r.accepted)}
        return {"model": [2, self.model.hidden, self.model.classes], "parameters": self.model.size,
                "points": int(len(self.y)), "state": self.state, "results": results}

    # --- running ---------------------------------------------------------------------------------------
    def checked_methods(self) -> list[str]:
        return [m for m in METHODS if self.method_checks[m].isChecked()]

    @Slot()
    def start(self) -> None:
        if self.state != "idle":
            return
        methods = self.checked_methods()
        if not methods:
            self.status_label.setText("Tick at least one method to run.")
            return
        self._clear_results()
        self.cost_view.cancel("Stopped timing: a run started, and would have slowed it. Measure when it ends.")
        X, y, model = self.X, self.y, self.model
        settings = dict(iterations=self.iterations_spin.value(), seed=self.seed_spin.value(),
                        step_size=self.step_spin.value(), optimizer=self.optimizer_combo.currentData(),
                        learning_rate=self.lr_spin.value(),  # the engine's decay, as `search` uses
                        step_rule=self.step_rule_combo.currentData())

        def job():
            return run_side_by_side({m: make_method(m, model, X, y, **settings) for m in methods})

        self._iterations = settings["iterations"]
        self._running_methods = methods
        self._started_at = time.perf_counter()
        self._rate_mark = (self._started_at, 0)
        self._set_state("running")
        self.status_label.setText("Running " + ", ".join(METHOD_TITLES[m] for m in methods) + " …")
        self.jobs.start(job)
        self._text_timer.start()

    @Slot()
    def toggle_run(self) -> None:
        """Space in the window: start when idle, else pause or resume."""
        if self.state == "idle":
            self.start()
        else:
            self.toggle_pause()

    @Slot()
    def toggle_pause(self) -> None:
        if self.state == "idle":
            return
        if self.state == "running":
            self.jobs.pause()
            self._set_state("paused")
            self.status_label.setText("Paused. Press Resume to go on.")
        else:
            self.jobs.resume()
            self._set_state("running")
            self.status_label.setText("Running …")

    @Slot()
    def stop(self) -> None:
        """Ask the run to end; the tab returns to idle when the thread is gone (``runFinished``)."""
        if self.jobs.busy():
            self.status_label.setText("Stopping …")
            self.jobs.stop()

    @Slot()
    def reset(self) -> None:
        self.jobs.cancel()  # nothing of the old run arrives any more
        self._text_timer.stop()
        if self.state != "idle":
            self._set_state("idle")
        self._rebuild_data()

    def shutdown(self) -> None:
        self._text_timer.stop()
        super().shutdown()

    @Slot(object)
    def _on_progress(self, records: dict) -> None:
        for method, record in records.items():
            self.traces[method].add(record)
        self._curve_throttle.request()
        self._region_throttle.request()

    @Slot(object)
    def _on_finished(self, result) -> None:
        if not isinstance(result, dict):
            return
        for method, value in result.items():
            if isinstance(value, SearchResult):
                self.traces[method].replace(value)
                self.details[method] = value.details
            elif isinstance(value, SearchRecord):
                self.traces[method].add(value)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.status_label.setText("The run failed: " + one_line(text))
        self.status_label.announce(urgent=True)

    @Slot(bool)
    def _on_done(self, stopped: bool) -> None:
        self._text_timer.stop()
        self._set_state("idle")
        self._curve_throttle.flush()
        self._region_throttle.flush()
        self._draw_why_views()
        self._update_text(final=True)
        if not self.status_label.text().startswith("The run failed"):
            self.status_label.setText("Stopped." if stopped else self._lesson_note())
            announce(self, f"{self.status_label.text()} {self.summary_label.accessibleName()}")
        self.runFinished.emit()

    def _lesson_note(self) -> str:
        """One or two sentences on what the finished run shows, measured at equal work."""
        note = self._equal_work_note()
        if self.details.get("trial", {}).get("ended") == "stuck":
            tries = self.traces["trial"].latest.iteration
            note += (f" Trial and error stopped after {tries:,} tries: "
                     f"{ended_because('stuck', self.step_spin.value())}.")
        return note

    def _equal_work_note(self) -> str:
        """The best guessing method against gradient descent, at the work the guessing method did."""
        ran = [m for m in ("tweak", "trial", "random") if m in self._running_methods and self.traces[m].latest]
        if "gradient" not in self._running_methods or not ran:
            return "Finished. Compare the curves, or change the settings and run again."
        guess = min(ran, key=lambda m: self.traces[m].latest.loss)
        work = self.traces[guess].latest.multiply_adds
        trace = self.traces["gradient"]
        gradient = loss_at_work({"multiply_adds": trace.array("multiply_adds"), "loss": trace.array("loss")}, work)
        guessed = self.traces[guess].latest.loss
        if not gradient < guessed - 0.05 and self.model.hidden < 16:
            return ("Finished. With so few hidden units no method separated this data; "
                    "set h = 64 and run again to see gradient descent pull ahead.")
        return (f"Finished. For the work {METHOD_TITLES[guess]} did ({_millions(work)} multiply-adds), "
                f"gradient descent reached loss {gradient:.3f}, against {guessed:.3f}.")

    @Slot()
    def measure_step_cost(self) -> None:
        """Time one step of each method on the current model and weights (not during a run: it would
        slow the run and the run would spoil the timing)."""
        if self.state == "idle":
            self.cost_view.start(self.model, self.X, self.y, self.current_weights(), self.step_spin.value())

    @Slot(int)
    def _on_why_page(self, index: int) -> None:
        """The first look at the cost page measures at once: the points are the lesson."""
        if self.why_pages.widget(index) is self.cost_view and self.cost_view.report is None:
            self.measure_step_cost()

    def _set_state(self, state: str) -> None:
        self.state = state
        busy = state != "idle"
        self.cost_view.measure_button.setEnabled(not busy and not self.cost_view.is_running())
        self.settings.setEnabled(not busy)
        self.start_button.setEnabled(not busy)
        self.pause_button.setEnabled(busy)
        self.stop_button.setEnabled(busy)
        relabel(self.pause_button, "Resume" if state == "paused" else "Pause")
        self.stateChanged.emit(state)

    # --- drawing ---------------------------------------------------------------------------------------
    @Slot()
    def _on_x_axis_changed(self) -> None:
        label = X_AXES[self.x_axis_combo.currentData()]
        for plot in (self.loss_plot, self.accuracy_plot, self.acceptance_plot):
            set_axis_label(plot.getPlotItem(), "bottom", label)
        self._draw_curves()

    def _draw_curves(self) -> None:
        x_key = self.x_axis_combo.currentData()
        unit = X_UNITS.get(x_key, 1.0)
        for method, trace in self.traces.items():
            x = trace.array(x_key) / unit
            self.loss_curves[method].setData(x, trace.array("loss"))
            self.accuracy_curves[method].setData(x, trace.array("accuracy"))
        for method, curve in self.acceptance_curves.items():
            trace = self.traces[method]
            curve.setData(trace.array(x_key) / unit, trace.array("acceptance_rate"))

    @Slot()
    def _draw_weights_views(self) -> None:
        """Every view of the chosen method's current weights: regions, loss slices, gradient bars."""
        self._draw_regions()
        self._draw_why_views()

    def _draw_regions(self) -> None:
        if self.X is None:
            return
        grid = decision_grid(self.model, self.current_weights(), *self._bounds, resolution=REGION_RESOLUTION)
        self.regions.set_regions(grid, self.model.classes)
        method = self.show_combo.currentData()
        set_title(self.regions.getPlotItem(), f"Regions ({method})")   # short: one line in a narrow plot

    def _whose_weights(self) -> str:
        method = self.show_combo.currentData()
        latest = self.traces[method].latest
        return "the starting weights" if latest is None else f"{METHOD_TITLES[method]}'s current weights"

    def _describe_curves(self) -> None:
        """The curves and the regions in words for screen readers, at the text rate (once a second)."""
        latest = {m: t.latest for m, t in self.traces.items() if t.latest is not None}
        axis = X_AXES[self.x_axis_combo.currentData()]
        nothing = " Nothing has run yet." if not latest else ""
        describe(self.loss_plot, f"Cross-entropy loss of each method against {axis}." + nothing + "".join(
            f" {METHOD_TITLES[m]}: {r.loss:.4f} after {getattr(r, self.x_axis_combo.currentData()):,} {axis}."
            for m, r in latest.items()))
        describe(self.accuracy_plot, f"Share of points classified correctly against {axis}." + nothing + "".join(
            f" {METHOD_TITLES[m]}: {100 * r.accuracy:.1f}%." for m, r in latest.items()))
        tweak = latest.get("tweak")
        describe(self.acceptance_plot, f"Share of tweak-and-keep's last 250 tries that lowered the loss and were kept, "
                                       f"against {axis}." + (f" Now {100 * tweak.acceptance_rate:.1f}%." if tweak
                                                             else " Nothing has run yet."))
        shown = latest.get(self.show_combo.currentData())
        if self.y is not None:
            describe(self.regions, f"Decision regions: the class {self._whose_weights()} predict over the plane, with "
                                   f"the {len(self.y)} data points of {self.model.classes} classes on top, one marker "
                                   f"shape per class." + (f" They classify {100 * shown.accuracy:.1f}% of the points "
                                                          f"correctly." if shown else ""))

    def _draw_why_views(self) -> None:
        """The 'why guessing fails' plots, for the weights shown now: computed in a worker (about once
        a second during a run); a newer request supersedes one still being computed."""
        if self.X is None:
            return
        model, X, y, seed = self.model, self.X, self.y, self.seed_spin.value()
        weights = np.array(self.current_weights(), copy=True)
        whose = self._whose_weights()

        def job():
            return (loss_slices(model, weights, X, y, points=61, seed=seed),
                    gradient_magnitudes(model, weights, X, y), whose)
        self.why_jobs.start(job)

    @Slot(object)
    def _show_why_views(self, result) -> None:
        slices, magnitudes, whose = result
        self.slice_plot.show_slices(slices)
        self.slope_label.setText(slope_caption(slices))
        self.bars_plot.show_magnitudes(magnitudes)
        describe(self.slice_plot, f"The loss along a straight line from {whose}, in a random direction and along "
                                  f"the negative gradient. {self.slope_label.text()}")
        largest = int(np.argmax(magnitudes["magnitude"]))
        describe(self.bars_plot, f"|∂L/∂w| for each of the {len(magnitudes['names'])} weights, at {whose}: the largest "
                                 f"is {magnitudes['magnitude'][largest]:.3g} for {magnitudes['names'][largest]}, the "
                                 f"smallest {np.min(magnitudes['magnitude']):.3g}.")

    @Slot()
    def _update_text(self, final: bool = False) -> None:
        rows, words = [], []
        done = 0
        for method in METHODS:
            latest = self.traces[method].latest
            if latest is None:
                continue
            done += latest.iteration
            loss, accuracy, iterations = f"{latest.loss:.4f}", f"{100 * latest.accuracy:.1f}%", f"{latest.iteration:,}"
            rows.append(f"<tr><td><b style='color:{METHOD_COLOURS[method]}'>■</b>&nbsp;{method}</td>"
                        f"<td align=right>&nbsp;{loss}</td><td align=right>&nbsp;{accuracy}</td>"
                        f"<td align=right>&nbsp;{iterations}</td></tr>")
            words.append(f"{METHOD_TITLES[method]}: loss {loss}, accuracy {accuracy}, {iterations} iterations")
        header = "<tr><td></td><td align=right>loss</td><td align=right>acc.</td><td align=right>iter.</td></tr>"
        self.summary_label.setText("<table>" + header + "".join(rows) + "</table>" if rows else "",
                                   spoken="; ".join(words))
        self._describe_curves()
        if self.state == "idle" and not final:
            return
        now = time.perf_counter()
        if final:
            elapsed = max(now - self._started_at, 1e-9)
            speed = done / elapsed
            self.speed_label.setText(f"Speed: {speed:,.0f} iterations/s over {elapsed:.1f} s")
        else:
            then, before = self._rate_mark
            speed = (done - before) / max(now - then, 1e-9)
            self._rate_mark = (now, done)
            self.speed_label.setText(f"Speed: {speed:,.0f} iterations/s")
        total = max(1, self._iterations * len(self._running_methods))
        self.progress_bar.setValue(int(1000 * min(1.0, self._budget_used() / total)))

    def _budget_used(self) -> int:
        """Iterations done, counting a method that ended before its budget (a stuck trial and error) as done."""
        used = 0
        for method in METHODS:
            latest = self.traces[method].latest
            if latest is not None:
                ended_early = self.details.get(method, {}).get("ended") in ("stuck", "smallest step")
                used += self._iterations if ended_early else latest.iteration
        return used
