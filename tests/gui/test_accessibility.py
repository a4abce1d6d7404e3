"""What a screen reader gets from every tab, checked through Qt's accessibility interfaces
(``QAccessible.queryAccessibleInterface``), the same objects Qt hands to AT-SPI on Linux.

Widgets are discovered, not listed, so a page added later meets the same rules.
"""

import re

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLabel, QLineEdit,
                               QScrollBar, QTabBar, QWidget)

from gui.accessibility import spoken
from gui.main_window import TAB_NAMES, MainWindow

CONTROLS = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit)
RUN_TIMEOUT = 60_000


def accessible_name(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Name)


def _described(widget: QWidget) -> bool:
    """A tooltip on the control or on the labelled group it sits in (a slider inside LabelledSlider)."""
    node = widget
    for _ in range(3):
        if node is None:
            break
        if node.toolTip():
            return True
        node = node.parentWidget()
    return False


def _user_controls(tab: QWidget) -> list[QWidget]:
    found = []
    for widget in tab.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or isinstance(widget, QScrollBar) or isinstance(widget.parentWidget(), QTabBar):
            continue
        if widget.objectName().startswith("qt_") or type(widget).__module__.startswith("pyqtgraph"):
            continue  # Qt's and pyqtgraph's own internals (spin box line edits, plot menus)
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue
        found.append(widget)
    return found


@pytest.fixture
def window(qtbot, tmp_path, mnist_data_dir):
    from PySide6.QtCore import QSettings
    window = MainWindow(settings=QSettings(str(tmp_path / "a11y.ini"), QSettings.Format.IniFormat),
                        mnist_dir=mnist_data_dir)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()


@pytest.fixture
def mnist_data_dir():
    """The real MNIST folder when there is one (more of the MNIST tab fills in), else None."""
    from tests.conftest import real_mnist_dir
    folder = real_mnist_dir()
    return None if folder is None else str(folder)


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_control_has_a_tooltip_and_an_accessible_name(qtbot, name):
    window = MainWindow()
    qtbot.addWidget(window)
    controls = _user_controls(window.tab_widgets[name])
    assert controls, "a lesson tab has controls"
    missing_tip = [f"{type(w).__name__} {w.accessibleName() or w.objectName() or getattr(w, 'text', lambda: '')()!r}"
                   for w in controls if not _described(w)]
    assert not missing_tip, f"controls without a tooltip: {missing_tip}"
    unnamed = [type(w).__name__ for w in controls
               if not (w.accessibleName() or (isinstance(w, QAbstractButton) and w.text()))]
    assert not unnamed, f"controls without an accessible name: {unnamed}"


# --- results reach the reader ------------------------------------------------------------------
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?(?:e[−+-]?\d+)?%?")


