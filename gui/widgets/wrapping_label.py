"""A word-wrapped label that keeps room for all its lines inside splitters and grids.

QLabel's word wrap reports the height it needs only through height-for-width, which QSplitter
and equal-stretch grids ignore, so its last line gets cut off when the text grows (a longer
message, projector mode's larger font). This label takes exactly that height instead (and says it has no height-for-width, which
box layouts were seen to get wrong by a few pixels, cutting the last line).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy

from gui.widgets.readout import Readout


class WrappingLabel(Readout):
    """With a ``caption`` it is also a readout: screen readers get the caption and the text."""

    min_lines = 1  # lines of room kept even for shorter text, so neighbours do not jump

    def __init__(self, text: str = "", parent=None, min_lines: int = 1, caption: str = "", tip: str = ""):
        super().__init__(caption, tip, parent=parent)
        self.min_lines = min_lines
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (the minimum height below says it instead)
        return False

    def setText(self, text: str, spoken: str | None = None) -> None:  # noqa: N802 (Qt name)
        super().setText(text, spoken)
        self._fit_height()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event) -> None:  # noqa: N802 (a font change alters the line count)
        super().changeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        fixed = self.minimumHeight()
        self.setMinimumHeight(0)  # QLabel never reports less than its minimum height
        needed = max(super().heightForWidth(max(self.width(), 1)),
                     self.min_lines * self.fontMetrics().lineSpacing() + 6)
        self.setMinimumHeight(fixed)
        if needed != self.height() or needed != self.minimumHeight():
            self.setFixedHeight(needed)
