"""The keyboard in the main window: which control a key belongs to, and the list of keys.

The Run menu's plain keys (Space, S, R, Esc) act on the current tab wherever the focus is —
after clicking Rewind, Space must start the playback, not press Rewind again — except in the
fields where those keys are typed: text fields and spin boxes. Arrow keys stay with the controls
that use them (sliders, lists, the tab bar, …) and move the tab's point only from elsewhere (a
plot). Widgets of our own that use arrows say so by accepting the ShortcutOverride event
themselves. Return and Enter press the focused button, which Qt does only in dialogs.

``KeyRouter`` is the event filter that does this; ``shortcuts_html`` lists the keys for the Help
menu, from the window's actions (so the list cannot drift) and the keys no action carries.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QComboBox,
                               QLineEdit, QPlainTextEdit, QPushButton, QTabBar, QTextEdit, QWidget)

RUN_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_Escape)
ARROW_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down)
RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)

# Controls that move, select or scroll with the arrow keys themselves.
ARROW_USERS = (QAbstractSlider, QAbstractSpinBox, QComboBox, QAbstractItemView, QTabBar, QLineEdit, QTextEdit,
               QPlainTextEdit, QAbstractButton)

# Keys no menu action carries, for the Help menu's list.
OTHER_KEYS = [
    ("Tab, Shift+Tab", "Next or previous control: the controls from top to bottom, then the plots, then the lesson"),
    ("Enter", "Press the focused button, or tick the focused box (Space starts and pauses instead)"),
    ("Ctrl+Tab, Ctrl+Shift+Tab", "Next or previous lesson; inside the MNIST tab, its next or previous view"),
    ("Alt+Down", "Open the focused drop-down list"),
    ("Arrow keys on a slider, list, drop-down or the tab bar", "Change that control"),
    ("Arrow keys, Enter in the weight grid", "Choose a neuron to enlarge"),
    ("Arrow keys, Enter in the confusion matrix", "Choose a cell; Enter shows its test images"),
]


def is_text_field(widget: QObject) -> bool:
    """A field the user types into: it keeps Space, S, R and Esc."""
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)):
        return True
    return isinstance(widget, (QTextEdit, QPlainTextEdit)) and not widget.isReadOnly()


def _plain(event) -> bool:
    return event.modifiers() in PLAIN


class KeyRouter(QObject):
    """Application event filter deciding, for keys pressed inside ``window``, who gets them."""

    def __init__(self, window: QWidget, run_key=None):
        """``run_key(key) -> bool`` gets a Run key that reached a control instead of its shortcut
        (its action is disabled on this tab, or the control claimed the key): the window acts on
        it or says why it cannot, and returns whether the key is used up."""
        super().__init__(window)
        self._window = window
        self._run_key = run_key

    def _inside(self, obj: QObject) -> bool:
        return isinstance(obj, QWidget) and (obj is self._window or self._window.isAncestorOf(obj))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not self._inside(obj):
            return False
        if not _plain(event):
            return False
        key = event.key()
        if kind == QEvent.Type.ShortcutOverride:
            keeps = (key in RUN_KEYS and is_text_field(obj)) or (key in ARROW_KEYS and isinstance(obj, ARROW_USERS))
            if keeps:
                event.accept()  # the focused control gets the key, not the window's shortcut
            return keeps
        if key in RETURN_KEYS and isinstance(obj, QAbstractButton) and obj.isEnabled():
            if isinstance(obj, QPushButton) and obj.menu() is not None:
                obj.showMenu()
            else:
                obj.animateClick()
            return True
        if key in RUN_KEYS and not is_text_field(obj) and self._run_key is not None:
            return self._run_key(key)
        return False


def _shortcut_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())


def shortcuts_html(actions: list[QAction]) -> str:
    """A table of every action that has a key, then the other keys, as HTML for a text browser."""
    rows = []
    for action in actions:
        keys = _shortcut_text(action)
        if keys:
            what = action.text().replace("&", "").rstrip("…")
            tip = action.statusTip()  # what it does (the tooltip may say why it is off on this tab)
            rows.append((keys, f"{what}: {tip}" if tip else what))
    rows += OTHER_KEYS
    body = "".join(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>" for keys, what in rows)
    note = ("<p>Space, S, R and Esc act on the lesson shown wherever the focus is, except while typing in a "
            "text field or a number box.</p>")
    return f"<table cellspacing='4'>{body}</table>{note}"
