"""Fool the network with noise.

A network trained only on digits has no way to say "none of these": every input lands on some
digit, often with high confidence. One noise image shows it; 1,000 of them, compared with real
test digits, show how systematic it is and which digits collect the noise. Training with an extra
"not a digit" class (in the training controls) is the fix to compare against.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from engine.mnist.experiments import confidence_histogram, noise_images, noise_report
from engine.mnist.outputs import class_probabilities
from engine.network import Network
from gui.plot_text import add_legend
from gui.plotting import make_plot, pen
from gui.errors import one_line
from gui.style import DIGITS, GREY, NOISE, with_alpha
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.probability_bars import ProbabilityBars, name_bars
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.worker import JobRunner
from gui.widgets.wrapping_label import WrappingLabel



class NoisePage(ScrollingPage):
    """Signal resultReady() after a many-images run has been drawn."""

    resultReady = Signal()

    def __init__(self, seed: int = 0, count: int = 1000, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self.count = count
        self._rng = np.random.default_rng(seed)
        self._runs = 0
        self.network: Network | None = None
        self.test_images: np.ndarray | None = None
        self.jobs = JobRunner(self)
        self.result: dict | None = None

        self.single_button = QPushButton("Feed random noise")
        self.single_button.setToolTip("Show the network one image of uniform random pixels")
        self.single_button.setAccessibleName("Feed random noise")
        self.many_button = QPushButton(f"{count:,} noise images")
        self.many_button.setToolTip(f"Classify {count:,} noise images (in the background) and compare "
                                    "their confidence with real test digits")
        self.many_button.setAccessibleName("Classify many noise images")
        self.noise_image = DigitImage("One noise image", size=168)
        self.bars = ProbabilityBars(title="Prediction for the noise")
        self.hist_plot = make_plot("How sure is the network?", "highest digit score", "images")
        self.hist_plot.setToolTip("Histogram of the top digit score: noise (vermillion) vs real test digits (blue)")
        self.legend = add_legend(self.hist_plot.getPlotItem())
        self.noise_hist = self.hist_plot.plot([], [], stepMode="center", fillLevel=0, pen=pen(NOISE),
                                              brush=with_alpha(NOISE, 90), name="noise")
        self.digit_hist = self.hist_plot.plot([], [], stepMode="center", fillLevel=0, pen=pen(DIGITS),
                                              brush=with_alpha(DIGITS, 60), name="test digits")
        # the last digits-only result, kept to compare with a network that knows "not a digit"
        self.before_hist = self.hist_plot.plot([], [], stepMode="center",
                                               pen=pen(GREY, 2, Qt.PenStyle.DashLine))
        self.digits_only_result: dict | None = None
        self.counts_plot = make_plot("What the noise is called", "answer", "noise images")
        self.counts_plot.setToolTip("How many of the noise images got each answer (\"none\": not a digit)")
        self.counts_bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=NOISE)
        self.counts_plot.addItem(self.counts_bars)
        self.counts_plot.setYRange(0, count, padding=0.02)
        self.hist_plot.setYRange(0, count, padding=0.02)
        self.hist_plot.setXRange(0, 1, padding=0.02)
        self.summary = WrappingLabel("The network has only ever seen digits. What does it say about pure noise?")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Noise experiment summary")

        buttons = QHBoxLayout()
        buttons.addWidget(self.single_button)
        buttons.addWidget(self.many_button)
        buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.noise_image)
        left.addStretch(1)
        one = QHBoxLayout()       # one noise image and what the network says about it
        one.addLayout(left)
        one.addWidget(self.bars, 1)
        many = QHBoxLayout()      # a thousand of them: two plots sharing the width equally
        many.addWidget(self.hist_plot, 1)
        many.addWidget(self.counts_plot, 1)
        layout = QVBoxLayout(self.body)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addLayout(one, 2)
        layout.addLayout(many, 3)
        self.single_button.clicked.connect(self.feed_one)
        self.many_button.clicked.connect(self.run_many)
        self.jobs.finished.connect(self._show_result)
        self.jobs.failed.connect(self._failed)
        self.jobs.done.connect(self._job_done)
        self._set_labels([str(d) for d in range(10)])

    # --- public API --------------------------------------------------------------------------
    def set_network(self, network: Network, labels: list[str]) -> None:
        self.network = network
        self._set_labels(labels)
        self.bars.set_probabilities(None)
        self.noise_image.set_image(None)
        if self.result is not None:   # the histogram belonged to the previous model
            self.result = None
            for curve in (self.noise_hist, self.digit_hist, self.before_hist):
                curve.setData([], [])
            self.counts_bars.setOpts(x=np.arange(len(labels)), height=np.zeros(len(labels)))
            self.summary.setText("The model changed: feed it noise again.")

    def set_test_images(self, images: np.ndarray | None) -> None:
        self.test_images = images

    @Slot()
    def feed_one(self) -> None:
        if self.network is None:
            return
        noise = noise_images(1, self._rng)
        self.noise_image.set_image(noise.reshape(28, 28))
        self.bars.set_probabilities(class_probabilities(self.network, noise)[0])

    @Slot()
    def run_many(self) -> None:
        if self.network is None or self.jobs.busy():
            return
        network, count = self.network.copy(), self.count
        seed = self.seed + self._runs
        self._runs += 1
        images = self.test_images
        self.many_button.setEnabled(False)
        self.summary.setText(f"Classifying {count:,} noise images…")
        self.jobs.start(lambda: noise_report(network, count, seed, images))

    # --- results -----------------------------------------------------------------------------
    @Slot(object)
    def _show_result(self, result: dict) -> None:
        self.result = result
        edges, noise_counts = confidence_histogram(result["top_probabilities"])
        self.noise_hist.setData(edges, noise_counts)
        self.legend.removeItem(self.before_hist)
        counts = np.asarray(result["predicted_counts"])
        if counts.size == 10:
            self.digits_only_result = result
            self.before_hist.setData([], [])
        elif self.digits_only_result is not None:
            self.before_hist.setData(edges, confidence_histogram(self.digits_only_result["top_probabilities"])[1])
            self.legend.addItem(self.before_hist, "noise, digits-only model")
        digits_top = result.get("digit_top_probabilities")
        if digits_top is not None and digits_top.size:
            _, digit_counts = confidence_histogram(digits_top)
            self.digit_hist.setData(edges, digit_counts)
            digits_text = (f" Real test digits: {100 * np.mean(digits_top > 0.9):.0f}% above 0.9.")
        else:
            self.digit_hist.setData([], [])
            digits_text = " (Real test digits appear here once MNIST is available.)"
        self.counts_bars.setOpts(x=np.arange(counts.size), height=counts)
        favourite = int(np.argmax(counts))
        self.summary.setText(
            f"{100 * result['fraction_above_0_9']:.0f}% of {counts.sum():,} noise images got a top digit "
            f"score above 0.9 (mean {result['mean_top_probability']:.2f}); "
            f"{100 * counts[favourite] / counts.sum():.0f}% "
            f"were called \"{self._labels[favourite]}\".{digits_text}")
        self.resultReady.emit()

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.summary.setText("The noise experiment failed: " + one_line(text))

    @Slot(bool)
    def _job_done(self, _stopped: bool) -> None:
        self.many_button.setEnabled(True)

    def _set_labels(self, labels: list[str]) -> None:
        self._labels = list(labels)
        if self.bars.labels != self._labels:
            self.bars.set_labels(self._labels)
        name_bars(self.counts_plot, self._labels)
