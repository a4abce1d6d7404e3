"""The MNIST Inspector tab: train the lesson's digit network live and look inside it.

The lesson (3Blue1Brown): a 784-16-16-10 network gets most new digits right (the video says about
96%; the shipped model, trained by `mnist train --preset 3b1b --seed 0`, gets 95.5%), yet its
first-layer weights look nearly random rather than like strokes, and it calls random noise a digit,
because nothing in its training said "not a digit" exists.

The tab always holds one current model (at first the shipped pretrained one, so drawing, weights
and noise work without data). Training runs in a worker on its own network; the UI copy of the
model receives the trained weights at every epoch end.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (QFileDialog, QGridLayout, QGroupBox, QHBoxLayout, QMenu, QProgressBar,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from engine.layers import Dense
from engine.mnist import MnistData
from engine.mnist.experiments import NON_DIGIT_SHARE, with_noise_class
from engine.mnist.models import PRESETS, build_preset, check_digit_model, describe, load_pretrained, run_steps
from engine.mnist.progress import TrainingUpdate
from engine.mnist.training_process import training_updates_in_child
from engine.network import ModelFileError, Network, build_mlp
from engine.optimizers import make_optimizer
from gui.errors import one_line, report_broken_installation
from gui.plotting import Throttle
from gui.settings_store import optional, state_value, text
from gui.style import show_as_error
from gui.tabs.base import LessonTab, TabAction
from gui.tabs.mnist.data_panel import MnistDataPanel
from gui.tabs.mnist.draw_page import DrawPage
from gui.tabs.mnist.eval_page import EvaluationPage, accuracy_text
from gui.tabs.mnist.inside_page import InsidePage
from gui.tabs.mnist.noise_page import NoisePage
from gui.tabs.mnist.training_controls import TrainingControls
from gui.tabs.mnist.training_page import TrainingPage
from gui.widgets.control_column import ControlColumn
from gui.widgets.controls import described, relabel
from gui.widgets.readout import Readout
from gui.worker import JobRunner, stop_requested

DIGIT_LABELS = [str(d) for d in range(10)]
NOT_A_DIGIT_LABEL = "not a digit"


def first_weights(network: Network) -> np.ndarray:
    return next(layer for layer in network.layers if isinstance(layer, Dense)).weights.value


def class_labels(network: Network) -> list[str]:
    return DIGIT_LABELS + [NOT_A_DIGIT_LABEL] if network.layer_sizes[-1] == 11 else list(DIGIT_LABELS)


def check_model(network: Network, name: str) -> Network:
    """Accept only digit models this tab can show: 784 inputs, 10 or 11 outputs, finite weights."""
    check_digit_model(network, name)
    if not network.is_finite():
        raise ModelFileError(f"{name}: some weights are NaN or infinite")
    return network


def format_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    seconds = int(round(seconds))
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"


class MnistInspectorTab(LessonTab):
    """Constructed as MnistInspectorTab(seed, parent); tests may also say where the data is
    (`data_dir`, `search_data=False` for "none"), where a download goes and from which mirrors."""

    supports = TabAction.RUN | TabAction.RESET | TabAction.CLEAR_CANVAS
    # Versions before the tab contract kept the chosen MNIST folder under this key.
    legacy_settings = {"data_folder": "mnist/folder"}

    def __init__(self, seed: int = 0, parent: QWidget | None = None, *, data_dir: str | Path | None = None,
                 search_data: bool = True, download_dir: str | Path | None = None,
                 mirrors: list[str] | None = None, noise_count: int = 1000):
        super().__init__(parent)
        self.seed = seed
        self.data: MnistData | None = None
        self.network: Network
        self.model_origin = ""
        # Updates come every 0.02 s (training_updates); the worker's throttle sits just below that
        # so it does not drop them, yet still caps the rate if the generator ever yields faster.
        self.trainer = JobRunner(self, throttle=0.015, quiet_collector=True)
        self._training_network: Network | None = None
        self._training_failed = False
        self._training_start_weights: np.ndarray | None = None
        self._last_update: TrainingUpdate | None = None

        # left column: data, model, training controls
        self.data_panel = MnistDataPanel(data_dir, search_data, download_dir, mirrors)
        self.model_label = Readout("Current model", "Where the model on show comes from, its layers and size")
        self.model_label.setWordWrap(True)
        self.message = Readout("Message", "What the last action did, or why it could not")
        self.message.setWordWrap(True)
        self.save_button = described(QPushButton("Save model…"), "Save model",
                                     "Write the current model to a .npz file")
        self.load_button = described(QPushButton("Load model…"), "Load model",
                                     "Read a model saved by Descent Lab (.npz)")
        self.pretrained_button = described(QPushButton("Use pretrained"), "Use pretrained",
                                           "Use a model shipped with Descent Lab, already trained")
        model_box = QGroupBox("Model")
        model_layout = QVBoxLayout(model_box)
        model_layout.addWidget(self.model_label)
        row = QGridLayout()
        row.addWidget(self.save_button, 0, 0)
        row.addWidget(self.load_button, 0, 1)
        row.addWidget(self.pretrained_button, 1, 0, 1, 2)
        model_layout.addLayout(row)

        self.controls = TrainingControls()
        self.start_button = described(QPushButton("Start"), "Start",
                                      "Train a new network with these settings (needs MNIST)")
        self.pause_button = described(QPushButton("Pause"), "Pause", "Pause or resume training")
        self.stop_button = described(QPushButton("Stop"), "Stop", "Stop training and keep the network as it is now")
        self.reset_button = described(QPushButton("Reset"), "Reset",
                                      "Throw the trained weights away: a fresh, untrained network")
        self.progress = described(QProgressBar(), "Training progress", "Epoch, and an estimate of the time left")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setFormat("Not training")
        buttons = QGridLayout()   # two by two: four in a row would widen the column in projector mode
        for i, button in enumerate((self.start_button, self.pause_button, self.stop_button, self.reset_button)):
            buttons.addWidget(button, i // 2, i % 2)
        self.controls.layout().addRow(buttons)
        self.controls.layout().addRow(self.progress)

        self.controls_column = ControlColumn()
        self.controls_column.add(self.data_panel, model_box, self.controls, self.message)

        # right: the four views
        self.training_page = TrainingPage()
        self.draw_page = DrawPage()
        self.noise_page = NoisePage(seed=seed, count=noise_count)
        self.eval_page = EvaluationPage()
        self.inside_page = InsidePage(seed=seed)
        self.pages = QTabWidget()
        # Short names: the row of pages must fit beside the controls and the lesson in projector mode.
        for page, name, tip in ((self.training_page, "Training", "Training curves and first-layer weights"),
                                (self.draw_page, "Draw", "Draw a digit and see what the network answers"),
                                (self.noise_page, "Noise", "What the network says about noise and other pictures that are not digits"),
                                (self.eval_page, "Evaluate", "Confusion matrix and mistakes on the test set"),
                                (self.inside_page, "Inside", "Inside the network: backpropagation step by step, "
                                                             "saliency and the gradient attack")):
            self.pages.setTabToolTip(self.pages.addTab(page, name), tip)
        self.pages.setUsesScrollButtons(False)   # on a tiny screen names shorten rather than hide tabs
        self.pages.setElideMode(Qt.TextElideMode.ElideRight)
        self.pages.setAccessibleName("MNIST Inspector views")
        layout = QHBoxLayout(self)
        layout.addWidget(self.controls_column)
        layout.addWidget(self.pages, 1)

        self._text_clock = Throttle(self._draw_progress_text, hz=1, parent=self)
        self.save_button.clicked.connect(self.choose_save_path)
        self.load_button.clicked.connect(self.choose_model_file)
        menu = QMenu(self.pretrained_button)
        for name, text in (("3b1b", "3b1b: the lesson's 784-16-16-10 network (95.5% of test digits)"),
                           ("wide", "wide: 784-256-128-10 (98.2% of test digits)")):
            menu.addAction(text, lambda n=name: self.use_pretrained(n))
        self.pretrained_button.setMenu(menu)
        self.start_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop_training)
        self.reset_button.clicked.connect(self.reset_network)
        self.data_panel.dataReady.connect(self.set_data)
        self.eval_page.evaluated.connect(self._on_evaluated)
        self.trainer.progress.connect(self._on_training_update)
        self.trainer.failed.connect(self._on_training_failed)
        self.trainer.done.connect(self._on_training_done)

        self.use_pretrained()
        self._update_buttons()
        self._data_started = False   # MNIST is read the first time the tab is shown, not at start-up

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._data_started:
            self._data_started = True
            self.data_panel.start()

    # --- data and model ----------------------------------------------------------------------
    @Slot(object)
    def set_data(self, data: MnistData | None) -> None:
        """Use these MNIST arrays (from the data panel, or given directly by a test)."""
        self.data = data
        self.noise_page.set_test_images(None if data is None else data.test_images)
        self.draw_page.set_test_digits(None if data is None else data.test_images,
                                       None if data is None else data.test_labels)
        self.eval_page.set_data(data)
        self.inside_page.set_data(data)
        if data is not None:
            self.controls.train_images.setMaximum(data.train_images.shape[0])
        self._update_buttons()

    def set_network(self, network: Network, origin: str, start_weights: np.ndarray | None = None) -> None:
        """Make `network` the current model everywhere in the tab."""
        self.network = network
        self.model_origin = origin
        self._show_model_text()
        labels = class_labels(network)
        self.training_page.show_network_weights(first_weights(network), start_weights)
        self.draw_page.set_network(network, labels)
        self.noise_page.set_network(network, labels)
        self.eval_page.set_network(network, labels)
        self.inside_page.set_network(network, labels)

    def _show_model_text(self, accuracy: float | None = None) -> None:
        network = self.network
        text = f"{self.model_origin}\n{describe(network)}; {network.parameter_count():,} parameters"
        if accuracy is not None:
            text += f"\nTest accuracy {accuracy_text(accuracy)}"
        self.model_label.setText(text)

    @Slot(float)
    def _on_evaluated(self, accuracy: float) -> None:
        """The model text gives the figure of this very model's evaluation (never an epoch's
        figure for weights that moved on after it)."""
        self._show_model_text(accuracy)

    @Slot()
    def use_pretrained(self, name: str = "3b1b") -> None:
        """Make a shipped, already trained model current ("3b1b" or "wide")."""
        if self.training():
            return
        try:
            network = load_pretrained(name)
            origin = f"Pretrained {name} model (shipped with Descent Lab)"
        except (ModelFileError, OSError, ValueError) as exc:
            network = build_preset(name, seed=self.seed)[0]
            origin = f"Untrained {name} network: the shipped model could not be read"
            self.show_message(str(exc), error=True)
            report_broken_installation(str(exc))
        self.training_page.clear_curves()
        self.set_network(network, origin)

    def save_model(self, path: str | Path) -> bool:
        """Write the current model to `path` (atomically: a failed save leaves an older file whole).
        On failure the model stays in memory and the message says why; False is returned."""
        path = Path(path)
        if path.suffix.lower() != ".npz":
            path = path.with_name(path.name + ".npz")
        try:
            self.network.save(path)
        except ModelFileError as exc:   # NaN or infinite weights: no file would help
            self.show_message(f"{exc}. The model is still here.", error=True)
            return False
        except OSError as exc:
            self.show_message(f"Could not save the model to {path}: {exc.strerror or exc}. "
                              "The model is still here: choose another place.", error=True)
            return False
        self.show_message(f"Model saved to {path}.")
        return True

    def load_model(self, path: str | Path) -> bool:
        """Load a model file; a bad file leaves the current model untouched and says why."""
        if self.training():
            self.show_message("Stop training before loading another model.", error=True)
            return False
        path = Path(path)
        try:
            network = check_model(Network.load(path), path.name)
        except (ModelFileError, OSError, ValueError) as exc:
            self.show_message(f"Could not load that model; the current one is kept. {exc}", error=True)
            return False
        self.training_page.clear_curves()
        self.set_network(network, f"Loaded from {path.name}")
        self.show_message(f"Model loaded from {path}.")
        return True

    @Slot()
    def choose_save_path(self) -> None:
        """Ask where to save; when that place cannot be written, ask again (the model is kept)."""
        title, start = "Save model", "digits-model.npz"
        while True:
            path, _ = QFileDialog.getSaveFileName(self, title, start, "Descent Lab model (*.npz)")
            if not path or self.save_model(path) or not self.network.is_finite():
                return
            title, start = "Could not save there: choose another place for the model", path

    @Slot()
    def choose_model_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load model", "", "Descent Lab model (*.npz);;All files (*)")
        if path:
            self.load_model(path)

    def show_message(self, text: str, error: bool = False) -> None:
        show_as_error(self.message, error)
        self.message.setText(text)
        self.message.announce(urgent=error)

    # --- training ----------------------------------------------------------------------------
    def training(self) -> bool:
        return self.trainer.busy()

    def last_training_update(self) -> TrainingUpdate | None:
        """The newest progress of the current (or last) training run, as the window drew it."""
        return self._last_update

    def build_network(self, images: int | None = None) -> tuple[Network, object]:
        """A fresh network and optimizer from the controls (raises ValueError with plain words).

        While a preset's values are chosen, its whole recipe is used, learning-rate schedule
        included, exactly as `mnist train --preset` does; the schedule spans the run: the chosen
        epochs over `images` training images (the digits plus any non-digits; default 60,000).
        """
        s = self.controls.settings()
        if s.preset in PRESETS:
            steps = run_steps(s.epochs, images or 60_000, s.batch_size)
            return build_preset(s.preset, seed=self.seed, steps=steps, not_a_digit=s.not_a_digit)
        network = build_mlp(s.sizes(), activation=s.activation, loss=s.cost, init=s.init,
                            seed=self.seed, dtype=np.float32)
        optimizer = make_optimizer(s.optimizer, network.parameters(), learning_rate=s.learning_rate)
        return network, optimizer

    @Slot()
    def start_training(self) -> None:
        if self.training():
            return
        if self.data is None:
            self.show_message("Training needs the MNIST files: download them or choose their folder.", error=True)
            return
        try:
            settings = self.controls.settings()
            limit = min(settings.train_images, self.data.train_images.shape[0])
            non_digits = max(1, round(NON_DIGIT_SHARE * limit)) if settings.not_a_digit else 0
            network, optimizer = self.build_network(limit + non_digits)
        except ValueError as exc:
            self.show_message(str(exc), error=True)
            return
        data, not_a_digit = self.data, settings.not_a_digit
        start = first_weights(network).copy()
        self._training_start_weights = start
        self.training_page.clear_curves()
        self.set_network(network.copy(), f"Training now: {settings.preset}"
                         + (" with \"not a digit\"" if settings.not_a_digit else ""), start)
        epochs, batch, seed = settings.epochs, settings.batch_size, self.seed
        self._training_network = network
        self._last_update = None
        self._training_failed = False

        def job():
            # Runs in the worker thread: adding the noise images copies the whole training set. The
            # training itself runs in a process of its own, so the live plots never slow it down.
            if not_a_digit:
                with_noise = with_noise_class(data, non_digits, seed, limit)
                return training_updates_in_child(network, optimizer, with_noise, epochs, batch, seed,
                                                 should_stop=stop_requested)
            return training_updates_in_child(network, optimizer, data, epochs, batch, seed, limit,
                                             should_stop=stop_requested)

        extra = f" and {non_digits:,} non-digits" if non_digits else ""
        self.show_message(f"Training on {limit:,} digits{extra} for {epochs} epoch(s)…")
        self.progress.setFormat("Starting…")
        self.trainer.start(job)
        self._update_buttons()

    @Slot()
    def toggle_pause(self) -> None:
        if not self.training():
            return
        if self.trainer.is_paused():
            self.trainer.resume()
            relabel(self.pause_button, "Pause")
        else:
            self.trainer.pause()
            relabel(self.pause_button, "Resume")
            self.progress.setFormat("Paused")

    @Slot()
    def stop_training(self) -> None:
        self.trainer.stop()

    @Slot()
    def reset_network(self) -> None:
        self.trainer.cancel()   # a run in progress is forgotten: its weights are thrown away
        self._training_network = None
        self._update_buttons()
        try:
            network, _ = self.build_network()
        except ValueError as exc:
            self.show_message(str(exc), error=True)
            return
        self.training_page.clear_curves()
        self.progress.setValue(0)
        self.progress.setFormat("Not training")
        self.set_network(network, "Untrained network (random weights)")

    @Slot(object)
    def _on_training_update(self, update: TrainingUpdate) -> None:
        self._last_update = update
        if update.problem is not None:
            self._training_failed = True
            self.show_message(update.problem, error=True)
        self.training_page.receive(update)
        if update.weights is not None:
            self.network.set_weights(update.weights)  # the UI copy follows epoch by epoch
            self.draw_page.refresh()
            self.inside_page.set_network(self.network, class_labels(self.network))
        fraction = update.step / max(update.steps_total, 1)
        self.progress.setValue(int(round(1000 * fraction)))
        self._text_clock.request()

    def _draw_progress_text(self) -> None:
        update = self._last_update
        if update is None or not self.training():
            return
        if self.trainer.is_paused():
            return
        test = f", test {100 * update.test_accuracy[-1]:.1f}%" if update.test_accuracy else ""
        self.progress.setFormat(f"Epoch {update.epoch} of {update.epochs}{test}, "
                                f"about {format_seconds(update.seconds_left)} left")

    @Slot(str)
    def _on_training_failed(self, text: str) -> None:
        self._training_failed = True
        self.show_message("Training stopped with an error: " + one_line(text), error=True)

    @Slot(bool)
    def _on_training_done(self, stopped: bool) -> None:
        trained, self._training_network = self._training_network, None
        self.training_page.flush()
        update = self._last_update
        failed = self._training_failed
        stopped = failed or stopped
        # The thread has ended, so the trained network is ours to read: the model becomes exactly
        # what training left, also when it was stopped in the middle of an epoch.
        if trained.is_finite():
            self.network.set_weights(trained.get_weights())
        epochs = len(update.test_accuracy) if update is not None else 0
        if failed:   # what survives a failure is at most the last finished epoch
            result = f"after {epochs} of {update.epochs} epoch(s)" if update is not None else "before the first step"
        elif stopped:
            result = (f"after {epochs} of {update.epochs} epoch(s) and {update.step:,} steps" if update is not None
                      else "before the first step")
        else:
            result = f"{epochs} epoch(s)"
        origin = ("Stopped early " if stopped else "Trained here: ") + result
        self.set_network(self.network, origin, self._training_start_weights)   # every view follows
        if self.data is not None:
            self.eval_page.evaluate()   # the model text's figure: these final weights, as Evaluate shows them
        self.progress.setFormat("Stopped" if stopped else "Finished")
        if not stopped:
            self.progress.setValue(1000)
        if not failed:
            self.show_message("Training " + ("stopped " if stopped else "finished: ") + f"{result}.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.training()
        have_data = self.data is not None
        self.start_button.setEnabled(have_data and not running)
        self.start_button.setToolTip("Train a new network with these settings" if have_data
                                     else "Training needs the MNIST files (see MNIST data above)")
        self.pause_button.setEnabled(running)
        relabel(self.pause_button, "Pause")
        self.stop_button.setEnabled(running)
        self.controls.setEnabled(True)
        for widget in (self.load_button, self.pretrained_button):
            widget.setEnabled(not running)

    # --- the tab contract: what the main window's menus, report and settings call ------------
    def toggle_run(self) -> None:
        """Space: start training, or pause / resume the running one."""
        if self.training():
            self.toggle_pause()
        else:
            self.start_training()

    def reset(self) -> None:
        self.reset_network()

    def clear_canvas(self) -> None:
        if self.pages.currentWidget() is self.inside_page:
            self.inside_page.clear_drawing()
        else:
            self.draw_page.drawing.canvas.clear()

    def report(self) -> dict:
        """The facts of this tab's current state, for the run report."""
        details = {
            "model": self.model_origin,
            "layer_sizes": self.network.layer_sizes,
            "parameters": self.network.parameter_count(),
            "data_folder": str(self.data.directory) if self.data is not None else None,
        }
        update = self._last_update
        if update is not None:
            details["training"] = {"epochs_done": update.epoch_numbers,
                                   "train_accuracy": update.train_accuracy,
                                   "test_accuracy": update.test_accuracy,
                                   "steps": update.step, "seconds": round(update.seconds, 2)}
        noise = self.noise_page.result
        if noise is not None:
            details["noise"] = {"kind": noise["kind"], "images": len(noise["top_probabilities"]),
                                "fraction_above_0_9": noise["fraction_above_0_9"],
                                "fraction_not_a_digit": noise["fraction_not_a_digit"],
                                "mean_top_probability": noise["mean_top_probability"],
                                "predicted_counts": noise["predicted_counts"]}
        details["inside_the_network"] = self.inside_page.report()
        evaluation = self.eval_page.result
        if evaluation is not None:
            details["evaluation"] = {"test_accuracy": evaluation["test_accuracy"],
                                     "confusion": evaluation["confusion"].tolist()}
        return details

    def shutdown(self) -> None:
        self.inside_page.shutdown()
        super().shutdown()

    def remembered_state(self) -> dict:
        """The folder MNIST was read from, to read it from there again next time."""
        folder = self.data_panel.directory or self.data_panel.remembered_folder
        return {"data_folder": str(folder) if folder is not None else None}

    def restore_remembered_state(self, state: dict) -> None:
        self.data_panel.remember_folder(state_value(state, "data_folder", optional(text()), None))
