"""First-layer weights as pictures: one 28×28 image per hidden neuron.

Each neuron of the first layer has one weight per input pixel, so its weights can be drawn as an
image. A diverging colour map centred on zero shows the sign: blue pixels push the neuron down,
orange pixels push it up, and pale pixels barely matter. All cells share one symmetric scale, so
they can be compared; clicking a cell shows it large with its own colour bar.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

# Okabe–Ito blue and vermillion at the ends, a light grey at zero.
NEGATIVE_COLOUR = "#0072B2"
ZERO_COLOUR = "#F2F2F2"
POSITIVE_COLOUR = "#D55E00"


def diverging_colormap() -> pg.ColorMap:
    """Blue (negative) → pale (zero) → vermillion (positive)."""
    return pg.ColorMap([0.0, 0.5, 1.0], [pg.mkColor(NEGATIVE_COLOUR), pg.mkColor(ZERO_COLOUR),
                                          pg.mkColor(POSITIVE_COLOUR)])


def symmetric_limit(values: np.ndarray) -> float:
    """The largest |value| (finite ones only), never zero so the colour levels stay valid."""
    finite = np.abs(values[np.isfinite(values)])
    limit = float(finite.max()) if finite.size else 0.0
    return limit if limit > 0 else 1e-12


class _ClickableImage(pg.ImageItem):
    """An ImageItem that reports a left click with its cell index."""

    def __init__(self, index: int, on_click):
        super().__init__(axisOrder="row-major")
        self.index = index
        self._on_click = on_click

    def mouseClickEvent(self, event):  # noqa: N802 (pyqtgraph name)
        if event.button() == Qt.MouseButton.LeftButton:
            event.accept()
            self._on_click(self.index)


class WeightGrid(QWidget):
    """A grid of up to `max_cells` weight images plus an enlarged view of the selected one.

    `set_weights(w)` takes the first Dense layer's weight matrix, shape (784, n_neurons).
    Signal neuronSelected(int) fires when a cell is clicked.
    """

    neuronSelected = Signal(int)

    def __init__(self, max_cells: int = 64, image_shape: tuple[int, int] = (28, 28),
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.max_cells = int(max_cells)
        self.image_shape = image_shape
        self.colormap = diverging_colormap()
        self._images: np.ndarray = np.zeros((0, *image_shape))
        self._cells: list[_ClickableImage] = []
        self._boxes: list[pg.ViewBox] = []
        self._neuron_count = 0
        self.selected = 0

        self.grid = pg.GraphicsLayoutWidget(self)
        self.grid.setBackground("#202020")
        self.grid.setAccessibleName("First-layer weight images")
        self.grid.setToolTip("Each square is one first-layer neuron's 784 weights as a 28×28 image.\n"
                             "Blue = negative, orange = positive. Click one to enlarge.")
        self.grid.setMinimumSize(220, 220)

        self.large = pg.PlotWidget(self)
        self.large.setBackground("#202020")
        self.large.setAccessibleName("Enlarged weight image")
        self.large.setToolTip("The selected neuron's weights, with a colour bar showing their values")
        self.large.setAspectLocked(True)
        self.large.invertY(True)
        self.large.hideAxis("left")
        self.large.hideAxis("bottom")
        self.large.setMouseEnabled(False, False)
        self.large.setMinimumSize(200, 200)
        self.large.setMaximumWidth(320)   # the grid of all neurons keeps most of the room
        self.large_image = pg.ImageItem(axisOrder="row-major")
        self.large_image.setColorMap(self.colormap)
        self.large.addItem(self.large_image)
        self.colour_bar = pg.ColorBarItem(values=(-1, 1), colorMap=self.colormap, interactive=False,
                                          width=12)
        self.colour_bar.setImageItem(self.large_image, insert_in=self.large.getPlotItem())
        self.caption = QLabel("No weights yet", self)
        self.caption.setAccessibleName("Selected neuron caption")
        self.caption.setWordWrap(True)   # a long caption must not take width from the grid

        side = QVBoxLayout()
        side.addWidget(self.large, 1)
        side.addWidget(self.caption)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.grid, 3)
        layout.addLayout(side, 2)

    # --- public API --------------------------------------------------------------------------
    @property
    def cell_count(self) -> int:
        return len(self._cells)

    def cell_images(self) -> np.ndarray:
        """The images currently shown, shape (cells, 28, 28) (a copy, for tests and export)."""
        return self._images.copy()

    def set_weights(self, weights: np.ndarray) -> None:
        """Show a (784, n_neurons) weight matrix (or a change of weights: same shape)."""
        weights = np.asarray(weights, dtype=np.float64)
        rows, cols = self.image_shape
        if weights.ndim != 2 or weights.shape[0] != rows * cols:
            raise ValueError(f"expected weights of shape ({rows * cols}, n), got {weights.shape}")
        self._neuron_count = weights.shape[1]
        shown = min(self._neuron_count, self.max_cells)
        images = weights[:, :shown].T.reshape(shown, rows, cols)
        if shown != len(self._cells):
            self._build_cells(shown)
        self._images = images
        limit = symmetric_limit(images)
        for cell, image in zip(self._cells, images):
            cell.setImage(image, levels=(-limit, limit), autoLevels=False)
        self.selected = min(self.selected, shown - 1) if shown else 0
        self._show_large()

    def select(self, index: int) -> None:
        if 0 <= index < len(self._cells):
            self.selected = index
            self._show_large()
            self.neuronSelected.emit(index)

    # --- internals ---------------------------------------------------------------------------
    def _build_cells(self, count: int) -> None:
        self.grid.clear()
        self._cells, self._boxes = [], []
        columns = max(1, int(np.ceil(np.sqrt(count))))
        for index in range(count):
            box = self.grid.addViewBox(row=index // columns, col=index % columns,
                                       lockAspect=True, invertY=True, enableMouse=False)
            box.setMenuEnabled(False)
            cell = _ClickableImage(index, self.select)
            cell.setColorMap(self.colormap)
            box.addItem(cell)
            box.setRange(xRange=(0, self.image_shape[1]), yRange=(0, self.image_shape[0]), padding=0.02)
            self._cells.append(cell)
            self._boxes.append(box)

    def _show_large(self) -> None:
        for index, box in enumerate(self._boxes):
            box.setBorder(pg.mkPen("#F0E442", width=2) if index == self.selected else None)
        if not len(self._images):
            self.caption.setText("No weights yet")
            return
        image = self._images[self.selected]
        limit = symmetric_limit(image)
        self.large_image.setImage(image, levels=(-limit, limit), autoLevels=False)
        self.colour_bar.setLevels((-limit, limit))
        more = "" if self._neuron_count <= self.max_cells else f" (first {self.max_cells} shown)"
        self.caption.setText(f"Neuron {self.selected + 1} of {self._neuron_count}{more}; "
                             f"weights from {image.min():+.3f} to {image.max():+.3f}")
