"""The Derivatives tab driven through its real widgets."""

import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from engine.expressions import parse_expression
from gui.tabs.derivatives.tab import GRID, DerivativesTab


@pytest.fixture
def tab(open_tab):
    return open_tab(DerivativesTab(seed=0))


def curve_y(item):
    return item.getData()[1]


def drawn(item):
    xs = item.getData()[0]
    return xs is not None and len(xs) > 0


def wait_for_progress(qtbot, panel, condition, timeout=30.0):
    """Wait on the job's own progress signal (an event loop that lets the worker run freely)."""
    deadline = time.perf_counter() + timeout
    while not condition():
        assert time.perf_counter() < deadline, "no progress in time"
        with qtbot.waitSignal(panel.jobs.progress, timeout=10000):
            pass


def type_function(qtbot, tab, text):
    tab.function_edit.clear()
    qtbot.keyClicks(tab.function_edit, text)
    qtbot.keyClick(tab.function_edit, Qt.Key.Key_Return)


def test_opens_on_the_lesson_figure(tab, qtbot):
    assert tab.expression.source == "2*x**2"
    assert tab.secant_slope == pytest.approx(8.0002, abs=1e-9)
    assert tab.exact_slope == 8.0
    assert tab.readout["exact"].text() == "8"
    assert tab.readout["m"].text().startswith("8.0002")
    qtbot.waitUntil(lambda: drawn(tab.secant_item), timeout=2000)


def test_typing_a_function_redraws(tab, qtbot):
    type_function(qtbot, tab, "x^3 - 3*x")
    expected = GRID**3 - 3 * GRID
    np.testing.assert_allclose(curve_y(tab.curve_item), expected, rtol=1e-12)
    np.testing.assert_allclose(curve_y(tab.exact_slope_item), 3 * GRID**2 - 3, rtol=1e-12)
    assert tab.exact_slope == pytest.approx(3 * 2.0**2 - 3)
    assert tab.preset_box.currentData() == "x**3 - 3*x"  # recognised as the preset
    assert "x^3 - 3*x" in tab.function_message.text()
    assert "f′(x) = 3*x**2 - 3" in tab.function_message.text()  # the formula, by the rules


def test_typing_without_enter_redraws_after_a_pause(tab, qtbot):
    tab.function_edit.clear()
    qtbot.keyClicks(tab.function_edit, "sin(x)")
    qtbot.waitUntil(lambda: tab.expression.source == "sin(x)", timeout=3000)
    np.testing.assert_allclose(curve_y(tab.curve_item), np.sin(GRID), rtol=1e-12)


@pytest.mark.parametrize("text,reason", [("x.real", "attribute"), ("9**9**9", "too large"), ("os", "unknown name"),
                                         ("x" * 250, "too long"), ("2*x +", "not a valid")])
def test_bad_text_shows_a_message_and_keeps_the_last_plot(tab, qtbot, text, reason):
    before = curve_y(tab.curve_item).copy()
    type_function(qtbot, tab, text)
    assert reason in tab.function_message.text()
    assert tab.expression.source == "2*x**2"
    np.testing.assert_array_equal(curve_y(tab.curve_item), before)
    assert tab.secant_slope == pytest.approx(8.0002, abs=1e-9)


def test_moving_the_delta_slider_moves_the_secant_and_updates_m_and_b(tab, qtbot):
    qtbot.waitUntil(lambda: drawn(tab.secant_item), timeout=2000)
    before = curve_y(tab.secant_item).copy()
    slider = tab.delta_slider.slider
    slider.setValue(slider.maximum())  # δ = 1
    assert tab.delta == pytest.approx(1.0)
    # 2x² between 2 and 3: (18 − 8) / 1 = 10, and b = 8 − 10·2 = −12
    assert tab.secant_slope == pytest.approx(10.0)
    assert tab.secant_intercept == pytest.approx(-12.0)
    assert tab.readout["m"].text() == "10"
    assert tab.readout["secant"].text() == "y = 10·x − 12"
    # the tangent keeps the exact slope 8: y = 8x − 8
    assert tab.readout["b"].text() == "-8" and tab.readout["line"].text() == "y = 8·x − 8"
    qtbot.waitUntil(lambda: not np.allclose(curve_y(tab.secant_item), before), timeout=2000)
    xs, ys = tab.secant_item.getData()
    np.testing.assert_allclose(ys, 10.0 * xs - 12.0)
    np.testing.assert_allclose(tab.points_item.getData()[0], [2.0, 3.0])
    # the tangent keeps the exact slope 8
    tx, ty = tab.tangent_item.getData()
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(8.0)


