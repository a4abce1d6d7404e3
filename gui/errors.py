"""Unexpected errors become a dialog with the details to copy; the app keeps running.

A teacher in front of a class must never see the window vanish. Anything that escapes a slot (via
``sys.excepthook``) or a worker thread (its ``failed`` signal) is shown here instead.
"""

from __future__ import annotations

import sys
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

_shown_dialogs: list[QMessageBox] = []


def show_error(details: str, title: str = "Something went wrong", parent: QWidget | None = None,
               summary: str | None = None) -> QMessageBox:
    """Show a non-blocking error box; the full traceback sits under "Show Details…" to copy."""
    last_line = next((line for line in reversed(details.strip().splitlines()) if line.strip()), details)
    box = QMessageBox(QMessageBox.Icon.Warning, title,
                      summary or "An unexpected error occurred. Your work is kept and the app carries on.",
                      QMessageBox.StandardButton.Ok, parent)
    box.setInformativeText(last_line)
    box.setDetailedText(details)
    box.setAccessibleName("Error dialog")
    box.setModal(False)
    box.finished.connect(lambda _=None, b=box: _shown_dialogs.remove(b) if b in _shown_dialogs else None)
    _shown_dialogs.append(box)
    box.show()
    return box


def open_error_dialogs() -> list[QMessageBox]:
    return list(_shown_dialogs)


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
