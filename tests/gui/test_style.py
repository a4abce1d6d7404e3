"""The one look: Okabe–Ito colours named in gui/style.py only, and one error red for messages."""

import re
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

from gui import style

GUI = Path(__file__).resolve().parents[2] / "gui"


def test_palette_is_okabe_ito_in_series_order():
    assert style.PALETTE == ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
                             "#000000"]


def test_colour_codes_are_written_only_in_the_style_module():
    code = re.compile(r"#[0-9A-Fa-f]{6}\b|mkBrush\(\s*\d|QColor\(\s*\d+\s*,")
    retyped = [f"{path.relative_to(GUI)}:{number}"
               for path in GUI.rglob("*.py") if path.name != "style.py"
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if code.search(line)]
    assert retyped == []


def test_an_error_message_turns_red_and_back_to_the_normal_text_colour(qtbot):
    label = QLabel("message")
    qtbot.addWidget(label)
    normal = QApplication.palette(label).color(QPalette.ColorRole.WindowText)
    style.show_as_error(label)
    assert label.palette().color(QPalette.ColorRole.WindowText).name().upper() == style.ERROR_TEXT
    style.show_as_error(label, False)
    assert label.palette().color(QPalette.ColorRole.WindowText) == normal


def test_a_scaled_font_is_a_larger_copy_and_keeps_its_floor():
    font = QApplication.font()
    font.setPointSizeF(10.0)
    assert style.scaled_font(font, 1.5).pointSizeF() == 15.0
    assert style.scaled_font(font, 0.5, minimum_points=7.0).pointSizeF() == 7.0
    assert font.pointSizeF() == 10.0
