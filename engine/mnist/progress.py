"""A training run as the window watches it: cumulative snapshots, a few dozen a second.

``train_mnist`` yields a record per optimizer step; a window cannot draw that fast and need not. The
worker thread keeps only the newest record when the window is busy, so each ``TrainingUpdate`` is
*cumulative* (whole histories, not deltas) and makes sense on its own; every array in it is a copy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from engine.mnist.files import MnistData
from engine.mnist.models import train_mnist
from engine.network import Network
from engine.optimizers import Optimizer


@dataclass
class TrainingUpdate:
    """A snapshot of a training run so far; every array is a copy owned by the receiver."""

    epoch: int
    epochs: int
    step: int
    steps_total: int
    seconds: float
    loss_steps: np.ndarray                 # x of the loss curve (optimizer steps)
    losses: np.ndarray                     # mean batch loss over each reporting window
    epoch_numbers: list[int] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    first_weights: np.ndarray | None = None    # (784, n_hidden) first Dense layer
    weights: list[np.ndarray] | None = None    # all parameters, at epoch ends and at the end
    finished: bool = False
    problem: str | None = None                 # why training had to stop (plain words)

    @property
    def seconds_left(self) -> float | None:
        if self.step <= 0 or self.finished:
            return None
        return self.seconds / self.step * max(0, self.steps_total - self.step)


DIVERGED = ("The cost became infinite or NaN: the steps are too large for this network. "
            "Try a smaller learning rate (the model keeps its last good weights).")


def training_updates(network: Network, optimizer: Optimizer, data: MnistData, epochs: int,
                     batch_size: int, seed: int = 0, train_limit: int | None = None,
                     every_seconds: float = 0.02, points_per_epoch: int = 200,
                     weights_every_seconds: float = 0.25) -> Iterator[TrainingUpdate]:
    """Run `train_mnist` and yield a cumulative `TrainingUpdate` about every `every_seconds`
    and at each epoch end. The loss curve averages the batch losses over windows so an epoch
    gives at most `points_per_epoch` points, whatever the batch size.

    Updates come often (so the cost curve moves smoothly) and must stay small: the first-layer
    weights, which the UI draws only a few times a second, are copied into an update at most every
    `weights_every_seconds` (and always at epoch ends and into the first and last update);
    otherwise `first_weights` is None."""
    n = data.train_images.shape[0] if train_limit is None else min(train_limit, data.train_images.shape[0])
    steps_per_epoch = -(-n // batch_size)
    window = max(1, steps_per_epoch // points_per_epoch)
    loss_steps: list[int] = []
    losses: list[float] = []
    pending: list[float] = []
    epoch_numbers: list[int] = []
    train_acc: list[float] = []
    test_acc: list[float] = []
    last_yield = 0.0
    last_weights = -np.inf       # when first_weights were last copied into an update
    dense = network.dense_layers[0]

    def snapshot(record, with_all: bool, finished: bool = False) -> TrainingUpdate:
        nonlocal last_weights
        now = time.monotonic()
        with_first = with_all or now - last_weights >= weights_every_seconds
        if with_first:
            last_weights = now
        return TrainingUpdate(
            record.epoch, epochs, record.step, steps_per_epoch * epochs, record.seconds,
            np.array(loss_steps, dtype=np.float64), np.array(losses, dtype=np.float64),
            list(epoch_numbers), list(train_acc), list(test_acc),
            dense.weights.value.copy() if with_first else None,
            network.get_weights() if with_all else None, finished)

    record = None
    for record in train_mnist(network, optimizer, data, epochs, batch_size, seed=seed,
                              train_limit=train_limit, report_every=1):
        if not np.isfinite(record.loss):
            update = snapshot(record, with_all=False)
            update.problem = DIVERGED
            yield update
            return
        if record.kind == "batch":
            pending.append(record.loss)
            if len(pending) >= window:
                loss_steps.append(record.step)
                losses.append(float(np.mean(pending)))
                pending.clear()
            now = time.monotonic()
            if now - last_yield >= every_seconds:
                last_yield = now
                yield snapshot(record, with_all=False)
        else:
            epoch_numbers.append(record.epoch)
            train_acc.append(float(record.accuracy))
            test_acc.append(float(record.val_accuracy))
            last_yield = time.monotonic()
            yield snapshot(record, with_all=True, finished=record.epoch == epochs)
