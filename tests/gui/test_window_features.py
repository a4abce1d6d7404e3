"""What makes the window a finished program: lessons, remembered settings, export, shortcuts,
projector mode, and errors that are shown rather than fatal."""

import json

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QSlider, QVBoxLayout

from gui import errors
from gui.export import export_plot, plots_in
from gui.main_window import TAB_NAMES, MainWindow
from gui.tabs.base import LessonTab, TabAction
from gui.worker import BackgroundJob
from tests.gui.screen_checks import plot_problems, shown_plots


class FakeLessonTab(LessonTab):
    """A stand-in tab offering every action of the contract, to check the window's wiring."""

    supports = TabAction.RUN | TabAction.STEP | TabAction.RESET | TabAction.CLEAR_CANVAS | TabAction.NUDGE

    def __init__(self):
        super().__init__()
        self.calls = []
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("rate")
        self.slider.setRange(0, 100)
        self.slider.setValue(10)
        self.plot = pg.PlotWidget(title="Loss against epoch")
        self.plot.plot([0, 1, 2], [3.0, 1.5, 0.5], name="lr 0.1", pen=pg.mkPen(width=2))
        self.bars = pg.BarGraphItem(x=[0, 1], height=[0.2, 0.8], width=0.6)
        self.plot.addItem(self.bars)  # bars have no line to thicken: projector mode must leave them be
        layout = QVBoxLayout(self)
        layout.addWidget(self.slider)
        layout.addWidget(self.plot)

    def toggle_run(self): self.calls.append("toggle_run")
    def step_once(self): self.calls.append("step_once")
    def reset(self): self.calls.append("reset")
    def clear_canvas(self): self.calls.append("clear_canvas")
    def nudge(self, dx, dy): self.calls.append(("nudge", dx, dy))
    def report(self): return {"runs": 1}


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def use_as_gradient_descent(monkeypatch, make_tab) -> None:
    """Have windows built from now on show `make_tab()` as their Gradient Descent tab."""
    import gui.main_window as mw
    monkeypatch.setitem(mw.TAB_BUILDERS, "gradient-descent", lambda seed, mnist_dir: make_tab())


def open_window(qtbot, settings, initial_tab: str) -> MainWindow:
    """A shown and active window, so that keys reach its shortcuts."""
    window = MainWindow(settings=settings, initial_tab=initial_tab)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


@pytest.fixture
def window_with_fake(qtbot, settings, monkeypatch):
    """A window whose Gradient Descent tab is the fake tab above."""
    use_as_gradient_descent(monkeypatch, FakeLessonTab)
    window = open_window(qtbot, settings, "gradient-descent")
    yield window
    window.close()


def test_the_lessons_and_the_icon_are_read_from_the_package(qapp, capsys):
    from gui.main_window import app_icon
    from gui.widgets.lesson_panel import lesson_text

    for name in TAB_NAMES:
        assert "Try this" in lesson_text(name)
    assert app_icon().pixmap(64, 64).width() == 64
    assert capsys.readouterr().err == ""


def test_a_missing_lesson_or_icon_is_said_in_the_window_and_on_stderr(qapp, capsys, monkeypatch, tmp_path):
    from gui import main_window
    from gui.widgets import lesson_panel

    monkeypatch.setattr(lesson_panel, "asset", tmp_path.joinpath)  # an installation without assets/
    monkeypatch.setattr(main_window, "asset", tmp_path.joinpath)
    assert "`mnist.md` is missing from this installation" in lesson_panel.lesson_text("mnist")
    assert main_window.app_icon().isNull()
    assert capsys.readouterr().err.splitlines() == [
        "descent-lab: the lesson text mnist.md is missing from this installation",
        "descent-lab: the icon descent-lab.svg is missing from this installation or damaged"]


def test_every_tab_has_a_lesson_that_can_be_collapsed(qtbot, settings):
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    for name in TAB_NAMES:
        panel = window.lesson_panels[name]
        text = panel.text.toPlainText()
        assert "Try this" in text and len(text) > 300
    panel = window.lesson_panels["derivatives"]
    qtbot.mouseClick(panel.toggle, Qt.MouseButton.LeftButton)
    assert all(p.is_collapsed() for p in window.lesson_panels.values())
    assert not window.lesson_action.isChecked()


