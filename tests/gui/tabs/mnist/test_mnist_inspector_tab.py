"""The MNIST Inspector tab driven like a user: draw, train, fool it with noise, download, load files.

Training runs on small subsets (a few thousand images) so each test takes a few seconds.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QThread, Qt

import gui.tabs.mnist.noise_page as noise_module
from engine.mnist import mnist_files_present, remembered_data_dir
from gui.tabs.mnist.eval_page import accuracy_text
from gui.tabs.mnist.tab import MnistInspectorTab
from gui.worker import live_jobs
from tests.gui.mouse_helpers import drag

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def tab(open_tab):
    return open_tab(MnistInspectorTab(seed=0, search_data=False), 1360, 820)


def small_run(tab, images: int, epochs: int, preset: str = "3b1b", batch: int = 20) -> None:
    tab.controls.apply_preset(preset)
    tab.controls.train_images.setValue(images)
    tab.controls.epochs.setValue(epochs)
    tab.controls.batch_size.setValue(batch)


def points(curve) -> int:
    x, _ = curve.getData()
    return 0 if x is None else len(x)


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    rows, cols = np.indices(image.shape)
    total = image.sum()
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def test_a_drawn_stroke_gives_a_prediction_on_a_centred_input_and_clear_removes_it(tab, qtbot):
    page = tab.draw_page
    tab.pages.setCurrentWidget(page)
    assert page.bars.probabilities() is None            # empty canvas: no prediction
    canvas = page.drawing.canvas
    # a "7" drawn small in the top-left corner, far from the centre
    drag(canvas, [(30, 30), (60, 30), (90, 30), (80, 50), (70, 70), (60, 95), (55, 110)])
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert page.input.shape == (28, 28)
    row, col = centre_of_mass(page.input)
    assert abs(row - 14.0) <= 0.5 and abs(col - 14.0) <= 0.5
    assert np.allclose(page.preprocessed.image(), page.input)
    assert page.bars.probabilities().sum() == pytest.approx(1.0)
    assert [a.size for a in page.activations.values()] == [16, 16]
    qtbot.mouseClick(page.drawing.clear_button, Qt.MouseButton.LeftButton)
    assert page.bars.probabilities() is None
    assert page.bars.answer.text() == "No prediction"
    assert page.input is None and page.activations.values() == []
    # with the shipped pretrained model a plain upright stroke is read as a one
    drag(canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert "Pretrained" in tab.model_origin
    assert int(np.argmax(page.bars.probabilities())) == 1


def test_each_drawn_update_costs_one_forward_pass(tab, qtbot, monkeypatch):
    page = tab.draw_page
    tab.pages.setCurrentWidget(page)
    calls = {index: 0 for index in range(len(page.network.layers))}
    for index, layer in enumerate(page.network.layers):
        def counted(x, real=layer.forward, index=index):
            calls[index] += 1
            return real(x)
        monkeypatch.setattr(layer, "forward", counted)
    predictions = []

    def shown(probabilities, real=page.bars.set_probabilities):
        if probabilities is not None:
            predictions.append(probabilities)
        real(probabilities)
    monkeypatch.setattr(page.bars, "set_probabilities", shown)
    drag(page.drawing.canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert predictions and set(calls.values()) == {len(predictions)}   # one pass per prediction shown
    assert [a.size for a in page.activations.values()] == [16, 16]


def test_training_controls_fill_presets_and_explain_bad_hidden_sizes(tab, qtbot, mnist_data):
    controls = tab.controls
    controls.preset.setCurrentIndex(controls.preset.findData("relu"))
    assert controls.activation.currentText() == "relu"
    assert controls.cost.currentData() == "softmax_ce" and controls.optimizer.currentData() == "adam"
    controls.epochs.setValue(2)
    assert controls.preset.currentData() == "relu"          # training longer is still the recipe
    controls.hidden.setText("32")
    assert controls.preset.currentData() == "custom"
    assert controls.settings().sizes() == [784, 32, 10]
    controls.not_a_digit.setChecked(True)
    assert controls.settings().sizes() == [784, 32, 11]
    tab.set_data(mnist_data)
    for text, words in (("16, x", "whole numbers"), ("0", "1 to 1024"), ("", "at least one")):
        controls.hidden.setText(text)
        qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        assert words in tab.message.text() and not tab.training()


def test_training_updates_curves_and_weights_and_stop_ends_the_thread(tab, qtbot, mnist_data):
    tab.set_data(mnist_data)
    assert tab.start_button.isEnabled()
    small_run(tab, images=2000, epochs=40)
    # the preset's 0.5 is tuned for 15 full epochs; this run is stopped after a few small ones
    tab.controls.learning_rate.setValue(1.0)
    page = tab.training_page
    before = page.weights.cell_images()
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    assert tab.training() and tab.stop_button.isEnabled()
    qtbot.waitUntil(lambda: points(page.test_curve) >= 2, timeout=15000)
    assert page.curve_redraws > 0 and page.weight_redraws > 0
    steps, losses = page.loss_curve.getData()
    assert len(steps) > 5 and np.all(np.isfinite(losses))
    assert losses[-1] < losses[0]                       # it learns
    assert not np.allclose(page.weights.cell_images(), before)  # weight images moved
    assert 0 < tab.progress.value() < 1000
    job = tab.trainer.current
    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert job.is_paused() and tab.pause_button.text() == "Resume" and tab.progress.text() == "Paused"
    qtbot.mouseClick(tab.pause_button, Qt.MouseButton.LeftButton)
    assert not job.is_paused() and tab.pause_button.text() == "Pause"
    with qtbot.waitSignal(job.done, timeout=5000):
        qtbot.mouseClick(tab.stop_button, Qt.MouseButton.LeftButton)
    assert not tab.training() and tab.trainer.current is None
    assert job not in live_jobs()   # (the evaluation of the stopped model may be running)
    assert "Stopped" in tab.model_origin
    assert "Stopped" in tab.model_label.text()
    # the tab's model now holds the trained weights: it does far better than chance
    accuracy = tab.network.accuracy(mnist_data.test_images[:2000], mnist_data.test_labels[:2000])
    assert accuracy > 0.25         # chance is 0.1 (two epochs of 2,000 images give about 0.3)
    # change since start: the images become the difference to the starting weights
    start = page._start_first
    page.change_box.setChecked(True)
    np.testing.assert_allclose(page.weights.cell_images()[0].ravel(),
                               page._current_first[:, 0] - start[:, 0], rtol=1e-5, atol=1e-7)


def test_the_model_text_and_the_evaluation_give_the_same_test_accuracy(tab, qtbot, mnist_data):
    tab.set_data(mnist_data)
    small_run(tab, images=2000, epochs=40)
    tab.controls.learning_rate.setValue(1.0)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: points(tab.training_page.test_curve) >= 1, timeout=15000)
    tab.stop_training()   # in the middle of an epoch: the last epoch's figure no longer fits the weights
    qtbot.waitUntil(lambda: not tab.training() and tab.eval_page.result is not None, timeout=15000)
    accuracy = tab.eval_page.result["test_accuracy"]
    assert accuracy == pytest.approx(tab.network.accuracy(mnist_data.test_images, mnist_data.test_labels))
    figure = accuracy_text(accuracy)
    assert figure in tab.model_label.text() and figure in tab.eval_page.summary.text()


def test_choose_folder_refuses_a_folder_without_mnist_then_loads_the_real_one(tab, qtbot, tmp_path,
                                                                             monkeypatch, mnist_dir):
    from PySide6.QtWidgets import QFileDialog

    folder = mnist_dir
    panel = tab.data_panel
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes(b"not really")
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(tmp_path))
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    assert not panel.error.isHidden() and "does not hold the four MNIST files" in panel.error.text()
    assert tab.data is None and not tab.start_button.isEnabled()
    # all four names present but the contents are damaged: read in the background, refused in words
    for name in ("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (tmp_path / name).write_bytes(b"\x00\x00\x08\x01 truncated")
    qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be used" in panel.error.text(), timeout=10000)
    assert "train-images-idx3-ubyte.gz" in panel.error.text() and "Traceback" not in panel.error.text()
    assert tab.data is None
    qtbot.waitUntil(lambda: live_jobs() == [], timeout=5000)
    assert remembered_data_dir() is None  # a folder without usable files is not remembered
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(panel.dataReady, timeout=15000):
        qtbot.mouseClick(panel.choose_button, Qt.MouseButton.LeftButton)
    assert tab.data is not None and tab.start_button.isEnabled()
    assert panel.error.isHidden() and str(folder) in panel.status.text()
    assert tab.eval_page.evaluate_button.isEnabled()
    assert remembered_data_dir() == folder  # the command line's `mnist train` reads it from there too


def test_the_window_menus_reach_the_tab_space_starts_escape_clears_and_a_report_is_written(
        qtbot, mnist_data, tmp_path, monkeypatch):
    from gui.main_window import MainWindow
    from PySide6.QtCore import QSettings

    monkeypatch.setenv("DESCENT_LAB_MNIST_DIR", str(mnist_data.directory))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(seed=0, settings=settings)
    qtbot.addWidget(window)
    window.select_tab("mnist")
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_widgets["mnist"]
    qtbot.waitUntil(lambda: tab.data is not None, timeout=15000)
    tab.pages.setCurrentWidget(tab.draw_page)
    canvas = tab.draw_page.drawing.canvas
    drag(canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
    qtbot.waitUntil(lambda: tab.draw_page.bars.probabilities() is not None, timeout=3000)
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert canvas.is_empty() and tab.draw_page.bars.probabilities() is None
    small_run(tab, images=1000, epochs=1, preset="relu", batch=50)
    tab.pages.setCurrentWidget(tab.training_page)
    window.run_actions["toggle_run"].trigger()                      # Space
    assert tab.training() or tab._last_update is not None
    qtbot.waitUntil(lambda: not tab.training(), timeout=15000)
    json_path = window.export_report(str(tmp_path))[1]
    import json
    details = json.loads(json_path.read_text())["details"]
    assert details["layer_sizes"] == [784, 16, 16, 10]
    assert details["training"]["epochs_done"] == [1] and 0 < details["training"]["test_accuracy"][0] <= 1
    window.close()


def test_closing_the_window_mid_training_is_clean(qtbot, mnist_data, monkeypatch, tmp_path):
    from gui.main_window import MainWindow

    from PySide6.QtCore import QSettings

    monkeypatch.setenv("DESCENT_LAB_MNIST_DIR", str(mnist_data.directory))
    window = MainWindow(seed=0, settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.select_tab("derivatives")
    window.show()
    tab = window.tab_widgets["mnist"]
    assert tab.data is None and live_jobs() == []      # nothing is read until the tab is opened
    window.select_tab("mnist")
    qtbot.waitUntil(lambda: tab.data is not None, timeout=15000)   # found through the environment
    small_run(tab, images=3000, epochs=50)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.training_page.curve_redraws > 0, timeout=10000)
    job = tab.trainer.current
    window.close()
    assert not job.is_running()
    assert live_jobs() == []


def test_noise_bars_sum_to_one_and_the_histogram_is_computed_in_the_background(tab, qtbot, monkeypatch):
    page = tab.noise_page
    tab.pages.setCurrentWidget(page)
    qtbot.mouseClick(page.single_button, Qt.MouseButton.LeftButton)
    p = page.bars.probabilities()
    assert p is not None and p.sum() == pytest.approx(1.0) and np.all(p >= 0)
    noise = page.noise_image.image()
    assert noise.shape == (28, 28) and 0.3 < noise.mean() < 0.7    # uniform noise, not a digit
    qtbot.mouseClick(page.single_button, Qt.MouseButton.LeftButton)
    assert not np.allclose(page.noise_image.image(), noise)          # a new noise image each time

    threads = []
    real = noise_module.noise_report

    def recording(*args, **kwargs):
        threads.append(QThread.currentThread())
        return real(*args, **kwargs)

    monkeypatch.setattr(noise_module, "noise_report", recording)
    qtbot.mouseClick(page.many_button, Qt.MouseButton.LeftButton)
    assert not page.many_button.isEnabled()
    with qtbot.waitSignal(page.jobs.done, timeout=10000):
        pass
    assert threads and threads[0] is not QThread.currentThread()   # not on the UI thread
    assert page.many_button.isEnabled()
    edges, counts = page.noise_hist.getData()
    assert counts.sum() == 1000 and len(edges) == len(counts) + 1
    assert sum(page.result["predicted_counts"]) == 1000
    top = page.result["top_probabilities"]
    # the whole spread of confidence, in words, not a blanket claim
    assert (f"Of 1,000 images of uniform noise, the top digit score was above 0.9 for "
            f"{100 * np.mean(top > 0.9):.0f}%, between 0.5 and 0.9 for ") in page.summary.text()
    assert f"(median {np.median(top):.2f})" in page.summary.text()
    assert "No \"not a digit\" answer" in page.seen.text()


def test_each_kind_of_non_digit_can_be_fed_and_is_judged_on_its_own(tab, qtbot):
    page = tab.noise_page
    tab.pages.setCurrentWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("grey"))
    qtbot.mouseClick(page.single_button, Qt.MouseButton.LeftButton)
    assert np.ptp(page.noise_image.image()) == 0.0                 # one grey level
    page.kind.setCurrentIndex(page.kind.findData("all"))
    with qtbot.waitSignal(page.resultReady, timeout=10000):
        qtbot.mouseClick(page.many_button, Qt.MouseButton.LeftButton)
    assert page.result["kind"] == "all" and len(page.result["by_kind"]) == 6
    assert "Of 1,000 images of all six kinds mixed" in page.summary.text()


def test_not_a_digit_class_learns_to_reject_noise(tab, qtbot, mnist_data):
    tab.set_data(mnist_data)
    page = tab.noise_page
    with qtbot.waitSignal(page.resultReady, timeout=10000):     # first the digits-only model
        qtbot.mouseClick(page.many_button, Qt.MouseButton.LeftButton)
    before = page.result
    assert len(before["predicted_counts"]) == 10
    small_run(tab, images=3000, epochs=3, preset="relu", batch=32)
    tab.controls.not_a_digit.setChecked(True)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.training(), timeout=30000)
    assert tab.network.layer_sizes[-1] == 11
    assert page.bars.labels[-1] == "not a digit"
    assert page.result is None                                  # the old result was for another model
    assert "taught six kinds: uniform noise, Gaussian noise" in page.seen.text()
    assert "Never shown: letters" in page.seen.text()
    with qtbot.waitSignal(page.resultReady, timeout=10000):
        qtbot.mouseClick(page.many_button, Qt.MouseButton.LeftButton)
    counts = np.asarray(page.result["predicted_counts"])
    assert counts.size == 11 and counts[10] > 900           # noise is now called "not a digit"
    assert f"Answered \"not a digit\": {counts[10] / 10:.0f}%." in page.summary.text()
    assert np.median(page.result["top_probabilities"]) < np.median(before["top_probabilities"])
    assert np.median(page.result["digit_top_probabilities"]) > 0.5        # real digits still recognised
    _, ghost = page.before_hist.getData()
    assert ghost is not None and ghost.sum() == 1000         # the digits-only histogram stays to compare


def test_the_not_a_digit_class_is_judged_on_other_images_than_it_was_taught(tab, qtbot, mnist_data, monkeypatch):
    """The first histogram after training with the class used to show the very images it was taught."""
    import engine.mnist.experiments as experiments
    drawn = []
    real = experiments.mixed_non_digits, experiments.non_digit_images

    def mixed(count, seed=0, purpose="judge", *rest, **named):
        drawn.append(("all", seed, purpose))
        return real[0](count, seed, purpose, *rest, **named)

    def one_kind(kind, count, seed=0, purpose="judge"):
        drawn.append((kind, seed, purpose))
        return real[1](kind, count, seed, purpose)
    monkeypatch.setattr(experiments, "mixed_non_digits", mixed)
    monkeypatch.setattr(experiments, "non_digit_images", one_kind)
    tab.set_data(mnist_data)
    small_run(tab, images=1000, epochs=1, preset="relu", batch=32)
    tab.controls.not_a_digit.setChecked(True)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.training(), timeout=30000)
    page = tab.noise_page
    with qtbot.waitSignal(page.resultReady, timeout=10000):
        qtbot.mouseClick(page.many_button, Qt.MouseButton.LeftButton)
    assert drawn == [("all", tab.seed, "train"), ("uniform", tab.seed, "judge")]


def test_a_training_process_that_dies_is_said_in_words_and_the_tab_stays_usable(tab, qtbot, mnist_data):
    """The training runs in a child process; killed (say, by the system for lack of memory), the
    tab says so, keeps the model of the last finished epoch and is ready to train again."""
    import multiprocessing
    import os
    import signal
    tab.set_data(mnist_data)
    small_run(tab, images=2000, epochs=40)
    epochs = []
    tab.trainer.progress.connect(lambda update: epochs.append(update) if update.weights is not None else None)
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(epochs) >= 2, timeout=15000)
    (child,) = multiprocessing.active_children()
    os.kill(child.pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: not tab.training(), timeout=15000)
    assert "ended unexpectedly" in tab.message.text() and "Traceback" not in tab.message.text()
    assert tab.start_button.isEnabled() and not tab.stop_button.isEnabled()
    assert "Stopped early after" in tab.model_label.text() and "of 40 epoch(s)" in tab.model_label.text()
    assert "steps" not in tab.model_label.text()       # the model is an epoch's, not the last step's
    # an epoch's weights (the engine's tests check which one): trained, not the run's starting point
    assert tab.network.is_finite()
    assert not np.allclose(tab.network.get_weights()[0], tab._training_start_weights)


def test_training_in_the_window_follows_the_presets_recipe(tab, qtbot, mnist_data, monkeypatch):
    """The window used to train every preset at a constant step size; the command line did not."""
    import gui.tabs.mnist.tab as tab_module
    from engine.optimizers import CosineDecay, InverseTimeDecay
    used = []
    real = tab_module.training_updates_in_child

    def recording(network, optimizer, *args, **kwargs):
        used.append(optimizer)
        return real(network, optimizer, *args, **kwargs)
    monkeypatch.setattr(tab_module, "training_updates_in_child", recording)
    tab.set_data(mnist_data)
    controls = tab.controls
    steps = []
    for preset, images, not_a_digit in (("3b1b", 1000, False), ("3b1b", 1000, True), ("wide", 640, False)):
        controls.apply_preset(preset)
        controls.train_images.setValue(images)      # how much to train is not part of the recipe
        controls.epochs.setValue(1)
        controls.not_a_digit.setChecked(not_a_digit)
        assert controls.preset.currentData() == preset
        qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not tab.training(), timeout=30000)
        steps.append(tab.last_training_update().step)
    cosine, with_class, wide = used
    # the schedule spans exactly the run, so the step size is annealed to 0 at its last step
    assert isinstance(cosine.schedule, CosineDecay) and cosine.schedule.steps == 100 == steps[0]  # 1,000 / batch 10
    assert cosine.learning_rate == 0.5
    assert cosine.schedule(100) == pytest.approx(0.0, abs=1e-12)
    assert with_class.schedule.steps == 115 == steps[1]                                   # 150 non-digits too
    assert isinstance(wide.schedule, InverseTimeDecay) and wide.schedule.decay == 1e-3
    assert "cosine" in controls.schedule.text() or "step" in controls.schedule.text()
    controls.learning_rate.setValue(0.3)                       # a knob of the recipe: now custom
    assert controls.preset.currentData() == "custom" and "constant" in controls.schedule.text()
    network, optimizer = tab.build_network(1000)
    assert isinstance(optimizer.schedule, InverseTimeDecay) and optimizer.schedule.decay == 0.0


def test_without_data_the_download_panel_downloads_from_a_local_server_and_enables_training(
        qtbot, tmp_path, mnist_dir, serve, open_tab):
    url = serve(mnist_dir, pause=0.002)
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False, download_dir=tmp_path / "mnist", mirrors=[url]))
    panel = tab.data_panel
    assert panel.download_button.isVisible() and panel.choose_button.isVisible()
    assert "not on this computer" in panel.status.text()
    assert not tab.start_button.isEnabled()
    values = []
    panel.progress.valueChanged.connect(values.append)
    qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    assert panel.cancel_button.isVisible()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=60000)
    assert any(0 < v < 1000 for v in values)            # the bar moved through the middle
    assert mnist_files_present(tmp_path / "mnist")
    assert not list((tmp_path / "mnist").glob("*.part"))
    assert tab.start_button.isEnabled()
    assert not panel.download_button.isVisible()
    assert "60,000 training" in panel.status.text()


def test_an_own_mirror_typed_by_the_user_is_checked_and_used(qtbot, tmp_path, mnist_dir, serve, open_tab):
    school_server = serve(mnist_dir).rstrip("/")   # typed as people type it, without the last slash
    # the built-in mirror list points nowhere: only the typed school server can succeed
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False, download_dir=tmp_path / "mnist",
                                     mirrors=["http://127.0.0.1:9/"]))
    panel = tab.data_panel
    qtbot.keyClicks(panel.mirror_edit, "ftp://nowhere")
    qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    assert "cannot be used" in panel.error.text() and not panel.busy()
    panel.mirror_edit.clear()
    qtbot.keyClicks(panel.mirror_edit, school_server)
    qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.data is not None, timeout=60000)
    assert mnist_files_present(tmp_path / "mnist")


def test_cancelling_a_download_leaves_no_partial_file(qtbot, tmp_path, mnist_dir, serve, open_tab):
    url = serve(mnist_dir, pause=0.02)
    target = tmp_path / "mnist"
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False, download_dir=target, mirrors=[url]))
    panel = tab.data_panel
    qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(target.glob("*.part")), timeout=10000)
    job = panel.jobs.current
    with qtbot.waitSignal(job.done, timeout=10000):
        qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not list(target.glob("*.part")) and not mnist_files_present(target)
    assert "cancelled" in panel.status.text()
    assert panel.download_button.isVisible() and panel.download_button.isEnabled()
    assert tab.data is None and not tab.start_button.isEnabled()


def test_a_download_that_cannot_connect_explains_itself_in_plain_words(qtbot, tmp_path, serve, open_tab):
    from gui import errors
    from gui.worker import set_failure_handler

    set_failure_handler(lambda text: errors.show_error(text))   # as the main window does
    try:
        url = serve(tmp_path)          # serves an empty folder: every file answers 404
        tab = open_tab(MnistInspectorTab(seed=0, search_data=False, download_dir=tmp_path / "mnist",
                                         mirrors=[url]))
        panel = tab.data_panel
        qtbot.mouseClick(panel.download_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.error.isHidden(), timeout=10000)
        text = panel.error.text()
        assert "could not download" in text and "404" in text
        assert "Traceback" not in text and "DownloadError" not in text
        assert panel.download_button.isEnabled() and tab.data is None
        qtbot.waitUntil(lambda: live_jobs() == [], timeout=5000)
        assert errors.open_error_dialogs() == []     # an expected failure is no crash dialog
    finally:
        set_failure_handler(None)


def test_a_corrupt_model_file_shows_an_error_and_keeps_the_model(tab, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    original = tab.network
    weights = [w.copy() for w in original.get_weights()]
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip file")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(tab.load_button, Qt.MouseButton.LeftButton)
    assert "Could not load" in tab.message.text() and "broken.npz" in tab.message.text()
    assert tab.network is original
    for before, after in zip(weights, tab.network.get_weights()):
        np.testing.assert_array_equal(before, after)
    # a valid file of the wrong kind (not a digit model) is refused too
    from engine.network import build_mlp
    build_mlp([2, 3, 3], seed=0).save(tmp_path / "toy.npz")
    assert not tab.load_model(tmp_path / "toy.npz")
    assert "784 inputs" in tab.message.text() and tab.network is original
    # and a good file round-trips through Save and Load
    saved = tmp_path / "mine.npz"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.reset_button, Qt.MouseButton.LeftButton)
    assert tab.network is not original
    assert tab.load_model(saved)
    for before, after in zip(weights, tab.network.get_weights()):
        np.testing.assert_array_equal(before, after)


def test_evaluation_fills_the_confusion_matrix_and_a_cell_click_shows_its_digits(tab, qtbot, mnist_data):
    tab.set_data(mnist_data)
    page = tab.eval_page
    tab.pages.setCurrentWidget(page)
    assert page.evaluate_button.isEnabled()
    qtbot.mouseClick(page.evaluate_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    matrix = page.matrix.matrix()
    assert matrix.sum() == 10000
    np.testing.assert_array_equal(matrix.sum(axis=1), np.bincount(mnist_data.test_labels, minlength=10))
    mistakes = 10000 - np.trace(matrix)
    assert page.gallery.count() == min(mistakes, page.gallery.limit)
    assert all("true" in caption for caption in page.gallery.captions())
    true_digit, predicted = np.unravel_index(np.argmax(matrix - np.diag(np.diag(matrix))), matrix.shape)
    page.matrix.select(int(true_digit), int(predicted))
    assert page.gallery.count() == min(matrix[true_digit, predicted], page.gallery.limit)
    assert all(c.startswith(f"true {true_digit} → {predicted}") for c in page.gallery.captions())


def test_every_control_has_a_tooltip_and_an_accessible_name(tab):
    from PySide6.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox,
                                   QLineEdit, QScrollBar, QTabBar, QWidget)

    kinds = (QAbstractButton, QComboBox, QAbstractSpinBox, QLineEdit, QAbstractSlider)
    controls = [w for w in tab.findChildren(QWidget) if isinstance(w, kinds)
                and not isinstance(w, QScrollBar) and not isinstance(w.parent(), QTabBar)
                and not w.objectName().startswith("qt_")]   # parts inside spin boxes
    assert len(controls) > 20
    unnamed = [w for w in controls if not w.accessibleName()]
    untipped = [w for w in controls if not (w.toolTip() or w.parentWidget().toolTip())]
    assert unnamed == [] and untipped == []


def test_the_pretrained_menu_gives_each_models_measured_accuracy(tab, mnist_data):
    """It said "about 94%" for a 3b1b model that gets 95.5%."""
    import re

    from engine.mnist.experiments import evaluate
    from engine.mnist.models import load_pretrained
    for action in tab.pretrained_button.menu().actions():
        name = action.text().split(":")[0]
        shown = re.search(r"\((\d+\.\d)% of test digits\)", action.text())
        measured = evaluate(load_pretrained(name), mnist_data.test_images, mnist_data.test_labels)["test_accuracy"]
        assert shown and shown.group(1) == f"{100 * measured:.1f}", action.text()


def test_the_wide_pretrained_model_can_be_chosen_and_its_many_neurons_are_shown(tab):
    actions = tab.pretrained_button.menu().actions()
    assert [a.text().split(":")[0] for a in actions] == ["3b1b", "wide"]
    actions[1].trigger()
    assert tab.network.layer_sizes == [784, 256, 128, 10]
    assert "Pretrained wide" in tab.model_label.text()
    grid = tab.training_page.weights
    assert grid.cell_count == 64 and "first 64 shown" in grid.caption.text()
    drag(tab.draw_page.drawing.canvas, [(150, 40), (145, 100), (140, 160), (138, 230)])
    assert [a.size for a in tab.draw_page.activations.values()] == [256, 128]
    assert int(np.argmax(tab.draw_page.bars.probabilities())) == 1
    actions[0].trigger()
    assert tab.network.layer_sizes == [784, 16, 16, 10]


def test_an_installation_without_its_models_says_so_in_the_tab_and_on_stderr(qtbot, open_tab, tmp_path,
                                                                             monkeypatch, capsys):
    from engine.mnist import models

    monkeypatch.setattr(models, "asset", tmp_path.joinpath)  # an installation that lost assets/models/
    tab = open_tab(MnistInspectorTab(seed=0, search_data=False), 1360, 820)
    assert "Untrained 3b1b network: the shipped model could not be read" in tab.model_label.text()
    assert tab.network.layer_sizes == [784, 16, 16, 10]  # the demos still have a network to show
    err = capsys.readouterr().err
    assert "descent-lab: 3b1b.npz: the pretrained model is missing from this installation" in err


def test_without_a_mouse_a_test_digit_or_a_picture_file_goes_on_the_canvas(tab, qtbot, mnist_data, tmp_path):
    from PySide6.QtGui import QImage

    from gui.accessibility import announcer
    page = tab.draw_page
    tab.pages.setCurrentWidget(page)
    assert not page.drawing.test_digit_button.isEnabled()   # no MNIST yet: nothing to take a digit from
    tab.set_data(mnist_data)
    assert page.drawing.test_digit_button.isEnabled()
    with qtbot.waitSignal(announcer().announced, timeout=3000,
                          check_params_cb=lambda text: text.startswith("Test digit on the canvas")) as heard:
        page.drawing.test_digit_button.click()
    label = int(heard.args[0].rstrip(".").split()[-1])
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert int(np.argmax(page.bars.probabilities())) == label   # the shipped model reads a clean test digit

    digit = (np.clip(1.0 - mnist_data.test_images[0].reshape(28, 28), 0, 1) * 255).astype(np.uint8)  # dark on light
    path = tmp_path / "digit.png"
    QImage(digit.data, 28, 28, 28, QImage.Format.Format_Grayscale8).copy().scaled(140, 140).save(str(path))
    page.drawing.canvas.clear()
    assert page.open_picture(path)
    qtbot.waitUntil(lambda: page.bars.probabilities() is not None, timeout=3000)
    assert int(np.argmax(page.bars.probabilities())) == int(mnist_data.test_labels[0])
    (tmp_path / "not-a-picture.png").write_text("hello")
    assert not page.open_picture(tmp_path / "not-a-picture.png")
    assert "cannot be used" in page.detail.text()
