"""The MNIST tab's own widgets driven with real mouse and keyboard events."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt

from gui.tabs.mnist.activation_cells import ActivationCells
from gui.tabs.mnist.confusion_matrix import ConfusionMatrixView
from gui.tabs.mnist.digit_gallery import DigitGallery
from gui.tabs.mnist.drawing_canvas import DrawingCanvas, DrawingPanel
from gui.tabs.mnist.probability_bars import ProbabilityBars
from gui.tabs.mnist.weight_grid import WeightGrid, rounded_limit
from tests.gui.mouse_helpers import click_scene_point, drag

# The offscreen platform cannot resize top-level windows to their hints; harmless in tests.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_canvas_stroke_paints_anti_aliased_white_ink_and_emits_the_drawing(qtbot, show):
    canvas = show(DrawingCanvas())
    assert canvas.size().width() == 280 and canvas.size().height() == 280
    assert canvas.is_empty() and canvas.strokes() == []
    with qtbot.waitSignal(canvas.drawingChanged, timeout=2000) as blocker:
        drag(canvas, [(140, 60), (140, 120), (140, 180), (140, 220)])
    drawing = blocker.args[0]
    image = drawing.image
    assert image.shape == (280, 280) and image.dtype == np.float32 and drawing.side == 280
    # the pen's path is kept as points, the press first and the release last
    assert len(drawing.strokes) == 1
    np.testing.assert_allclose(drawing.strokes[0][[0, -1]], [(140, 60), (140, 220)])
    assert not canvas.is_empty()
    assert image[140, 140] == pytest.approx(1.0)      # centre of the stroke is full white
    assert image[140, 20] == 0.0                       # far away stays black
    inked = np.where(image[140] > 0.5)[0]
    assert 16 <= inked.size <= 26                      # a thick round brush (~22 px)
    assert image[60 - 14, 140] == 0.0 and image[60 - 8, 140] > 0.5   # round cap past the end
    drag(canvas, [(30, 250), (100, 200)])              # a slanted stroke has soft, grey edges
    soft = canvas.image_array()[190:260, 20:110]
    assert np.any((soft > 0.05) & (soft < 0.95))
    assert len(canvas.strokes()) == 2                  # each press starts a new stroke


def test_canvas_throttles_while_drawing(qtbot):
    canvas = DrawingCanvas(emit_hz=5)
    qtbot.addWidget(canvas)
    emitted = []
    canvas.drawingChanged.connect(emitted.append)
    points = [(50 + i, 50 + i) for i in range(0, 150, 2)]   # 75 mouse moves in one stroke
    drag(canvas, points)
    assert 1 <= len(emitted) <= 3     # the release always delivers; moves are coalesced
    assert emitted[-1].image.max() == pytest.approx(1.0)
    assert emitted[-1].strokes[0].shape == (75, 2)


def test_escape_and_clear_button_wipe_the_canvas(qtbot, show):
    panel = show(DrawingPanel())
    drag(panel.canvas, [(100, 100), (180, 180)])
    assert not panel.canvas.is_empty()
    with qtbot.waitSignal(panel.cleared, timeout=1000):
        panel.canvas.setFocus()
        qtbot.keyClick(panel.canvas, Qt.Key.Key_Escape)
    assert panel.canvas.is_empty() and panel.canvas.image_array().max() == 0.0
    assert panel.canvas.strokes() == []
    drag(panel.canvas, [(100, 100), (180, 180)])
    with qtbot.waitSignal(panel.cleared, timeout=1000):
        qtbot.mouseClick(panel.clear_button, Qt.MouseButton.LeftButton)
    assert panel.canvas.image_array().max() == 0.0


def test_weight_grid_shows_each_neuron_with_a_symmetric_scale_and_enlarges_on_click(qtbot, show):
    grid = show(WeightGrid(), 700, 400)
    rng = np.random.default_rng(0)
    weights = rng.normal(0.0, 0.1, size=(784, 16))
    weights[3, 5] = 2.0                     # one big positive weight sets the shared scale
    grid.set_weights(weights)
    assert grid.cell_count == 16
    images = grid.cell_images()
    np.testing.assert_allclose(images[5].ravel(), weights[:, 5])
    low, high = grid.mosaic.levels
    assert low == pytest.approx(-high) and high == pytest.approx(2.0)
    qtbot.wait(50)  # let the layout give the view box its size before mapping a click
    with qtbot.waitSignal(grid.neuronSelected, timeout=1000) as blocker:
        click_scene_point(grid.grid, grid.mosaic.mapToScene(grid.cell_rect(7).center()))
    assert blocker.args == [7]
    np.testing.assert_allclose(grid.large_image.image.ravel(), weights[:, 7])
    assert "Neuron 8 of 16" in grid.caption.text()
    assert grid.selection_frame.rect().contains(grid.cell_rect(7))       # the frame moved along
    assert not grid.selection_frame.rect().intersects(grid.cell_rect(0))


def test_weight_mosaic_shows_every_neuron_in_its_cell_and_a_click_enlarges_that_neuron(qtbot, show):
    grid = show(WeightGrid(), 700, 400)
    weights = np.random.default_rng(1).normal(0.0, 0.1, size=(784, 10))   # 10 cells: 4 columns, 3 rows
    grid.set_weights(weights)
    mosaic = grid.mosaic.image
    for index in range(10):
        rect = grid.cell_rect(index)
        top, left = int(rect.top()), int(rect.left())
        np.testing.assert_allclose(mosaic[top:top + 28, left:left + 28].ravel(), weights[:, index], rtol=1e-6)
    assert np.isnan(mosaic[int(grid.cell_rect(0).bottom()) + 1, 5])        # gaps stay transparent
    qtbot.wait(50)
    for index in (9, 2, 4):        # last row, first row, start of the second row
        corner = grid.cell_rect(index).topLeft() + QPointF(3, 25)          # near a corner, not the centre
        with qtbot.waitSignal(grid.neuronSelected, timeout=1000) as blocker:
            click_scene_point(grid.grid, grid.mosaic.mapToScene(corner))
        assert blocker.args == [index]
        np.testing.assert_allclose(grid.large_image.image.ravel(), weights[:, index])
    empty_cell = grid.cell_rect(11).center()                               # no neuron 12: nothing happens
    click_scene_point(grid.grid, grid.mosaic.mapToScene(empty_cell))
    assert grid.selected == 4


def test_enlarged_view_scale_is_a_round_value_that_covers_the_weights(qtbot):
    assert [rounded_limit(v) for v in (0.13, 0.2, 0.21, 0.7, 1.0, 3.2, 9.0)] == \
        pytest.approx([0.15, 0.2, 0.25, 0.8, 1.0, 4.0, 10.0])
    grid = WeightGrid()
    qtbot.addWidget(grid)
    weights = np.random.default_rng(2).normal(0.0, 0.05, size=(784, 4))
    weights[10, 0] = -0.33
    grid.set_weights(weights)
    assert grid.colour_bar.levels() == pytest.approx((-0.4, 0.4))
    assert tuple(grid.large_image.levels) == pytest.approx((-0.4, 0.4))
    weights[10, 0] = -0.38                   # drifts, but the scale (and its axis) stays
    grid.set_weights(weights)
    assert grid.colour_bar.levels() == pytest.approx((-0.4, 0.4))
    weights[10, 0] = 0.45                    # outgrows it: the scale follows
    grid.set_weights(weights)
    assert grid.colour_bar.levels() == pytest.approx((-0.5, 0.5))


def test_weight_grid_caps_the_number_of_cells_and_rejects_wrong_shapes(qtbot):
    grid = WeightGrid(max_cells=64)
    qtbot.addWidget(grid)
    grid.set_weights(np.zeros((784, 100)))     # all zero must not break the colour levels
    assert grid.cell_count == 64
    assert "first 64 shown" in grid.caption.text()
    with pytest.raises(ValueError):
        grid.set_weights(np.zeros((100, 16)))


def test_probability_bars_highlight_the_answer_and_clear(qtbot):
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    p = np.full(10, 0.02)
    p[7] = 0.82
    bars.set_probabilities(p)
    assert "7" in bars.answer.text() and "82.0%" in bars.answer.text()
    np.testing.assert_allclose(bars.bars.opts["height"], p)
    bars.set_probabilities(None)
    assert bars.probabilities() is None and bars.answer.text() == "No prediction"
    with pytest.raises(ValueError):
        bars.set_probabilities(np.full(9, 0.1))
    bars.set_labels([str(d) for d in range(10)] + ["not a digit"])
    q = np.zeros(11)
    q[10] = 1.0
    bars.set_probabilities(q)
    assert "not a digit" in bars.answer.text()
    # the long name would overlap its neighbours and be dropped: a short mark, explained on the axis
    ticks = bars.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _pos, label in ticks][-2:] == ["9", "✗"]
    assert bars.plot.getAxis("bottom").labelText == "✗: not a digit"


def test_confusion_matrix_click_reports_true_and_predicted(qtbot, show):
    view = show(ConfusionMatrixView(), 420, 420)
    counts = np.diag(np.full(10, 90))
    counts[4, 9] = 7
    view.set_matrix(counts)
    qtbot.wait(50)
    scene_point = view.image.mapToScene(QPointF(9.5, 4.5))   # column = predicted 9, row = true 4
    with qtbot.waitSignal(view.cellClicked, timeout=1000) as blocker:
        click_scene_point(view.plot, scene_point)
    assert blocker.args == [4, 9]
    assert view._texts[4 * 10 + 9].textItem.toPlainText() == "7"


@pytest.mark.parametrize("width, height", [(520, 300), (300, 520), (320, 320)])
def test_the_confusion_matrix_fills_its_axes_and_every_count_fits_its_cell(qtbot, show, width, height):
    view = show(ConfusionMatrixView(), width, height)
    counts = np.full((10, 10), 7)
    np.fill_diagonal(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
    view.set_matrix(counts)
    box = view.plot.getPlotItem().vb

    def cells_fill_the_axes():   # not a square floating in a wider (or taller) frame
        image = view.image.sceneBoundingRect()
        frame = box.sceneBoundingRect()
        return image.width() >= 0.9 * frame.width() and image.height() >= 0.9 * frame.height()

    qtbot.waitUntil(cells_fill_the_axes, timeout=2000)
    for (row, col), text in zip(np.ndindex(10, 10), view._texts):
        cell = box.mapViewToScene(QRectF(col, row, 1, 1)).boundingRect()
        assert cell.contains(text.textItem.sceneBoundingRect()), (row, col, text.textItem.toPlainText())


def test_every_class_is_named_under_its_bar_also_not_a_digit(show, qtbot):
    from tests.gui.screen_checks import tick_label_texts
    bars = show(ProbabilityBars(), 300, 220)
    bars.set_labels([str(d) for d in range(10)] + ["not a digit"])
    expected = [str(d) for d in range(10)] + ["✗"]   # drawn, not dropped; the axis says what ✗ stands for
    qtbot.waitUntil(lambda: tick_label_texts(bars.plot.getAxis("bottom")) == expected, timeout=2000)


def test_gallery_and_activation_cells(qtbot):
    gallery = DigitGallery(limit=5)
    qtbot.addWidget(gallery)
    images = np.random.default_rng(1).random((8, 28, 28))
    gallery.set_digits(images, [f"true {i}" for i in range(8)], "Mistakes")
    assert gallery.count() == 5 and "first 5 of 8" in gallery.title.text()
    cells = ActivationCells()
    qtbot.addWidget(cells)
    cells.set_activations([np.linspace(0, 1, 16), np.linspace(0, 3, 16)])
    assert [v.size for v in cells.values()] == [16, 16]
    assert cells._items[1].levels[1] == pytest.approx(3.0)   # ReLU row scaled by its maximum
    cells.set_activations(None)
    assert cells.values() == []


def test_confusion_matrix_before_any_evaluation_shows_the_empty_digit_grid(show):
    view = show(ConfusionMatrixView(), 400, 400)
    (x_low, x_high), (y_low, y_high) = view.plot.getPlotItem().viewRange()
    for low, high in ((x_low, x_high), (y_low, y_high)):  # the 10×10 cells fill the view
        assert -1.5 < low <= 0 and 10 <= high < 11.5
    ticks = view.plot.getAxis("bottom")._tickLevels[0]
    assert [label for _pos, label in ticks] == [str(d) for d in range(10)]
    assert view.placeholder.isVisible() and "Evaluate" in view.placeholder.toPlainText()
    view.set_matrix(np.eye(10, dtype=int) * 90)
    assert not view.placeholder.isVisible()


# --- the keyboard alone -------------------------------------------------------------------------
def _key(qtbot, widget, key):
    qtbot.keyClick(widget, key)


def test_arrow_keys_choose_the_neuron_in_the_weight_grid(qtbot, show):
    from gui.accessibility import announcer
    grid = show(WeightGrid(), 700, 400)
    weights = np.random.default_rng(2).normal(0.0, 0.1, size=(784, 16))   # 4 columns
    grid.set_weights(weights)
    _key(qtbot, grid.grid, Qt.Key.Key_Right)
    _key(qtbot, grid.grid, Qt.Key.Key_Down)
    assert grid.selected == 5
    np.testing.assert_allclose(grid.large_image.image.ravel(), weights[:, 5])
    with qtbot.waitSignal(announcer().announced, timeout=2000,
                          check_params_cb=lambda text: text.startswith("Selected neuron: Neuron 16 of 16")):
        _key(qtbot, grid.grid, Qt.Key.Key_End)
    assert grid.selected == 15
    _key(qtbot, grid.grid, Qt.Key.Key_Right)   # the last one stays the last
    _key(qtbot, grid.grid, Qt.Key.Key_Home)
    assert grid.selected == 0


def test_arrow_keys_move_through_the_confusion_matrix_and_enter_opens_a_cell(qtbot, show):
    from gui.accessibility import announcer
    view = show(ConfusionMatrixView(), 420, 420)
    with qtbot.waitSignal(announcer().announced, timeout=2000, check_params_cb=lambda text: "first" in text):
        _key(qtbot, view.plot, Qt.Key.Key_Right)   # no counts yet: it says so
    counts = np.diag(np.full(10, 90))
    counts[4, 9] = 7
    view.set_matrix(counts)
    for key in [Qt.Key.Key_Down] * 4 + [Qt.Key.Key_Right] * 12:   # past the edge: stops at column 9
        _key(qtbot, view.plot, key)
    assert view.cursor == (4, 9)
    qtbot.waitSignal(announcer().announced, timeout=2000,
                     check_params_cb=lambda text: text == "true 4, answered 9: 7 images").wait()
    with qtbot.waitSignal(view.cellClicked, timeout=1000) as opened:
        _key(qtbot, view.plot, Qt.Key.Key_Return)
    assert opened.args == [4, 9]


def test_a_picture_can_be_put_on_the_canvas_instead_of_drawing(qtbot, show):
    canvas = show(DrawingCanvas())
    digit = np.zeros((28, 28))
    digit[4:24, 12:16] = 1.0                     # a "1", as MNIST stores it
    with qtbot.waitSignal(canvas.drawingChanged, timeout=2000) as blocker:
        canvas.show_picture(digit)
    drawing = blocker.args[0]
    assert drawing.picture and drawing.strokes == []   # the page prepares it from its pixels
    image = drawing.image
    assert not canvas.is_empty()
    assert image[140, 140] > 0.9 and image[140, 40] == 0.0 and image[20, 140] == 0.0   # scaled ×10, centred


def test_every_count_in_the_confusion_matrix_reads_on_its_cell(qtbot, show):
    from gui.style import contrast
    view = show(ConfusionMatrixView(), 420, 420)
    counts = np.diag(np.full(10, 1000))
    counts[0, 1:] = [1, 3, 8, 20, 40, 60, 90, 150, 400]   # every shade of the colour map
    view.set_matrix(counts)
    shade = np.log1p(counts.astype(float))
    cells = view.colormap.map((shade / shade.max()).ravel(), mode="qcolor")
    for text, cell, count in zip(view._texts, cells, counts.ravel()):
        if count:
            assert contrast(text.color, cell) >= 4.5, (count, cell.name(), text.color.name())
