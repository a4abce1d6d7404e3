"""Training as a loop the caller drives.

``train`` is a generator: each ``next()`` runs some optimisation steps and hands back a small
``TrainRecord``. The caller decides what to do with it (print it, plot it, stop). Nothing here knows
about threads or windows, so tests and the command line iterate it directly and the GUI runs the
very same loop in a worker thread.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable, Iterator

import numpy as np

from engine.layers import as_generator
from engine.loops import drive
from engine.network import Network
from engine.optimizers import Optimizer


@dataclass
class TrainRecord:
    kind: str                 # "batch" (every report_every steps) or "epoch" (end of each epoch)
    epoch: int                # 1-based epoch the record belongs to
    step: int                 # optimizer steps taken so far
    loss: float               # batch loss, or the mean loss over the epoch
    accuracy: float | None    # batch accuracy, or the running accuracy over the epoch (None for regression)
    learning_rate: float
    samples_seen: int
    seconds: float            # wall time since training started
    val_accuracy: float | None = None
    val_loss: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def _is_classification(y: np.ndarray) -> bool:
    return y.ndim == 1 and np.issubdtype(y.dtype, np.integer)


def train(network: Network, optimizer: Optimizer, x: np.ndarray, y: np.ndarray, epochs: int,
          batch_size: int | None = None, seed: int | np.random.Generator | None = 0,
          x_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
          report_every: int = 1, should_stop: Callable[[], bool] | None = None) -> Iterator[TrainRecord]:
    """Mini-batch gradient descent over (x, y) for a number of epochs, yielding records.

    batch_size None means full batch (the whole set every step). Samples are reshuffled each epoch
    with the injected seed. Returns (as the generator's value) the last epoch record.
    """
    n = x.shape[0]
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if n == 0 or y.shape[0] != n:
        raise ValueError(f"need matching, non-empty inputs and targets, got {n} and {y.shape[0]}")
    batch = n if batch_size is None else int(batch_size)
    if batch < 1:
        raise ValueError(f"batch size must be at least 1, got {batch_size}")
    rng = as_generator(seed)
    classify = _is_classification(y)
    started = time.perf_counter()
    step = seen = 0
    last_epoch: TrainRecord | None = None
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n) if batch < n else None
        loss_sum = correct = 0.0
        for start in range(0, n, batch):
            if should_stop is not None and should_stop():
                return last_epoch
            rows = order[start:start + batch] if order is not None else slice(None)
            xb, yb = x[rows], y[rows]
            output = network.forward(xb)
            loss = network.loss.forward(output, yb)
            network.backward(network.loss.backward(output, yb), input_grad=False)
            lr = optimizer.current_learning_rate
            optimizer.step()
            step += 1
            m = xb.shape[0]
            seen += m
            loss_sum += loss * m
            batch_acc = None
            if classify:
                hits = int(np.count_nonzero(output.argmax(axis=1) == yb))
                correct += hits
                batch_acc = hits / m
            if step % report_every == 0:
                yield TrainRecord("batch", epoch, step, loss, batch_acc, lr, seen,
                                  time.perf_counter() - started)
        val_acc = val_loss = None
        if x_val is not None and y_val is not None:
            val_loss = network.loss_value(x_val, y_val)
            val_acc = network.accuracy(x_val, y_val) if _is_classification(y_val) else None
        last_epoch = TrainRecord("epoch", epoch, step, loss_sum / n, correct / n if classify else None,
                                 optimizer.current_learning_rate, seen, time.perf_counter() - started,
                                 val_acc, val_loss)
        yield last_epoch
    return last_epoch


def fit(network: Network, optimizer: Optimizer, x: np.ndarray, y: np.ndarray, epochs: int,
        **options) -> TrainRecord | None:
    """Run ``train`` to the end and return its last epoch record (for scripts and tests)."""
    return drive(train(network, optimizer, x, y, epochs, report_every=10**9, **options))


def run_toy_training(dataset: str = "spiral", hidden: int = 64, optimizer: str = "adam",
                     learning_rate: float = 0.05, epochs: int = 3000, seed: int = 0,
                     samples: int = 100, classes: int = 3, decay: float = 0.0, init: str = "he") -> dict:
    """Train Dense 2→hidden→classes (ReLU, softmax cross-entropy) full-batch on a toy set; a summary dict.

    This is the book's chapter-10 experiment (spiral, 64 hidden units) behind the ``train`` command.
    He initialisation by default: the book's "small" start can leave ReLU units dead on some seeds.
    """
    from engine.datasets import DATASETS
    from engine.network import build_mlp
    from engine.optimizers import canonical_optimizer, make_optimizer

    optimizer = canonical_optimizer(optimizer)  # the summary names it as the registry does
    if dataset not in DATASETS:
        raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(DATASETS)}")
    if hidden < 1:
        raise ValueError(f"hidden must be at least 1, got {hidden}")
    X, y = DATASETS[dataset](samples=samples, classes=classes, seed=seed)
    net = build_mlp([2, hidden, classes], "relu", "softmax_ce", init=init, seed=seed)
    opt = make_optimizer(optimizer, net.parameters(), learning_rate=learning_rate, decay=decay)
    started = time.perf_counter()
    fit(net, opt, X, y, epochs)
    return {"dataset": dataset, "hidden": hidden, "optimizer": optimizer, "epochs": epochs,
            "final_loss": net.loss_value(X, y), "accuracy": net.accuracy(X, y),
            "seconds": round(time.perf_counter() - started, 4)}