def test_keyboard_on_the_delta_slider_changes_the_error(tab, qtbot):
    tab.delta_slider.slider.setFocus()
    error_before = abs(tab.secant_slope - tab.exact_slope)
    for _ in range(40):
        qtbot.keyClick(tab.delta_slider.slider, Qt.Key.Key_Right)
    assert tab.delta > 1e-4
    assert abs(tab.secant_slope - tab.exact_slope) == pytest.approx(2 * tab.delta, rel=1e-6)
    assert abs(tab.secant_slope - tab.exact_slope) > error_before


def test_central_difference_of_a_quadratic_is_exact(tab, qtbot):
    tab.delta_slider.slider.setValue(tab.delta_slider.slider.maximum())
    qtbot.mouseClick(tab.central_radio, Qt.MouseButton.LeftButton)
    assert tab.method == "central"
    assert tab.secant_slope == pytest.approx(8.0)  # (f(3) − f(1)) / 2 = (18 − 2) / 2
    qtbot.waitUntil(lambda: drawn(tab.points_item) and np.allclose(tab.points_item.xData, [1.0, 3.0]), timeout=2000)


def test_x0_spin_box_and_slider_stay_in_step(tab, qtbot):
    tab.x0_spin.setValue(-1.0)
    assert tab.x0 == -1.0 and tab.x0_slider.value() == pytest.approx(-1.0)
    assert tab.exact_slope == -4.0
    tab.x0_slider.slider.setValue(tab.x0_slider.slider.minimum())
    assert tab.x0 == -4.0 and tab.x0_spin.value() == -4.0


def test_presets_all_have_an_exact_derivative_beside_the_numerical(tab, qtbot):
    for index in range(tab.preset_box.count() - 1):
        tab.preset_box.setCurrentIndex(index)
        text = tab.preset_box.currentData()
        assert tab.expression.source == text
        exact = parse_expression(text).derivative(tab.x0)
        assert tab.exact_slope == pytest.approx(exact)
        assert abs(tab.secant_slope - tab.exact_slope) < 1e-2


@pytest.fixture
def unthrottled_mouse():
    """pyqtgraph drops mouse moves closer than 1/100 s; a test moves faster than a hand."""
    previous = pg.getConfigOption("mouseRateLimit")
    pg.setConfigOption("mouseRateLimit", 0)
    yield
    pg.setConfigOption("mouseRateLimit", previous)


def test_dragging_the_point_moves_x0(tab, qtbot, unthrottled_mouse):
    qtbot.waitUntil(lambda: tab.point_handle.pos().x() == pytest.approx(2.0), timeout=2000)
    view = tab.main_plot
    box = view.getPlotItem().vb

    def widget_point(x, y):
        scene = box.mapViewToScene(QPointF(x, y))
        return view.mapFromScene(scene)

    def handle_under(point):
        return tab.point_handle in view.scene().items(view.mapToScene(point))

    # the handle's hit shape follows the view's final geometry once the layout has settled
    qtbot.waitUntil(lambda: handle_under(widget_point(2.0, 8.0)), timeout=3000)
    start = widget_point(2.0, 8.0)
    end = widget_point(-1.0, 8.0)
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    steps = 10
    for i in range(1, steps + 1):
        point = QPoint(start.x() + (end.x() - start.x()) * i // steps, start.y())
        QTest.mouseMove(view.viewport(), point)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert tab.x0 == pytest.approx(-1.0, abs=0.1)
    assert tab.x0_spin.value() == pytest.approx(tab.x0, abs=1e-4)
    qtbot.waitUntil(lambda: tab.point_handle.pos().y() == pytest.approx(2 * tab.x0**2), timeout=2000)


def test_the_dragged_point_stays_on_the_curve_wherever_the_mouse_goes(tab, qtbot, unthrottled_mouse):
    view = tab.main_plot
    box = view.getPlotItem().vb

    def widget_point(x, y):
        return view.mapFromScene(box.mapViewToScene(QPointF(x, y)))

    qtbot.waitUntil(lambda: tab.point_handle in view.scene().items(view.mapToScene(widget_point(2.0, 8.0))),
                    timeout=3000)
    path = [widget_point(2.0, 8.0), widget_point(1.0, 8.0), widget_point(1.0, 20.0), widget_point(1.0, 25.0)]
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, path[0])
    for point in path[1:]:   # sideways, then straight up: x₀ stops changing while the mouse moves on
        QTest.mouseMove(view.viewport(), point)
        assert tab.point_handle.pos().y() == pytest.approx(2 * tab.x0 ** 2)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, path[-1])
    assert tab.x0 == pytest.approx(1.0, abs=0.05)
    assert tab.point_handle.pos().y() == pytest.approx(2 * tab.x0 ** 2)   # on the curve, not at the mouse


