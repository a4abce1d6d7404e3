"""A collapsible side panel with the lesson text for a tab: what to look at, and experiments to try.

The texts are Markdown files in ``assets/lessons/``, so a teacher can adapt them without touching code.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPainter, QPalette, QPixmap, QTextCursor, QTextFormat
from PySide6.QtWidgets import QTextBrowser, QToolButton, QVBoxLayout, QWidget

from assets import asset
from gui.errors import report_broken_installation


def lesson_text(name: str) -> str:
    """The Markdown of lesson `name`, or a note in its place (and a line on stderr) if it is missing."""
    file_name = f"{name}.md"
    try:
        return asset("lessons", file_name).read_text(encoding="utf-8")
    except OSError:
        report_broken_installation(f"the lesson text {file_name} is missing from this installation")
        return f"*The lesson text `{file_name}` is missing from this installation.*"


def code_follows_text_size(document) -> None:
    """Commands in the lesson (`python main.py ...`) at the size of the text around them.

    Qt's Markdown reader gives code the system's fixed font at that font's own size, so in
    projector mode, which enlarges the text, the commands stayed small (about 60% of it). Without
    a size of their own they follow the document's font, which follows the window's."""
    spans = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            style = fragment.charFormat()
            if style.fontFixedPitch() and style.hasProperty(QTextFormat.Property.FontPointSize):
                style.clearProperty(QTextFormat.Property.FontPointSize)
                spans.append((fragment.position(), fragment.length(), style))
            fragments += 1
        block = block.next()
    cursor = QTextCursor(document)
    for start, length, style in spans:
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(style)


class LessonPanel(QWidget):
    collapsedChanged = Signal(bool)

    EXPANDED_WIDTH = 330       # on a wide window; narrower windows give it a share, never below the minimum
    MIN_EXPANDED_WIDTH = 220
    WINDOW_SHARE = 0.26

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setToolTip("Show or hide the lesson: what to look at and experiments to try")
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setMarkdown(lesson_text(name))
        code_follows_text_size(self.text.document())
        self.text.setAccessibleName("Lesson text")
        self.text.setAccessibleDescription("What this tab shows and experiments to try")
        self._widest = self.EXPANDED_WIDTH
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.text, 1)
        self.toggle.toggled.connect(self._on_toggled)
        self._on_toggled(True)

    def fit_window_width(self, window_width: int) -> None:
        """Take about a quarter of the window (330 px at 1280), so a small screen keeps room for plots."""
        widest = round(self.WINDOW_SHARE * window_width)
        self._widest = min(max(widest, self.MIN_EXPANDED_WIDTH), self.EXPANDED_WIDTH)
        if not self.is_collapsed() and self.maximumWidth() != self._widest:
            self.setMaximumWidth(self._widest)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        hint.setWidth(self.maximumWidth())
        return hint

    def is_collapsed(self) -> bool:
        return not self.toggle.isChecked()

    def set_collapsed(self, collapsed: bool) -> None:
        self.toggle.setChecked(not collapsed)

    def _on_toggled(self, expanded: bool) -> None:
        self.text.setVisible(expanded)
        self.toggle.setAccessibleName("Hide lesson" if expanded else "Show lesson")  # arrows are not words
        self.toggle.setArrowType(Qt.ArrowType.NoArrow)
        self._label_toggle()
        if expanded:   # the lesson narrows before the plots do, never below a readable width
            self.setMinimumWidth(self.MIN_EXPANDED_WIDTH)
            self.setMaximumWidth(self._widest)
        self.collapsedChanged.emit(not expanded)

    def _label_toggle(self) -> None:
        """Expanded, the button reads across; collapsed, it reads upwards in a strip a line wide, so
        a hidden lesson gives the plots its room (written across, it kept ~165 px in projector mode)."""
        if self.toggle.isChecked():
            self.toggle.setIcon(QIcon())
            self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.toggle.setText("Hide lesson ▸")
            return
        text = "Show lesson ▴"
        metrics = self.toggle.fontMetrics()
        length, line = metrics.horizontalAdvance(text) + 6, metrics.height()
        ratio = self.devicePixelRatioF()
        picture = QPixmap(round(line * ratio), round(length * ratio))
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        painter.setFont(self.toggle.font())
        painter.setPen(self.toggle.palette().color(QPalette.ColorRole.ButtonText))
        painter.translate(0, length)
        painter.rotate(-90)                       # read from bottom to top, like a book's spine
        painter.drawText(QRectF(0, 0, length, line), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        self.toggle.setText("Show lesson")        # not drawn (icon only), but what copying or a style falls back on
        self.toggle.setIcon(QIcon(picture))
        self.toggle.setIconSize(QSize(line, length))
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.setFixedWidth(self.toggle.sizeHint().width() + 8)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Projector mode changes the font: the upright label is drawn again at the new size."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange) \
                and not self.toggle.isChecked():
            self._label_toggle()
