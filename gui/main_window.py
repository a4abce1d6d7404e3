"""The main window: four tabs, menus, a status bar, and a clean shutdown of every worker on close."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

from engine import __version__
from gui.worker import stop_all_jobs

# (command-line name, tab title, module, class, what the tab will teach)
TABS = [
    ("derivatives", "Derivatives", "gui.tabs.derivatives", "DerivativesTab",
     "slopes, numerical derivatives, tangent lines and what numerical gradients cost"),
    ("random-search", "Random Search", "gui.tabs.random_search", "RandomSearchTab",
     "guessing weights against gradient descent on the same data and budget"),
    ("gradient-descent", "Gradient Descent", "gui.tabs.gradient_descent", "GradientDescentTab",
     "the update w ← w − η·∂L/∂w, learning rates and the loss surface"),
    ("mnist", "MNIST Inspector", "gui.tabs.mnist_inspector", "MnistInspectorTab",
     "a digit network trained live, its weights, noise and your own drawings"),
]
TAB_NAMES = [name for name, *_ in TABS]


def _load_tab(module_name: str, class_name: str, seed: int) -> QWidget | None:
    """Build a tab if its module exists yet; None while the tab is still to be written."""
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name == module_name:
            return None
        raise
    return getattr(module, class_name)(seed=seed)


class MainWindow(QMainWindow):
    def __init__(self, seed: int = 0, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Descent Lab")
        self.resize(1360, 860)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.tab_widgets: dict[str, QWidget] = {}
        for name, title, module, cls, topic in TABS:
            widget = _load_tab(module, cls, seed)
            if widget is None:
                widget = QLabel(f"The {title} lesson ({topic}) is not part of this version yet.")
                widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
                widget.setWordWrap(True)
            widget.setAccessibleName(f"{title} tab")
            self.tab_widgets[name] = widget
            self.tabs.addTab(widget, title)
        self._build_menus()
        self.statusBar().showMessage("Ready")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Descent Lab", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def select_tab(self, name: str) -> None:
        self.tabs.setCurrentIndex(TAB_NAMES.index(name))

    def show_about(self) -> None:
        QMessageBox.about(
            self, "About Descent Lab",
            f"<h3>Descent Lab {__version__}</h3>"
            "<p>Shows, by measurement, why neural networks are trained with derivatives and "
            "gradient descent rather than by guessing.</p>"
            "<p>MIT licence. MNIST digits: Yann LeCun, Corinna Cortes and Christopher Burges. "
            "Lessons after <i>Neural Networks from Scratch</i> (Kinsley &amp; Kukieła) and "
            "3Blue1Brown's series on neural networks.</p>")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop every tab's work and wait for the threads, so nothing runs on after the window."""
        for widget in self.tab_widgets.values():
            shutdown = getattr(widget, "shutdown", None)
            if shutdown is not None:
                shutdown()
        stop_all_jobs()
        super().closeEvent(event)
