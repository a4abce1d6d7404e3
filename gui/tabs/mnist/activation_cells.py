"""Hidden activations lit up as cells, one row of squares per hidden layer.

This is the 3Blue1Brown picture: each neuron is a cell whose brightness is its activation, so
one can watch which neurons a drawing switches on. Brightness is scaled per layer by the largest
activation (sigmoid values are already in [0, 1]; ReLU values are not bounded).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gui.accessibility import describe
from gui.style import DARK_BACKGROUND, TEXT_ON_DARK
from gui.widgets.controls import described


class ActivationCells(QWidget):
    """`set_activations([a1, a2, ...])` with one 1-D array per hidden layer; None clears."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = described(pg.GraphicsLayoutWidget(self), "Hidden layer activations",
                              "Each square is one hidden neuron; brighter = more active.\n"
                              "Top row: first hidden layer; below: the next one.")
        self.view.setBackground(DARK_BACKGROUND)
        self.view.setMinimumSize(260, 90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._items: list[pg.ImageItem] = []
        self._labels: list[pg.LabelItem] = []
        self._sizes: list[int] = []
        self._values: list[np.ndarray] = []
        self.colormap = pg.colormap.get("inferno")

    def values(self) -> list[np.ndarray]:
        return [v.copy() for v in self._values]

    def set_activations(self, activations: list[np.ndarray] | None) -> None:
        if activations is None:
            for item, size in zip(self._items, self._sizes):
                item.setImage(np.zeros((1, size)), levels=(0, 1), autoLevels=False)
            self._values = []
            describe(self.view, "Hidden neurons as squares, brighter when more active. Nothing to show.")
            return
        arrays = [np.asarray(a, dtype=np.float64).ravel() for a in activations]
        sizes = [a.size for a in arrays]
        if sizes != self._sizes:
            self._build(sizes)
        for item, values in zip(self._items, arrays):
            top = float(np.max(np.abs(values))) if values.size else 0.0
            top = max(top, 1.0) if np.all((values >= 0) & (values <= 1)) else max(top, 1e-9)
            item.setImage(values[None, :], levels=(0.0, top), autoLevels=False)
        self._values = arrays
        describe(self.view, "Hidden neurons as squares, brighter when more active. " + " ".join(
            f"Hidden layer {i + 1}: {int(np.sum(v > 0.5 * max(float(v.max()), 1e-12)))} of {v.size} neurons above half "
            f"the strongest, neuron {int(np.argmax(v)) + 1} strongest at {float(v.max()):.2f}." for i, v in enumerate(arrays)))

    def _build(self, sizes: list[int]) -> None:
        self.view.clear()
        self._items, self._labels = [], []
        for row, size in enumerate(sizes):
            label = self.view.addLabel(f"hidden {row + 1} ({size})", row=row, col=0, color=TEXT_ON_DARK)
            box = self.view.addViewBox(row=row, col=1, lockAspect=True, enableMouse=False, enableMenu=False)
            item = pg.ImageItem(axisOrder="row-major")
            item.setColorMap(self.colormap)
            item.setImage(np.zeros((1, size)), levels=(0, 1), autoLevels=False)
            box.addItem(item)
            box.setRange(xRange=(0, size), yRange=(0, 1), padding=0.02)
            self._items.append(item)
            self._labels.append(label)
        self._sizes = sizes
