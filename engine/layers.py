"""Layers: the building blocks a network is stacked from.

The contract every layer keeps:

* ``forward(x)`` computes the output and caches what ``backward`` will need;
* ``backward(grad_out)`` receives dL/d(output), stores dL/d(parameter) in each
  ``Parameter.grad`` and returns dL/d(input) for the layer below;
* nothing here ever changes a weight: that is the optimizer's job.

Shapes: inputs are batches, ``x`` has shape (N, features).
"""

from __future__ import annotations

import numpy as np

from engine.parameters import Parameter

INITIALISATIONS = ("small", "xavier", "he")


def as_generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    """Accept a Generator, a seed or None so callers can inject randomness."""
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


class Layer:
    """Base class: a layer without parameters passes gradients straight through."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def input_gradient(self, grad_out: np.ndarray) -> np.ndarray:
        """dL/d(input) alone, leaving any parameter gradients as they were.

        What a question about the *input* needs (which pixels matter, where to push an image);
        a layer without parameters has nothing else to compute, so this is its backward pass.
        """
        return self.backward(grad_out)

    def parameters(self) -> list[Parameter]:
        return []

    def spec(self) -> dict:
        """A JSON-able description from which the layer can be rebuilt."""
        return {"type": type(self).__name__.lower()}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Dense(Layer):
    """A fully connected layer: y = x·W + b, with W of shape (n_in, n_out).

    Initialisations:
      * ``small``  – 0.01·N(0, 1), as in *Neural Networks from Scratch*;
      * ``xavier`` – N(0, 1)·sqrt(1/n_in) (Xavier/LeCun), keeps the signal's variance for tanh/sigmoid;
      * ``he``     – N(0, 1)·sqrt(2/n_in), the same idea for ReLU, which zeroes half its inputs.
    Biases start at zero.
    """

    def __init__(self, n_in: int, n_out: int, init: str = "small",
                 rng: np.random.Generator | int | None = None, dtype=np.float64):
        if init not in INITIALISATIONS:
            raise ValueError(f"unknown initialisation {init!r}; choose one of {', '.join(INITIALISATIONS)}")
        if n_in < 1 or n_out < 1:
            raise ValueError(f"a Dense layer needs positive sizes, got {n_in}→{n_out}")
        self.n_in, self.n_out, self.init = int(n_in), int(n_out), init
        scale = {"small": 0.01, "xavier": np.sqrt(1.0 / n_in), "he": np.sqrt(2.0 / n_in)}[init]
        weights = scale * as_generator(rng).standard_normal((n_in, n_out))
        self.weights = Parameter(weights.astype(dtype), "weights")
        self.biases = Parameter(np.zeros(n_out, dtype=dtype), "biases")
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self._x = x
        return x @ self.weights.value + self.biases.value

    def backward(self, grad_out: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        # y = xW + b  =>  dL/dW = xᵀ·dL/dy,  dL/db = Σ_rows dL/dy,  dL/dx = dL/dy·Wᵀ
        self.weights.grad = self._x.T @ grad_out
        self.biases.grad = grad_out.sum(axis=0)
        # The first layer's input is the data, whose gradient nobody needs: skipping it saves a
        # third of that layer's work, the largest layer of an MNIST network.
        return self.input_gradient(grad_out) if need_input_grad else None

    def input_gradient(self, grad_out: np.ndarray) -> np.ndarray:
        return grad_out @ self.weights.value.T

    def parameters(self) -> list[Parameter]:
        return [self.weights, self.biases]

    def spec(self) -> dict:
        return {"type": "dense", "n_in": self.n_in, "n_out": self.n_out, "init": self.init}

    def __repr__(self) -> str:
        return f"Dense({self.n_in}→{self.n_out})"
