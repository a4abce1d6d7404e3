"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

In this combination every call of a Qt method that returns void (setText, setValue, update, ...)
releases one reference to None that it never took, and Python overrides of Qt virtuals that
return a bool (event handlers) do the same to True. From Python 3.12 on these objects are
immortal and nothing happens; on 3.11 their count reaches zero after some ten thousand such calls
(seconds of a live plot) and the interpreter aborts with "Fatal Python error: none_dealloc" or
"bool_dealloc".

None, True and False are never freed anyway, so we give them a reference count no session can use
up, which is what Python 3.12 does by design. Harmless where the bug is absent.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 60


def keep_none_alive() -> None:
    """Make None, True and False effectively immortal on CPython < 3.12 (idempotent)."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))  # ob_refcnt: PyObject's first field
        if refcount.value < _HEADROOM // 2:
            refcount.value += _HEADROOM
