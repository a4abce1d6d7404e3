"""Shared plot helpers: white plots with readable axes, titles that fit, pens, and a redraw throttle.

Colours and text sizes come from ``gui.style``.
"""

from __future__ import annotations

from typing import Callable

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol
from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon, QPixmap

from gui.style import BLACK, LEGEND_POINTS, PALETTE, SHAPES, TITLE_POINTS

pg.setConfigOptions(antialias=True, background="w", foreground="k")

_text_scale = 1.0     # projector mode enlarges titles and legends


def set_text_scale(scale: float) -> None:
    """Scale for plot titles and legends made from now on (the window rescales those on show)."""
    global _text_scale
    _text_scale = float(scale)


def title_size() -> str:
    """The size to pass to ``setTitle``, so a title set while projector mode is on is large too."""
    return f"{TITLE_POINTS * _text_scale:g}pt"


def legend_size() -> str:
    return f"{LEGEND_POINTS * _text_scale:g}pt"


def set_title(item: pg.PlotItem, text: str) -> None:
    """Title a plot at the current size, shrunk as far as 60% when the plot is too narrow for it.

    pyqtgraph would instead make the title's width the plot's minimum width, which in projector
    mode pushes plots wider than the window has room for.
    """
    label = item.titleLabel
    item.setTitle(text, size=title_size())
    if not getattr(label, "_fits_plot", False):
        label._fits_plot = True

        def height_only_minimum() -> None:
            label.setMinimumWidth(0)
            label.setMinimumHeight(label.itemRect().height())

        label.updateMin = height_only_minimum
        item.vb.sigResized.connect(lambda _vb: fit_title(item))  # the title spans the view box
    fit_title(item)


def fit_title(item: pg.PlotItem) -> None:
    """Size the title (set with ``set_title``) to the plot's current width."""
    label = item.titleLabel
    if not label.isVisible() or not label.text or getattr(label, "_fitting", False):
        return
    label._fitting = True
    try:
        target = TITLE_POINTS * _text_scale
        label.setText(label.text, size=f"{target:g}pt")
        room, needed = item.vb.width() - 4, label.item.boundingRect().width()  # the title spans the view box
        if room > 0 and needed > room:
            label.setText(label.text, size=f"{max(0.6 * target, target * room / needed):.1f}pt")
        height = max(30, int(label.item.boundingRect().height()) + 2)
        label.setMaximumHeight(height)
        item.layout.setRowFixedHeight(0, height)
        label.updateMin()
    finally:
        label._fitting = False


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


def make_plot(title: str = "", x_label: str = "", y_label: str = "", parent=None) -> pg.PlotWidget:
    """A white PlotWidget with a title, labelled axes and a light grid."""
    plot = pg.PlotWidget(parent=parent)
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
