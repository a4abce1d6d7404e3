"""The Random Search tab driven like a user would: buttons, spin boxes, combo boxes."""

import json
import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox,
                               QProgressBar, QTabBar)

from engine.datasets import vertical_data
from engine.search import METHODS, run_search
from engine.search_model import to_network
from gui.tabs.random_search.tab import RandomSearchTab
from gui.tabs.random_search.decision_regions import region_image
from gui.tabs.random_search.step_cost_view import StepCostView

RUN_TIMEOUT = 60_000


@pytest.fixture
def tab(open_tab):
    return open_tab(RandomSearchTab(seed=0), 1300, 800)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_to_end(qtbot, tab):
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        click(qtbot, tab.start_button)
    why_views_drawn(qtbot, tab)   # the views of the final weights


def curve_points(curve) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def test_start_runs_every_method_to_the_budget(qtbot, tab):
    tab.iterations_spin.setValue(300)
    with qtbot.waitSignal(tab.stateChanged, timeout=5000) as running:
        click(qtbot, tab.start_button)
    assert running.args == ["running"]
    assert not tab.settings.isEnabled() and not tab.start_button.isEnabled()  # locked while running
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        pass
    assert tab.state == "idle" and tab.settings.isEnabled()
    for method in METHODS:
        assert tab.traces[method].latest.iteration == 300
        assert curve_points(tab.loss_curves[method]) > 1
        assert curve_points(tab.accuracy_curves[method]) > 1
    assert all(curve_points(curve) > 1 for curve in tab.acceptance_curves.values())
    assert tab.progress_bar.value() == tab.progress_bar.maximum()
    assert "iterations/s" in tab.speed_label.text()
    assert "tweak" in tab.summary_label.text()


def test_pause_resume_and_stop(qtbot, tab):
    tab.iterations_spin.setValue(1_000_000)  # far more than the test will let it do
    click(qtbot, tab.start_button)
    qtbot.waitUntil(lambda: tab.traces["tweak"].latest is not None, timeout=RUN_TIMEOUT)

    arrivals = []
    tab.jobs.progress.connect(lambda _: arrivals.append(time.monotonic()))
    click(qtbot, tab.pause_button)
    paused_clicked = time.monotonic()
    assert tab.state == "paused" and tab.pause_button.text() == "Resume"
    assert tab.jobs.is_paused()
    # Updates already on their way may still arrive (one queued before the click, and the one the
    # worker was computing): wait for 300 ms without any, which a run that ignored Pause never gives.
    qtbot.waitUntil(lambda: time.monotonic() - max([paused_clicked] + arrivals) > 0.3, timeout=5000)
    with qtbot.assertNotEmitted(tab.jobs.progress, wait=500):
        pass
    paused_at = tab.traces["tweak"].latest.iteration

    with qtbot.waitSignal(tab.jobs.progress, timeout=RUN_TIMEOUT):
        click(qtbot, tab.pause_button)
    assert tab.state == "running" and tab.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: tab.traces["tweak"].latest.iteration > paused_at, timeout=RUN_TIMEOUT)

    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        click(qtbot, tab.stop_button)
    assert tab.state == "idle" and tab.status_label.text() == "Stopped."
    assert tab.traces["tweak"].latest.iteration < 1_000_000
    assert not tab.jobs.busy()


def test_reset_clears_the_curves(qtbot, tab):
    tab.iterations_spin.setValue(200)
    run_to_end(qtbot, tab)
    details = json.loads(json.dumps(tab.report()))  # what the window's run report stores
    assert details["model"] == [2, 3, 3] and details["parameters"] == 21
    assert set(details["results"]) == set(METHODS)
    assert details["results"]["tweak"]["iterations"] == 200
    assert curve_points(tab.loss_curves["random"]) > 0
    click(qtbot, tab.reset_button)
    assert tab.state == "idle"
    assert all(curve_points(tab.loss_curves[m]) == 0 for m in METHODS)
    assert all(tab.traces[m].latest is None for m in METHODS)
    assert tab.progress_bar.value() == 0


