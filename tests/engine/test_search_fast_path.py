"""The fast batched loss (per-thread work arrays, argmax by a loop over classes) equals plain NumPy."""

import threading

import numpy as np
import pytest

from engine.datasets import spiral_data, vertical_data
from engine.search_model import SearchModel, batched_loss_accuracy

BOOK = SearchModel(2, 3, 3)


def reference_loss_accuracy(model, candidates, X, y):
    """The textbook computation, one candidate at a time, with fresh arrays and np.argmax."""
    losses, accuracies = [], []
    for flat in candidates:
        w1, b1, w2, b2 = model.unpack(flat)
        scores = np.maximum(0.0, X @ w1 + b1) @ w2 + b2                  # (N, C)
        shifted = scores - scores.max(axis=1, keepdims=True)
        log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        losses.append(-log_probs[np.arange(len(y)), y].mean())
        accuracies.append(np.mean(np.argmax(scores, axis=1) == y))
    return np.array(losses), np.array(accuracies)


@pytest.fixture(scope="module")
def spiral():
    return spiral_data(100, 3, seed=0)


def assert_matches_reference(model, candidates, X, y):
    losses, accuracies = batched_loss_accuracy(model, candidates, X, y)
    expected_losses, expected_accuracies = reference_loss_accuracy(model, candidates, X, y)
    np.testing.assert_allclose(losses, expected_losses, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(accuracies, expected_accuracies)
    return losses, accuracies


@pytest.mark.parametrize("k", [1, 7, 256, 3])  # grows the work arrays, then uses part of them
def test_fast_path_equals_plain_numpy(spiral, k):
    X, y = spiral
    candidates = np.random.default_rng(k).standard_normal((k, BOOK.size))
    losses, accuracies = assert_matches_reference(BOOK, candidates, X, y)
    if k > 1:
        assert np.ptp(losses) > 0.01 and np.ptp(accuracies) > 0  # varied, so the check has teeth


def test_ties_pick_the_first_class_like_argmax(spiral):
    X, y = spiral
    zero = np.zeros(BOOK.size)                        # every class scores 0 on every point
    tied = np.random.default_rng(9).standard_normal(BOOK.size)
    _, _, w2, b2 = BOOK.unpack(tied)
    w2[:, 2] = w2[:, 1]                               # classes 1 and 2 always score alike
    b2[2] = b2[1]
    _, accuracies = assert_matches_reference(BOOK, np.stack([zero, tied]), X, y)
    assert accuracies[0] == pytest.approx(np.mean(y == 0))  # all ties -> always class 0
    assert accuracies[1] <= np.mean(y != 2)                  # class 2 is never predicted


def test_fast_path_for_other_sizes_and_dtypes():
    X, y = spiral_data(30, 4, seed=3)
    wide = SearchModel(2, 7, 4)
    candidates = np.random.default_rng(2).standard_normal((11, wide.size))
    assert_matches_reference(wide, candidates, X, y)
    Xv, yv = vertical_data(25, 3, seed=1)               # another N in the same thread
    assert_matches_reference(BOOK, candidates[:5, :BOOK.size], Xv, yv)
    losses32, _ = batched_loss_accuracy(wide, candidates.astype(np.float32), X.astype(np.float32), y)
    assert losses32.dtype == np.float32
    np.testing.assert_allclose(losses32, reference_loss_accuracy(wide, candidates, X, y)[0], rtol=1e-4)


def test_results_are_new_arrays_not_views_of_the_work_arrays(spiral):
    X, y = spiral
    rng = np.random.default_rng(5)
    first = batched_loss_accuracy(BOOK, rng.standard_normal((20, BOOK.size)), X, y)
    kept = (first[0].copy(), first[1].copy())
    batched_loss_accuracy(BOOK, rng.standard_normal((20, BOOK.size)), X, y)
    np.testing.assert_array_equal(first[0], kept[0])
    np.testing.assert_array_equal(first[1], kept[1])


def test_threads_evaluating_at_once_each_get_their_own_correct_results(spiral):
    """The GUI searches in worker threads: concurrent calls must not share work arrays."""
    X, y = spiral  # same data and model in both: a shared workspace would fit both and be reused
    jobs = []
    for seed, k in [(1, 256), (2, 200)]:
        candidates = np.random.default_rng(seed).standard_normal((k, BOOK.size))
        jobs.append((candidates, X, y, reference_loss_accuracy(BOOK, candidates, X, y)))
    start = threading.Barrier(len(jobs))
    failures = []

    def evaluate_repeatedly(candidates, X, y, expected):
        try:
            start.wait(timeout=10)
            for _ in range(150):
                losses, accuracies = batched_loss_accuracy(BOOK, candidates, X, y)
                np.testing.assert_allclose(losses, expected[0], rtol=1e-12, atol=1e-12)
                np.testing.assert_array_equal(accuracies, expected[1])
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            failures.append(error)

    threads = [threading.Thread(target=evaluate_repeatedly, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures[0]
