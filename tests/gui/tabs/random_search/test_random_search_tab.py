"""The Random Search tab driven like a user would: buttons, spin boxes, combo boxes."""

import json
import time

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QCheckBox, QComboBox,
                               QProgressBar)

from engine.datasets import vertical_data
from engine.search import METHODS
from engine.search_model import to_network
from gui.tabs.random_search.tab import RandomSearchTab
from gui.tabs.random_search.decision_regions import region_image

RUN_TIMEOUT = 60_000


@pytest.fixture
def tab(open_tab):
    return open_tab(RandomSearchTab(seed=0), 1300, 800)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_to_end(qtbot, tab):
    with qtbot.waitSignal(tab.runFinished, timeout=RUN_TIMEOUT):
        click(qtbot, tab.start_button)


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
    assert curve_points(tab.acceptance_curve) > 1
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


def test_changing_hidden_units_resizes_the_gradient_bars(qtbot, tab):
    assert len(tab.bars_plot.heights) == 21
    tab.hidden_spin.setValue(5)
    assert len(tab.bars_plot.heights) == 2 * 5 + 5 + 5 * 3 + 3


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

    _, grad = loss_gradient(tab.model, tab.current_weights(), tab.X, tab.y)
    random_slope, gradient_slope = slopes_shown()
    assert gradient_slope == pytest.approx(-np.linalg.norm(grad), rel=0.05)  # shown to 2 digits
    assert abs(random_slope) < abs(gradient_slope)
    tab.iterations_spin.setValue(300)
    tab.show_combo.setCurrentIndex(tab.show_combo.findData("gradient"))
    run_to_end(qtbot, tab)  # other weights, other slopes
    _, grad = loss_gradient(tab.model, tab.current_weights(), tab.X, tab.y)
    assert slopes_shown()[1] == pytest.approx(-np.linalg.norm(grad), rel=0.05)  # shown to 2 digits


def test_x_axis_switches_between_evaluations_and_iterations(qtbot, tab):
    tab.iterations_spin.setValue(200)
    run_to_end(qtbot, tab)
    x, _ = tab.loss_curves["tweak"].getData()
    assert x[-1] == tab.traces["tweak"].latest.loss_evaluations  # the fair budget is the default
    tab.x_axis_combo.setCurrentIndex(tab.x_axis_combo.findData("iteration"))
    x, _ = tab.loss_curves["tweak"].getData()
    assert x[-1] == tab.traces["tweak"].latest.iteration == 200
    assert "iterations" in tab.loss_plot.getPlotItem().getAxis("bottom").labelText


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
        if widget.parent() is not None and isinstance(widget.parent(), QAbstractSpinBox):
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
    assert len(classes) == 6 and len(methods) == 3
    assert not classes & methods


def test_regions_of_a_barely_sure_network_can_be_told_apart():
    classes = np.array([[0, 1, 2]])
    unsure = np.full((1, 3), 1 / 3 + 0.01)      # weights near the start: every class almost equally likely
    rgb = region_image(classes, unsure, 3)[0, :, :3].astype(int)
    assert all(np.abs(255 - colour).max() >= 40 for colour in rgb)              # visibly tinted, not white
    assert all(np.abs(rgb[i] - rgb[j]).max() >= 40 for i in range(3) for j in range(i + 1, 3))
    sure = region_image(classes, np.full((1, 3), 0.99), 3)[0, :, :3].astype(int)
    assert (np.abs(255 - sure).max(axis=1) > np.abs(255 - rgb).max(axis=1)).all()   # surer, stronger
