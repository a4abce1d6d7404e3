"""The Gradient Descent tab driven through its real controls."""

import json
import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QTextDocument, QWheelEvent
from PySide6.QtWidgets import QApplication

from gui.tabs.gradient_descent.tab import MARK_SIZE, GradientDescentTab

TIMEOUT = 5000


@pytest.fixture
def tab(qtbot, open_tab):
    widget = open_tab(GradientDescentTab(seed=42))
    qtbot.waitUntil(lambda: len(widget.runs) == 3, timeout=TIMEOUT)
    return widget


def rerun(qtbot, tab, action):
    """Do something that should re-run the descent and wait for the new runs."""
    with qtbot.waitSignal(tab.runsUpdated, timeout=TIMEOUT):
        action()


def slider_position(value, minimum=1e-4, maximum=2.0, steps=1000):
    lo, hi = math.log10(minimum), math.log10(maximum)
    return round((math.log10(value) - lo) / (hi - lo) * steps)


def test_first_view_shows_the_three_lesson_rates(tab):
    assert tab.rates_panel.rates() == [0.01, 0.1, 0.5]
    slow, _, good = tab.runs
    assert good.w[-1] == pytest.approx(2, abs=0.1) and good.b[-1] == pytest.approx(1, abs=0.1)
    assert abs(slow.w[-1] - 2) > 0.5
    assert "0.789" in tab.rates_panel.slider.caption.text()
    assert tab.playback.frame == tab.last_frame() == 100
    assert "η = 0.5" in tab.summary.text()


def test_moving_the_slider_reruns_the_selected_rate(qtbot, tab):
    tab.rates_panel.rate_list.setCurrentRow(2)
    rerun(qtbot, tab, lambda: tab.rates_panel.slider.slider.slider.setValue(slider_position(0.9)))
    assert tab.rates_panel.rates()[2] == pytest.approx(0.9, rel=0.01)
    run = tab.runs[2]
    assert run.settings.learning_rate == pytest.approx(0.9, rel=0.01)
    assert run.diverged and 1 <= run.diverged_at <= 100
    assert f"diverged at epoch {run.diverged_at}" in tab.summary.text()
    assert tab.rates_panel.message.text() == ""  # no overflow warning turned into an error in the worker
    qtbot.waitUntil(lambda: len(tab.divergence_marks.getData()[0]) == 1, timeout=TIMEOUT)
    marked_epoch, marked_loss = (v[0] for v in tab.divergence_marks.getData())
    assert marked_epoch == pytest.approx(run.epoch[-1])
    assert marked_loss == pytest.approx(np.log10(run.loss[-1]))  # the axis is logarithmic
    tab.log_check.click()
    qtbot.waitUntil(lambda: tab.divergence_marks.getData()[1][0] == pytest.approx(run.loss[-1]), timeout=TIMEOUT)
    assert not tab.loss_plot.getPlotItem().getAxis("left").logMode
    # and back below the limit: the same run converges again
    rerun(qtbot, tab, lambda: tab.rates_panel.slider.slider.slider.setValue(slider_position(0.5)))
    assert not tab.runs[2].diverged


def shown_text_of(html: str) -> str:
    """What rich text displays, tags resolved."""
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


def shown_text(label) -> str:
    """What a rich-text label displays, tags resolved."""
    return shown_text_of(label.text())


def test_the_slider_and_the_summary_name_each_rates_regime(qtbot, tab):
    regime = tab.rates_panel.slider.regime_label
    assert "oscillating but converging" in regime.text()  # 0.5, the selected rate, is above 1/λmax = 0.394
    assert "1/λmax = <b>0.394</b>" in tab.rates_panel.slider.caption.text()
    summary = shown_text(tab.summary)   # brief on screen: the bounds are in the slider's caption
    assert summary.count("; smooth") == 2 and "; oscillating but converging" in summary  # 0.01 and 0.1; 0.5
    spoken = tab.summary.accessibleName()   # a reader, and the tooltip, get the whole outcome
    assert spoken.count("smooth (η ≤ 1/λmax)") == 2
    assert "oscillating but converging (1/λmax < η < 2/λmax)" in spoken  # said, not read as a tag
    assert "oscillating but converging (1/λmax < η < 2/λmax)" in shown_text_of(tab.summary.toolTip())
    tab.rates_panel.rate_list.setCurrentRow(1)
    assert "smooth" in regime.text() and "η = 0.1" in regime.text()
    rerun(qtbot, tab, lambda: tab.rates_panel.slider.slider.slider.setValue(slider_position(0.8)))
    assert "diverging" in regime.text()
    assert "rose at 3 updates in a row" in tab.summary.text() and tab.runs[1].diverged
    rerun(qtbot, tab, lambda: tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("momentum")))
    assert "judged from its loss alone" in regime.text()
    assert "converging, judged from its loss" in tab.summary.text()


