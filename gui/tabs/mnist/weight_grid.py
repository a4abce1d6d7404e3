"""First-layer weights as pictures: one 28×28 image per hidden neuron.

Each neuron of the first layer has one weight per input pixel, so its weights can be drawn as an
image. A diverging colour map centred on zero shows the sign: blue pixels push the neuron down,
orange pixels push it up, and pale pixels barely matter. All cells share one symmetric scale, so
they can be compared; clicking a cell shows it large with its own colour bar (or, with the grid
focused, the arrow keys: Home and End go to the first and last neuron). The cells are drawn as one
mosaic image, so a repaint during training costs one image, not one item per neuron.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsRectItem, QHBoxLayout, QVBoxLayout, QWidget

from gui.accessibility import describe
from gui.plotting import plot_widget, three_colour_map
from gui.style import DARK_BACKGROUND, SELECTED_NEURON, WEIGHT_COLOURS
from gui.tabs.mnist.clickable_image import ClickableImage
from gui.widgets.controls import described
from gui.widgets.wrapping_label import WrappingLabel


def symmetric_limit(values: np.ndarray) -> float:
    """The largest |value| (finite ones only), never zero so the colour levels stay valid."""
    finite = np.abs(values[np.isfinite(values)])
    limit = float(finite.max()) if finite.size else 0.0
    return limit if limit > 0 else 1e-12


# Round scale values, about 25% apart: fine enough that the enlarged image keeps its contrast
# (a plain 1-2-5 series could leave the weights only 40% of the colours), coarse enough that the
# colour bar's axis, costly to redraw, changes only a few times during a run.
ROUND_SCALES = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def rounded_limit(limit: float) -> float:
    """The next round scale value at or above `limit` (0.13 -> 0.15, 0.21 -> 0.25, 0.7 -> 0.8)."""
    if not np.isfinite(limit) or limit <= 0:
        return 1.0
    decade = 10.0 ** np.floor(np.log10(limit))
    for mantissa in ROUND_SCALES:
        if limit <= mantissa * decade * (1 + 1e-9):
            return float(mantissa * decade)
    return float(10 * decade)


class WeightGrid(QWidget):
    """A grid of up to `max_cells` weight images plus an enlarged view of the selected one.

    `set_weights(w)` takes the first Dense layer's weight matrix, shape (784, n_neurons).
    Signal neuronSelected(int) fires when a cell is clicked.
    """

    neuronSelected = Signal(int)
    GAP = 3                      # image pixels of background between two cells of the mosaic

    def __init__(self, max_cells: int = 64, image_shape: tuple[int, int] = (28, 28),
                 parent: QWidget | None = None, *, quantity: str = "weights",
                 description: tuple[str, str] | None = None):
        super().__init__(parent)
        self.quantity = quantity     # what the images show, e.g. "weight changes"; named in the caption
        self.max_cells = int(max_cells)
        self.image_shape = image_shape
        self.colormap = three_colour_map(WEIGHT_COLOURS)  # negative, zero, positive
        self._images: np.ndarray = np.zeros((0, *image_shape))
        self._cell_count = 0
        self._columns = 1
        self._neuron_count = 0
        self._bar_limit: float | None = None
        self._framed: tuple[int, int] | None = None   # (selected, cells) the frame was drawn for
        self.selected = 0

        name, tip = description or ("First-layer weight images",
                                    "Each square is one first-layer neuron's 784 weights as a 28×28 image.\n"
                                    "Blue = negative, orange = positive. Click one, or use the arrow keys, to enlarge.")
        self.grid = described(pg.GraphicsLayoutWidget(self), name, tip)
        self._name = name
        self.grid.setBackground(DARK_BACKGROUND)
        self.grid.setMinimumSize(220, 220)
        self.grid.installEventFilter(self)  # arrow keys choose the neuron
        self.mosaic_box = self.grid.addViewBox(lockAspect=True, invertY=True, enableMouse=False,
                                               enableMenu=False)
        # one image holding every neuron side by side: one item to repaint, however many neurons
        self.mosaic = ClickableImage(self._clicked_at)
        self.mosaic.setColorMap(self.colormap)
        self.mosaic_box.addItem(self.mosaic)
        self.selection_frame = QGraphicsRectItem()
        self.selection_frame.setPen(pg.mkPen(SELECTED_NEURON, width=2))
        self.selection_frame.setZValue(10)
        self.selection_frame.hide()
        self.mosaic_box.addItem(self.selection_frame, ignoreBounds=True)

        self.large = described(plot_widget(self), "Enlarged weight image",
                               "The selected neuron's weights, with a colour bar showing their values")
        self.large.setBackground(DARK_BACKGROUND)
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
        self.colour_bar.axis.setStyle(hideOverlappingLabels=True)   # no half-cut label at an end
        self.caption = WrappingLabel(f"No {quantity} yet", self, caption="Selected neuron",
                                     tip=f"Which neuron is enlarged, and the range of its {quantity}")
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
        return self._cell_count

    def cell_images(self) -> np.ndarray:
        """The images currently shown, shape (cells, 28, 28) (a copy, for tests and export)."""
        return self._images.copy()

    def cell_rect(self, index: int) -> QRectF:
        """Where cell `index` lies in the mosaic image (image pixels; map with `self.mosaic`)."""
        rows, cols = self.image_shape
        row, column = divmod(index, self._columns)
        return QRectF(column * (cols + self.GAP), row * (rows + self.GAP), cols, rows)

    def set_weights(self, weights: np.ndarray) -> None:
        """Show a (784, n_neurons) weight matrix (or a change of weights: same shape)."""
        weights = np.asarray(weights)
        rows, cols = self.image_shape
        if weights.ndim != 2 or weights.shape[0] != rows * cols:
            raise ValueError(f"expected weights of shape ({rows * cols}, n), got {weights.shape}")
        self._neuron_count = weights.shape[1]
        shown = min(self._neuron_count, self.max_cells)
        images = weights[:, :shown].T.reshape(shown, rows, cols).astype(np.float64)
        if shown != self._cell_count:
            self._lay_out(shown)
        self._images = images
        limit = symmetric_limit(images)
        self.mosaic.setImage(self._mosaic_of(images), levels=(-limit, limit), autoLevels=False)
        self.selected = min(self.selected, shown - 1) if shown else 0
        self._show_large()

    def select(self, index: int) -> None:
        if 0 <= index < self._cell_count:
            self.selected = index
            self._show_large()
            self.neuronSelected.emit(index)

    # --- keys --------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is not self.grid or event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        step = self._key_step(event.key())
        if step is None or event.modifiers() not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # these keys are the grid's, not the window's shortcuts
            return True
        if self._cell_count:
            self.select(min(max(self.selected + step, 0), self._cell_count - 1))
            self.caption.announce()
        return True

    def _key_step(self, key: int) -> int | None:
        """How far a key moves the selection, in cells (None: not a key the grid uses)."""
        return {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -self._columns,
                Qt.Key.Key_Down: self._columns, Qt.Key.Key_Home: -self._cell_count, Qt.Key.Key_End: self._cell_count,
                Qt.Key.Key_Return: 0, Qt.Key.Key_Enter: 0}.get(key)

    # --- internals ---------------------------------------------------------------------------
    def _lay_out(self, count: int) -> None:
        """Columns for `count` cells (a near-square grid) and a view range that fits them."""
        self._cell_count = count
        self._columns = max(1, int(np.ceil(np.sqrt(count))))
        rows = max(1, -(-count // self._columns))
        height, width = self._mosaic_shape(rows)
        self.mosaic_box.setRange(xRange=(0, width), yRange=(0, height), padding=0.02)
        self._framed = None

    def _mosaic_shape(self, rows: int) -> tuple[int, int]:
        cell_rows, cell_cols = self.image_shape
        return (rows * (cell_rows + self.GAP) - self.GAP,
                self._columns * (cell_cols + self.GAP) - self.GAP)

    def _mosaic_of(self, images: np.ndarray) -> np.ndarray:
        """All cells in one float32 image; the gaps are NaN, which pyqtgraph leaves transparent."""
        rows = max(1, -(-len(images) // self._columns))
        mosaic = np.full(self._mosaic_shape(rows), np.nan, dtype=np.float32)
        for index, image in enumerate(images):
            rect = self.cell_rect(index)
            top, left = int(rect.top()), int(rect.left())
            mosaic[top:top + image.shape[0], left:left + image.shape[1]] = image
        return mosaic

    def _clicked_at(self, position: QPointF) -> None:
        """Select the cell under a click (given in mosaic pixels); a click on a gap does nothing."""
        cell_rows, cell_cols = self.image_shape
        column, x_in_cell = divmod(position.x(), cell_cols + self.GAP)
        row, y_in_cell = divmod(position.y(), cell_rows + self.GAP)
        if not (0 <= column < self._columns and row >= 0 and x_in_cell < cell_cols and y_in_cell < cell_rows):
            return
        index = int(row) * self._columns + int(column)
        if index < self._cell_count:
            self.select(index)

    def _show_large(self) -> None:
        if self._framed != (self.selected, self._cell_count):   # move the frame only when it changes
            self._framed = (self.selected, self._cell_count)
            self.selection_frame.setVisible(self._cell_count > 0)
            self.selection_frame.setRect(self.cell_rect(self.selected).adjusted(-1, -1, 1, 1))
        if not len(self._images):
            self.caption.setText(f"No {self.quantity} yet")
            describe(self.grid, f"{self._name}, one 28×28 picture per neuron. No {self.quantity} yet.")
            return
        image = self._images[self.selected]
        limit = rounded_limit(symmetric_limit(image))
        self.large_image.setImage(image, levels=(-limit, limit), autoLevels=False)
        if limit != self._bar_limit:   # a new colour-bar scale redraws its axis: keep it rare
            self._bar_limit = limit
            self.colour_bar.setLevels((-limit, limit))
        more = "" if self._neuron_count <= self.max_cells else f" (first {self.max_cells} shown)"
        self.caption.setText(f"Neuron {self.selected + 1} of {self._neuron_count}{more}; "
                             f"{self.quantity} from {image.min():+.3g} to {image.max():+.3g}")
        describe(self.grid, f"{self._name} of {self._neuron_count} neurons{more}, one 28×28 picture each: "
                            f"blue pixels negative, orange positive. Neuron {self.selected + 1} is enlarged.")
        describe(self.large, f"The {self.quantity} of neuron {self.selected + 1} as a picture, with a colour bar from "
                             f"{-limit:g} to {limit:g}; they go from {image.min():+.3g} to {image.max():+.3g}.")
