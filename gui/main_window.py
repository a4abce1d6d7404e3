"""The main window: four lesson tabs with their lesson panels, menus and shortcuts, remembered
settings, export, and a clean shutdown of every job on close.

The window talks to a tab only through the tab contract (``gui.tabs.base.LessonTab``): it calls
the Run menu's hooks directly, enables just the actions the tab declares in ``supports``, exports
the tab's ``plots()`` and ``report()``, keeps its ``remembered_state()`` between runs, and on close
calls every tab's ``shutdown()`` and then waits once for all job threads (``gui.worker``).

A tab is built the first time it is shown, and its module is imported then too, so start-up pays
only for the tab on screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Callable

import pyqtgraph as pg
from PySide6.QtCore import QSettings, QSize, QStandardPaths, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QPixmap
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QInputDialog,
                               QMainWindow, QMessageBox, QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from engine import __version__
from assets import ICON, asset
from gui import errors, plot_text
from gui.accessibility import announce, announcer
from gui.control_state import ControlState
from gui.export import EXPORT_FORMATS, export_plot, write_run_report
from gui.focus import FocusRing, reading_order, set_tab_order
from gui.keyboard import KeyRouter, shortcuts_html
from gui.settings_store import SettingsReader, boolean, byte_array, defuse, reset_message, text
from gui.style import PROJECTOR_LINE_SCALE, PROJECTOR_TEXT_SCALE, make_text_readable, scaled_font
from gui.tabs.base import LessonTab, TabAction
from gui.widgets.lesson_panel import LessonPanel
from gui.worker import set_failure_handler, stop_all_jobs

PREFERRED_SIZE = QSize(1440, 900)   # on a larger screen; a smaller one gets its free area
FRAME_ALLOWANCE = QSize(0, 40)      # room for the title bar a window manager adds above the window
ANNOUNCEMENT_MS = 15_000  # how long the status bar shows what was announced


# Each builder imports its tab's module when first called: (seed, --mnist-dir) -> the tab.
def _derivatives(seed: int, _mnist_dir: str | None) -> LessonTab:
    from gui.tabs.derivatives.tab import DerivativesTab
    return DerivativesTab(seed=seed)


def _random_search(seed: int, _mnist_dir: str | None) -> LessonTab:
    from gui.tabs.random_search.tab import RandomSearchTab
    return RandomSearchTab(seed=seed)


def _gradient_descent(seed: int, _mnist_dir: str | None) -> LessonTab:
    from gui.tabs.gradient_descent.tab import GradientDescentTab
    return GradientDescentTab(seed=seed)


def _mnist(seed: int, mnist_dir: str | None) -> LessonTab:
    from gui.tabs.mnist.tab import MnistInspectorTab
    return MnistInspectorTab(seed=seed, data_dir=mnist_dir)


# (command-line name, tab title); in this order on screen and on Ctrl+1 … Ctrl+4
TABS = [("derivatives", "Derivatives"), ("random-search", "Random Search"),
        ("gradient-descent", "Gradient Descent"), ("mnist", "MNIST Inspector")]
TAB_NAMES = [name for name, _title in TABS]
TAB_BUILDERS: dict[str, Callable[[int, str | None], LessonTab]] = {
    "derivatives": _derivatives, "random-search": _random_search,
    "gradient-descent": _gradient_descent, "mnist": _mnist,
}

# Why a Run action is off on a tab that does not declare it (its tooltip, and what a key press says).
UNAVAILABLE = {TabAction.RUN: "this tab has nothing to start", TabAction.STEP: "nothing on this tab moves one step "
               "at a time", TabAction.RESET: "this tab has nothing to reset", TabAction.CLEAR_CANVAS: "this tab has "
               "no drawing", TabAction.NUDGE: "this tab has no point to move"}


def app_icon() -> QIcon:
    """The window icon, drawn from the shipped SVG (read as bytes, so it works from a zip too);
    an empty icon, and a line on stderr, if the file is missing or not a picture."""
    try:
        data = asset(*ICON).read_bytes()
    except OSError:
        data = b""
    pixmap = QPixmap()
    if not pixmap.loadFromData(data, "SVG"):
        errors.report_broken_installation(f"the icon {ICON[-1]} is missing from this installation or damaged")
    return QIcon(pixmap)


class _TabsOnDemand(Mapping):
    """``window.tab_widgets[name]``: the tab's widget, built on first use like a first visit."""

    def __init__(self, window: "MainWindow"):
        self._window = window

    def __getitem__(self, name: str) -> LessonTab:
        if name not in TAB_NAMES:
            raise KeyError(name)
        return self._window._build_tab(name)

    def __iter__(self):
        return iter(TAB_NAMES)

    def __len__(self) -> int:
        return len(TAB_NAMES)


