"""Presets, training on a subset, evaluation, the noise demo and model files (fast: small subsets)."""

import numpy as np
import pytest

from engine.mnist.files import MnistData, load_mnist
from engine.mnist.models import (
    PRESETS,
    NOT_A_DIGIT,
    build_preset,
    class_probabilities,
    check_digit_model,
    classify_drawing,
    evaluate,
    load_digit_model,
    noise_report,
    pretrained_path,
    run_training,
    train_mnist,
    with_noise_class,
)
from engine.network import ModelFileError, build_mlp
from engine.optimizers import SGD, Adam


_SUBSETS: dict = {}


@pytest.fixture
def subset(mnist_dir):
    """6,000 training and 2,000 test digits (loaded once per test session)."""
    if mnist_dir not in _SUBSETS:
        data = load_mnist(mnist_dir)
        _SUBSETS[mnist_dir] = MnistData(data.train_images[:6000].copy(), data.train_labels[:6000].copy(),
                                        data.test_images[:2000].copy(), data.test_labels[:2000].copy())
    return _SUBSETS[mnist_dir]


def test_presets_describe_the_lesson_networks():
    assert set(PRESETS) == {"3b1b", "relu", "wide"}
    net, opt = build_preset("3b1b", seed=0)
    assert net.layer_sizes == [784, 16, 16, 10] and net.parameter_count() == 13002
    assert net.dtype == np.float32 and isinstance(opt, SGD)
    assert net.loss.name == "sse" and type(net.layers[-1]).__name__ == "Sigmoid"
    relu, relu_opt = build_preset("relu", seed=0)
    assert relu.loss.takes_logits and isinstance(relu_opt, Adam)
    wide, _ = build_preset("wide", seed=0)
    assert wide.layer_sizes[0] == 784 and wide.layer_sizes[-1] == 10
    assert wide.parameter_count() * 4 < 2_000_000  # the shipped file stays small
    for preset in PRESETS.values():
        assert preset.as_dict()["stated_accuracy"] >= 0.93
    with pytest.raises(ValueError, match="unknown preset"):
        build_preset("huge")


def test_same_seed_same_network_different_seed_different():
    a, _ = build_preset("relu", seed=3)
    b, _ = build_preset("relu", seed=3)
    c, _ = build_preset("relu", seed=4)
    assert all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_3b1b_trained_briefly_on_a_subset_clearly_beats_chance(subset):
    net, opt = build_preset("3b1b", seed=0)
    before = evaluate(net, subset.test_images, subset.test_labels)["test_accuracy"]
    records = list(train_mnist(net, opt, subset, epochs=2, batch_size=10, seed=0, report_every=100))
    epochs = [r for r in records if r.kind == "epoch"]
    assert len(epochs) == 2 and all(r.val_accuracy is not None for r in epochs)
    assert any(r.kind == "batch" for r in records)
    assert epochs[-1].val_accuracy > 0.70 > before + 0.4  # chance is 0.10; measured 0.74
    assert epochs[-1].loss < epochs[0].loss
    assert net.dtype == np.float32 and all(p.value.dtype == np.float32 for p in net.parameters())


def test_run_training_summary_and_save(subset, tmp_path):
    result = run_training("relu", subset, epochs=2, seed=1, train_limit=3000, save=tmp_path / "m.npz")
    assert result["preset"] == "relu" and result["epochs"] == 2 and result["train_images"] == 3000
    assert result["parameters"] == 13002 and len(result["epoch_seconds"]) == 2
    assert result["train_seconds"] == pytest.approx(sum(result["epoch_seconds"]))
    assert result["test_accuracy"] > 0.6
    reloaded = load_digit_model(tmp_path / "m.npz")
    assert evaluate(reloaded, subset.test_images, subset.test_labels)["test_accuracy"] == result["test_accuracy"]


def test_3b1b_anneals_its_step_size_to_zero_over_exactly_the_run(subset):
    epochs = []
    run_training("3b1b", subset, epochs=2, seed=0, train_limit=500, on_epoch=epochs.append)
    assert [r.learning_rate for r in epochs] == pytest.approx([0.25, 0.0])  # half-way, then the end
    assert build_preset("3b1b")[1].schedule.steps == 15 * 6000  # by default: the preset's full run
    assert build_preset("relu")[1].current_learning_rate == PRESETS["relu"].learning_rate


