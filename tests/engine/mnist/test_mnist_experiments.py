"""Evaluation, the noise experiment and the "not a digit" data, on small synthetic digits."""

import numpy as np
import pytest

from engine.mnist.experiments import (confidence_histogram, evaluate, noise_report, shift_images, shift_report,
                                      with_noise_class)
from engine.mnist.non_digits import KINDS, non_digit_images
from engine.mnist.outputs import NOT_A_DIGIT, class_probabilities
from engine.network import build_mlp


def rejecting_network(bias: float):
    """An 11-class network whose "not a digit" output starts `bias` ahead of the others."""
    net = build_mlp([784, 16, 11], activation="relu", loss="softmax_ce", seed=0, dtype=np.float32)
    net.dense_layers[-1].biases.value[NOT_A_DIGIT] = bias
    return net


def test_evaluate_confusion_matches_predictions():
    rng = np.random.default_rng(0)
    net = build_mlp([784, 8, 10], activation="relu", seed=0, dtype=np.float32)
    images = rng.random((300, 784), dtype=np.float32)
    labels = rng.integers(0, 10, 300)
    result = evaluate(net, images, labels)
    confusion = result["confusion"]
    predicted = net.predict(images)
    assert confusion.shape == (10, 10) and confusion.sum() == 300
    np.testing.assert_array_equal(confusion.sum(axis=1), np.bincount(labels, minlength=10))
    np.testing.assert_array_equal(confusion.sum(axis=0), np.bincount(predicted, minlength=10))
    np.testing.assert_array_equal(result["predicted"], predicted)
    p = class_probabilities(net, images)
    np.testing.assert_allclose(result["confidence"], p.max(axis=1), rtol=1e-6)
    assert result["test_accuracy"] == pytest.approx(np.trace(confusion) / 300)
    with pytest.raises(ValueError, match="matching"):
        evaluate(net, images, labels[:10])
    with pytest.raises(ValueError, match="labels must be classes 0..9"):
        evaluate(net, images, np.full(300, 10))


def test_a_digit_answered_not_a_digit_is_a_mistake_in_its_own_column(easy_digits):
    data = easy_digits
    result = evaluate(rejecting_network(100.0), data.test_images, data.test_labels)   # rejects everything
    assert result["test_accuracy"] == 0.0 and np.all(result["predicted"] == NOT_A_DIGIT)
    confusion = result["confusion"]
    assert confusion.shape == (10, 11)               # true digits × every answer the network has
    np.testing.assert_array_equal(confusion[:, NOT_A_DIGIT], np.bincount(data.test_labels, minlength=10))
    # with noise among the labelled images, "not a digit" gets its own row too
    images = np.concatenate([data.test_images, non_digit_images("uniform", 5, seed=1)])
    labels = np.concatenate([data.test_labels, np.full(5, NOT_A_DIGIT)])
    result = evaluate(rejecting_network(100.0), images, labels)
    assert result["confusion"].shape == (11, 11) and result["confusion"][NOT_A_DIGIT, NOT_A_DIGIT] == 5


def test_noise_report_is_reproducible_and_consistent(easy_digits):
    net = build_mlp([784, 16, 10], activation="relu", seed=0, dtype=np.float32)
    a, b = noise_report(net, count=200, seed=5), noise_report(net, count=200, seed=5)
    assert a["mean_top_probability"] == b["mean_top_probability"]
    assert sum(a["predicted_counts"]) == 200 and len(a["predicted_counts"]) == 10
    top = a["top_probabilities"]
    assert top.shape == (200,) and np.all((top > 0.1 - 1e-6) & (top <= 1))  # softmax: top >= 1/10
    np.testing.assert_allclose(top, class_probabilities(net, non_digit_images("uniform", 200, 5)).max(axis=1), rtol=1e-6)
    assert a["fraction_above_0_9"] == pytest.approx(np.mean(top > 0.9))
    assert a["mean_top_probability"] == pytest.approx(top.mean())
    assert "digit_top_probabilities" not in a and "by_kind" not in a   # the command line's keys only
    assert a["kind"] == "uniform" and a["fraction_not_a_digit"] == 0.0  # no such class to answer
    assert noise_report(net, count=200, seed=6)["mean_top_probability"] != a["mean_top_probability"]
    with_digits = noise_report(net, count=200, seed=5, digits=easy_digits.test_images)
    assert with_digits["digit_top_probabilities"].shape == (100,)
    np.testing.assert_array_equal(with_digits["top_probabilities"], top)


def test_noise_confidence_of_an_11_class_network_is_its_top_digit_probability():
    """A network sure that noise is "not a digit" is not confident that it is a digit."""
    net = rejecting_network(6.0)
    report = noise_report(net, count=300, seed=2)
    p = class_probabilities(net, non_digit_images("uniform", 300, 2))
    assert report["predicted_counts"][NOT_A_DIGIT] == 300 and len(report["predicted_counts"]) == 11
    assert np.mean(p.max(axis=1) > 0.9) > 0.9                 # the top answer, "not a digit", is sure
    np.testing.assert_allclose(report["top_probabilities"], p[:, :10].max(axis=1), rtol=1e-6)
    assert report["fraction_above_0_9"] == 0.0 and report["mean_top_probability"] < 0.1
    assert report["fraction_not_a_digit"] == 1.0


