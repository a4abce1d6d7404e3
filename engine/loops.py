"""Running the engine's long work to the end.

Long work in the engine (training, searching, measuring a gradient's cost) is a generator: the
caller drives it, sees a small record after each piece, and may stop between pieces. A caller that
only wants the outcome (a script, the command line, a test) runs it to the end with ``drive``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

Result = TypeVar("Result")


def drive(steps: Generator[object, None, Result]) -> Result:
    """Run a generator to the end, ignoring what it yields, and return its return value."""
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value
