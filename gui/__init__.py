"""The Qt side of Descent Lab: a window onto the engine. Long work always runs in a worker thread."""

from gui.pyside_refcount_fix import keep_none_alive

keep_none_alive()  # before any Qt call: PySide6 6.12 on Python 3.11 leaks references to None