def test_reset_while_running_stops_the_worker(qtbot, tab):
    tab.iterations_spin.setValue(1_000_000)
    click(qtbot, tab.start_button)
    qtbot.waitUntil(lambda: tab.traces["random"].latest is not None, timeout=RUN_TIMEOUT)
    job = tab.jobs.current
    with qtbot.assertNotEmitted(tab.jobs.progress, wait=200):  # nothing of the old run arrives
        click(qtbot, tab.reset_button)
        assert tab.state == "idle" and tab.start_button.isEnabled()
        assert all(tab.traces[m].latest is None for m in METHODS)
    qtbot.waitUntil(lambda: not job.is_running(), timeout=2000)


def test_decision_regions_agree_with_the_model(qtbot, tab):
    tab.dataset_combo.setCurrentIndex(tab.dataset_combo.findData("vertical"))
    tab.iterations_spin.setValue(1500)
    for method in ("random", "gradient"):
        tab.method_checks[method].setChecked(False)
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("tweak"))
    run_to_end(qtbot, tab)

    weights = tab.traces["tweak"].latest.weights
    net = to_network(tab.model, weights)
    regions = tab.regions
    assert regions.classes is not None
    image = regions.image.image
    assert image.shape[:2] == regions.classes.shape
    rng = np.random.default_rng(0)
    predicted = set()
    for _ in range(25):
        i, j = rng.integers(0, len(regions.ys)), rng.integers(0, len(regions.xs))
        point = np.array([[regions.xs[j], regions.ys[i]]])
        proba = net.predict_proba(point)[0]
        expected_class = int(np.argmax(proba))
        predicted.add(expected_class)
        assert regions.class_at(point[0, 0], point[0, 1]) == expected_class
        expected_rgba = region_image(np.array([[expected_class]]), np.array([[proba.max()]]), 3)[0, 0]
        assert np.abs(image[i, j].astype(int) - expected_rgba.astype(int)).max() <= 1
    assert len(predicted) >= 2  # a trained model on vertical data predicts more than one class


def test_switching_data_set_while_idle_redraws(qtbot, tab):
    before = tab.regions._scatters[0].getData()[0].copy()
    tab.dataset_combo.setCurrentIndex(tab.dataset_combo.findData("vertical"))
    assert tab.noise_spin.value() == pytest.approx(0.1)  # the data set's own default spread
    X, y = vertical_data(100, 3, noise=0.1, seed=0)
    after_x, after_y = tab.regions._scatters[0].getData()
    assert not np.array_equal(before, after_x)
    np.testing.assert_allclose(after_x, X[y == 0, 0])
    np.testing.assert_allclose(after_y, X[y == 0, 1])

    tab.classes_spin.setValue(4)
    assert tab.model.classes == 4 and tab.regions.classes.max() < 4
    assert len(tab.regions._scatters[3].getData()[0]) == 100
    assert "400 points" in tab.status_label.text()


def why_views_drawn(qtbot, tab):
    """The 'why guessing fails' views are computed in a worker: wait until the newest is drawn."""
    qtbot.waitUntil(lambda: not tab.why_jobs.busy(), timeout=10000)


def test_changing_hidden_units_resizes_the_gradient_bars(qtbot, tab):
    why_views_drawn(qtbot, tab)
    assert len(tab.bars_plot.heights) == 21
    tab.hidden_spin.setValue(5)
    why_views_drawn(qtbot, tab)
    assert len(tab.bars_plot.heights) == 2 * 5 + 5 + 5 * 3 + 3


def test_the_why_views_of_a_wide_model_never_hold_up_the_window(qtbot, tab):
    """128 hidden units on 6,000 points: a third of a second of work, done beside the window."""
    tab.classes_spin.setValue(6)
    tab.samples_spin.setValue(1000)
    why_views_drawn(qtbot, tab)
    tab.hidden_spin.setValue(128)
    assert tab.why_jobs.busy()                             # handed to a worker, not computed here:
    assert len(tab.bars_plot.heights) == 2 * 3 + 3 + 3 * 6 + 6     # the bars still show the old model
    why_views_drawn(qtbot, tab)
    assert len(tab.bars_plot.heights) == 2 * 128 + 128 + 128 * 6 + 6
    assert "each of the 1158 weights" in tab.bars_plot.accessibleDescription()


