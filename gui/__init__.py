"""The Qt side of Descent Lab: a window onto the engine. Long work always runs in a worker thread."""

from gui.pyside_refcount_guard import protect_singletons

protect_singletons()  # see gui/pyside_refcount_guard.py: PySide6 6.12 on Python 3.11 loses references
