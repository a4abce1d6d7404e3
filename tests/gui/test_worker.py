"""The job lifecycle: real threads, throttled progress, prompt stop, pause, errors as signals,
superseded jobs ignored, objects deleted after the thread, and one bounded wait on shutdown."""

import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QObject

from gui.worker import BackgroundJob, JobRunner, live_jobs, stop_all_jobs, stop_requested


def counting_job(limit=10**9, delay=0.001, thread_ids=None):
    def job():
        if thread_ids is not None:
            thread_ids.append(threading.get_ident())
        for i in range(limit):
            time.sleep(delay)  # stands in for one training step
            yield i
        return "complete"
    return job


def test_job_runs_in_another_thread_and_reports_progress(qtbot):
    ids, seen = [], []
    job = BackgroundJob(counting_job(limit=200, thread_ids=ids))
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.done, timeout=5000):
        with qtbot.waitSignal(job.finished, timeout=5000) as finished:
            job.start()
    assert ids and ids[0] != threading.get_ident()
    assert finished.args == ["complete"]
    assert seen[-1] == 199  # the last record is always delivered
    assert 1 <= len(seen) < 200  # ...but not every record: progress is throttled
    assert seen == sorted(seen)
    assert not job.is_running() and job not in live_jobs()


def test_stop_ends_a_running_job_within_half_a_second(qtbot):
    job = BackgroundJob(counting_job())
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    asked = time.perf_counter()
    with qtbot.waitSignal(job.done, timeout=2000) as done:
        job.stop()
    assert time.perf_counter() - asked < 0.5
    assert done.args == [True] and job.stopped and not job.is_running()
    assert job not in live_jobs()


def test_pause_holds_the_loop_and_resume_continues(qtbot):
    seen = []
    job = BackgroundJob(counting_job(), throttle=0.0)
    job.progress.connect(seen.append)
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    job.pause()
    assert job.is_paused()
    qtbot.wait(150)  # let any record already in flight arrive
    frozen = len(seen)
    qtbot.wait(200)
    assert len(seen) == frozen
    job.resume()
    qtbot.waitUntil(lambda: len(seen) > frozen + 5, timeout=3000)
    with qtbot.waitSignal(job.done, timeout=2000):
        job.stop()


def test_stop_while_paused_still_ends_the_thread(qtbot):
    job = BackgroundJob(counting_job())
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    job.pause()
    with qtbot.waitSignal(job.done, timeout=2000):
        job.stop()


def test_an_exception_in_the_job_arrives_as_failed_with_the_traceback(qtbot):
    def broken():
        yield 1
        raise RuntimeError("the learning rate exploded")

    job = BackgroundJob(broken)
    with qtbot.waitSignal(job.done, timeout=5000):
        with qtbot.waitSignal(job.failed, timeout=5000) as failed:
            job.start()
    assert "RuntimeError: the learning rate exploded" in failed.args[0]
    assert "Traceback" in failed.args[0]


def test_a_plain_function_result_arrives_in_finished(qtbot):
    job = BackgroundJob(lambda: sum(range(10)))
    with qtbot.waitSignal(job.finished, timeout=5000) as finished:
        job.start()
    assert finished.args == [45]
    qtbot.waitUntil(lambda: not job.is_running(), timeout=2000)


def test_generator_cleanup_runs_when_stopped(qtbot):
    cleaned = threading.Event()

    def job():
        try:
            while True:
                time.sleep(0.001)
                yield 0
        finally:
            cleaned.set()

    bg = BackgroundJob(job)
    with qtbot.waitSignal(bg.progress, timeout=5000):
        bg.start()
    with qtbot.waitSignal(bg.done, timeout=2000):
        bg.stop()
    assert cleaned.is_set()


def test_stop_all_jobs_leaves_nothing_running(qtbot):
    jobs = [BackgroundJob(counting_job()) for _ in range(3)]
    for job in jobs:
        job.start()
    assert stop_all_jobs()
    assert not any(job.is_running() for job in jobs) and live_jobs() == []


def test_stop_all_jobs_waits_once_for_all_and_no_longer_than_its_bound(qtbot):
    release = threading.Event()
    stuck = [BackgroundJob(lambda: release.wait(10)) for _ in range(2)]  # a plain call cannot be interrupted
    quick = BackgroundJob(counting_job())
    for job in stuck:
        job.start()
    with qtbot.waitSignal(quick.progress, timeout=5000):
        quick.start()
    asked = time.perf_counter()
    assert not stop_all_jobs(wait_ms=300)
    waited = time.perf_counter() - asked
    assert 0.25 < waited < 0.55  # one bound for both stuck jobs, not one each
    assert not quick.is_running() and all(job.is_running() for job in stuck)
    with qtbot.waitSignals([job.done for job in stuck], timeout=5000):
        release.set()


def test_after_the_thread_ends_worker_thread_and_job_are_deleted(qtbot):
    job = BackgroundJob(counting_job(limit=3))
    parts = (job._worker, job._thread, job)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.start()
    qtbot.waitUntil(lambda: not any(shiboken6.isValid(part) for part in parts), timeout=2000)
    assert not job.is_running() and job not in live_jobs()


def test_a_job_cannot_be_started_twice(qtbot):
    job = BackgroundJob(lambda: 1)
    with qtbot.waitSignal(job.done, timeout=5000):
        job.start()
    with pytest.raises(RuntimeError):
        job.start()


