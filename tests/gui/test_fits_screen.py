"""The window fits classroom screens: 1280×800 projectors and 1024×700 laptops, in normal and
projector mode, with the lesson shown or hidden, before and after the work a lesson does."""

import pytest
from PySide6.QtCore import QSettings, QSize, Qt

from gui.main_window import TAB_NAMES, MainWindow
from tests.gui.screen_checks import screen_problems, shown_plots, sub_pages

SCREENS = [(1280, 800), (1024, 700)]


def test_a_new_window_opens_within_the_free_area_of_its_screen(qtbot, tmp_path):
    window = MainWindow(settings=QSettings(str(tmp_path / "new.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    free = window.screen().availableGeometry()   # the test platform's screen is smaller than 1440×900
    assert free.contains(window.frameGeometry()) and free.contains(window.geometry())
    assert window.width() == min(1440, free.width())


def test_a_window_saved_larger_than_the_screen_reopens_within_it(qtbot, tmp_path):
    path = str(tmp_path / "big.ini")
    first = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.resize(2400, 1500)   # e.g. saved on a large monitor, reopened on the projector
    first.close()
    second = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.screen().availableGeometry().contains(second.geometry())


@pytest.fixture
def window(qtbot, tmp_path, mnist_dir):
    win = MainWindow(settings=QSettings(str(tmp_path / "fit.ini"), QSettings.Format.IniFormat),
                     mnist_dir=str(mnist_dir))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.set_projector_mode(False)  # the application font is shared with later tests
    win.close()


def show_lesson(window, shown: bool) -> None:
    if window.lesson_action.isChecked() != shown:
        window.lesson_action.trigger()   # View › Show lesson (Ctrl+L)


def settle(qtbot, window) -> None:
    """Let layouts and plots take their new sizes: resize events queue up, and a grid that changes
    shape lays out once more. Done when no plot has changed size over three looks in a row."""
    seen = []

    def steady() -> bool:
        seen.append([(item.getViewWidget().size(), item.size()) for _title, item in shown_plots(window)])
        return len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]

    qtbot.waitUntil(steady, timeout=5000)


def do_the_lessons_work(window, qtbot) -> None:
    """What changes texts and plots: a drawing, a few batches of training, an evaluation, noise."""
    window.select_tab("mnist")
    tab = window.tab_widgets["mnist"]
    qtbot.waitUntil(lambda: tab.data is not None, timeout=30_000)
    tab.pages.setCurrentWidget(tab.draw_page)
    tab.draw_page.drawing.canvas.draw_stroke([(140, 50), (140, 230)])
    tab.controls.epochs.setValue(1)
    tab.controls.train_images.setValue(2000)
    tab.pages.setCurrentWidget(tab.training_page)
    tab.start_button.click()
    qtbot.waitUntil(lambda: not tab.training(), timeout=30_000)
    tab.pages.setCurrentWidget(tab.eval_page)
    tab.eval_page.evaluate_button.click()
    qtbot.waitUntil(lambda: tab.eval_page.result is not None, timeout=30_000)
    tab.pages.setCurrentWidget(tab.noise_page)
    with qtbot.waitSignal(tab.noise_page.resultReady, timeout=30_000):
        tab.noise_page.run_many()
    tab.noise_page.feed_one()
    window.select_tab("random-search")
    search = window.tab_widgets["random-search"]
    search.iterations_spin.setValue(300)
    with qtbot.waitSignal(search.runFinished, timeout=30_000):
        search.start()
    window.select_tab("gradient-descent")
    descent = window.tab_widgets["gradient-descent"]
    descent.trial_controls.show_check.setChecked(True)   # trial and error's run, line and step sizes too
    qtbot.waitUntil(lambda: descent.trial.run is not None, timeout=30_000)
    window.select_tab("derivatives")
    window.tab_widgets["derivatives"].set_function("sin(x) * exp(x) / (1 + x**2) - tanh(3*x)")


def walk(window, qtbot):
    """Show every tab and every page inside it, one at a time."""
    for name in TAB_NAMES:
        window.select_tab(name)
        tab = window.tab_widgets[name]
        pages = sub_pages(tab)
        if not pages:
            settle(qtbot, window)
            yield name, tab
        for tabs, index in pages:
            tabs.setCurrentIndex(index)
            settle(qtbot, window)
            yield f"{name} › {tabs.tabText(index)}", tab


@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
def test_every_tab_fits_both_screens_and_the_window_never_grows(window, qtbot, projector):
    do_the_lessons_work(window, qtbot)
    window.set_projector_mode(projector)
    for width, height in SCREENS:
        for lesson in (True, False):
            show_lesson(window, lesson)
            window.resize(width, height)
            for where, _tab in walk(window, qtbot):
                hint = window.minimumSizeHint()
                assert hint.width() <= width and hint.height() <= height, \
                    f"{where} at {width}×{height}, lesson {lesson}: needs {hint.width()}×{hint.height()}"
                assert window.size() == QSize(width, height), f"{where}: the window grew to {window.size()}"


def test_projector_mode_at_1280_by_800_with_the_lesson_cuts_nothing_off(window, qtbot):
    do_the_lessons_work(window, qtbot)
    window.set_projector_mode(True)
    show_lesson(window, True)
    window.resize(1280, 800)
    problems = []
    for where, tab in walk(window, qtbot):
        problems += [f"{where}: {line}" for line in screen_problems(tab)]
    assert not problems, "\n".join(problems)


def test_normal_mode_at_1024_by_700_cuts_no_title_legend_or_tick_label(window, qtbot):
    show_lesson(window, True)
    window.resize(1024, 700)
    problems = []
    for where, tab in walk(window, qtbot):
        problems += [f"{where}: {line}" for line in screen_problems(tab, min_size=None)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", TAB_NAMES)
def test_a_window_opened_small_lays_every_plot_out_within_its_view(qtbot, tmp_path, name):
    """Opened straight at a laptop's size, a plot whose title first took two lines was left taller
    than its view (Qt had clamped it to that minimum) and the legend under it was cut off."""
    window = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), initial_tab=name)
    qtbot.addWidget(window)
    window.resize(1024, 660)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(200)
    problems = [line for line in screen_problems(window.tab_widgets[name], min_size=None) if "laid out" in line]
    assert problems == []
    window.close()


def test_a_hidden_lesson_leaves_a_strip_one_line_wide_in_either_mode(window, qtbot):
    """Written across, "◂ Show lesson" kept ~165 px of a 1024-px projector from the plots."""
    window.resize(1024, 700)
    panel = window.lesson_panels["derivatives"]
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    for projector in (False, True, False):
        window.set_projector_mode(projector)
        qtbot.wait(50)
        line = panel.toggle.fontMetrics().height()
        assert panel.is_collapsed() and panel.width() <= 2 * line + 24
        assert panel.toggle.iconSize().width() == line        # drawn again at the new font size
        assert panel.toggle.iconSize().height() > 3 * line    # the words read upwards
        assert panel.toggle.accessibleName() == "Show lesson"
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert not panel.is_collapsed() and panel.width() >= panel.MIN_EXPANDED_WIDTH
    assert panel.toggle.text() == "Hide lesson ▸" and panel.toggle.icon().isNull()


def test_leaving_projector_mode_gives_the_controls_spare_width_to_the_plots(qtbot, tmp_path):
    """The Derivatives controls sit in a splitter, which kept their projector width as a ~100 px gap
    when a window opened in projector mode left it."""
    window = MainWindow(settings=QSettings(str(tmp_path / "gap.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.set_projector_mode(True)
    window.resize(1024, 700)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(100)
    tab = window.tab_widgets["derivatives"]
    column = tab.controls_column
    splitter = column.parentWidget()
    wide = splitter.sizes()[0]
    window.set_projector_mode(False)
    qtbot.wait(100)
    sizes = splitter.sizes()
    assert column.maximumWidth() < wide                     # the column really narrows
    assert sizes[0] <= column.maximumWidth()                # and the splitter follows it
    assert tab.plot_grid.x() <= column.width() + splitter.handleWidth() + 2   # the plots start right after it
    window.close()


def test_the_lessons_commands_grow_with_projector_mode_like_their_text(window, qtbot):
    """Qt gave Markdown code the system's fixed font at its own size: ~60% of the projector text."""
    def sizes(panel):
        document = panel.text.document()
        code, block = [], document.begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                if fragment.charFormat().fontFixedPitch():
                    code.append(fragment.charFormat().font().pointSizeF())
                fragments += 1
            block = block.next()
        return code, document.defaultFont().pointSizeF()
    for projector in (False, True):
        window.set_projector_mode(projector)
        qtbot.wait(20)
        commands = 0
        for name, panel in window.lesson_panels.items():
            code, text = sizes(panel)
            commands += len(code)
            assert all(size == text for size in code), (name, projector, code[:3], text)
        assert commands >= 4      # the lessons name their commands