def test_settings_survive_a_restart(qtbot, tmp_path, monkeypatch):
    use_as_gradient_descent(monkeypatch, FakeLessonTab)
    path = str(tmp_path / "restart.ini")
    first = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.select_tab("gradient-descent")
    first.tab_widgets["gradient-descent"].slider.setValue(73)
    first.lesson_panels["derivatives"].set_collapsed(True)
    first.resize(760, 540)  # within the offscreen screen (800×600), so nothing clamps it
    first.close()

    second = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(second)
    assert second.current_tab_name() == "gradient-descent"
    assert second.tab_widgets["gradient-descent"].slider.value() == 73
    assert second.lesson_panels["mnist"].is_collapsed()
    assert (second.width(), second.height()) == (760, 540)

    second.reset_to_defaults()
    assert second.tab_widgets["gradient-descent"].slider.value() == 10
    assert not second.lesson_panels["mnist"].is_collapsed()


def test_command_line_tab_wins_over_the_remembered_one(qtbot, settings):
    settings.setValue("window/tab", "mnist")
    window = MainWindow(settings=settings, initial_tab="derivatives")
    qtbot.addWidget(window)
    assert window.current_tab_name() == "derivatives"


@pytest.mark.parametrize("key, modifier, expected", [
    (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, "toggle_run"),
    (Qt.Key.Key_S, Qt.KeyboardModifier.NoModifier, "step_once"),
    (Qt.Key.Key_R, Qt.KeyboardModifier.NoModifier, "reset"),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, "clear_canvas"),
    (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, ("nudge", -1, 0)),
    (Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier, ("nudge", 0, 1)),
])
def test_each_shortcut_triggers_its_tab_action(qtbot, window_with_fake, key, modifier, expected):
    tab = window_with_fake.tab_widgets["gradient-descent"]
    tab.plot.setFocus()  # a plot uses none of these keys itself (the tab bar keeps its arrows)
    qtbot.keyClick(tab.plot, key, modifier)
    assert tab.calls == [expected]


def test_a_focused_slider_keeps_its_arrow_keys(qtbot, window_with_fake):
    tab = window_with_fake.tab_widgets["gradient-descent"]
    tab.slider.setFocus()
    qtbot.keyClick(tab.slider, Qt.Key.Key_Right)
    assert tab.slider.value() == 11 and tab.calls == []


@pytest.mark.parametrize("index", range(4))
def test_ctrl_number_switches_tabs(qtbot, window_with_fake, index):
    qtbot.keyClick(window_with_fake, getattr(Qt.Key, f"Key_{index + 1}"), Qt.KeyboardModifier.ControlModifier)
    assert window_with_fake.tabs.currentIndex() == index


class RunOnlyTab(FakeLessonTab):
    """Declares start/pause and reset but no step (it still has a step_once the window must not call)."""

    supports = TabAction.RUN | TabAction.RESET


def test_an_action_the_tab_does_not_declare_is_disabled_and_its_key_does_nothing(qtbot, settings, monkeypatch):
    use_as_gradient_descent(monkeypatch, RunOnlyTab)
    window = open_window(qtbot, settings, "derivatives")
    assert window.run_actions["step_once"].isEnabled()  # the Derivatives tab steps δ
    window.select_tab("gradient-descent")
    tab = window.tab_widgets["gradient-descent"]
    enabled = {name for name, action in window.run_actions.items() if action.isEnabled()}
    assert enabled == {"toggle_run", "reset"}
    window.tabs.setFocus()
    for key in (Qt.Key.Key_S, Qt.Key.Key_Escape, Qt.Key.Key_Space, Qt.Key.Key_R):
        qtbot.keyClick(window, key)
    assert tab.calls == ["toggle_run", "reset"]
    window.close()


def test_a_tab_declaring_nothing_gets_every_run_action_disabled(qtbot, settings, monkeypatch):
    use_as_gradient_descent(monkeypatch, LessonTab)
    window = MainWindow(settings=settings, initial_tab="gradient-descent")
    qtbot.addWidget(window)
    assert not any(action.isEnabled() for action in window.run_actions.values())
    assert window.current_tab().report() == {} and window.current_tab().plots() == []


