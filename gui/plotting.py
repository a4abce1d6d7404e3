"""Shared plotting look and helpers: one palette, readable axes, and a redraw throttle.

The palette is Okabe–Ito, chosen because its colours stay distinguishable for the common forms of
colour blindness and on washed-out projectors.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QObject, QTimer

# Okabe–Ito: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow, black
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
GREY = "#7F7F7F"

pg.setConfigOptions(antialias=True, background="w", foreground="k")


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def pen(i: int = 0, width: float = 2.0, style=None) -> pg.mkPen:
    options = {"color": colour(i) if isinstance(i, int) else i, "width": width}
    if style is not None:
        options["style"] = style
    return pg.mkPen(**options)


def make_plot(title: str = "", x_label: str = "", y_label: str = "", parent=None) -> pg.PlotWidget:
    """A white PlotWidget with a title, labelled axes and a light grid."""
    plot = pg.PlotWidget(parent=parent)
    item = plot.getPlotItem()
    if title:
        item.setTitle(title, size="11pt")
    if x_label:
        item.setLabel("bottom", x_label)
    if y_label:
        item.setLabel("left", y_label)
    item.showGrid(x=True, y=True, alpha=0.25)
    plot.setAccessibleName(title or "plot")
    return plot


class Throttle(QObject):
    """Calls ``callback`` at most ``hz`` times a second, however often ``request()`` is called.

    Workers may deliver data faster than it is worth drawing; tabs store the newest data and call
    ``request()``, and the drawing happens once per tick.
    """

    def __init__(self, callback: Callable[[], None], hz: float = 25.0, parent: QObject | None = None):
        super().__init__(parent)
        self._callback = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, int(1000 / hz)))
        self._timer.timeout.connect(self._fire)

    def request(self) -> None:
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Draw now (e.g. when a job ends) instead of waiting for the next tick."""
        self._timer.stop()
        self._callback()

    def _fire(self) -> None:
        self._callback()
