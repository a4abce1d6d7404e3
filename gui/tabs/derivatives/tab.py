"""The Derivatives tab: a slope measured between two close points, the tangent, and its price.

Pick or type a function, choose the point x₀ and the step δ, and see the secant through
(x₀, f(x₀)) and (x₀ + δ, f(x₀ + δ)), drawn with the measured slope, approach the tangent, drawn
with the exact slope f′(x₀), as δ shrinks; watch round-off spoil tiny steps on the
error-versus-δ plot; and measure what the same idea costs for a whole network (the cost panel).
Where f has a corner (|x| at 0) or is not defined (1/x at 0) there is no exact slope: the readout
and the plot say so instead of showing one.

All maths here is light (a few thousand NumPy evaluations), so it runs on the UI thread behind a
redraw throttle; the only long job, the network gradient, runs in the panel's worker thread.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine.calculus import (DEFAULT_DELTA, MAX_DELTA, MIN_DELTA, error_vs_delta, log_deltas, numerical_derivative,
                             resolution_note)
from engine.expressions import MAX_TEXT_LENGTH, PRESETS, Expression, ExpressionError, parse_expression
from engine.symbolic import corner_arguments, derivative_expression
from gui.accessibility import announce, describe
from gui.plot_text import add_legend, set_title
from gui.plotting import Throttle, make_plot, pen
from gui.settings_store import state_value, text
from gui.style import (BLACK, CENTRAL, CURRENT, ERROR_TEXT, EXACT, FUNCTION, GREY, HINT_TEXT, MEASURED, WHITE,
                       set_text_colour, show_as_error)
from gui.tabs.base import LessonTab, TabAction
from gui.tabs.derivatives.cost_panel import GradientCostPanel
from gui.widgets.control_column import ControlColumn
from gui.widgets.controls import choice_box, described, number_box, relabel
from gui.widgets.labelled_slider import LabelledSlider
from gui.widgets.plot_grid import Arrangement, PlotGrid
from gui.widgets.readout import Readout
from gui.widgets.wrapping_label import WrappingLabel

X_MIN, X_MAX = -4.0, 4.0  # where x₀ may go
PLOT_MIN, PLOT_MAX = X_MIN - MAX_DELTA, X_MAX + MAX_DELTA  # the curve also covers x₀ ± δ
GRID = np.linspace(PLOT_MIN, PLOT_MAX, 1201)
ERROR_FLOOR = 1e-17  # an error of exactly 0 still needs a place on log axes
ANIMATION_STEPS_PER_DECADE = 4
ANIMATION_INTERVAL_MS = 120
ANIMATION_END = 1e-12
TEXT_HZ = 2  # plot descriptions for screen readers: current, yet not rewritten at every frame
DEFAULT_PRESET = "2x²"
DEFAULT_X0 = 2.0
PLOT_CHARS = 34  # the width a plot of this tab needs, in characters, to stay readable
MAX_FORMULA_SHOWN = 160  # characters of f′(x) shown; longer ones are cut with an ellipsis
ERROR_TITLE = "Error of the measured slope at x₀"
MAIN_TITLE = "f(x), the secant through two points, and the tangent"
#: What the main plot's title says where there is no tangent at x₀, by SlopeAt.kind.
NO_TANGENT_TITLES = {"undefined": "f(x₀) is not defined: no point, no secant, no tangent",
                     "corner": "f has a corner at x₀: the secant, but no tangent",
                     "vertical": "the tangent at x₀ is vertical: it has no slope",
                     "none": "f has no derivative at x₀: the secant, but no tangent"}


def fmt(value: float, digits: int = 10) -> str:
    """A number with enough digits to see 8.0002 versus 8, and 'undefined' for NaN/inf."""
    if value is None or not math.isfinite(value):
        return "undefined"
    return f"{value:.{digits}g}"


def line_text(slope: float, intercept: float) -> str:
    """'y = 8·x − 8' for a line, or 'undefined' when a number is missing."""
    if not (math.isfinite(slope) and math.isfinite(intercept)):
        return "undefined"
    sign = "−" if intercept < 0 else "+"
    return f"y = {fmt(slope, 6)}·x {sign} {fmt(abs(intercept), 6)}"


def robust_range(values: np.ndarray, spread_limit: float | None = None) -> tuple[float, float]:
    """A y-range that shows the curve without letting an asymptote flatten it.

    The 2nd–98th percentiles; with ``spread_limit`` also at most that many interquartile ranges
    around the median (derivatives like tan′ = 1/cos² have tails far heavier than their bulk).
    """
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0
    lo, hi = np.percentile(finite, [2, 98])
    if spread_limit is not None:
        q1, median, q3 = np.percentile(finite, [25, 50, 75])
        reach = spread_limit * (q3 - q1)
        if reach > 0:
            lo, hi = max(lo, median - reach), min(hi, median + reach)
    if hi - lo < 1e-9:
        lo, hi = lo - 1.0, hi + 1.0
    pad = 0.08 * (hi - lo)
    return float(lo - pad), float(hi + pad)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_ticks(lowest: int, highest: int, every: int) -> list[list[tuple[float, str]]]:
    """Fixed ticks for a log axis (positions in log10 units): labelled powers of ten, minor decades.

    pyqtgraph's automatic log ticks drop most labels over a 30-decade range.
    """
    major = [(float(k), "1" if k == 0 else f"10{str(k).translate(_SUPERSCRIPT)}")
             for k in range(lowest, highest + 1) if k % every == 0]
    minor = [(float(k), "") for k in range(lowest, highest + 1) if k % every]
    return [major, minor]


def break_jumps(y: np.ndarray, span: float) -> np.ndarray:
    """NaN where the curve leaps by several view heights (tan's asymptotes), so no wall is drawn."""
    y = y.copy()
    jumps = np.abs(np.diff(y)) > 3.0 * span
    y[1:][jumps] = np.nan
    return y


class DerivativesTab(LessonTab):
    """The lesson's tab: controls and readouts on the left, three plots on the right."""

    supports = TabAction.RUN | TabAction.STEP | TabAction.RESET | TabAction.NUDGE

    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self.expression: Expression = parse_expression(PRESETS[DEFAULT_PRESET])
        self.x0 = DEFAULT_X0
        self.delta = DEFAULT_DELTA
        self.method = "forward"
        # The numbers on show (tests and the readout read these).
        self.secant_slope = math.nan      # measured: rise over δ between the two points
        self.secant_intercept = math.nan  # c of the secant y = m·x + c through the two points
        self.exact_slope = math.nan       # f′(x₀), NaN where f has no derivative at x₀
        self.tangent_intercept = math.nan  # b of the tangent y = f′(x₀)·x + b
        self.at = None                    # f and its one-sided slopes at x₀ (engine SlopeAt)
        self._syncing = False
        self._animation_deltas: list[float] = []

        self._build_controls()
        self._build_plots()
        self._build_layout()

        self.redraw_throttle = Throttle(self.redraw, hz=30, parent=self)
        self.describe_throttle = Throttle(self.describe_plots, hz=TEXT_HZ, parent=self)
        self.typing_timer = QTimer(self)
        self.typing_timer.setSingleShot(True)
        self.typing_timer.setInterval(400)
        self.typing_timer.timeout.connect(self.apply_typed_function)
        self.animation_timer = QTimer(self)
        self.animation_timer.setInterval(ANIMATION_INTERVAL_MS)
        self.animation_timer.timeout.connect(self._animation_step)
        self._connect()
        self._function_changed()

    # --- building ------------------------------------------------------------------------------
    def _build_controls(self) -> None:
        self.preset_box = choice_box([*PRESETS.items(), ("typed", None)], "Preset",
                                     "Choose a ready-made function", key="Function preset")
        self.preset_box.setCurrentIndex(list(PRESETS).index(DEFAULT_PRESET))

        self.function_edit = described(
            QLineEdit(PRESETS[DEFAULT_PRESET]), "Formula f(x)",
            "Type a function of x: numbers, + − * / ** (or ^), pi, e, "
            "sin cos tan exp log sqrt abs tanh relu sigmoid. Press Enter to plot.")
        self.function_edit.setPlaceholderText("e.g. x**3 - 3*x")
        self.function_edit.setMaxLength(400)  # longer text is refused with a message, not cut silently
        self.function_message = Readout("Function", "The function plotted and its derivative by the rules of "
                                        "calculus, or why typed text was not accepted")
        self.function_message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.function_message.setWordWrap(True)

        self.x0_slider = LabelledSlider("x₀", X_MIN, X_MAX, DEFAULT_X0, steps=800, decimals=2,
                                        tooltip="The point where the slope is measured (or drag the point on the plot)")
        self.x0_spin = number_box(X_MIN, X_MAX, DEFAULT_X0, "Point x0", "The point where the slope is measured",
                                  step=0.1, decimals=4)

        self.delta_slider = LabelledSlider("δ", MIN_DELTA, MAX_DELTA, DEFAULT_DELTA, log=True, steps=600,
                                           tooltip="Distance between the two points, from 1e-15 to 1 (logarithmic)")

        self.forward_radio = described(QRadioButton("forward"), "Forward difference",
                                       "(f(x₀+δ) − f(x₀)) / δ: slope between x₀ and x₀ + δ; error shrinks like δ")
        self.central_radio = described(QRadioButton("central"), "Central difference", "(f(x₀+δ) − f(x₀−δ)) / 2δ: "
                                       "slope between x₀ − δ and x₀ + δ; error shrinks like δ²")
        self.forward_radio.setChecked(True)
        self.method_group = QButtonGroup(self)
        self.method_group.addButton(self.forward_radio)
        self.method_group.addButton(self.central_radio)

        self.animate_button = described(QPushButton("Animate δ → 0"), "Animate δ → 0",
                                        "Shrink δ step by step from 1: the secant turns into the tangent, "
                                        "then round-off takes over")
        self.reset_button = described(QPushButton("Lesson values"), "Lesson values",
                                      "Back to the lesson's 2x² at x₀ = 2 with δ = 0.0001, forward difference")

        self.readout = {}
        readout_rows = [  # short names keep the column narrow; the tooltips say the rest
            ("points", "Points", "Points", "The two points the slope is measured between"),
            ("m", "Slope m", "Slope m (measured)", "Rise over run between the two points"),
            ("secant", "Secant", "Secant y = m·x + c",
             "y = m·x + c: the orange dashed line through the two points, with the measured slope"),
            ("exact", "Exact f′(x₀)", "Exact f′(x₀)", "From automatic differentiation of the formula"),
            ("error", "Error", "Error |m − f′(x₀)|", "|m − f′(x₀)|: how far the measured slope is from the exact one"),
            ("b", "Intercept b", "Intercept b = f(x₀) − f′(x₀)·x₀",
             "b = f(x₀) − f′(x₀)·x₀: where the tangent crosses the y axis"),
            ("line", "Tangent", "Tangent y = f′(x₀)·x + b",
             "y = f′(x₀)·x + b: the green line touching the curve at x₀, with the exact slope"),
        ]
        self.readout_grid = QGridLayout()
        for row, (key, title, caption, tip) in enumerate(readout_rows):  # caption: what a reader says
            name = QLabel(title)
            name.setToolTip(tip)
            value = Readout(caption, tip, "–")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.readout_grid.addWidget(name, row, 0)
            self.readout_grid.addWidget(value, row, 1)
            self.readout[key] = value
        # captioned labels: a reader hears the reason itself, not only "No tangent"
        self.slope_note = WrappingLabel(caption="No tangent",
                                        tip="Why there is no exact slope at x₀: a corner, an infinite slope, "
                                            "or f undefined")
        show_as_error(self.slope_note)
        self.readout_grid.addWidget(self.slope_note, len(readout_rows), 0, 1, 2)
        # Shown only when δ is at the resolution of floating point at x₀ (then m is rounding, not slope).
        self.resolution_label = WrappingLabel(caption="Floating-point resolution", tip="When δ is too small for x₀")
        show_as_error(self.resolution_label)
        self.resolution_label.hide()
        self.readout_grid.addWidget(self.resolution_label, len(readout_rows) + 1, 0, 1, 2)

        self.cost_panel = GradientCostPanel(seed=self.seed)

    def _build_plots(self) -> None:
        self.main_plot = make_plot(MAIN_TITLE, "x", "f(x)")
        self._main_title = MAIN_TITLE
        add_legend(self.main_plot.getPlotItem())
        self.curve_item = self.main_plot.plot([], [], pen=pen(FUNCTION, 2.5), name="f(x)", connect="finite")
        self.tangent_item = self.main_plot.plot([], [], pen=pen(EXACT, 2), name="tangent (exact slope)")
        self.secant_item = self.main_plot.plot([], [], pen=pen(MEASURED, 2, Qt.PenStyle.DashLine),
                                               name="secant (measured slope)")
        self.points_item = self.main_plot.plot([], [], pen=None, symbol="o", symbolSize=9,
                                               symbolBrush=MEASURED, symbolPen=WHITE, name="the two points")
        self.point_handle = pg.TargetItem(pos=(DEFAULT_X0, 0.0), size=16, symbol="o", movable=True,
                                          pen=pg.mkPen(BLACK, width=2), brush=pg.mkBrush(CURRENT))
        self.point_handle.setToolTip("Drag the point along the curve to move x₀")
        self.point_handle.setZValue(20)
        self.main_plot.addItem(self.point_handle)
        # Where f(x₀) is undefined the point has nowhere to be: a dashed line at x₀ says so instead.
        self.undefined_line = pg.InfiniteLine(angle=90, pen=pg.mkPen(ERROR_TEXT, width=2, style=Qt.PenStyle.DashLine),
                                              label="f(x₀) undefined", labelOpts={"color": ERROR_TEXT, "position": 0.9})
        self.undefined_line.hide()
        self.main_plot.addItem(self.undefined_line)
        self.main_plot.getPlotItem().setMenuEnabled(False)
        self.main_plot.setAccessibleName("Function plot with secant and tangent")
        self.main_plot.setToolTip("Drag the orange point or click the plot to move x₀; scroll to zoom")

        self.slope_plot = make_plot("f′(x): exact against numerical", "x", "f′(x)")
        add_legend(self.slope_plot.getPlotItem())
        self.exact_slope_item = self.slope_plot.plot([], [], pen=pen(EXACT, 2.5), name="exact", connect="finite")
        self.numeric_slope_item = self.slope_plot.plot([], [], pen=pen(MEASURED, 2, Qt.PenStyle.DashLine),
                                                       name="numerical (current δ)", connect="finite")
        self.slope_marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(GREY, style=Qt.PenStyle.DotLine))
        self.slope_plot.addItem(self.slope_marker)
        self.slope_plot.setToolTip("Exact derivative over the range, and the finite-difference estimate with the current δ")

        self.error_plot = make_plot(ERROR_TITLE, "δ", "|error|")
        self._error_title = ERROR_TITLE
        self.error_plot.setLogMode(x=True, y=True)
        add_legend(self.error_plot.getPlotItem())
        self.forward_error_item = self.error_plot.plot([], [], pen=pen(MEASURED, 2), name="forward")
        self.central_error_item = self.error_plot.plot([], [], pen=pen(CENTRAL, 2), name="central")
        self.current_error_item = self.error_plot.plot([], [], pen=None, symbol="o", symbolSize=9,
                                                       symbolBrush=CURRENT, symbolPen=BLACK, name="current δ")
        self.delta_marker = pg.InfiniteLine(angle=90, pen=pg.mkPen(GREY, style=Qt.PenStyle.DotLine))
        self.error_plot.addItem(self.delta_marker)
        self.error_plot.setXRange(math.log10(MIN_DELTA), math.log10(MAX_DELTA), padding=0.02)
        self.error_plot.getAxis("bottom").setTicks(decade_ticks(-15, 0, 3))
        self.error_plot.getAxis("left").setTicks(decade_ticks(-20, 20, 3))
        self.error_plot.getAxis("left").enableAutoSIPrefix(False)  # an empty plot is not "×0.001"
        self.error_plot.setToolTip("Large δ: the curve bends between the points (truncation). "
                                   "Tiny δ: the two values agree in almost every digit (round-off).")

    def _build_layout(self) -> None:
        function_box = QGroupBox("Function")
        fl = QFormLayout(function_box)  # labelled rows: a screen reader names each field by its label
        fl.addRow("Preset", self.preset_box)
        fl.addRow("Formula", self.function_edit)
        fl.addRow(self.function_message)

        point_box = QGroupBox("Point and step")
        pl = QVBoxLayout(point_box)
        row = QHBoxLayout()
        row.addWidget(self.x0_slider, 1)
        row.addWidget(self.x0_spin)
        pl.addLayout(row)
        pl.addWidget(self.delta_slider)
        methods = QHBoxLayout()
        methods.addWidget(QLabel("Difference:"))
        methods.addWidget(self.forward_radio)
        methods.addWidget(self.central_radio)
        methods.addStretch(1)
        pl.addLayout(methods)
        buttons = QHBoxLayout()
        buttons.addWidget(self.animate_button)
        buttons.addWidget(self.reset_button)
        pl.addLayout(buttons)

        readout_box = QGroupBox("Slope at x₀")
        readout_box.setLayout(self.readout_grid)

        self.controls_column = ControlColumn(min_chars=40, max_chars=46)
        self.controls_column.add(function_box, point_box, readout_box, self.cost_panel)

        # The two smaller plots sit side by side under the curve when there is room, else below it.
        main, slope, error = self.main_plot, self.slope_plot, self.error_plot
        self.plot_grid = PlotGrid([
            Arrangement(2 * PLOT_CHARS, [(main, 0, 0, 1, 2), (slope, 1, 0, 1, 1), (error, 1, 1, 1, 1)], [3, 2]),
            Arrangement(0, [(main, 0, 0, 1, 1), (slope, 1, 0, 1, 1), (error, 2, 0, 1, 1)], [4, 3, 3]),
        ])

        layout = QHBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.controls_column)
        splitter.addWidget(self.plot_grid)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, False)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.preset_box.currentIndexChanged.connect(self._on_preset)
        self.function_edit.returnPressed.connect(self.apply_typed_function)
        self.function_edit.textEdited.connect(self._on_text_edited)
        self.x0_slider.valueChanged.connect(self._on_x0_slider)
        self.x0_spin.valueChanged.connect(self._on_x0_spin)
        self.point_handle.sigPositionChanged.connect(self._on_handle_moved)
        self.main_plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self.delta_slider.valueChanged.connect(self._on_delta)
        self.forward_radio.toggled.connect(self._on_method)
        self.animate_button.clicked.connect(self.toggle_animation)
        # Results arrive below the fold on small screens: bring them into view.
        self.cost_panel.reportReady.connect(self._show_cost_results)
        self.reset_button.clicked.connect(self.reset_to_lesson)

    # --- public API ----------------------------------------------------------------------------
    def set_function(self, text: str) -> bool:
        """Parse and show ``text``; on refusal keep the last good function and say why."""
        try:
            expression = parse_expression(text)
        except ExpressionError as exc:
            self._show_message(f"Not plotted: {exc}. Still showing f(x) = {self.expression.source}.", error=True)
            self.function_message.announce(urgent=True)
            return False
        self.expression = expression
        if self.function_edit.text() != text:
            self.function_edit.setText(text)
        self._select_matching_preset(text)
        self._function_changed()
        return True

    def _select_matching_preset(self, text: str) -> None:
        """Show the preset this text is (x^3 - 3*x is the preset x**3 - 3*x), else 'typed'."""
        def same(t):
            return None if t is None else t.replace("^", "**").replace(" ", "")

        presets = [same(self.preset_box.itemData(i)) for i in range(self.preset_box.count())]
        index = presets.index(same(text)) if same(text) in presets else self.preset_box.count() - 1
        self.preset_box.blockSignals(True)
        self.preset_box.setCurrentIndex(index)
        self.preset_box.blockSignals(False)

    def set_x0(self, x0: float) -> None:
        x0 = float(min(max(x0, X_MIN), X_MAX))
        if x0 == self.x0 and not self._syncing:
            return
        self.x0 = x0
        self._syncing = True
        try:
            self.x0_slider.setValue(x0)
            self.x0_spin.setValue(x0)
        finally:
            self._syncing = False
        self._point_changed()

    def set_delta(self, delta: float) -> None:
        self.delta_slider.setValue(delta)

    # --- the tab contract: what the window's Run menu, report and settings call ---------------
    def toggle_run(self) -> None:
        """Space: start or stop the δ → 0 animation."""
        self.toggle_animation()

    def step_once(self) -> None:
        """S: shrink δ by one animation step (a quarter of a decade)."""
        self.stop_animation()
        self.set_delta(max(MIN_DELTA, self.delta / 10 ** (1 / ANIMATION_STEPS_PER_DECADE)))

    def reset(self) -> None:
        """R: back to the lesson's 2x² at x₀ = 2 with δ = 0.0001."""
        self.reset_to_lesson()

    def nudge(self, dx: int, dy: int) -> None:
        """Arrows: left/right move x₀ by 0.1, up/down make δ larger/smaller by half a decade."""
        if dx:
            self.set_x0(round(self.x0 + 0.1 * dx, 10))
        if dy:
            self.set_delta(min(MAX_DELTA, max(MIN_DELTA, self.delta * 10 ** (0.5 * dy))))

    def report(self) -> dict:
        """The numbers on show, for the window's run report."""
        return {
            "function": self.expression.source,
            "derivative_formula": self.derivative_formula,
            "x0": self.x0,
            "delta": self.delta,
            "method": self.method,
            "measured_slope": self.secant_slope,
            "secant_intercept": self.secant_intercept,
            "exact_slope": self.exact_slope if math.isfinite(self.exact_slope) else None,
            "error": abs(self.secant_slope - self.exact_slope) if math.isfinite(self.exact_slope) else None,
            "tangent_intercept": self.tangent_intercept if math.isfinite(self.tangent_intercept) else None,
            "no_tangent": self.at.why_not(),
            "gradient_cost": self.cost_panel.last_report,
        }

    def remembered_state(self) -> dict:
        """What the window keeps between runs beyond the controls: the function on show, even a typed one."""
        return {"function": self.expression.source}

    def restore_remembered_state(self, state: dict) -> None:
        source = state_value(state, "function", text(MAX_TEXT_LENGTH), None)
        if source is not None and source != self.expression.source:
            self.set_function(source)  # text that no longer parses keeps the lesson's function, with a message

    def shutdown(self) -> None:
        self.animation_timer.stop()
        self.typing_timer.stop()
        super().shutdown()

    # --- reacting to controls ------------------------------------------------------------------
    @Slot(int)
    def _on_preset(self, index: int) -> None:
        text = self.preset_box.itemData(index)
        self.typing_timer.stop()
        # "typed" (e.g. restored from settings) means: whatever the text field holds
        self.set_function(text if text is not None else self.function_edit.text())

    @Slot(str)
    def _on_text_edited(self, _text: str) -> None:
        self.typing_timer.start()  # plot once the typing pauses

    @Slot()
    def apply_typed_function(self) -> None:
        self.typing_timer.stop()
        self.set_function(self.function_edit.text())

    @Slot(float)
    def _on_x0_slider(self, value: float) -> None:
        if not self._syncing:
            self.set_x0(value)

    @Slot(float)
    def _on_x0_spin(self, value: float) -> None:
        if not self._syncing:
            self.set_x0(value)

    @Slot(object)
    def _on_handle_moved(self, _item) -> None:
        if not self._syncing:
            self.set_x0(self.point_handle.pos().x())
            self._show_point(self.x0, self.at.value)   # the mouse chooses x₀ only: the point stays on the curve

    @Slot(object)
    def _on_plot_clicked(self, event) -> None:
        """A left click anywhere on the main plot moves x₀ to the clicked x."""
        if event.button() != Qt.MouseButton.LeftButton or event.isAccepted():
            return
        box = self.main_plot.getPlotItem().vb
        if not box.sceneBoundingRect().contains(event.scenePos()):
            return
        self.set_x0(box.mapSceneToView(event.scenePos()).x())

    @Slot(dict)
    def _show_cost_results(self, _report: dict) -> None:
        # The label has just been filled; scroll once its new size is laid out.
        QTimer.singleShot(50, self.controls_column, self.controls_column.scroll_to_end)

    @Slot(float)
    def _on_delta(self, value: float) -> None:
        self.delta = value
        self._point_changed()

    @Slot(bool)
    def _on_method(self, forward: bool) -> None:
        self.method = "forward" if forward else "central"
        self._point_changed()

    @Slot()
    def reset_to_lesson(self) -> None:
        self.stop_animation()
        self.forward_radio.setChecked(True)
        self.preset_box.setCurrentIndex(list(PRESETS).index(DEFAULT_PRESET))
        self.set_function(PRESETS[DEFAULT_PRESET])
        self.set_x0(DEFAULT_X0)
        self.set_delta(DEFAULT_DELTA)

    # --- animation -----------------------------------------------------------------------------
    @Slot()
    def toggle_animation(self) -> None:
        if self.animation_timer.isActive():
            self.stop_animation()
            return
        steps = log_deltas(ANIMATION_END, MAX_DELTA, ANIMATION_STEPS_PER_DECADE)[::-1]
        self._animation_deltas = list(steps)
        relabel(self.animate_button, "Stop animation")
        self._animation_step()
        self.animation_timer.start()

    def stop_animation(self) -> None:
        self.animation_timer.stop()
        self._animation_deltas = []
        relabel(self.animate_button, "Animate δ → 0")

    def is_animating(self) -> bool:
        return self.animation_timer.isActive()

    @Slot()
    def _animation_step(self) -> None:
        if not self._animation_deltas:
            self.stop_animation()
            announce(self, f"Animation finished at δ = {fmt(self.delta, 3)}: measured slope {fmt(self.secant_slope, 12)}, "
                           f"exact {fmt(self.exact_slope, 12)}, error {fmt(abs(self.secant_slope - self.exact_slope), 3)}")
            return
        self.set_delta(self._animation_deltas.pop(0))

    # --- computing and drawing -----------------------------------------------------------------
    def _show_message(self, text: str, error: bool) -> None:
        if error:
            show_as_error(self.function_message)
        else:
            set_text_colour(self.function_message, HINT_TEXT)
        self.function_message.setText(text)

    def _function_changed(self) -> None:
        """New function: the curve, its derivative and both view ranges."""
        values, slopes = self.expression.value_and_derivative(GRID)
        visible = (GRID >= X_MIN) & (GRID <= X_MAX)
        lo, hi = robust_range(values[visible])
        self._curve = (GRID, break_jumps(values, hi - lo))
        self._y_range = (lo, hi)
        slo, shi = robust_range(slopes[visible], spread_limit=3.0)
        self._slopes = break_jumps(slopes, shi - slo)
        self._slope_range = (slo, shi)
        self.main_plot.setXRange(PLOT_MIN, PLOT_MAX, padding=0)
        self.main_plot.setYRange(lo, hi, padding=0)
        self.slope_plot.setXRange(PLOT_MIN, PLOT_MAX, padding=0)
        self.slope_plot.setYRange(slo, shi, padding=0)
        self.curve_item.setData(*self._curve)
        self.exact_slope_item.setData(GRID, self._slopes)
        self.derivative_formula = derivative_expression(self.expression).source
        formula = self.derivative_formula
        if len(formula) > MAX_FORMULA_SHOWN:  # long chains of rules: the values are still exact
            formula = formula[:MAX_FORMULA_SHOWN] + " …"
        corners = corner_arguments(self.expression)
        note = ("        (abs and relu have corners: f′ may not exist where "
                + " or ".join(f"{c} = 0" for c in corners) + ")") if corners else ""
        self._show_message(f"f(x) = {self.expression.source}        f′(x) = {formula}{note}", error=False)
        self._point_changed()

    def _secant_points(self) -> tuple[float, float]:
        """The x of the two points the slope is measured between."""
        x0, delta = self.x0, self.delta
        return (x0 if self.method == "forward" else x0 - delta), x0 + delta

    def _point_changed(self) -> None:
        """x₀, δ or the method moved: recompute the numbers now, draw on the next tick."""
        f, x0, delta = self.expression, self.x0, self.delta
        self.at = f.slope_at(x0)
        xa, _ = self._secant_points()
        ya = f(xa)
        self.exact_slope = self.at.slope
        self.tangent_intercept = self.at.value - self.exact_slope * x0
        self.secant_slope = float(numerical_derivative(f, x0, delta, self.method))
        self.secant_intercept = ya - self.secant_slope * xa if math.isfinite(ya) else math.nan
        self._update_readout()
        self.redraw_throttle.request()
        self.describe_throttle.request()

    def _update_readout(self) -> None:
        f, m, c, b = self.expression, self.secant_slope, self.secant_intercept, self.tangent_intercept
        xa, xb = self._secant_points()
        self.readout["points"].setText(f"({fmt(xa, 10)}, {fmt(f(xa), 10)})\n({fmt(xb, 10)}, {fmt(f(xb), 10)})")
        self.readout["m"].setText(fmt(m, 12))
        self.readout["secant"].setText(line_text(m, c))
        exact = math.isfinite(self.exact_slope)
        self.readout["exact"].setText(fmt(self.exact_slope, 12) if exact else "none")
        self.readout["error"].setText(fmt(abs(m - self.exact_slope), 3) if exact else "–")
        self.readout["b"].setText(fmt(b, 10) if exact else "–")
        self.readout["line"].setText(line_text(self.exact_slope, b) if exact else "none")
        reason = self.at.why_not()
        self.slope_note.setText(f"No exact slope: {reason}." if reason else "")
        self.slope_note.setVisible(bool(reason))
        note = resolution_note(self.x0, self.delta)
        self.resolution_label.setText(note or "")
        self.resolution_label.setVisible(note is not None)

    @Slot()
    def redraw(self) -> None:
        """Move the plot items (created once) to the current state."""
        f, x0, delta, method = self.expression, self.x0, self.delta, self.method
        y0 = self.at.value
        xa, xb = self._secant_points()
        ends = np.array([PLOT_MIN, PLOT_MAX])
        if math.isfinite(self.exact_slope):  # the tangent: the exact slope, y = f′(x₀)·x + b
            self.tangent_item.setData(ends, self.exact_slope * ends + self.tangent_intercept)
        else:
            self.tangent_item.setData([], [])
        ya, yb = f(xa), f(xb)
        if all(math.isfinite(v) for v in (ya, yb, self.secant_slope)):  # the secant: the measured slope m
            self.secant_item.setData(ends, self.secant_slope * ends + self.secant_intercept)
        else:
            self.secant_item.setData([], [])
        shown = [(x, y) for x, y in ((xa, ya), (xb, yb)) if math.isfinite(y)]
        self.points_item.setData([x for x, _ in shown], [y for _, y in shown])
        self._show_point(x0, y0)

        self.numeric_slope_item.setData(GRID, break_jumps(numerical_derivative(f, GRID, delta, method),
                                                          self._slope_range[1] - self._slope_range[0]))
        self.slope_marker.setValue(x0)
        self._draw_errors()

    def _show_point(self, x0: float, y0: float) -> None:
        """The draggable point on the curve; where f(x₀) is undefined, a dashed line at x₀ instead."""
        defined = math.isfinite(y0)
        self.point_handle.setVisible(defined)
        self.undefined_line.setVisible(not defined)
        self.undefined_line.setValue(x0)
        if defined:
            self._syncing = True
            try:
                self.point_handle.setPos(x0, y0)
            finally:
                self._syncing = False
        title = NO_TANGENT_TITLES.get(self.at.kind, MAIN_TITLE)
        if title != self._main_title:
            self._main_title = title
            set_title(self.main_plot.getPlotItem(), title)

    def _draw_errors(self) -> None:
        """The error against δ at x₀: only where there is an exact slope to measure against."""
        f, x0, delta = self.expression, self.x0, self.delta
        self.delta_marker.setValue(math.log10(delta))
        exact = math.isfinite(self.exact_slope)
        title = ERROR_TITLE if exact else "Error at x₀: no exact slope there"
        if title != self._error_title:
            self._error_title = title
            set_title(self.error_plot.getPlotItem(), title)
        if not exact:
            self._errors = {}   # the previous x₀'s curves must not be described as this one's
            for item in (self.forward_error_item, self.central_error_item, self.current_error_item):
                item.setData([], [])
            return

        deltas = log_deltas()
        self._errors = {}
        for item, name in ((self.forward_error_item, "forward"), (self.central_error_item, "central")):
            _, errors = error_vs_delta(f, x0, deltas, name)
            self._errors[name] = (deltas, errors)
            item.setData(deltas, np.where(np.isfinite(errors), np.maximum(errors, ERROR_FLOOR), np.nan))
        current = abs(self.secant_slope - self.exact_slope)
        if math.isfinite(current):
            self.current_error_item.setData([delta], [max(current, ERROR_FLOOR)])
        else:
            self.current_error_item.setData([], [])

    def describe_plots(self) -> None:
        """What each plot shows, in words and its key numbers, for screen readers."""
        f, x0, delta, m, exact = self.expression, self.x0, self.delta, self.secant_slope, self.exact_slope
        xa, xb = self._secant_points()
        describe(self.main_plot, f"f(x) = {f.source} for x from {X_MIN:g} to {X_MAX:g}. The secant through "
                                 f"({fmt(xa, 6)}, {fmt(f(xa), 6)}) and ({fmt(xb, 6)}, {fmt(f(xb), 6)}) has slope "
                                 f"{fmt(m, 12)}; the tangent at x₀ = {fmt(x0, 6)} has the exact slope {fmt(exact, 12)}.")
        describe(self.slope_plot, f"The exact derivative f′(x) and the {self.method} difference with δ = "
                                  f"{fmt(delta, 3)}, for x from {X_MIN:g} to {X_MAX:g}. At x₀ = {fmt(x0, 6)}: exact "
                                  f"{fmt(exact, 12)}, numerical {fmt(m, 12)}.")
        if not math.isfinite(exact):
            describe(self.error_plot, "Error of the measured slope against δ: nothing to measure against, "
                                      f"there is no exact slope at x₀ = {fmt(x0, 6)}.")
            return
        text = (f"Error of the measured slope against δ, both on log scales, for forward and central differences. "
                f"At δ = {fmt(delta, 3)} the {self.method} error is {fmt(abs(m - exact), 3)}.")
        deltas, errors = getattr(self, "_errors", {}).get("forward", (None, None))
        if errors is not None and np.isfinite(errors).any():
            best = int(np.nanargmin(np.where(np.isfinite(errors), errors, np.nan)))
            text += f" The forward error is smallest, {fmt(errors[best], 2)}, at δ ≈ {fmt(deltas[best], 1)}."
        describe(self.error_plot, text)
