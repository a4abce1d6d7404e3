"""'What would this cost for a network?': numerical gradient against backpropagation, measured.

The panel builds a real engine network, takes one MNIST-shaped batch and computes its gradient
twice in a worker thread — by nudging every parameter (one forward pass each) and by
backpropagation — then shows the pass counts, the times, the speed-up, how far apart the two
gradients are, and what the numerical way would cost for a million parameters and a full epoch.
"""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine.gradient_cost import (
    MNIST_TRAINING_IMAGES,
    NETWORK_PRESETS,
    CostProgress,
    check_numerical_work,
    format_duration,
    gradient_cost,
    parameter_count,
)
from gui.accessibility import announce
from gui.errors import one_line
from gui.style import HINT_TEXT
from gui.widgets.controls import choice_box, described, number_box
from gui.widgets.readout import Readout
from gui.worker import JobRunner

TEXT_INTERVAL = 0.5  # seconds between live text updates; the progress bar follows every record


def preset_label(name: str) -> str:
    sizes = NETWORK_PRESETS[name]
    return f"{name} — {'-'.join(map(str, sizes))} ({parameter_count(sizes):,} parameters)"


class GradientCostPanel(QGroupBox):
    """Measures one batch's gradient both ways in a worker thread; cancel stops it promptly."""

    reportReady = Signal(dict)

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__("What would this cost for a network?", parent)
        self.seed = seed
        self.jobs = JobRunner(self)
        self._cancelled = False
        self.last_report: dict | None = None
        self.last_progress: CostProgress | None = None
        self._last_text_time = 0.0
        self.setAccessibleName("Gradient cost panel")
        self.setToolTip("Compute one batch's gradient numerically and by backpropagation, and compare the cost")

        self.network_box = choice_box([(preset_label(name), name) for name in NETWORK_PRESETS], "Network",
                                      "The network whose gradient is measured: small, the lesson's 784-16-16-10, "
                                      "or large", min_chars=14)
        self.network_box.setCurrentIndex(list(NETWORK_PRESETS).index("lesson"))

        self.batch_box = number_box(1, 1024, 32, "Batch size",
                                    "How many images are in the batch (random grey levels 0–1)")

        self.method_box = choice_box([("forward difference (P + 1 passes)", "forward"),
                                      ("central difference (2P passes)", "central")], "Numerical method",
                                     "Forward: one pass per parameter plus one; central: two per parameter", min_chars=14)

        self.run_button = described(QPushButton("Measure"), "Measure gradient cost", "Compute the gradient of one "
                                    "batch numerically and by backpropagation (runs in the background)")
        self.cancel_button = described(QPushButton("Cancel"), "Cancel measurement", "Stop the numerical gradient now")
        self.cancel_button.setEnabled(False)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)

        self.progress_bar = described(QProgressBar(), "Numerical gradient progress",
                                      "Share of parameters whose derivative is known")
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(0)
        self.progress_bar.setFormat("%p% of parameters")

        self.status_label = Readout("Measurement status", "What the measurement is doing",
                                    "Press Measure to time both ways of getting the gradient.")
        self.status_label.setWordWrap(True)
        self.result_label = Readout("Measurement results", "Forward passes, times, speed-up and extrapolation")
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("Network", self.network_box)
        form.addRow("Batch", self.batch_box)
        form.addRow("Numerical", self.method_box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.result_label, 1)
        self.jobs.progress.connect(self._on_progress)
        self.jobs.finished.connect(self._on_finished)
        self.jobs.failed.connect(self._on_failed)
        self.jobs.done.connect(self._on_done)

    # --- control ---------------------------------------------------------------------------------
    def layers(self) -> tuple[int, ...]:
        return NETWORK_PRESETS[self.network_box.currentData()]

    def is_running(self) -> bool:
        return self.jobs.busy()

    @Slot()
    def start(self) -> None:
        if self.jobs.busy():
            return  # one measurement at a time; the buttons say so too
        layers, batch, method, seed = self.layers(), self.batch_box.value(), self.method_box.currentData(), self.seed
        try:
            check_numerical_work(layers, batch, method)   # the large network on a big batch: hours
        except ValueError as exc:
            self.status_label.setText(f"Not started: {exc}.")
            return
        self.last_progress = None
        self.progress_bar.setRange(0, parameter_count(layers))
        self.progress_bar.setValue(0)
        self.status_label.setText("Backpropagation: one forward and one backward pass …")
        self.result_label.clear()
        self._cancelled = False
        self._set_running(True)
        self.jobs.start(lambda: gradient_cost(layers=layers, batch=batch, method=method, seed=seed))

    @Slot()
    def cancel(self) -> None:
        if self.jobs.busy():
            self.status_label.setText("Cancelling …")
            self._cancelled = True
            self.jobs.stop()  # the loop notices within a few hundredths of a second

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for box in (self.network_box, self.batch_box, self.method_box):
            box.setEnabled(not running)

    # --- results from the worker ------------------------------------------------------------------
    @Slot(object)
    def _on_progress(self, record: CostProgress) -> None:
        self.last_progress = record
        self.progress_bar.setValue(record.done)
        now = time.monotonic()
        if record.phase != "numerical" or now - self._last_text_time >= TEXT_INTERVAL:
            self._last_text_time = now
            self.status_label.setText(self._progress_text(record))

    @staticmethod
    def _progress_text(record: CostProgress) -> str:
        if record.phase == "backprop":
            return (f"Backpropagation done in {format_duration(record.backprop_seconds)}. "
                    f"Now nudging each of {record.parameters:,} parameters …")
        if record.phase == "numerical":
            return (f"Numerical: {record.done:,} of {record.parameters:,} parameters, "
                    f"{record.forward_passes:,} forward passes, {format_duration(record.numerical_seconds)} "
                    f"(about {format_duration(record.estimated_total_seconds)} in all). "
                    f"Backpropagation needed {format_duration(record.backprop_seconds)}.")
        return "Done."

    @Slot(object)
    def _on_finished(self, result) -> None:
        if self._cancelled or not isinstance(result, dict):
            record = self.last_progress
            if record is not None and record.phase == "numerical" and record.forward_passes:
                self.status_label.setText(
                    f"Cancelled after {record.forward_passes:,} forward passes "
                    f"({record.done:,} of {record.parameters:,} parameters, {format_duration(record.numerical_seconds)}); "
                    f"the whole numerical gradient would take about {format_duration(record.estimated_total_seconds)}, "
                    f"backpropagation {format_duration(record.backprop_seconds)}.")
            else:
                self.status_label.setText("Cancelled.")
            self.status_label.announce()
            return
        self.last_report = result
        self.progress_bar.setValue(self.progress_bar.maximum())
        self.status_label.setText("Done: both gradients computed for the same batch.")
        self.result_label.setText(self.report_html(result))
        announce(self, f"Measurement finished. Speed-up of backpropagation: {result['speedup']:,.0f} times "
                       f"for {result['parameters']:,} parameters.")
        self.reportReady.emit(dict(result))

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.status_label.setText(f"The measurement failed: {one_line(text)}")
        self.status_label.announce(urgent=True)

    @Slot(bool)
    def _on_done(self, _stopped: bool) -> None:
        self._set_running(False)

    @staticmethod
    def report_html(r: dict) -> str:
        """The result table shown to the class: the two methods side by side."""
        agree = "they agree" if r["relative_error"] < 1e-4 else "they DIFFER"
        rows = [
            ("Forward passes", f"{r['numerical_forward_passes']:,}", "1 (+ 1 backward)"),
            ("One batch", format_duration(r["numerical_seconds"]), format_duration(r["backprop_seconds"])),
            (f"One epoch ({MNIST_TRAINING_IMAGES:,} images)", format_duration(r["epoch_numerical_seconds"]),
             format_duration(r["epoch_backprop_seconds"])),
            ("1M parameters, one batch", format_duration(r["million_numerical_seconds"]),
             format_duration(r["million_backprop_seconds"])),
            ("1M parameters, one epoch", format_duration(r["million_epoch_numerical_seconds"]),
             format_duration(r["million_epoch_backprop_seconds"])),
        ]
        head = "<tr><th></th><th align='right'>numerical</th><th align='right'>backprop</th></tr>"
        body = "".join(f"<tr><td>{k}</td><td align='right'><b>{a}</b></td><td align='right'>{b}</td></tr>"
                       for k, a, b in rows)
        summary = (f"<p><b>Speed-up of backpropagation: {r['speedup']:,.0f}×</b> for {r['parameters']:,} parameters. "
                   f"Largest difference between the two gradients: {r['max_abs_difference']:.2g} ({agree}).</p>")
        note = (f"<p style='color:{HINT_TEXT}'>The 1M rows are measured on a {'-'.join(map(str, r['million_layers']))} "
                f"network ({r['million_parameters']:,} parameters): one forward pass took "
                f"{format_duration(r['million_forward_seconds'])}, and the numerical gradient of one batch needs "
                f"{r['million_parameters'] + 1 if r['method'] == 'forward' else 2 * r['million_parameters']:,} "
                f"of them. An epoch is {r['batches_per_epoch']:,} batches.</p>")
        return f"{summary}<table cellspacing='3'>{head}{body}</table>{note}"