def test_choosing_whose_weights_to_show_redraws(qtbot, tab):
    tab.iterations_spin.setValue(300)
    tab.dataset_combo.setCurrentIndex(tab.dataset_combo.findData("vertical"))
    run_to_end(qtbot, tab)
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("random"))
    random_classes = tab.regions.classes.copy()
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("gradient"))
    assert "(gradient)" in tab.regions.getPlotItem().titleLabel.text
    assert not np.array_equal(random_classes, tab.regions.classes) or \
        not np.array_equal(tab.traces["random"].latest.weights, tab.traces["gradient"].latest.weights)


def test_loss_slice_legend_gives_each_lines_starting_slope(qtbot, tab):
    from engine.search import loss_gradient

    def slopes_shown():
        import re
        text = tab.slope_label.text().replace("−", "-")
        return [float(re.search(r"random direction (\S+?)[,.]\s", text + " ").group(1)),
                float(re.search(r"gradient (\S+?),", text).group(1))]

    why_views_drawn(qtbot, tab)
    _, grad = loss_gradient(tab.model, tab.current_weights(), tab.X, tab.y)
    random_slope, gradient_slope = slopes_shown()
    assert gradient_slope == pytest.approx(-np.linalg.norm(grad), rel=0.05)  # shown to 2 digits
    assert abs(random_slope) < abs(gradient_slope)
    tab.iterations_spin.setValue(300)
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("gradient"))
    run_to_end(qtbot, tab)  # other weights, other slopes
    _, grad = loss_gradient(tab.model, tab.current_weights(), tab.X, tab.y)
    assert slopes_shown()[1] == pytest.approx(-np.linalg.norm(grad), rel=0.05)  # shown to 2 digits


def test_curves_are_plotted_against_work_by_default(qtbot, tab):
    tab.iterations_spin.setValue(200)
    run_to_end(qtbot, tab)
    assert "multiply-adds" in tab.loss_plot.getPlotItem().getAxis("bottom").labelText
    tweak_x, _ = tab.loss_curves["tweak"].getData()
    gradient_x, _ = tab.loss_curves["gradient"].getData()
    forward = 4_500 / 1e6  # one forward pass of 2→3→3 over 300 points, in millions
    assert tweak_x[-1] == pytest.approx(201 * forward)
    # 200 gradient steps did three times the work of 200 guesses: their curve runs three times as far
    assert gradient_x[-1] == pytest.approx((3 * 200 + 1) * forward)


def test_x_axis_switches_to_loss_evaluations_and_iterations(qtbot, tab):
    tab.iterations_spin.setValue(200)
    run_to_end(qtbot, tab)
    tab.x_axis_combo.setCurrentIndex(tab.x_axis_combo.findData("loss_evaluations"))
    x, _ = tab.loss_curves["gradient"].getData()
    assert x[-1] == tab.traces["gradient"].latest.loss_evaluations == 201  # a step counted like a guess
    assert "loss evaluations" in tab.loss_plot.getPlotItem().getAxis("bottom").labelText
    tab.x_axis_combo.setCurrentIndex(tab.x_axis_combo.findData("iteration"))
    x, _ = tab.loss_curves["tweak"].getData()
    assert x[-1] == tab.traces["tweak"].latest.iteration == 200
    assert "iterations" in tab.loss_plot.getPlotItem().getAxis("bottom").labelText


def test_the_window_runs_what_the_search_command_runs(qtbot, tab):
    """The lesson quotes `search` figures, so the window must run the same experiment."""
    tab.iterations_spin.setValue(300)
    run_to_end(qtbot, tab)
    for method in METHODS:
        command = run_search("spiral", method, iterations=300, hidden=3, seed=0)
        history = tab.traces[method].array("loss")
        assert np.nanmin(history) == pytest.approx(command["best_loss"], rel=1e-9), method
        assert tab.traces[method].latest.multiply_adds == command["multiply_adds"]


def test_the_finished_run_compares_the_methods_at_equal_work(qtbot, tab):
    tab.dataset_combo.setCurrentIndex(tab.dataset_combo.findData("vertical"))
    tab.iterations_spin.setValue(300)
    run_to_end(qtbot, tab)
    # 300 tweaks cost 1.35 million multiply-adds, as much as 100 gradient steps (the lesson's figures)
    note = tab.status_label.text()
    assert "1.35 million multiply-adds" in note
    assert "gradient descent reached loss 0.263, against 0.726" in note


def test_a_model_too_small_for_the_spiral_is_named_as_the_reason(qtbot, tab):
    tab.iterations_spin.setValue(2000)
    run_to_end(qtbot, tab)
    assert "no method separated this data" in tab.status_label.text()