def test_training_can_be_stopped_between_records(subset):
    net, opt = build_preset("3b1b", seed=0)
    steps = train_mnist(net, opt, subset, epochs=5, batch_size=10, seed=0, report_every=1)
    for count, _ in enumerate(steps, start=1):
        if count == 20:
            break
    steps.close()
    assert opt.iterations == 20


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
    assert result["test_accuracy"] == pytest.approx(np.trace(confusion) / 300)
    with pytest.raises(ValueError, match="matching"):
        evaluate(net, images, labels[:10])


def test_noise_report_is_reproducible_and_consistent():
    net = build_mlp([784, 16, 10], activation="relu", seed=0, dtype=np.float32)
    a, b = noise_report(net, count=200, seed=5), noise_report(net, count=200, seed=5)
    assert a["mean_top_probability"] == b["mean_top_probability"]
    assert sum(a["predicted_counts"]) == 200 and len(a["predicted_counts"]) == 10
    top = a["top_probabilities"]
    assert top.shape == (200,) and np.all((top > 0.1 - 1e-6) & (top <= 1))  # softmax: top >= 1/10
    assert a["fraction_above_0_9"] == pytest.approx(np.mean(top > 0.9))
    assert a["mean_top_probability"] == pytest.approx(top.mean())
    assert noise_report(net, count=200, seed=6)["mean_top_probability"] != a["mean_top_probability"]


def test_model_files_must_be_digit_models(tmp_path):
    build_mlp([2, 3, 3], seed=0).save(tmp_path / "toy.npz")
    with pytest.raises(ModelFileError, match="toy.npz: .*784 inputs and 10 outputs"):
        load_digit_model(tmp_path / "toy.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="junk.npz"):
        load_digit_model(tmp_path / "junk.npz")
    assert check_digit_model(build_mlp([784, 10], seed=0)).layer_sizes == [784, 10]
    assert pretrained_path("3b1b").name == "3b1b.npz"
    assert pretrained_path("wide").parent.name == "models"


def test_classify_drawing_uses_the_preprocessing():
    net = build_mlp([784, 10], activation="relu", seed=0, dtype=np.float32)
    canvas = np.zeros((200, 200))
    canvas[40:160, 90:110] = 1.0  # a "1"
    result = classify_drawing(net, canvas)
    assert result["image"].shape == (28, 28)
    assert len(result["probabilities"]) == 10 and sum(result["probabilities"]) == pytest.approx(1, abs=1e-5)
    assert result["prediction"] == int(np.argmax(result["probabilities"]))
    empty = classify_drawing(net, np.zeros((200, 200)))
    assert empty == {"prediction": None, "probabilities": [], "image": None}


def test_class_probabilities_sum_to_one_for_sigmoid_and_softmax_nets():
    rng = np.random.default_rng(1)
    images = rng.random((50, 784), dtype=np.float32)
    for net in (build_preset("3b1b", seed=0)[0], build_preset("relu", seed=0)[0]):
        probabilities = class_probabilities(net, images, batch=16)
        assert probabilities.shape == (50, 10)
        np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
        np.testing.assert_array_equal(np.argmax(probabilities, axis=1), net.predict(images))
    with pytest.raises(ValueError, match=r"\(N, 784\)"):
        class_probabilities(net, np.zeros((3, 28, 28)))


def test_a_not_a_digit_class_teaches_the_network_to_reject_noise(subset):
    extended = with_noise_class(subset, count=600, seed=0)
    assert extended.train_images.shape == (6600, 784) and extended.train_images.dtype == np.float32
    assert np.sum(extended.train_labels == NOT_A_DIGIT) == 600
    assert extended.test_images is subset.test_images
    net = build_mlp([784, 16, 16, 11], activation="relu", seed=0, dtype=np.float32)
    opt = Adam(net.parameters(), learning_rate=0.003)
    list(train_mnist(net, opt, extended, epochs=2, batch_size=32, seed=0, report_every=10**9))
    check_digit_model(net)
    report = noise_report(net, count=300, seed=1)
    assert len(report["predicted_counts"]) == 11
    assert report["predicted_counts"][NOT_A_DIGIT] > 280  # noise is now called "not a digit"
    result = evaluate(net, subset.test_images, subset.test_labels)
    assert result["confusion"].shape == (11, 11) and result["test_accuracy"] > 0.75
