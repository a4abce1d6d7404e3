"""The Qt side of Descent Lab: a window onto the engine. Long work always runs in a worker thread."""
