"""The shared control column: never narrower than its contents, in any font, and it scrolls."""

import pytest
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from gui.widgets.control_column import ControlColumn


@pytest.fixture
def beside_a_plot(show):
    """beside_a_plot(column, height=300): the column on screen, a stand-in for the plots beside it."""
    def place(column: ControlColumn, height: int = 300) -> None:
        window = QWidget()
        row = QHBoxLayout(window)
        row.addWidget(column)
        row.addWidget(QWidget(), 1)  # the plots take the rest
        show(window, 900, height)
    return place


def test_groups_stack_in_order_and_a_short_window_scrolls(qtbot, beside_a_plot):
    column = ControlColumn()
    buttons = [QPushButton(f"button {i}") for i in range(12)]
    column.add(*buttons[:6])
    column.add(*buttons[6:])
    beside_a_plot(column, height=150)
    tops = [button.y() for button in buttons]
    assert tops == sorted(tops)
    qtbot.waitUntil(lambda: column.verticalScrollBar().maximum() > 0)
    column.scroll_to_end()
    assert column.verticalScrollBar().value() == column.verticalScrollBar().maximum()


def test_the_column_widens_for_a_larger_font_and_for_longer_contents(qtbot, beside_a_plot):
    column = ControlColumn()
    label = QLabel("a label")
    column.add(label)
    beside_a_plot(column)
    before = column.minimumWidth()
    font = column.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)  # what projector mode does
    column.setFont(font)
    qtbot.waitUntil(lambda: column.minimumWidth() > before)
    wider = column.minimumWidth()
    label.setText("a label that has become a great deal longer than it was at first")
    qtbot.waitUntil(lambda: column.minimumWidth() > wider)
    qtbot.waitUntil(lambda: column.viewport().width() >= column.widget().minimumSizeHint().width())


def test_a_width_in_characters_is_kept_but_never_cuts_the_contents(qtbot, beside_a_plot):
    column = ControlColumn(min_chars=30, max_chars=30)
    label = QLabel("short")
    column.add(label)
    beside_a_plot(column)
    thirty = column.fontMetrics().horizontalAdvance("x" * 30)
    assert column.minimumWidth() == column.maximumWidth() > thirty
    qtbot.waitUntil(lambda: column.width() == column.minimumWidth())
    label.setText("x" * 60)
    qtbot.waitUntil(lambda: column.viewport().width() >= column.widget().minimumSizeHint().width())
    assert column.maximumWidth() == column.minimumWidth() > 2 * thirty


def test_the_column_is_no_tab_stop_but_scrolls_to_the_control_that_takes_the_focus(qtbot, beside_a_plot):
    from PySide6.QtCore import Qt
    column = ControlColumn()
    buttons = [QPushButton(f"button {i}") for i in range(12)]
    column.add(*buttons)
    beside_a_plot(column, height=150)
    assert column.focusPolicy() == Qt.FocusPolicy.NoFocus
    with qtbot.waitActive(column.window()):
        column.window().activateWindow()
    buttons[0].setFocus()
    for button in buttons[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert button.hasFocus()  # straight to the next control: the column itself is no stop
    assert column.verticalScrollBar().value() > 0  # the last button was brought into view
