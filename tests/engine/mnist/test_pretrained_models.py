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
