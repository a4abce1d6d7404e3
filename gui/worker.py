"""The one job lifecycle: every piece of long work in the window runs through this module.

A tab owns a ``JobRunner`` per kind of work (training, a download, an evaluation) and calls
``start(job)``, where ``job`` is a zero-argument callable returning an engine iterator or a result.
The runner makes that the tab's *current* job: a new start supersedes the previous one, which is
told to stop and whose late progress, result or error never reaches the tab. The tab connects to
the runner's signals once; they only ever come from the current job.

Underneath, each run is a ``BackgroundJob``: a parentless ``Worker`` QObject moved to its own
QThread, which iterates the job there and looks at two thread-safe flags (stop, pause) between
records. It reports through signals only, at most once per ``throttle`` seconds (the newest record
wins; the last one is always delivered), so a fast loop cannot flood the UI thread. When the thread
has ended, the worker is deleted in the UI thread, and the thread and the job object with
``deleteLater``.

Every running job is registered; ``stop_all_jobs()`` is how the window's close ends them all, with
one bounded wait (``SHUTDOWN_WAIT_MS``) shared by all of them.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
import traceback
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

# Reading MNIST (1–2 s, longer on a slow laptop) is the one piece of work that cannot be
# interrupted; everything else stops within a record. A job stuck beyond this is left behind
# rather than holding the closing window.
SHUTDOWN_WAIT_MS = 10_000

# While a worker runs Python code it holds the GIL; the UI thread asking for it waits up to the
# interpreter's switch interval (5 ms by default) each time, which adds up to visible stutter
# during a repaint. 1 ms lets the UI thread back in sooner; an idle UI thread costs nothing.
UI_SWITCH_INTERVAL = 0.001

_live_jobs: set["BackgroundJob"] = set()
_failure_handler: Callable[[str], None] | None = None
_this_thread = threading.local()   # the JobControl of the job running in a worker thread


def set_failure_handler(handler: Callable[[str], None] | None) -> None:
    """Called with the traceback of every failed job (the main window shows it in a dialog)."""
    global _failure_handler
    _failure_handler = handler


class JobControl:
    """The stop and pause flags one job's owner (UI thread) and its worker thread share."""

    def __init__(self):
        self._stop = threading.Event()
        self._resume = threading.Event()
        self._resume.set()

    def stop(self) -> None:
        self._stop.set()
        self._resume.set()  # a paused worker must wake up to notice the stop

    def pause(self) -> None:
        self._resume.clear()

    def resume(self) -> None:
        self._resume.set()

    def is_paused(self) -> bool:
        return not self._resume.is_set()

    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def wait_while_paused(self) -> None:
        while not self._resume.wait(0.05) and not self._stop.is_set():
            pass


def stop_requested() -> bool:
    """Inside a job (in its worker thread): has it been asked to stop? Hand this to an engine loop
    that takes a ``should_stop`` callback."""
    control = getattr(_this_thread, "control", None)
    return control is not None and control.stop_requested()


