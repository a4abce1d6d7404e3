"""The tab contract: everything the main window may ask of a lesson tab, and nothing more.

Every lesson tab is a ``LessonTab``. The window calls these hooks directly and reads ``supports``
to enable only the Run menu entries (and their keys) that mean something on the tab shown; a tab
overrides the hooks it declares there and may ignore the others. The window never looks inside a
tab beyond this: a tab's widgets, pages and jobs are its own business.
"""

from __future__ import annotations

import enum

import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from gui.export import plots_in
from gui.worker import JobRunner


class TabAction(enum.Flag):
    """The Run menu's actions, each one a hook of ``LessonTab``."""

    NONE = 0
    RUN = enum.auto()           # Space: toggle_run()
    STEP = enum.auto()          # S: step_once()
    RESET = enum.auto()         # R: reset()
    CLEAR_CANVAS = enum.auto()  # Esc: clear_canvas()
    NUDGE = enum.auto()         # arrow keys: nudge(dx, dy)


class LessonTab(QWidget):
    """Base class of the four lesson tabs (see the module docstring)."""

    #: The Run menu actions this tab offers; the window disables the rest.
    supports: TabAction = TabAction.NONE

    #: Fields of ``remembered_state`` that earlier versions kept under another settings key (field ->
    #: key): read from there (as text) when the tab's own state lacks them, so nothing chosen is lost.
    legacy_settings: dict[str, str] = {}

    # --- the Run menu ----------------------------------------------------------------------------
    def toggle_run(self) -> None:
        """Start the tab's experiment, or pause (or resume) it."""

    def step_once(self) -> None:
        """Advance the experiment by one step."""

    def reset(self) -> None:
        """Back to the starting point."""

    def clear_canvas(self) -> None:
        """Clear what the user drew."""

    def nudge(self, dx: int, dy: int) -> None:
        """Move the tab's point by one notch (dx, dy in -1, 0, 1; dy = 1 is up)."""

    # --- export ----------------------------------------------------------------------------------
    def plots(self) -> list[tuple[str, pg.PlotItem]]:
        """The plots to export and to scale in projector mode, with readable titles: all of them."""
        return plots_in(self)

    def report(self) -> dict:
        """Plain, JSON-friendly numbers behind what the tab shows, for the run report."""
        return {}

    # --- remembered between runs -----------------------------------------------------------------
    def remembered_state(self) -> dict | None:
        """What the window should keep beyond the named controls (found by itself): plain values."""
        return None

    def restore_remembered_state(self, state: dict) -> None:
        """Take back a dict given by ``remembered_state`` (possibly of an older version, edited by
        hand, or the defaults taken when the tab was built). Check each value with
        ``gui.settings_store.state_value``; raise its ``BadSetting`` for one that cannot be used (the
        window then restores the defaults and says so)."""

    # --- closing ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The window is closing: stop timers and cancel every job of the tab, without waiting
        (the window then waits once for all threads, ``gui.worker.stop_all_jobs``).

        A tab with timers of its own overrides this and calls ``super().shutdown()``."""
        for runner in self.findChildren(JobRunner):
            runner.cancel()
