"""A grid of plots that changes shape with the room it has: side by side when wide, stacked when not.

A tab describes a few arrangements, widest first, each with the width (in characters of the
current font, so projector mode's larger text needs more room) below which it is given up for
the next one. The grid takes the first arrangement that fits its width and re-arranges only when
that choice changes, so a growing or shrinking window never leaves a plot too narrow to read.

Rows and columns share the room by their stretch factors alone: each plot sits in a cell that
asks for no more than its minimum, because a pyqtgraph view reports its current size as its size
hint, which would keep whatever sizes the plots happened to get first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QSizePolicy, QVBoxLayout, QWidget

# (widget, row, column, rows spanned, columns spanned)
Cell = tuple[QWidget, int, int, int, int]


@dataclass
class Arrangement:
    min_chars: float                 # narrower than this many "x" characters: try the next one
    cells: list[Cell]
    row_stretch: list[int] = field(default_factory=list)   # per row; equal when empty
    min_pixels: int = 0              # ...plus this many pixels, for things of a fixed size


class _Cell(QWidget):
    """Holds one widget of the grid and wants no more room than that widget's minimum."""

    def __init__(self, widget: QWidget):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(widget)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        return self.minimumSizeHint()


class PlotGrid(QWidget):
    def __init__(self, arrangements: list[Arrangement], parent: QWidget | None = None):
        super().__init__(parent)
        if not arrangements:
            raise ValueError("a PlotGrid needs at least one arrangement")
        self.arrangements = arrangements
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._cells: dict[int, _Cell] = {}
        for arrangement in arrangements:
            for widget, *_ in arrangement.cells:
                if id(widget) not in self._cells:
                    self._cells[id(widget)] = _Cell(widget)
        self.current: Arrangement | None = None
        self._arrange(arrangements[0])

    def fitting(self) -> Arrangement:
        """The widest arrangement that fits the current width (the last one if none does)."""
        char = self.fontMetrics().horizontalAdvance("x")
        for arrangement in self.arrangements:
            if self.width() >= arrangement.min_chars * char + arrangement.min_pixels:
                return arrangement
        return self.arrangements[-1]

    def position(self, widget: QWidget) -> tuple[int, int]:
        """(row, column) where ``widget`` sits now."""
        row, column, _rows, _columns = self._grid.getItemPosition(self._grid.indexOf(self._cells[id(widget)]))
        return row, column

    def _arrange(self, arrangement: Arrangement) -> None:
        if arrangement is self.current:
            return
        self.current = arrangement
        for cell in self._cells.values():
            self._grid.removeWidget(cell)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 0)
        rows = columns = 0
        for widget, row, column, row_span, column_span in arrangement.cells:
            self._grid.addWidget(self._cells[id(widget)], row, column, row_span, column_span)
            rows, columns = max(rows, row + row_span), max(columns, column + column_span)
        stretch = arrangement.row_stretch or [1] * rows
        for row in range(rows):
            self._grid.setRowStretch(row, stretch[row] if row < len(stretch) else 1)
        for column in range(columns):
            self._grid.setColumnStretch(column, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._arrange(self.fitting())

    def changeEvent(self, event) -> None:  # noqa: N802 (a larger font needs more room)
        super().changeEvent(event)
        self._arrange(self.fitting())
