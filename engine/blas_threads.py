"""One BLAS thread unless the user asks for more, because this engine's matrices are small.

A training step here multiplies a batch of 32-128 images by a 784x16 matrix: far too little work to
split between threads. OpenBLAS starts one thread per core anyway, and its idle threads spin while
they wait for work, so on a 2-core laptop they take the CPU the window's thread needs to repaint
(measured with benchmarks/ui_latency.py). The setting is read once, when NumPy is first imported,
so this must run before anything imports NumPy.
"""

from __future__ import annotations

import os
import sys

BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def prefer_single_blas_thread() -> bool:
    """Ask for one BLAS thread where the user set nothing; False when NumPy was already loaded."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    return "numpy" not in sys.modules
