"""Keeping the history of a run of any length in bounded memory.

A curve of a million updates cannot be drawn better than one of a few thousand points, and keeping
every record lets memory grow with the run. ``Thinned`` keeps every item until it holds
``capacity``, then every second one, then every fourth, ...: an evenly spaced sample of the whole
run, always with the first item and always with the newest, in at most ``capacity + 1`` items.
"""

from __future__ import annotations

from typing import Generic, TypeVar

__all__ = ["Thinned"]

T = TypeVar("T")


class Thinned(Generic[T]):
    """An evenly spaced sample of at most ``capacity`` (+ the newest) items of a stream."""

    def __init__(self, capacity: int = 20_000):
        if capacity < 2:
            raise ValueError(f"capacity must be at least 2, got {capacity}")
        self.capacity = capacity
        self.stride = 1          # keep item i when i % stride == 0
        self.count = 0           # items seen
        self._kept: list[T] = []
        self._newest: T | None = None

    def add(self, item: T) -> None:
        if self.count % self.stride == 0:
            self._kept.append(item)
            if len(self._kept) > self.capacity:
                del self._kept[1::2]         # indices 0, s, 2s, ... become 0, 2s, 4s, ...
                self.stride *= 2
        self._newest = item
        self.count += 1

    def items(self) -> list[T]:
        """The kept items in order, ending with the newest one seen."""
        if self.count and (self.count - 1) % self.stride != 0:
            return [*self._kept, self._newest]
        return list(self._kept)
