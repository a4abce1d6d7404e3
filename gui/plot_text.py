"""Text on plots that always fits: titles that wrap, legends beside the data, tick labels apart.

pyqtgraph keeps a title on one line and makes its width the plot's minimum width, anchors a
legend on top of the data, and draws every tick label it chose even where neighbours overlap at
a projector's font size. Here instead:

* a title wraps onto a second line within the plot's width (and only then shrinks a little);
  it is never cut;
* a legend is a line of coloured samples under the plot that wraps like text, so it never
  covers a curve;
* an axis leaves out a tick label that would touch its neighbour, and shows numbers as they
  are (no SI-prefix rescaling such as "x₂ (x0.001)" over ticks 0–800).

Sizes follow the text scale projector mode sets (``set_text_scale``); ``restyle`` applies it to a
plot that is already on screen.
"""

from __future__ import annotations

import html
import re
import weakref

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextOption

from gui.style import LEGEND_POINTS, TITLE_POINTS

TITLE_SHRINK_STEPS = (1.0, 0.9, 0.8)   # a title that takes more than two lines shrinks this far
LEGEND_ROW = 4                          # the plot's layout row under the bottom axis
TITLE_MARGIN = 6                        # pixels kept free beside a title or legend
TEXT_MARGIN = 1                         # pixels round the text of a title or legend
MIN_POINTS = 6.0                        # text is never made smaller than this

_text_scale = 1.0
_titles: weakref.WeakKeyDictionary[pg.PlotItem, str] = weakref.WeakKeyDictionary()
_fitting: weakref.WeakSet[pg.PlotItem] = weakref.WeakSet()
_watched: weakref.WeakSet[pg.PlotItem] = weakref.WeakSet()   # plots whose resizes refit their text

_LINE_STYLES = {Qt.PenStyle.SolidLine: "━", Qt.PenStyle.DashLine: "╍", Qt.PenStyle.DotLine: "┅",
                Qt.PenStyle.DashDotLine: "━·━", Qt.PenStyle.DashDotDotLine: "━··"}   # told apart in grey too
_SYMBOLS = {"o": "●", "s": "■", "t": "▼", "t1": "▲", "d": "◆", "x": "✕", "+": "+", "star": "★"}


def set_text_scale(scale: float) -> None:
    """Scale for plot titles and legends from now on (``restyle`` updates those on screen)."""
    global _text_scale
    _text_scale = float(scale)


def title_points() -> float:
    return TITLE_POINTS * _text_scale


def legend_points() -> float:
    return LEGEND_POINTS * _text_scale


# --- axes ---------------------------------------------------------------------------------------
class PlainAxis(pg.AxisItem):
    """An axis that prints plain numbers and never two tick labels on top of each other."""

    def __init__(self, orientation: str, **kwargs):
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)

    def generateDrawSpecs(self, p):  # noqa: N802 (pyqtgraph name)
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        return axis, ticks, apart(texts, vertical=self.orientation in ("left", "right"))


def apart(texts: list, vertical: bool) -> list:
    """Tick labels (rect, flags, text), major ones first, without any that would touch a kept one.

    pyqtgraph lists the labels of the major ticks first, so those are the ones kept.
    """
    kept = []
    for spec in texts:
        rect = spec[0]
        gap = 1.0 if vertical else 0.25 * rect.height()   # a space between labels side by side
        grown = rect.adjusted(0, -gap, 0, gap) if vertical else rect.adjusted(-gap, 0, gap, 0)
        if not any(grown.intersects(other[0]) for other in kept):
            kept.append(spec)
    return kept


def plain_axes() -> dict[str, PlainAxis]:
    """Axes for a new PlotWidget / PlotItem (``axisItems=plain_axes()``)."""
    return {"left": PlainAxis("left"), "bottom": PlainAxis("bottom")}


# --- titles -------------------------------------------------------------------------------------
def set_title(item: pg.PlotItem, text: str) -> None:
    """Title a plot at the current size; it wraps to fit the plot's width instead of widening it."""
    label = item.titleLabel
    first = item not in _titles
    _titles[item] = text
    item.setTitle(text, size=f"{title_points():g}pt")
    if first:
        item.layout.removeItem(label)
        item.layout.addItem(label, 0, 0, 1, 3)  # over the axes too: more room than the data column
        _centre_lines(label)
        _height_only_minimum(label)
        _refit_on_resize(item)
    fit_text(item)


