"""Draw a digit and watch the network answer.

The drawing goes through the same steps as MNIST (crop, scale to 20 px, centre the ink's mass in
28×28) and that 28×28 input is shown, so a user sees what the network really sees. An empty
canvas gives no prediction at all, rather than a confident answer about nothing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine.mnist import preprocess_drawing
from engine.mnist.outputs import outputs_are_probabilities, read_image
from engine.network import Network
from gui.tabs.mnist.activation_cells import ActivationCells
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.drawing_canvas import DrawingPanel
from gui.tabs.mnist.probability_bars import ProbabilityBars
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.widgets.plot_grid import Arrangement, PlotGrid
from gui.widgets.wrapping_label import WrappingLabel

ANSWER_CHARS = 19   # the probability bars beside the canvas need this many characters of width


class DrawPage(ScrollingPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.drawing = DrawingPanel()
        self.preprocessed = DigitImage("What the network sees: 28×28, scaled to 20 px, centred", size=112)
        self.bars = ProbabilityBars(title="Prediction for the drawing")
        self.activations = ActivationCells()
        self.activations.setMaximumHeight(220)
        self.detail = WrappingLabel("Draw a digit on the black square.")
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Drawing prediction details")
        answer = QWidget()      # what the network sees, and what it answers
        right = QVBoxLayout(answer)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.preprocessed)
        right.addWidget(self.bars, 1)
        lit = QLabel("Hidden neurons lit up by the drawing:")
        drawing = self.drawing
        # The answer beside the canvas when there is room for both, else under it (and the page scrolls).
        grid = PlotGrid([
            Arrangement(ANSWER_CHARS, [(drawing, 0, 0, 1, 1), (answer, 0, 1, 1, 1), (lit, 1, 0, 1, 2),
                                       (self.activations, 2, 0, 1, 2), (self.detail, 3, 0, 1, 2)],
                        [1, 0, 0, 0], min_pixels=self.drawing.canvas.width() + 6),
            Arrangement(0, [(drawing, 0, 0, 1, 1), (answer, 1, 0, 1, 1), (lit, 2, 0, 1, 1),
                            (self.activations, 3, 0, 1, 1), (self.detail, 4, 0, 1, 1)], [0, 1, 0, 0, 0]),
        ])
        layout = QVBoxLayout(self.body)
        layout.addWidget(grid)
        self.network: Network | None = None
        self.input: np.ndarray | None = None
        self._drawing: np.ndarray | None = None
        self.drawing.imageChanged.connect(self.on_drawing)

    def set_network(self, network: Network, labels: list[str]) -> None:
        self.network = network
        if self.bars.labels != labels:
            self.bars.set_labels(labels)
        self.refresh()

    @Slot(object)
    def on_drawing(self, image: np.ndarray) -> None:
        self._drawing = image
        self.refresh()

    def refresh(self) -> None:
        """Predict the current drawing with the current network (a single forward pass)."""
        processed = None if self._drawing is None else preprocess_drawing(self._drawing)
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
