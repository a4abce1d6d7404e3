"""The training page's plots while updates stream in: axes that stay put, curves set only when new."""

import numpy as np
import pytest

from engine.mnist.progress import TrainingUpdate
from gui.tabs.mnist.training_page import TrainingPage

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def update(losses, epochs_done=0, steps_total=1000, epochs=5, weights=None) -> TrainingUpdate:
    losses = np.asarray(losses, dtype=np.float64)
    done = list(range(1, epochs_done + 1))
    return TrainingUpdate(epoch=max(1, epochs_done), epochs=epochs, step=10 * len(losses),
                          steps_total=steps_total, seconds=1.0,
                          loss_steps=10.0 * np.arange(1, len(losses) + 1), losses=losses,
                          epoch_numbers=done, train_accuracy=[0.5 + 0.1 * e for e in done],
                          test_accuracy=[0.45 + 0.1 * e for e in done], first_weights=weights)


@pytest.fixture
def page(show):
    return show(TrainingPage(), 900, 700)


def deliver(page, qtbot, snapshot) -> None:
    """Hand the page an update and wait for its own curve clock to draw it."""
    drawn = page.curve_redraws
    page.receive(snapshot)
    qtbot.waitUntil(lambda: page.curve_redraws > drawn, timeout=2000)


def y_range(plot):
    return plot.getPlotItem().getViewBox().viewRange()[1]


def x_range(plot):
    return plot.getPlotItem().getViewBox().viewRange()[0]


def test_cost_axes_span_the_run_and_the_y_axis_only_grows(page, qtbot):
    deliver(page, qtbot, update([2.3, 1.9, 1.5]))
    low, high = x_range(page.loss_plot)
    assert low <= 0 and 1000 <= high <= 1050                   # the whole run, not just 30 steps
    bottom, top = y_range(page.loss_plot)
    assert bottom == pytest.approx(0) and 2.3 < top < 2.3 * 1.2
    deliver(page, qtbot, update([2.3, 1.9, 1.5, 0.8, 0.6]))   # costs fall: the axis stays
    assert y_range(page.loss_plot)[1] == pytest.approx(top)
    deliver(page, qtbot, update([2.3, 1.9, 1.5, 0.8, 0.6, 4.0]))   # a spike above the top
    new_top = y_range(page.loss_plot)[1]
    assert 4.0 < new_top < 4.0 * 1.2                            # the spike is on screen
    steps, costs = page.loss_curve.getData()
    assert costs[-1] == 4.0 and len(steps) == 6
    assert x_range(page.loss_plot) == pytest.approx((low, high))    # x did not move
    page.clear_curves()                                          # a new run starts from scratch
    deliver(page, qtbot, update([0.9, 0.7], steps_total=400))
    assert y_range(page.loss_plot)[1] < 0.9 * 1.2 and x_range(page.loss_plot)[1] < 450


def test_accuracy_curves_are_set_only_when_an_epoch_ends(page, qtbot):
    changes = []
    page.train_curve.sigPlotChanged.connect(lambda *_: changes.append(1))
    deliver(page, qtbot, update([2.0], epochs_done=0))
    assert page.placeholders[1].isVisible()
    hint_x = page.placeholders[1].pos().x()
    assert x_range(page.accuracy_plot)[0] < hint_x < x_range(page.accuracy_plot)[1]   # hint on screen
    deliver(page, qtbot, update([2.0, 1.0], epochs_done=1))
    assert len(changes) == 2            # once for the empty start of the run, once for epoch 1
    x, y = page.train_curve.getData()
    assert list(x) == [1] and y[0] == pytest.approx(0.6)
    assert not page.placeholders[1].isVisible() and page.accuracy_legend.isVisible()
    for more in ([2.0, 1.0, 0.9], [2.0, 1.0, 0.9, 0.8]):       # batches within epoch 2
        deliver(page, qtbot, update(more, epochs_done=1))
    assert len(changes) == 2
    deliver(page, qtbot, update([2.0, 1.0, 0.9, 0.8, 0.7], epochs_done=2))
    assert len(changes) == 3
    assert list(page.test_curve.getData()[0]) == [1, 2]
    low, high = x_range(page.accuracy_plot)
    assert low < 1 and 5 < high < 6                          # all 5 epochs of the run fit


def test_weights_arriving_without_a_copy_keep_the_last_picture(page, qtbot):
    weights = np.random.default_rng(0).normal(0, 0.1, (784, 16))
    page.receive(update([1.0], weights=weights))
    page.flush()
    page.receive(update([1.0, 0.9]))                 # no weights in this one: nothing is lost
    page.flush()
    np.testing.assert_allclose(page.weights.cell_images()[3].ravel(), weights[:, 3])
