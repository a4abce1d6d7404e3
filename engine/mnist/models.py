"""Digit networks: the lesson's 784-16-16-10 and two others, how to train them, how to keep them.

Three presets, each a complete recipe (architecture, cost, optimizer, batch size, epochs):

* ``3b1b``  – 784-16-16-10, sigmoid everywhere and the squared-error cost: the network of the
  3Blue1Brown videos, trained with plain mini-batch gradient descent whose step size is annealed
  to zero (cosine) over 15 epochs. 95.0% of test digits on average over seeds 0-4 (94.4-95.5%);
  the shipped model, seed 0, 95.5% (``python main.py mnist train --preset 3b1b --seed 0``). The
  video says "about 96%": no recipe for these 16 + 16 sigmoid neurons and this cost reached it
  (sigmoid outputs with squared error learn slowly once saturated; assets/models/README.md).
* ``relu``  – the same shape with ReLU and softmax cross-entropy (Adam): the modern defaults.
* ``wide``  – 784-256-128-10 with ReLU and softmax cross-entropy (Adam): about 98%, "the tweaks".

Everything runs in float32 on whole mini-batches (one matrix product per layer per batch). The
shipped models in ``assets/models/`` were trained by ``python main.py mnist train`` (see the
README there), so the drawing, weight and noise demos work before any data is downloaded; they are
package data, read through ``assets.asset`` wherever Descent Lab is installed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assets import asset
from engine.mnist.experiments import NON_DIGIT_SHARE, noise_report, with_noise_class
from engine.mnist.files import MnistData
from engine.mnist.non_digits import KINDS
from engine.mnist.outputs import CLASSES, INPUTS
from engine.network import ModelFileError, Network, build_mlp
from engine.optimizers import CosineDecay, Optimizer, canonical_optimizer, make_optimizer
from engine.training import TrainRecord, train

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "Preset",
    "PRESETS",
    "DTYPE",
    "build_preset",
    "run_steps",
    "train_mnist",
    "run_training",
    "pretrained_file",
    "load_pretrained",
    "load_digit_model",
    "check_digit_model",
    "describe",
]

DTYPE = np.float32
TRAIN_IMAGES = 60_000  # the MNIST training set, which the presets' runs are measured on


@dataclass(frozen=True)
class Preset:
    """A training recipe. `optimizer` is a registry name (engine.optimizers); `stated_accuracy` is
    the test accuracy the shipped model must reach."""

    name: str
    description: str
    sizes: tuple[int, ...]
    activation: str
    loss: str
    init: str
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    stated_accuracy: float
    decay: float = 0.0
    #: None: η/(1 + decay·t); "cosine": η annealed to zero over the whole run (`CosineDecay`).
    schedule: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "optimizer", canonical_optimizer(self.optimizer))  # a registry name

    def as_dict(self) -> dict:
        return {
            "name": self.name, "description": self.description, "sizes": list(self.sizes),
            "activation": self.activation, "loss": self.loss, "init": self.init,
            "optimizer": self.optimizer, "learning_rate": self.learning_rate, "decay": self.decay,
            "schedule": self.schedule, "batch_size": self.batch_size, "epochs": self.epochs,
            "stated_accuracy": self.stated_accuracy,
        }


PRESETS: dict[str, Preset] = {
    "3b1b": Preset(
        "3b1b",
        "The lesson's network: 784-16-16-10, sigmoid neurons, squared-error cost, "
        "plain mini-batch gradient descent, its step size annealed to zero over the run.",
        (784, 16, 16, 10), "sigmoid", "sse", "xavier", "sgd", 0.5, 10, 15, 0.95, schedule="cosine",
    ),
    "relu": Preset(
        "relu",
        "Same shape with today's defaults: ReLU neurons, softmax cross-entropy, Adam.",
        (784, 16, 16, 10), "relu", "softmax_ce", "he", "adam", 0.003, 32, 10, 0.93,
    ),
    "wide": Preset(
        "wide",
        "A wider network, 784-256-128-10, ReLU, softmax cross-entropy, Adam: about 98%.",
        (784, 256, 128, 10), "relu", "softmax_ce", "he", "adam", 0.002, 64, 10, 0.98, 1e-3,
    ),
}


def _preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None


def run_steps(epochs: int, images: int, batch_size: int) -> int:
    """Optimizer steps in a run: every epoch ends with one smaller batch if the data does not divide."""
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch size must be at least 1, got {epochs} and {batch_size}")
    return epochs * math.ceil(images / batch_size)


def build_preset(name: str, seed: int = 0, learning_rate: float | None = None,
                 steps: int | None = None, not_a_digit: bool = False) -> tuple[Network, Optimizer]:
    """A freshly initialised float32 network for preset `name` and its optimizer.

    `steps` is the length of the run, which a cosine schedule anneals over; by default the
    preset's own run: its epochs over the 60,000 MNIST training digits. `not_a_digit` adds an
    11th output for the "not a digit" class.
    """
    preset = _preset(name)
    sizes = preset.sizes[:-1] + (CLASSES + 1,) if not_a_digit else preset.sizes
    network = build_mlp(sizes, activation=preset.activation, loss=preset.loss,
                        init=preset.init, seed=seed, dtype=DTYPE)
    if steps is None:
        steps = run_steps(preset.epochs, TRAIN_IMAGES, preset.batch_size)
    schedule = CosineDecay(steps) if preset.schedule == "cosine" else None
    optimizer = make_optimizer(preset.optimizer, network.parameters(),
                               learning_rate=preset.learning_rate if learning_rate is None else learning_rate,
                               decay=preset.decay, schedule=schedule)
    return network, optimizer


def _training_set(data: MnistData, train_limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The training images and labels, or only the first `train_limit` of them."""
    if train_limit is None:
        return data.train_images, data.train_labels
    if train_limit < 1:
        raise ValueError(f"train_limit must be at least 1, got {train_limit}")
    return data.train_images[:train_limit], data.train_labels[:train_limit]


