"""The models shipped in assets/models/: they load without data and reach their stated accuracy."""

import numpy as np
import pytest

from engine.mnist.files import load_split
from engine.mnist.experiments import evaluate, noise_report
from engine.mnist.models import PRESETS, load_pretrained, pretrained_file


@pytest.mark.parametrize("name", ["3b1b", "wide"])
def test_shipped_model_loads_without_any_data(name):
    shipped = pretrained_file(name)
    assert shipped.is_file(), f"{shipped} is missing"
    assert len(shipped.read_bytes()) < 2_000_000
    net = load_pretrained(name)
    assert net.layer_sizes == list(PRESETS[name].sizes)
    assert net.dtype == np.float32


@pytest.mark.parametrize("name", ["3b1b", "wide"])
def test_shipped_model_reaches_its_stated_accuracy(name, mnist_dir):
    images, labels = load_split(mnist_dir, "test")
    result = evaluate(load_pretrained(name), images, labels)
    assert result["test_accuracy"] >= PRESETS[name].stated_accuracy
    confusion = result["confusion"]
    assert confusion.sum() == 10000 and np.all(np.diag(confusion) > 0.85 * confusion.sum(axis=1))


def test_the_lesson_network_is_confident_about_noise():
    """Teaching fact: random noise still gets confident answers, piled onto a few classes."""
    report = noise_report(load_pretrained("3b1b"), count=1000, seed=0)
    assert 0.1 < report["fraction_above_0_9"] < 0.8  # shipped model: 19 % (mean top probability 0.68)
    assert report["mean_top_probability"] > 0.6
    counts = sorted(report["predicted_counts"], reverse=True)
    assert counts[0] + counts[1] + counts[2] > 800  # most noise lands on three classes or fewer


def test_missing_pretrained_file_is_a_clear_error(monkeypatch, tmp_path):
    from engine.mnist import models as mnist_models
    from engine.network import ModelFileError

    monkeypatch.setattr(mnist_models, "asset", tmp_path.joinpath)  # an installation without its models
    with pytest.raises(ModelFileError, match="3b1b.npz: the pretrained model is missing from this installation"):
        load_pretrained("3b1b")


def test_the_figures_the_mnist_lesson_quotes_are_measured(mnist_dir):
    """assets/lessons/mnist.md states the shipped models' accuracy, the shift experiment and the
    spread of confidence on noise; each must be what the project's own commands measure."""
    import re

    from engine.mnist.experiments import shift_report
    from tests.conftest import REPO_ROOT

    text = " ".join((REPO_ROOT / "assets" / "lessons" / "mnist.md").read_text(encoding="utf-8").split())
    images, labels = load_split(mnist_dir, "test")
    lesson_net, wide = load_pretrained("3b1b"), load_pretrained("wide")
    accuracy = evaluate(lesson_net, images, labels)["test_accuracy"]
    assert f"gets {100 * accuracy:.1f}% of the 10,000 test digits" in text
    assert f"gets {100 * evaluate(wide, images, labels)['test_accuracy']:.1f}%" in text
    shifted = shift_report(lesson_net, images, labels, [2, 4])["accuracy"]
    assert (f"by 2 pixels drops it from {100 * accuracy:.1f}% to {100 * shifted[0]:.0f}%, "
            f"by 4 pixels to {100 * shifted[1]:.0f}%") in text
    top = noise_report(lesson_net, count=1000, seed=0)["top_probabilities"]
    low, high = np.mean(top < 0.5), np.mean(top > 0.9)
    assert f"({100 * high:.0f}% the first time), between 0.5 and 0.9 for {100 * (1 - low - high):.0f}%" in text
    assert np.mean(noise_report(wide, count=1000, seed=0)["top_probabilities"] > 0.9) > 0.5   # "more than half"
    assert re.search(r"about 70% are called \"8\"", text)
    counts = noise_report(lesson_net, count=1000, seed=0)["predicted_counts"]
    assert int(np.argmax(counts)) == 8 and abs(max(counts) / 1000 - 0.70) < 0.03
