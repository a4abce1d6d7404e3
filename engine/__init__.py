"""The NumPy engine behind Descent Lab.

Everything a lesson computes lives here: layers, losses, optimizers, data sets, training loops and
the numerical tools that check them. The package never imports Qt, so every experiment can run
headless from the command line or in a test, and the GUI is only a view onto it.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
