"""The worker pattern: real threads, throttled progress, prompt stop, pause, and errors as signals."""

import threading
import time

import pytest

from gui.worker import BackgroundJob, live_jobs, stop_all_jobs


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
    assert job.stop(wait_ms=500)
    assert time.perf_counter() - asked < 0.5
    assert job.stopped and not job.is_running()
    qtbot.waitUntil(lambda: job not in live_jobs(), timeout=2000)


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
    assert job.stop(wait_ms=1000)


def test_stop_while_paused_still_ends_the_thread(qtbot):
    job = BackgroundJob(counting_job())
    with qtbot.waitSignal(job.progress, timeout=5000):
        job.start()
    job.pause()
    assert job.stop(wait_ms=500)


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
    assert bg.stop(wait_ms=1000)
    assert cleaned.is_set()


def test_stop_all_jobs_leaves_nothing_running(qtbot):
    jobs = [BackgroundJob(counting_job()) for _ in range(3)]
    for job in jobs:
        job.start()
    assert stop_all_jobs(wait_ms=1000)
    assert not any(job.is_running() for job in jobs)


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
