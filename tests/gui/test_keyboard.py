"""The keyboard alone: Run keys wherever the focus is, arrows for the control that uses them,
Enter on buttons, tab switching, and the list of keys in the Help menu."""

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTextBrowser

from gui.main_window import MainWindow

RUN_TIMEOUT = 60_000


@pytest.fixture
def window(qtbot, tmp_path):
    window = MainWindow(settings=QSettings(str(tmp_path / "keys.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    yield window
    window.close()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key pressed where the focus is, as on a real keyboard."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def gradient_descent(qtbot, window):
    window.select_tab("gradient-descent")
    tab = window.tab_widgets["gradient-descent"]
    qtbot.waitUntil(lambda: bool(tab.runs), timeout=RUN_TIMEOUT)
    return tab


def test_after_clicking_rewind_space_plays_instead_of_rewinding_again(qtbot, window):
    tab = gradient_descent(qtbot, window)
    qtbot.mouseClick(tab.playback.rewind_button, Qt.MouseButton.LeftButton)
    assert tab.playback.rewind_button.hasFocus() and tab.playback.frame == 0
    press(qtbot, Qt.Key.Key_Space)
    assert tab.playback.is_playing()
    press(qtbot, Qt.Key.Key_S)  # a step pauses and moves one update on
    assert not tab.playback.is_playing() and tab.playback.frame > 0


def test_space_and_letters_are_typed_in_text_fields_and_spin_boxes(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    tab.function_edit.setFocus()
    tab.function_edit.selectAll()
    qtbot.keyClicks(tab.function_edit, "sin x")
    assert tab.function_edit.text() == "sin x" and not tab.is_animating()
    tab.x0_spin.setFocus()
    delta = tab.delta
    for key in (Qt.Key.Key_S, Qt.Key.Key_R, Qt.Key.Key_Space):
        press(qtbot, key)
    assert tab.delta == delta and not tab.is_animating()


def test_arrows_on_the_focused_tab_bar_switch_tabs_and_leave_the_point_alone(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    window.tabs.tabBar().setFocus()
    x0 = tab.x0
    press(qtbot, Qt.Key.Key_Right)
    assert window.current_tab_name() == "random-search" and tab.x0 == x0
    press(qtbot, Qt.Key.Key_Left)
    assert window.current_tab_name() == "derivatives" and tab.x0 == x0


def test_arrows_on_a_plot_move_the_point(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    tab.main_plot.setFocus()
    x0 = tab.x0
    press(qtbot, Qt.Key.Key_Right)
    assert tab.x0 == pytest.approx(x0 + 0.1)


def test_return_and_enter_press_the_focused_button(qtbot, window):
    tab = gradient_descent(qtbot, window)
    start = tab.start
    tab.random_start_button.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.start != start)
    log = tab.log_check.isChecked()
    tab.log_check.setFocus()
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: tab.log_check.isChecked() != log)


def test_ctrl_page_down_and_up_switch_tabs_from_inside_a_tab(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    tab.x0_spin.setFocus()
    press(qtbot, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "random-search"
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier)
    assert window.current_tab_name() == "mnist"


def test_after_ctrl_tab_the_focus_is_on_the_tab_bar_and_space_starts(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    tab.animate_button.setFocus()
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.current_tab_name() == "derivatives"
    assert window.tabs.tabBar().hasFocus()
    assert not window.lesson_panels["derivatives"].is_collapsed()
    press(qtbot, Qt.Key.Key_Space)
    assert tab.is_animating()
    press(qtbot, Qt.Key.Key_Space)
    assert not tab.is_animating()


def test_a_step_where_none_exists_is_off_and_says_why(qtbot, window):
    window.select_tab("random-search")
    tab = window.tab_widgets["random-search"]
    step = window.run_actions["step_once"]
    assert not step.isEnabled() and "Not on the Random Search tab" in step.toolTip()
    tab.start_button.setFocus()
    press(qtbot, Qt.Key.Key_S)
    assert "Not on the Random Search tab" in window.statusBar().currentMessage()
    assert tab.state == "idle"
    window.select_tab("derivatives")
    assert step.isEnabled() and step.toolTip() == "Advance by one update"


def test_the_help_menu_lists_every_key(qtbot, window):
    window.shortcuts_action.trigger()
    dialog = window._shortcuts
    qtbot.waitExposed(dialog)
    text = dialog.findChild(QTextBrowser).toPlainText()
    keyed = [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]
    assert len(keyed) > 15
    for action in keyed:
        assert action.shortcut().toString() in text, action.text()
    for words in ("Start / pause", "Step", "Clear drawing", "Ctrl+PgDown", "Enter", "weight grid", "text field"):
        assert words in text
    assert "Not on the" not in text   # what each key does, not why it is off on the tab shown
    dialog.close()


# --- Tab goes in screen order -------------------------------------------------------------------
def _region(widget, window, name) -> int:
    """Where on screen a widget is: the tab bar, the controls, the plots, the lesson panel."""
    from gui.widgets.control_column import ControlColumn
    if widget is window.tabs.tabBar():
        return 0
    if window.lesson_panels[name].isAncestorOf(widget):
        return 3
    node = widget.parentWidget()
    while node is not None and not isinstance(node, ControlColumn):
        node = node.parentWidget()
    return 1 if node is not None else 2


def _box(widget, window):
    from PySide6.QtCore import QRect
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def _goes_back(a, b) -> bool:
    """True when b, coming after a, sits before it in reading order: above it in the same or an
    earlier column, or left of it on the same row."""
    slack = 2
    above = b.bottom() <= a.top() + slack
    right_of = b.left() >= a.right() - slack
    same_row = b.top() < a.bottom() - slack and a.top() < b.bottom() - slack
    left_of = b.right() <= a.left() + slack
    return (above and not right_of) or (same_row and left_of)


def tab_cycle(qtbot, window) -> list:
    """The widgets the Tab key visits, starting from the tab bar, until it comes round again."""
    bar = window.tabs.tabBar()
    bar.setFocus()
    seen = [bar]
    for _ in range(300):
        press(qtbot, Qt.Key.Key_Tab)
        focus = QApplication.focusWidget()
        if focus is bar or focus in seen:
            break
        seen.append(focus)
    return seen


def check_screen_order(qtbot, window, name, page=None):
    from PySide6.QtWidgets import QRadioButton

    from tests.gui.test_accessibility import focusable_widgets
    window.select_tab(name)
    tab = window.tab_widgets[name]
    if page is not None:
        tab.pages.setCurrentIndex(page)
    qtbot.waitUntil(tab.isVisible)  # a tab built on its first visit is shown by the event loop
    cycle = [w for w in tab_cycle(qtbot, window) if w.window() is window]
    regions = [_region(w, window, name) for w in cycle]
    assert regions == sorted(regions), [(type(w).__name__, w.accessibleName(), r) for w, r in zip(cycle, regions)]
    assert set(regions) == {0, 1, 2, 3}
    for a, b in zip(cycle, cycle[1:]):
        if _region(a, window, name) == _region(b, window, name):
            assert not _goes_back(_box(a, window), _box(b, window)), \
                f"Tab goes from {a.accessibleName() or type(a).__name__!r} back to {b.accessibleName() or type(b).__name__!r}"
    reachable = [w for w in focusable_widgets(tab) if w.isVisible() and w.isEnabled()
                 and not (isinstance(w, QRadioButton) and not w.isChecked())]  # Tab visits a group's choice
    assert [w.accessibleName() for w in reachable if w not in cycle] == []


@pytest.mark.parametrize("name", ["derivatives", "random-search", "gradient-descent", "mnist"])
def test_tab_goes_through_controls_then_plots_then_the_lesson_in_screen_order(qtbot, window, name):
    check_screen_order(qtbot, window, name)


@pytest.mark.parametrize("page", [1, 2, 3])
def test_tab_follows_the_screen_on_every_mnist_page(qtbot, window, page):
    check_screen_order(qtbot, window, "mnist", page)


# --- the focus can be seen ----------------------------------------------------------------------
def _looks(widget):
    return widget.grab().toImage()


@pytest.mark.parametrize("name", ["derivatives", "random-search", "gradient-descent", "mnist"])
def test_every_widget_the_tab_key_reaches_looks_different_while_it_has_the_focus(qtbot, window, name):
    """Plots, pictures, the canvas and the lesson text drew no focus mark: a keyboard user lost track."""
    window.select_tab(name)
    tab = window.tab_widgets[name]
    qtbot.waitUntil(tab.isVisible)
    unmarked = []
    for page in range(tab.pages.count()) if name == "mnist" else [None]:
        if page is not None:
            tab.pages.setCurrentIndex(page)
        stops = len(tab_cycle(qtbot, window)) - 1  # real Tab presses: Qt draws focus marks after those
        window.tabs.tabBar().setFocus()
        press(qtbot, Qt.Key.Key_Tab)
        for _ in range(stops):
            widget = QApplication.focusWidget()
            with_focus = _looks(widget)
            press(qtbot, Qt.Key.Key_Tab)
            if _looks(widget) == with_focus:
                unmarked.append(widget.accessibleName() or type(widget).__name__)
    assert unmarked == []


def test_no_button_looks_focused_when_it_is_not(qtbot, window):
    from PySide6.QtWidgets import QPushButton
    for name in ("derivatives", "random-search", "gradient-descent", "mnist"):
        defaults = [b.text() for b in window.tab_widgets[name].findChildren(QPushButton) if b.isDefault()]
        assert defaults == [], name