def test_a_run_whose_loss_grew_is_never_called_converging(qtbot, tab):
    rerun(qtbot, tab, lambda: tab.epochs_spin.setValue(10))
    rerun(qtbot, tab, lambda: tab.batch_combo.setCurrentIndex(2))  # one sample at a time
    rerun(qtbot, tab, lambda: tab.set_start(*tab.problem.optimum()))  # from the bottom it can only go up
    assert not any(run.loss_fell for run in tab.runs)
    assert tab.summary.text().count("not converging") == 3
    assert "converging, judged" not in tab.summary.text()


def surface_size(tab):
    (w0, w1), (b0, b1) = tab.surface.plot.getPlotItem().getViewBox().viewRange()
    return w1 - w0, b1 - b0


def test_the_surface_keeps_to_the_runs_that_did_not_diverge(qtbot, tab):
    first = surface_size(tab)
    tab.rates_panel.rate_list.setCurrentRow(2)
    # at 0.8 the zigzag grows with every update; stopped as diverging, it must not stretch the frame
    rerun(qtbot, tab, lambda: tab.rates_panel.slider.slider.slider.setValue(slider_position(0.8)))
    assert tab.runs[2].diverged
    assert surface_size(tab) == pytest.approx(first, rel=0.3)
    # a start far away widens the frame; a new random start brings it back to the new runs
    rerun(qtbot, tab, lambda: tab.set_start(40.0, -40.0))
    assert surface_size(tab)[0] > 10 * first[0]
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.random_start_button, Qt.MouseButton.LeftButton))
    assert surface_size(tab)[0] < 3 * first[0]
    # and so does a start chosen back near the valley
    rerun(qtbot, tab, lambda: tab.set_start(40.0, -40.0))
    rerun(qtbot, tab, lambda: tab.set_start(1.0, 0.5))
    assert surface_size(tab)[0] < 3 * first[0]


def test_reset_frames_the_surface_around_the_runs_again(qtbot, tab):
    framed = surface_size(tab)
    tab.surface.plot.getPlotItem().getViewBox().setRange(xRange=(-50, 50), yRange=(-50, 50), padding=0)
    tab.reset()
    assert surface_size(tab) == pytest.approx(framed, rel=0.05)


def test_selecting_a_rate_moves_the_slider_without_rerunning(qtbot, tab):
    runs_before = tab.runs
    with qtbot.assertNotEmitted(tab.runsUpdated, wait=200):  # a (wrong) re-run would land by then
        tab.rates_panel.rate_list.setCurrentRow(0)
    assert tab.rates_panel.slider.value() == pytest.approx(0.01)
    assert tab.runs is runs_before


def test_click_on_the_surface_sets_the_start(qtbot, tab):
    plot = tab.surface.plot
    vb = plot.getPlotItem().getViewBox()
    (w0, w1), (b0, b1) = vb.viewRange()
    target = QPointF(w0 + 0.3 * (w1 - w0), b0 + 0.7 * (b1 - b0))
    pixel = plot.mapFromScene(vb.mapViewToScene(target))
    rerun(qtbot, tab, lambda: qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pixel))
    tolerance = 0.02 * max(w1 - w0, b1 - b0)
    assert tab.start[0] == pytest.approx(target.x(), abs=tolerance)
    assert tab.start[1] == pytest.approx(target.y(), abs=tolerance)
    for run in tab.runs:
        assert (run.w[0], run.b[0]) == tab.start