def title_of(item: pg.PlotItem) -> str:
    """The plot's title as set, without markup ("" when it has none)."""
    text = _titles.get(item)
    if text is None:
        text = item.titleLabel.text if item.titleLabel is not None and item.titleLabel.isVisible() else ""
    return re.sub(r"<[^>]+>", "", text or "").strip()


def _centre_lines(label: pg.LabelItem) -> None:
    """Centre each line; and a thin margin round the text (Qt's 4 px above and below every title
    and legend cost a small screen's plots a line of data)."""
    document = label.item.document()
    document.setDefaultTextOption(QTextOption(Qt.AlignmentFlag.AlignHCenter))
    document.setDocumentMargin(TEXT_MARGIN)


def _height_only_minimum(label: pg.LabelItem) -> None:
    """The label asks for its height only: a long text must never make the plot wider."""
    def height_only() -> None:
        label.setMinimumWidth(0)
        label.setMinimumHeight(label.itemRect().height())

    label.updateMin = height_only


def _room(item: pg.PlotItem) -> float | None:
    """Width a title or legend may take, or None before the plot has been laid out."""
    width = item.width()
    return width - TITLE_MARGIN if width > 2 * TITLE_MARGIN else None


def _lines(label: pg.LabelItem) -> int:
    """Lines the label's text is laid out on (QTextDocument.lineCount counts paragraphs for rich text)."""
    document = label.item.document()
    document.documentLayout()   # lays the text out if it has not been yet
    lines, block = 0, document.begin()
    while block.isValid():
        lines += block.layout().lineCount() if block.layout() is not None else 1
        block = block.next()
    return max(1, lines)


def lines_of_title(item: pg.PlotItem) -> int:
    """How many lines the plot's title takes now."""
    return _lines(item.titleLabel)


def _set_wrapped(label: pg.LabelItem, text: str, points: float, room: float | None) -> None:
    """Show ``text`` at ``points``, on one line, or wrapped within ``room`` if one line is too wide."""
    label.item.setTextWidth(-1)
    label.setText(text, size=f"{points:.1f}pt")
    if room is not None and label.item.boundingRect().width() > room:
        label.item.setTextWidth(room)
        label.resizeEvent(None)   # centre the wrapped block and report its new height


def _fit_title(item: pg.PlotItem, room: float | None) -> None:
    label, text = item.titleLabel, _titles.get(item)
    if not text or not label.isVisible():
        return
    for factor in TITLE_SHRINK_STEPS:   # full size on up to two lines, else a little smaller
        points = title_points() * factor
        _set_wrapped(label, text, points, room)
        if _lines(label) <= 2:
            break
    widest = label.item.document().idealWidth()
    if room is not None and widest > room:   # a single word wider than the plot: shrink until it fits
        _set_wrapped(label, text, max(MIN_POINTS, points * room / widest), room)
    height = int(label.itemRect().height()) + 2
    label.setMaximumHeight(height)
    item.layout.setRowFixedHeight(0, height)


