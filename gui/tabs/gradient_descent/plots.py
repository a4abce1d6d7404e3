"""Small pyqtgraph helpers for the Gradient Descent tab's animated plots.

While a run plays, every frame changes the curves, and Qt repaints whatever overlaps them —
including the axes, whose grid lines cover the whole plot. Replaying an axis with its grid costs
several milliseconds; caching it as a pixmap costs almost nothing until the range really changes.
Thick antialiased zigzags (noisy one-sample runs) are ten times cheaper drawn as separate
segments than as one long path.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

AXES = ("left", "bottom", "top", "right")


def cache_axes(plot: pg.PlotWidget) -> None:
    """Draw the plot's axes (and their grid lines) from a pixmap cache; redrawn when they change."""
    item = plot.getPlotItem()
    for name in AXES:
        item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def fast_curve(item: pg.PlotDataItem) -> pg.PlotDataItem:
    """Draw a thick, busy curve segment by segment (measured: ~10× faster than one QPainterPath)."""
    item.curve.setSegmentedLineMode("on")
    return item


def thinned(n: int, limit: int) -> np.ndarray | slice:
    """Indices of at most `limit` evenly spaced points among the first n, always including the last.

    A one-sample run has 10,000 updates; drawing all of them every frame would stall the window,
    and a thousand evenly spaced ones show the same curve and the same noise.
    """
    if n <= limit:
        return slice(0, n)
    return np.unique(np.linspace(0, n - 1, limit).astype(int))
