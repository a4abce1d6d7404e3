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


def test_text_colours_reach_aa_contrast_on_white_and_on_the_window_grey():
    window_grey = QApplication.palette().color(QPalette.ColorRole.Window)
    colours = [style.HINT_TEXT, style.ERROR_TEXT, style.PLACEHOLDER_TEXT, *style.TEXT_SHADES.values()]
    for colour in colours:
        for background in (style.WHITE, window_grey):
            assert style.contrast(colour, background) >= style.MIN_TEXT_CONTRAST, (colour, background.name()
                                                                                    if hasattr(background, "name") else background)


def test_text_shades_are_darker_shades_of_the_same_hues():
    from PySide6.QtGui import QColor
    for line, text in style.TEXT_SHADES.items():
        a, b = QColor(line), QColor(text)
        assert abs(a.hslHueF() - b.hslHueF()) < 0.02 and b.lightnessF() < a.lightnessF()
    assert style.contrast(style.GREEN, style.WHITE) < 4.5 < style.contrast(style.text_shade(style.GREEN), style.WHITE)


def test_contrast_follows_wcag_and_black_or_white_always_reads():
    assert style.contrast(style.BLACK, style.WHITE) == 21.0
    assert round(style.contrast("#767676", style.WHITE), 2) == 4.54   # WCAG's own example of the limit
    for grey in range(0, 256, 15):
        background = f"#{grey:02X}{grey:02X}{grey:02X}"
        assert style.contrast(style.readable_on(background), background) >= 4.5
