"""Downloads against mirrors that never answer, stall or trickle: cancelled within a second at any
moment, given up when too slow, and a job only ever removes its own temporary file (issue 16, item 1)."""

from __future__ import annotations

import threading
import time

import pytest

from engine.atomic_write import is_temporary
from engine.mnist.download import DownloadCancelled, DownloadError, file_is_valid, iter_download
from engine.mnist.fetch import Abort, Pace
from engine.mnist.files import FILE_NAMES

#: Generous limits, so only the abort can end a download quickly.
PATIENT = Pace(stall_seconds=60, grace_seconds=60)


def run_in_thread(target_dir, mirrors, pace, abort):
    """Drive `iter_download` in a thread, as the window does; returns (thread, outcome list)."""
    outcome: list = []

    def drive():
        try:
            for _record in iter_download(target_dir, mirrors, pace, abort):
                pass
            outcome.append("finished")
        except Exception as exc:     # the test looks at which one
            outcome.append(exc)

    thread = threading.Thread(target=drive, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("mode", ["silent", "unaccepted", "stall", "drip"])
def test_an_abort_ends_the_download_within_a_second_at_any_moment(faulty_mirror, tmp_path, mode):
    abort = Abort()
    thread, outcome = run_in_thread(tmp_path, [faulty_mirror.url(mode)], PATIENT, abort)
    if mode != "unaccepted":
        assert faulty_mirror.requests.wait(5)       # blocked where the server left it
    thread.join(0.3)
    assert thread.is_alive()                         # still waiting on the network
    started = time.monotonic()
    abort.trigger()
    thread.join(5)
    assert time.monotonic() - started < 1.0
    assert isinstance(outcome[0], DownloadCancelled)
    assert list(tmp_path.iterdir()) == []            # its temporary file is gone


def test_a_stalled_mirror_is_given_up_and_the_next_one_used(faulty_mirror, tmp_path, mnist_dir):
    pace = Pace(stall_seconds=0.5, grace_seconds=60)
    started = time.monotonic()
    list(iter_download(tmp_path, [faulty_mirror.url("stall"), mnist_dir.as_uri()], pace))
    assert time.monotonic() - started < 10
    assert all(file_is_valid(tmp_path / name) for name in FILE_NAMES.values())
    assert not any(is_temporary(p) for p in tmp_path.iterdir())


def test_a_trickling_mirror_fails_on_the_minimum_throughput(faulty_mirror, tmp_path):
    pace = Pace(stall_seconds=60, grace_seconds=0.5, min_bytes_per_second=1000)
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"too slow: .*\(at least 1 kB/s"):
        list(iter_download(tmp_path, [faulty_mirror.url("drip")], pace))
    assert time.monotonic() - started < 3
    assert list(tmp_path.iterdir()) == []


def test_a_silent_mirror_times_out_with_a_plain_message(faulty_mirror, tmp_path):
    with pytest.raises(DownloadError, match="stopped answering"):
        list(iter_download(tmp_path, [faulty_mirror.url("silent")], Pace(stall_seconds=0.5)))


def test_a_cancelled_job_removes_only_its_own_temporary_file(faulty_mirror, tmp_path, mnist_dir):
    """The old job winding down must not delete the file of the download that replaced it."""
    old_abort = Abort()
    old, old_outcome = run_in_thread(tmp_path, [faulty_mirror.url("stall")], PATIENT, old_abort)
    assert faulty_mirror.requests.wait(5)
    new = iter_download(tmp_path, [mnist_dir.as_uri()])
    for record in new:
        if record.bytes_done > 100_000:
            break
    old_abort.trigger()                              # the old job ends while the new one is mid-file
    old.join(5)
    assert isinstance(old_outcome[0], DownloadCancelled)
    for _record in new:
        pass
    assert all(file_is_valid(tmp_path / name) for name in FILE_NAMES.values())
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES.values())


def test_a_symlink_named_like_the_partial_file_is_never_followed(tmp_path, mnist_dir):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "mnist"
    target.mkdir()
    for name in FILE_NAMES.values():
        (target / f"{name}.part").symlink_to(victim)
    list(iter_download(target, [mnist_dir.as_uri()]))
    assert victim.read_text() == "precious"
    assert all(file_is_valid(target / name) for name in FILE_NAMES.values())
