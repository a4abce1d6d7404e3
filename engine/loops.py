"""Running the engine's long work to the end.

Long work in the engine (training, searching, measuring a gradient's cost) is a generator: the
caller drives it, sees a small record after each piece, and may stop between pieces. A caller that
only wants the outcome (a script, the command line, a test) runs it to the end with ``drive``; one
that wants the records and the outcome loops over ``Returning(steps)``.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import Generic, TypeVar

Record = TypeVar("Record")
Result = TypeVar("Result")


def drive(steps: Generator[object, None, Result]) -> Result:
    """Run a generator to the end, ignoring what it yields, and return its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


class Returning(Generic[Record, Result]):
    """Iterate a generator's records with a for loop and keep what it returns, in ``result``.

        run = Returning(steps)
        for record in run: ...
        outcome = run.result
    """

    def __init__(self, steps: Generator[Record, None, Result]):
        self.steps = steps
        self.result: Result | None = None

    def __iter__(self) -> Iterator[Record]:
        self.result = yield from self.steps