def test_noise_report_of_all_kinds_gives_each_kind_its_share():
    net = rejecting_network(0.0)
    report = noise_report(net, count=600, seed=3, kind="all")
    assert report["kind"] == "all" and set(report["by_kind"]) == set(KINDS)
    rejected = np.mean([shares["fraction_not_a_digit"] for shares in report["by_kind"].values()])
    assert rejected == pytest.approx(report["fraction_not_a_digit"])      # 100 images of each kind
    with pytest.raises(ValueError, match="unknown kind"):
        noise_report(net, count=10, kind="letters")


def test_the_not_a_digit_class_is_judged_on_images_it_was_not_trained_on(easy_digits):
    """The first noise histogram after training used to show the very noise images trained on."""
    taught = with_noise_class(easy_digits, count=600, seed=0)
    taught_noise = taught.train_images[taught.train_labels == NOT_A_DIGIT]
    for kind in KINDS:
        judged = non_digit_images(kind, 100, seed=0)                  # the same seed, for judging
        if kind == "grey":
            continue   # grey pages of one level are alike by nature; their levels still differ
        shared = (judged[:, None, :] == taught_noise[None, :, :]).all(axis=2)
        assert not shared.any(), kind


def test_with_noise_class_adds_labelled_noise_to_the_first_training_images(easy_digits):
    data = easy_digits
    extended = with_noise_class(data, count=20, seed=0, train_limit=200)
    assert extended.train_images.shape == (220, 784) and extended.train_images.dtype == np.float32
    assert np.sum(extended.train_labels == NOT_A_DIGIT) == 20
    kept = extended.train_labels != NOT_A_DIGIT
    np.testing.assert_array_equal(np.sort(extended.train_labels[kept]), np.sort(data.train_labels[:200]))
    assert extended.test_images is data.test_images
    again = with_noise_class(data, count=20, seed=0, train_limit=200)
    np.testing.assert_array_equal(again.train_images, extended.train_images)
    assert with_noise_class(data, count=5, seed=0).train_images.shape == (305, 784)
    # every kind of non-digit is taught, in equal shares
    mixed = with_noise_class(data, count=60, seed=0, train_limit=0).train_images
    assert any(np.all(image == 0) for image in mixed)                     # a blank page
    assert any(np.unique(image).size > 100 for image in mixed)            # noise
    with pytest.raises(ValueError, match="zero or more"):
        with_noise_class(data, count=-1)


def test_confidence_histogram_covers_zero_to_one():
    edges, counts = confidence_histogram(np.array([0.0, 0.5, 0.97, 1.0, 1.2]), bins=10)
    assert edges[0] == 0.0 and edges[-1] == 1.0 and counts.sum() == 5 and counts[-1] == 3


def test_shift_images_moves_ink_and_loses_what_falls_off():
    image = np.zeros((1, 784), dtype=np.float32)
    image[0, 14 * 28 + 14] = 1.0                      # one pixel at (14, 14)
    image[0, 27] = 0.5                                 # one at the right edge, (0, 27)
    moved = shift_images(image, 2, -3).reshape(28, 28)  # 2 down, 3 left
    assert moved[16, 11] == 1.0 and moved[2, 24] == 0.5 and moved.sum() == 1.5
    right = shift_images(image, 0, 1).reshape(28, 28)
    assert right[14, 15] == 1.0 and right.sum() == 1.0   # the edge pixel fell off
    np.testing.assert_array_equal(shift_images(image, 0, 0), image)
    assert shift_images(image, 28, 0).sum() == 0.0


def test_shift_report_averages_the_four_directions(easy_digits):
    data = easy_digits
    net = build_mlp([784, 32, 10], activation="relu", loss="softmax_ce", init="he", seed=0, dtype=np.float32)
    from engine.loops import drive
    from engine.mnist.models import train_mnist
    from engine.optimizers import Adam
    drive(train_mnist(net, Adam(net.parameters(), learning_rate=0.01), data, epochs=20, batch_size=32,
                      report_every=10**9))
    report = shift_report(net, data.test_images, data.test_labels, [0, 3])
    assert report["pixels"] == [0, 3] and set(report["by_direction"]) == {"left", "right", "up", "down"}
    assert report["accuracy"][0] == pytest.approx(evaluate(net, data.test_images, data.test_labels)["test_accuracy"])
    for i in range(2):
        assert report["accuracy"][i] == pytest.approx(np.mean([v[i] for v in report["by_direction"].values()]))
    # the classes are bands of rows: moving up or down by 3 rows takes ink out of a band
    assert min(report["by_direction"]["up"][1], report["by_direction"]["down"][1]) < report["accuracy"][0]
    with pytest.raises(ValueError, match="0 to 27"):
        shift_report(net, data.test_images, data.test_labels, [30])
