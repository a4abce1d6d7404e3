"""The "Inside the network" page driven like a user: draw or pick a digit, step through
backpropagation, take a gradient step, check it numerically, read the saliency maps and attack it."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine.mnist.inside import backprop
from engine.network import build_mlp
from gui.tabs.mnist.tab import MnistInspectorTab
from tests.gui.mouse_helpers import drag

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SEVEN = [(35, 28), (60, 28), (85, 28), (105, 28), (95, 55), (85, 80), (75, 105), (70, 120)]


@pytest.fixture
def tab(open_tab):
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False), 1360, 820)
    tab.pages.setCurrentWidget(tab.inside_page)
    return tab


def draw_seven(page, qtbot) -> None:
    drag(page.canvas, SEVEN)
    qtbot.waitUntil(lambda: page.input is not None, timeout=3000)


def click(qtbot, button) -> None:
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_drawing_is_followed_through_the_network_stage_by_stage(tab, qtbot):
    page = tab.inside_page
    panel = page.backprop_panel
    assert not panel.step_button.isEnabled()              # nothing drawn, nothing to step through
    draw_seven(page, qtbot)
    assert "Answer: 7" in page.answer.text()
    assert np.allclose(page.seen.image(), page.input)
    bars = panel.layer_bars
    assert panel.stage == 0 and bars.shown("activation") == [None, None, None]
    click(qtbot, panel.step_button)                       # forward: hidden 1
    first = bars.shown("activation")
    assert first[0] is not None and first[0].size == 16 and first[1] is None
    assert "neuron" in panel.explanation.text() and "Forward" in panel.explanation.text()
    for _ in range(3):                                     # hidden 2, output, the cost
        click(qtbot, panel.step_button)
    assert all(a is not None for a in bars.shown("activation")) and bars.shown("delta") == [None] * 3
    assert "cost" in panel.explanation.text().lower()
    click(qtbot, panel.step_button)                       # backward: δ at the output
    deltas = bars.shown("delta")
    assert deltas[2] is not None and deltas[0] is None
    np.testing.assert_allclose(deltas[2], backprop(page.network, page.input, 7).layers[2].delta)
    click(qtbot, panel.back_button)                       # back again: the output δ is hidden
    assert bars.shown("delta")[2] is None
    while panel.step_button.isEnabled():
        click(qtbot, panel.step_button)
    assert panel.views.currentWidget() is panel.weight_grid   # the first layer's weight gradients
    assert panel.weight_grid.cell_count == 16
    gradient = backprop(page.network, page.input, 7).layers[0].weight_gradient
    np.testing.assert_allclose(panel.weight_grid.cell_images()[3], -gradient[:, 3].reshape(28, 28))
    click(qtbot, panel.back_button)
    assert panel.views.currentWidget() is panel.layer_bars


def test_play_steps_by_itself_to_the_end(tab, qtbot, monkeypatch):
    page = tab.inside_page
    panel = page.backprop_panel
    panel._play_clock.setInterval(20)
    draw_seven(page, qtbot)
    click(qtbot, panel.play_button)
    assert panel.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: panel.stage == len(panel.stages) - 1, timeout=5000)
    qtbot.waitUntil(lambda: not panel.playing(), timeout=2000)
    assert panel.play_button.text() == "Play"


def test_a_gradient_step_moves_the_page_copy_only_and_restore_undoes_it(tab, qtbot):
    page = tab.inside_page
    panel = page.backprop_panel
    draw_seven(page, qtbot)
    page.label_box.setCurrentText("3")                    # teach this 7 to be a 3
    before = backprop(page.network, page.input, 3)
    model_weights = tab.network.get_weights()
    panel.learning_rate.setValue(2.0)
    with qtbot.waitSignal(panel.stepper.done, timeout=5000):
        click(qtbot, panel.step_once_button)
    assert page.steps == 1 and page.restore_button.isVisible()
    after = backprop(page.network, page.input, 3)
    assert after.loss < before.loss
    assert "One gradient step" in panel.explanation.text() and "→" in panel.explanation.text()
    assert "after 1 step" in page.answer.text()
    assert panel.stages[panel.stage].cost                  # the output bars, with the outline of before
    np.testing.assert_allclose(panel.layer_bars.before_bars.opts["height"], before.layers[-1].activation)
    for kept, now in zip(model_weights, tab.network.get_weights()):
        np.testing.assert_array_equal(kept, now)           # the tab's model did not move
    click(qtbot, page.restore_button)
    assert page.steps == 0 and not page.restore_button.isVisible()
    assert backprop(page.network, page.input, 3).loss == pytest.approx(before.loss)


def test_the_numerical_check_agrees_and_says_what_each_method_cost(tab, qtbot):
    page = tab.inside_page
    panel = page.backprop_panel
    draw_seven(page, qtbot)
    page.label_box.setCurrentText("2")
    with qtbot.waitSignal(panel.checker.finished, timeout=10000):
        click(qtbot, panel.check_button)
    text = panel.explanation.text()
    assert "13,002 gradients" in text and "Central differences: 100" in text
    assert float(text.split("Relative error ")[1].split()[0].rstrip(".")) < 1e-6


def test_saliency_maps_follow_the_label_and_the_smoothgrad_controls(tab, qtbot):
    page = tab.inside_page
    panel = page.saliency_panel
    page.sections.setCurrentWidget(panel)
    assert panel.plain.values() is None
    draw_seven(page, qtbot)
    plain, smooth = panel.plain.values(), panel.smooth.values()
    assert plain.shape == (28, 28) and np.abs(plain).max() > 0
    assert "score of 7" in panel.plain.caption.text()
    page.label_box.setCurrentText("1")
    assert not np.allclose(panel.plain.values(), plain) and "score of 1" in panel.plain.caption.text()
    panel.samples.setValue(10)
    panel.noise.setValue(0.3)
    assert not np.allclose(panel.smooth.values(), smooth)
    assert "10 copies" in panel.smooth.caption.text() and "0.30" in panel.smooth.caption.text()


def test_the_epsilon_slider_updates_both_pushed_images(tab, qtbot):
    page = tab.inside_page
    panel = page.attack_panel
    page.sections.setCurrentWidget(panel)
    draw_seven(page, qtbot)
    original = panel.original.image()
    panel.epsilon.setValue(0.0)
    assert np.allclose(panel.attacked.image(), original) and np.allclose(panel.noisy.image(), original)
    panel.epsilon.setValue(0.2)
    attacked, noisy = panel.attacked.image(), panel.noisy.image()
    assert not np.allclose(attacked, original) and not np.allclose(noisy, original)
    assert np.abs(attacked - original).max() == pytest.approx(0.2, abs=1e-6)
    assert np.abs(noisy - original).max() == pytest.approx(0.2, abs=1e-6)
    assert panel.marker.value() == pytest.approx(0.2)
    answers = panel.answers()
    assert answers[0].startswith("original\n7") and answers[1].startswith("gradient\n")
    # the gradient push hurts the answer far more than the random one
    assert "\n7 " not in answers[1] and answers[2].startswith("random\n7")


def test_a_test_digit_brings_its_label_and_the_curve_can_be_stopped(tab, qtbot, mnist_data):
    tab.use_pretrained("wide")
    tab.set_data(mnist_data)
    page = tab.inside_page
    page.test_index.setValue(5)
    assert page.from_test.isChecked()
    assert np.allclose(page.input, mnist_data.test_images[5].reshape(28, 28))
    assert page.label_box.currentText() == str(mnist_data.test_labels[5])
    panel = page.attack_panel
    page.sections.setCurrentWidget(panel)
    with qtbot.waitSignal(panel.jobs.progress, timeout=10000):
        click(qtbot, panel.measure_button)
    with qtbot.waitSignal(panel.jobs.done, timeout=10000):
        click(qtbot, panel.stop_button)
    curve = panel.curve
    assert curve is not None and 0 < curve.done < curve.count == 10_000
    assert f"stopped after {curve.done:,}" in panel.summary.text()
    assert panel.measure_button.isEnabled() and not panel.stop_button.isEnabled()
    x, y = panel.gradient_curve.getData()
    assert list(x) == list(curve.epsilons) and y[2] < 0.5 * curve.accuracy_random[2]
    assert tab.report()["inside_the_network"]["attack_curve"]["count"] == curve.done
    page.from_drawing.setChecked(True)                       # back to the (empty) drawing
    assert page.input is None and page.label_box.currentText() == "its answer"


def test_an_eleven_class_model_works_on_every_view(tab, qtbot):
    network = build_mlp([784, 16, 11], activation="relu", loss="softmax_ce", seed=3, dtype=np.float32)
    labels = [str(d) for d in range(10)] + ["not a digit"]
    tab.set_network(network, "eleven classes")
    page = tab.inside_page
    assert [page.label_box.itemText(i) for i in range(page.label_box.count())][-1] == "not a digit"
    draw_seven(page, qtbot)
    page.label_box.setCurrentText("not a digit")
    panel = page.backprop_panel
    while panel.step_button.isEnabled():
        click(qtbot, panel.step_button)
    bars = panel.layer_bars
    assert [d.size for d in bars.shown("delta")] == [16, 11]
    assert "not a digit" in [label for _, label in bars.activation_plots[-1].getAxis("bottom")._tickLevels[0]]
    assert page.saliency_panel.plain.values() is None        # a section is drawn when it is shown
    page.sections.setCurrentWidget(page.saliency_panel)
    assert page.saliency_panel.plain.values() is not None
    assert "score of not a digit" in page.saliency_panel.plain.caption.text()
    page.sections.setCurrentWidget(page.attack_panel)
    page.attack_panel.epsilon.setValue(0.1)
    assert all(caption.count("\n") == 1 for caption in page.attack_panel.answers())
    assert labels == page.labels


def test_escape_clears_the_drawing_of_the_page_shown(tab, qtbot):
    page = tab.inside_page
    draw_seven(page, qtbot)
    drag(tab.draw_page.drawing.canvas, [(150, 40), (145, 100), (140, 160)])
    tab.clear_canvas()
    assert page.canvas.is_empty() and page.input is None
    assert not tab.draw_page.drawing.canvas.is_empty()      # the Draw page keeps its own drawing
    assert page.answer.text().startswith("Draw a digit")


def test_a_test_digit_chosen_before_the_data_arrives_is_shown_when_it_does(tab, qtbot, mnist_data):
    page = tab.inside_page
    page.from_test.setChecked(True)          # as a remembered setting puts it back at start-up
    page.test_index.setValue(12)
    assert page.input is None
    tab.set_data(mnist_data)
    assert np.allclose(page.input, mnist_data.test_images[12].reshape(28, 28))
    assert page.label_box.currentText() == str(mnist_data.test_labels[12])
