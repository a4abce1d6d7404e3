"""Draw a digit and watch the network answer.

The drawing goes through the same steps as MNIST (strokes redrawn with MNIST's pen, scaled to
20 px, the ink's mass centred in 28×28) and that 28×28 input is shown, so a user sees what the
network really sees. A switch feeds the raw drawing instead (the canvas shrunk to 28×28): a digit
drawn small or off-centre then lands where the network has never seen ink, which is what the
preparation is for. An empty canvas gives no prediction at all, rather than a confident answer
about nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QFileDialog, QLabel, QVBoxLayout, QWidget

from engine.mnist.outputs import outputs_are_probabilities, read_image
from engine.mnist.preprocess import raw_drawing, to_ink
from engine.network import Network
from gui.accessibility import announce
from gui.image_file import ImageFileError, read_image_rgba
from gui.tabs.mnist.activation_cells import ActivationCells
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.drawing_canvas import Drawing, DrawingPanel, prepared_input
from gui.tabs.mnist.probability_bars import ProbabilityBars
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.widgets.controls import described
from gui.widgets.plot_grid import Arrangement, PlotGrid
from gui.widgets.wrapping_label import WrappingLabel

ANSWER_CHARS = 19   # the probability bars beside the canvas need this many characters of width
PREPARED_CAPTION = "What the network sees: 28×28, redrawn with MNIST's pen, scaled to 20 px, centred"
RAW_CAPTION = "What the network sees: the whole canvas shrunk to 28×28, nothing moved or scaled"


class DrawPage(ScrollingPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.drawing = DrawingPanel()
        self.preprocessed = DigitImage(PREPARED_CAPTION, size=112)
        # a short text: beside the canvas on a projector a longer one would widen the page; the
        # picture's caption below says what changes when it is ticked
        self.raw_switch = described(
            QCheckBox("Feed the raw drawing"), "Feed the raw drawing (no cropping, scaling or centring)",
            "Give the network the canvas shrunk to 28×28 as it is, without MNIST's preparation: "
            "draw small or in a corner and see what the preparation is for", key="Feed the raw drawing")
        self.bars = ProbabilityBars(title="Prediction for the drawing")
        self.activations = ActivationCells()
        self.activations.setMaximumHeight(220)
        self.detail = WrappingLabel("Draw a digit on the black square.", caption="Drawing prediction details",
                                    tip="How strongly the output neuron of the answer fires")
        answer = QWidget()      # what the network sees, and what it answers
        right = QVBoxLayout(answer)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.raw_switch)
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
        self._drawing: Drawing | None = None
        self.drawing.drawingChanged.connect(self.on_drawing)
        self.raw_switch.toggled.connect(self._raw_toggled)
        self._test_images: np.ndarray | None = None
        self._test_labels: np.ndarray | None = None
        self._rng = np.random.default_rng(0)
        self.drawing.testDigitWanted.connect(self.use_test_digit)
        self.drawing.pictureWanted.connect(self.choose_picture)

    def set_test_digits(self, images: np.ndarray | None, labels: np.ndarray | None) -> None:
        """MNIST test images (n, 784) and labels, for "Use a test digit"; None: there are none."""
        self._test_images, self._test_labels = images, labels
        self.drawing.test_digit_button.setEnabled(images is not None)

    @Slot()
    def use_test_digit(self) -> int | None:
        """Put a random test digit on the canvas, as if drawn; returns its true label."""
        if self._test_images is None:
            return None
        index = int(self._rng.integers(len(self._test_images)))
        label = int(self._test_labels[index])
        announce(self.drawing, f"Test digit on the canvas: a {label}.")
        self.drawing.canvas.show_picture(self._test_images[index].reshape(28, 28))
        return label

    def open_picture(self, path: str | Path) -> bool:
        """Put the picture in a file on the canvas; a file that cannot be read is said, not fatal."""
        try:
            ink = to_ink(read_image_rgba(path))
        except (ImageFileError, ValueError) as exc:
            self.detail.setText(f"That picture cannot be used: {exc}")
            self.detail.announce(urgent=True)
            return False
        if not ink.any():
            self.detail.setText("That picture is blank: no ink, so no digit to read.")
            self.detail.announce(urgent=True)
            return False
        self.drawing.canvas.show_picture(ink)
        return True

    @Slot()
    def choose_picture(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a picture of a digit", "",
                                              "Pictures (*.png *.jpg *.jpeg *.bmp *.gif);;All files (*)")
        if path:
            self.open_picture(path)

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
        return prepared_input(drawing)

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
