"""Presets, training on a subset, model files, and the "not a digit" fix (fast: small subsets)."""

import numpy as np
import pytest

from engine.mnist.experiments import evaluate, noise_report, with_noise_class
from engine.mnist.files import MnistData, load_mnist
from engine.mnist.models import (
    PRESETS,
    build_preset,
    check_digit_model,
    describe,
    load_digit_model,
    pretrained_file,
    run_training,
    train_mnist,
)
from engine.mnist.outputs import NOT_A_DIGIT
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
    assert describe(net) == "784-16-16-10, sigmoid, squared-error cost"
    relu, relu_opt = build_preset("relu", seed=0)
    assert relu.loss.takes_logits and isinstance(relu_opt, Adam)
    assert describe(relu) == "784-16-16-10, relu, softmax cross-entropy"
    wide, _ = build_preset("wide", seed=0)
    assert wide.layer_sizes[0] == 784 and wide.layer_sizes[-1] == 10
    assert wide.parameter_count() * 4 < 2_000_000  # the shipped file stays small
    for preset in PRESETS.values():
        assert preset.as_dict()["stated_accuracy"] >= 0.93
    with pytest.raises(ValueError, match="unknown preset"):
        build_preset("huge")


def test_a_preset_with_the_not_a_digit_class_keeps_its_recipe():
    net, opt = build_preset("3b1b", seed=0, steps=123, not_a_digit=True)
    assert net.layer_sizes == [784, 16, 16, 11] and net.loss.name == "sse"
    assert opt.learning_rate == 0.5 and opt.schedule.steps == 123
    plain, _ = build_preset("3b1b", seed=0)
    np.testing.assert_array_equal(net.get_weights()[0], plain.get_weights()[0])   # same first layer


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


def test_model_files_must_be_digit_models(tmp_path):
    build_mlp([2, 3, 3], seed=0).save(tmp_path / "toy.npz")
    with pytest.raises(ModelFileError, match="toy.npz: .*784 inputs and 10 outputs"):
        load_digit_model(tmp_path / "toy.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelFileError, match="junk.npz"):
        load_digit_model(tmp_path / "junk.npz")
    assert check_digit_model(build_mlp([784, 10], seed=0)).layer_sizes == [784, 10]
    assert pretrained_file("3b1b").name == "3b1b.npz"
    with pytest.raises(ValueError):
        pretrained_file("no-such-preset")


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
    assert report["fraction_above_0_9"] < 0.05            # no longer confidently called a digit
    result = evaluate(net, subset.test_images, subset.test_labels)
    assert result["confusion"].shape == (10, 11) and result["test_accuracy"] > 0.75