class MainWindow(QMainWindow):
    def __init__(self, seed: int = 0, settings: QSettings | None = None, initial_tab: str | None = None,
                 mnist_dir: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.seed = seed
        self.settings = settings if settings is not None else QSettings()
        self.setWindowTitle("Descent Lab")
        make_text_readable(self)
        self.setWindowIcon(app_icon())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Lessons")
        self.setCentralWidget(self.tabs)
        self.tab_widgets = _TabsOnDemand(self)
        self.lesson_panels: dict[str, LessonPanel] = {}
        self.control_states: dict[str, ControlState] = {}
        self._built: dict[str, LessonTab] = {}
        self._rows: dict[str, QHBoxLayout] = {}
        self._mnist_dir = mnist_dir
        for name, title in TABS:
            panel = LessonPanel(name)
            panel.collapsedChanged.connect(self._on_lesson_collapsed)
            self.lesson_panels[name] = panel
            page = QWidget()
            row = QHBoxLayout(page)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            row.addWidget(panel)
            self._rows[name] = row
            self.tabs.addTab(page, title)
        self._projector = False
        self._shortcuts: QDialog | None = None
        self._pen_widths: dict[int, float] = {}
        self._base_font = QApplication.font()
        self._reset_keys: list[str] = []      # remembered settings found unusable (status bar)
        self.statusBar().showMessage("Ready")
        self._report_reset(defuse(self.settings))   # before Qt decodes a single value
        self._build_menus()
        self._restore_settings(initial_tab)
        self.tabs.currentChanged.connect(self._update_actions)
        self.tabs.currentChanged.connect(self._focus_follows_tab)
        self._update_actions()
        set_failure_handler(lambda message: errors.show_error(message, "A background job failed", self))
        self._keys = KeyRouter(self, self._run_key)
        self.focus_ring = FocusRing(self)
        QApplication.instance().installEventFilter(self._keys)
        # News a screen reader is told (answers, errors, "finished") is shown here too, where a
        # reader can also find it on systems without announcements (Orca: Insert+End).
        announcer().announced.connect(self._show_announcement)

    # --- tabs, built when first shown --------------------------------------------------------------
    def _build_tab(self, name: str) -> LessonTab:
        """Create a tab the first time it is needed, so start-up only pays for the tab on screen."""
        if name in self._built:
            return self._built[name]
        title = dict(TABS)[name]
        tab = TAB_BUILDERS[name](self.seed, self._mnist_dir)
        tab.setAccessibleName(f"{title} tab")
        self._built[name] = tab
        self._rows[name].insertWidget(0, tab, 1)
        # Tab goes as the screen reads: the tab's controls and plots, then its lesson panel.
        set_tab_order(reading_order(tab) + reading_order(self.lesson_panels[name]))
        state = ControlState(tab, f"controls/{name}")
        self.control_states[name] = state
        self._report_reset(state.restore(self.settings))
        if self._projector:
            self._scale_pens(tab.plots())
        return tab

    # --- menus and shortcuts -------------------------------------------------------------------
    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "Export &plot…", self.export_plot_dialog, "Ctrl+E",
                     "Save one plot of this tab as PNG, SVG or CSV")
        self._action(file_menu, "Export run &report…", self.export_report_dialog, "Ctrl+Shift+E",
                     "Save a picture of this tab and a JSON file of its settings, seed and curves")
        file_menu.addSeparator()
        quit_action = self._action(file_menu, "&Quit", self.close, tip="Stop all work and close Descent Lab")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)

        view = bar.addMenu("&View")
        for i, (name, title) in enumerate(TABS):
            self._action(view, title, lambda _=False, n=name: self.select_tab(n), f"Ctrl+{i + 1}",
                         f"Switch to the {title} tab")
        self._action(view, "&Next lesson", lambda: self._step_tab(1), "Ctrl+PgDown", "Switch to the next tab")
        self._action(view, "P&revious lesson", lambda: self._step_tab(-1), "Ctrl+PgUp", "Switch to the previous tab")
        view.addSeparator()
        self.lesson_action = self._action(view, "Show &lesson", self._toggle_lesson, "Ctrl+L",
                                          "Show or hide the lesson panel", checkable=True)
        self.projector_action = self._action(view, "&Projector mode", self.set_projector_mode, "Ctrl+Shift+P",
                                             "Larger fonts and thicker lines for a room", checkable=True)

        run = bar.addMenu("&Run")
        run.setToolTipsVisible(True)  # a greyed-out entry says why it is off
        # name -> (action, what the tab must support for it to be enabled)
        self._run_entries: dict[str, tuple[QAction, TabAction]] = {
            "toggle_run": (self._action(run, "Start / pause", lambda: self.current_tab().toggle_run(),
                                        "Space", "Start the current experiment, or pause it"), TabAction.RUN),
            "step_once": (self._action(run, "Step", lambda: self.current_tab().step_once(), "S",
                                       "Advance by one update"), TabAction.STEP),
            "reset": (self._action(run, "Reset", lambda: self.current_tab().reset(), "R",
                                   "Back to the starting point"), TabAction.RESET),
            "clear_canvas": (self._action(run, "Clear drawing", lambda: self.current_tab().clear_canvas(),
                                          "Esc", "Clear the drawing canvas"), TabAction.CLEAR_CANVAS),
        }
        run.addSeparator()
        for key, label, dx, dy in ((Qt.Key.Key_Left, "Move left", -1, 0), (Qt.Key.Key_Right, "Move right", 1, 0),
                                   (Qt.Key.Key_Up, "Move up", 0, 1), (Qt.Key.Key_Down, "Move down", 0, -1)):
            action = self._action(run, label, lambda _=False, a=dx, b=dy: self.current_tab().nudge(a, b),
                                  QKeySequence(key),
                                  "Move the point on the Derivatives plot or the start on the loss surface")
            self._run_entries[f"nudge{dx}{dy}"] = (action, TabAction.NUDGE)
        self.run_actions = {name: action for name, (action, _needs) in self._run_entries.items()}
        self._run_tips = {name: action.toolTip() for name, action in self.run_actions.items()}

        settings_menu = bar.addMenu("&Settings")
        self._action(settings_menu, "&Reset to defaults", self.reset_to_defaults,
                     tip="Put every control back to its default and forget remembered settings")
        help_menu = bar.addMenu("&Help")
        self.shortcuts_action = self._action(help_menu, "&Keyboard shortcuts", self.show_shortcuts,
                                             QKeySequence.StandardKey.HelpContents,
                                             "Every key of the window, and what it does")
        self._action(help_menu, "&About Descent Lab", self.show_about)

    @Slot(str)
    def _show_announcement(self, text: str) -> None:
        self.statusBar().showMessage(text, ANNOUNCEMENT_MS)

    def current_tab_name(self) -> str:
        return TAB_NAMES[self.tabs.currentIndex()]

    def current_tab(self) -> LessonTab:
        return self._build_tab(self.current_tab_name())

    def _update_actions(self, *_args) -> None:
        supports = self.current_tab().supports  # builds the tab if this is its first showing
        title = dict(TABS)[self.current_tab_name()]
        for name, (action, needs) in self._run_entries.items():
            action.setEnabled(needs in supports)
            action.setToolTip(self._run_tips[name] if needs in supports
                              else f"Not on the {title} tab: {UNAVAILABLE[needs]}")
        panel = self.lesson_panels.get(self.current_tab_name())
        if panel is not None:
            self.lesson_action.setChecked(not panel.is_collapsed())

    def select_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    def _step_tab(self, step: int) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    @Slot(int)
    def _focus_follows_tab(self, _index: int) -> None:
        """After a switch the focus goes to the tab bar (a reader then says which lesson this is),
        not to whatever control Qt finds first in the new page (it was the lesson panel's toggle)."""
        focus = QApplication.focusWidget()
        bar = self.tabs.tabBar()
        if focus is None or (focus is not bar and self.tabs.isAncestorOf(focus)) or not focus.isVisible():
            bar.setFocus(Qt.FocusReason.TabFocusReason)

    def _run_key(self, key: Qt.Key) -> bool:
        """Space, S, R or Esc reached a control instead of the Run menu: do what the menu would, or
        say why this tab has no such action (instead of the key silently doing nothing)."""
        name = {Qt.Key.Key_Space: "toggle_run", Qt.Key.Key_S: "step_once", Qt.Key.Key_R: "reset",
                Qt.Key.Key_Escape: "clear_canvas"}[key]
        action, needs = self._run_entries[name]
        if action.isEnabled():
            action.trigger()
        elif needs != TabAction.CLEAR_CANVAS:  # Esc also closes menus and cancels: stay quiet
            text = action.toolTip()
            self.statusBar().showMessage(text, ANNOUNCEMENT_MS)
            announce(self, text)
        return True

    # --- lesson panels, projector mode ---------------------------------------------------------
    def _toggle_lesson(self, checked: bool) -> None:
        for panel in self.lesson_panels.values():
            panel.set_collapsed(not checked)

    def _on_lesson_collapsed(self, collapsed: bool) -> None:
        for panel in self.lesson_panels.values():
            if panel.is_collapsed() != collapsed:
                panel.set_collapsed(collapsed)
        self.lesson_action.setChecked(not collapsed)

    def set_projector_mode(self, on: bool) -> None:
        """Fonts half as large again and lines twice as thick, for the back row of a classroom."""
        self._projector = bool(on)
        self.projector_action.setChecked(self._projector)
        font = self._base_font
        if self._projector:
            font = scaled_font(font, PROJECTOR_TEXT_SCALE)
        QApplication.setFont(font)
        self.setFont(font)
        self._scale_pens([plot for tab in self._built.values() for plot in tab.plots()])

    def _scale_pens(self, plots) -> None:
        for item in (data for _title, plot in plots for data in plot.listDataItems()):
            if not isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem)):
                continue  # bars, images and scatter-only items keep their look
            pen = item.opts.get("pen")
            if pen is None:
                continue
            pen = pg.mkPen(pen)
            base = self._pen_widths.setdefault(id(item), pen.widthF() or 1.0)
            pen.setWidthF(base * (PROJECTOR_LINE_SCALE if self._projector else 1.0))
            item.setPen(pen)
        self._scale_plot_text(plots)

    def _scale_plot_text(self, plots) -> None:
        """Axis numbers and names follow the window's font (pyqtgraph draws its own); titles and
        legends grow by the same factor, wrapping where a plot is too narrow for them."""
        scale = PROJECTOR_TEXT_SCALE if self._projector else 1.0
        plot_text.set_text_scale(scale)
        tick_font = scaled_font(self._base_font, scale)
        for _title, plot in plots:
            plot_text.restyle(plot, tick_font)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        for panel in self.lesson_panels.values():
            panel.fit_window_width(event.size().width())
        super().resizeEvent(event)

    def projector_mode(self) -> bool:
        return self._projector

    # --- export ----------------------------------------------------------------------------------
    def _documents_dir(self) -> str:
        return SettingsReader(self.settings).read("export/folder", text(), "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)

    def export_plot_dialog(self) -> None:
        plots = self.current_tab().plots()
        if not plots:
            self.statusBar().showMessage("This tab has no plot to export.", 5000)
            return
        titles = [title for title, _ in plots]
        title, ok = QInputDialog.getItem(self, "Export plot", "Plot:", titles, 0, False)
        if not ok:
            return
        item = plots[titles.index(title)][1]
        safe = "".join(c if c.isalnum() else "-" for c in title).strip("-").lower() or "plot"
        path, _filter = QFileDialog.getSaveFileName(self, "Export plot", str(Path(self._documents_dir()) / f"{safe}.png"),
                                                    ";;".join(EXPORT_FORMATS.values()))
        if path:
            self._export(item, path)

    def _export(self, item, path: str) -> None:
        try:
            export_plot(item, path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Export failed", f"Could not export the plot:\n{exc}")
            return
        self.settings.setValue("export/folder", str(Path(path).parent))
        self.statusBar().showMessage(f"Saved {path}", 5000)

    def export_report_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export run report to folder", self._documents_dir())
        if folder:
            self.export_report(folder)

    def export_report(self, folder: str) -> tuple[Path, Path] | None:
        try:
            paths = write_run_report(self.current_tab(), self.current_tab_name(), self.seed, folder)
        except OSError as exc:
            QMessageBox.warning(self, "Export failed", f"Could not write the run report:\n{exc}")
            return None
        self.settings.setValue("export/folder", folder)
        self.statusBar().showMessage(f"Saved {paths[0].name} and {paths[1].name} in {folder}", 8000)
        return paths

    # --- settings --------------------------------------------------------------------------------
    def _restore_settings(self, initial_tab: str | None) -> None:
        """Everything remembered, read through the checked reader: a damaged value is a default."""
        reader = SettingsReader(self.settings)
        geometry = reader.read("window/geometry", byte_array(), None)
        if not self.fit_to_screen(geometry):
            reader.rejected.append("window/geometry")     # bytes Qt could not make sense of
        self._toggle_lesson(not reader.read("window/lesson_collapsed", boolean, False))
        if reader.read("view/projector", boolean, False):
            self.set_projector_mode(True)
        tab = initial_tab or reader.read("window/tab", text(choices=TAB_NAMES), TAB_NAMES[0])
        self.select_tab(tab)
        self._report_reset(reader.rejected)
        self._build_tab(self.current_tab_name())

    def fit_to_screen(self, saved_geometry=None) -> bool:
        """Open at the saved size and place if that fits the screen the window opens on, else at
        the preferred size shrunk to that screen's free area (without task bars), centred on it.
        False when the saved geometry was bytes Qt could not make sense of."""
        available = self.screen().availableGeometry()
        restored = saved_geometry is not None and self.restoreGeometry(saved_geometry)
        if restored:
            if self.isMaximized() or available.contains(self.geometry()):
                return True
            self.setWindowState(Qt.WindowState.WindowNoState)
        size = PREFERRED_SIZE.boundedTo(available.size() - FRAME_ALLOWANCE)
        self.resize(size)
        frame = size + FRAME_ALLOWANCE   # move() places the frame, title bar included
        self.move(available.x() + (available.width() - frame.width()) // 2,
                  available.y() + (available.height() - frame.height()) // 2)
        return restored or saved_geometry is None

    def _report_reset(self, keys: list[str]) -> None:
        """Say in the status bar which remembered settings were unusable and are back to defaults."""
        self._reset_keys += [key for key in keys if key not in self._reset_keys]
        if self._reset_keys:
            self.statusBar().showMessage(reset_message(self._reset_keys), 20000)

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/tab", self.current_tab_name())
        s.setValue("window/lesson_collapsed", self.lesson_panels[self.current_tab_name()].is_collapsed())
        s.setValue("view/projector", self._projector)
        for state in self.control_states.values():
            state.save(s)
        s.sync()

    def reset_to_defaults(self) -> None:
        self.settings.clear()
        self._reset_keys = []
        for state in self.control_states.values():
            state.reset()
        self._toggle_lesson(True)
        self.set_projector_mode(False)
        self.statusBar().showMessage("Every control is back to its default.", 5000)

    # --- help, about, close ----------------------------------------------------------------------
    def show_shortcuts(self) -> None:
        """A window listing every key (it stays open beside the app while one tries them)."""
        if self._shortcuts is None:
            dialog = QDialog(self)
            dialog.setWindowTitle("Keyboard shortcuts")
            text = QTextBrowser(dialog)
            text.setAccessibleName("Keyboard shortcuts")
            text.setHtml(shortcuts_html(self.findChildren(QAction)))
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
            close.rejected.connect(dialog.close)
            layout = QVBoxLayout(dialog)
            layout.addWidget(text)
            layout.addWidget(close)
            dialog.resize(640, 520)
            self._shortcuts = dialog
        self._shortcuts.show()
        self._shortcuts.activateWindow()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About Descent Lab")
        box.setIconPixmap(app_icon().pixmap(72, 72))
        box.setText(
            f"<h3>Descent Lab {__version__}</h3>"
            "<p>Shows, by measurement, why neural networks are trained with derivatives and "
            "gradient descent rather than by guessing.</p>"
            "<p>Licence: MIT.</p>"
            "<p>MNIST handwritten digits: Yann LeCun, Corinna Cortes and Christopher J. C. Burges. "
            "Lessons after <i>Neural Networks from Scratch</i> (Harrison Kinsley &amp; Daniel Kukieła), "
            "3Blue1Brown's series on neural networks, and Michael Nielsen's "
            "<i>Neural Networks and Deep Learning</i>. Colours: the Okabe–Ito palette.</p>")
        box.setModal(False)
        box.show()
        self._about = box

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop every tab's work and wait (once, bounded) for the threads, so nothing runs on after
        the window."""
        self.save_settings()
        for tab in self._built.values():
            tab.shutdown()
        stop_all_jobs()
        set_failure_handler(None)
        QApplication.instance().removeEventFilter(self._keys)
        super().closeEvent(event)
