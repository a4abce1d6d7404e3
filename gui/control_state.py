"""Remember the values of a tab's controls between runs, and put them back to their defaults.

Controls are found by walking the tab's widgets; each is keyed by its object name, or else its
accessible name, so tabs need no extra code to have their sliders and choices remembered. What is not
a single control (a typed function, a list of learning rates, the MNIST folder) a tab hands over
itself through the tab contract, as a dict of plain values from ``remembered_state()``, given back
to ``restore_remembered_state(state)``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QComboBox, QDoubleSpinBox,
                               QSpinBox, QWidget)

if TYPE_CHECKING:
    from gui.tabs.base import LessonTab


def _key(widget: QWidget) -> str:
    return widget.objectName() or widget.accessibleName()


def remembered_controls(root: QWidget) -> dict[str, QWidget]:
    """Named sliders, spin boxes, combo boxes and check boxes under root (names seen twice are skipped)."""
    found: dict[str, QWidget] = {}
    twice: set[str] = set()
    kinds = (QAbstractSlider, QSpinBox, QDoubleSpinBox, QComboBox, QAbstractButton)
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, kinds):
            continue
        if isinstance(widget, QAbstractButton) and not widget.isCheckable():
            continue
        key = _key(widget)
        if not key or key.startswith("qt_"):
            continue
        if key in found:
            twice.add(key)
        found[key] = widget
    for key in twice:
        found.pop(key)
    return found


def read_value(widget: QWidget):
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QAbstractButton):
        return widget.isChecked()
    return widget.value()


def write_value(widget: QWidget, value) -> None:
    try:
        if isinstance(widget, QComboBox):
            index = widget.findText(str(value))
            if index >= 0:
                widget.setCurrentIndex(index)
        elif isinstance(widget, QAbstractButton):
            widget.setChecked(value in (True, "true", "True", 1, "1"))
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))
        else:
            widget.setValue(int(float(value)))
    except (TypeError, ValueError):
        pass  # a value from an older version that no longer fits: keep the default


class ControlState:
    """Snapshot defaults on creation; save to / restore from QSettings under a group."""

    #: Settings key of the tab's own state (JSON); no control can have this name.
    TAB_STATE_KEY = "_tab_state"

    def __init__(self, root: LessonTab, group: str):
        self.root, self.group = root, group
        self.defaults = {key: read_value(w) for key, w in remembered_controls(root).items()}
        self.default_tab_state = root.remembered_state()

    def save(self, settings: QSettings) -> None:
        settings.beginGroup(self.group)
        for key, widget in remembered_controls(self.root).items():
            settings.setValue(key, read_value(widget))
        tab_state = self.root.remembered_state()
        if tab_state is not None:
            settings.setValue(self.TAB_STATE_KEY, json.dumps(tab_state))
        settings.endGroup()

    def restore(self, settings: QSettings) -> None:
        settings.beginGroup(self.group)
        stored = {key: settings.value(key) for key in settings.childKeys()}
        settings.endGroup()
        for key, widget in remembered_controls(self.root).items():
            if key in stored and stored[key] is not None:
                write_value(widget, stored[key])
        text = stored.get(self.TAB_STATE_KEY)
        if isinstance(text, str):
            try:
                tab_state = json.loads(text)
            except ValueError:
                return  # unreadable (edited by hand?): keep the defaults
            if isinstance(tab_state, dict):
                self.root.restore_remembered_state(tab_state)

    def reset(self) -> None:
        for key, widget in remembered_controls(self.root).items():
            if key in self.defaults:
                write_value(widget, self.defaults[key])
        if self.default_tab_state is not None:
            self.root.restore_remembered_state(self.default_tab_state)
