"""Getting results out of the app: any plot as PNG, SVG or CSV, and a run report for homework.

Plots are exported with pyqtgraph's own exporters. A run report is a picture of the whole tab
plus a JSON file with the settings, the seed and the numbers behind every curve, so a student can
hand in what they saw and a teacher can re-run it.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401  (registers the exporters)
from pyqtgraph.parametertree import Parameter
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from engine import __version__, strict_json
from engine.atomic_write import atomic_path, atomic_write
from gui.control_state import read_value, remembered_controls
from gui.plot_text import title_of
from gui.widgets.labelled_slider import real_value

if TYPE_CHECKING:
    from gui.tabs.base import LessonTab

EXPORT_FORMATS = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)", ".csv": "CSV table (*.csv)"}


def plot_title(item: pg.PlotItem, fallback: str) -> str:
    return title_of(item) or fallback


def plots_in(root: QWidget) -> list[tuple[str, pg.PlotItem]]:
    """Every visible-or-not pyqtgraph plot under a widget, with a readable title."""
    items: list[pg.PlotItem] = []
    for view in root.findChildren(pg.GraphicsView):
        scene = view.scene()
        if scene is None:
            continue
        for graphics in scene.items():
            if isinstance(graphics, pg.PlotItem) and graphics not in items:
                items.append(graphics)
    return [(plot_title(item, f"plot {i + 1}"), item) for i, item in enumerate(items)]


def export_plot(item: pg.PlotItem, path: str | Path) -> Path:
    """Write one plot to PNG, SVG or CSV, chosen by the file's suffix (atomically: an older file of
    that name survives a failed export)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        exporter = pg.exporters.ImageExporter(item)
        exporter.parameters()["width"] = max(800, int(item.sceneBoundingRect().width()) * 2)
    elif suffix == ".svg":
        return _export_svg(item, path)
    elif suffix == ".csv":
        exporter = pg.exporters.CSVExporter(item)
    else:
        raise ValueError(f"cannot export to {suffix or 'a file without a suffix'}: use .png, .svg or .csv")
    with atomic_path(path) as temporary:
        exporter.export(str(temporary))
    return path


def _render_svg(scene, source: QRectF, path: Path, title: str) -> Path:
    with atomic_path(path) as temporary:
        _paint_svg(scene, source, temporary, title)
    return path


def _paint_svg(scene, source: QRectF, path: Path, title: str) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title)
    painter = QPainter(generator)
    try:
        scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    finally:
        painter.end()


def _export_svg(item: pg.PlotItem, path: Path) -> Path:
    """Vector SVG through Qt's own generator (pyqtgraph's SVG exporter cannot parse the path
    syntax Qt 6.11 and later write)."""
    return _render_svg(item.scene(), item.sceneBoundingRect(), path, plot_title(item, "Descent Lab plot"))


class QtSvgExporter(pg.exporters.Exporter):
    """Takes the place of pyqtgraph's SVG exporter in every plot's right-click Export dialog."""

    Name = "SVG (vector drawing)"
    allowCopy = False

    def __init__(self, item):
        super().__init__(item)
        self._params = Parameter.create(name="params", type="group", children=[])

    def parameters(self):
        return self._params

    def export(self, fileName=None, toBytes=False, copy=False):
        if fileName is None and not toBytes and not copy:
            self.fileSaveDialog(filter="Scalable Vector Graphics (*.svg)")
            return None
        return _render_svg(self.getScene(), self.getSourceRect(), Path(fileName), "Descent Lab plot")


def _use_qt_svg_exporter() -> None:
    registry = pg.exporters.Exporter.Exporters
    if pg.exporters.SVGExporter in registry:
        registry.remove(pg.exporters.SVGExporter)
    if QtSvgExporter not in registry:
        QtSvgExporter.register()


_use_qt_svg_exporter()


def curves_of(item: pg.PlotItem) -> list[dict]:
    curves = []
    for data_item in item.listDataItems():
        x, y = data_item.getData()
        if x is None or y is None:
            continue
        curves.append({"name": data_item.name() or "", "x": np.asarray(x, dtype=float).ravel(),
                       "y": np.asarray(y, dtype=float).ravel()})
    return curves


def _report_value(widget):
    """What a control means (η = 0.808), where remembering it needs only its position (808)."""
    value = real_value(widget)
    return read_value(widget) if value is None else value


def run_report(tab: LessonTab, tab_name: str, seed: int) -> dict:
    parameters = {key: _report_value(w) for key, w in remembered_controls(tab).items()}
    return {
        "app": "Descent Lab", "version": __version__, "tab": tab_name, "seed": seed,
        "created": _dt.datetime.now().isoformat(timespec="seconds"),
        "parameters": parameters,
        "plots": [{"title": title, "curves": curves_of(item)} for title, item in tab.plots()],
        "details": tab.report(),
    }


def write_run_report(tab: LessonTab, tab_name: str, seed: int, directory: str | Path) -> tuple[Path, Path]:
    """Write NAME-report-TIME.png (the tab as shown) and .json beside it, each atomically; the JSON is
    strict (NaN and infinity written as null). Returns both paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    png = directory / f"{tab_name}-report-{stamp}.png"
    js = directory / f"{tab_name}-report-{stamp}.json"
    save_png(tab.grab(), png)
    text = strict_json.dumps(run_report(tab, tab_name, seed), indent=1, default=str)
    with atomic_write(js) as out:
        out.write(text.encode("utf-8"))
    return png, js


def save_png(picture: QPixmap | QImage, path: str | Path) -> Path:
    """Save a grabbed widget or an image as PNG, atomically; OSError if Qt cannot write it."""
    path = Path(path)
    with atomic_path(path) as temporary:
        if not picture.save(str(temporary), "PNG"):
            raise OSError(f"could not write {path}")
    return path
