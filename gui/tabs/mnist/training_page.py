"""Live training curves and the first-layer weight images.

Updates arrive as cumulative `TrainingUpdate` snapshots; the page keeps the newest and redraws
on two clocks: curves about 40 times a second, weight images 4 times a second (sixteen 28×28
images are cheap, a few hundred are not).

A repaint of the cost plot must stay cheap, because it happens dozens of times a second while the
user may be clicking: its axes do not follow the data on their own (auto-range would move them,
and redraw ticks and grid, on every update). The x axis spans the whole run from the start; the
y axis only grows, when a cost above its top arrives. The accuracy curves change once per epoch,
on an x axis that also spans the whole run.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from engine.mnist.progress import TrainingUpdate
from gui.accessibility import describe
from gui.plot_text import add_legend
from gui.plotting import Throttle, cache_axes, make_plot, pen
from gui.style import HINT_TEXT, TEST_IMAGES, TRAINING_IMAGES
from gui.tabs.mnist.scrolling_page import ScrollingPage
from gui.tabs.mnist.weight_grid import WeightGrid
from gui.widgets.controls import relabel
from gui.widgets.wrapping_label import WrappingLabel


class TrainingPage(ScrollingPage):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = make_plot("Training cost per batch", "step", "cost")
        self.loss_plot.setToolTip("Cost of the mini-batches as training goes (averaged over a few steps)")
        self.loss_plot.getPlotItem().setDownsampling(auto=True, mode="peak")
        self.loss_plot.getPlotItem().setClipToView(True)
        self.loss_plot.getPlotItem().disableAutoRange()   # ranges are set by _fit_cost_range
        self.loss_curve = self.loss_plot.plot([], [], pen=pen(0, 1.5), name="cost")
        self.accuracy_plot = make_plot("Accuracy per epoch", "epoch", "accuracy")
        self.accuracy_plot.setToolTip("Share of images classified correctly after each epoch")
        self.accuracy_legend = add_legend(self.accuracy_plot.getPlotItem())
        self.accuracy_legend.setVisible(False)   # shown with the first epoch, instead of the hint
        self.accuracy_plot.setYRange(0, 1, padding=0.02)
        self.train_curve = self.accuracy_plot.plot([], [], pen=pen(TRAINING_IMAGES), symbol="o", symbolSize=6,
                                                   symbolBrush=TRAINING_IMAGES, name="training images")
        self.test_curve = self.accuracy_plot.plot([], [], pen=pen(TEST_IMAGES), symbol="s", symbolSize=6,
                                                  symbolBrush=TEST_IMAGES, name="test images")
        self.placeholders = []
        # short lines: a projector beside the lesson leaves each plot about 190 px of data area
        for plot, text in ((self.loss_plot, "No training yet:\npress Start\n(needs MNIST)"),
                           (self.accuracy_plot, "Filled in after\neach epoch")):
            hint = pg.TextItem(text, color=HINT_TEXT, anchor=(0.5, 0.5))
            plot.addItem(hint, ignoreBounds=True)
            hint.setPos(0.5, 0.5)
            self.placeholders.append(hint)
        self.weights = WeightGrid(max_cells=64)
        self.change_box = QCheckBox("Show change since start of training")
        self.change_box.setToolTip("Show how much each weight moved since training started instead of its value")
        self.change_box.setObjectName("Show weight change since start")  # the key it was remembered under
        self.change_box.setEnabled(False)
        self.change_box.toggled.connect(self._draw_weights)
        note = WrappingLabel("First-layer weights: one 28×28 picture per hidden neuron. For the lesson's 16 neurons "
                      "they look nearly random, not like clean strokes or edges.")
        note.setWordWrap(True)

        curves = QHBoxLayout()
        curves.addWidget(self.loss_plot, 1)
        curves.addWidget(self.accuracy_plot, 1)
        relabel(self.change_box, "Show change since start")
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setMinimumHeight(170)
            cache_axes(plot)   # repainted dozens of times a second while training: keep the grid as a pixmap
        layout = QVBoxLayout(self.body)
        layout.addLayout(curves, 2)
        layout.addWidget(note)
        layout.addWidget(self.change_box)
        layout.addWidget(self.weights, 3)

        self._update: TrainingUpdate | None = None
        self._cost_range: tuple[float, float] | None = None   # (steps_total, top of the y axis)
        self._epochs_drawn = -1                               # epochs the accuracy curves show
        self._epoch_axis = -1                                 # run length the epoch axis spans
        self._current_first: np.ndarray | None = None
        self._start_first: np.ndarray | None = None
        self.curve_redraws = 0
        self.weight_redraws = 0
        self._curve_clock = Throttle(self._draw_curves, hz=40, parent=self)
        self._weight_clock = Throttle(self._draw_weights, hz=4, parent=self)
        self._text_clock = Throttle(self._describe_curves, hz=1, parent=self)   # for screen readers
        self._describe_curves()

    # --- public API --------------------------------------------------------------------------
    def show_network_weights(self, first_weights: np.ndarray, start: np.ndarray | None = None) -> None:
        """Show a model's first-layer weights (e.g. a loaded one); `start` enables the change view."""
        self._current_first = np.array(first_weights, copy=True)
        self._start_first = None if start is None else np.array(start, copy=True)
        self.change_box.setEnabled(self._start_first is not None)
        if self._start_first is None:
            self.change_box.setChecked(False)
        self._weight_clock.flush()

    def clear_curves(self) -> None:
        self._update = None
        self._cost_range = None
        self._epochs_drawn = -1
        self._epoch_axis = -1
        self.loss_plot.setRange(xRange=(0, 1), yRange=(0, 1))
        self.accuracy_plot.setXRange(0, 1)
        for hint in self.placeholders:
            hint.setPos(0.5, 0.5)
        for curve in (self.loss_curve, self.train_curve, self.test_curve):
            curve.setData([], [])
        for hint in self.placeholders:
            hint.show()
        self.accuracy_legend.setVisible(False)
        self._describe_curves()

    def receive(self, update: TrainingUpdate) -> None:
        """Keep the newest snapshot; drawing happens on the clocks."""
        self._update = update
        if update.first_weights is not None:
            self._current_first = update.first_weights
        self._curve_clock.request()
        self._weight_clock.request()
        self._text_clock.request()

    def flush(self) -> None:
        self._curve_clock.flush()
        self._weight_clock.flush()
        self._text_clock.flush()

    def _describe_curves(self) -> None:
        update = self._update
        if update is None or not len(update.losses):
            describe(self.loss_plot, "Cost of the mini-batches while training. No training yet.")
        else:
            describe(self.loss_plot, f"Cost of the mini-batches while training: step {update.step:,} of "
                                     f"{update.steps_total:,}, latest cost {update.losses[-1]:.4g}, "
                                     f"largest {np.nanmax(update.losses):.4g}.")
        if update is None or not update.epoch_numbers:
            describe(self.accuracy_plot, "Share of images classified correctly after each epoch. No epoch finished yet.")
        else:
            describe(self.accuracy_plot, f"Share of images classified correctly after each epoch. After epoch "
                                         f"{update.epoch_numbers[-1]}: training images {100 * update.train_accuracy[-1]:.1f}%, "
                                         f"test images {100 * update.test_accuracy[-1]:.1f}%.")

    # --- drawing -----------------------------------------------------------------------------
    def _draw_curves(self) -> None:
        update = self._update
        if update is None:
            return
        self.curve_redraws += 1
        self.placeholders[0].setVisible(len(update.losses) == 0)
        self._fit_cost_range(update)
        self.loss_curve.setData(update.loss_steps, update.losses)
        epochs = len(update.epoch_numbers)
        if epochs != self._epochs_drawn:   # new points only at epoch ends: skip the repaint otherwise
            self._epochs_drawn = epochs
            self.placeholders[1].setVisible(epochs == 0)
            self.accuracy_legend.setVisible(epochs > 0)
            self._fit_epoch_axis(update.epochs)
            self.train_curve.setData(update.epoch_numbers, update.train_accuracy)
            self.test_curve.setData(update.epoch_numbers, update.test_accuracy)

    def _fit_epoch_axis(self, epochs: int) -> None:
        """The accuracy plot's x axis spans the whole run, with ticks at whole epochs. Set once
        per run: re-fitting it to the points at every epoch made each of those repaints ~30 ms."""
        if epochs == self._epoch_axis:
            return
        self._epoch_axis = epochs
        step = max(1, int(np.ceil(epochs / 10)))
        self.accuracy_plot.getAxis("bottom").setTickSpacing(major=step, minor=step)
        self.accuracy_plot.setXRange(0.5, max(epochs, 1) + 0.5, padding=0)
        self.placeholders[1].setPos((max(epochs, 1) + 1) / 2, 0.5)       # the hint stays centred

    def _fit_cost_range(self, update: TrainingUpdate) -> None:
        """x: the whole run; y: from 0 to just above the largest cost so far, only ever growing."""
        finite = update.losses[np.isfinite(update.losses)]
        largest = float(finite.max()) if finite.size else 0.0
        if self._cost_range is not None and self._cost_range[0] == update.steps_total \
                and largest <= self._cost_range[1]:
            return                                   # the axes stay put: the cheap, common case
        top = max(largest * 1.1, self._cost_range[1] if self._cost_range else 0.0, 1e-3)
        self._cost_range = (update.steps_total, top)
        self.loss_plot.setXRange(0, max(update.steps_total, 1), padding=0.02)
        self.loss_plot.setYRange(0, top, padding=0)
        self.placeholders[0].setPos(max(update.steps_total, 1) / 2, top / 2)

    def _draw_weights(self, *_args) -> None:
        if self._current_first is None:
            return
        self.weight_redraws += 1
        shown = self._current_first
        if self.change_box.isChecked() and self._start_first is not None \
                and self._start_first.shape == shown.shape:
            shown = shown - self._start_first
        self.weights.set_weights(shown)
