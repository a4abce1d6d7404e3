"""Driving the engine's generators: to the end, or record by record keeping the outcome."""

from engine.loops import Returning, drive


def counting(n):
    for i in range(n):
        yield i
    return f"counted {n}"


def test_drive_returns_the_outcome():
    assert drive(counting(3)) == "counted 3"


def test_returning_gives_the_records_and_then_the_outcome():
    run = Returning(counting(3))
    assert run.result is None
    assert list(run) == [0, 1, 2]
    assert run.result == "counted 3"
