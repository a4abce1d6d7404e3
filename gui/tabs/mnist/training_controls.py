"""The knobs of a training run: preset or custom network, cost, optimizer and schedule.

Choosing a preset fills in its recipe, and training then follows the whole recipe, the step-size
schedule included (shown as text: it has no knob); changing any knob of the recipe afterwards
turns the choice into "custom", trained with a constant step size. `settings()` reads the controls
into a plain `TrainingSettings` (or explains what is wrong with the hidden-layer text), so the tab
never parses widgets itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QLineEdit, QSpinBox,
                               QWidget)

from engine.mnist.experiments import NON_DIGIT_SHARE
from engine.mnist.models import PRESETS, Preset
from gui.widgets.controls import described, narrow_choices
from gui.widgets.labelled_slider import LabelledSlider
from gui.widgets.readout import Readout

COSTS = {"sse": "squared error (3Blue1Brown)", "mse": "mean squared error",
         "softmax_ce": "softmax cross-entropy", "cce": "softmax + categorical cross-entropy"}
OPTIMIZERS = {"sgd": "plain gradient descent (SGD)", "momentum": "SGD with momentum", "adam": "Adam"}
ACTIVATIONS = ["sigmoid", "relu", "tanh"]
CUSTOM = "custom"
MAX_HIDDEN = 1024


@dataclass
class TrainingSettings:
    preset: str
    hidden: list[int]
    activation: str
    cost: str
    init: str
    optimizer: str
    learning_rate: float
    batch_size: int
    epochs: int
    train_images: int
    not_a_digit: bool

    def sizes(self) -> list[int]:
        return [784, *self.hidden, 11 if self.not_a_digit else 10]


def schedule_text(preset: Preset | None) -> str:
    """How the step size changes over a run of this recipe (None: a custom run), in words."""
    if preset is None:
        return "constant (custom settings)"
    if preset.schedule == "cosine":
        return "annealed to 0 over the run (cosine)"
    if preset.decay:
        return f"η / (1 + {preset.decay:g}·step)"
    return "constant"


def parse_hidden(text: str) -> list[int]:
    """'16, 16' -> [16, 16]; raises ValueError with a sentence a student can act on."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if not parts:
        raise ValueError("Give at least one hidden layer size, e.g. 16, 16.")
    sizes = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(f"Hidden layer sizes must be whole numbers; {part!r} is not.")
        size = int(part)
        if not 1 <= size <= MAX_HIDDEN:
            raise ValueError(f"Each hidden layer needs 1 to {MAX_HIDDEN} neurons; {size} is outside that.")
        sizes.append(size)
    if len(sizes) > 4:
        raise ValueError("At most 4 hidden layers, please (more trains slowly and teaches nothing new).")
    return sizes