def test_step_advances_one_update(qtbot, tab):
    qtbot.mouseClick(tab.playback.rewind_button, Qt.MouseButton.LeftButton)
    assert tab.playback.frame == 0
    with qtbot.waitSignal(tab.playback.frameChanged, timeout=TIMEOUT) as blocker:
        qtbot.mouseClick(tab.playback.step_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1] and tab.playback.frame == 1

    def heads_at_first_update():
        for i, run in enumerate(tab.runs):
            w, b = tab.surface.heads[i].getData()
            if len(w) != 1 or not np.isclose(w[0], run.w[1]) or not np.isclose(b[0], run.b[1]):
                return False
        return True

    qtbot.waitUntil(heads_at_first_update, timeout=TIMEOUT)
    x, _ = tab.loss_curves[0].getData()
    assert len(x) == 2  # the start and one update


def test_play_animates_then_pauses(qtbot, tab):
    tab.playback.speed.setValue(500)
    qtbot.mouseClick(tab.playback.rewind_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.playback.play_button, Qt.MouseButton.LeftButton)
    assert tab.playback.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: tab.playback.frame > 10, timeout=TIMEOUT)
    with qtbot.assertNotEmitted(tab.playback.frameChanged, wait=150):  # a paused playback stays put
        qtbot.mouseClick(tab.playback.play_button, Qt.MouseButton.LeftButton)
    assert tab.playback.play_button.text() == "Play" and not tab.playback.is_playing()


def test_x_range_moves_the_stability_limit(qtbot, tab):
    rerun(qtbot, tab, lambda: tab.range_combo.setCurrentIndex(1))
    assert "limit 2/λmax = <b>1</b>" in tab.rates_panel.slider.caption.text()
    rerun(qtbot, tab, lambda: tab.range_combo.setCurrentIndex(2))
    assert "0.0292" in tab.rates_panel.slider.caption.text()
    assert tab.runs[2].diverged  # 0.5 is far above the limit on [0, 10]
    assert "stability limit" in tab.runs[2].message


def test_add_and_remove_rates_and_refuse_bad_text(qtbot, tab):
    qtbot.keyClicks(tab.rates_panel.rate_edit, "abc")
    qtbot.mouseClick(tab.rates_panel.add_button, Qt.MouseButton.LeftButton)
    assert "not a number" in tab.rates_panel.message.text()
    assert tab.rates_panel.rates() == [0.01, 0.1, 0.5]
    tab.rates_panel.rate_edit.clear()
    qtbot.keyClicks(tab.rates_panel.rate_edit, "-1")
    qtbot.mouseClick(tab.rates_panel.add_button, Qt.MouseButton.LeftButton)
    assert "positive" in tab.rates_panel.message.text()
    tab.rates_panel.rate_edit.clear()
    qtbot.keyClicks(tab.rates_panel.rate_edit, "0.3")
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.rates_panel.add_button, Qt.MouseButton.LeftButton))
    assert tab.rates_panel.rates() == [0.01, 0.1, 0.5, 0.3] and len(tab.runs) == 4
    assert tab.rates_panel.message.text() == ""
    tab.rates_panel.rate_list.setCurrentRow(0)
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.rates_panel.remove_button, Qt.MouseButton.LeftButton))
    assert tab.rates_panel.rates() == [0.1, 0.5, 0.3] and len(tab.runs) == 3
    assert len(tab.surface.paths) == 3 and len(tab.loss_curves) == 3


def test_batch_and_optimizer_choices_change_the_runs(qtbot, tab):
    rerun(qtbot, tab, lambda: tab.epochs_spin.setValue(3))
    rerun(qtbot, tab, lambda: tab.batch_combo.setCurrentIndex(2))  # one sample at a time
    assert all(run.w.size - 1 == 300 for run in tab.runs)
    rerun(qtbot, tab, lambda: tab.optimizer_combo.setCurrentIndex(2))  # Adam
    assert all(run.settings.optimizer == "adam" for run in tab.runs)


def test_new_random_start_is_seeded_and_moves_every_run(qtbot, tab):
    old = tab.start
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.random_start_button, Qt.MouseButton.LeftButton))
    assert tab.start != old
    assert all((run.w[0], run.b[0]) == tab.start for run in tab.runs)