def test_space_key_action_starts_then_pauses(qtbot, tab):
    tab.iterations_spin.setValue(1_000_000)
    tab.toggle_run()
    assert tab.state == "running"
    tab.toggle_run()
    assert tab.state == "paused"
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        click(qtbot, tab.stop_button)
    assert tab.state == "idle"


def test_start_without_methods_explains(qtbot, tab):
    for box in tab.method_checks.values():  # click on the tick box itself, at the left end
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert not any(box.isChecked() for box in tab.method_checks.values())
    click(qtbot, tab.start_button)
    assert tab.state == "idle" and not tab.jobs.busy()
    assert "at least one method" in tab.status_label.text()


def test_a_failing_run_says_why_and_unlocks(qtbot, tab, monkeypatch):
    import gui.tabs.random_search.tab as module

    def broken(*args, **kwargs):
        raise ValueError("the data contain NaN or infinite values")

    monkeypatch.setattr(module, "make_method", broken)
    run_to_end(qtbot, tab)
    assert tab.status_label.text() == "The run failed: the data contain NaN or infinite values"
    assert tab.state == "idle" and tab.settings.isEnabled()


def test_optimizer_choice_sets_a_sensible_learning_rate(qtbot, tab):
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("sgd"))
    assert tab.lr_spin.value() == pytest.approx(1.0)
    tab.optimizer_combo.setCurrentIndex(tab.optimizer_combo.findData("adam"))
    assert tab.lr_spin.value() == pytest.approx(0.05)


def test_every_control_has_a_tooltip_and_accessible_name(tab):
    kinds = (QAbstractButton, QAbstractSpinBox, QComboBox, QCheckBox, QProgressBar)
    controls = [w for kind in kinds for w in tab.findChildren(kind)]
    assert len(controls) >= 15
    for widget in controls:
        if isinstance(widget.parent(), (QAbstractSpinBox, QTabBar)):  # their own parts: arrows, scroll buttons
            continue
        assert widget.accessibleName(), widget
        assert widget.toolTip(), widget.accessibleName()


def test_plots_reflow_to_two_columns_when_narrow(qtbot, tab):
    tab.resize(1800, 900)
    qtbot.waitUntil(lambda: tab.plot_columns() == 3)
    tab.resize(800, 900)
    qtbot.waitUntil(lambda: tab.plot_columns() == 2)
    assert tab.plot_area.position(tab.accuracy_plot) == (1, 0)


def test_class_colours_never_match_the_method_colours(tab):
    tab.classes_spin.setValue(6)   # every class colour there is
    classes = {scatter.opts["brush"].color().name() for scatter in tab.regions._scatters}
    methods = {curve.opts["pen"].color().name() for curve in tab.loss_curves.values()}
    assert len(classes) == 6 and len(methods) == 4
    assert not classes & methods


def test_regions_of_a_barely_sure_network_can_be_told_apart():
    classes = np.array([[0, 1, 2]])
    unsure = np.full((1, 3), 1 / 3 + 0.01)      # weights near the start: every class almost equally likely
    rgb = region_image(classes, unsure, 3)[0, :, :3].astype(int)
    assert all(np.abs(255 - colour).max() >= 40 for colour in rgb)              # visibly tinted, not white
    assert all(np.abs(rgb[i] - rgb[j]).max() >= 40 for i in range(3) for j in range(i + 1, 3))
    sure = region_image(classes, np.full((1, 3), 0.99), 3)[0, :, :3].astype(int)
    assert (np.abs(255 - sure).max(axis=1) > np.abs(255 - rgb).max(axis=1)).all()   # surer, stronger


def only(tab, method):
    for name, box in tab.method_checks.items():
        box.setChecked(name == method)