class TrainingControls(QGroupBox):
    """A form with every training knob. Signal settingsChanged() on any change."""

    settingsChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Training", parent)
        self._filling = False
        self.preset = QComboBox(self)
        for name, preset in PRESETS.items():
            self.preset.addItem(name, name)
            self.preset.setItemData(self.preset.count() - 1, preset.description,
                                    role=3)  # Qt.ToolTipRole
        self.preset.addItem(CUSTOM, CUSTOM)
        self.hidden = QLineEdit(self)
        self.hidden.setPlaceholderText("e.g. 16, 16")
        self.activation = QComboBox(self)
        self.activation.addItems(ACTIVATIONS)
        self.cost = QComboBox(self)
        for key, label in COSTS.items():
            self.cost.addItem(label, key)
        self.optimizer = QComboBox(self)
        for key, label in OPTIMIZERS.items():
            self.optimizer.addItem(label, key)
        self.learning_rate = LabelledSlider("", 1e-4, 10.0, 1.0, log=True, spoken_name="Learning rate",
                                            tooltip="Step size η in w ← w − η·∂C/∂w (logarithmic scale)")
        self.batch_size = QSpinBox(self)
        self.batch_size.setRange(1, 10_000)
        self.epochs = QSpinBox(self)
        self.epochs.setRange(1, 100)
        self.train_images = QSpinBox(self)
        self.train_images.setRange(100, 60_000)
        self.train_images.setSingleStep(1000)
        self.train_images.setValue(60_000)
        self.train_images.setGroupSeparatorShown(True)
        self.not_a_digit = described(QCheckBox("Extra class: \"not a digit\"", self), "Extra class: not a digit",
                                     f"Add an 11th output taught six kinds of non-digits ({NON_DIGIT_SHARE:.0%} as "
                                     "many as the digits: noise, dots, grey pages, stripes, shapes), so the network "
                                     "can say \"this is not a digit\"", key="Not a digit")
        self.schedule = Readout("Schedule", parent=self)   # a reader hears the schedule, not only its caption
        self.schedule.setWordWrap(True)

        form = QFormLayout(self)
        rows = [  # (label, which also names the control; control; tooltip)
            ("Preset", self.preset, "A recipe: 3b1b is the lesson's 784-16-16-10 sigmoid network"),
            ("Hidden layers", self.hidden, "Neurons per hidden layer, separated by commas"),
            ("Activation", self.activation, "The non-linearity of the hidden neurons"),
            ("Cost", self.cost, "What training minimises"),
            ("Optimizer", self.optimizer, "How the gradient is turned into a step"),
            ("Learning rate", self.learning_rate, self.learning_rate.toolTip()),
            ("Schedule", self.schedule, "How the step size changes during the run: part of a preset's recipe"),
            ("Batch size", self.batch_size, "Images per gradient step"),
            ("Epochs", self.epochs, "Passes over the training images"),
            ("Training images", self.train_images, "Use fewer images for a quick run on a slow computer"),
        ]
        for label, widget, tip in rows:
            if isinstance(widget, QComboBox):   # long choices must not widen the whole column
                narrow_choices(widget, 11)          # fits a 1280 px projector in projector mode
            form.addRow(label, described(widget, label, tip))
        form.addRow(self.not_a_digit)

        self.preset.currentIndexChanged.connect(self._preset_chosen)
        for signal in (self.hidden.textChanged, self.activation.currentIndexChanged,
                       self.cost.currentIndexChanged, self.optimizer.currentIndexChanged,
                       self.learning_rate.valueChanged, self.batch_size.valueChanged):
            signal.connect(self._knob_changed)
        # How long to train is not part of the recipe: the preset's name stays.
        self.epochs.valueChanged.connect(self.settingsChanged)
        self.train_images.valueChanged.connect(self.settingsChanged)
        self.not_a_digit.toggled.connect(self.settingsChanged)
        self.apply_preset("3b1b")

    def apply_preset(self, name: str) -> None:
        recipe = PRESETS[name]
        self._filling = True
        try:
            self.preset.setCurrentIndex(self.preset.findData(name))
            self.hidden.setText(", ".join(str(s) for s in recipe.sizes[1:-1]))
            self.activation.setCurrentText(recipe.activation)
            self.cost.setCurrentIndex(self.cost.findData(recipe.loss))
            self.optimizer.setCurrentIndex(self.optimizer.findData(recipe.optimizer))
            self.learning_rate.setValue(recipe.learning_rate)
            self.batch_size.setValue(recipe.batch_size)
            self.epochs.setValue(recipe.epochs)
            self.schedule.setText(schedule_text(recipe))
        finally:
            self._filling = False
        self.settingsChanged.emit()

    def settings(self) -> TrainingSettings:
        """The current choice; raises ValueError (plain words) when the hidden sizes are bad."""
        preset = self.preset.currentData()
        activation = self.activation.currentText()
        init = PRESETS[preset].init if preset in PRESETS else ("he" if activation == "relu" else "xavier")
        return TrainingSettings(preset, parse_hidden(self.hidden.text()), activation,
                                self.cost.currentData(), init, self.optimizer.currentData(),
                                float(self.learning_rate.value()), self.batch_size.value(),
                                self.epochs.value(), self.train_images.value(),
                                self.not_a_digit.isChecked())

    def _preset_chosen(self, index: int) -> None:
        name = self.preset.itemData(index)
        if name in PRESETS and not self._filling:
            self.apply_preset(name)
        elif name == CUSTOM:
            self.schedule.setText(schedule_text(None))

    def _knob_changed(self, *_args) -> None:
        if not self._filling and self.preset.currentData() != CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
            self.preset.blockSignals(False)
            self.schedule.setText(schedule_text(None))
        self.settingsChanged.emit()
