"""The loss surface L(w, b) seen from above: a heat map with contour lines, runs drawn on it.

Each run is a path from the shared start towards the bowl's bottom (trial and error's, when shown,
a staircase of axis-parallel steps); the arrow at the selected run's current point is −∇L, the
direction one plain gradient step would take. A click on the surface picks a new start; the mouse
wheel zooms (and a drag pans), after which the tab computes the surface for the new view, so the
heat map always fills it.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QVBoxLayout, QWidget

from gui.plotting import cache_axes, make_plot, pen, shape, three_colour_map
from gui.style import BLACK, GREY, SURFACE_COLOURS, TRIAL_AND_ERROR, WHITE
from gui.tabs.gradient_descent.plots import fast_curve, thinned

N_CONTOURS = 12
MAX_PATH_POINTS = 1000  # per drawn path; one-sample runs have 10,000 updates
VIEW_PAUSE_MS = 120     # after the last wheel step, the surface is computed for the new view


class DescentLossSurface(QWidget):
    """Heat map + isocurves of log10 L over a (w, b) rectangle; trajectories; −∇L arrow; click = start."""

    startChosen = Signal(float, float)
    viewChanged = Signal(QRectF)   # the user zoomed or panned: the (w, b) rectangle now in view

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot = make_plot("Loss surface L(w, b)", "w (slope)", "b (intercept)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.setAccessibleName("Loss surface")
        self.setToolTip("Contours of the mean squared error over (w, b). Each run's path is drawn on it; "
                        "the black arrow is −∇L at the selected run's current point. Click to start there.")
        cache_axes(self.plot)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        # a zoom arrives as a burst of wheel steps: ask for the new surface once it pauses
        self._view_pause = QTimer(self)
        self._view_pause.setSingleShot(True)
        self._view_pause.setInterval(VIEW_PAUSE_MS)
        self._view_pause.timeout.connect(lambda: self.viewChanged.emit(self.view_rect()))
        item.getViewBox().sigRangeChangedManually.connect(lambda *_: self._view_pause.start())
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setColorMap(three_colour_map(SURFACE_COLOURS))
        self.image.setZValue(-10)
        # the surface only changes with the data: keep the heat map and contours as pixmaps
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        item.addItem(self.image)
        self.isocurves = []
        for _ in range(N_CONTOURS):
            curve = pg.IsocurveItem(level=0, pen=pg.mkPen(GREY, width=1), axisOrder="col-major")
            curve.setParentItem(self.image)  # shares the image's pixel → (w, b) transform
            curve.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            self.isocurves.append(curve)
        self.optimum = pg.ScatterPlotItem(symbol="+", size=16, pen=pg.mkPen(BLACK, width=2), brush=None)
        self.start = pg.ScatterPlotItem(symbol="star", size=18, pen=pg.mkPen(BLACK, width=1), brush=WHITE)
        item.addItem(self.optimum)
        self.arrow_shaft = pg.PlotDataItem(pen=pg.mkPen(BLACK, width=2.5))
        self.arrow_head = pg.ArrowItem(headLen=14, tipAngle=35, pen=pg.mkPen(BLACK), brush=BLACK)
        self.arrow_label = pg.TextItem("−∇L", color=BLACK, anchor=(0, 1))
        for extra in (self.arrow_shaft, self.arrow_head, self.arrow_label):
            item.addItem(extra)
            extra.setZValue(20)
        item.addItem(self.start)
        self.start.setZValue(30)
        self.paths: list[pg.PlotDataItem] = []
        self.heads: list[pg.ScatterPlotItem] = []
        # trial and error's staircase, drawn over the gradient runs' paths; a square head tells it apart
        self.trial_path = pg.PlotDataItem(pen=pen(TRIAL_AND_ERROR, width=2.5))
        self.trial_head = pg.ScatterPlotItem(size=11, symbol="s", pen=pg.mkPen(BLACK, width=1),
                                             brush=pg.mkBrush(TRIAL_AND_ERROR))
        for z, extra in enumerate((self.trial_path, self.trial_head), start=12):
            item.addItem(extra)
            extra.setZValue(z)
        self.rect = QRectF(-1, -1, 2, 2)
        self._arrow = None
        item.getViewBox().sigRangeChanged.connect(self._place_arrow)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

    # ------------------------------------------------------------------------------------------
    def set_surface(self, w_values: np.ndarray, b_values: np.ndarray, loss: np.ndarray) -> None:
        """loss has shape (len(w_values), len(b_values)); shown as log10 with log-spaced contours."""
        with np.errstate(divide="ignore"):
            log_loss = np.log10(np.maximum(loss, 1e-12))
        lo, hi = float(log_loss.min()), float(log_loss.max())
        self.image.setImage(log_loss, levels=(lo, hi if hi > lo else lo + 1))
        dw = (w_values[-1] - w_values[0]) / (len(w_values) - 1)
        db = (b_values[-1] - b_values[0]) / (len(b_values) - 1)
        # pixel centres sit on the grid values
        self.rect = QRectF(w_values[0] - dw / 2, b_values[0] - db / 2, dw * len(w_values), db * len(b_values))
        self.image.setRect(self.rect)
        for curve, level in zip(self.isocurves, np.linspace(lo, hi, N_CONTOURS + 2)[1:-1]):
            curve.setData(log_loss, level=float(level))
        self.plot.getPlotItem().getViewBox().setRange(rect=self.rect, padding=0)

    def view_rect(self) -> QRectF:
        """The (w, b) rectangle in view."""
        (w0, w1), (b0, b1) = self.plot.getPlotItem().getViewBox().viewRange()
        return QRectF(w0, b0, w1 - w0, b1 - b0)

    def set_optimum(self, w: float, b: float) -> None:
        self.optimum.setData([w], [b])

    def set_start(self, w: float, b: float) -> None:
        self.start.setData([w], [b])

    def set_run_colours(self, colours: list) -> None:
        """One path + head per run, created once and reused; run i's head has marker shape i."""
        item = self.plot.getPlotItem()
        while len(self.paths) > len(colours):
            item.removeItem(self.paths.pop())
            item.removeItem(self.heads.pop())
        while len(self.paths) < len(colours):
            path = fast_curve(pg.PlotDataItem(connect="finite", pen=pen(0, width=2.5)))
            head = pg.ScatterPlotItem(size=11)
            path.setZValue(10)
            head.setZValue(11)
            item.addItem(path)
            item.addItem(head)
            self.paths.append(path)
            self.heads.append(head)
        for i, (path, head, c) in enumerate(zip(self.paths, self.heads, colours)):
            width = pg.mkPen(path.opts["pen"]).widthF()  # kept: projector mode may have thickened it
            path.setPen(pen(c, width=width))
            head.setPen(pg.mkPen(BLACK, width=1))
            head.setBrush(pg.mkBrush(c))
            head.setSymbol(shape(i)[0])  # the run's shape, as in the legends: not colour alone

    def set_path(self, index: int, w: np.ndarray, b: np.ndarray) -> None:
        """Path of run `index` so far; points far outside the view are clipped so Qt never draws 1e300."""
        keep = np.isfinite(w) & np.isfinite(b)
        w, b = w[keep], b[keep]
        span = max(self.rect.width(), self.rect.height())
        cx, cy = self.rect.center().x(), self.rect.center().y()
        w = np.clip(w, cx - 50 * span, cx + 50 * span)
        b = np.clip(b, cy - 50 * span, cy + 50 * span)
        self.heads[index].setData(w[-1:], b[-1:])
        shown = thinned(w.size, MAX_PATH_POINTS)
        self.paths[index].setData(w[shown], b[shown])

    def set_trial_path(self, w: np.ndarray, b: np.ndarray) -> None:
        """Trial and error's path so far (empty arrays hide it); it never leaves the bowl's view."""
        self.trial_path.setData(w, b)
        self.trial_head.setData(w[-1:], b[-1:])

    def set_arrow(self, w: float, b: float, grad_w: float, grad_b: float) -> None:
        """Arrow along −∇L at (w, b), a fixed share of the view long (the direction is what matters)."""
        self._arrow = (w, b, grad_w, grad_b)
        self._place_arrow()

    def _place_arrow(self, *_):
        shown = self._arrow is not None and all(math.isfinite(v) for v in self._arrow)
        if shown:
            w, b, gw, gb = self._arrow
            shown = self.rect.contains(QPointF(w, b)) and math.hypot(gw, gb) > 0
        for extra in (self.arrow_shaft, self.arrow_head, self.arrow_label):
            extra.setVisible(shown)
        if not shown:
            return
        vb = self.plot.getPlotItem().getViewBox()
        # Work in screen pixels: w and b axes have different scales, and a direction drawn in
        # data units would look bent.
        p0 = vb.mapViewToScene(QPointF(w, b))
        step = vb.mapViewToScene(QPointF(w - gw, b - gb)) - p0
        length = math.hypot(step.x(), step.y())
        if length == 0:
            return
        target_px = 0.12 * min(vb.sceneBoundingRect().width(), vb.sceneBoundingRect().height())
        tip_scene = p0 + step * (target_px / length)
        tip = vb.mapSceneToView(tip_scene)
        self.arrow_shaft.setData([w, tip.x()], [b, tip.y()])
        self.arrow_head.setPos(tip)
        self.arrow_head.setStyle(angle=math.degrees(math.atan2(-step.y(), -step.x())))
        # the label on the inner side of the tip, so it never hangs over the plot's edge
        frame = vb.sceneBoundingRect()
        self.arrow_label.setAnchor((1.0 if tip_scene.x() > frame.center().x() else 0.0,
                                    0.0 if tip_scene.y() < frame.center().y() else 1.0))
        self.arrow_label.setPos(tip)

    def _on_click(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        vb = self.plot.getPlotItem().getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        point = vb.mapSceneToView(event.scenePos())
        event.accept()
        self.startChosen.emit(float(point.x()), float(point.y()))
