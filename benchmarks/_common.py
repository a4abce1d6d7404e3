"""What every benchmark script shares: finding the project and MNIST, timing, printing figures.

Each benchmark prints its figures as lines ``figure: NAME = VALUE UNIT (target ...)`` so a person
can read them and ``tests/test_benchmarks_run.py`` can check they were printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

#: Where the project's developers keep the MNIST files, beside the checkout (tests use it too).
SHARED_MNIST = REPO_ROOT.parent / "shared" / "mnist"


from engine.blas_threads import BLAS_THREAD_VARIABLES  # noqa: E402 (needs the path above; no NumPy)


def set_blas_threads_from_argv(default: int = 1) -> str:
    """Fix the number of BLAS threads from ``--blas-threads N`` (default 1); returns it as text.

    Must run before NumPy is imported: it reads the setting once, at import. The batches here are
    too small for BLAS threads to pay off, and on a busy 2-core machine spinning BLAS threads only
    add noise (seen: the same epoch taking 0.15 s or 2.9 s), so one thread is the default.
    """
    value = str(default)
    argv = sys.argv[1:]
    for i, arg in enumerate(argv):
        if arg.startswith("--blas-threads="):
            value = arg.split("=", 1)[1]
        elif arg == "--blas-threads" and i + 1 < len(argv):
            value = argv[i + 1]
    for name in BLAS_THREAD_VARIABLES:
        os.environ[name] = value
    return value


def add_blas_option(parser) -> None:
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="threads for matrix products (default 1; read before NumPy loads)")


def mnist_dir(cli_dir: str | None = None) -> Path | None:
    """The MNIST folder: --mnist-dir, else the app's own search, else ../shared/mnist; None if absent."""
    from engine.mnist import find_mnist_dir, mnist_files_present
    if cli_dir is not None:
        return find_mnist_dir(cli_dir)
    found = find_mnist_dir()
    if found is not None:
        return found
    return SHARED_MNIST if mnist_files_present(SHARED_MNIST) else None


def require_mnist(cli_dir: str | None):
    """Load MNIST or exit with one line saying where it was looked for (exit 2, as the CLI does)."""
    from engine.mnist import load_mnist
    directory = mnist_dir(cli_dir)
    if directory is None:
        where = cli_dir or f"$DESCENT_LAB_MNIST_DIR, the user data folder or {SHARED_MNIST}"
        print(f"error: MNIST files not found in {where}; run 'python main.py mnist download' first",
              file=sys.stderr)
        raise SystemExit(2)
    return load_mnist(directory)


def figure(name: str, value: float, unit: str, target: str | None = None, ok: bool | None = None) -> None:
    """Print one result line in the shared format."""
    number = f"{value:.0f}" if abs(value) >= 1000 else f"{value:.4g}"  # 40125, not 4.013e+04
    text = f"figure: {name} = {number} {unit}".rstrip()
    if target is not None:
        verdict = "" if ok is None else ("  met" if ok else "  MISSED")
        text += f"  (target {target}){verdict}"
    print(text, flush=True)


def percentile(values, q: float) -> float:
    import numpy as np
    return float(np.percentile(np.asarray(values, dtype=float), q)) if len(values) else float("nan")


# --- helpers for benchmarks that drive the real window (import Qt only when called) ---------------
def open_window(tab: str = "mnist"):
    """A QApplication and the real main window on `tab`, with settings in a fresh temporary
    folder (nothing remembered from earlier runs): (app, window, that tab's widget)."""
    import tempfile

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from gui.main_window import MainWindow
    settings = QSettings(os.path.join(tempfile.mkdtemp(prefix="dl-bench-"), "settings.ini"),
                         QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, initial_tab=tab)
    window.show()
    return app, window, window.tab_widgets[tab]


def run_until(condition, timeout_ms: int = 2000, poll_ms: int = 0) -> bool:
    """Run the real event loop (no sleeping in it) until `condition()` holds or time runs out;
    returns whether it held."""
    import time

    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(poll_ms)
    deadline = time.perf_counter() + timeout_ms / 1000
    poll.timeout.connect(lambda: loop.quit() if condition() or time.perf_counter() > deadline else None)
    poll.start()
    loop.exec()
    poll.stop()
    return bool(condition())


def paint_watch(widget):
    """An event filter installed on `widget`; its `painted` turns True at the next paint event."""
    from PySide6.QtCore import QEvent, QObject

    class PaintWatch(QObject):
        def __init__(self):
            super().__init__()
            self.painted = False

        def eventFilter(self, obj, event):  # noqa: N802 (Qt name)
            if event.type() == QEvent.Type.Paint:
                self.painted = True
            return False

    watch = PaintWatch()
    widget.installEventFilter(watch)
    return watch


class Heartbeat:
    """A 5 ms precise QTimer that records the gap between its beats: how long the UI thread could
    not react (a click would have waited as long)."""

    def __init__(self, interval_ms: int = 5):
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.interval_ms = interval_ms
        self.gaps: list[float] = []
        self._clock = QElapsedTimer()
        self._last: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        if self._last is not None:
            self.gaps.append(now - self._last)
        self._last = now

    def start(self) -> None:
        self.gaps, self._last = [], None
        self._clock.start()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
