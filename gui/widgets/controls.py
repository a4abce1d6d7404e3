"""Build controls the way every Descent Lab control is built: with a name that screen readers read
out and a tooltip that says what it does. tests/gui/test_accessibility.py checks that no control
lacks either, and that each name starts with the text the control shows (or its label shows): voice
control users say what they see.

The name given first is also the control's object name, the key its value is remembered under
(gui/control_state.py), so a name can later be reworded without losing what users saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from PySide6.QtWidgets import QAbstractButton, QComboBox, QDoubleSpinBox, QSpinBox, QWidget

Control = TypeVar("Control", bound=QWidget)


def described(widget: Control, name: str, tip: str, key: str = "") -> Control:
    """``widget`` with its accessible name and tooltip set, for building it in one expression.

    ``key``: the name its value is remembered under, when that differs from ``name`` (kept from
    an earlier wording, so users' saved settings still apply)."""
    widget.setAccessibleName(name)
    widget.setObjectName(key or name)
    widget.setToolTip(tip)
    return widget


def relabel(button: QAbstractButton, text: str) -> None:
    """New text on a button, and the same as its accessible name (voice control says what it sees)."""
    button.setText(text)
    button.setAccessibleName(text.replace("&&", "\0").replace("&", "").replace("\0", "&"))


def choice_box(choices: Iterable[tuple[str, object]], name: str, tip: str, key: str = "", *,
               min_chars: int | None = None) -> QComboBox:
    """A combo box of (text shown, value) pairs; ``currentData()`` gives the chosen value.

    With ``min_chars`` the box asks only for that many characters, however long its choices
    (the open list still shows them whole), so a long choice cannot widen a control column.
    """
    box = described(QComboBox(), name, tip, key)
    for text, value in choices:
        box.addItem(text, value)
    if min_chars is not None:
        narrow_choices(box, min_chars)
    return box


def narrow_choices(box: QComboBox, min_chars: int) -> None:
    """Let ``box`` be as narrow as ``min_chars`` characters, eliding a longer current choice."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(min_chars)


def number_box(minimum: float, maximum: float, value: float, name: str, tip: str, *,
               step: float | None = None, decimals: int | None = None, key: str = "") -> QSpinBox | QDoubleSpinBox:
    """A spin box from ``minimum`` to ``maximum`` set to ``value``: whole numbers, or numbers with
    ``decimals`` digits after the point."""
    box = described(QSpinBox() if decimals is None else QDoubleSpinBox(), name, tip, key)
    if decimals is not None:
        box.setDecimals(decimals)
    box.setRange(minimum, maximum)
    if step is not None:
        box.setSingleStep(step)
    box.setValue(value)
    return box