def test_one_parameter_lesson_follows_the_slope(qtbot, tab):
    lesson = tab.one_parameter
    lesson.start_box.setValue(1.0)
    assert "increase w" in lesson.readout.text()
    qtbot.mouseClick(lesson.step_button, Qt.MouseButton.LeftButton)
    assert 1.0 < lesson.w <= 2.0
    lesson.start_box.setValue(3.0)
    assert "decrease w" in lesson.readout.text()
    qtbot.mouseClick(lesson.step_button, Qt.MouseButton.LeftButton)
    assert 2.0 <= lesson.w < 3.0
    x, _ = lesson.path.getData()
    assert len(x) == 2


def test_shutdown_stops_a_long_computation(qtbot, tab):
    tab.epochs_spin.setValue(1000)
    tab.batch_combo.setCurrentIndex(2)  # 3 × 100,000 updates
    qtbot.waitUntil(lambda: tab.jobs.busy(), timeout=TIMEOUT)
    job = tab.jobs.current
    with qtbot.waitSignal(job.done, timeout=2000):
        tab.shutdown()
    assert not tab.jobs.busy()


def test_window_hooks_step_reset_toggle_and_nudge(qtbot, tab):
    tab.reset()
    assert tab.playback.frame == 0
    tab.step_once()
    assert tab.playback.frame == 1
    tab.toggle_run()
    assert tab.playback.is_playing()
    tab.toggle_run()
    assert not tab.playback.is_playing()
    w, b = tab.start
    rerun(qtbot, tab, lambda: tab.nudge(1, 0))
    assert tab.start[0] > w and tab.start[1] == b
    assert all(run.w[0] == tab.start[0] for run in tab.runs)


def test_report_carries_the_numbers_behind_the_picture(tab):
    report = tab.report()
    assert report["stability_limit"] == pytest.approx(0.789, abs=0.01)
    assert [run["lr"] for run in report["runs"]] == [0.01, 0.1, 0.5]
    assert report["runs"][2]["w"] == pytest.approx(tab.runs[2].w[-1])
    assert report["start"] == {"w": tab.start[0], "b": tab.start[1]}
    json.dumps(report)  # the run report writes it as JSON


def test_main_window_shortcuts_reach_the_tab(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(seed=0, settings=settings, initial_tab="gradient-descent")
    qtbot.addWidget(window)
    tab = window.tab_widgets["gradient-descent"]
    qtbot.waitUntil(lambda: len(tab.runs) == 3, timeout=TIMEOUT)
    assert window.run_actions["step_once"].isEnabled() and window.run_actions["reset"].isEnabled()
    window.run_actions["reset"].trigger()
    window.run_actions["step_once"].trigger()
    assert tab.playback.frame == 1
    window.close()  # shuts the tab down


def test_the_list_of_rates_is_remembered_and_reset(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from gui.main_window import MainWindow

    path = str(tmp_path / "settings.ini")
    first = MainWindow(seed=0, settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="gradient-descent")
    qtbot.addWidget(first)
    tab = first.tab_widgets["gradient-descent"]
    qtbot.waitUntil(lambda: len(tab.runs) == 3, timeout=TIMEOUT)
    qtbot.keyClicks(tab.rates_panel.rate_edit, "0.3")
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.rates_panel.add_button, Qt.MouseButton.LeftButton))
    tab.rates_panel.rate_list.setCurrentRow(0)
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.rates_panel.remove_button, Qt.MouseButton.LeftButton))
    tab.rates_panel.rate_list.setCurrentRow(1)  # η = 0.5: the slider edits this one
    first.close()

    second = MainWindow(seed=0, settings=QSettings(path, QSettings.Format.IniFormat), initial_tab="gradient-descent")
    qtbot.addWidget(second)
    again = second.tab_widgets["gradient-descent"]
    qtbot.waitUntil(lambda: [r.settings.learning_rate for r in again.runs] == [0.1, 0.5, 0.3], timeout=TIMEOUT)
    assert again.rates_panel.rates() == [0.1, 0.5, 0.3]
    assert again.rates_panel.selected_row() == 1
    assert again.rates_panel.slider.value() == pytest.approx(0.5, rel=0.01)
    assert [item.text() for item in again.rates_panel.rate_list.findItems("η", Qt.MatchFlag.MatchContains)] == [
        "η = 0.1", "η = 0.5", "η = 0.3"]

    second.reset_to_defaults()
    qtbot.waitUntil(lambda: len(again.runs) == 3 and again.runs[0].settings.learning_rate == 0.01, timeout=TIMEOUT)
    assert again.rates_panel.rates() == [0.01, 0.1, 0.5]
    second.close()


