"""The column of controls beside each lesson's plots: one widget, so every tab's column has the
same margins and spacing and follows the same rule for its width.

The rule: never narrower than its contents need, so no button or number is cut off, also when
projector mode enlarges the font or a message appears; a tab may ask for a width in characters
on top. When the window is short the column scrolls rather than squeezing its controls.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from gui.style import CONTROL_MARGIN, CONTROL_SPACING

UNLIMITED = 16_777_215  # Qt's QWIDGETSIZE_MAX


class ControlColumn(QScrollArea):
    """A vertical stack of control groups that scrolls.

    ``min_chars`` / ``max_chars``: the content's width in characters of the current font, at least
    or at most (the contents' own need wins over ``max_chars``); ``min_width``: a floor in pixels.
    """

    def __init__(self, *, min_chars: int = 0, max_chars: int | None = None, min_width: int = 0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._min_chars, self._max_chars, self._min_width = min_chars, max_chars, min_width
        content = QWidget()
        self._column = QVBoxLayout(content)
        self._column.setContentsMargins(CONTROL_MARGIN, CONTROL_MARGIN, CONTROL_MARGIN, CONTROL_MARGIN)
        self._column.setSpacing(CONTROL_SPACING)
        self._column.addStretch(1)  # groups sit at the top; the added ones go in before this
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a stop of its own for the Tab key (it would be an unnamed one): the controls inside
        # are, and the scroll area brings each into view as it takes the focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content.installEventFilter(self)  # contents that grow (a message, a larger font) widen it
        self.fit_width()

    def add(self, *items: QWidget | QLayout) -> None:
        """Append control groups (widgets or layouts) below the ones already there."""
        for item in items:
            at = self._column.count() - 1
            if isinstance(item, QLayout):
                self._column.insertLayout(at, item)
            else:
                self._column.insertWidget(at, item)

    def scroll_to_end(self) -> None:
        """Bring the last group into view (e.g. results that just arrived below the fold)."""
        self._column.activate()  # lay out new text first, so the end is where it will be
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    def fit_width(self) -> None:
        chars = self.fontMetrics().horizontalAdvance
        frame = self._frame()
        content = max(self.widget().minimumSizeHint().width(), chars("x" * self._min_chars))
        needed = max(content + frame, self._min_width)
        self.setMinimumWidth(needed)
        if self._max_chars is None:
            self.setMaximumWidth(UNLIMITED)
        else:
            self.setMaximumWidth(max(needed, chars("x" * self._max_chars) + frame))
        self.updateGeometry()  # the preferred width below may have changed too
        self._give_back_to_splitter()

    def _give_back_to_splitter(self) -> None:
        """In a splitter, a column that narrows (projector mode off) hands its spare width to the
        plots beside it: the splitter itself would leave it as an empty gap."""
        splitter = self.parentWidget()
        if not isinstance(splitter, QSplitter) or splitter.orientation() != Qt.Orientation.Horizontal:
            return
        sizes = splitter.sizes()
        here = splitter.indexOf(self)
        spare = sizes[here] - self.maximumWidth()
        if spare <= 0 or len(sizes) < 2:
            return
        sizes[here] -= spare
        sizes[here + 1 if here + 1 < len(sizes) else here - 1] += spare
        splitter.setSizes(sizes)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """The width the contents would like now, within the limits (QScrollArea's own hint
        remembers the contents' first wish, from before a font change or a message)."""
        hint = super().sizeHint()
        wanted = self.widget().sizeHint().width() + 2 * self.frameWidth()
        hint.setWidth(min(max(wanted, self.minimumWidth()), self.maximumWidth()))
        return hint

    def _frame(self) -> int:
        """Room beside the contents: the scroll bar, the frame and a little air."""
        return self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth() + 4

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_width()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.fit_width()
        return False
