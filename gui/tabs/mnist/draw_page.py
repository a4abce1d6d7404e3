"""Draw a digit and watch the network answer.

The drawing goes through the same steps as MNIST (strokes redrawn with MNIST's pen, scaled to
20 px, the ink's mass centred in 28×28) and that 28×28 input is shown, so a user sees what the
network really sees. A switch feeds the raw drawing instead (the canvas shrunk to 28×28): a digit
drawn small or off-centre then lands where the network has never seen ink, which is what the
preparation is for. An empty canvas gives no prediction at all, rather than a confident answer
about nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from engine.mnist.outputs import outputs_are_probabilities, read_image
from engine.mnist.preprocess import preprocess_strokes, raw_drawing
from engine.network import Network
from gui.tabs.mnist.activation_cells import ActivationCells
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.drawing_canvas import Drawing, DrawingPanel
from gui.tabs.mnist.probability_bars import ProbabilityBars
from gui.widgets.controls import described

PREPARED_CAPTION = "What the network sees: 28×28, redrawn with MNIST's pen, scaled to 20 px, centred"
RAW_CAPTION = "What the network sees: the whole canvas shrunk to 28×28, nothing moved or scaled"


class DrawPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.drawing = DrawingPanel()
        self.preprocessed = DigitImage(PREPARED_CAPTION, size=112)
        self.raw_switch = described(
            QCheckBox("Feed the raw drawing\n(no cropping, scaling or centring)"), "Feed the raw drawing",
            "Give the network the canvas shrunk to 28×28 as it is, without MNIST's preparation: "
            "draw small or in a corner and see what the preparation is for")
        self.bars = ProbabilityBars(title="Prediction for the drawing")
        self.activations = ActivationCells()
        self.activations.setMaximumHeight(220)
        self.detail = QLabel("Draw a digit on the black square.")
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Drawing prediction details")
        right = QVBoxLayout()
        right.addWidget(self.raw_switch)
        right.addWidget(self.preprocessed)
        right.addWidget(self.bars, 1)
        grid = QGridLayout(self)
        grid.addWidget(self.drawing, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.addWidget(QLabel("Hidden neurons lit up by the drawing:"), 1, 0, 1, 2)
        grid.addWidget(self.activations, 2, 0, 1, 2)
        grid.addWidget(self.detail, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 1)
        self.network: Network | None = None
        self.input: np.ndarray | None = None
        self._drawing: Drawing | None = None
        self.drawing.drawingChanged.connect(self.on_drawing)
        self.raw_switch.toggled.connect(self._raw_toggled)

    def set_network(self, network: Network, labels: list[str]) -> None:
        self.network = network
        if self.bars.labels != labels:
            self.bars.set_labels(labels)
        self.refresh()

    @Slot(object)
    def on_drawing(self, drawing: Drawing) -> None:
        self._drawing = drawing
        self.refresh()

    @Slot(bool)
    def _raw_toggled(self, raw: bool) -> None:
        self.preprocessed.caption.setText(RAW_CAPTION if raw else PREPARED_CAPTION)
        self.refresh()

    def network_input(self) -> np.ndarray | None:
        """The (28, 28) image the network is given for the current drawing; None if nothing is drawn."""
        drawing = self._drawing
        if drawing is None:
            return None
        if self.raw_switch.isChecked():
            return raw_drawing(drawing.image)
        return preprocess_strokes(drawing.strokes, drawing.side)

    def refresh(self) -> None:
        """Predict the current drawing with the current network (a single forward pass)."""
        processed = self.network_input()
        self.input = processed
        self.preprocessed.set_image(processed)
        if processed is None or self.network is None:
            self.bars.set_probabilities(None)
            self.activations.set_activations(None)
            self.detail.setText("Draw a digit on the black square." if processed is None
                                else "No model loaded.")
            return
        reading = read_image(self.network, processed)
        self.bars.set_probabilities(reading.probabilities)
        self.activations.set_activations(reading.hidden)
        top, scores = reading.answer, reading.scores
        if outputs_are_probabilities(self.network):
            self.detail.setText(f"Softmax probability of the answer: {scores[top]:.3f}.")
        else:
            self.detail.setText(f"Output neuron {self.bars.labels[top]} has activation {scores[top]:.3f} "
                                "(sigmoid outputs do not sum to 1; bars show each one's share).")