def train_mnist(
    network: Network,
    optimizer: Optimizer,
    data: MnistData,
    epochs: int,
    batch_size: int,
    seed: int = 0,
    train_limit: int | None = None,
    report_every: int = 50,
    should_stop: Callable[[], bool] | None = None,
) -> Iterator[TrainRecord]:
    """Train on MNIST, yielding `TrainRecord`s; epoch records carry the test accuracy and loss.

    `seconds` counts training time only (the test evaluation after each epoch is excluded), so
    epoch times are comparable with a bare NumPy loop. `train_limit` trains on the first N
    images only (quick demos and tests). Stopping = stop iterating, or `should_stop()`.
    """
    x, y = _training_set(data, train_limit)
    steps = train(network, optimizer, x, y, epochs, batch_size=batch_size, seed=seed,
                  report_every=report_every, should_stop=should_stop)
    paused = 0.0  # time spent outside the training loop (evaluating, or the caller's own work)
    for record in steps:
        resumed = time.perf_counter()
        record = replace(record, seconds=record.seconds - paused)
        if record.kind == "epoch":
            record = replace(record, val_accuracy=network.accuracy(data.test_images, data.test_labels),
                             val_loss=network.loss_value(data.test_images, data.test_labels))
        yield record
        paused += time.perf_counter() - resumed