def test_animate_delta_shrinks_it_and_can_be_stopped(tab, qtbot):
    qtbot.mouseClick(tab.animate_button, Qt.MouseButton.LeftButton)
    assert tab.is_animating()
    qtbot.waitUntil(lambda: tab.delta < 0.05, timeout=5000)
    qtbot.mouseClick(tab.animate_button, Qt.MouseButton.LeftButton)
    assert not tab.is_animating()
    assert tab.secant_slope == pytest.approx(8.0 + 2 * tab.delta)


def test_error_plot_marks_the_current_delta(tab, qtbot):
    tab.delta_slider.setValue(1e-2)
    qtbot.waitUntil(lambda: tab.delta_marker.value() == pytest.approx(-2.0), timeout=2000)
    assert tab.current_error_item.xData[0] == pytest.approx(1e-2)
    assert tab.current_error_item.yData[0] == pytest.approx(0.02, rel=1e-6)  # 2·δ
    forward = tab.forward_error_item.yData
    assert np.all(forward > 0)  # floored for the log axes


def test_cost_panel_runs_in_the_worker_and_both_gradients_agree(tab, qtbot):
    panel = tab.cost_panel
    panel.network_box.setCurrentIndex(panel.network_box.findData("small"))
    panel.batch_box.setValue(4)
    with qtbot.waitSignal(panel.reportReady, timeout=30000) as blocker:
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
        assert panel.is_running()  # the click returned while the work goes on elsewhere
        assert not panel.run_button.isEnabled() and panel.cancel_button.isEnabled()
    report = blocker.args[0]
    assert report["parameters"] == 1210
    assert report["numerical_forward_passes"] == 1211
    assert report["max_abs_difference"] < 1e-5
    assert report["speedup"] > 1
    assert "Speed-up" in panel.result_label.text()
    qtbot.waitUntil(lambda: not panel.is_running() and panel.run_button.isEnabled(), timeout=5000)


