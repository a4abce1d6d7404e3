"""Remember the values of a tab's controls between runs, and put them back to their defaults.

Controls are found by walking the tab's widgets; each is keyed by its object name, or else its
accessible name, so tabs need no extra code to have their sliders and choices remembered. What is not
a single control (a typed function, a list of learning rates, the MNIST folder) a tab hands over
itself through the tab contract, as a dict of plain values from ``remembered_state()``, given back
to ``restore_remembered_state(state)``.

Stored values are read through ``gui.settings_store`` with the kind the control takes (a whole
number within a spin box's range, one of a combo box's items, ...): a damaged or out-of-range value
leaves the control at its default and is reported, never raised.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QComboBox, QDoubleSpinBox,
                               QSpinBox, QWidget)

from gui.settings_store import BadSetting, Kind, SettingsReader, boolean, integer, json_object, number, text

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


def value_kind(widget: QWidget) -> Kind:
    """How a stored value for `widget` is checked: its type and the range the control accepts."""
    if isinstance(widget, QComboBox):
        return text(choices=[widget.itemText(i) for i in range(widget.count())])
    if isinstance(widget, QAbstractButton):
        return boolean
    if isinstance(widget, QDoubleSpinBox):
        return number(widget.minimum(), widget.maximum())
    return integer(widget.minimum(), widget.maximum())


def write_value(widget: QWidget, value: Any) -> None:
    """Put a checked value (see `value_kind`) into its control."""
    if isinstance(widget, QComboBox):
        widget.setCurrentIndex(widget.findText(value))
    elif isinstance(widget, QAbstractButton):
        widget.setChecked(value)
    else:
        widget.setValue(value)


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

    def restore(self, settings: QSettings) -> list[str]:
        """Put stored values back; returns the keys that could not be used (those stay at their default)."""
        reader = SettingsReader(settings)
        stored = set(reader.keys_in(self.group))
        for key, widget in remembered_controls(self.root).items():
            if key in stored:
                value = reader.read(f"{self.group}/{key}", value_kind(widget), None)
                if value is not None:
                    write_value(widget, value)
        state_key = f"{self.group}/{self.TAB_STATE_KEY}"
        state = reader.read(state_key, json_object(), None)
        for name, old_key in self.root.legacy_settings.items():
            if (state or {}).get(name) is None:      # kept under an older key by earlier versions
                old = reader.read(old_key, text(), None)
                if old is not None:
                    state = {**(state or {}), name: old}
        if state is not None:
            try:
                self.root.restore_remembered_state(state)
            except BadSetting:
                reader.rejected.append(state_key)
                if self.default_tab_state is not None:
                    self.root.restore_remembered_state(self.default_tab_state)
        return reader.rejected

    def reset(self) -> None:
        for key, widget in remembered_controls(self.root).items():
            if key in self.defaults:
                write_value(widget, self.defaults[key])
        if self.default_tab_state is not None:
            self.root.restore_remembered_state(self.default_tab_state)
