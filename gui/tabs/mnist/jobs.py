"""The MNIST Inspector's background work, as plain NumPy functions (no Qt here).

These run inside `gui.worker.BackgroundJob` threads. Everything they hand back is a fresh copy, and
training updates are *cumulative* (whole histories, not deltas): the worker keeps only the newest
record when the UI is busy, so an update must make sense on its own.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from engine.activations import ReLU, Sigmoid, Softmax, Tanh
from engine.layers import Dense, as_generator
from engine.mnist import DownloadError, MnistData, MnistDataError, iter_download, load_mnist
from engine.mnist.models import class_probabilities, train_mnist, with_noise_class
from engine.network import Network
from engine.optimizers import Optimizer

IMAGE_PIXELS = 784


# --- what the network says about images --------------------------------------------------------
def output_scores(network: Network, images: np.ndarray, batch: int = 5000) -> np.ndarray:
    """The network's raw outputs per image: softmax probabilities, or for squared-error networks
    the sigmoid activations of the output neurons (these need not sum to 1). Shape (N, classes)."""
    images = np.asarray(images, dtype=network.dtype).reshape(-1, IMAGE_PIXELS)
    parts = [network.predict_proba(images[i:i + batch]) for i in range(0, images.shape[0], batch)]
    return np.concatenate(parts) if parts else np.zeros((0, network.layer_sizes[-1]))


def probabilities(network: Network, images: np.ndarray) -> np.ndarray:
    """Class probabilities summing to 1 per image, as the engine defines them for every model
    (for sigmoid outputs: each neuron's share of the total activation). Shape (N, classes)."""
    return class_probabilities(network, np.asarray(images).reshape(-1, IMAGE_PIXELS)).astype(np.float64)


def outputs_are_probabilities(network: Network) -> bool:
    return network.loss.takes_logits or isinstance(network.layers[-1], Softmax)


def hidden_activations(network: Network, image: np.ndarray) -> list[np.ndarray]:
    """The activation of every hidden neuron for one image: one 1-D array per hidden layer."""
    x = np.asarray(image, dtype=network.dtype).reshape(1, IMAGE_PIXELS)
    found = []
    layers = network.layers
    for index, layer in enumerate(layers):
        x = layer.forward(x)
        more_dense_later = any(isinstance(later, Dense) for later in layers[index + 1:])
        if isinstance(layer, (ReLU, Sigmoid, Tanh)) and more_dense_later:
            found.append(x[0].astype(np.float64))
    return found


COST_NAMES = {"SumSquaredError": "squared-error cost", "MeanSquaredError": "mean squared error",
              "SoftmaxCrossEntropy": "softmax cross-entropy", "CategoricalCrossEntropy": "cross-entropy"}


def describe(network: Network) -> str:
    """E.g. '784-16-16-10, sigmoid, squared-error cost'."""
    sizes = "-".join(str(s) for s in network.layer_sizes)
    kinds = {type(layer).__name__.lower() for layer in network.layers} & {"relu", "sigmoid", "tanh"}
    cost = COST_NAMES.get(type(network.loss).__name__, type(network.loss).__name__)
    return f"{sizes}, {', '.join(sorted(kinds)) or 'linear'}, {cost}"


# --- training ---------------------------------------------------------------------------------
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


@dataclass(frozen=True)
class JobProblem:
    """An expected failure (no connection, bad files) handed back as a result, in plain words.

    Raising would also work, but the main window treats every exception in a worker as a bug and
    shows a traceback dialog; a missing network is not a bug.
    """

    message: str


def download_steps(target_dir, mirrors=None):
    """`iter_download`, with its expected failures returned as a JobProblem."""
    try:
        return (yield from iter_download(target_dir, mirrors))
    except (DownloadError, OSError, ValueError) as exc:
        return JobProblem(str(exc))


def load_data(directory) -> MnistData | JobProblem:
    """`load_mnist`, with damaged or unreadable files reported as a JobProblem."""
    try:
        return load_mnist(directory)
    except (MnistDataError, OSError) as exc:
        return JobProblem(str(exc))


DIVERGED = ("The cost became infinite or NaN: the steps are too large for this network. "
            "Try a smaller learning rate (the model keeps its last good weights).")


def add_noise_class(data: MnistData, train_limit: int, noise_fraction: float,
                    seed: int) -> MnistData:
    """The first `train_limit` training images plus `noise_fraction` as many uniform-noise images
    labelled NOT_A_DIGIT (the engine's `with_noise_class`, applied to the subset)."""
    subset = MnistData(data.train_images[:train_limit], data.train_labels[:train_limit],
                       data.test_images, data.test_labels, data.directory)
    count = max(1, int(round(noise_fraction * subset.train_images.shape[0])))
    return with_noise_class(subset, count, seed)


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
    dense = next(layer for layer in network.layers if isinstance(layer, Dense))

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


# --- noise against digits ----------------------------------------------------------------------
def noise_experiment(network: Network, count: int, seed: int,
                     test_images: np.ndarray | None = None) -> dict:
    """Feed `count` uniform-noise images (the same noise as `engine.mnist.models.noise_report`)
    and, when given, as many real test digits. The confidence of an image is its highest *digit*
    probability (classes 0-9; an extra "not a digit" class is left out, so a network that learned
    to reject noise shows low confidence on it)."""
    noise = as_generator(seed).random((count, IMAGE_PIXELS), dtype=np.float32)
    p = probabilities(network, noise)
    classes = p.shape[1]
    result = {
        "count": count,
        "classes": classes,
        "noise_top": p[:, :10].max(axis=1),
        "predicted_counts": np.bincount(np.argmax(p, axis=1), minlength=classes),
        "digits_top": None,
    }
    result["fraction_above_0_9"] = float(np.mean(result["noise_top"] > 0.9))
    result["mean_top"] = float(np.mean(result["noise_top"]))
    if test_images is not None and len(test_images):
        result["digits_top"] = probabilities(network, test_images[:count])[:, :10].max(axis=1)
    return result


def histogram(values: np.ndarray, bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Counts over [0, 1] in `bins` equal bins (values outside are clipped into the end bins)."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(np.clip(values, 0.0, 1.0), bins=edges)
    return edges, counts


# --- evaluation -------------------------------------------------------------------------------
def evaluation(network: Network, images: np.ndarray, labels: np.ndarray) -> dict:
    """Test accuracy, the 10×10 confusion matrix, and per image the answer and its confidence.

    An answer "not a digit" (class 10 of a noise-trained network) counts as a mistake and is left
    out of the 10×10 matrix but kept in `predicted`."""
    p = probabilities(network, images)
    predicted = np.argmax(p, axis=1)
    confidence = p[np.arange(len(predicted)), predicted]
    labels = np.asarray(labels, dtype=np.int64)
    digit = predicted < 10
    confusion = np.bincount(labels[digit] * 10 + predicted[digit], minlength=100).reshape(10, 10)
    return {"accuracy": float(np.mean(predicted == labels)), "confusion": confusion,
            "predicted": predicted, "confidence": confidence}
