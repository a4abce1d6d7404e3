"""The one way Descent Lab runs long work: an engine iterator in a worker thread.

A parentless ``Worker`` QObject is moved to its own QThread and iterates the job there. Between
records it looks at two thread-safe flags (stop, pause). It reports through signals only, at most
once per ``throttle`` seconds (the newest record wins; the last one is always delivered), so a fast
loop cannot flood the UI thread with more updates than it can draw.

``BackgroundJob`` owns the thread and the worker, keeps both alive until the thread has ended, and
is what tabs use. Every live job is registered so the main window can stop them all on close.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

_live_jobs: set["BackgroundJob"] = set()

# While a worker runs Python code it holds the GIL; the UI thread asking for it waits up to the
# interpreter's switch interval (5 ms by default) each time, which adds up to visible stutter
# during a repaint. 1 ms lets the UI thread back in sooner; an idle UI thread costs nothing.
UI_SWITCH_INTERVAL = 0.001
_failure_handler: Callable[[str], None] | None = None


def set_failure_handler(handler: Callable[[str], None] | None) -> None:
    """Called with the traceback of every failed job (the main window shows it in a dialog)."""
    global _failure_handler
    _failure_handler = handler


class Worker(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[], Any], throttle: float = 0.05):
        super().__init__()
        self._job = job
        self._throttle = throttle
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()
        self.stopped = False

    # Called from any thread.
    def stop(self) -> None:
        self._stop.set()
        self._resume.set()  # a paused worker must wake up to notice the stop

    def pause(self) -> None:
        self._resume.clear()

    def resume(self) -> None:
        self._resume.set()

    def is_paused(self) -> bool:
        return not self._resume.is_set()

    def should_stop(self) -> bool:
        """Handy to pass into engine loops that check a stop callback themselves."""
        return self._stop.is_set()

    @Slot()
    def run(self) -> None:
        try:
            result = self._job()
            if hasattr(result, "__next__"):
                result = self._iterate(result)
            self.stopped = self._stop.is_set()
            self.finished.emit(result)
        except Exception:  # the UI decides how to show it; the thread must end cleanly either way
            self.failed.emit(traceback.format_exc())

    def _iterate(self, iterator) -> Any:
        last = value = None
        pending = False
        last_emit = 0.0
        try:
            while not self._stop.is_set():
                while not self._resume.wait(0.05):
                    if self._stop.is_set():
                        break
                if self._stop.is_set():
                    break
                try:
                    record = next(iterator)
                except StopIteration as end:
                    value = end.value
                    break
                last, pending = record, True
                now = time.monotonic()
                if now - last_emit >= self._throttle:
                    self.progress.emit(record)
                    pending, last_emit = False, now
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # runs the generator's cleanup (e.g. removing partial downloads)
        if pending:
            self.progress.emit(last)
        return value if value is not None else last


class BackgroundJob(QObject):
    """Runs ``job`` (a zero-argument callable returning an iterator or a result) in a new QThread.

    Signals are delivered in the thread that created the job (the UI thread):
    ``progress(record)``, ``finished(result)``, ``failed(traceback_text)``, then ``done()`` once the
    thread has really ended. ``stopped`` tells whether the job ended because stop() was asked.
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal()

    def __init__(self, job: Callable[[], Any], throttle: float = 0.05, parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("descent-lab-worker")
        self._worker = Worker(job, throttle)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.finished.connect(self._thread.quit)
        self._worker.failed.connect(self._thread.quit)
        self._thread.finished.connect(self._on_thread_finished)
        self._started = False

    @property
    def stopped(self) -> bool:
        return self._worker.stopped or self._worker.should_stop()

    def should_stop(self) -> bool:
        return self._worker.should_stop()

    def start(self) -> None:
        if self._started:
            raise RuntimeError("a BackgroundJob runs once; create a new one to run again")
        self._started = True
        _live_jobs.add(self)
        if sys.getswitchinterval() > UI_SWITCH_INTERVAL:
            sys.setswitchinterval(UI_SWITCH_INTERVAL)
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def pause(self) -> None:
        self._worker.pause()

    def resume(self) -> None:
        self._worker.resume()

    def is_paused(self) -> bool:
        return self._worker.is_paused()

    def stop(self, wait_ms: int = 2000) -> bool:
        """Ask the job to stop; wait up to ``wait_ms`` for its thread. True if the thread has ended."""
        self._worker.stop()
        if not self._thread.isRunning():
            return True
        self._thread.quit()
        return self._thread.wait(wait_ms) if wait_ms else False

    @Slot(object)
    def _on_progress(self, record) -> None:
        self.progress.emit(record)

    @Slot(object)
    def _on_finished(self, result) -> None:
        self.finished.emit(result)

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.failed.emit(text)
        if _failure_handler is not None:
            _failure_handler(text)

    @Slot()
    def _on_thread_finished(self) -> None:
        _live_jobs.discard(self)
        self._worker.deleteLater()
        self.done.emit()


def live_jobs() -> list[BackgroundJob]:
    """Jobs whose thread has not been seen to finish yet."""
    return [job for job in _live_jobs if job.is_running()]


def stop_all_jobs(wait_ms: int = 3000) -> bool:
    """Stop every live job and wait for its thread; True when none is left running."""
    for job in list(_live_jobs):
        job.stop(wait_ms=0)
    ok = True
    for job in list(_live_jobs):
        if job.is_running():
            job._thread.quit()
            ok = job._thread.wait(wait_ms) and ok
        _live_jobs.discard(job)
    return ok
