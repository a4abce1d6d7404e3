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
    """Ask for one BLAS thread unless the user chose a number; False when it came too late to apply.

    Any one of the variables set by the user counts as their choice (OpenBLAS reads
    OPENBLAS_NUM_THREADS before OMP_NUM_THREADS, so setting only the first would override theirs).
    """
    if "numpy" in sys.modules:
        return False
    if not any(os.environ.get(name) for name in BLAS_THREAD_VARIABLES):
        for name in BLAS_THREAD_VARIABLES:
            os.environ[name] = "1"
    return True
