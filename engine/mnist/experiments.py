"""The MNIST lesson's experiments, defined once for the command line and the window alike.

* ``evaluate``         – test accuracy and the confusion matrix: which digits get mixed up.
* ``noise_report``     – noise and other non-digits are still called digits, some confidently.
* ``with_noise_class`` – the fix to compare against: training data with a "not a digit" class,
  taught on the varied non-digits of ``engine.mnist.non_digits`` and judged on fresh ones.
* ``shift_report``     – the same test digits moved a few pixels: the network has only seen them centred.

A network may have the extra "not a digit" output. The figures then follow two rules, so that the
command line and the window show the same numbers and neither hides the extra answer:

* a real digit answered "not a digit" is a mistake, and the confusion matrix shows it in its own
  column (rows are the true classes, columns every answer the network can give);
* confidence is always the highest *digit* probability (``top_digit_probability``): the share of
  noise images above 0.9 is the share called a digit with more than 90% certainty.
"""

from __future__ import annotations

import numpy as np

from engine.layers import as_generator
from engine.mnist.files import MnistData
from engine.mnist.non_digits import ALL, KINDS, TEACHING_WEIGHTS, mixed_non_digits, non_digit_images
from engine.mnist.outputs import CLASSES, NOT_A_DIGIT, class_probabilities, output_classes, top_digit_probability
from engine.network import Network

#: How many non-digits the "not a digit" class is taught with, as a share of the training digits:
#: with 60,000 digits, 1,000 of each kind and 4,000 shapes. The 3b1b network then rejects 94% or
#: more of every kind and loses just under a point of test accuracy (measured, see
#: assets/models/README.md).
NON_DIGIT_SHARE = 0.15


def evaluate(network: Network, images: np.ndarray, labels: np.ndarray) -> dict:
    """How a digit network does on labelled images (N, 784), (N,).

    Keys: test_accuracy (share whose answer is the label); confusion, counts[true, answer] with
    a row per true class (the ten digits, plus "not a digit" only if a label is one) and a column
    per answer the network can give (10, or 11 with "not a digit"); predicted (N,) the answers;
    confidence (N,) the probability of each answer (`class_probabilities`).
    """
    truth = np.asarray(labels, dtype=np.int64)
    if images.shape[0] != truth.shape[0] or images.shape[0] == 0:
        raise ValueError(f"need matching, non-empty images and labels, got {images.shape[0]} and {truth.shape[0]}")
    columns = output_classes(network)
    if truth.min() < 0 or truth.max() >= columns:
        raise ValueError(f"labels must be classes 0..{columns - 1} of this network, got {truth.min()}..{truth.max()}")
    rows = CLASSES + 1 if np.any(truth == NOT_A_DIGIT) else CLASSES
    probabilities = class_probabilities(network, images)
    predicted = np.argmax(probabilities, axis=1)
    confusion = np.bincount(truth * columns + predicted, minlength=rows * columns).reshape(rows, columns)
    return {"test_accuracy": float(np.mean(predicted == truth)), "confusion": confusion,
            "predicted": predicted,
            "confidence": probabilities[np.arange(predicted.size), predicted].astype(np.float64)}


def noise_report(network: Network, count: int = 1000, seed: int = 0, digits: np.ndarray | None = None,
                 kind: str = "uniform") -> dict:
    """How sure the network is that non-digits of one `kind` (or ALL kinds) are digits.

    A network only knows the answers it was taught; pure noise still lands on some digit, often
    with a high probability, piling onto a few classes. Confidence is the highest digit probability
    (see the module docstring), so a network that learned "not a digit" shows low confidence here.
    The images are always fresh: drawn from the judging stream, never from the images a "not a
    digit" class was trained on (`non_digit_images`).

    Keys: kind, mean_top_probability, fraction_above_0_9, fraction_not_a_digit (the share answered
    "not a digit"; 0 without that class), predicted_counts (list, one per class the network has),
    top_probabilities (count,). With kind ALL, also by_kind: {kind: {fraction_not_a_digit,
    fraction_above_0_9}}. Given real `digits` (M, 784), also digit_top_probabilities: the same
    confidence for the first `count` of them, to compare.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, got {count}")
    kind_of_image = None
    if kind == ALL:
        images, kind_of_image = mixed_non_digits(count, seed, "judge")
    else:
        images = non_digit_images(kind, count, seed, "judge")   # refuses an unknown kind
    probabilities = class_probabilities(network, images)
    answers = np.argmax(probabilities, axis=1)
    top = top_digit_probability(probabilities).astype(np.float64)
    rejected = answers == NOT_A_DIGIT
    report = {
        "kind": kind,
        "mean_top_probability": float(top.mean()),
        "fraction_above_0_9": float(np.mean(top > 0.9)),
        "fraction_not_a_digit": float(np.mean(rejected)),
        "predicted_counts": [int(c) for c in np.bincount(answers, minlength=output_classes(network))],
        "top_probabilities": top,
    }
    if kind_of_image is not None:
        report["by_kind"] = {name: {"fraction_not_a_digit": float(np.mean(rejected[kind_of_image == i])),
                                    "fraction_above_0_9": float(np.mean(top[kind_of_image == i] > 0.9))}
                             for i, name in enumerate(KINDS) if np.any(kind_of_image == i)}
    if digits is not None:
        report["digit_top_probabilities"] = top_digit_probability(
            class_probabilities(network, digits[:count])).astype(np.float64)
    return report


def confidence_histogram(values: np.ndarray, bins: int = 20) -> tuple[np.ndarray, np.ndarray]:
    """Edges (bins + 1,) and counts (bins,) over [0, 1]; values outside go into the end bins."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    counts, _ = np.histogram(np.clip(values, 0.0, 1.0), bins=edges)
    return edges, counts


