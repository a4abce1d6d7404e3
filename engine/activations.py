"""Activation functions as layers (forward + backward), and the plain functions behind them.

Without a non-linearity between them, stacked Dense layers collapse into one linear map; these
layers are what let a network bend its decision boundary.
"""

from __future__ import annotations

import numpy as np

from engine.layers import Layer


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^(−z)), computed without overflow for large |z|."""
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    ez = np.exp(z[~positive])
    out[~positive] = ez / (1.0 + ez)
    return out


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax. Subtracting the row maximum changes nothing mathematically but keeps exp finite."""
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


class ReLU(Layer):
    """max(0, z): passes positive inputs, blocks negative ones (and their gradient)."""

    def forward(self, x):
        self._mask = x > 0
        return np.maximum(x, 0)

    def backward(self, grad_out):
        return grad_out * self._mask


class Sigmoid(Layer):
    """Squashes to (0, 1); the 3Blue1Brown network uses it everywhere. σ' = σ(1 − σ)."""

    def forward(self, x):
        self._out = sigmoid(x)
        return self._out

    def backward(self, grad_out):
        return grad_out * self._out * (1 - self._out)


class Tanh(Layer):
    """Squashes to (−1, 1), centred on zero. tanh' = 1 − tanh²."""

    def forward(self, x):
        self._out = np.tanh(x)
        return self._out

    def backward(self, grad_out):
        return grad_out * (1 - self._out ** 2)


class Softmax(Layer):
    """Turns scores into probabilities that sum to one along each row.

    Backward applies the Jacobian diag(p) − p·pᵀ row by row without building it:
    dL/dz = p ⊙ (g − Σ g⊙p).
    """

    def forward(self, x):
        self._out = softmax(x)
        return self._out

    def backward(self, grad_out):
        p = self._out
        return p * (grad_out - (grad_out * p).sum(axis=1, keepdims=True))


ACTIVATIONS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh, "softmax": Softmax}


def make_activation(name: str) -> Layer:
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
