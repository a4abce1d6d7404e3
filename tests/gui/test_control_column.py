"""The shared control column: never narrower than its contents, in any font, and it scrolls."""

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from gui.widgets.control_column import ControlColumn


def shown_beside_a_plot(qtbot, column: ControlColumn, width=900, height=300) -> QWidget:
    window = QWidget()
    row = QHBoxLayout(window)
    row.addWidget(column)
    row.addWidget(QWidget(), 1)  # the plots take the rest
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_groups_stack_in_order_and_a_short_window_scrolls(qtbot):
    column = ControlColumn()
    buttons = [QPushButton(f"button {i}") for i in range(12)]
    column.add(*buttons[:6])
    column.add(*buttons[6:])
    _window = shown_beside_a_plot(qtbot, column, height=150)  # noqa: F841 (kept alive for the test)
    tops = [button.y() for button in buttons]
    assert tops == sorted(tops)
    qtbot.waitUntil(lambda: column.verticalScrollBar().maximum() > 0)
    column.scroll_to_end()
    assert column.verticalScrollBar().value() == column.verticalScrollBar().maximum()


def test_the_column_widens_for_a_larger_font_and_for_longer_contents(qtbot):
    column = ControlColumn()
    label = QLabel("a label")
    column.add(label)
    _window = shown_beside_a_plot(qtbot, column)  # noqa: F841 (kept alive for the test)
    before = column.minimumWidth()
    font = column.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)  # what projector mode does
    column.setFont(font)
    qtbot.waitUntil(lambda: column.minimumWidth() > before)
    wider = column.minimumWidth()
    label.setText("a label that has become a great deal longer than it was at first")
    qtbot.waitUntil(lambda: column.minimumWidth() > wider)
    qtbot.waitUntil(lambda: column.viewport().width() >= column.widget().minimumSizeHint().width())


def test_a_width_in_characters_is_kept_but_never_cuts_the_contents(qtbot):
    column = ControlColumn(min_chars=30, max_chars=30)
    label = QLabel("short")
    column.add(label)
    _window = shown_beside_a_plot(qtbot, column)  # noqa: F841 (kept alive for the test)
    thirty = column.fontMetrics().horizontalAdvance("x" * 30)
    assert column.minimumWidth() == column.maximumWidth() > thirty
    qtbot.waitUntil(lambda: column.width() == column.minimumWidth())
    label.setText("x" * 60)
    qtbot.waitUntil(lambda: column.viewport().width() >= column.widget().minimumSizeHint().width())
    assert column.maximumWidth() == column.minimumWidth() > 2 * thirty
