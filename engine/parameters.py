"""A trainable array together with the gradient backpropagation left for it.

Layers own parameters; optimizers receive the list of parameters and update ``value`` in place.
Keeping the two apart means the app can show a gradient before anything is changed by it.
"""

from __future__ import annotations

import numpy as np


class Parameter:
    """One weight matrix or bias vector and its gradient (same shape)."""

    def __init__(self, value: np.ndarray, name: str = ""):
        self.value = np.ascontiguousarray(value)
        self.grad = np.zeros_like(self.value)
        self.name = name

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    @property
    def size(self) -> int:
        return int(self.value.size)

    def __repr__(self) -> str:
        return f"Parameter({self.name!r}, shape={self.value.shape}, dtype={self.value.dtype})"
