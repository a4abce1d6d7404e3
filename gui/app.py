"""Start the window: the QApplication, its names and icon, and the optional screenshot-and-exit."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from engine import __version__
from gui.display import display_problem

#: Messages some Qt platform plugins print that say nothing about our program.
BENIGN_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def filter_qt_messages() -> None:
    """Pass Qt's messages on to stderr, except the known harmless ones."""
    def handler(mode, context, message):
        if not message.startswith(BENIGN_QT_MESSAGES):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def run_gui(tab: str | None = None, seed: int = 0, mnist_dir: str | None = None, screenshot: str | None = None,
            screenshot_delay: int = 1500, projector: bool = False) -> int:
    """Show the main window and run until it closes; with `screenshot`, save a PNG of it and return.

    Returns the exit code: the application's, for a screenshot 0 when the file was written, and
    2 (after one line on stderr) when there is no display to open a window on.
    """
    app = QApplication.instance()
    if app is None:
        problem = display_problem()
        if problem is not None:
            print(f"descent-lab: error: {problem}", file=sys.stderr)
            return 2
    filter_qt_messages()
    app = app or QApplication(sys.argv[:1])
    app.setApplicationName("Descent Lab")
    app.setOrganizationName("Descent Lab")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("descent-lab")  # Wayland matches the window to `install-shortcut`'s entry

    from gui.errors import install_excepthook
    from gui.main_window import MainWindow, app_icon

    app.setWindowIcon(app_icon())
    install_excepthook()
    settings = None
    if screenshot:  # a picture of the defaults: neither read nor change the user's settings
        settings = QSettings(str(Path(tempfile.mkdtemp(prefix="descent-lab-")) / "screenshot.ini"),
                             QSettings.Format.IniFormat)
    window = MainWindow(seed=seed, settings=settings, initial_tab=tab, mnist_dir=mnist_dir)
    if projector:
        window.set_projector_mode(True)
    window.show()
    if not screenshot:
        code = app.exec()
        from gui.worker import stop_all_jobs

        if not stop_all_jobs(0):
            # A job still running after the window's bounded wait: leaving normally would abort the
            # process ("QThread: Destroyed while thread is still running"). Settings were saved on close.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code

    def capture() -> None:
        from gui.export import save_png

        try:
            save_png(window.grab(), screenshot)
            outcome.append(True)
        except OSError as exc:
            print(f"descent-lab: error: could not write {screenshot} ({exc.strerror or exc})", file=sys.stderr)
            outcome.append(False)
        window.close()
        loop.quit()

    # A local loop rather than app.exec() and app.quit(): after quit(), an application that the
    # caller goes on using (the test suite) stopped firing its timers.
    outcome: list[bool] = []
    loop = QEventLoop()
    QTimer.singleShot(max(0, screenshot_delay), capture)
    loop.exec()
    return 0 if outcome and outcome[0] else 1
