"""Work around a reference-counting bug of PySide6 6.12 on Python 3.11.

PySide6 6.12 hands ``None`` (and ``True``/``False``) back to Python without taking a new reference —
correct on Python 3.12+, where these objects are immortal, but on 3.11 every such call lowers their
reference count by one: ``QObject().parent()``, emitting ``True`` through ``Signal(object)``, and
many calls inside pyqtgraph's drawing. A busy window reaches zero within minutes and the
interpreter aborts with "Fatal Python error: none_dealloc".

``ensure()`` measures whether the running PySide leaks this way and, only then, gives these
singletons a huge reference count — what Python 3.12 does for them anyway — so the leak can never
reach zero. It is a no-op on fixed versions. Call it once before building widgets.
"""

from __future__ import annotations

import ctypes
import sys

# About 10^12: at 100,000 lost references a second this lasts for months.
_FLOOR = 1 << 40
_SINGLETONS = (None, True, False, Ellipsis, NotImplemented)
_applied = False


def leaks_none() -> bool:
    """True if a PySide call returning None drops a reference to None (the 6.12 bug)."""
    if sys.version_info >= (3, 12):
        return False  # None is immortal: nothing can go wrong
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.parent()
    return sys.getrefcount(None) < before


def ensure() -> bool:
    """Make the singletons effectively immortal if this PySide needs it; True if it did."""
    global _applied
    if _applied or not leaks_none():
        return _applied
    for obj in _SINGLETONS:
        refcount = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is the first field of every object
        if refcount.value < _FLOOR:
            refcount.value += _FLOOR
    _applied = True
    return True