def test_remembered_rates_that_make_no_sense_are_ignored(tab):
    assert not tab.rates_panel.set_rates(["abc", -1, float("nan"), 1e9])
    assert tab.rates_panel.rates() == [0.01, 0.1, 0.5]
    assert tab.rates_panel.set_rates([0.2, "x", 0.4], selected=7)
    assert tab.rates_panel.rates() == [0.2, 0.4] and tab.rates_panel.selected_row() == 1


def test_controls_column_widens_with_a_larger_font_so_nothing_is_cut(qtbot, tab):
    font = tab.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)  # what projector mode does
    tab.setFont(font)
    scroll = tab.controls_column

    def fits():
        return scroll.viewport().width() >= scroll.widget().minimumSizeHint().width()

    qtbot.waitUntil(fits, timeout=2000)
    assert tab.rates_panel.remove_button.visibleRegion().boundingRect().width() == tab.rates_panel.remove_button.width()


def test_optimizer_choice_offers_the_registry_and_reports_canonical_names(qtbot, tab):
    from engine.optimizers import OPTIMIZERS

    combo = tab.optimizer_combo
    assert [combo.itemData(i) for i in range(combo.count())] == list(OPTIMIZERS)
    assert [combo.itemText(i) for i in range(combo.count())] == [kind.title for kind in OPTIMIZERS.values()]
    assert tab.report()["optimizer"] == "sgd"  # plain descent by default, no longer "gd"
    assert all(run.settings.optimizer == "sgd" for run in tab.runs)


@pytest.mark.parametrize("remembered, name", [("Gradient descent", "sgd"), ("Momentum (μ = 0.9)", "momentum")])
def test_a_remembered_optimizer_from_an_earlier_version_is_restored(qtbot, tab, tmp_path, remembered, name):
    from PySide6.QtCore import QSettings

    from gui.control_state import ControlState

    settings = QSettings(str(tmp_path / "old.ini"), QSettings.Format.IniFormat)
    settings.setValue("gradient-descent/Optimizer", remembered)  # what earlier versions wrote
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("adam"))
    ControlState(tab, "gradient-descent").restore(settings)
    assert tab.optimizer_combo.currentData() == name


def surface_width(tab):
    return tab.surface.rect.width()


def test_a_far_start_widens_the_surface_and_a_new_random_start_fits_it_again(qtbot, tab):
    rerun(qtbot, tab, lambda: tab.set_start(60.0, -40.0))
    assert surface_width(tab) > 60   # the runs from far away are all in view
    rerun(qtbot, tab, tab.random_start_button.click)
    near = [abs(v) for v in tab.start] + [abs(v) for run in tab.runs for v in (run.w[-1], run.b[-1])]
    assert surface_width(tab) < 4 * max(near + [2.0])   # fitted to the new runs, not a speck in ±60


def test_reset_fits_the_surface_to_the_runs_after_a_zoom_out(qtbot, tab, show):
    fitted = surface_width(tab)
    tab.show_surface(QRectF(-500, -500, 1000, 1000))   # what zooming far out with the wheel leaves
    assert surface_width(tab) > 900
    tab.reset()
    assert surface_width(tab) == pytest.approx(fitted, rel=0.01) and tab.playback.frame == 0


def test_the_mouse_wheel_zooms_the_surface_and_the_heat_map_fills_the_new_view(qtbot, tab):
    view = tab.surface.plot
    before = tab.surface.view_rect()
    centre = view.viewport().rect().center()
    event = QWheelEvent(QPointF(centre), QPointF(view.viewport().mapToGlobal(centre)), QPoint(0, 0), QPoint(0, 480),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)
    zoomed = tab.surface.view_rect()
    assert zoomed.width() < 0.8 * before.width()                 # zoomed in
    qtbot.waitUntil(lambda: tab.surface.rect.contains(tab.surface.view_rect().adjusted(1e-6, 1e-6, -1e-6, -1e-6))
                    and tab.surface.rect.width() < 1.1 * zoomed.width(), timeout=TIMEOUT)   # surface recomputed