@pytest.mark.parametrize("suffix", [".png", ".svg", ".csv"])
def test_export_writes_valid_files(qtbot, window_with_fake, tmp_path, suffix):
    title, item = plots_in(window_with_fake.current_tab())[0]
    assert title == "Loss against epoch"
    path = export_plot(item, tmp_path / f"loss{suffix}")
    data = path.read_bytes()
    if suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and not QImage(str(path)).isNull()
    elif suffix == ".svg":
        assert b"<svg" in data and b"</svg>" in data
    else:
        rows = data.decode().strip().splitlines()
        values = np.array([[float(v) for v in row.split(",")[:2]] for row in rows[1:]])  # the curve's x, y
        assert np.allclose(values, [[0, 3.0], [1, 1.5], [2, 0.5]])


def test_run_report_holds_picture_parameters_seed_and_curves(qtbot, window_with_fake, tmp_path):
    png, js = window_with_fake.export_report(str(tmp_path))
    assert not QImage(str(png)).isNull()
    report = json.loads(js.read_text())
    assert report["tab"] == "gradient-descent" and report["seed"] == 0
    assert report["parameters"]["rate"] == 10
    curve = report["plots"][0]["curves"][0]
    assert curve["name"] == "lr 0.1" and curve["y"] == [3.0, 1.5, 0.5]
    assert report["details"] == {"runs": 1}


def test_run_report_records_what_sliders_mean_not_their_positions(qtbot, settings, tmp_path):
    window = open_window(qtbot, settings, "gradient-descent")
    tab = window.tab_widgets["gradient-descent"]
    tab.rates_panel.slider.setValue(0.808)
    playback_speed = tab.playback.speed.value()
    _png, js = window.export_report(str(tmp_path))
    parameters = json.loads(js.read_text())["parameters"]
    assert parameters["η"] == pytest.approx(0.808)              # not slider step 808
    assert parameters["speed"] == pytest.approx(playback_speed)
    window.close()


def test_projector_mode_enlarges_fonts_and_thickens_lines(qtbot, window_with_fake):
    tab = window_with_fake.tab_widgets["gradient-descent"]
    curve = tab.plot.getPlotItem().listDataItems()[0]
    size = QApplication.font().pointSizeF()
    window_with_fake.set_projector_mode(True)
    assert QApplication.font().pointSizeF() == pytest.approx(size * 1.5)
    assert curve.opts["pen"].widthF() == pytest.approx(4)
    axis = tab.plot.getPlotItem().getAxis("bottom")
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(size * 1.5)
    window_with_fake.set_projector_mode(False)
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert curve.opts["pen"].widthF() == pytest.approx(2)
    assert axis.style["tickFont"].pointSizeF() == pytest.approx(size)


def test_an_exception_in_a_worker_is_shown_not_fatal(qtbot, window_with_fake):
    def broken():
        yield 0
        raise ZeroDivisionError("learning rate divided by zero")

    job = BackgroundJob(broken)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.start()
    dialogs = errors.open_error_dialogs()
    assert dialogs and "ZeroDivisionError" in dialogs[-1].detailedText()
    assert window_with_fake.isVisible()
    for box in dialogs:
        box.close()


def test_an_exception_in_a_slot_is_shown_by_the_excepthook(qtbot, monkeypatch):
    import sys
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    errors.install_excepthook()
    try:
        raise ValueError("bad slider value")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    box = errors.open_error_dialogs()[-1]
    assert "bad slider value" in box.detailedText() and box.isVisible()
    box.close()


def test_about_names_version_licence_and_credits(qtbot, settings):
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show_about()
    text = window._about.text()
    assert "0.1.0" in text and "MIT" in text and "MNIST" in text and "Neural Networks from Scratch" in text
    window._about.close()


def test_the_chosen_mnist_folder_is_remembered(qtbot, tmp_path, monkeypatch, mnist_dir):
    monkeypatch.delenv("DESCENT_LAB_MNIST_DIR", raising=False)
    path = str(tmp_path / "mnist.ini")
    first = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    panel = first.tab_widgets["mnist"].data_panel
    with qtbot.waitSignal(panel.dataReady, timeout=30_000):
        panel.set_directory(mnist_dir)  # what "Choose folder…" does with the folder picked
    first.close()

    second = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="mnist")
    qtbot.addWidget(second)
    panel = second.tab_widgets["mnist"].data_panel
    with qtbot.waitSignal(panel.dataReady, timeout=30_000):
        second.show()  # the tab reads its data when first shown
    assert panel.directory == mnist_dir
    second.close()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    third = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="mnist",
                       mnist_dir=str(elsewhere))
    qtbot.addWidget(third)
    third.show()
    panel = third.tab_widgets["mnist"].data_panel
    assert str(elsewhere) in panel.error.text() and panel.data is None  # --mnist-dir wins
    third.close()