def with_noise_class(data: MnistData, count: int = 6000, seed: int = 0, train_limit: int | None = None,
                     kinds: tuple[str, ...] = KINDS) -> MnistData:
    """A copy of `data` whose training set (its first `train_limit` images, or all) also holds
    `count` non-digits labelled NOT_A_DIGIT (10), shared between `kinds` (by TEACHING_WEIGHTS)
    and shuffled in.

    Train an 11-output network on it and non-digits stop being called digits: the network can only
    answer "none of these" if it was taught that answer exists, and only for the kinds it was
    shown. The non-digits come from the training stream (`non_digit_images`), so `noise_report`
    judges the class on images it has never seen. The test set is unchanged.
    """
    if count < 0:
        raise ValueError(f"count must be zero or more, got {count}")
    noise, _ = mixed_non_digits(count, seed, "train", kinds, weights=TEACHING_WEIGHTS)
    images = np.concatenate([data.train_images[:train_limit], noise])
    labels = np.concatenate([data.train_labels[:train_limit], np.full(count, NOT_A_DIGIT, dtype=np.int64)])
    order = as_generator(seed).permutation(images.shape[0])
    return MnistData(np.ascontiguousarray(images[order]), labels[order],
                     data.test_images, data.test_labels, data.directory)


#: The four ways a digit is moved by `shift_images`, as (rows, columns) per pixel.
SHIFT_DIRECTIONS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}


def shift_images(images: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Images (N, 784) moved down by `rows` and right by `cols` pixels (negative: up, left); ink
    pushed past the edge is lost and the uncovered side is blank, as on a page."""
    side = int(round(np.sqrt(images.shape[1])))
    grid = images.reshape(-1, side, side)
    moved = np.zeros_like(grid)
    if abs(rows) < side and abs(cols) < side:
        target = (slice(None), slice(max(rows, 0), side + min(rows, 0)), slice(max(cols, 0), side + min(cols, 0)))
        source = (slice(None), slice(max(-rows, 0), side + min(-rows, 0)), slice(max(-cols, 0), side + min(-cols, 0)))
        moved[target] = grid[source]
    return moved.reshape(images.shape)


def shift_report(network: Network, images: np.ndarray, labels: np.ndarray, pixels: list[int]) -> dict:
    """Test accuracy when every digit is moved by each number of `pixels`.

    MNIST digits are all centred, so a network trained on them has never seen a 7 that sits a few
    pixels to the left: moving the same digits shows how little it "knows" what a 7 is. Each digit
    is moved left, right, up and down in turn; `accuracy` is the mean of the four.
    Keys: pixels, accuracy (one per entry of pixels), by_direction {direction: [accuracy, ...]}.
    """
    pixels = [int(p) for p in pixels]
    if not pixels or min(pixels) < 0 or max(pixels) > 27:
        raise ValueError(f"pixels must be whole numbers from 0 to 27, got {pixels}")
    by_direction = {name: [evaluate(network, shift_images(images, p * dr, p * dc), labels)["test_accuracy"]
                           for p in pixels]
                    for name, (dr, dc) in SHIFT_DIRECTIONS.items()}
    accuracy = [float(np.mean([by_direction[name][i] for name in SHIFT_DIRECTIONS])) for i in range(len(pixels))]
    return {"pixels": pixels, "accuracy": accuracy, "by_direction": by_direction}