def test_the_run_summary_follows_the_playback_position(qtbot, tab):
    tab.reset()
    start = f"w = {tab.start[0]:.3f}, b = {tab.start[1]:.3f}"
    qtbot.waitUntil(lambda: tab.summary.text().count(start) == 3, timeout=TIMEOUT)   # every run at the start
    tab.step_once()
    good = tab.runs[2]
    qtbot.waitUntil(lambda: f"w = {good.w[1]:.3f}" in tab.summary.text(), timeout=TIMEOUT)
    tab.playback.go_to(tab.last_frame())
    qtbot.waitUntil(lambda: f"w = {good.w[-1]:.3f}, b = {good.b[-1]:.3f}" in tab.summary.text(), timeout=TIMEOUT)


def test_the_divergence_mark_is_drawn_whole_inside_the_loss_plot(qtbot, tab):
    tab.resize(1000, 560)   # a small screen: a few pixels of padding are not enough for a 16-pixel ✕
    tab.rates_panel.rate_list.setCurrentRow(2)
    rerun(qtbot, tab, lambda: tab.rates_panel.slider.setValue(1.5))   # diverges at once: the mark at the top
    box = tab.loss_plot.getPlotItem().vb
    qtbot.waitUntil(lambda: box.height() < 220, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: len(tab.divergence_marks.getData()[0]) == 1, timeout=TIMEOUT)
    x, y = (values[0] for values in tab.divergence_marks.getData())
    centre = box.mapViewToScene(QPointF(x, y))
    half = MARK_SIZE / 2 + 1.5   # the ✕ and half its pen
    mark = QRectF(centre.x() - half, centre.y() - half, 2 * half, 2 * half)
    assert box.sceneBoundingRect().contains(mark)


def test_the_learning_rate_box_steps_by_about_a_percent_near_the_limit(qtbot, tab):
    tab.rates_panel.rate_list.setCurrentRow(2)
    fine = tab.rates_panel.slider.fine
    rerun(qtbot, tab, lambda: fine.setValue(0.69))
    rerun(qtbot, tab, fine.stepUp)
    assert fine.value() == pytest.approx(0.70)
    assert tab.runs[2].settings.learning_rate == pytest.approx(0.70)
    for _ in range(8):
        rerun(qtbot, tab, fine.stepUp)
    assert tab.rates_panel.rates()[2] == pytest.approx(0.78)
    below = tab.runs[2].final_loss                       # 0.78, just under the limit 0.789: settles
    rerun(qtbot, tab, fine.stepUp)
    assert tab.runs[2].settings.learning_rate == pytest.approx(0.79)
    assert tab.runs[2].final_loss > 10 * below           # 0.79, just over it: the swings grow instead


def show_trial(qtbot, tab, rule="fixed"):
    tab.trial_controls.rule_combo.setCurrentIndex(tab.trial_controls.rule_combo.findData(rule))
    if not tab.trial_controls.show_check.isChecked():
        rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.trial_controls.show_check, Qt.MouseButton.LeftButton))
    qtbot.waitUntil(lambda: tab.trial.run is not None and tab.trial.run.rule == rule, timeout=TIMEOUT)
    return tab.trial.run


