"""One look for every tab: the palette and what each colour means, text sizes, and spacing.

The palette is Okabe–Ito, chosen because its colours stay distinguishable for the common forms of
colour blindness and on washed-out projectors. Tabs use the names below instead of colour codes,
so a colour can be checked or changed in one place, and the list of meanings shows at a glance
which colour stands for what in which lesson.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# --- the palette -------------------------------------------------------------------------------
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"           # bluish green
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"          # reddish purple
SKY_BLUE = "#56B4E9"
YELLOW = "#F0E442"          # weak on white: for marks on dark backgrounds
BLACK = "#000000"
WHITE = "#FFFFFF"
PALETTE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY_BLUE, YELLOW, BLACK]  # series in this order

GREY = "#7F7F7F"              # reference lines and data that carry no meaning of their own
HINT_TEXT = "#555555"         # secondary text: notes under results, hints written into empty plots
ERROR_TEXT = "#B3261E"        # every error message; darker than vermillion so it reads as text on white
PLACEHOLDER_TEXT = "#666666"  # example text in empty fields (Qt's own grey was 4.0:1 on white)

# --- text in colour --------------------------------------------------------------------------------
# Small text needs a contrast of at least 4.5:1 (WCAG AA) with what is behind it, here white plots
# and the window's light grey. The palette's colours are made for lines and areas (bluish green
# is 3:1 on the grey, vermillion 3.4:1): text in a colour takes the darker shade of the same hue,
# at least 5:1 on the grey.
TEXT_SHADES = {BLUE: "#006AA6", ORANGE: "#885E00", GREEN: "#007455", VERMILLION: "#A84A00",
               PURPLE: "#A74079", SKY_BLUE: "#146B9C"}
MIN_TEXT_CONTRAST = 4.5
DARK_BACKGROUND = "#202020"   # behind weight and activation images, whose colour maps are bright
TEXT_ON_DARK = "#DDDDDD"
FOCUS_RING = BLUE             # around a focused plot or picture (gui/focus.py), with a white line inside

# --- shapes: what tells series apart without colour ------------------------------------------------
# A plot must not depend on colour alone (about one man in twelve sees some colours alike, and
# projectors wash them out): runs and classes also get a marker shape each, and text that names
# them shows the same shape as a character. (pyqtgraph symbol, the character)
SHAPES = [("o", "●"), ("s", "■"), ("t1", "▲"), ("d", "◆"), ("star", "★"), ("t", "▼")]

# --- what a colour means, lesson by lesson -----------------------------------------------------
# Derivatives
FUNCTION = BLUE               # the curve f(x)
EXACT = GREEN                 # the exact derivative and the tangent with that slope
MEASURED = VERMILLION         # a slope measured between two points: the secant, forward differences
CENTRAL = BLUE                # central differences on the error plot
CURRENT = ORANGE              # the point x₀ and the current δ

# Random Search: the data's classes and the methods never share a colour (a region painted
# orange must not read as "tweak and keep"); "random" and "gradient" mean the same in both views.
# Six classes and four methods need more colours than the palette has: trial and error takes a
# brown outside it, dark enough for text, and every method also has a line style of its own.
CLASS_COLOURS = [BLUE, ORANGE, PURPLE, SKY_BLUE, YELLOW, GREY]   # blue and green tints look alike
TRIAL_AND_ERROR = "#8C510A"   # brown: trial and error, in both tabs that show it
METHOD_COLOURS = {"random": BLACK, "tweak": GREEN, "trial": TRIAL_AND_ERROR, "gradient": VERMILLION}
METHOD_LINES = {"random": Qt.PenStyle.DotLine, "tweak": Qt.PenStyle.DashLine,  # and a line style each,
                "trial": Qt.PenStyle.DashDotLine, "gradient": Qt.PenStyle.SolidLine}  # so curves differ in grey too
RANDOM_DIRECTION = METHOD_COLOURS["random"]
GRADIENT_DIRECTION = METHOD_COLOURS["gradient"]
PARAMETER_GROUP_COLOURS = {"W1": BLUE, "b1": SKY_BLUE, "W2": ORANGE, "b2": PURPLE}

# Gradient Descent: runs take the palette without yellow (weak on white), black (the −∇L arrow)
# and trial and error's colour (its run is drawn beside them)
RUN_COLOURS = PALETTE[:6]   # trial and error's brown is not among them
BEYOND_LIMIT = VERMILLION     # the stability limit, and where a run diverged
FASTEST = GREEN               # the fastest stable learning rate
ZIGZAG = ORANGE               # 1/λmax, where plain descent starts to oscillate
#: the regimes of plain descent along the learning-rate slider: smooth, oscillating, diverging
REGIME_COLOURS = {"smooth": SKY_BLUE, "oscillating": ORANGE, "diverging": VERMILLION}
SURFACE_COLOURS = ("#CFE7F7", "#F7F7F7", "#F6D7B8")  # low to high loss: pale, so the runs stay readable

# MNIST Inspector
TRAINING_IMAGES = ORANGE
TEST_IMAGES = GREEN
PROBABILITY = SKY_BLUE
ANSWER = ORANGE               # the tallest probability bar: the network's answer
NOISE = VERMILLION
DIGITS = BLUE
WEIGHT_COLOURS = (BLUE, "#F2F2F2", VERMILLION)  # negative, zero, positive weight
SELECTED_NEURON = YELLOW      # a frame on the dark weight grid
SELECTED_CELL = VERMILLION    # a frame on the confusion matrix

# --- text ----------------------------------------------------------------------------------------
TITLE_POINTS = 11.0           # plot titles
LEGEND_POINTS = 9.0           # legend entries (pyqtgraph's default size)
PROJECTOR_TEXT_SCALE = 1.5    # projector mode: text half as large again...
PROJECTOR_LINE_SCALE = 2.0    # ...and plot lines twice as thick

# --- spacing -------------------------------------------------------------------------------------
CONTROL_MARGIN = 9            # around each tab's control column
CONTROL_SPACING = 6           # between the groups in a control column


def text_shade(colour: str) -> str:
    """The shade of a palette colour to write text in (other colours are returned as they are)."""
    return TEXT_SHADES.get(colour, colour)


def relative_luminance(colour: str | QColor) -> float:
    """WCAG 2 relative luminance of a colour, 0 (black) to 1 (white)."""
    c = QColor(colour)
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def contrast(foreground: str | QColor, background: str | QColor) -> float:
    """WCAG 2 contrast ratio, 1 to 21 (small text needs 4.5)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable_on(background: str | QColor) -> str:
    """Black or white, whichever reads better on ``background`` (always at least 4.5:1)."""
    return BLACK if contrast(BLACK, background) >= contrast(WHITE, background) else WHITE


