"""The files Descent Lab reads at run time: lesson texts, pretrained models and the icon.

They live in this folder of the repository (lessons/, models/, icons/) and travel inside the wheel
and the sdist as package data. Code asks for them here, through ``importlib.resources``, and never
builds a path from its own location: that works in a checkout, in site-packages and inside a zip.
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = ["ICON", "asset"]

#: The app's icon, for the window and for the desktop menu entry.
ICON = ("icons", "descent-lab.svg")


def asset(*parts: str) -> Traversable:
    """The shipped file assets/PART/…, e.g. ``asset("lessons", "mnist.md")``; it may not exist
    (``is_file()``), and may not be a real file on disk (open it, or use ``importlib.resources.as_file``)."""
    found = files(__name__)
    for part in parts:  # one part at a time: Python 3.10's Traversable.joinpath takes one
        found = found / part
    return found