def run_training(
    preset: str,
    data: MnistData,
    epochs: int | None = None,
    seed: int = 0,
    batch_size: int | None = None,
    learning_rate: float | None = None,
    train_limit: int | None = None,
    save: str | Path | None = None,
    on_epoch: Callable[[TrainRecord], None] | None = None,
    not_a_digit: bool = False,
) -> dict:
    """Train a preset to the end (command line, benchmarks) and summarise it as a dict.

    Keys: preset, parameters, epochs, batch_size, learning_rate, seed, train_images,
    test_accuracy, train_seconds, epoch_seconds (list, training time of each epoch), saved.
    With `not_a_digit`, the network gets an 11th output taught on NON_DIGIT_SHARE as many
    non-digits of every kind (`with_noise_class`), and the summary adds non_digit_images and
    rejected: {kind: share of 1,000 fresh non-digits of that kind answered "not a digit"}.
    test_accuracy counts a real digit answered "not a digit" as a mistake.
    """
    recipe = _preset(preset)
    epochs = recipe.epochs if epochs is None else int(epochs)
    batch = recipe.batch_size if batch_size is None else int(batch_size)
    images = _training_set(data, train_limit)[0].shape[0]
    non_digits = max(1, round(NON_DIGIT_SHARE * images)) if not_a_digit else 0
    if not_a_digit:
        data, train_limit = with_noise_class(data, non_digits, seed, train_limit), None
    network, optimizer = build_preset(preset, seed=seed, learning_rate=learning_rate,
                                      steps=run_steps(epochs, images + non_digits, batch),
                                      not_a_digit=not_a_digit)
    epoch_seconds: list[float] = []
    last: TrainRecord | None = None
    previous = 0.0
    for record in train_mnist(network, optimizer, data, epochs, batch, seed=seed,
                              train_limit=train_limit, report_every=10**9):
        if record.kind == "epoch":
            epoch_seconds.append(record.seconds - previous)
            previous = record.seconds
            last = record
            if on_epoch is not None:
                on_epoch(record)
    if save is not None:
        Path(save).parent.mkdir(parents=True, exist_ok=True)
        network.save(save)
    summary = {
        "preset": preset,
        "parameters": network.parameter_count(),
        "epochs": epochs,
        "batch_size": batch,
        "learning_rate": optimizer.learning_rate,
        "seed": seed,
        "train_images": int(images),
        "test_accuracy": float(last.val_accuracy) if last is not None else None,
        "train_seconds": float(sum(epoch_seconds)),
        "epoch_seconds": [float(s) for s in epoch_seconds],
        "saved": str(save) if save is not None else None,
    }
    if not_a_digit:
        summary["non_digit_images"] = non_digits
        summary["rejected"] = {kind: noise_report(network, 1000, seed, kind=kind)["fraction_not_a_digit"]
                               for kind in KINDS}
    return summary


# --- models on disk ------------------------------------------------------------------------------
def pretrained_file(name: str) -> Traversable:
    """The shipped model of preset `name`: assets/models/NAME.npz, as package data."""
    _preset(name)
    return asset("models", f"{name}.npz")


def check_digit_model(network: Network, label: str = "model") -> Network:
    """Raise ModelFileError unless `network` takes 784 pixels and gives 10 class scores
    (or 11: the ten digits plus "not a digit")."""
    sizes = network.layer_sizes
    if len(sizes) < 2 or sizes[0] != INPUTS or sizes[-1] not in (CLASSES, CLASSES + 1):
        raise ModelFileError(
            f"{label}: this network has layer sizes {sizes}; a digit model needs 784 inputs and 10 outputs"
        )
    return network


def load_digit_model(path: str | Path) -> Network:
    """Load a saved network (no pickle, validated) and check it is a 784 -> 10 digit model."""
    path = Path(path)
    return check_digit_model(Network.load(path), path.name)


def load_pretrained(name: str = "3b1b") -> Network:
    """The shipped, already trained network of preset `name` (works without MNIST on disk)."""
    shipped = pretrained_file(name)
    if not shipped.is_file():
        raise ModelFileError(
            f"{shipped.name}: the pretrained model is missing from this installation; reinstall "
            f"Descent Lab, or retrain it with the command in assets/models/README.md"
        )
    with as_file(shipped) as path:  # a real file for np.load, even when installed as a zip
        return load_digit_model(path)


COST_NAMES = {"SumSquaredError": "squared-error cost", "MeanSquaredError": "mean squared error",
              "SoftmaxCrossEntropy": "softmax cross-entropy", "CategoricalCrossEntropy": "cross-entropy"}


def describe(network: Network) -> str:
    """The network in a few words, e.g. '784-16-16-10, sigmoid, squared-error cost'."""
    sizes = "-".join(str(s) for s in network.layer_sizes)
    kinds = {type(layer).__name__.lower() for layer in network.layers} & {"relu", "sigmoid", "tanh"}
    cost = COST_NAMES.get(type(network.loss).__name__, type(network.loss).__name__)
    return f"{sizes}, {', '.join(sorted(kinds)) or 'linear'}, {cost}"
