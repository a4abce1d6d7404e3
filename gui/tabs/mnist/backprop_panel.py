"""Backpropagation one layer at a time, on the page's current digit and label.

Step forward through the layers, then backward: the cost, δ at the output, δ in every hidden
layer, and the first layer's weight gradients as pictures. Two experiments sit below the views:
one gradient step on this very example (on the page's copy of the model, so its effect on the
probabilities shows at once), and backpropagation checked against central differences, with the
time each method took. Both run in the worker thread; this panel only draws.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from engine.gradient_cost import format_duration
from engine.mnist.inside import Backprop, GradientCheck, backprop, check_gradients, gradient_step, neuron_layers
from engine.network import Network
from gui.errors import one_line
from gui.tabs.mnist.backprop_stages import Stage, walkthrough
from gui.tabs.mnist.drawn_when_shown import DrawnWhenShown
from gui.tabs.mnist.layer_bars import LayerBars
from gui.tabs.mnist.weight_grid import WeightGrid
from gui.widgets.controls import described, number_box
from gui.worker import JobRunner

PLAY_INTERVAL_MS = 1200     # long enough to read the numbers a stage adds
CHECKED_WEIGHTS = 100


class BackpropPanel(DrawnWhenShown, QWidget):
    """`show_example(network, image, label, labels)` after every change of digit, label or model.

    Signal stepped(object): a copy of the network after one gradient step on this example.
    """

    stepped = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.network: Network | None = None
        self.image: np.ndarray | None = None
        self.label = 0
        self.trace: Backprop | None = None
        self.labels: list[str] = []
        self.stages: list[Stage] = []
        self.stage = 0
        self.before_step: Backprop | None = None      # the trace the last step started from
        # An experiment's outcome, shown in place of the stage's text until the stage changes:
        # one text area keeps the views as tall as projector mode allows.
        self.note: tuple[str, str] | None = None
        self.stepper = JobRunner(self)
        self.checker = JobRunner(self)

        self.back_button = described(QPushButton("◀ Back"), "Back one stage", "Show the previous stage")
        self.step_button = described(QPushButton("Step ▶"), "Step one stage",
                                     "Show the next stage: forward through the layers, then backward")
        self.play_button = described(QPushButton("Play"), "Play the stages",
                                     "Step through every stage by itself, one every second or so")
        self.stage_label = QLabel()
        self.stage_label.setWordWrap(True)     # never wider than the room beside the buttons
        self.stage_label.setAccessibleName("Stage")
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setAccessibleName("What this stage shows")
        self.explanation.setMinimumHeight(3 * self.explanation.fontMetrics().lineSpacing())
        self.layer_bars = LayerBars()
        self.weight_grid = WeightGrid(max_cells=64, quantity="changes",
                                      description=("First-layer weight gradients",
                                                   "−∂L/∂W of each first-layer neuron as a 28×28 image: the way one\n"
                                                   "gradient step moves its weights. Orange: grow, blue: shrink."))
        self.views = QStackedWidget()

        self.learning_rate = number_box(0.001, 10.0, 0.1, "Step size η",
                                        "The learning rate of the one gradient step: w ← w − η·∂L/∂w",
                                        step=0.05, decimals=3)
        self.step_once_button = described(QPushButton("Gradient step"),
                                          "Gradient step on this example",
                                          "Change a copy of the model by w ← w − η·∂L/∂w for this digit and label, "
                                          "and show how the probabilities move (Restore model undoes it)")
        self.check_button = described(QPushButton("Check numerically"), "Check numerically, with central differences",
                                      f"Compare backpropagation with central differences for {CHECKED_WEIGHTS} "
                                      "weights picked at random, and time both")

        controls = QHBoxLayout()
        for widget in (self.back_button, self.step_button, self.play_button):
            controls.addWidget(widget)
        controls.addWidget(self.stage_label, 1)
        # the layers, or (last stage) the weight gradients; the input itself is shown above the panel
        self.views.addWidget(self.layer_bars)
        self.views.addWidget(self.weight_grid)
        experiments = QHBoxLayout()
        experiments.addWidget(QLabel("η"))
        experiments.addWidget(self.learning_rate)
        experiments.addWidget(self.step_once_button)
        experiments.addWidget(self.check_button)
        experiments.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.explanation)
        layout.addWidget(self.views, 1)
        layout.addLayout(experiments)

        self._play_clock = QTimer(self)
        self._play_clock.setInterval(PLAY_INTERVAL_MS)
        self._play_clock.timeout.connect(self._play_tick)
        self.back_button.clicked.connect(self.step_back)
        self.step_button.clicked.connect(self.step_forward)
        self.play_button.clicked.connect(self.toggle_playing)
        self.step_once_button.clicked.connect(self.take_step)
        self.check_button.clicked.connect(self.check)
        self.stepper.finished.connect(self._on_stepped)
        self.stepper.failed.connect(self._on_failed)
        self.stepper.done.connect(self._update_buttons)
        self.checker.finished.connect(self._on_checked)
        self.checker.failed.connect(self._on_failed)
        self.checker.done.connect(self._update_buttons)
        self.show_example(None, None, 0, [str(d) for d in range(10)])

    # --- the example ---------------------------------------------------------------------------
    def show_example(self, network: Network | None, image: np.ndarray | None, label: int,
                     labels: list[str]) -> None:
        """A new digit, label or model: the same stage, with the new numbers."""
        self.network, self.image, self.label, self.labels = network, image, label, list(labels)
        self.checker.cancel()   # a check of the previous example would describe something else
        self.note = None
        self.request_draw()

    def draw(self) -> None:
        network = self.network
        self.trace = trace = (None if network is None or self.image is None
                              else backprop(network, self.image, self.label))
        if trace is None:
            self.stages = []
            self.set_playing(False)
            if network is not None:   # the layers' empty plots, ready for a digit
                layers = neuron_layers(network)
                self.layer_bars.set_layers([layer.name for layer in layers],
                                           [layer.dense.n_out for layer in layers], self.labels)
        else:
            self.layer_bars.set_layers([layer.name for layer in trace.layers],
                                       [layer.activation.size for layer in trace.layers], self.labels)
            self.stages = walkthrough(trace, self.labels)
            self.stage = min(self.stage, len(self.stages) - 1)
        self._render()

    def stepped_from(self, trace: Backprop | None) -> None:
        """The page's model is now one step past `trace`'s (None: restored, no step to compare)."""
        self.before_step = trace

    def show_note(self, title: str, text: str) -> None:
        """Show an outcome in place of the stage's explanation, until the stage changes."""
        self.note = (title, text)
        self._render()

    # --- stepping ------------------------------------------------------------------------------
    @Slot()
    def step_forward(self) -> None:
        if self.stage < len(self.stages) - 1:
            self.go_to(self.stage + 1)

    @Slot()
    def step_back(self) -> None:
        if self.stage > 0:
            self.go_to(self.stage - 1)

    def go_to(self, stage: int) -> None:
        self.stage = stage
        self.note = None
        self._render()

    def playing(self) -> bool:
        return self._play_clock.isActive()

    @Slot()
    def toggle_playing(self) -> None:
        self.set_playing(not self.playing())

    def set_playing(self, playing: bool) -> None:
        # (a plain button, not a checkable one: a window restarting would remember it pressed)
        if playing and self.stages:
            if self.stage >= len(self.stages) - 1:
                self.go_to(0)       # play from the start when the end was reached
            self._play_clock.start()
        else:
            self._play_clock.stop()
        self.play_button.setText("Pause" if self.playing() else "Play")

    @Slot()
    def _play_tick(self) -> None:
        self.step_forward()
        if self.stage >= len(self.stages) - 1:
            self.set_playing(False)

    def _render(self) -> None:
        """Show the current stage of the current example."""
        trace = self.trace
        if trace is None:
            self.stage_label.setText("")
            self.explanation.setText("Draw a digit above, or pick a test digit, to follow it through the network.")
            self.views.setCurrentWidget(self.layer_bars)
            if self.layer_bars.activation_plots:
                empty = [None] * len(self.layer_bars.activation_plots)
                self.layer_bars.show_values(empty, empty)
            self._update_buttons()
            return
        stage = self.stages[self.stage]
        layers = trace.layers
        self.stage_label.setText(f"Stage {self.stage + 1} of {len(self.stages)}")
        title, text = self.note or (stage.title, stage.text)
        self.explanation.setText(f"<b>{html.escape(title)}.</b> {html.escape(text)}")
        shown = [layer.activation if i < stage.forward else None for i, layer in enumerate(layers)]
        deltas = [layer.delta if i >= len(layers) - stage.backward else None for i, layer in enumerate(layers)]
        before = self.before_step.layers[-1].activation if self.before_step is not None else None
        self.layer_bars.show_values(shown, deltas, trace.target if stage.cost else None,
                             before if stage.forward == len(layers) else None)
        if stage.weight_gradient:
            self.weight_grid.set_weights(-layers[0].weight_gradient)
            self.views.setCurrentWidget(self.weight_grid)
        else:
            self.views.setCurrentWidget(self.layer_bars)
        self._update_buttons()

    # --- the two experiments --------------------------------------------------------------------
    @Slot()
    def take_step(self) -> None:
        trace = self.trace
        if trace is None or self.network is None or self.stepper.busy():
            return
        network, image, label, rate = self.network.copy(), trace.image, trace.label, self.learning_rate.value()
        self._pending_step = (trace, rate)
        self.stepper.start(lambda: gradient_step(network, image, label, rate))
        self._update_buttons()

    @Slot(object)
    def _on_stepped(self, network: Network) -> None:
        trace, rate = self._pending_step
        self.stepped.emit(network)     # the page makes it current and shows the example again
        self.before_step = trace
        after = self.trace
        if after is None:
            return
        label = self.labels[trace.label]
        self.stage = next(i for i, stage in enumerate(self.stages) if stage.cost)   # the output bars
        self.show_note(f"One gradient step, η = {rate:g}",
                       f"Cost {trace.loss:.4g} → {after.loss:.4g}; probability of {label} "
                       f"{trace.probabilities[trace.label]:.4f} → {after.probabilities[after.label]:.4f}; "
                       f"answer {self.labels[after.prediction]}. Grey outlines: the output before the step.")

    @Slot()
    def check(self) -> None:
        trace = self.trace
        if trace is None or self.network is None or self.checker.busy():
            return
        network, image, label = self.network.copy(), trace.image, trace.label
        self.show_note("Checking", f"{CHECKED_WEIGHTS} weights with central differences…")
        self.checker.start(lambda: check_gradients(network, image, label, CHECKED_WEIGHTS, seed=0))
        self._update_buttons()

    @Slot(object)
    def _on_checked(self, check: GradientCheck) -> None:
        text = (f"Backpropagation: all {check.parameters:,} gradients in {format_duration(check.backprop_seconds)}. "
                f"Central differences: {check.weights_checked} in {format_duration(check.numerical_seconds)}, "
                f"all would take {format_duration(check.numerical_seconds_all)}. "
                f"Relative error {check.relative_error:.1e}.")
        if self.trace is not None and check.relative_error > 1e-6 and self.trace.loss < 1e-4:
            text += (f" The cost is only {self.trace.loss:.0e}: such tiny differences drown in round-off; "
                     "another label agrees to about 1e-9.")
        self.show_note("Backpropagation against numerical derivatives", text)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.show_note("That did not work", one_line(text))

    @Slot()
    def _update_buttons(self, *_args) -> None:
        have = self.trace is not None
        self.back_button.setEnabled(have and self.stage > 0)
        self.step_button.setEnabled(have and self.stage < len(self.stages) - 1)
        self.play_button.setEnabled(have)
        self.step_once_button.setEnabled(have and not self.stepper.busy())
        self.check_button.setEnabled(have and not self.checker.busy())

    def shutdown(self) -> None:
        self._play_clock.stop()
