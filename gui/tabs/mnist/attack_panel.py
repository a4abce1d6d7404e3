"""The gradient attack against random noise of the same size, on one digit and on the test set.

The ε slider pushes every pixel of the current digit by ±ε: once in the sign of the cost's gradient
(FGSM), once in random signs. Both images are shown with the network's answer. Below, the
accuracy against ε on the test digits for both, measured in the worker batch by batch; the curve
grows more exact as digits are added and a stopped run keeps what it measured.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from engine.mnist import MnistData
from engine.mnist.attacks import (MAX_EPSILON, AttackCurve, gradient_signs, iter_attack_curve, push,
                                  random_signs)
from engine.mnist.outputs import class_probabilities
from engine.network import Network
from gui.errors import one_line
from gui.plotting import make_plot, pen
from gui.style import GRADIENT_DIRECTION, GREY, RANDOM_DIRECTION
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.drawn_when_shown import DrawnWhenShown
from gui.widgets.controls import described
from gui.widgets.labelled_slider import LabelledSlider
from gui.widgets.readout import Readout
from gui.worker import JobRunner

IMAGE_SIZE = 110      # three side by side, captions of two short lines: fits projector mode
#: The curve's ε values: 0 (free: the clean digits) and six pushes up to the slider's end.
CURVE_EPSILONS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


NEEDS_MNIST = "The attack curve needs the MNIST test digits."


class AttackPanel(DrawnWhenShown, QWidget):
    """`set_network(network, labels)` when the model changes, `show_example(image, label)` for every
    digit; `set_data(data)` enables the test-set curve."""

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self.network: Network | None = None
        self.image: np.ndarray | None = None
        self.label = 0
        self.labels = [str(d) for d in range(10)]
        self.data: MnistData | None = None
        self.curve: AttackCurve | None = None
        self.jobs = JobRunner(self)
        self._towards_cost: np.ndarray | None = None
        self._blind = random_signs(1, seed)      # one fixed random pattern: it does not flicker with ε

        self.epsilon = LabelledSlider("ε", 0.0, MAX_EPSILON, 0.1, decimals=2, steps=60,
                                      tooltip="How far every pixel is pushed, up or down (pixels range from 0 to 1)")
        self.original = DigitImage("original", size=IMAGE_SIZE)
        self.attacked = DigitImage("gradient", size=IMAGE_SIZE)
        self.noisy = DigitImage("random", size=IMAGE_SIZE)
        for image, name in ((self.original, "The digit as it is"),
                            (self.attacked, "Every pixel pushed by ε along the sign of the cost's gradient (FGSM)"),
                            (self.noisy, "Every pixel pushed by ε in a random direction, up or down")):
            image.view.setToolTip(name)
            image.caption.caption = f"{name}: the network's answer"   # read before the caption's text
            image.caption.setText(image.caption.text())
        # no title (the axes say it all): every line of height goes to the curves in projector mode
        self.plot = make_plot("", "ε, the push on every pixel", "accuracy")
        self.plot.setAccessibleName("Accuracy against ε on the test digits")
        self.plot.setToolTip("Share of test digits still classified right after every pixel was pushed by ε")
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)   # ε itself, not ε in thousandths
        self.gradient_curve = self.plot.plot([], [], pen=pen(GRADIENT_DIRECTION), symbol="o", symbolSize=6,
                                             symbolBrush=GRADIENT_DIRECTION, name="gradient sign (FGSM)")
        self.random_curve = self.plot.plot([], [], pen=pen(RANDOM_DIRECTION), symbol="s", symbolSize=6,
                                           symbolBrush=RANDOM_DIRECTION, name="random sign")
        # Each curve named at its end instead of a legend, which would hide part of a curve somewhere
        self.curve_names = [pg.TextItem(text, color=colour, anchor=(1, 1))
                            for text, colour in (("gradient sign", GRADIENT_DIRECTION), ("random sign", RANDOM_DIRECTION))]
        for name in self.curve_names:
            self.plot.addItem(name, ignoreBounds=True)
            name.hide()
        self.marker = pg.InfiniteLine(angle=90, pen=pen(GREY, 1.5, Qt.PenStyle.DashLine))
        self.plot.addItem(self.marker)
        self.plot.setXRange(0, MAX_EPSILON, padding=0.03)
        self.plot.setYRange(0, 1, padding=0.1)   # room for the labels of 0 and 1
        self.plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0, 0.5, 1.0)], [(0.25, ""), (0.75, "")]])
        self.plot.setMinimumHeight(150)
        self.measure_button = described(QPushButton("Measure on the test digits"),
                                        "Measure on the test digits: accuracy against ε",
                                        "Attack all 10,000 test digits at several ε, in the background")
        self.stop_button = described(QPushButton("Stop"), "Stop measuring", "Stop; the curve keeps the digits done")
        self.progress = described(QProgressBar(), "Measuring progress", "Test digits attacked so far")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary = Readout("Attack summary", "Accuracy left under each push, on the test digits measured",
                               NEEDS_MNIST)
        self.summary.setWordWrap(True)

        images = QHBoxLayout()
        for image in (self.original, self.attacked, self.noisy):
            images.addWidget(image)
        images.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.measure_button)
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.progress, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.epsilon)
        layout.addLayout(images)
        layout.addWidget(self.plot, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        self.epsilon.valueChanged.connect(self._draw_pushed)
        self.measure_button.clicked.connect(self.measure)
        self.stop_button.clicked.connect(self.jobs.stop)
        self.jobs.progress.connect(self._show_curve)
        self.jobs.finished.connect(self._finished)
        self.jobs.failed.connect(self._failed)
        self.jobs.done.connect(self._update_buttons)
        self.show_example(None, 0)

    # --- one digit -------------------------------------------------------------------------------
    def set_network(self, network: Network | None, labels: list[str]) -> None:
        """A new model (or the model changed): the curve measured so far no longer describes it."""
        self.network, self.labels = network, list(labels)
        self._forget_curve()
        self.show_example(self.image, self.label)

    def show_example(self, image: np.ndarray | None, label: int) -> None:
        self.image, self.label = image, label
        self._towards_cost = None
        self.request_draw()
        self._update_buttons()

    def draw(self) -> None:
        network, image, label = self.network, self.image, self.label
        if network is None or image is None:
            self._towards_cost = None
            for view in (self.original, self.attacked, self.noisy):
                view.set_image(None)
            for view, name in ((self.original, "original"), (self.attacked, "gradient"), (self.noisy, "random")):
                view.caption.setText(f"{name}\n–")
        else:
            self._towards_cost = gradient_signs(network, image, label)
            self._draw_pushed()

    @Slot()
    def _draw_pushed(self, *_args) -> None:
        epsilon = self.epsilon.value()
        self.marker.setValue(epsilon)
        if self.network is None or self.image is None or self._towards_cost is None:
            return        # nothing to push, or not drawn yet: the next draw() pushes at this ε
        x = np.asarray(self.image, dtype=np.float64).reshape(1, -1)
        batch = np.concatenate([x, push(x, self._towards_cost, epsilon), push(x, self._blind, epsilon)])
        probabilities = class_probabilities(self.network, batch)
        for view, image, p, name in zip((self.original, self.attacked, self.noisy), batch, probabilities,
                                        ("original", "gradient", "random")):
            view.set_image(image.reshape(28, 28))
            answer = int(np.argmax(p))
            view.caption.setText(f"{name}\n{self.labels[answer]} ({100 * p[answer]:.0f}%)")

    def answers(self) -> list[str]:
        """The three captions (original, gradient sign, random sign): name and answer."""
        return [view.caption.text() for view in (self.original, self.attacked, self.noisy)]

    # --- the test set ----------------------------------------------------------------------------
    def set_data(self, data: MnistData | None) -> None:
        self.data = data
        if data is not None and self.curve is None and not self.jobs.busy():
            self.summary.setText(f"Ready: attack the {data.test_images.shape[0]:,} test digits with the current model.")
        elif data is None and not self.jobs.busy():
            self.summary.setText(NEEDS_MNIST)
        self._update_buttons()

    @Slot()
    def measure(self) -> None:
        if self.network is None or self.data is None or self.jobs.busy():
            return
        network = self.network.copy(np.float32)    # float32 is twice as fast and as exact for a count
        images, labels, seed = self.data.test_images, self.data.test_labels, self.seed
        self.progress.setRange(0, images.shape[0])
        self.progress.setValue(0)
        self.summary.setText(f"Attacking {images.shape[0]:,} test digits…")
        self.jobs.start(lambda: iter_attack_curve(network, images, labels, CURVE_EPSILONS, seed))
        self._update_buttons()

    def busy(self) -> bool:
        return self.jobs.busy()

    @Slot(object)
    def _show_curve(self, curve: AttackCurve) -> None:
        self.curve = curve
        self.gradient_curve.setData(curve.epsilons, curve.accuracy_gradient)
        self.random_curve.setData(curve.epsilons, curve.accuracy_random)
        for name, accuracy in zip(self.curve_names, (curve.accuracy_gradient, curve.accuracy_random)):
            if name.textItem.font() != self.font():
                name.setFont(self.font())      # follows projector mode's larger text
            name.setPos(curve.epsilons[-1], accuracy[-1])
            name.show()
        self.progress.setValue(curve.done)

    @Slot(object)
    def _finished(self, curve: AttackCurve | None) -> None:
        if curve is None:      # stopped before the first batch
            self.summary.setText("Stopped before any digit was measured.")
            return
        self._show_curve(curve)
        at = CURVE_EPSILONS.index(0.1)
        stopped = "" if curve.done == curve.count else f" (stopped after {curve.done:,} of {curve.count:,})"
        self.summary.setText(
            f"On {curve.done:,} test digits{stopped}: at ε = 0.1 the gradient attack leaves "
            f"{100 * curve.accuracy_gradient[at]:.0f}% right, random noise of the same size "
            f"{100 * curve.accuracy_random[at]:.0f}% (untouched: {100 * curve.accuracy_gradient[0]:.0f}%).")

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.summary.setText("Measuring failed: " + one_line(text))

    def _forget_curve(self) -> None:
        """A new model: the old curve no longer describes it."""
        self.jobs.cancel()
        if self.curve is not None:
            self.curve = None
            self.gradient_curve.setData([], [])
            self.random_curve.setData([], [])
            for name in self.curve_names:
                name.hide()
            self.progress.setValue(0)
            self.summary.setText("The model changed: measure again to see its curve.")

    @Slot()
    def _update_buttons(self, *_args) -> None:
        busy = self.jobs.busy()
        self.measure_button.setEnabled(self.network is not None and self.data is not None and not busy)
        self.stop_button.setEnabled(busy)
