"""A scripted user in a real X11 window: run by smoke.py under its own Xvfb, never by pytest.

The window is started the way `python main.py` starts it (gui.app.run_gui); the script then acts
through the X server with xdotool, as a person would: Ctrl+1…4 to visit every tab, the mouse to
draw a digit on the MNIST canvas and to press Start, Ctrl+Q to quit while the network trains.
Between actions it lets the window work (the script is a generator stepped by a timer, so the
event loop never blocks) and waits for what a user would wait for: the tab on screen, the
prediction, the first training batches.

It prints one line per step on stdout, and "closing" just before quitting, so smoke.py can time
the exit. Anything wrong ends the run with a line on stderr and exit code 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from engine.blas_threads import prefer_single_blas_thread  # noqa: E402

prefer_single_blas_thread()   # as main.py does, before NumPy loads

from PySide6.QtCore import QPoint, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

STEP_MS = 50          # how often the script looks again
PATIENCE_S = 60       # the longest wait for one thing (MNIST is read in 1–2 s; a busy machine is slower)
SCREEN = (1280, 800)


def say(text: str) -> None:
    print(text, flush=True)


def fail(text: str) -> None:
    print(f"real-window smoke test: {text}", file=sys.stderr, flush=True)
    os._exit(1)   # the window may be in any state: leave at once, with the failure


def xdotool(*args: str) -> None:
    result = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=10)
    if result.returncode != 0:
        fail(f"xdotool {' '.join(args)} failed: {result.stderr.strip()}")


def centre(widget) -> QPoint:
    return widget.mapToGlobal(widget.rect().center())


def click(widget) -> None:
    point = centre(widget)
    xdotool("mousemove", str(point.x()), str(point.y()), "click", "1")


def main_window():
    from gui.main_window import MainWindow
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)


def script():
    """The user's session; each `yield` hands control back to the window for a moment, and a
    yielded callable is waited for until it returns true."""
    yield lambda: main_window() is not None and main_window().windowHandle().isExposed()
    window = main_window()
    size = window.frameGeometry().size()
    if size.width() > SCREEN[0] or size.height() > SCREEN[1]:
        fail(f"the window opened at {size.width()}×{size.height()}, larger than the {SCREEN[0]}×{SCREEN[1]} screen")
    say(f"window open at {size.width()}×{size.height()}")
    inside = centre(window.tabs)
    xdotool("mousemove", str(inside.x()), str(inside.y()))
    xdotool("windowfocus", "--sync", str(int(window.winId())))   # what a window manager does on a click
    yield lambda: window.isActiveWindow()

    from gui.main_window import TAB_NAMES
    for number, name in enumerate(TAB_NAMES, start=1):
        xdotool("key", f"ctrl+{number}")
        yield lambda n=name: window.current_tab_name() == n and window.tab_widgets[n].isVisible()
        say(f"tab {name} shown")

    tab = window.tab_widgets["mnist"]
    tab.pages.setCurrentWidget(tab.draw_page)
    canvas = tab.draw_page.drawing.canvas
    yield lambda: canvas.isVisible()
    corner = canvas.mapToGlobal(QPoint(0, 0))
    stroke = [(150, 40), (150, 120), (150, 200), (150, 250)]   # a "1", drawn top to bottom
    xdotool("mousemove", str(corner.x() + stroke[0][0]), str(corner.y() + stroke[0][1]), "mousedown", "1")
    for x, y in stroke[1:]:
        xdotool("mousemove", str(corner.x() + x), str(corner.y() + y))
    xdotool("mouseup", "1")
    yield lambda: tab.draw_page.bars.probabilities() is not None
    say(f"digit drawn: {tab.draw_page.bars.answer.text()}")

    if os.environ.get("DESCENT_LAB_MNIST_DIR"):
        yield lambda: tab.data is not None
        tab.pages.setCurrentWidget(tab.training_page)
        click(tab.start_button)
        yield lambda: tab.training() and tab.training_page.curve_redraws >= 3
        say("training: first batches drawn")
    else:
        say("training skipped: DESCENT_LAB_MNIST_DIR is not set")

    say("closing")
    xdotool("key", "ctrl+q")


def run_script() -> None:
    steps = script()
    waiting = {"for": None, "since": 0.0}

    def tick() -> None:
        condition = waiting["for"]
        if condition is not None:
            if not condition():
                if time.monotonic() - waiting["since"] > PATIENCE_S:
                    fail(f"waited {PATIENCE_S} s in vain (step: {condition.__code__.co_firstlineno})")
                return
            waiting["for"] = None
        try:
            waiting["for"], waiting["since"] = next(steps), time.monotonic()
        except StopIteration:
            timer.stop()

    timer = QTimer()
    timer.setInterval(STEP_MS)
    timer.timeout.connect(tick)
    timer.start()
    run_script.timer = timer   # kept alive as long as the application


def main() -> int:
    from gui.app import run_gui
    from gui.display import display_problem

    problem = display_problem()
    if problem is not None:
        fail(problem)
    QApplication(sys.argv[:1])   # run_gui uses this application; the script's timer needs it first
    run_script()
    return run_gui()


if __name__ == "__main__":
    sys.exit(main())
