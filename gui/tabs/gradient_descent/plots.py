"""Small pyqtgraph helpers for the Gradient Descent tab's animated plots (the axes' pixmap cache
they also use is ``gui.plotting.cache_axes``).

Thick antialiased zigzags (noisy one-sample runs) are ten times cheaper drawn as separate
segments than as one long path, and a run of 10,000 updates draws as well from 1,000 of them.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

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
