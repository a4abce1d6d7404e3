"""A page of the MNIST Inspector that scrolls on a small screen instead of making the window wider.

The pages hold fixed-size things (the 280-pixel drawing canvas, digit images, a square confusion
matrix); on a 1024×700 laptop in projector mode with the lesson shown they cannot all fit, and a
page that insisted would push the whole window off the screen. Each page puts its contents in
``self.body``; the page itself asks for almost no room and shows scroll bars only when needed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class ScrollingPage(QWidget):
    #: True for a page whose views cannot all be read at once on a 1280×800 projector beside the
    #: lesson (three layers of bars, one above the other): it scrolls there rather than squash them.
    TALLER_THAN_A_PROJECTOR = False

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.body = QWidget()
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidget(self.body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        # Not a stop of its own for the Tab key (it would be an unnamed one): the page's controls
        # are, and the scroll area brings each into view as it takes the focus.
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

    def scrolls(self) -> bool:
        """Whether the page is too small for its contents just now (a scroll bar is shown)."""
        area = self.scroll_area
        return area.horizontalScrollBar().isVisible() or area.verticalScrollBar().isVisible()