def test_trial_and_error_can_be_chosen_started_paused_and_reset(qtbot, tab):
    only(tab, "trial")
    tab.step_rule_combo.setCurrentIndex(tab.step_rule_combo.findData("halve"))  # never stuck: runs on
    tab.iterations_spin.setValue(1_000_000)
    click(qtbot, tab.start_button)
    qtbot.waitUntil(lambda: tab.traces["trial"].latest is not None, timeout=RUN_TIMEOUT)
    assert all(tab.traces[m].latest is None for m in METHODS if m != "trial")
    click(qtbot, tab.pause_button)
    assert tab.state == "paused" and tab.jobs.is_paused()
    paused_at = tab.traces["trial"].latest.iteration
    click(qtbot, tab.pause_button)
    qtbot.waitUntil(lambda: tab.traces["trial"].latest.iteration > paused_at, timeout=RUN_TIMEOUT)
    tab._curve_throttle.flush()
    assert curve_points(tab.loss_curves["trial"]) > 1
    assert curve_points(tab.acceptance_curves["trial"]) > 1
    click(qtbot, tab.reset_button)
    assert tab.state == "idle" and tab.traces["trial"].latest is None
    assert curve_points(tab.loss_curves["trial"]) == 0


def test_stuck_trial_and_error_says_why_and_its_weights_can_be_shown(qtbot, tab):
    only(tab, "trial")
    tab.iterations_spin.setValue(10_000)
    run_to_end(qtbot, tab)  # spiral, fixed step 0.05: stuck long before the budget
    latest = tab.traces["trial"].latest
    assert latest.iteration < 10_000 and latest.accepted > 5
    # random-search.md: "stuck after about 800 tries, at a loss of 1.07 and 42% accuracy"
    assert latest.iteration == pytest.approx(800, abs=50)
    assert latest.loss == pytest.approx(1.07, abs=0.005) and latest.accuracy == pytest.approx(0.42, abs=0.01)
    assert f"Trial and error stopped after {latest.iteration:,} tries" in tab.status_label.text()
    assert "no ±0.05 change of one parameter lowers the loss" in tab.status_label.text()
    assert tab.progress_bar.value() == tab.progress_bar.maximum()  # it is done, not unfinished
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("trial"))
    assert "trial" in tab.regions.getPlotItem().titleLabel.text
    np.testing.assert_array_equal(tab.current_weights(), latest.weights)
    assert tab.report()["results"]["trial"]["iterations"] == latest.iteration


def test_cost_of_one_step_is_measured_when_its_page_is_first_shown(qtbot, tab, monkeypatch):
    monkeypatch.setattr(StepCostView, "big_network", (64, 16, 10))  # 1,210 weights: a quick sweep
    view = tab.cost_view
    with qtbot.waitSignal(view.measured, timeout=RUN_TIMEOUT) as measured:
        tab.why_pages.setCurrentWidget(view)
    small, big = measured.args[0]["models"]
    np.testing.assert_array_equal(view.points.xData, [21, 1210])
    np.testing.assert_allclose(view.points.yData, [small["ratio"], big["ratio"]])
    assert f"<b>{big['ratio']:,.0f}</b> backprop steps" in view.status.text()
    qtbot.waitUntil(view.measure_button.isEnabled, timeout=5000)  # once its thread has ended
    tab.hidden_spin.setValue(8)  # another model: the old points no longer describe it
    assert view.points.xData is None or len(view.points.xData) == 0
    assert view.model_line.value() == pytest.approx(np.log10(tab.model.size))
    assert f"P = {tab.model.size:,}" in view.key.text()


def test_a_run_cancels_the_step_timing_and_locks_it(qtbot, tab):
    view = tab.cost_view
    click(qtbot, view.measure_button)  # the real digit network: seconds of work
    assert view.is_running() and not view.measure_button.isEnabled()
    tab.iterations_spin.setValue(200)
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        click(qtbot, tab.start_button)
        assert not view.is_running() and "a run started" in view.status.text()
        assert not view.measure_button.isEnabled()
    assert view.measure_button.isEnabled() and view.report is None


def test_trial_and_error_on_vertical_data_as_the_lesson_says(qtbot, tab):
    """random-search.md: it reaches 93% like tweak and keep, then stops after about 3,500 tries."""
    tab.dataset_combo.setCurrentIndex(tab.dataset_combo.findData("vertical"))
    for name, box in tab.method_checks.items():
        box.setChecked(name in ("trial", "tweak"))
    run_to_end(qtbot, tab)
    trial, tweak = tab.traces["trial"].latest, tab.traces["tweak"].latest
    assert trial.accuracy >= 0.93 - 1e-9 and tweak.accuracy == pytest.approx(trial.accuracy, abs=0.01)
    assert trial.iteration == pytest.approx(3500, abs=100) and tweak.iteration == 10_000
