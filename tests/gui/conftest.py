"""Helpers for every GUI test: put a widget on screen as a user would see it, and open a lesson tab."""

from __future__ import annotations

import pytest

from gui.worker import stop_all_jobs


@pytest.fixture
def show(qtbot):
    """``show(widget, width=None, height=None)``: the widget, closed after the test and kept alive
    until then, sized, on screen and exposed: plots map clicks and views know their size only then."""
    shown = []

    def show(widget, width: int | None = None, height: int | None = None):
        qtbot.addWidget(widget)
        shown.append(widget)
        if width is not None:
            widget.resize(width, height)
        widget.show()
        qtbot.waitExposed(widget)
        return widget

    return show


@pytest.fixture
def open_tab(show):
    """``open_tab(tab, width=1300, height=850)``: a lesson tab on screen, shut down after the test so
    no job of it outlives the test."""
    opened = []

    def open_tab(tab, width: int = 1300, height: int = 850):
        opened.append(show(tab, width, height))
        return tab

    yield open_tab
    for tab in opened:
        tab.shutdown()
    assert stop_all_jobs()  # as the window's close does after asking every tab
