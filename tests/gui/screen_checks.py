"""What a user would call cut off, squashed or unreadable on screen, as checks a test can run.

``screen_problems(window)`` looks at what the window shows now: every plot on screen must be at
least ``MIN_PLOT`` big, its title and legend must lie inside it (the legend off the data), its
tick labels must not touch, its axis names must fit along their axes, and a row of sub-tabs must
fit without scroll arrows. It returns one line per problem, so a failing test says what and where.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QTabWidget

from gui.export import plots_in
from gui.tabs.mnist.scrolling_page import ScrollingPage

MIN_PLOT = (200, 140)        # pixels: smaller than this a plot is no use in a classroom
MIN_DATA_AREA = (120, 80)    # ...and the data inside its axes, title and legend no smaller than this


def shown_plots(root) -> list:
    """(title, PlotItem) of the plots under ``root`` that are on screen now."""
    shown = []
    for title, item in plots_in(root):
        if isinstance(item, pg.ColorBarItem):
            continue   # a colour scale beside an image: narrow by design
        view = item.getViewWidget()
        if view is not None and view.isVisible() and item.isVisible():
            shown.append((title, item))
    return shown


def _inside(inner: QRectF, outer: QRectF, slack: float = 1.0) -> bool:
    return (inner.left() >= outer.left() - slack and inner.top() >= outer.top() - slack
            and inner.right() <= outer.right() + slack and inner.bottom() <= outer.bottom() + slack)


def _tick_labels(axis) -> list:
    """(rect, flags, text) of every tick label the axis draws now."""
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        if axis.style["tickFont"] is not None:
            painter.setFont(axis.style["tickFont"])
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else list(specs[2])


def _tick_label_rects(axis) -> list[QRectF]:
    return [rect for rect, _flags, _text in _tick_labels(axis)]


def tick_label_texts(axis) -> list[str]:
    """The tick labels an axis shows, in order along it."""
    labels = sorted(_tick_labels(axis), key=lambda spec: (spec[0].left(), spec[0].top()))
    return [text for _rect, _flags, text in labels]


def plot_problems(title: str, item, min_size: tuple[int, int] | None = MIN_PLOT) -> list[str]:
    problems = []
    view = item.getViewWidget()
    if min_size is not None and (view.width() < min_size[0] or view.height() < min_size[1]):
        problems.append(f"{title!r}: {view.width()}×{view.height()} px, smaller than {min_size[0]}×{min_size[1]}")
    data = item.vb.size()
    if min_size is not None and (data.width() < MIN_DATA_AREA[0] or data.height() < MIN_DATA_AREA[1]):
        problems.append(f"{title!r}: data area {data.width():.0f}×{data.height():.0f} px, smaller than "
                        f"{MIN_DATA_AREA[0]}×{MIN_DATA_AREA[1]}")
    placed = item.geometry()   # the plot's area in its view: taller than the view, its bottom is cut off
    if placed.bottom() > view.height() + 1 or placed.right() > view.width() + 1:
        problems.append(f"{title!r}: laid out {placed.width():.0f}×{placed.height():.0f} px in a "
                        f"{view.width()}×{view.height()} px view, the rest cut off")
    bounds = item.boundingRect()
    label = item.titleLabel
    if label.isVisible() and label.text.strip():
        text_rect = label.mapRectToItem(item, label.itemRect())
        overflow = label.item.document().idealWidth() > label.item.boundingRect().width() + 1
        if not _inside(text_rect, bounds) or overflow:
            problems.append(f"{title!r}: title cut off ({text_rect.width():.0f} px in a {bounds.width():.0f} px plot)")
    legend = item.legend
    if legend is not None and legend.isVisible() and legend.items:
        rect = legend.mapRectToItem(item, legend.boundingRect())
        if not _inside(rect, bounds):
            problems.append(f"{title!r}: legend cut off")
        if rect.intersects(item.vb.mapRectToItem(item, item.vb.boundingRect()).adjusted(1, 1, -1, -1)):
            problems.append(f"{title!r}: legend lies on the data")
    data_rect = item.vb.sceneBoundingRect()
    for text in item.vb.addedItems:   # hints and labels written into the data area
        if isinstance(text, pg.TextItem) and text.isVisible() and text.toPlainText().strip():
            if not _inside(text.textItem.sceneBoundingRect(), data_rect, slack=2):
                problems.append(f"{title!r}: text {text.toPlainText()!r} sticks out of the plot")
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        if not axis.isVisible():
            continue
        rects = _tick_label_rects(axis)
        if any(a.intersects(b) for i, a in enumerate(rects) for b in rects[i + 1:]):
            problems.append(f"{title!r}: {side} tick labels overlap")
        if axis.label.isVisible() and axis.labelText:   # centred on its axis, it may reach past it
            needed = axis.label.boundingRect().width()
            room = bounds.height() if side == "left" else bounds.width()
            if needed > room + 1:
                problems.append(f"{title!r}: {side} axis name {axis.labelText!r} longer than the plot "
                                f"({needed:.0f} > {room:.0f} px)")
    return problems


def tab_bar_problems(root) -> list[str]:
    """Rows of sub-tabs (e.g. the MNIST pages) must show every tab without scroll arrows."""
    problems = []
    for tabs in root.findChildren(QTabWidget):
        bar = tabs.tabBar()
        if tabs.isVisible() and bar.sizeHint().width() > tabs.width():
            names = ", ".join(tabs.tabText(i) for i in range(tabs.count()))
            problems.append(f"sub-tabs ({names}) need {bar.sizeHint().width()} px, have {tabs.width()}")
    return problems


def screen_problems(root, min_size: tuple[int, int] | None = MIN_PLOT) -> list[str]:
    """Every problem on screen under ``root`` (a window or a tab), as readable lines; with
    ``min_size`` None (a screen known to be too small) only what is cut off or overlaps."""
    problems = tab_bar_problems(root)
    if min_size is not None:
        problems += [f"{type(page).__name__} needs scrolling" for page in root.findChildren(ScrollingPage)
                     if page.isVisible() and page.scrolls() and not page.TALLER_THAN_A_PROJECTOR]
    for title, item in shown_plots(root):
        problems += plot_problems(title, item, min_size)
    return problems


def sub_pages(root) -> list[tuple[QTabWidget, int]]:
    """Every page of every QTabWidget under ``root``: the pages a user can switch to, found rather
    than listed, so a page added later is walked too."""
    return [(tabs, index) for tabs in root.findChildren(QTabWidget) for index in range(tabs.count())]
