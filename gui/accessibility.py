"""What a screen reader gets from the window: results as text, news as announcements.

A student who cannot see the plots must still hear every answer the app computes. Three tools:

* ``spoken(text)``: the plain words of a label's text, rich text included, as a reader says them;
* ``describe(widget, text)``: a plot's (or picture's) accessible description — what it shows and
  its key numbers — changed only when the words change, so readers are not flooded;
* ``announce(source, text)``: say something new now (an answer, an error, "finished"). Qt 6.8+
  sends it as an announcement; every announcement is also emitted by ``announcer().announced``,
  which the window shows in its status bar — where older Qt leaves a reader to find it (Orca reads
  the status bar with Insert+End). Announcements from one source that follow each other quickly
  (an answer while the pen is still moving) are merged: only the last is said, once things settle.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, Qt, QTextDocumentFragment
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

try:  # Qt 6.8 and newer
    from PySide6.QtGui import QAccessibleAnnouncementEvent
except ImportError:  # pragma: no cover - depends on the installed Qt
    QAccessibleAnnouncementEvent = None

SETTLE_MS = 400  # quiet time before an announcement is made: speech cannot keep up with a pen


def spoken(text: str) -> str:
    """``text`` as plain words: tags removed, entities decoded, lines and spaces joined."""
    if Qt.mightBeRichText(text):
        text = QTextDocumentFragment.fromHtml(text).toPlainText()
    return " ".join(text.split())


def describe(widget: QWidget, text: str) -> None:
    """Set the accessible description when it says something new (each change is an event)."""
    if widget.accessibleDescription() != text:
        widget.setAccessibleDescription(text)


class Announcer(QObject):
    """Says short news aloud through the accessibility system, one source at a time."""

    #: Every announcement as it is made (the window's status bar shows it; tests listen here).
    announced = Signal(str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._pending: dict[int, tuple[QObject, str, bool]] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.flush)

    def announce(self, source: QObject, text: str, urgent: bool = False) -> None:
        """Queue ``text`` from ``source`` (replacing what it queued before) and restart the wait."""
        text = spoken(text)
        if text:
            self._pending[id(source)] = (source, text, urgent)
            self._timer.start()

    def flush(self) -> None:
        """Make every queued announcement now."""
        self._timer.stop()
        pending, self._pending = list(self._pending.values()), {}
        for source, text, urgent in pending:
            if isValid(source):
                self._send(source, text, urgent)
            self.announced.emit(text)

    @staticmethod
    def _send(source: QObject, text: str, urgent: bool) -> None:
        if QAccessibleAnnouncementEvent is not None:
            event = QAccessibleAnnouncementEvent(source, text)
            if urgent:
                event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive)
        else:  # older Qt: the source's name holds the text (readouts); say that it changed
            event = QAccessibleEvent(source, QAccessible.Event.NameChanged)
        QAccessible.updateAccessibility(event)


_announcer: Announcer | None = None


def announcer() -> Announcer:
    """The application's one announcer."""
    global _announcer
    if _announcer is None or not isValid(_announcer):
        _announcer = Announcer()
    return _announcer


def announce(source: QObject, text: str, urgent: bool = False) -> None:
    """Say ``text`` (news from ``source``) to a screen reader; ``urgent`` for errors."""
    announcer().announce(source, text, urgent)
