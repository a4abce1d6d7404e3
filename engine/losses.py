"""Loss functions: one number that says how wrong the network is, and its gradient.

Every loss averages over the samples of a batch, so its size does not depend on the batch size.
How it treats the outputs of one sample differs, and the difference matters for the learning rate:

* ``MeanSquaredError``  – mean over samples *and* outputs: L = 1/(N·C) Σ (ŷ − y)².
* ``SumSquaredError``   – the 3Blue1Brown "cost": the *sum* of squared differences over the outputs
  of one sample, averaged over samples: L = 1/N Σ_samples Σ_outputs (ŷ − y)². It is C times the MSE.
* ``CategoricalCrossEntropy`` – −1/N Σ log p[correct class], on probabilities.
* ``SoftmaxCrossEntropy`` – softmax and cross-entropy fused, on raw scores (logits). The fused
  gradient is simply (p − y)/N, which is both cheaper and numerically safer than chaining the two.

Classification targets may be integer labels of shape (N,) or one-hot rows of shape (N, C).
"""

from __future__ import annotations

import numpy as np

from engine.activations import softmax

_PROBABILITY_FLOOR = 1e-7  # log(0) is −inf; clip probabilities as the book does


def one_hot(labels: np.ndarray, classes: int, dtype=np.float64) -> np.ndarray:
    out = np.zeros((labels.shape[0], classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return out


def _as_one_hot(target: np.ndarray, output: np.ndarray) -> np.ndarray:
    if target.ndim == 1:
        return one_hot(target.astype(np.int64, copy=False), output.shape[1], output.dtype)
    return target.astype(output.dtype, copy=False)


class Loss:
    takes_logits = False
    name = "loss"

    def forward(self, output: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self, output: np.ndarray, target: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MeanSquaredError(Loss):
    name = "mse"

    def _target(self, output, target):
        if target.ndim == 1 and output.ndim == 2 and output.shape[1] > 1:
            return _as_one_hot(target, output)  # class labels against several outputs
        return target.reshape(output.shape).astype(output.dtype, copy=False)

    def forward(self, output, target):
        diff = output - self._target(output, target)
        return float(np.mean(diff ** 2))

    def backward(self, output, target):
        return 2.0 * (output - self._target(output, target)) / output.size


class SumSquaredError(MeanSquaredError):
    name = "sse"

    def forward(self, output, target):
        diff = output - self._target(output, target)
        return float(np.sum(diff ** 2) / output.shape[0])

    def backward(self, output, target):
        return 2.0 * (output - self._target(output, target)) / output.shape[0]


class CategoricalCrossEntropy(Loss):
    name = "cce"

    def forward(self, output, target):
        p = np.clip(output, _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)
        y = _as_one_hot(target, output)
        return float(-np.sum(y * np.log(p)) / output.shape[0])

    def backward(self, output, target):
        p = np.clip(output, _PROBABILITY_FLOOR, 1 - _PROBABILITY_FLOOR)
        return -_as_one_hot(target, output) / p / output.shape[0]


class SoftmaxCrossEntropy(Loss):
    name = "softmax_ce"
    takes_logits = True

    def __init__(self):
        self._cached: tuple[np.ndarray, np.ndarray] | None = None  # (output, its softmax) from forward

    def forward(self, output, target):
        # log softmax without forming probabilities that could underflow to 0
        shifted = output - output.max(axis=1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=1, keepdims=True)
        self._cached = (output, exp / total)  # backward usually follows: keep p instead of recomputing it
        if target.ndim == 1:  # only the correct class's log-probability is needed
            rows = np.arange(output.shape[0])
            return float(np.mean(np.log(total[:, 0]) - shifted[rows, target]))
        return float(-np.sum(target * (shifted - np.log(total))) / output.shape[0])

    def backward(self, output, target):
        if self._cached is not None and self._cached[0] is output:
            p = self._cached[1]
            self._cached = None
        else:
            p = softmax(output)
        if target.ndim == 1:
            p[np.arange(output.shape[0]), target] -= 1
        else:
            p -= target
        return p / output.shape[0]


LOSSES = {
    "mse": MeanSquaredError,
    "sse": SumSquaredError,
    "cce": CategoricalCrossEntropy,
    "softmax_ce": SoftmaxCrossEntropy,
}


def make_loss(name: str) -> Loss:
    try:
        return LOSSES[name]()
    except KeyError:
        raise ValueError(f"unknown loss {name!r}; choose one of {', '.join(LOSSES)}") from None