def make_text_readable(widget: QWidget) -> None:
    """Darker placeholder text in ``widget`` and everything in it (Qt's default grey is too light)."""
    palette = widget.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER_TEXT))
    widget.setPalette(palette)


def scaled_font(font: QFont, factor: float, minimum_points: float = 0.0) -> QFont:
    """A copy of ``font`` ``factor`` times as large (never below ``minimum_points``)."""
    scaled = QFont(font)
    scaled.setPointSizeF(max(minimum_points, font.pointSizeF() * factor))
    return scaled


def with_alpha(colour: str, alpha: int) -> QColor:
    """``colour`` made see-through (alpha 0–255), e.g. to fill under a line of the same colour."""
    result = QColor(colour)
    result.setAlpha(alpha)
    return result


def set_text_colour(label: QWidget, colour: str | None) -> None:
    """Colour a label's text; None gives it the normal text colour back.

    A palette rather than a style sheet: Qt warns against mixing style sheets with
    QApplication.setFont, which projector mode uses.
    """
    palette = label.palette()
    normal = QApplication.palette(label).color(QPalette.ColorRole.WindowText)
    palette.setColor(QPalette.ColorRole.WindowText, normal if colour is None else QColor(colour))
    label.setPalette(palette)


def show_as_error(label: QWidget, error: bool = True) -> None:
    """Error messages in the one error red; other messages in the normal text colour."""
    set_text_colour(label, ERROR_TEXT if error else None)
