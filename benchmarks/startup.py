"""Start-up: from process start to the main window on screen, and peak memory with MNIST loaded.

The parent starts a fresh Python process that opens the real window through ``main.main()`` (the
path a user's double-click takes) and reports, from inside, the moment the window was first
painted. Start-up time = that moment minus the moment the parent launched the process (wall clock,
so interpreter start and every import count). The child then waits until the MNIST tab has found
and loaded the files itself (pointed at them by DESCENT_LAB_MNIST_DIR) and reports its peak
resident memory (the operating system's high-water mark).

Settings go to a temporary folder, so a run neither reads nor changes the user's own.

    python benchmarks/startup.py [--quick] [--repeats N] [--mnist-dir DIR]

Targets: window shown <= 1.5 s, peak memory <= 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common

STARTUP_TARGET_S = 1.5
MEMORY_TARGET_MB = 400


def peak_memory_mb() -> float:
    """Peak resident memory of this process in MB (ru_maxrss is kB on Linux, bytes on macOS)."""
    try:
        import resource
    except ImportError:  # Windows: the process's peak working set
        import ctypes
        from ctypes import wintypes

        class Counters(ctypes.Structure):
            _fields_ = [("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                        ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                        ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                        ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                        ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t)]
        counters = Counters()
        counters.cb = ctypes.sizeof(Counters)
        ctypes.windll.psapi.GetProcessMemoryInfo(ctypes.windll.kernel32.GetCurrentProcess(),
                                                 ctypes.byref(counters), counters.cb)
        return counters.PeakWorkingSetSize / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def child(mnist: str | None, tab: str | None) -> int:
    """Run inside the measured process: open the window, note when it is painted, load MNIST."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="dl-bench-"))
    app = QApplication(sys.argv[:1])
    result: dict = {}

    def after_first_paint() -> None:
        window = next(w for w in app.topLevelWidgets() if isinstance(w, QMainWindow))
        result["rss_window_mb"] = peak_memory_mb()
        tab = getattr(window, "tab_widgets", {}).get("mnist")
        if mnist and tab is not None and hasattr(tab, "data_panel"):
            # The MNIST tab finds the files itself (DESCENT_LAB_MNIST_DIR) and loads them in a worker.
            started = time.perf_counter()
            while tab.data is None and time.perf_counter() - started < 60:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            result["mnist_load_s"] = time.perf_counter() - started
            result["mnist_loaded_by"] = "the MNIST tab" if tab.data is not None else "nobody (timed out)"
        elif mnist:
            from engine.mnist import load_mnist
            started = time.perf_counter()
            window.setProperty("benchmark_mnist", load_mnist(mnist))  # kept alive, as the app keeps it
            result["mnist_load_s"] = time.perf_counter() - started
            result["mnist_loaded_by"] = "engine.mnist.load_mnist (no MNIST tab in this version)"
        app.processEvents()
        result["peak_mb"] = peak_memory_mb()
        print("STARTUP " + json.dumps(result), flush=True)
        window.close()
        app.quit()

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if (event.type() == QEvent.Type.Paint and "shown_at" not in result
                    and isinstance(obj, QWidget) and isinstance(obj.window(), QMainWindow)):
                result["shown_at"] = time.time()
                QTimer.singleShot(0, after_first_paint)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    import main
    argv = ["--tab", tab] if tab else []
    return main.main(argv)


def measure_once(mnist: str | None, tab: str | None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    if mnist:
        env["DESCENT_LAB_MNIST_DIR"] = mnist
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    if mnist:
        command += ["--mnist-dir", mnist]
    if tab:
        command += ["--tab", tab]
    launched = time.time()
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                          cwd=str(_common.REPO_ROOT))
    lines = [line for line in done.stdout.splitlines() if line.startswith("STARTUP ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the window process failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
    result = json.loads(lines[-1].removeprefix("STARTUP "))
    result["startup_s"] = result.pop("shown_at") - launched
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one start instead of five")
    parser.add_argument("--repeats", type=int, default=5, help="starts to measure; the best is reported (default 5)")
    parser.add_argument("--mnist-dir", help="folder with the MNIST files (default: search)")
    parser.add_argument("--tab", default="mnist", help="tab to open (default mnist)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.mnist_dir, args.tab)
    directory = _common.mnist_dir(args.mnist_dir)
    repeats = 1 if args.quick else max(1, args.repeats)
    runs = [measure_once(str(directory) if directory else None, args.tab) for _ in range(repeats)]
    startup = [r["startup_s"] for r in runs]
    print(f"window on the '{args.tab}' tab; {repeats} start(s): " + ", ".join(f"{s:.2f}" for s in startup) + " s")
    _common.figure("startup_to_window", min(startup), "s", f"<= {STARTUP_TARGET_S} s", min(startup) <= STARTUP_TARGET_S)
    _common.figure("startup_to_window_median", _common.percentile(startup, 50), "s")
    _common.figure("memory_window_only", max(r["rss_window_mb"] for r in runs), "MB")
    if directory is None:
        print("MNIST not found: peak memory with MNIST loaded not measured")
        return 0
    peak = max(r["peak_mb"] for r in runs)
    print(f"MNIST from {directory}, loaded by {runs[0]['mnist_loaded_by']} "
          f"in {min(r['mnist_load_s'] for r in runs):.2f} s")
    _common.figure("peak_memory_with_mnist", peak, "MB", f"<= {MEMORY_TARGET_MB} MB", peak <= MEMORY_TARGET_MB)
    return 0


if __name__ == "__main__":
    sys.exit(main())