def test_trial_and_error_beside_descent_draws_its_staircase_and_curves(qtbot, tab):
    run = show_trial(qtbot, tab)
    assert (run.w[0], run.b[0]) == tab.start and run.reason == "stuck"
    qtbot.waitUntil(lambda: len(tab.surface.trial_path.getData()[0]) == run.updates + 1, timeout=TIMEOUT)
    w, b = tab.surface.trial_path.getData()
    assert np.all((np.diff(w) == 0) != (np.diff(b) == 0))  # every step along one axis: a staircase
    tries, losses = tab.trial.loss_curve.xData, tab.trial.loss_curve.yData  # as given, not log10
    assert tries[-1] == run.total_tries and losses[-1] == pytest.approx(run.final_loss)
    assert tab.lower_pages.currentWidget() is tab.steps_plot
    trial_steps = tab.steps_plot.trial_curve.yData
    np.testing.assert_allclose(trial_steps, 0.1)               # trial steps do not shrink...
    gradient_steps = tab.steps_plot.gradient_curves[2].yData
    assert gradient_steps[-1] < 0.01 * gradient_steps[0]        # ...gradient steps do
    assert tab.loss_plot.getPlotItem().getAxis("bottom").labelText == "loss evaluations"
    assert "trial and error, step 0.1" in tab.summary.text() and "stuck" in tab.summary.text()
    details = json.loads(json.dumps(tab.report()))
    assert details["trial_and_error"]["updates"] == run.updates
    assert details["trial_and_error"]["loss_evaluations"] == run.total_tries + 1


def test_trial_and_error_plays_back_by_passes_over_the_data(qtbot, tab):
    run = show_trial(qtbot, tab, rule="halve")
    assert run.total_tries == 100 and np.ptp(run.step_sizes[1:]) > 0  # it halved its step
    qtbot.mouseClick(tab.playback.rewind_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(tab.surface.trial_path.getData()[0]) == 1, timeout=TIMEOUT)
    for _ in range(12):
        qtbot.mouseClick(tab.playback.step_button, Qt.MouseButton.LeftButton)
    expected = run.index_at(12) + 1  # full batch: 12 updates = 12 passes = 12 loss evaluations
    qtbot.waitUntil(lambda: len(tab.surface.trial_path.getData()[0]) == expected, timeout=TIMEOUT)
    tab.playback.speed.setValue(500)
    qtbot.mouseClick(tab.playback.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.playback.is_playing(), timeout=TIMEOUT)
    assert tab.playback.frame == tab.last_frame() == 100
    qtbot.waitUntil(lambda: len(tab.surface.trial_path.getData()[0]) == run.updates + 1, timeout=TIMEOUT)
    # with mini-batches of 10 points an epoch is 10 updates; trial and error keeps to passes
    rerun(qtbot, tab, lambda: tab.batch_combo.setCurrentIndex(tab.batch_combo.findData("mini")))
    assert tab.last_frame() == 1000
    tab.playback.go_to(120)
    qtbot.waitUntil(lambda: len(tab.surface.trial_path.getData()[0]) == tab.trial.run.index_at(12) + 1,
                    timeout=TIMEOUT)


def test_unticking_trial_and_error_removes_it(qtbot, tab):
    show_trial(qtbot, tab)
    rerun(qtbot, tab, lambda: qtbot.mouseClick(tab.trial_controls.show_check, Qt.MouseButton.LeftButton))
    assert tab.trial.run is None and not tab.trial_controls.step_spin.isEnabled()
    assert len(tab.surface.trial_path.getData()[0] if tab.surface.trial_path.getData()[0] is not None else []) == 0
    assert "trial and error" not in tab.summary.text() and tab.report()["trial_and_error"] is None
    assert tab.loss_plot.getPlotItem().getAxis("bottom").labelText == "epoch"


def test_the_lessons_trial_and_error_figures_hold_on_screen(qtbot, open_tab):
    """gradient-descent.md, 'Try this with trial and error', with the window's default seed."""
    tab = open_tab(GradientDescentTab(seed=0))
    qtbot.waitUntil(lambda: len(tab.runs) == 3, timeout=TIMEOUT)
    run = show_trial(qtbot, tab)
    assert run.total_tries + 1 == 46 and run.final_loss == pytest.approx(0.0113, abs=5e-5)
    assert run.reason == "stuck" and run.tries_per_parameter_per_sweep() == pytest.approx(1.07, abs=0.005)
    assert tab.runs[2].final_loss == pytest.approx(0.0092, abs=5e-5)
    steps = tab.steps_plot.gradient_curves[2].yData
    assert steps[0] == pytest.approx(3.4, abs=0.05) and steps[-1] == pytest.approx(0.00005, rel=0.1)
    halved = show_trial(qtbot, tab, rule="halve")
    assert halved.final_loss == pytest.approx(0.0093, abs=5e-5)
