"""A model with the "not a digit" class: the command line and the window show the same figures.

Both used to compute evaluation and noise confidence their own way and disagreed for such a model
(11×11 against 10×10 confusion matrices; noise confidence with or without the "not a digit" class).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

import main
from engine.loops import drive
from engine.mnist import load_mnist
from engine.mnist.experiments import with_noise_class
from engine.mnist.models import train_mnist
from engine.mnist.outputs import NOT_A_DIGIT
from engine.network import build_mlp
from engine.optimizers import Adam
from gui.tabs.mnist.tab import MnistInspectorTab

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

NOISE_IMAGES, SEED = 400, 3


@pytest.fixture
def cautious_model(mnist_dir, tmp_path):
    """An 11-output network trained briefly with noise images as "not a digit", nudged to also
    reject some real digits, so that every figure has something in the "not a digit" class."""
    data = load_mnist(mnist_dir)
    net = build_mlp([784, 32, 11], activation="relu", loss="softmax_ce", init="he", seed=0, dtype=np.float32)
    drive(train_mnist(net, Adam(net.parameters(), learning_rate=0.003),
                      with_noise_class(data, count=300, seed=0, train_limit=3000),
                      epochs=1, batch_size=32, report_every=10**9))
    net.dense_layers[-1].biases.value[NOT_A_DIGIT] += 4.0
    path = tmp_path / "cautious.npz"
    net.save(path)
    return path, data


def cli(capsys, *argv) -> dict:
    assert main.main(list(argv) + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_and_noise_give_the_same_figures_in_the_cli_and_the_window(
        qtbot, capsys, monkeypatch, mnist_dir, cautious_model):
    path, data = cautious_model
    evaluated = cli(capsys, "mnist", "evaluate", "--model", str(path), "--mnist-dir", str(mnist_dir))
    assert main.main(["mnist", "evaluate", "--model", str(path), "--mnist-dir", str(mnist_dir)]) == 0
    header = capsys.readouterr().out.splitlines()[2].split()
    assert header == [str(d) for d in range(10)] + ["none"]           # the table names its 11 columns
    noise = cli(capsys, "mnist", "noise", "--model", str(path), "--count", str(NOISE_IMAGES), "--seed", str(SEED))

    tab = MnistInspectorTab(seed=SEED, search_data=False, noise_count=NOISE_IMAGES)
    qtbot.addWidget(tab)
    tab.set_data(data)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    qtbot.mouseClick(tab.load_button, Qt.MouseButton.LeftButton)
    assert tab.network.layer_sizes[-1] == 11

    page = tab.eval_page
    qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result is not None, timeout=15000)
    confusion = np.array(evaluated["confusion"])
    assert confusion.shape == (10, 11) and confusion[:, NOT_A_DIGIT].sum() > 0   # rejected digits shown
    np.testing.assert_array_equal(page.matrix.matrix(), confusion)
    assert page.result["test_accuracy"] == evaluated["test_accuracy"]
    assert f"{100 * evaluated['test_accuracy']:.2f}%" in page.summary.text()

    noise_page = tab.noise_page
    with qtbot.waitSignal(noise_page.resultReady, timeout=15000):
        qtbot.mouseClick(noise_page.many_button, Qt.MouseButton.LeftButton)
    shown = noise_page.result
    assert shown["predicted_counts"] == noise["predicted_counts"] and len(noise["predicted_counts"]) == 11
    assert shown["fraction_above_0_9"] == noise["fraction_above_0_9"]
    assert shown["mean_top_probability"] == pytest.approx(noise["mean_top_probability"], rel=1e-12)
    assert (f"Of {NOISE_IMAGES:,} images of uniform noise, the top digit score was above 0.9 for "
            f"{100 * noise['fraction_above_0_9']:.0f}%") in noise_page.summary.text()
    assert f"Answered \"not a digit\": {100 * noise['fraction_not_a_digit']:.0f}%." in noise_page.summary.text()
    tab.shutdown()
