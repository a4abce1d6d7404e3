"""Keep PySide6 6.12 on Python 3.11 from aborting after a few thousand signals.

Measured here with PySide6 6.12.0 on CPython 3.11: every ``SignalInstance.emit()`` drops one
reference to ``True`` that it never took, and pyqtgraph's ``setData`` path drops several to
``None``. Nothing else goes wrong until the count reaches zero; then the interpreter stops with
"Fatal Python error: bool_dealloc: deallocating True or False" (a live plot gets there within
a minute). From Python 3.12 on these objects are immortal and the bug is harmless.

The guard adds a very large number to the reference counts of ``None``, ``True`` and ``False``
once, so that no run can ever bring them to zero. It touches nothing else, and does nothing on
Python 3.12+ or on interpreters other than CPython.
"""

from __future__ import annotations

import ctypes
import sys

_PADDING = 1 << 40  # a trillion lost references: centuries of signals
_applied = False


def protect_singletons() -> bool:
    """Apply the guard once; returns True when it was needed and applied."""
    global _applied
    if _applied or sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object (release builds).
        ctypes.c_ssize_t.from_address(id(singleton)).value += _PADDING
    _applied = True
    return True
