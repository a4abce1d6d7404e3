"""The Gradient Descent tab's widgets on their own: playback, rate panel, rate marks, surface, lesson."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from engine.descent import loss_grid, make_problem, one_parameter_slope
from gui.style import RUN_COLOURS
from gui.tabs.gradient_descent.loss_surface import DescentLossSurface
from gui.tabs.gradient_descent.one_parameter import DescentOneParameterLesson
from gui.tabs.gradient_descent.playback import DescentPlayback
from gui.tabs.gradient_descent.rate_panel import DescentRatePanel
from gui.tabs.gradient_descent.rate_slider import DescentRateSlider

COLOURS = RUN_COLOURS[:3]


def click_at(qtbot, plot, w, b):
    vb = plot.getPlotItem().getViewBox()
    pixel = plot.mapFromScene(vb.mapViewToScene(QPointF(w, b)))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pixel)


def test_playback_steps_rewinds_and_plays_to_the_end(qtbot):
    playback = DescentPlayback(lambda frame: f"at {frame}")
    qtbot.addWidget(playback)
    playback.set_length(10)
    assert playback.frame == 10 and playback.position_label.text() == "at 10"
    qtbot.mouseClick(playback.step_button, Qt.MouseButton.LeftButton)
    assert playback.frame == 1  # from the end, stepping starts over
    qtbot.mouseClick(playback.step_button, Qt.MouseButton.LeftButton)
    assert playback.frame == 2 and playback.position_label.text() == "at 2"
    qtbot.mouseClick(playback.rewind_button, Qt.MouseButton.LeftButton)
    assert playback.frame == 0
    playback.speed.setValue(500)
    qtbot.mouseClick(playback.play_button, Qt.MouseButton.LeftButton)
    assert playback.is_playing()
    qtbot.waitUntil(lambda: not playback.is_playing(), timeout=3000)
    assert playback.frame == 10 and playback.play_button.text() == "Play"


def test_playback_restarts_new_runs_while_playing(qtbot):
    playback = DescentPlayback()
    qtbot.addWidget(playback)
    playback.set_length(1000)
    playback.go_to(0)
    playback.speed.setValue(1)
    playback.toggle()
    playback.set_length(500)
    assert playback.frame == 0 and playback.is_playing()
    playback.stop()
    playback.set_length(300)
    assert playback.frame == 300


def test_rate_panel_adds_removes_and_refuses_bad_text(qtbot):
    panel = DescentRatePanel(COLOURS, (0.01, 0.1))
    qtbot.addWidget(panel)
    assert panel.rates() == [0.01, 0.1]
    for bad, phrase in (("", "not a number"), ("x", "not a number"), ("0", "positive"), ("inf", "positive"),
                        ("nan", "positive"), ("11", "up to 10")):
        panel.rate_edit.setText(bad)
        panel.add_from_text()
        assert phrase in panel.message.text()
        assert panel.rates() == [0.01, 0.1]
    with qtbot.waitSignal(panel.ratesChanged):
        panel.rate_edit.setText("0.5")
        qtbot.keyClick(panel.rate_edit, Qt.Key.Key_Return)
    assert panel.rates() == [0.01, 0.1, 0.5] and panel.message.text() == ""
    assert not panel.add_button.isEnabled()  # one colour per run: three colours, three runs
    panel.rate_list.setCurrentRow(0)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert len(panel.rates()) == 1 and not panel.remove_button.isEnabled()


def test_rate_panel_slider_edits_only_the_selected_rate(qtbot):
    panel = DescentRatePanel(COLOURS, (0.01, 0.1, 0.5))
    qtbot.addWidget(panel)
    with qtbot.assertNotEmitted(panel.ratesChanged):
        with qtbot.waitSignal(panel.selectionChanged) as selected:
            panel.rate_list.setCurrentRow(1)
    assert selected.args == [1] and panel.slider.value() == pytest.approx(0.1)
    with qtbot.waitSignal(panel.ratesChanged):
        panel.slider.slider.slider.setValue(900)
    rates = panel.rates()
    assert rates[0] == 0.01 and rates[2] == 0.5
    assert rates[1] == pytest.approx(panel.slider.value()) and rates[1] > 0.5
    assert panel.rate_list.item(1).text() == f"η = {rates[1]:.4g}"


def test_rate_marks_sit_where_the_rates_are_on_the_slider(show):
    slider = show(DescentRateSlider(1e-4, 2.0, 0.1), 400, 80)
    slider.set_limits(0.789, 0.749)
    marks = slider.marks
    assert marks.x_for(1e-4) < marks.x_for(0.029) < marks.x_for(0.749) < marks.x_for(0.789) < marks.x_for(2.0)
    assert "0.789" in slider.caption.text() and "0.749" in slider.caption.text()
    assert "0.395" in slider.caption.text()  # 1/λmax, where the zigzag begins
    assert sorted(value for value, _, _ in marks.marks) == pytest.approx([0.3945, 0.749, 0.789])
    # the strip: smooth, oscillating, diverging, end to end
    bounds = [bound for low, high, _ in marks.regions for bound in (low, high)]
    assert bounds == pytest.approx([0, 0.3945, 0.3945, 0.789, 0.789, math.inf])
    # the mark for a rate lies under the slider handle set to that rate
    handle_centre = marks.x_for(slider.value())
    slider.setValue(0.789)
    assert marks.x_for(slider.value()) > handle_centre


@pytest.mark.parametrize("width", [250, 400, 900])
def test_mark_texts_never_overlap_each_other_or_a_tick(show, width):
    slider = show(DescentRateSlider(1e-4, 2.0, 0.1), width, 80)
    slider.set_limits(0.789, 0.749)
    marks = slider.marks
    boxes = marks.label_boxes(marks.fontMetrics().horizontalAdvance)
    assert boxes[0] is not None  # the stability limit always keeps its text
    placed = [box for box in boxes if box is not None]
    for i, (left, w) in enumerate(placed):
        assert 0 <= left and left + w <= marks.width()
        for other_left, other_w in placed[i + 1:]:
            assert left + w <= other_left or other_left + other_w <= left
    ticks = [marks.x_for(value) for value, _, _ in marks.marks]
    for j, box in enumerate(boxes):
        if box is not None:
            assert not any(box[0] <= t <= box[0] + box[1] for k, t in enumerate(ticks) if k != j)


def test_the_rate_marks_write_their_numbers_in_a_shade_that_reads(show):
    """"fastest 0.749" was written in bluish green at 2.9:1 on the window grey."""
    from PySide6.QtGui import QColor, QPalette

    from gui.style import BEYOND_LIMIT, FASTEST, contrast
    slider = show(DescentRateSlider(1e-4, 2.0, 0.1), 600, 80)
    slider.set_limits(0.789, 0.02)    # far apart: each text stands alone
    image = slider.marks.grab().toImage()
    background = slider.marks.palette().color(QPalette.ColorRole.Window)
    for colour in (BEYOND_LIMIT, FASTEST):
        hue = QColor(colour).hslHueF()
        same_hue = [QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())]
        same_hue = [c for c in same_hue if c.hslSaturationF() > 0.5 and abs(c.hslHueF() - hue) < 0.03]
        assert same_hue, colour
        assert max(contrast(c, background) for c in same_hue) >= 4.5, colour


@pytest.fixture
def surface(show):
    widget = show(DescentLossSurface(), 500, 400)
    problem = make_problem((0, 1), seed=0)
    widget.set_surface(*loss_grid(problem, (-1, 4), (-2, 3), n=41))
    widget.problem = problem
    return widget


def test_surface_click_emits_the_point(qtbot, surface):
    with qtbot.waitSignal(surface.startChosen) as chosen:
        click_at(qtbot, surface.plot, 2.5, -1.0)
    w, b = chosen.args
    assert w == pytest.approx(2.5, abs=0.05) and b == pytest.approx(-1.0, abs=0.05)


def test_surface_arrow_points_downhill_and_hides_when_meaningless(surface):
    problem = surface.problem
    gw, gb = problem.gradient(0.0, 0.0)
    surface.set_arrow(0.0, 0.0, gw, gb)
    assert surface.arrow_head.isVisible()
    tip_w, tip_b = surface.arrow_shaft.getData()[0][-1], surface.arrow_shaft.getData()[1][-1]
    assert (tip_w - 0.0) * gw + (tip_b - 0.0) * gb < 0  # against the gradient
    assert problem.loss(0.1 * tip_w, 0.1 * tip_b) < problem.loss(0.0, 0.0)
    surface.set_arrow(100.0, 100.0, gw, gb)  # outside the view
    assert not surface.arrow_head.isVisible()
    surface.set_arrow(0.0, 0.0, math.nan, gb)
    assert not surface.arrow_head.isVisible()


def test_surface_paths_drop_non_finite_points_and_clip_far_ones(surface):
    surface.set_run_colours(COLOURS[:1])
    surface.set_path(0, np.array([0.0, 1.0, 1e300, np.inf]), np.array([0.0, 1.0, -1e300, 0.0]))
    w, b = surface.paths[0].getData()
    assert len(w) == 3 and np.all(np.isfinite(w)) and abs(w[-1]) < 1e4 and abs(b[-1]) < 1e4
    surface.set_run_colours(COLOURS)
    assert len(surface.paths) == 3
    surface.set_run_colours(COLOURS[:2])
    assert len(surface.paths) == 2


def test_one_parameter_click_sets_the_start_and_steps_follow_the_slope(qtbot, show):
    lesson = show(DescentOneParameterLesson(), 500, 400)
    click_at(qtbot, lesson.plot, 3.0, 5.0)
    assert lesson.w == pytest.approx(3.0, abs=0.05)
    assert one_parameter_slope(lesson.w) > 0 and "decrease w" in lesson.readout.text()
    with qtbot.waitSignal(lesson.stepped) as stepped:
        qtbot.mouseClick(lesson.step_button, Qt.MouseButton.LeftButton)
    assert 2.0 < stepped.args[0] < 3.0
    qtbot.mouseClick(lesson.reset_button, Qt.MouseButton.LeftButton)
    assert lesson.history == [pytest.approx(3.0, abs=0.05)]


def test_one_parameter_too_large_rate_is_stopped_with_a_message(qtbot):
    lesson = DescentOneParameterLesson()
    qtbot.addWidget(lesson)
    lesson.rate_box.setValue(0.3)  # above 2 / L'' = 0.214: every step overshoots further
    for _ in range(40):
        lesson.step()
    assert "too large" in lesson.readout.text()
    assert all(np.isfinite(lesson.history)) and abs(lesson.history[-1]) <= 1e6


def test_thinned_keeps_short_curves_whole_and_long_ones_ending_at_the_last_point():
    from gui.tabs.gradient_descent.plots import thinned

    assert thinned(5, 10) == slice(0, 5)
    idx = thinned(10_001, 600)
    assert len(idx) <= 600 and idx[0] == 0 and idx[-1] == 10_000
    assert np.all(np.diff(idx) > 0)