class Worker(QObject):
    """Runs one job in the thread it was moved to; knows nothing about widgets."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[], Any], control: JobControl, throttle: float = 0.05):
        super().__init__()
        self._job = job
        self._control = control
        self._throttle = throttle

    @Slot()
    def run(self) -> None:
        _this_thread.control = self._control
        try:
            result = self._job()
            if hasattr(result, "__next__"):
                result = self._iterate(result)
            self.finished.emit(result)
        except Exception:  # the UI decides how to show it; the thread must end cleanly either way
            self.failed.emit(traceback.format_exc())
        finally:
            _this_thread.control = None
            # Hand this object to the UI thread, so it is deleted there (see _on_thread_finished).
            app = QCoreApplication.instance()
            if app is not None:
                self.moveToThread(app.thread())

    def _iterate(self, iterator) -> Any:
        control = self._control
        last = value = None
        pending = False
        last_emit = 0.0
        try:
            while not control.stop_requested():
                control.wait_while_paused()
                if control.stop_requested():
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
    """One run of ``job`` in a new QThread. Tabs use a ``JobRunner``, which makes these.

    Signals arrive in the UI thread: ``progress(record)``, ``finished(result)`` (also after a stop:
    then the last record) or ``failed(traceback_text)``, then ``done(stopped)`` once the thread has
    really ended. Then the worker is deleted, and the thread and this object follow (deleteLater).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal(bool)

    def __init__(self, job: Callable[[], Any], throttle: float = 0.05,
                 on_stop: Callable[[], None] | None = None):
        # Owned by the application, not by a tab: a tab may be closed while its job winds down, and
        # the job must outlive it until the thread has ended and deleteLater has run.
        super().__init__(QCoreApplication.instance())
        self._control = JobControl()
        self._on_stop = on_stop
        self._thread = QThread(self)
        self._thread.setObjectName("descent-lab-worker")
        self._worker = Worker(job, self._control, throttle)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self.finished)
        self._worker.failed.connect(self._on_failed)
        # Direct: the thread ends as soon as the job does, even while the UI thread is blocked
        # waiting for it (the window's close).
        self._worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._worker.failed.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._on_thread_finished)
        self._started = False
        self._ended = False

    @property
    def stopped(self) -> bool:
        """Whether the job was asked to stop."""
        return self._control.stop_requested()

    def start(self) -> None:
        if self._started:
            raise RuntimeError("a BackgroundJob runs once; create a new one to run again")
        self._started = True
        collect_garbage_in_ui_thread()   # before a worker thread exists that could collect
        _live_jobs.add(self)
        if sys.getswitchinterval() > UI_SWITCH_INTERVAL:
            sys.setswitchinterval(UI_SWITCH_INTERVAL)
        self._thread.start()

    def is_running(self) -> bool:
        # After the end the thread object may already be deleted: answer without touching it.
        return self._started and not self._ended and self._thread.isRunning()

    def stop(self) -> None:
        """Ask the job to stop (it notices between records, or at once through its ``on_stop``,
        e.g. closing a network connection it waits on); ``done`` follows when it has."""
        self._control.stop()
        if self._on_stop is not None:
            self._on_stop()

    def pause(self) -> None:
        self._control.pause()

    def resume(self) -> None:
        self._control.resume()

    def is_paused(self) -> bool:
        return self._control.is_paused()

    def _wait(self, wait_ms: int) -> bool:
        return not self.is_running() or self._thread.wait(max(0, wait_ms))

    @Slot(str)
    def _on_failed(self, text: str) -> None:
        self.failed.emit(text)
        if _failure_handler is not None:
            _failure_handler(text)

    @Slot()
    def _on_thread_finished(self) -> None:
        # `finished` is emitted just before the thread is quite done, so wait for its real end.
        # The worker is destroyed here, in the UI thread, never in its own: ~QObject in the worker
        # thread holds Qt's signal-slot lock while PySide waits for the GIL, and a UI thread that
        # holds the GIL while connecting a signal (a new plot item) then waited for that lock for
        # ever (seen once in CI), or crashed against ~QThread.
        self._thread.wait()
        self._worker.deleteLater()  # in the UI thread: the worker moved itself here as it ended
        self._ended = True
        self.done.emit(self.stopped)
        _live_jobs.discard(self)
        self.deleteLater()  # takes the thread (its child) with it


_ui_collector = None   # pyqtgraph's GarbageCollector, once the first job starts


def collect_garbage_in_ui_thread() -> None:
    """From now on, Python's cyclic garbage collector runs only on a timer in the UI thread.

    Left automatic, a collection runs in whichever thread happens to allocate. In a worker it can
    destroy Qt objects that became garbage elsewhere (a closed menu, a replaced widget), in that
    thread, and PySide then deadlocks: the worker holds Qt's object lock while it waits for the
    interpreter lock, and the UI thread waits the other way round (the window froze for good in a
    test run). pyqtgraph's GarbageCollector turns automatic collection off and collects on a timer.
    """
    global _ui_collector
    if _ui_collector is None:
        from pyqtgraph.util.garbage_collector import GarbageCollector
        _ui_collector = GarbageCollector(interval=0.25)