def _exercise(qtbot, window, name):
    """Change what each tab shows, the way a user would: new numbers, an error, a finished run."""
    tab = window.tab_widgets[name]
    window.select_tab(name)
    if name == "derivatives":
        tab.set_x0(1.5)
        tab.function_edit.setText("sin(")
        tab.apply_typed_function()
    elif name == "random-search":
        tab.iterations_spin.setValue(200)
        with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
            tab.start()
    elif name == "gradient-descent":
        qtbot.waitUntil(lambda: bool(tab.runs), timeout=RUN_TIMEOUT)
        tab.rates_panel.rate_edit.setText("fast")
        tab.rates_panel.add_from_text()
        tab.step_once()
    else:
        from tests.gui.mouse_helpers import drag
        tab.pages.setCurrentWidget(tab.draw_page)
        drag(tab.draw_page.drawing.canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
        tab.noise_page.feed_one()
        tab.training_page.weights.select(3)
    return tab


def _unread(tab: QWidget) -> list[str]:
    """Labels whose text (or, for a table, its numbers) a reader does not get from the name."""
    missing = []
    for label in tab.findChildren(QLabel):
        text = spoken(label.text())
        if not text or label.buddy() is not None:
            continue  # empty, or the visible caption of a control (read with the control)
        name = " ".join(accessible_name(label).split())
        numbers = NUMBER.findall(text)
        if (numbers and not all(n in name for n in numbers)) or (not numbers and text not in name):
            missing.append(f"{name!r} does not read {text!r}")
    return missing


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_readout_reads_its_current_text(qtbot, window, name):
    tab = _exercise(qtbot, window, name)
    assert _unread(tab) == []


def test_a_readout_names_its_caption_and_its_value(qtbot, window):
    tab = _exercise(qtbot, window, "derivatives")
    slope = tab.readout["m"]
    assert accessible_name(slope) == f"Slope m (measured): {slope.text()}"
    assert "Not plotted" in accessible_name(tab.function_message)


# --- news is announced -------------------------------------------------------------------------
def _announced(qtbot, check, timeout=RUN_TIMEOUT):
    """Wait for an announcement that passes ``check``; gives its text."""
    from gui.accessibility import announcer
    heard = []
    announcer().announced.connect(heard.append)
    try:
        qtbot.waitUntil(lambda: any(check(text) for text in heard), timeout=timeout)
    finally:
        announcer().announced.disconnect(heard.append)
    return next(text for text in heard if check(text))


def test_a_refused_formula_is_announced_and_shown_in_the_status_bar(qtbot, window):
    tab = window.tab_widgets["derivatives"]
    tab.set_function("sin(")
    text = _announced(qtbot, lambda t: "Not plotted" in t)
    assert text.startswith("Function: Not plotted") and "2*x**2" in text
    assert "Not plotted" in window.statusBar().currentMessage()


def test_a_finished_random_search_announces_its_results(qtbot, window):
    tab = window.tab_widgets["random-search"]
    window.select_tab("random-search")
    tab.iterations_spin.setValue(200)
    tab.start()
    text = _announced(qtbot, lambda t: t.startswith("Finished"))
    latest = tab.traces["tweak"].latest
    assert f"loss {latest.loss:.4f}" in text and "200 iterations" in text


def test_a_diverging_rate_is_announced(qtbot, window):
    tab = window.tab_widgets["gradient-descent"]
    window.select_tab("gradient-descent")
    tab.rates_panel.set_rates([0.1, 1.5])
    text = _announced(qtbot, lambda t: "diverged" in t)
    assert text.startswith("Run results") and "1.5" in text


def test_the_answer_for_a_drawing_is_announced_once_the_pen_rests(qtbot, window):
    from tests.gui.mouse_helpers import drag
    tab = window.tab_widgets["mnist"]
    window.select_tab("mnist")
    tab.pages.setCurrentWidget(tab.draw_page)
    drag(tab.draw_page.drawing.canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
    text = _announced(qtbot, lambda t: "Answer:" in t)
    assert text == f"Prediction for the drawing: {spoken(tab.draw_page.bars.answer.text())}"
    assert re.search(r"Answer: \d \(\d+\.\d% sure\)", text)


def test_announcements_from_one_source_in_quick_succession_are_merged(qtbot):
    from gui.accessibility import Announcer
    source, announcer = QLabel(), Announcer()
    heard = []
    announcer.announced.connect(heard.append)
    for text in ("Answer: 1", "Answer: 7", "Answer: 4"):
        announcer.announce(source, text)
    qtbot.waitUntil(lambda: bool(heard))
    assert heard == ["Answer: 4"]


# --- sliders speak real values -------------------------------------------------------------------
@pytest.mark.parametrize("name", TAB_NAMES)
def test_sliders_speak_their_value_in_real_units_not_their_position(qtbot, name):
    from gui.widgets.labelled_slider import LabelledSlider
    window = MainWindow()
    qtbot.addWidget(window)
    sliders = window.tab_widgets[name].findChildren(LabelledSlider)
    if name != "random-search":
        assert sliders
    for slider in sliders:
        position = slider.slider
        position.setValue(round(0.37 * position.maximum()))  # as a user's key press or drag would
        text = accessible_name(position)
        match = re.fullmatch(rf"{re.escape(slider.spoken_name)} = ([-\d.e+]+)( [a-z ]+)?", text)
        assert match, f"{text!r} is not '<name> = <value>'"
        assert float(match.group(1)) == pytest.approx(slider.value(), rel=0.06, abs=0.006), text
        assert str(position.value()) not in text  # the integer step a screen reader used to hear


# --- names say what a user sees -----------------------------------------------------------------
def _words(text: str) -> str:
    """Text as voice control hears it: letters and digits, lower case, one space between words."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")  # mnemonics are not shown
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def focusable_widgets(root: QWidget) -> list[QWidget]:
    """Widgets the Tab key can reach under ``root`` (Qt's and pyqtgraph's inner parts excluded)."""
    from PySide6.QtCore import Qt
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy() is not None:
            continue
        if isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_"):
            continue
        if widget.window() is not root.window():
            continue  # a combo box's list, a popup of its own
        if isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
            continue  # the line edit inside a spin box or combo box
        found.append(widget)
    return found


def visible_caption(widget: QWidget) -> str:
    """The text a user sees on or beside a control: its own text, or its label's."""
    from gui.widgets.labelled_slider import LabelledSlider
    if isinstance(widget, QAbstractButton):
        return widget.text()
    labels = [label.text() for label in widget.window().findChildren(QLabel) if label.buddy() is widget]
    if labels:
        return labels[0]
    parent = widget.parentWidget()
    if isinstance(parent, LabelledSlider):
        return parent.findChildren(QLabel)[0].text()
    return ""


def _naming_problems(root: QWidget) -> list[str]:
    problems = []
    for widget in focusable_widgets(root):
        kind = type(widget).__name__
        name = widget.accessibleName() or accessible_name(widget)
        if not name.strip():
            problems.append(f"{kind} has no name")
            continue
        caption = visible_caption(widget)
        if caption and not _words(name).startswith(_words(caption)):
            problems.append(f"{kind} shows {caption!r} but is named {name!r}")
        if isinstance(widget, QComboBox):
            iface = QAccessible.queryAccessibleInterface(widget)
            labels = [other.text(QAccessible.Text.Name) for other, relation in iface.relations()
                      if relation & QAccessible.RelationFlag.Label]
            if not any(_words(name).startswith(_words(label)) for label in labels):
                problems.append(f"combo box {name!r} is labelled by {labels}, not by a label it is named after")
    return problems


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_focusable_widget_is_named_after_what_it_shows(qtbot, window, name):
    window.select_tab(name)
    problems = _naming_problems(window.tab_widgets[name]) + _naming_problems(window.lesson_panels[name])
    assert problems == []


# Remembered settings are keyed by these names (gui/control_state.py); renaming what a screen
# reader hears must not make users lose what they saved.
REMEMBERED_BEFORE = {
    "derivatives": {"Batch size", "Central difference", "Forward difference", "Function preset", "Network",
                    "Numerical method", "Point x0", "x₀", "δ"},
    "random-search": {"Classes", "Data set", "Hidden units", "Iterations", "Learning rate", "Noise", "Optimizer",
                      "Plot against", "Points per class", "Seed", "Show weights of", "Step size",
                      "gradient descent", "pure random search", "tweak and keep"},
    "gradient-descent": {"Batch", "Epochs", "Log scale", "One-parameter learning rate", "One-parameter start w",
                         "Optimizer", "speed", "x range", "η"},
    "mnist": {"Activation", "Batch size", "Cost", "Epochs", "Learning rate", "Not a digit", "Optimizer", "Preset",
              "Show weight change since start", "Training images"},
}


@pytest.mark.parametrize("name", TAB_NAMES)
def test_renamed_controls_are_still_remembered_under_their_old_keys(qtbot, name):
    from gui.control_state import remembered_controls
    window = MainWindow()
    qtbot.addWidget(window)
    assert REMEMBERED_BEFORE[name] <= set(remembered_controls(window.tab_widgets[name]))


# --- plots say what they show ---------------------------------------------------------------------
def accessible_description(widget: QWidget) -> str:
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


@pytest.mark.parametrize("name", TAB_NAMES)
def test_every_plot_and_picture_has_a_description(qtbot, window, name):
    from PySide6.QtWidgets import QGraphicsView
    tab = _exercise(qtbot, window, name)
    views = tab.findChildren(QGraphicsView)
    assert len(views) >= 3
    bare = [accessible_name(v) or type(v).__name__ for v in views
            if len(accessible_description(v)) < 30 or not accessible_name(v)]
    assert bare == []


def test_derivative_plots_describe_the_current_numbers_at_the_text_rate(qtbot, window):
    from gui.tabs.derivatives.tab import fmt
    tab = window.tab_widgets["derivatives"]
    tab.set_x0(-1.25)
    slope = fmt(tab.secant_slope, 12)
    assert slope not in accessible_description(tab.main_plot)   # not rewritten at every move...
    qtbot.waitUntil(lambda: slope in accessible_description(tab.main_plot), timeout=3000)   # ...but soon
    assert "x₀ = -1.25" in accessible_description(tab.slope_plot)
    assert "smallest" in accessible_description(tab.error_plot)


def test_random_search_plots_describe_each_methods_result(qtbot, window):
    tab = _exercise(qtbot, window, "random-search")
    for method, trace in tab.traces.items():
        assert f"{trace.latest.loss:.4f}" in accessible_description(tab.loss_plot)
        assert f"{100 * trace.latest.accuracy:.1f}%" in accessible_description(tab.accuracy_plot)
    assert "%" in accessible_description(tab.acceptance_plot)
    assert "largest" in accessible_description(tab.bars_plot)


def test_gradient_descent_plots_follow_playback(qtbot, window):
    tab = _exercise(qtbot, window, "gradient-descent")
    run = tab.runs[0]
    tab.playback.go_to(3)
    loss = f"loss {run.loss[3]:.4g}"
    qtbot.waitUntil(lambda: loss in accessible_description(tab.loss_plot), timeout=3000)
    assert f"ŷ = {run.w[3]:.3f}·x" in accessible_description(tab.fit_plot)
    assert "At update 3 of" in accessible_description(tab.surface.plot)


def test_mnist_pictures_describe_the_answer_and_the_drawing(qtbot, window):
    tab = _exercise(qtbot, window, "mnist")
    bars = tab.draw_page.bars
    top = int(bars.probabilities().argmax())
    assert f"{bars.labels[top]} {100 * bars.probabilities()[top]:.1f}%" in accessible_description(bars.plot)
    assert "Ink covers" in accessible_description(tab.draw_page.drawing.canvas)
    assert "Neuron 4 is enlarged" in accessible_description(tab.training_page.weights.grid)


# --- text reads on its background ---------------------------------------------------------------
COLOURED = re.compile(r"color:\s*(#[0-9A-Fa-f]{6})[^>]*>([^<]*)<")


@pytest.mark.parametrize("name", TAB_NAMES)
def test_text_has_aa_contrast_and_colour_codes_no_words(qtbot, window, name):
    from PySide6.QtGui import QPalette

    from gui.style import MIN_TEXT_CONTRAST, contrast
    tab = _exercise(qtbot, window, name)
    if name == "gradient-descent":
        tab.rates_panel.set_rates([0.1, 1.5])                      # a diverged run, in its message colour
        qtbot.waitUntil(lambda: "diverged" in tab.summary.text(), timeout=RUN_TIMEOUT)
    faint = []
    for label in tab.findChildren(QLabel):
        if not (label.text() and label.isEnabled()):
            continue
        palette = label.palette()
        background = palette.color(QPalette.ColorRole.Window)
        if contrast(palette.color(QPalette.ColorRole.WindowText), background) < MIN_TEXT_CONTRAST:
            faint.append(spoken(label.text()))
        for colour, words in COLOURED.findall(label.text()):
            if words.strip() not in ("", "■") and contrast(colour, background) < MIN_TEXT_CONTRAST:
                faint.append(f"{words} in {colour}")
    for edit in tab.findChildren(QLineEdit):
        if edit.placeholderText():
            palette = edit.palette()
            if contrast(palette.color(QPalette.ColorRole.PlaceholderText), palette.color(QPalette.ColorRole.Base)) < 4.5:
                faint.append(f"placeholder {edit.placeholderText()!r}")
    assert faint == []


# --- nothing told by colour alone ---------------------------------------------------------------
def _legend_names(plot) -> list[str]:
    legend = plot.getPlotItem().legend
    return [] if legend is None else legend.names()   # the legend under the plot (gui/plot_text.py)


def test_random_search_names_its_curves_and_shapes_its_classes(qtbot, window):
    from gui.plotting import shape
    tab = _exercise(qtbot, window, "random-search")
    symbols = [scatter.opts["symbol"] for scatter in tab.regions._scatters]
    assert len(set(symbols)) == len(symbols) == 3 and symbols == [shape(c)[0] for c in range(3)]
    assert _legend_names(tab.regions) == ["class 0", "class 1", "class 2"]
    methods = ["random", "tweak", "trial", "gradient"]   # short names, as in the results table: legends fit
    assert _legend_names(tab.loss_plot) == _legend_names(tab.accuracy_plot) == methods
    assert _legend_names(tab.acceptance_plot) == ["tweak", "trial"]
    styles = {curve.opts["pen"].style() for curve in tab.loss_curves.values()}
    assert len(styles) == 4   # the four methods differ in grey print too


def test_gradient_descent_runs_have_a_shape_each_on_every_plot(qtbot, window):
    from gui.plotting import shape
    tab = _exercise(qtbot, window, "gradient-descent")
    tab._redraw.flush()
    n = len(tab.runs)
    shapes = [shape(i)[0] for i in range(n)]
    assert [head.opts["symbol"] for head in tab.surface.heads] == shapes
    for marks in (tab.loss_ends, tab.fit_ends):
        assert [point.symbol() for point in marks.points()] == shapes
    names = [f"η = {run.settings.learning_rate:.4g}" for run in tab.runs]
    assert _legend_names(tab.loss_plot) == _legend_names(tab.fit_plot) == names
    for i in range(n):
        assert shape(i)[1] in tab.summary.text()
    icons = [tab.rates_panel.rate_list.item(i).icon().pixmap(14, 14).toImage() for i in range(n)]
    assert len({bytes(image.constBits()) for image in icons}) == n
