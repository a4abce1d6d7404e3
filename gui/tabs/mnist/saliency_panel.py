"""Which pixels drove the answer: the gradient of a class's score with respect to the 784 pixels.

Two maps side by side over the digit's outline: the plain gradient, and SmoothGrad, the gradient
averaged over noisy copies of the digit, with its noise level and number of copies as controls.
Both are recomputed whenever the digit, the label or the model changes, which is cheap: one
backward pass, and one batched pass over the copies.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from engine.mnist.saliency import SMOOTH_NOISE, SMOOTH_SAMPLES, score_gradients, smooth_score_gradient
from engine.network import Network
from gui.style import HINT_TEXT, set_text_colour
from gui.tabs.mnist.drawn_when_shown import DrawnWhenShown
from gui.tabs.mnist.signed_map import SignedMap
from gui.widgets.controls import number_box
from gui.widgets.labelled_slider import LabelledSlider

MAX_SAMPLES = 200


class SaliencyPanel(DrawnWhenShown, QWidget):
    """`show_example(network, image, cls, labels)`; `show_example(None, ...)` empties it."""

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self.network: Network | None = None
        self._fast: tuple[Network, Network] | None = None   # (network, its float32 copy)
        self.image: np.ndarray | None = None
        self.cls = 0
        self.labels: list[str] = [str(d) for d in range(10)]
        self.plain = SignedMap("Saliency: the gradient",
                               "∂(score of the class)/∂(pixel): orange where more ink would raise the score,\n"
                               "blue where it would lower it. The black line is the digit's outline.")
        self.smooth = SignedMap("Saliency: SmoothGrad",
                                "The same gradient averaged over noisy copies of the digit (SmoothGrad):\n"
                                "what survives the noise is what the network reliably responds to.")
        self.noise = LabelledSlider("SmoothGrad noise σ", 0.0, 0.5, SMOOTH_NOISE, decimals=2, steps=100,
                                    tooltip="Standard deviation of the Gaussian noise added to every pixel "
                                            "(the pixels range from 0 to 1)")
        self.samples = number_box(1, MAX_SAMPLES, SMOOTH_SAMPLES, "SmoothGrad copies",
                                  "How many noisy copies the smoothed map averages over")
        note = QLabel("A saliency map says how the score would change for a tiny change of this one image, "
                      "not what the network \"looks at\" in general nor what a larger change would do. It is "
                      "a sum of the first-layer weight pictures, weighted by their δ: hence the speckle.")
        note.setWordWrap(True)
        set_text_colour(note, HINT_TEXT)
        maps = QGridLayout()
        maps.addWidget(self.plain, 0, 0)
        maps.addWidget(self.smooth, 0, 1)
        controls = QGridLayout()
        controls.addWidget(self.noise, 0, 0)
        controls.addWidget(QLabel("copies"), 0, 1)
        controls.addWidget(self.samples, 0, 2)
        controls.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(maps, 1)
        layout.addLayout(controls)
        layout.addWidget(note)
        self.noise.valueChanged.connect(self._draw_smooth)
        self.samples.valueChanged.connect(self._draw_smooth)
        self.show_example(None, None, 0, self.labels)

    def show_example(self, network: Network | None, image: np.ndarray | None, cls: int, labels: list[str]) -> None:
        self.network, self.image, self.cls, self.labels = network, image, cls, list(labels)
        self.request_draw()

    def draw(self) -> None:
        network, image, cls = self.network, self.image, self.cls
        if network is None or image is None:
            self.plain.set_map(None)
            self.smooth.set_map(None)
            return
        gradient = score_gradients(network, image, cls)[0]
        self.plain.set_map(gradient, image, f"∂(score of {self.labels[cls]})/∂pixel, "
                                            f"from {gradient.min():+.2g} to {gradient.max():+.2g}")
        self._draw_smooth()

    def _float32(self) -> Network:
        """The network in float32, made once per model: SmoothGrad's many copies run twice as fast,
        and an average of noisy gradients has no use for float64's digits."""
        if self._fast is None or self._fast[0] is not self.network:
            self._fast = (self.network, self.network.copy(np.float32))
        return self._fast[1]

    @Slot()
    def _draw_smooth(self, *_args) -> None:
        if self.network is None or self.image is None or self._stale:
            return
        sigma, copies = self.noise.value(), self.samples.value()
        smooth = smooth_score_gradient(self._float32(), self.image, self.cls, sigma, copies, seed=self.seed)
        self.smooth.set_map(smooth, self.image, f"Averaged over {copies} copies with noise σ = {sigma:.2f}")