class QuietCollector:
    """Keeps Python's cyclic garbage collector from stalling the window during a long job.

    A full collection walks every object Python tracks (about 80,000 once the window is built) and
    holds the interpreter lock meanwhile: measured while MNIST trained, one took 69 ms, four frames
    of a frozen window. Before the job, one collection clears what is garbage now, and
    ``gc.freeze`` moves every surviving object out of the collector's way, so the collections
    during the job walk only what the job made. After it, the objects are handed back, so a
    cycle among them that dies later is still collected.
    """

    _holders = 0   # jobs running with the collector quiet (nested starts share one freeze)

    @classmethod
    def hold(cls) -> None:
        if cls._holders == 0:
            gc.collect()
            gc.freeze()
        cls._holders += 1

    @classmethod
    def release(cls) -> None:
        if cls._holders > 0:
            cls._holders -= 1
            if cls._holders == 0:
                gc.unfreeze()


class JobRunner(QObject):
    """A tab's one line of background work: at most one current job; starting another supersedes it.

    The signals carry the current job's ``progress(record)``, ``finished(result)``,
    ``failed(traceback_text)`` and ``done(stopped)``; nothing of a superseded job arrives.
    With ``quiet_collector`` (long jobs whose progress is animated, like training) the garbage
    collector is kept quiet while a job runs (``QuietCollector``).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    done = Signal(bool)

    def __init__(self, parent: QObject, throttle: float = 0.05, quiet_collector: bool = False):
        super().__init__(parent)
        self._throttle = throttle
        self._quiet_collector = quiet_collector
        self._current: BackgroundJob | None = None

    @property
    def current(self) -> BackgroundJob | None:
        """The job whose signals this runner passes on (None once it is done or cancelled)."""
        return self._current

    def start(self, job: Callable[[], Any], on_stop: Callable[[], None] | None = None) -> BackgroundJob:
        """Run ``job`` in a worker thread as the new current job; any previous one is cancelled.

        ``on_stop`` is called (in the UI thread) when the job is asked to stop: for a job that can
        block where no flag is looked at, it is how the stop reaches it (e.g. ``Abort.trigger``)."""
        self.cancel()
        run = BackgroundJob(job, self._throttle, on_stop)
        run.progress.connect(self.progress)
        run.finished.connect(self.finished)
        run.failed.connect(self.failed)
        run.done.connect(self._on_done)
        if self._quiet_collector:
            QuietCollector.hold()
            run.done.connect(QuietCollector.release)   # also when the job was cancelled
        self._current = run
        run.start()
        return run

    def busy(self) -> bool:
        """A job was started and neither its ``done`` has arrived nor was it cancelled."""
        return self._current is not None

    def stop(self) -> None:
        """Ask the current job to stop; its result (the last record) and ``done(True)`` still come."""
        if self._current is not None:
            self._current.stop()

    def cancel(self) -> None:
        """Stop the current job and cut it off: nothing more of it arrives, not even ``done``."""
        run, self._current = self._current, None
        if run is None:
            return
        for signal, slot in ((run.progress, self.progress), (run.finished, self.finished),
                             (run.failed, self.failed), (run.done, self._on_done)):
            signal.disconnect(slot)
        run.stop()

    def pause(self) -> None:
        if self._current is not None:
            self._current.pause()

    def resume(self) -> None:
        if self._current is not None:
            self._current.resume()

    def is_paused(self) -> bool:
        return self._current is not None and self._current.is_paused()

    @Slot(bool)
    def _on_done(self, stopped: bool) -> None:
        self._current = None
        self.done.emit(stopped)


def live_jobs() -> list[BackgroundJob]:
    """Jobs whose thread is still running."""
    return [job for job in _live_jobs if job.is_running()]


def stop_all_jobs(wait_ms: int | None = None) -> bool:
    """Stop every running job and wait for the threads, at most ``wait_ms`` (default
    ``SHUTDOWN_WAIT_MS``) for all of them together; True when none is left running."""
    deadline = time.monotonic() + (SHUTDOWN_WAIT_MS if wait_ms is None else wait_ms) / 1000
    jobs = live_jobs()
    for job in jobs:
        job.stop()
    return all([job._wait(int(1000 * (deadline - time.monotonic()))) for job in jobs])
