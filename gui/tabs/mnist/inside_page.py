"""Inside the network: what derivatives reveal about a trained digit network.

One digit at a time (drawn here, or any test digit) and one label, three views of it:

* *Backpropagation*: forward layer by layer, the cost, δ back through every layer, and the first
  layer's weight gradients; one gradient step on this example; a check against central differences.
* *Saliency*: which pixels drove the answer, the gradient of a class's score and SmoothGrad.
* *Gradient attack*: the digit pushed by ε along the gradient's sign against random signs, and
  accuracy against ε on the test set.

The page works on its own float64 copy of the tab's model, so a gradient step here never changes
the model the other pages show (Restore model goes back to it), and checks against difference
quotients are not swamped by float32 round-off.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QButtonGroup, QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton,
                               QRadioButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from engine.mnist import MnistData
from engine.mnist.outputs import class_probabilities
from engine.network import Network
from gui.tabs.mnist.attack_panel import AttackPanel
from gui.tabs.mnist.backprop_panel import BackpropPanel
from gui.tabs.mnist.digit_image import DigitImage
from gui.tabs.mnist.drawing_canvas import Drawing, DrawingCanvas, prepared_input
from gui.tabs.mnist.drawn_when_shown import DrawnWhenShown
from gui.tabs.mnist.saliency_panel import SaliencyPanel
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.widgets.controls import described

CANVAS_SIZE = 140
#: The Draw page's brush (22 px on 280 px) scaled to this canvas, so strokes come out as thick.
BRUSH_WIDTH = 22.0 * CANVAS_SIZE / 280
OWN_ANSWER = "its answer"


class InsidePage(DrawnWhenShown, ScrollingPage):
    """Scrolls on a small screen: the layer views keep a readable height instead of squashing."""

    TALLER_THAN_A_PROJECTOR = True

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self._rng = np.random.default_rng(seed)
        self.model: Network | None = None          # the tab's model
        self.network: Network | None = None        # this page's float64 copy, perhaps stepped
        self.steps = 0
        self.labels: list[str] = [str(d) for d in range(10)]
        self.data: MnistData | None = None
        self.input: np.ndarray | None = None       # (28, 28) what the network is shown now
        self._drawn: np.ndarray | None = None

        self.canvas = DrawingCanvas(size=CANVAS_SIZE, brush_width=BRUSH_WIDTH)
        self.clear_button = described(QPushButton("Clear"), "Clear the drawing", "Wipe the canvas (Esc)")
        self.seen = DigitImage("The input", size=76)
        self.seen.view.setToolTip("What the network sees: the drawing cropped, scaled and centred like MNIST, "
                                  "or the test digit")
        self.from_drawing = described(QRadioButton("Drawing"), "Drawing: use my drawing",
                                      "Look inside the network with the digit drawn on the left")
        self.from_test = described(QRadioButton("Test digit"), "Test digit: use a digit of the test set",
                                   "Look inside the network with one of the 10,000 MNIST test digits")
        self.source = QButtonGroup(self)
        self.source.addButton(self.from_drawing)
        self.source.addButton(self.from_test)
        self.from_drawing.setChecked(True)
        self.test_index = described(QSpinBox(), "Test digit number", "Which test digit (0 to 9,999)")
        self.test_index.setRange(0, 9999)
        self.test_index.setPrefix("#")
        self.random_button = described(QPushButton("Random"), "Random test digit",
                                       "Pick a test digit at random")
        self.label_box = described(QComboBox(), "Label",
                                   "The answer the cost asks for (backpropagation, attack) and the class whose "
                                   "score the saliency map explains; a test digit brings its true label")
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setAccessibleName("The network's answer")
        self.restore_button = described(QPushButton("Restore"), "Restore model",
                                        "Restore the model: undo the gradient steps taken on this page (the other "
                                        "pages always keep the tab's model)")
        self.restore_button.hide()                 # shown once a step has been taken here

        self.backprop_panel = BackpropPanel()
        self.saliency_panel = SaliencyPanel(seed=seed)
        self.attack_panel = AttackPanel(seed=seed)
        self.sections = QTabWidget()
        self.sections.addTab(self.backprop_panel, "Backpropagation")
        self.sections.addTab(self.saliency_panel, "Saliency")
        self.sections.addTab(self.attack_panel, "Gradient attack")
        self.sections.setAccessibleName("Inside the network views")

        # five short rows, no taller than the canvas even with projector mode's larger text
        choices = QGridLayout()
        choices.addWidget(self.from_drawing, 0, 0)
        choices.addWidget(self.clear_button, 0, 1)
        choices.addWidget(self.from_test, 1, 0)
        choices.addWidget(self.test_index, 1, 1)
        choices.addWidget(self.restore_button, 2, 0)     # only while the page's model has been stepped
        choices.addWidget(self.random_button, 2, 1)
        label_caption = QLabel("Label")
        label_caption.setBuddy(self.label_box)
        choices.addWidget(label_caption, 3, 0)
        choices.addWidget(self.label_box, 3, 1)
        choices.addWidget(self.answer, 4, 0, 1, 2)
        choices.setColumnStretch(1, 1)
        choices.setRowStretch(5, 1)
        top = QHBoxLayout()
        top.addWidget(self.canvas, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.seen, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(choices, 1)
        layout = QVBoxLayout(self.body)
        layout.addLayout(top)
        layout.addWidget(self.sections, 1)

        self.canvas.drawingChanged.connect(self.on_drawing)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.from_drawing.toggled.connect(self._source_changed)
        self.test_index.valueChanged.connect(self.show_test_digit)
        self.random_button.clicked.connect(self.random_test_digit)
        self.label_box.currentIndexChanged.connect(self.refresh)
        self.restore_button.clicked.connect(self.restore_model)
        self.backprop_panel.stepped.connect(self._on_stepped)
        self._fill_labels()
        self.set_data(None)

    # --- the model ------------------------------------------------------------------------------
    def set_network(self, network: Network, labels: list[str]) -> None:
        """The tab's model changed: take a fresh float64 copy of it (any steps here are dropped)."""
        self.model = network
        if list(labels) != self.labels:
            self.labels = list(labels)
            self._fill_labels()
        self._use(network.copy(np.float64), steps=0)

    @Slot()
    def restore_model(self) -> None:
        if self.model is not None:
            self._use(self.model.copy(np.float64), steps=0)
            self.backprop_panel.show_note("Model restored", "The gradient steps taken here are undone.")

    @Slot(object)
    def _on_stepped(self, network: Network) -> None:
        self._use(network, steps=self.steps + 1)

    def _use(self, network: Network, steps: int) -> None:
        self.network, self.steps = network, steps
        self.backprop_panel.stepped_from(None)
        self.attack_panel.set_network(network, self.labels)
        self.restore_button.setVisible(steps > 0)
        self.refresh()

    # --- the digit ------------------------------------------------------------------------------
    def set_data(self, data: MnistData | None) -> None:
        self.data = data
        for widget in (self.from_test, self.test_index, self.random_button):
            widget.setEnabled(data is not None)
        self.from_test.setToolTip("Look inside the network with one of the 10,000 MNIST test digits"
                                  if data is not None else "Test digits need the MNIST files (see MNIST data)")
        self.attack_panel.set_data(data)
        if data is not None:
            self.test_index.setMaximum(data.test_images.shape[0] - 1)
            if self.from_test.isChecked():     # chosen before the data came (remembered from last time)
                self.show_test_digit(self.test_index.value())
        elif self.from_test.isChecked():
            self.from_drawing.setChecked(True)

    @Slot(object)
    def on_drawing(self, drawing: Drawing) -> None:
        self._drawn = prepared_input(drawing)
        if self.from_drawing.isChecked():
            self._set_input(self._drawn, OWN_ANSWER)
        elif self._drawn is not None:
            self.from_drawing.setChecked(True)   # drawing means: look at the drawing

    @Slot(int)
    def show_test_digit(self, index: int) -> None:
        if self.data is None:
            return
        if not self.from_test.isChecked():
            self.from_test.setChecked(True)      # shows the digit through _source_changed
            return
        label = int(self.data.test_labels[index])
        self._set_input(self.data.test_images[index].reshape(28, 28), self.labels[label])

    @Slot()
    def random_test_digit(self) -> None:
        if self.data is not None:
            index = int(self._rng.integers(self.data.test_images.shape[0]))
            if index == self.test_index.value():
                self.show_test_digit(index)
            self.test_index.setValue(index)

    def clear_drawing(self) -> None:
        self.canvas.clear()

    @Slot(bool)
    def _source_changed(self, drawing: bool) -> None:
        if drawing:
            self._set_input(self._drawn, OWN_ANSWER)
        else:
            self.show_test_digit(self.test_index.value())

    def _set_input(self, image: np.ndarray | None, label_text: str) -> None:
        self.input = None if image is None else np.asarray(image, dtype=np.float64)
        self.seen.set_image(self.input)
        self.backprop_panel.stepped_from(None)    # the last step's "before" was another example
        index = self.label_box.findText(label_text)
        if index >= 0 and index != self.label_box.currentIndex():
            self.label_box.setCurrentIndex(index)   # refreshes
        else:
            self.refresh()

    def _fill_labels(self) -> None:
        current = self.label_box.currentText()
        self.label_box.blockSignals(True)
        self.label_box.clear()
        self.label_box.addItem(OWN_ANSWER, None)
        for number, text in enumerate(self.labels):
            self.label_box.addItem(text, number)
        self.label_box.setCurrentIndex(max(0, self.label_box.findText(current)))
        self.label_box.blockSignals(False)

    # --- drawing ---------------------------------------------------------------------------------
    @Slot()
    def refresh(self, *_args) -> None:
        """Show the current digit and label in every view (later, if the page is not on screen)."""
        self.request_draw()

    def draw(self) -> None:
        network, x = self.network, self.input
        if network is None or x is None:
            self.answer.setText("Draw a digit on the left, or pick a test digit" if network is not None
                                else "No model")
            self.backprop_panel.show_example(network, None, 0, self.labels)
            self.saliency_panel.show_example(None, None, 0, self.labels)
            self.attack_panel.show_example(None, 0)
            return
        probabilities = class_probabilities(network, x.reshape(1, -1))[0]
        answer = int(np.argmax(probabilities))
        chosen = self.label_box.currentData()
        label = answer if chosen is None else int(chosen)
        after = "" if self.steps == 0 else f" after {self.steps} step{'s' if self.steps > 1 else ''}"
        self.answer.setText(f"Answer{after}: {self.labels[answer]} ({100 * probabilities[answer]:.0f}%)")
        self.backprop_panel.show_example(network, x, label, self.labels)
        self.saliency_panel.show_example(network, x, label, self.labels)
        self.attack_panel.show_example(x, label)

    def report(self) -> dict:
        """What the page shows, in numbers, for the run report."""
        details: dict = {"source": "drawing" if self.from_drawing.isChecked() else f"test digit {self.test_index.value()}",
                         "label": self.label_box.currentText(), "gradient_steps_taken": self.steps}
        if self.attack_panel.curve is not None:
            details["attack_curve"] = self.attack_panel.curve.as_dict()
        return details

    def shutdown(self) -> None:
        self.backprop_panel.shutdown()
