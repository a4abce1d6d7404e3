"""How good is the model, and where does it go wrong?

The whole test set is classified in the background; the confusion matrix shows which digits are
mixed up, and the gallery shows the actual images: by default the mistakes the network was most
sure about, or, after a click on a cell, every test image behind that count.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from engine.mnist import MnistData
from engine.mnist.experiments import evaluate
from engine.network import Network
from gui.accessibility import announce
from gui.errors import one_line
from gui.tabs.mnist.confusion_matrix import ConfusionMatrixView
from gui.tabs.mnist.digit_gallery import DigitGallery
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.worker import JobRunner
from gui.widgets.wrapping_label import WrappingLabel


def accuracy_text(accuracy: float) -> str:
    """A test accuracy as the tab writes it everywhere, so two places never disagree in rounding."""
    return f"{100 * accuracy:.2f}%"


class EvaluationPage(ScrollingPage):
    """Signal evaluated(test_accuracy) when a result for the current model is shown."""

    evaluated = Signal(float)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.network: Network | None = None
        self.data: MnistData | None = None
        self.jobs = JobRunner(self)
        self.result: dict | None = None
        self.labels = [str(d) for d in range(10)]
        self.evaluate_button = QPushButton("Evaluate on the 10,000 test images")
        self.evaluate_button.setToolTip("Classify the whole test set (in the background)")
        self.evaluate_button.setAccessibleName(self.evaluate_button.text())
        self.evaluate_button.setEnabled(False)
        self.summary = WrappingLabel("Evaluation needs the MNIST test images.", caption="Evaluation summary",
                                     tip="Test accuracy and how many test images were misclassified")
        self.summary.setWordWrap(True)
        self.matrix = ConfusionMatrixView()
        self.gallery = DigitGallery(limit=120)
        top = QHBoxLayout()
        top.addWidget(self.evaluate_button)
        top.addWidget(self.summary, 1)
        body = QHBoxLayout()
        body.addWidget(self.matrix, 1)
        body.addWidget(self.gallery, 1)
        layout = QVBoxLayout(self.body)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.evaluate_button.clicked.connect(self.evaluate)
        self.matrix.cellClicked.connect(self.show_cell)
        self.jobs.finished.connect(self._show_result)
        self.jobs.failed.connect(self._failed)
        self.jobs.done.connect(self._update_button)

    def set_network(self, network: Network, labels: list[str]) -> None:
        self.network = network
        self.labels = list(labels)
        self.jobs.cancel()   # an evaluation of the previous model must not arrive as this one's
        if self.result is not None:
            self.result = None
            self.summary.setText("The model changed: evaluate again to see its results.")
        self._update_button()

    def set_data(self, data: MnistData | None) -> None:
        self.data = data
        if data is not None and self.result is None:
            self.summary.setText("Ready: evaluate the current model on the test set.")
        self._update_button()

    @Slot()
    def evaluate(self) -> None:
        if self.network is None or self.data is None or self.busy():
            return
        network = self.network.copy()
        images, labels = self.data.test_images, self.data.test_labels
        self.evaluate_button.setEnabled(False)
        self.summary.setText("Classifying the test images…")
        self.jobs.start(lambda: evaluate(network, images, labels))

    def busy(self) -> bool:
        return self.jobs.busy()

    @Slot(int, int)
    def show_cell(self, true_digit: int, predicted: int) -> None:
        if self.result is None or self.data is None:
            return
        truth = self.data.test_labels
        rows = np.where((truth == true_digit) & (self.result["predicted"] == predicted))[0]
        rows = rows[np.argsort(-self.result["confidence"][rows], kind="stable")]   # surest first
        verb = "correctly recognised" if true_digit == predicted else f"taken for {self.labels[predicted]}"
        self._fill_gallery(rows, f"{len(rows)} test images of {true_digit} {verb}.")
        announce(self.gallery, self.gallery.title.text())

    @Slot(object)
    def _show_result(self, result: dict) -> None:
        self.result = result
        self.matrix.set_matrix(result["confusion"], self.labels)
        wrong = np.where(result["predicted"] != self.data.test_labels)[0]
        wrong = wrong[np.argsort(-result["confidence"][wrong], kind="stable")]
        self.summary.setText(f"Test accuracy {accuracy_text(result['test_accuracy'])}: {len(wrong):,} of "
                             f"{len(result['predicted']):,} test images misclassified. Click a cell to see its images.")
        self._fill_gallery(wrong, "Misclassified test digits, most confident mistakes first.")
        self.summary.announce()
        self.evaluated.emit(float(result["test_accuracy"]))

    def _fill_gallery(self, rows: np.ndarray, title: str) -> None:
        truth = self.data.test_labels
        captions = [f"true {truth[i]} → {self.labels[self.result['predicted'][i]]}\n"
                    f"{100 * self.result['confidence'][i]:.0f}% sure" for i in rows[:self.gallery.limit]]
        self.gallery.set_digits(self.data.test_images[rows[:self.gallery.limit]].reshape(-1, 28, 28),
                                captions, title)
        if len(rows) > self.gallery.limit:
            self.gallery.title.setText(f"{title} (first {self.gallery.limit} of {len(rows)} shown)")

    @Slot(str)
    def _failed(self, text: str) -> None:
        self.summary.setText("The evaluation failed: " + one_line(text))
        self.summary.announce(urgent=True)

    @Slot()
    def _update_button(self) -> None:
        self.evaluate_button.setEnabled(self.network is not None and self.data is not None and not self.busy())