# --- legends ------------------------------------------------------------------------------------
class OutsideLegend(pg.LabelItem):
    """The plot's legend as one wrapping line of coloured samples under the plot.

    It takes the place of pyqtgraph's ``plot.legend``, so curves added with a ``name`` appear in
    it by themselves; ``addItem``, ``removeItem`` and ``clear`` work as on pyqtgraph's legend.
    """

    def __init__(self, plot: pg.PlotItem):
        super().__init__("", justify="center")
        self._plot = weakref.ref(plot)
        self.items: list[tuple[object, str]] = []
        _centre_lines(self)
        _height_only_minimum(self)
        plot.layout.addItem(self, LEGEND_ROW, 0, 1, 3)
        plot.layout.setRowStretchFactor(LEGEND_ROW, 0)
        plot.legend = self

    def addItem(self, item, name: str) -> None:  # noqa: N802 (pyqtgraph's legend API)
        self.items.append((item, str(name)))
        self.refit()

    def removeItem(self, item) -> None:  # noqa: N802
        self.items = [(i, name) for i, name in self.items if i is not item and name != item]
        self.refit()

    def clear(self) -> None:
        self.items = []
        self.refit()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 (the row's height follows)
        super().setVisible(visible)
        self.refit()

    def names(self) -> list[str]:
        return [name for _item, name in self.items]

    def html(self) -> str:
        entries = [f"{sample(item)}&nbsp;{html.escape(name).replace(' ', '&nbsp;')}" for item, name in self.items]
        return " &nbsp; ".join(entries)

    def refit(self) -> None:
        plot = self._plot()
        if plot is not None:
            fit_text(plot)

    def fit(self, room: float | None) -> None:
        plot = self._plot()
        if plot is None:
            return
        shown = self.isVisible() and bool(self.items)
        if shown:
            _set_wrapped(self, self.html(), legend_points(), room)
        height = int(self.itemRect().height()) + 2 if shown else 0
        self.setMaximumHeight(height)
        plot.layout.setRowFixedHeight(LEGEND_ROW, height)


def add_legend(item: pg.PlotItem) -> OutsideLegend:
    """A legend under the plot (see ``OutsideLegend``); curves named afterwards join it."""
    legend = OutsideLegend(item)
    _refit_on_resize(item)
    fit_text(item)
    return legend


def _refit_on_resize(item: pg.PlotItem) -> None:
    """Fit the plot's text again whenever its width changes (connected once per plot; the
    connection holds the plot weakly, so it adds no reference cycle through Qt)."""
    if item in _watched:
        return
    _watched.add(item)
    plot = weakref.ref(item)

    def refit(_view_box) -> None:
        alive = plot()
        if alive is not None:
            fit_text(alive)

    item.vb.sigResized.connect(refit)


def sample(item) -> str:
    """A few coloured characters that look like the item: a line (solid, dashed), a marker, a fill."""
    opts = getattr(item, "opts", {})
    parts = []
    pen = None if isinstance(item, pg.ScatterPlotItem) else opts.get("pen")   # a scatter's pen outlines its marks
    if pen is not None:
        pen = pg.mkPen(pen)
        line = _LINE_STYLES.get(pen.style())
        if line:
            parts.append(_coloured(line, pen.color()))
    symbol = opts.get("symbol")
    if symbol is not None:
        brush = opts.get("symbolBrush", opts.get("brush"))
        parts.append(_coloured(_SYMBOLS.get(symbol, "●"), pg.mkBrush(brush).color()))
    fill = opts.get("fillBrush") if opts.get("fillLevel") is not None else None
    if fill is None and isinstance(item, pg.BarGraphItem):
        fill = opts.get("brush")
    if fill is not None:
        parts.append(_coloured("█", pg.mkBrush(fill).color()))
    return "".join(parts) or _coloured("━", pg.mkColor("k"))


def _coloured(text: str, colour) -> str:
    solid = pg.mkColor(colour)
    solid.setAlpha(255)   # a see-through fill would print too pale to read
    return f"<span style='color:{solid.name()}'>{text}</span>"


# --- fitting and restyling ----------------------------------------------------------------------
def fit_text(item: pg.PlotItem) -> None:
    """Lay the plot's title and legend out again for its current width."""
    if item in _fitting:
        return
    _fitting.add(item)
    try:
        room = _room(item)
        _fit_title(item, room)
        if isinstance(item.legend, OutsideLegend):
            item.legend.fit(room)
    finally:
        _fitting.discard(item)
    _fill_view(item)


def _fill_view(item: pg.PlotItem) -> None:
    """Give the plot its view's whole area again. While a title was on more lines the plot's minimum
    height could exceed the view's, and Qt clamped it taller than the view; nothing resizes it
    back when the title shrinks, and the legend under the plot was left outside the view."""
    scene = item.scene()
    for view in scene.views() if scene is not None else ():
        if getattr(view, "centralWidget", None) is item and item.geometry() != view.range:
            item.setGeometry(view.range)


def restyle(item: pg.PlotItem, tick_font: QFont) -> None:
    """Apply the current text scale to a plot on screen: tick numbers, axis names, title, legend."""
    for side in ("left", "bottom", "right", "top"):
        axis = item.getAxis(side)
        axis.setStyle(tickFont=tick_font)
        axis.label.setFont(tick_font)
        axis.picture = None  # make the axis redraw its numbers with the new font
        axis.update()
    if item in _titles:
        item.setTitle(_titles[item], size=f"{title_points():g}pt")
    fit_text(item)
