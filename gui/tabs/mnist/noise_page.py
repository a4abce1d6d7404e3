"""Fool the network with noise and other pictures that are not digits.

A network trained only on digits has no way to say "none of these": every input lands on some
digit. One image shows it; 1,000 of them, compared with real test digits, show how sure the
network really is (the whole spread, not one example) and which digits collect them. Six kinds
of non-digits can be fed (engine.mnist.non_digits). Training with an extra "not a digit" class (in
the training controls) is the fix to compare against: it is taught those six kinds and judged here
only on fresh images, so the page says which kinds the class has seen and which it has not.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from engine.mnist.experiments import confidence_histogram, noise_report
from engine.mnist.non_digits import ALL, KIND_NAMES, KINDS, non_digit_images
from engine.mnist.outputs import NOT_A_DIGIT, class_probabilities
from engine.network import Network
from gui.accessibility import describe
from gui.plot_text import add_legend
from gui.plotting import make_plot, pen
from gui.errors import one_line
from gui.style import DIGITS, GREY, NOISE, with_alpha
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.probability_bars import ProbabilityBars, name_bars
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.widgets.controls import choice_box, described
from gui.worker import JobRunner
from gui.widgets.wrapping_label import WrappingLabel

KIND_CHOICES = [(KIND_NAMES[kind], kind) for kind in KINDS] + [("all six kinds, mixed", ALL)]
SEEN_BY_THE_CLASS = (
    "\"Not a digit\" is taught six kinds: " + ", ".join(KIND_NAMES[kind] for kind in KINDS)
    + " (fed here: always fresh ones). Never shown: letters, scribbles, symbols, several digits together.")
NO_SUCH_CLASS = "No \"not a digit\" answer: this network names a digit for anything it is shown."


def spread_of_confidence(top: np.ndarray) -> str:
    """The spread of the top digit score in words: shares below 0.5, 0.5 to 0.9 and above 0.9."""
    low, high = np.mean(top < 0.5), np.mean(top > 0.9)
    return (f"the top digit score was above 0.9 for {100 * high:.0f}%, between 0.5 and 0.9 for "
            f"{100 * (1 - low - high):.0f}% and below 0.5 for {100 * low:.0f}% (median {np.median(top):.2f})")


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

        self.kind = choice_box(KIND_CHOICES, "Feed: kind of non-digit",
                               "What to show the network: noise, dots, a grey page, stripes or shapes",
                               key="Kind of non-digit")
        self.single_button = described(QPushButton("Feed one"), "Feed one non-digit",
                                       "Show the network one new image of the chosen kind")
        self.many_button = described(QPushButton(f"Feed {count:,}"), f"Feed {count:,} non-digits",
                                     f"Classify {count:,} new images of the chosen kind (in the background) "
                                     "and compare their confidence with real test digits")
        self.noise_image = DigitImage("One image that is not a digit", size=168)
        self.bars = ProbabilityBars(title="Prediction for the noise")
        self.hist_plot = make_plot("How sure is the network?", "highest digit score", "images")
        self.hist_plot.setToolTip("Histogram of the top digit score: non-digits (vermillion) vs real test digits (blue)")
        self.legend = add_legend(self.hist_plot.getPlotItem())
        self.noise_hist = self.hist_plot.plot([], [], stepMode="center", fillLevel=0, pen=pen(NOISE),
                                              brush=with_alpha(NOISE, 90), name="non-digits")
        self.digit_hist = self.hist_plot.plot([], [], stepMode="center", fillLevel=0, pen=pen(DIGITS),
                                              brush=with_alpha(DIGITS, 60), name="test digits")
        # the last digits-only result of each kind, kept to compare with a network that knows "not a digit"
        self.before_hist = self.hist_plot.plot([], [], stepMode="center",
                                               pen=pen(GREY, 2, Qt.PenStyle.DashLine))
        self.digits_only_results: dict[str, dict] = {}
        self.counts_plot = make_plot("Answers", "answer", "images")
        self.counts_plot.setToolTip("How many of the images got each answer")
        self.counts_bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=NOISE)
        self.counts_plot.addItem(self.counts_bars)
        self.counts_plot.setYRange(0, count, padding=0.02)
        self.hist_plot.setYRange(0, count, padding=0.02)
        self.hist_plot.setXRange(0, 1, padding=0.02)
        self.summary = WrappingLabel("What does the network say about pictures that are not digits? "
                                     "Choose a kind and feed it.", caption="Noise experiment summary",
                                     tip="How sure the network is about pictures that are not digits, "
                                         "and what it calls them")
        self.summary.setWordWrap(True)
        self.seen = WrappingLabel(NO_SUCH_CLASS, caption="What the not-a-digit class has seen")

        buttons = QHBoxLayout()
        feed = QLabel("Feed:")
        feed.setBuddy(self.kind)
        buttons.addWidget(feed)
        buttons.addWidget(self.kind)
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
        layout.addWidget(self.seen)
        layout.addWidget(self.summary)
        layout.addLayout(one, 2)
        layout.addLayout(many, 3)
        self.single_button.clicked.connect(self.feed_one)
        self.many_button.clicked.connect(self.run_many)
        self.jobs.finished.connect(self._show_result)
        self.jobs.failed.connect(self._failed)
        self.jobs.done.connect(self._job_done)
        self._set_labels([str(d) for d in range(10)])
        self._describe_plots()

    # --- public API --------------------------------------------------------------------------
    def set_network(self, network: Network, labels: list[str]) -> None:
        self.network = network
        self._set_labels(labels)
        self.seen.setText(SEEN_BY_THE_CLASS if len(labels) > NOT_A_DIGIT else NO_SUCH_CLASS)
        self.bars.set_probabilities(None)
        self.noise_image.set_image(None)
        if self.result is not None:   # the histogram belonged to the previous model
            self.result = None
            for curve in (self.noise_hist, self.digit_hist, self.before_hist):
                curve.setData([], [])
            self.counts_bars.setOpts(x=np.arange(len(labels)), height=np.zeros(len(labels)))
            self.summary.setText("The model changed: feed it again.")
        self._describe_plots()

    def set_test_images(self, images: np.ndarray | None) -> None:
        self.test_images = images

    @Slot()
    def feed_one(self) -> None:
        if self.network is None:
            return
        kind = self.kind.currentData()
        if kind == ALL:
            kind = KINDS[int(self._rng.integers(len(KINDS)))]
        noise = non_digit_images(kind, 1, int(self._rng.integers(2**31)))
        self.noise_image.set_image(noise.reshape(28, 28))
        self.bars.set_probabilities(class_probabilities(self.network, noise)[0])

    @Slot()
    def run_many(self) -> None:
        if self.network is None or self.jobs.busy():
            return
        network, count, kind = self.network.copy(), self.count, self.kind.currentData()
        seed = self.seed + self._runs   # new images every run; never those a class was trained on
        self._runs += 1
        images = self.test_images
        self.many_button.setEnabled(False)
        self.summary.setText(f"Classifying {count:,} images…")
        self.jobs.start(lambda: noise_report(network, count, seed, images, kind))

    # --- results -----------------------------------------------------------------------------
    @Slot(object)
    def _show_result(self, result: dict) -> None:
        self.result = result
        edges, noise_counts = confidence_histogram(result["top_probabilities"])
        self.noise_hist.setData(edges, noise_counts)
        self.legend.removeItem(self.before_hist)
        counts = np.asarray(result["predicted_counts"])
        kind = result["kind"]
        if counts.size == 10:
            self.digits_only_results[kind] = result
            self.before_hist.setData([], [])
        elif kind in self.digits_only_results:
            before = self.digits_only_results[kind]["top_probabilities"]
            self.before_hist.setData(edges, confidence_histogram(before)[1])
            self.legend.addItem(self.before_hist, "same kind, digits-only model")
        self.counts_bars.setOpts(x=np.arange(counts.size), height=counts)
        what = "all six kinds mixed" if kind == ALL else KIND_NAMES[kind]
        parts = [f"Of {counts.sum():,} images of {what}, {spread_of_confidence(result['top_probabilities'])}."]
        if counts.size > NOT_A_DIGIT:
            per_kind = ""
            if "by_kind" in result:
                per_kind = " (" + ", ".join(f"{name} {100 * shares['fraction_not_a_digit']:.0f}%"
                                            for name, shares in result["by_kind"].items()) + ")"
            parts.append(f"Answered \"not a digit\": {100 * result['fraction_not_a_digit']:.0f}%{per_kind}.")
        digits = counts[:NOT_A_DIGIT]
        favourite = int(np.argmax(digits))
        if counts.size == NOT_A_DIGIT:
            parts.append(f"The digit named most: \"{favourite}\" ({100 * digits[favourite] / counts.sum():.0f}% of them).")
        elif digits.sum():
            parts.append(f"Named a digit: {100 * digits.sum() / counts.sum():.0f}% (most often \"{favourite}\").")
        digits_top = result.get("digit_top_probabilities")
        if digits_top is not None and digits_top.size:
            self.digit_hist.setData(edges, confidence_histogram(digits_top)[1])
            parts.append(f"Real test digits: {100 * np.mean(digits_top > 0.9):.0f}% above 0.9.")
        else:
            self.digit_hist.setData([], [])
            parts.append("(Real test digits appear here once MNIST is available.)")
        self.summary.setText(" ".join(parts))
        self.summary.announce()
        self._describe_plots()
        self.resultReady.emit()

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.summary.setText("The noise experiment failed: " + one_line(text))
        self.summary.announce(urgent=True)

    @Slot(bool)
    def _job_done(self, _stopped: bool) -> None:
        self.many_button.setEnabled(True)

    def _describe_plots(self) -> None:
        result = self.result
        if result is None:
            describe(self.hist_plot, f"How many of {self.count:,} images that are not digits got each top score. Not run yet.")
            describe(self.counts_plot, "How many images that are not digits got each answer. Not run yet.")
            return
        counts = np.asarray(result["predicted_counts"])
        describe(self.hist_plot, f"How many of {counts.sum():,} images that are not digits got each top score, against real "
                                 f"test digits: {100 * result['fraction_above_0_9']:.0f}% of them above 0.9, mean "
                                 f"{result['mean_top_probability']:.2f}.")
        order = np.argsort(-counts, kind="stable")
        describe(self.counts_plot, "How many of them got each answer, most first: "
                                   + ", ".join(f"{self._labels[i]}: {counts[i]:,}" for i in order if counts[i]) + ".")

    def _set_labels(self, labels: list[str]) -> None:
        self._labels = list(labels)
        if self.bars.labels != self._labels:
            self.bars.set_labels(self._labels)
        name_bars(self.counts_plot, self._labels, "answer")
