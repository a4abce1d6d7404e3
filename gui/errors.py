"""Errors shown in words: one line for a message in a tab, a dialog for the unexpected.

A teacher in front of a class must never see the window vanish. Anything that escapes a slot (via
``sys.excepthook``) or a worker thread (its ``failed`` signal) is shown here instead. A tab that
expects a job may fail says so in its own status line with ``one_line``.
"""

from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

_shown_dialogs: list[QMessageBox] = []


def one_line(details: str, keep_kind: bool = False) -> str:
    """The line of a traceback a person can read: "the file is damaged" from one that ends in
    "MnistDataError: the file is damaged". ``keep_kind`` keeps the exception's name in front."""
    lines = [line.strip() for line in str(details).strip().splitlines() if line.strip()]
    last = lines[-1] if lines else "unknown error"
    kind, sep, message = last.partition(": ")
    if keep_kind or not sep or " " in kind or not kind.replace(".", "").replace("_", "").isalnum():
        return last
    return message


def show_error(details: str, title: str = "Something went wrong", parent: QWidget | None = None,
               summary: str | None = None) -> QMessageBox:
    """Show a non-blocking error box; the full traceback sits under "Show Details…" to copy."""
    box = QMessageBox(QMessageBox.Icon.Warning, title,
                      summary or "An unexpected error occurred. Your work is kept and the app carries on.",
                      QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(one_line(details, keep_kind=True))
    box.setDetailedText(details)
    box.setAccessibleName("Error dialog")
    box.setModal(False)
    box.finished.connect(lambda _=None, b=box: _shown_dialogs.remove(b) if b in _shown_dialogs else None)
    _shown_dialogs.append(box)
    box.show()
    return box


def open_error_dialogs() -> list[QMessageBox]:
    return list(_shown_dialogs)


def report_broken_installation(message: str) -> None:
    """One line on stderr for a shipped file that could not be read. The window carries on without
    it; whoever installed Descent Lab looks at the terminal, and CI checks that this stays silent."""
    print(f"descent-lab: {message}", file=sys.stderr)


def install_excepthook() -> None:
    """Route uncaught exceptions from Qt slots to the error dialog instead of stderr only."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        details = "".join(traceback.format_exception(kind, value, tb))
        print(details, file=sys.stderr)
        if QApplication.instance() is not None and not issubclass(kind, KeyboardInterrupt):
            show_error(details, parent=QApplication.activeWindow())
        elif previous is not None:
            previous(kind, value, tb)

    sys.excepthook = hook
