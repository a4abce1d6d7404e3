"""Shared GUI helpers: the labelled slider's mapping, the redraw throttle, the wrapping label."""

import pytest
from PySide6.QtCore import Qt

from gui.plotting import Throttle
from gui.widgets.labelled_slider import LabelledSlider


def test_log_slider_spans_orders_of_magnitude_evenly(qtbot):
    slider = LabelledSlider("delta", 1e-15, 1.0, 1e-4, log=True, steps=150)
    qtbot.addWidget(slider)
    assert slider.value() == pytest.approx(1e-4)
    seen = []
    slider.valueChanged.connect(seen.append)
    slider.slider.setValue(75)  # half way in log10 between 1e-15 and 1
    assert seen[-1] == pytest.approx(10 ** -7.5)
    slider.slider.triggerAction(slider.slider.SliderAction.SliderToMaximum)
    assert slider.value() == pytest.approx(1.0)


def test_linear_slider_clamps_and_labels(qtbot):
    slider = LabelledSlider("x", -3.0, 3.0, 0.0, decimals=2)
    qtbot.addWidget(slider)
    slider.setValue(10)
    assert slider.value() == 3.0
    assert slider._value_label.text() == "3.00"
    slider.slider.setFocus()
    qtbot.keyClick(slider.slider, Qt.Key.Key_Home)
    assert slider.value() == pytest.approx(-3.0)


def test_throttle_coalesces_many_requests_into_few_draws(qtbot):
    calls = []
    throttle = Throttle(lambda: calls.append(1), hz=20)
    for _ in range(200):
        throttle.request()
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=1000)
    qtbot.wait(120)
    assert len(calls) == 1  # no request since the draw: nothing more to draw


def test_wrapping_label_keeps_room_for_every_line_in_a_splitter(qtbot, show):
    from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

    from gui.widgets.wrapping_label import WrappingLabel

    splitter = QSplitter(Qt.Orientation.Vertical)
    holder = QWidget()
    column = QVBoxLayout(holder)
    filler = QWidget()
    column.addWidget(filler, 1)
    label = WrappingLabel(min_lines=2)
    column.addWidget(label)
    splitter.addWidget(holder)
    show(splitter, 220, 300)
    text = ("step 0: w = 1.0000, L(w) = 4.6667, dL/dw = -9.3333 is negative, so the error falls "
            "to the right: increase w")
    label.setText(text)

    def height_all_lines_need():  # an ordinary wrapped label with the same text, font and width
        reference = QLabel(text)
        reference.setWordWrap(True)
        reference.setFont(label.font())
        return reference.heightForWidth(label.width())

    qtbot.waitUntil(lambda: label.height() >= height_all_lines_need())
    assert label.height() >= 4 * label.fontMetrics().lineSpacing()  # many lines at this width
    before = label.height()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)  # projector mode
    label.setFont(font)
    qtbot.waitUntil(lambda: label.height() > before)
    assert label.height() >= height_all_lines_need()
    label.setText("short")
    qtbot.waitUntil(lambda: label.height() < before)
    assert label.height() >= 2 * label.fontMetrics().lineSpacing()  # the two lines stay reserved


def test_a_new_axis_label_is_centred_not_left_where_the_old_one_was(qtbot, show):
    from gui.plotting import make_plot, set_axis_label

    plot = show(make_plot("Loss", "epoch", "loss"), 400, 300)
    axis = plot.getPlotItem().getAxis("bottom")
    set_axis_label(plot.getPlotItem(), "bottom", "loss evaluations (epochs)")
    centre = axis.label.pos().x() + axis.label.boundingRect().width() / 2
    assert centre == pytest.approx(axis.size().width() / 2, abs=1)
