"""A classifier's view of the plane: each region coloured by the class it predicts, points on top.

The colour of a region is the class colour blended with white: at least a clear tint wherever
the model prefers a class, stronger the surer it is. So the regions of a network that barely
prefers one class (random weights, tweak-and-keep stuck near the start) can still be told apart,
and a sure network paints them strongly. Each class's points also have a marker shape of their
own, named in a legend under the plot: colour alone would leave some readers guessing.
The class grid itself comes from ``engine.search.decision_grid``; this widget only draws it.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from gui.plot_text import add_legend, plain_axes, set_title
from gui.plotting import shape
from gui.style import BLACK, CLASS_COLOURS

# How strongly a prediction tints the background (0 = white, 1 = full colour): the least sure
# prediction gets MIN_TINT, a fully confident one MAX_TINT.
MIN_TINT = 0.35
MAX_TINT = 0.6


def class_colour(index: int) -> str:
    """The colour of class ``index`` (never one of the methods' colours)."""
    return CLASS_COLOURS[index % len(CLASS_COLOURS)]


def class_rgb(index: int) -> np.ndarray:
    """RGB (0–255) of a class colour."""
    return np.array(pg.mkColor(class_colour(index)).getRgb()[:3], dtype=float)


def region_image(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
    """RGBA uint8 image (rows, cols, 4): class colour mixed with white by how sure the model is.

    With C classes a prediction is never less sure than 1/C, so the tint starts there.
    """
    palette = np.stack([class_rgb(c) for c in range(n_classes)])
    floor = 1.0 / n_classes
    strength = MIN_TINT + (MAX_TINT - MIN_TINT) * np.clip((confidence - floor) / (1.0 - floor), 0.0, 1.0)
    rgb = 255.0 + strength[..., None] * (palette[classes] - 255.0)
    alpha = np.full(classes.shape + (1,), 255.0)
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)


class DecisionRegionsPlot(pg.PlotWidget):
    """Scatter of labelled points over a heat map of predicted classes."""

    def __init__(self, title: str = "Decision regions", parent=None):
        super().__init__(parent=parent, axisItems=plain_axes())
        item = self.getPlotItem()
        set_title(item, title)
        item.setLabel("bottom", "x₁")
        item.setLabel("left", "x₂")
        item.setAspectLocked(True)
        self.setAccessibleName(title)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setZValue(-10)
        self.addItem(self.image)
        self.legend = add_legend(item)
        self._scatters: list[pg.ScatterPlotItem] = []
        self.classes: np.ndarray | None = None
        self.xs = self.ys = None

    def set_points(self, X: np.ndarray, y: np.ndarray, n_classes: int) -> None:
        """Show the data, one scatter per class (created once per class, then updated)."""
        while len(self._scatters) < n_classes:
            c = len(self._scatters)
            scatter = pg.ScatterPlotItem(size=7, pen=pg.mkPen(BLACK, width=0.6), symbol=shape(c)[0],
                                         brush=pg.mkBrush(class_colour(c)), name=f"class {c}")
            self.addItem(scatter)
            self._scatters.append(scatter)
        self.legend.clear()
        for c, scatter in enumerate(self._scatters):
            rows = y == c
            scatter.setData(X[rows, 0], X[rows, 1])  # empty for classes the data no longer has
            if c < n_classes:
                self.legend.addItem(scatter, f"class {c}")
        self.getPlotItem().enableAutoRange()

    def set_regions(self, grid: dict, n_classes: int) -> None:
        """Draw a grid from ``decision_grid``: pixel centres sit exactly on the grid points."""
        self.xs, self.ys, self.classes = grid["xs"], grid["ys"], grid["classes"]
        self.image.setImage(region_image(grid["classes"], grid["confidence"], n_classes), autoLevels=False)
        dx = (self.xs[-1] - self.xs[0]) / max(1, len(self.xs) - 1)
        dy = (self.ys[-1] - self.ys[0]) / max(1, len(self.ys) - 1)
        self.image.setRect(QRectF(self.xs[0] - dx / 2, self.ys[0] - dy / 2,
                                  len(self.xs) * dx, len(self.ys) * dy))

    def clear_regions(self) -> None:
        self.classes = None
        self.image.clear()

    def class_at(self, x: float, y: float) -> int | None:
        """The class the image shows at a point of the plane (nearest pixel), or None outside it."""
        if self.classes is None:
            return None
        j = int(np.argmin(np.abs(self.xs - x)))
        i = int(np.argmin(np.abs(self.ys - y)))
        return int(self.classes[i, j])
