"""Shared plot helpers: white plots with readable axes, pens, colour maps, and a redraw throttle.

Colours come from ``gui.style``; titles, legends and tick labels that fit come from ``gui.plot_text``.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QGraphicsItem

from gui.plot_text import plain_axes, set_title
from gui.style import BLACK, PALETTE, SHAPES

pg.setConfigOptions(antialias=True, background="w", foreground="k")


def cache_axes(plot: pg.PlotWidget) -> None:
    """Draw the plot's axes (and their grid lines) from a pixmap cache, redrawn when they change.

    A plot whose curves change many times a second is repainted as often, and Qt repaints
    whatever overlaps the curves, including the axes, whose grid lines cover the whole plot.
    Replaying an axis with its grid costs several milliseconds; the cached pixmap almost nothing.
    """
    item = plot.getPlotItem()
    for name in ("left", "bottom", "top", "right"):
        item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


def set_axis_label(item: pg.PlotItem, side: str, text: str) -> None:
    """Relabel an axis and centre the new text: pyqtgraph keeps the old label's position, so a
    longer label would run off the plot's edge."""
    item.setLabel(side, text)
    item.getAxis(side).resizeEvent()


def colour(i: int) -> str:
    """The i-th series colour, starting over after the last."""
    return PALETTE[i % len(PALETTE)]


def pen(i: int | str = 0, width: float = 2.0, style=None) -> pg.mkPen:
    """A pen in series colour ``i``, or in a colour named in ``gui.style``."""
    options = {"color": colour(i) if isinstance(i, int) else i, "width": width}
    if style is not None:
        options["style"] = style
    return pg.mkPen(**options)


def shape(i: int) -> tuple[str, str]:
    """The i-th marker shape (pyqtgraph symbol, the same shape as a character), starting over after the last."""
    return SHAPES[i % len(SHAPES)]


def shape_icon(i: int, colour: str, size: int = 14) -> QIcon:
    """An icon of marker shape ``i`` filled with ``colour``, for lists that name a series."""
    image = renderSymbol(shape(i)[0], size - 2, pg.mkPen(BLACK, width=0.8), pg.mkBrush(colour))
    return QIcon(QPixmap.fromImage(image))


def three_colour_map(colours: tuple[str, str, str]) -> pg.ColorMap:
    """A colour map from the low colour through the middle one to the high one."""
    return pg.ColorMap([0.0, 0.5, 1.0], [pg.mkColor(c) for c in colours])


def plot_widget(parent=None) -> pg.PlotWidget:
    """A white PlotWidget whose axes print plain numbers that never overlap (``gui.plot_text``)."""
    return pg.PlotWidget(parent=parent, axisItems=plain_axes())


def make_plot(title: str = "", x_label: str = "", y_label: str = "", parent=None) -> pg.PlotWidget:
    """A white PlotWidget with a title, labelled axes and a light grid."""
    plot = plot_widget(parent)
    item = plot.getPlotItem()
    if title:
        set_title(item, title)
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