def test_a_running_job_lets_the_ui_thread_take_the_gil_back_within_a_millisecond(qtbot):
    import sys
    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)                  # Python's default
        job = BackgroundJob(counting_job(limit=5))
        with qtbot.waitSignal(job.done, timeout=5000):
            job.start()
        assert sys.getswitchinterval() <= 0.001
    finally:
        sys.setswitchinterval(before)


def test_inside_a_job_stop_requested_answers_for_that_job(qtbot):
    def job():
        while not stop_requested():  # what an engine loop with a should_stop callback does
            time.sleep(0.001)
            yield 0
        return "noticed"

    bg = BackgroundJob(job)
    with qtbot.waitSignal(bg.progress, timeout=5000):
        bg.start()
    assert not stop_requested()  # the UI thread runs no job
    with qtbot.waitSignal(bg.done, timeout=4000):  # the thread has ended, not only the loop
        with qtbot.waitSignal(bg.finished, timeout=2000) as finished:
            bg.stop()
    assert finished.args == [0]  # the last record: a stopped generator's return value is not reached


# --- JobRunner: what tabs use -------------------------------------------------------------------
@pytest.fixture
def runner(qtbot):
    owner = QObject()  # stands in for the tab
    yield JobRunner(owner)
    owner.deleteLater()


def record(runner):
    seen = []
    runner.progress.connect(lambda r: seen.append(("progress", r)))
    runner.finished.connect(lambda r: seen.append(("finished", r)))
    runner.failed.connect(lambda t: seen.append(("failed", t)))
    runner.done.connect(lambda stopped: seen.append(("done", stopped)))
    return seen


def test_a_superseded_jobs_late_record_and_result_are_ignored(qtbot, runner):
    seen = record(runner)
    entered, release = threading.Event(), threading.Event()

    def slow():
        entered.set()
        release.wait(5)       # still computing when superseded...
        yield "late record"   # ...and then delivers anyway
        return "late result"

    old = runner.start(slow)
    assert entered.wait(5)
    with qtbot.waitSignal(runner.done, timeout=5000):
        new = runner.start(lambda: "new result")
    with qtbot.waitSignal(old.done, timeout=5000) as old_done:
        release.set()
    assert old_done.args == [True]  # the old job was told to stop
    assert seen == [("finished", "new result"), ("done", False)]
    assert not new.is_running() and not runner.busy()


def test_stop_still_reports_the_last_record_and_done(qtbot, runner):
    seen = record(runner)
    runner.start(counting_job())
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=5000)
    assert runner.busy()
    with qtbot.waitSignal(runner.done, timeout=2000):
        runner.stop()
    assert seen[-1] == ("done", True) and seen[-2][0] == "finished"
    assert not runner.busy()


def test_cancel_frees_the_runner_at_once_and_nothing_more_arrives(qtbot, runner):
    seen = record(runner)
    job = runner.start(counting_job())
    qtbot.waitUntil(lambda: len(seen) > 0, timeout=5000)
    runner.cancel()
    assert not runner.busy() and runner.current is None
    count = len(seen)
    with qtbot.waitSignal(job.done, timeout=2000):
        pass
    assert len(seen) == count and all(kind == "progress" for kind, _ in seen)


def test_pause_and_resume_reach_the_current_job(qtbot, runner):
    job = runner.start(counting_job())
    runner.pause()
    assert runner.is_paused() and job.is_paused()
    runner.resume()
    assert not job.is_paused()
    runner.cancel()
    with qtbot.waitSignal(job.done, timeout=2000):
        pass


def test_a_quiet_collector_runner_keeps_full_collections_short_while_its_job_runs(qtbot):
    """Objects alive when the job starts are out of the collector's way (gc.freeze) until it ends,
    and handed back after it, also when the job is cancelled."""
    import gc
    parent = QObject()
    runner = JobRunner(parent, quiet_collector=True)
    release = threading.Event()
    frozen_inside = []

    def job():
        frozen_inside.append(gc.get_freeze_count())
        release.wait(5)
        return "done"

    with qtbot.waitSignal(runner.done, timeout=5000):
        runner.start(job)
        qtbot.waitUntil(lambda: len(frozen_inside) == 1, timeout=5000)
        release.set()
    assert frozen_inside[0] > 1000 and gc.get_freeze_count() == 0
    release.clear()
    job_run = runner.start(job)
    qtbot.waitUntil(lambda: len(frozen_inside) == 2, timeout=5000)
    with qtbot.waitSignal(job_run.done, timeout=5000):
        runner.cancel()
        release.set()
    assert gc.get_freeze_count() == 0


def test_garbage_is_collected_in_the_ui_thread_never_in_a_worker(qtbot):
    """A collection in a worker thread can destroy Qt objects there and deadlock PySide (it froze a
    test run): once jobs run, the collector runs on a timer in the UI thread instead."""
    import gc
    collected_in = []

    def note(phase, _info):
        if phase == "stop":
            collected_in.append(threading.current_thread() is threading.main_thread())
    gc.callbacks.append(note)
    try:
        def job():
            for _ in range(20_000):     # cycles enough for dozens of automatic collections
                cycle = []
                cycle.append(cycle)
            return "made garbage"
        parent = QObject()
        runner = JobRunner(parent)
        with qtbot.waitSignal(runner.done, timeout=10000):
            runner.start(job)
        assert not gc.isenabled()
        assert all(collected_in)                                 # no collection ran in the worker
        before = len(collected_in)
        qtbot.waitUntil(lambda: len(collected_in) > before, timeout=3000)   # the UI thread's timer collects
        assert all(collected_in)
    finally:
        gc.callbacks.remove(note)
