"""Mouse helpers for GUI tests: real QMouseEvents sent to widgets (drags with the button held)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget


def _send(widget: QWidget, kind: QEvent.Type, pos: QPointF, button, buttons) -> None:
    global_pos = QPointF(widget.mapToGlobal(pos.toPoint()))
    event = QMouseEvent(kind, pos, global_pos, button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget: QWidget, points: list[tuple[float, float]]) -> None:
    """Press the left button at the first point, move through the others, release at the last."""
    left = Qt.MouseButton.LeftButton
    none = Qt.MouseButton.NoButton
    first = QPointF(*points[0])
    _send(widget, QEvent.Type.MouseButtonPress, first, left, left)
    for x, y in points[1:]:
        _send(widget, QEvent.Type.MouseMove, QPointF(x, y), none, left)
    _send(widget, QEvent.Type.MouseButtonRelease, QPointF(*points[-1]), left, none)


def click_scene_point(view, scene_point) -> None:
    """Left-click a pyqtgraph/QGraphicsView at a point given in scene coordinates."""
    from PySide6.QtTest import QTest

    pos: QPoint = view.mapFromScene(scene_point)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
