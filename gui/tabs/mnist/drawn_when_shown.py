"""Draw a view only when it is on screen: the pages and sections of the MNIST tab that follow
every stroke of a drawing.

A drawing update reaches every page and section, but only the one shown needs drawing now; the
others draw once, with the newest data, when they are shown. This keeps a stroke's cost to what
the user can see.
"""

from __future__ import annotations


class DrawnWhenShown:
    """Mixin for a QWidget with a `draw()` method: call `request_draw()` instead of `draw()`."""

    _stale = False

    def draw(self) -> None:
        raise NotImplementedError

    def request_draw(self) -> None:
        """Draw now if on screen, otherwise the next time the widget is shown."""
        if self.isVisible():
            self._stale = False
            self.draw()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.draw()
