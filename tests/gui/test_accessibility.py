"""Every control a user can operate explains itself: a tooltip, and a name for screen readers."""

import pytest
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit,
                               QScrollBar, QTabBar, QWidget)

from gui.main_window import TAB_NAMES, MainWindow

CONTROLS = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit)


def _described(widget: QWidget) -> bool:
    """A tooltip on the control or on the labelled group it sits in (a slider inside LabelledSlider)."""
    node = widget
    for _ in range(3):
        if node is None:
            break
        if node.toolTip():
            return True
        node = node.parentWidget()
    return False


def _user_controls(tab: QWidget) -> list[QWidget]:
    found = []
    for widget in tab.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar) or isinstance(widget.parentWidget(), QTabBar):
            continue
        if widget.objectName().startswith("qt_") or type(widget).__module__.startswith("pyqtgraph"):
            continue  # Qt's and pyqtgraph's own internals (spin box line edits, plot menus)
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        found.append(widget)
    return found


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_control_has_a_tooltip_and_an_accessible_name(qtbot, name):
    window = MainWindow()
    qtbot.addWidget(window)
    controls = _user_controls(window.tab_widgets[name])
    assert controls, "a lesson tab has controls"
    missing_tip = [f"{type(w).__name__} {w.accessibleName() or w.objectName() or getattr(w, 'text', lambda: '')()!r}"
                   for w in controls if not _described(w)]
    assert not missing_tip, f"controls without a tooltip: {missing_tip}"
    unnamed = [type(w).__name__ for w in controls
               if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))]
    assert not unnamed, f"controls without an accessible name: {unnamed}"
