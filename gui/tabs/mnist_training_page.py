"""Live training curves and the first-layer weight images.

Updates arrive as cumulative `TrainingUpdate` snapshots; the page keeps the newest and redraws
on two clocks: curves about 20 times a second, weight images 4 times a second (sixteen 28×28
images are cheap, a few hundred are not).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from gui.plotting import Throttle, make_plot, pen
from gui.tabs.mnist_jobs import TrainingUpdate
from gui.widgets.weight_grid import WeightGrid


class TrainingPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.loss_plot = make_plot("Training cost per batch", "step", "cost")
        self.loss_plot.setToolTip("Cost of the mini-batches as training goes (averaged over a few steps)")
        self.loss_plot.getPlotItem().setDownsampling(auto=True, mode="peak")
        self.loss_plot.getPlotItem().setClipToView(True)
        self.loss_curve = self.loss_plot.plot([], [], pen=pen(0, 1.5), name="cost")
        self.accuracy_plot = make_plot("Accuracy per epoch", "epoch", "accuracy")
        self.accuracy_plot.setToolTip("Share of images classified correctly after each epoch")
        self.accuracy_legend = self.accuracy_plot.addLegend(offset=(-10, -10))
        self.accuracy_legend.setVisible(False)   # shown with the first epoch, instead of the hint
        self.accuracy_plot.setYRange(0, 1, padding=0.02)
        self.train_curve = self.accuracy_plot.plot([], [], pen=pen(1), symbol="o", symbolSize=6,
                                                   symbolBrush="#E69F00", name="training images")
        self.test_curve = self.accuracy_plot.plot([], [], pen=pen(2), symbol="s", symbolSize=6,
                                                  symbolBrush="#009E73", name="test images")
        self.placeholders = []
        for plot, text in ((self.loss_plot, "No training yet: press Start (needs MNIST)"),
                           (self.accuracy_plot, "Filled in after each epoch")):
            hint = pg.TextItem(text, color="#555555", anchor=(0.5, 0.5))
            plot.addItem(hint, ignoreBounds=True)
            hint.setPos(0.5, 0.5)
            self.placeholders.append(hint)
        self.weights = WeightGrid(max_cells=64)
        self.change_box = QCheckBox("Show change since start of training")
        self.change_box.setToolTip("Show how much each weight moved since training started instead of its value")
        self.change_box.setAccessibleName("Show weight change since start")
        self.change_box.setEnabled(False)
        self.change_box.toggled.connect(self._draw_weights)
        note = QLabel("First-layer weights: one 28×28 picture per hidden neuron. For the lesson's 16 neurons "
                      "they look nearly random, not like clean strokes or edges.")
        note.setWordWrap(True)

        curves = QHBoxLayout()
        curves.addWidget(self.loss_plot, 3)
        curves.addWidget(self.accuracy_plot, 2)
        self.change_box.setText("Show change since start")
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.setMinimumHeight(170)
        layout = QVBoxLayout(self)
        layout.addLayout(curves, 2)
        layout.addWidget(note)
        layout.addWidget(self.change_box)
        layout.addWidget(self.weights, 3)

        self._update: TrainingUpdate | None = None
        self._current_first: np.ndarray | None = None
        self._start_first: np.ndarray | None = None
        self.curve_redraws = 0
        self.weight_redraws = 0
        self._curve_clock = Throttle(self._draw_curves, hz=20, parent=self)
        self._weight_clock = Throttle(self._draw_weights, hz=4, parent=self)

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
        for curve in (self.loss_curve, self.train_curve, self.test_curve):
            curve.setData([], [])
        for hint in self.placeholders:
            hint.show()
        self.accuracy_legend.setVisible(False)

    def receive(self, update: TrainingUpdate) -> None:
        """Keep the newest snapshot; drawing happens on the clocks."""
        self._update = update
        if update.first_weights is not None:
            self._current_first = update.first_weights
        self._curve_clock.request()
        self._weight_clock.request()

    def flush(self) -> None:
        self._curve_clock.flush()
        self._weight_clock.flush()

    # --- drawing -----------------------------------------------------------------------------
    def _draw_curves(self) -> None:
        update = self._update
        if update is None:
            return
        self.curve_redraws += 1
        self.placeholders[0].setVisible(len(update.losses) == 0)
        self.placeholders[1].setVisible(len(update.epoch_numbers) == 0)
        self.accuracy_legend.setVisible(len(update.epoch_numbers) > 0)
        self.loss_curve.setData(update.loss_steps, update.losses)
        step = max(1, int(np.ceil(update.epochs / 10)))     # whole epochs on the axis
        self.accuracy_plot.getAxis("bottom").setTickSpacing(major=step, minor=step)
        self.train_curve.setData(update.epoch_numbers, update.train_accuracy)
        self.test_curve.setData(update.epoch_numbers, update.test_accuracy)

    def _draw_weights(self, *_args) -> None:
        if self._current_first is None:
            return
        self.weight_redraws += 1
        shown = self._current_first
        if self.change_box.isChecked() and self._start_first is not None \
                and self._start_first.shape == shown.shape:
            shown = shown - self._start_first
        self.weights.set_weights(shown)