def test_the_plot_menu_offers_a_working_svg_export(qtbot, window_with_fake, tmp_path):
    """The right-click Export dialog lists exporters from pyqtgraph's registry; its SVG entry must work."""
    from pyqtgraph.exporters import Exporter
    _title, item = plots_in(window_with_fake.current_tab())[0]
    svg = [e for e in Exporter.Exporters if "SVG" in e.Name]
    assert len(svg) == 1
    svg[0](item).export(str(tmp_path / "menu.svg"))
    assert b"<svg" in (tmp_path / "menu.svg").read_bytes()


def test_only_the_shown_tab_is_built_at_start_and_others_on_first_visit(qtbot, settings):
    window = MainWindow(settings=settings, initial_tab="gradient-descent")
    qtbot.addWidget(window)
    assert list(window._built) == ["gradient-descent"]
    window.select_tab("derivatives")
    assert "derivatives" in window._built
    assert window.tabs.currentWidget().isAncestorOf(window._built["derivatives"])


def test_a_tab_built_later_gets_remembered_values_and_projector_lines(qtbot, tmp_path, monkeypatch):
    use_as_gradient_descent(monkeypatch, FakeLessonTab)
    path = str(tmp_path / "later.ini")
    store = QSettings(path, QSettings.Format.IniFormat)
    store.setValue("controls/gradient-descent/rate", 42)
    store.sync()
    window = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="derivatives")
    qtbot.addWidget(window)
    window.set_projector_mode(True)
    tab = window.tab_widgets["gradient-descent"]  # first visit
    assert tab.slider.value() == 42
    assert tab.plot.getPlotItem().listDataItems()[0].opts["pen"].widthF() == pytest.approx(4)
    window.set_projector_mode(False)


def test_projector_mode_enlarges_titles_and_legends_and_narrow_plots_wrap_them(qtbot, settings):
    window = MainWindow(settings=settings, initial_tab="gradient-descent")
    qtbot.addWidget(window)
    window.resize(1900, 1050)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_widgets["gradient-descent"]
    qtbot.waitUntil(lambda: len(tab.runs) == 3, timeout=10_000)  # the legend lists the runs
    item = tab.loss_plot.getPlotItem()

    def points(label):
        return float(label.opts["size"].removesuffix("pt"))

    title, legend = points(item.titleLabel), points(item.legend)
    assert item.legend.names() == ["η = 0.01", "η = 0.1", "η = 0.5"]
    window.set_projector_mode(True)
    assert points(item.titleLabel) == pytest.approx(1.5 * title)
    assert points(item.legend) == pytest.approx(1.5 * legend)

    window.lesson_panels["gradient-descent"].set_collapsed(False)
    window.resize(1000, 760)  # a small projector: the plots get narrow, titles wrap instead of being cut
    qtbot.waitUntil(lambda: not [line for title, plot in shown_plots(tab)
                                 for line in plot_problems(title, plot, min_size=None)])

    window.set_projector_mode(False)
    assert points(item.titleLabel) == pytest.approx(title) and points(item.legend) == pytest.approx(legend)
    window.close()


@pytest.mark.parametrize("with_mnist", [False, True])
def test_every_tab_fits_a_1280_pixel_projector_with_the_lesson_shown(qtbot, settings, tmp_path, monkeypatch,
                                                                    with_mnist, request):
    if with_mnist:
        folder = request.getfixturevalue("mnist_dir")
    else:
        folder = tmp_path / "no-mnist"  # first start: the MNIST panel offers its download buttons
        folder.mkdir()
    monkeypatch.setenv("DESCENT_LAB_MNIST_DIR", str(folder))
    window = MainWindow(settings=settings, mnist_dir=str(folder))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.set_projector_mode(True)
    for name in TAB_NAMES:
        window.select_tab(name)
        assert not window.lesson_panels[name].is_collapsed()
        if name == "mnist":
            tab = window.tab_widgets["mnist"]
            qtbot.waitUntil(lambda: (tab.data is not None) == with_mnist, timeout=30_000)
        qtbot.wait(50)  # let the layouts settle on the larger font
        assert window.minimumSizeHint().width() <= 1280, name
        assert window.minimumSizeHint().height() <= 800, name
    window.set_projector_mode(False)  # the application font is shared with the next test
    window.close()
