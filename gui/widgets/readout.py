"""A label that shows a result, named for screen readers by its caption *and* its current text.

A label with a fixed accessible name hides its text: Qt then exposes only the name, so a reader
says "Slope m (measured)" and never the 8.0002 beside it. A ``Readout`` keeps its accessible name
at "caption: text" whenever the text changes (rich text is read as plain words, or as the
``spoken`` words given with it), and its description says what the number means. News worth
hearing at once (an answer, an error, "finished") is also announced: ``announce()``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from gui.accessibility import announce
from gui.accessibility import spoken as plain_words


class Readout(QLabel):
    """``Readout(caption, tip, text)``; without a caption it is a plain label (Qt reads its text)."""

    def __init__(self, caption: str = "", tip: str = "", text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = caption
        if tip:
            self.setToolTip(tip)
            self.setAccessibleDescription(tip)
        self.setText(text)

    def setText(self, text: str, spoken: str | None = None) -> None:  # noqa: N802 (Qt name)
        """Show ``text``; ``spoken`` is what a reader says instead (e.g. for a table of numbers)."""
        super().setText(text)
        if self.caption:
            words = plain_words(text if spoken is None else spoken)
            self.setAccessibleName(f"{self.caption}: {words}" if words else self.caption)

    def clear(self) -> None:
        self.setText("")

    def announce(self, urgent: bool = False) -> None:
        """Say the caption and the text now (new answers, errors, "finished"); ``urgent`` for errors."""
        announce(self, self.accessibleName() if self.caption else self.text(), urgent)
