"""The Draw page as the lesson uses it: digits drawn small, in a corner, with any pen, still read;
and the switch that feeds the raw drawing shows what the preparation is for."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle, QStyleOptionButton

from engine.mnist.models import load_pretrained
from engine.mnist.outputs import class_probabilities
from engine.mnist.preprocess import centre_of_mass, raw_drawing
from gui.tabs.mnist.draw_page import RAW_CAPTION, DrawPage
from tests.gui.mouse_helpers import drag
from tests.polyline_digits import CORNERS, drawings, placed, SLANTED

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

DEFAULT_PEN, THIN_PEN = 22.0, 6.0


@pytest.fixture
def page(show):
    page = show(DrawPage(), 900, 700)
    page.set_network(load_pretrained("3b1b"), [str(d) for d in range(10)])
    return page


def inputs_for(page, cases, pen: float) -> np.ndarray:
    """Draw each case on the real canvas with the given pen; the network's input for each."""
    canvas = page.drawing.canvas
    canvas.brush_width = pen
    seen = []
    for _, strokes in cases:
        canvas.clear()
        for stroke in strokes:
            canvas.draw_stroke(stroke)
        seen.append(page.input.copy())
    return np.stack(seen).reshape(len(cases), 784)


def accuracy(network, images, cases) -> float:
    return float(np.mean(class_probabilities(network, images).argmax(axis=1) == [d for d, _ in cases]))


def test_small_digits_in_every_corner_are_read_as_well_as_large_ones_with_any_pen(page):
    models = [load_pretrained("3b1b"), load_pretrained("wide")]
    large = drawings(200, ["middle"])
    for pen in (DEFAULT_PEN, THIN_PEN):
        large_inputs = inputs_for(page, large, pen)
        for height in (40, 60, 80):
            small = drawings(height, CORNERS)
            small_inputs = inputs_for(page, small, pen)
            for network in models:
                large_accuracy = accuracy(network, large_inputs, large)
                assert large_accuracy >= 0.9
                assert accuracy(network, small_inputs, small) >= large_accuracy - 0.05, (pen, height)


def test_a_small_digit_dragged_with_the_mouse_into_a_corner_is_read(page, qtbot):
    for stroke in placed(SLANTED[4], 45, "bottom right"):
        drag(page.drawing.canvas, stroke)
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert int(np.argmax(page.bars.probabilities())) == 4
    row, col = centre_of_mass(page.input)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_the_raw_switch_feeds_the_canvas_as_it_is_and_the_network_fails(page, qtbot):
    network = page.network
    cases = drawings(50, CORNERS)
    prepared = inputs_for(page, cases, DEFAULT_PEN)
    option = QStyleOptionButton()
    page.raw_switch.initStyleOption(option)
    box = page.raw_switch.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, page.raw_switch)
    qtbot.mouseClick(page.raw_switch, Qt.MouseButton.LeftButton, pos=box.center())   # the box itself
    assert page.raw_switch.isChecked() and page.preprocessed.caption.text() == RAW_CAPTION
    # the current drawing is fed raw at once: the canvas shrunk to 28×28, nothing moved
    np.testing.assert_array_equal(page.input, raw_drawing(page.drawing.canvas.image_array()))
    np.testing.assert_array_equal(page.preprocessed.image(), page.input)
    raw = inputs_for(page, cases, DEFAULT_PEN)
    far = [max(abs(r - 14), abs(c - 14)) for r, c in (centre_of_mass(x.reshape(28, 28)) for x in raw)]
    assert min(far) > 6                                   # the ink stays in its corner
    assert accuracy(network, prepared, cases) >= 0.9
    assert accuracy(network, raw, cases) <= 0.3            # where the network has never seen ink
    page.raw_switch.setChecked(False)
    np.testing.assert_allclose(page.input.reshape(784), prepared[-1])


def test_a_blank_picture_file_is_refused_in_words_and_the_drawing_stays(page, tmp_path):
    from PySide6.QtGui import QImage

    page.drawing.canvas.draw_stroke([(140, 40), (140, 240)])
    before = page.drawing.canvas.image_array()
    blank = QImage(64, 64, QImage.Format.Format_Grayscale8)
    blank.fill(255)                                   # a white page: no ink at all
    path = tmp_path / "blank.png"
    assert blank.save(str(path))
    assert not page.open_picture(path)
    assert "blank" in page.detail.text()
    np.testing.assert_array_equal(page.drawing.canvas.image_array(), before)   # nothing lost
