"""The control helpers: a name and a tooltip on every control, choices that carry values."""

from PySide6.QtWidgets import QDoubleSpinBox, QPushButton, QSpinBox

from gui.widgets.controls import choice_box, described, number_box, relabel


def test_a_described_control_is_named_and_explained(qtbot):
    button = described(QPushButton("Go"), "Start the run", "Runs every method side by side")
    qtbot.addWidget(button)
    assert (button.accessibleName(), button.toolTip()) == ("Start the run", "Runs every method side by side")


def test_a_choice_box_shows_texts_and_gives_values(qtbot):
    box = choice_box([("Full batch", "full"), ("One sample", "one")], "Batch", "How many points per step")
    qtbot.addWidget(box)
    assert [box.itemText(i) for i in range(box.count())] == ["Full batch", "One sample"]
    box.setCurrentIndex(1)
    assert box.currentData() == "one" and box.accessibleName() == "Batch"


def test_a_number_box_is_whole_or_decimal_and_keeps_its_limits(qtbot):
    whole = number_box(1, 1000, 100, "Epochs", "Passes over the data", step=10)
    qtbot.addWidget(whole)
    assert type(whole) is QSpinBox and whole.value() == 100 and whole.singleStep() == 10
    rate = number_box(0.0001, 10.0, 0.05, "Learning rate", "Step size", decimals=4)
    qtbot.addWidget(rate)
    assert type(rate) is QDoubleSpinBox and rate.decimals() == 4 and rate.value() == 0.05
    rate.setValue(0.0)
    assert rate.value() == 0.0001   # the smallest rate survives the four-digit display


def test_a_control_keeps_its_first_name_as_the_key_its_value_is_remembered_under(qtbot):
    box = choice_box([("Full batch", "full")], "Gradient from", "How many points per step", key="Batch")
    qtbot.addWidget(box)
    assert (box.accessibleName(), box.objectName()) == ("Gradient from", "Batch")
    plain = described(QPushButton("Go"), "Go", "Starts")
    qtbot.addWidget(plain)
    assert plain.objectName() == "Go"


def test_relabelling_a_button_renames_it_too(qtbot):
    button = described(QPushButton("Play"), "Play", "Animate the runs")
    qtbot.addWidget(button)
    relabel(button, "&Pause")
    assert button.text() == "&Pause" and button.accessibleName() == "Pause"