def test_cost_panel_cancels_promptly(tab, qtbot):
    panel = tab.cost_panel
    panel.network_box.setCurrentIndex(panel.network_box.findData("large"))
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    wait_for_progress(qtbot, panel, lambda: panel.last_progress is not None
                      and panel.last_progress.phase == "numerical" and panel.last_progress.done > 0)
    job = panel.jobs.current
    started = time.perf_counter()
    with qtbot.waitSignal(job.done, timeout=3000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 1.5
    assert not job.is_running()
    assert panel.last_report is None
    assert "Cancelled" in panel.status_label.text()
    qtbot.waitUntil(lambda: panel.run_button.isEnabled(), timeout=2000)
    assert 0 < panel.progress_bar.value() < panel.progress_bar.maximum()


def test_shutdown_stops_a_running_measurement(tab, qtbot):
    panel = tab.cost_panel
    panel.network_box.setCurrentIndex(panel.network_box.findData("large"))
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    wait_for_progress(qtbot, panel, lambda: panel.last_progress is not None)
    job = panel.jobs.current
    with qtbot.waitSignal(job.done, timeout=2000):
        tab.shutdown()
    assert not panel.is_running()


def test_clicking_the_plot_moves_x0_there(tab, qtbot):
    view = tab.main_plot
    box = view.getPlotItem().vb
    qtbot.waitUntil(lambda: view.viewport().width() > 300, timeout=3000)
    target = view.mapFromScene(box.mapViewToScene(QPointF(-2.5, 20.0)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=target)
    assert tab.x0 == pytest.approx(-2.5, abs=0.05)
    assert tab.exact_slope == pytest.approx(4 * tab.x0)


def test_the_numerical_loop_runs_off_the_ui_thread_and_the_ui_keeps_ticking(tab, qtbot, monkeypatch):
    import threading

    from PySide6.QtCore import QTimer

    import gui.tabs.derivatives.cost_panel as panel_module

    threads = set()
    real = panel_module.gradient_cost

    def recording(**kwargs):
        for record in real(**kwargs):
            threads.add(threading.get_ident())
            yield record

    monkeypatch.setattr(panel_module, "gradient_cost", recording)
    ticks = []
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    panel = tab.cost_panel
    panel.network_box.setCurrentIndex(panel.network_box.findData("large"))
    timer.start()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    # keep it running until the UI's own timer has ticked several times alongside the loop
    wait_for_progress(qtbot, panel, lambda: panel.last_progress is not None and panel.last_progress.done > 200
                      and len(ticks) > 5)
    with qtbot.waitSignal(panel.jobs.done, timeout=3000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert threads and threading.get_ident() not in threads
    assert len(ticks) > 5
    assert np.diff(ticks).max() < 1.0  # the UI thread was never blocked for long (20 ms timer)


def test_window_keys_run_the_animation_step_nudge_and_reset(tab, qtbot):
    tab.nudge(-1, 0)
    assert tab.x0 == pytest.approx(1.9) and tab.x0_spin.value() == pytest.approx(1.9)
    tab.nudge(0, 1)
    assert tab.delta == pytest.approx(1e-4 * 10**0.5)
    before = tab.delta
    tab.step_once()
    assert tab.delta == pytest.approx(before / 10**0.25)
    tab.toggle_run()
    assert tab.is_animating()
    tab.toggle_run()
    assert not tab.is_animating()
    tab.central_radio.setChecked(True)
    tab.reset()
    assert (tab.x0, tab.method, tab.expression.source) == (2.0, "forward", "2*x**2")
    assert tab.secant_slope == pytest.approx(8.0002, abs=1e-9)
    details = tab.report()
    assert details["derivative_formula"] == "4*x" and details["exact_slope"] == 8.0


def test_space_in_the_main_window_starts_the_animation(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, initial_tab="derivatives")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    tab = window.tab_widgets["derivatives"]
    window.tabs.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert tab.is_animating()
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert tab.x0 == pytest.approx(1.9)
    window.close()
    assert not tab.is_animating()


def test_settings_bring_back_the_point_step_method_and_function(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    first = MainWindow(settings=settings, initial_tab="derivatives")
    qtbot.addWidget(first)
    tab = first.tab_widgets["derivatives"]
    tab.preset_box.setCurrentIndex(tab.preset_box.findData("sin(x)"))
    tab.x0_spin.setValue(-1.5)
    tab.delta_slider.setValue(1e-2)
    tab.central_radio.setChecked(True)
    first.close()

    second = MainWindow(settings=settings, initial_tab="derivatives")
    qtbot.addWidget(second)
    again = second.tab_widgets["derivatives"]
    assert again.expression.source == "sin(x)"
    assert again.x0 == pytest.approx(-1.5, abs=0.01)
    assert again.delta == pytest.approx(1e-2, rel=0.05)
    assert again.method == "central"
    assert again.exact_slope == pytest.approx(np.cos(again.x0))
    second.close()


def test_a_typed_function_is_remembered_and_reset(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    path = str(tmp_path / "settings.ini")
    first = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="derivatives")
    qtbot.addWidget(first)
    tab = first.tab_widgets["derivatives"]
    tab.function_edit.clear()
    qtbot.keyClicks(tab.function_edit, "x^4 - 2*x")
    qtbot.keyClick(tab.function_edit, Qt.Key.Key_Return)
    assert tab.preset_box.currentText() == "typed"
    tab.x0_spin.setValue(1.0)
    first.close()

    second = MainWindow(settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="derivatives")
    qtbot.addWidget(second)
    again = second.tab_widgets["derivatives"]
    assert again.function_edit.text() == "x^4 - 2*x"
    assert again.preset_box.currentText() == "typed"
    assert again.exact_slope == pytest.approx(4 * 1.0 ** 3 - 2)
    assert again.function_message.text() and "Not plotted" not in again.function_message.text()

    second.reset_to_defaults()
    assert again.expression.source == again.preset_box.itemData(again.preset_box.currentIndex())
    assert again.preset_box.currentText() != "typed"
    second.close()


def test_controls_column_widens_with_a_larger_font(tab, qtbot):
    before = tab.controls_column.minimumWidth()
    font = tab.font()
    font.setPointSizeF(font.pointSizeF() * 1.8)
    tab.setFont(font)
    qtbot.waitUntil(lambda: tab.controls_column.minimumWidth() > before, timeout=2000)
    content = tab.controls_column.widget().minimumSizeHint().width()
    assert tab.controls_column.minimumWidth() >= content


def test_the_readout_names_a_step_at_the_resolution_of_floating_point(tab):
    """Issue 16: at x₀ = 4 the smallest δ, 1e-15, is barely above the spacing of doubles there."""
    assert tab.resolution_label.isHidden()
    tab.set_x0(4.0)
    tab.set_delta(1e-15)
    assert not tab.resolution_label.isHidden()
    assert "resolution of floating point" in tab.resolution_label.text()
    tab.set_delta(1e-4)
    assert tab.resolution_label.isHidden()


def test_cost_panel_refuses_a_measurement_of_hours_in_words(tab):
    """Issue 16: the large network on a batch of 1024 would take about 1.2e13 multiply-adds."""
    panel = tab.cost_panel
    panel.network_box.setCurrentIndex(panel.network_box.findData("large"))
    panel.batch_box.setValue(1024)
    panel.run_button.click()
    assert not panel.is_running() and panel.run_button.isEnabled()
    assert "Not started" in panel.status_label.text() and "hours of work" in panel.status_label.text()


def line_slope(item):
    xs, ys = item.getData()
    if xs is None or len(xs) < 2:      # not drawn yet: redraws are throttled
        return float("nan")
    return (ys[1] - ys[0]) / (xs[1] - xs[0])


def test_the_secant_is_drawn_with_the_measured_slope_and_the_tangent_with_the_exact_one(tab, qtbot):
    tab.set_delta(1e-12)  # round-off: the measured slope is visibly not 8
    assert abs(tab.secant_slope - 8.0) > 1e-5
    qtbot.waitUntil(lambda: line_slope(tab.secant_item) == pytest.approx(tab.secant_slope, rel=1e-9), timeout=2000)
    assert line_slope(tab.tangent_item) == pytest.approx(8.0, rel=1e-12)
    xs, ys = tab.tangent_item.getData()
    np.testing.assert_allclose(ys, 8.0 * xs - 8.0)  # y = f′(x₀)·x + b touches 2x² at (2, 8)
    assert tab.readout["line"].text() == "y = 8·x − 8"


def test_at_a_corner_the_readout_and_the_plots_say_there_is_no_tangent(tab, qtbot):
    tab.preset_box.setCurrentIndex(tab.preset_box.findData("abs(x)"))
    tab.set_x0(0.0)
    assert tab.readout["exact"].text() == "none" and tab.readout["line"].text() == "none"
    assert tab.readout["error"].text() == "–"
    assert tab.slope_note.isVisible() and "corner" in tab.slope_note.text()
    assert "-1 from the left and 1 from the right" in tab.slope_note.text()
    assert "where x = 0" in tab.function_message.text()
    # redraws are throttled: wait for the one that follows the move
    qtbot.waitUntil(lambda: "corner" in tab.main_plot.getPlotItem().titleLabel.text, timeout=2000)
    assert not drawn(tab.tangent_item)
    assert tab.point_handle.isVisible() and tab.point_handle.pos().y() == 0.0  # |0| = 0: a real point
    assert not drawn(tab.forward_error_item) and "no exact slope" in tab.error_plot.getPlotItem().titleLabel.text
    slopes = curve_y(tab.exact_slope_item)
    assert np.isnan(slopes[np.flatnonzero(GRID == 0.0)[0]])  # the f′ curve has a gap at the corner
    assert tab.report()["exact_slope"] is None
    tab.set_x0(1.0)  # away from the corner all is back
    assert tab.readout["exact"].text() == "1" and not tab.slope_note.isVisible()
    qtbot.waitUntil(lambda: drawn(tab.tangent_item) and drawn(tab.forward_error_item), timeout=2000)
    assert "corner" not in tab.main_plot.getPlotItem().titleLabel.text


def test_where_f_is_undefined_no_point_is_drawn_at_zero(tab, qtbot):
    type_function(qtbot, tab, "1/x")
    tab.set_x0(0.0)
    assert tab.readout["exact"].text() == "none" and "not defined at x = 0" in tab.slope_note.text()
    qtbot.waitUntil(lambda: not tab.point_handle.isVisible(), timeout=2000)
    assert tab.undefined_line.isVisible() and tab.undefined_line.value() == 0.0
    assert not drawn(tab.tangent_item) and not drawn(tab.secant_item)
    assert "not defined" in tab.main_plot.getPlotItem().titleLabel.text
    xs, ys = tab.points_item.getData()
    assert list(xs) == [1e-4] and np.isfinite(ys).all()  # only the point that exists
    tab.set_x0(0.5)
    qtbot.waitUntil(lambda: tab.point_handle.isVisible(), timeout=2000)
    assert not tab.undefined_line.isVisible()
    assert tab.point_handle.pos().y() == pytest.approx(2.0)
