"""Focus a keyboard user can follow: Tab goes in reading order, and the focus is always visible.

Qt's tab order is the order widgets were created or re-parented in, which is rarely the order on
screen (on the MNIST tab "Extra class" came before the learning-rate slider; the lesson panel,
built before its tab, came first). ``reading_order`` walks a widget's layouts instead — boxes in
order, grids and forms row by row, splitters and tab pages in order — which is the order the
screen shows; ``set_tab_order`` makes Tab follow it.

Many of our widgets draw no focus mark at all (plots, pictures, the drawing canvas, the lesson
text): ``FocusRing`` draws one around whichever of them has the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFormLayout, QGraphicsView, QGridLayout, QLayout,
                               QScrollArea, QSplitter, QStackedWidget, QTabWidget, QTextEdit, QWidget)
from shiboken6 import isValid

from gui.style import FOCUS_RING, WHITE


def _takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    """The widgets of a layout (and of the layouts inside it) in the order the screen shows them."""
    if isinstance(layout, QFormLayout):
        roles = (QFormLayout.ItemRole.LabelRole, QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole)
        items = [layout.itemAt(row, role) for row in range(layout.rowCount()) for role in roles]
    elif isinstance(layout, QGridLayout):
        cells = [(layout.getItemPosition(i)[:2], i) for i in range(layout.count())]
        items = [layout.itemAt(i) for _cell, i in sorted(cells)]
    else:
        items = [layout.itemAt(i) for i in range(layout.count())]
    widgets = []
    for item in items:
        if item is None:
            continue
        if item.widget() is not None:
            widgets.append(item.widget())
        elif item.layout() is not None:
            widgets += _layout_widgets(item.layout())
    return widgets


def _parts(widget: QWidget) -> list[QWidget]:
    """The widgets inside ``widget``, in screen order."""
    if isinstance(widget, QTabWidget):
        return [widget.tabBar()] + [widget.widget(i) for i in range(widget.count())]
    if isinstance(widget, (QSplitter, QStackedWidget)):
        return [widget.widget(i) for i in range(widget.count())]
    if isinstance(widget, QScrollArea):
        return [widget.widget()] if widget.widget() is not None else []
    laid_out = _layout_widgets(widget.layout()) if widget.layout() is not None else []
    rest = [child for child in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if child not in laid_out and not child.isWindow()]
    return laid_out + rest


def reading_order(root: QWidget) -> list[QWidget]:
    """Every widget under ``root`` that takes the focus with Tab, in the order the screen shows them."""
    order: list[QWidget] = []

    def visit(widget: QWidget) -> None:
        if _takes_tab(widget) and not isinstance(widget, (QTabWidget, QScrollArea)):
            order.append(widget)  # a control: what is inside it is its own business
            return
        for part in _parts(widget):
            visit(part)

    for part in _parts(root):
        visit(part)
    return order


def set_tab_order(widgets: list[QWidget]) -> None:
    """Make Tab go through ``widgets`` one after another."""
    for first, second in zip(widgets, widgets[1:]):
        QWidget.setTabOrder(first, second)


def draws_no_focus(widget: QWidget) -> bool:
    """Widgets that show no sign of having the focus by themselves: plots and pictures (graphics
    views), read-only text, item views (only a faint dotted item), and widgets that ask for a ring."""
    if widget.property(ASK_FOR_RING):
        return True
    if isinstance(widget, (QGraphicsView, QAbstractItemView)):
        return True
    return isinstance(widget, QTextEdit) and widget.isReadOnly()


ASK_FOR_RING = "focusRing"  # widget.setProperty(ASK_FOR_RING, True): draw the ring around it too


class FocusRing(QWidget):
    """A frame inside the edge of the focused widget, for widgets that draw none themselves.

    One ring per window; it becomes a child of the widget that has the focus, so it moves, hides
    and scrolls with it. Two tones (a broad line in the focus colour, a thin light one inside) so it
    shows on white plots and on the dark weight images alike.
    """

    WIDTH = 3

    def __init__(self, window: QWidget):
        super().__init__(window)
        self._window = window
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.hide()
        self.target: QWidget | None = None
        QApplication.instance().focusChanged.connect(self._follow)

    def _follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        if self.target is not None and isValid(self.target):
            self.target.removeEventFilter(self)
        self.target = None
        if new is not None and draws_no_focus(new) and self._window.isAncestorOf(new):
            self.target = new
            new.installEventFilter(self)
            self.setParent(new)
            self.setGeometry(new.rect())
            self.show()
            self.raise_()
        else:
            self.hide()
            if isValid(self._window):
                self.setParent(self._window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.target and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.target.rect())
        return False

    def paintEvent(self, _event) -> None:  # noqa: N802 (Qt name)
        painter = QPainter(self)
        outer = QPen(QColor(FOCUS_RING), self.WIDTH)
        outer.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
        painter.setPen(outer)
        half = self.WIDTH / 2
        painter.drawRect(QRectF(self.rect()).adjusted(half, half, -half, -half))
        painter.setPen(QPen(QColor(WHITE), 1))
        painter.drawRect(QRectF(self.rect()).adjusted(self.WIDTH + 0.5, self.WIDTH + 0.5,
                                                      -self.WIDTH - 0.5, -self.WIDTH - 0.5))
        painter.end()
