"""The gradient attack against random noise: the derivative knows where to push, guessing does not.

Both attacks change every pixel of an image by exactly ±ε (then clip to the valid range 0..1), so
they are the same size by every measure; only the *direction* differs:

* the fast gradient sign method (FGSM, Goodfellow, Shlens & Szegedy 2014) takes the sign of
  ∂L/∂x, the direction in which each pixel raises the cost of the right answer;
* the baseline takes a random sign for every pixel, as the Random Search lesson guesses a
  direction for the weights.

At a small ε a digit still looks the same to a person. The gradient attack already breaks most
answers there, while random noise of the same size barely moves any: in 784 dimensions a random
direction is almost at right angles to the gradient, so it hardly changes the cost.

``iter_attack_curve`` measures accuracy against ε for both on a set of labelled digits, batch by
batch, as a generator the window runs in its worker (and can stop); ``attack_curve`` runs it to
the end for the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Generator, Sequence

import numpy as np

from engine.layers import as_generator
from engine.loops import drive
from engine.mnist.outputs import INPUTS
from engine.mnist.saliency import loss_gradients
from engine.network import Network

#: The largest push the lesson offers: at 0.3 a digit is visibly grainy but still easy to read.
MAX_EPSILON = 0.3
#: Digits measured per piece of work: big enough for fast matrix products, small enough to stop soon.
CURVE_BATCH = 500


def check_epsilons(epsilons: Sequence[float]) -> list[float]:
    """The ε values as floats; ValueError unless there is at least one and each is in [0, 1]."""
    values = [float(e) for e in epsilons]
    if not values:
        raise ValueError("give at least one value of ε")
    bad = [e for e in values if not (np.isfinite(e) and 0.0 <= e <= 1.0)]
    if bad:
        raise ValueError(f"ε must be between 0 and 1 (pixels range from 0 to 1), got {bad[0]:g}")
    return values


def gradient_signs(network: Network, images: np.ndarray, labels) -> np.ndarray:
    """sign(∂L/∂x) for each image against its label: the FGSM direction, (N, 784) of −1, 0, +1."""
    return np.sign(loss_gradients(network, images, labels))


def random_signs(count: int, seed: int | np.random.Generator = 0, dtype=np.float32) -> np.ndarray:
    """(count, 784) random ±1: a direction of the same size as the FGSM one, chosen blindly."""
    return (2 * as_generator(seed).integers(0, 2, (count, INPUTS), dtype=np.int8) - 1).astype(dtype)


def push(images: np.ndarray, directions: np.ndarray, epsilon: float) -> np.ndarray:
    """Every pixel moved by ε along its direction's sign, then clipped to [0, 1]."""
    return np.clip(images + epsilon * directions, 0.0, 1.0).astype(images.dtype, copy=False)


@dataclass(frozen=True)
class AttackCurve:
    """Accuracy against ε for both attacks, on the first `done` of `count` digits."""

    epsilons: list[float]
    accuracy_gradient: list[float]
    accuracy_random: list[float]
    done: int
    count: int

    def as_dict(self) -> dict:
        return {"epsilons": list(self.epsilons), "accuracy_gradient": list(self.accuracy_gradient),
                "accuracy_random": list(self.accuracy_random), "count": self.done}


def iter_attack_curve(network: Network, images: np.ndarray, labels: np.ndarray, epsilons: Sequence[float],
                      seed: int | np.random.Generator = 0, batch: int = CURVE_BATCH
                      ) -> Generator[AttackCurve, None, AttackCurve]:
    """Accuracy at each ε under the gradient attack and under random ±ε noise, batch by batch.

    Yields the curve over the digits measured so far after every batch (stop iterating to cancel;
    the last curve is then a fair measurement on fewer digits) and returns the full one. Per batch
    the gradient is taken once, at the clean images: FGSM's direction does not depend on ε.
    """
    values = check_epsilons(epsilons)
    images = np.asarray(images, dtype=network.dtype).reshape(-1, INPUTS)
    truth = np.asarray(labels, dtype=np.int64)
    if images.shape[0] == 0 or images.shape[0] != truth.shape[0]:
        raise ValueError(f"need matching, non-empty images and labels, got {images.shape[0]} and {truth.shape[0]}")
    if batch < 1:
        raise ValueError(f"batch must be at least 1, got {batch}")
    rng = as_generator(seed)
    count = images.shape[0]
    right_gradient = np.zeros(len(values), dtype=np.int64)
    right_random = np.zeros(len(values), dtype=np.int64)
    curve = None
    for start in range(0, count, batch):
        x, y = images[start:start + batch], truth[start:start + batch]
        towards_cost = gradient_signs(network, x, y)
        blind = random_signs(x.shape[0], rng, x.dtype)
        clean = None
        for i, epsilon in enumerate(values):
            if epsilon == 0:   # no push: both are the clean images
                clean = np.sum(network.predict(x) == y) if clean is None else clean
                right_gradient[i] += clean
                right_random[i] += clean
                continue
            right_gradient[i] += np.sum(network.predict(push(x, towards_cost, epsilon)) == y)
            right_random[i] += np.sum(network.predict(push(x, blind, epsilon)) == y)
        done = start + x.shape[0]
        curve = AttackCurve(values, (right_gradient / done).tolist(), (right_random / done).tolist(), done, count)
        yield curve
    return curve


def attack_curve(network: Network, images: np.ndarray, labels: np.ndarray, epsilons: Sequence[float],
                 seed: int | np.random.Generator = 0, batch: int = CURVE_BATCH) -> AttackCurve:
    """`iter_attack_curve` run to the end."""
    return drive(iter_attack_curve(network, images, labels, epsilons, seed, batch))
