"""Numerical gradients: the slow, obvious way to get a derivative, used to check the fast one.

Nudge one number by ±ε, measure how the loss moves, divide. Central differences
(f(x+ε) − f(x−ε)) / 2ε have error O(ε²) against O(ε) for forward differences, and float64 keeps
round-off small, so agreement to ~1e-7 relative error means backpropagation is right.
It also shows the price: one or two full forward passes for *every* parameter.
"""

from __future__ import annotations

from typing import Callable, Generator, Iterable

import numpy as np

from engine.loops import drive


def iter_numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6,
                            method: str = "central", base: float | None = None,
                            indices: Iterable[int] | None = None
                            ) -> Generator[int, None, tuple[np.ndarray, int]]:
    """∂f/∂x element by element, by perturbing x in place (and restoring it), as a generator.

    Yields the number of evaluations of f so far after each element, so a caller can show
    progress or stop; returns (gradient, evaluations). For forward differences f at the unperturbed
    point is evaluated once first, unless the caller already knows it (``base``). ``indices``
    (positions in x flattened) limits the work to a sample of elements; the others stay 0.
    """
    if method not in ("central", "forward"):
        raise ValueError("method must be 'central' or 'forward'")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    evaluations = 0
    if method == "forward" and base is None:
        base = f()
        evaluations += 1
    for i in range(flat.size) if indices is None else indices:
        original = flat[i]
        flat[i] = original + eps
        up = f()
        if method == "central":
            flat[i] = original - eps
            gflat[i] = (up - f()) / (2 * eps)
            evaluations += 2
        else:
            gflat[i] = (up - base) / eps
            evaluations += 1
        flat[i] = original
        yield evaluations
    return grad, evaluations


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6,
                       method: str = "central") -> tuple[np.ndarray, int]:
    """∂f/∂x for every element of x; returns the gradient and how often f was evaluated
    (P+1 for forward differences, 2P for central)."""
    return drive(iter_numerical_gradient(f, x, eps, method))


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖) over a whole array: scale-free, and 0 when both are exactly zero.

    Taken over the array rather than element by element, so a single gradient entry that is
    almost zero (where round-off dominates any difference quotient) cannot mask agreement.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


def check_layer(layer, x: np.ndarray, seed: int = 0) -> float:
    """Compare a layer's backward pass with central differences of L = Σ (layer(x) · r)."""
    r = np.random.default_rng(seed).standard_normal(layer.forward(x).shape)

    def loss() -> float:
        return float(np.sum(layer.forward(x) * r))

    layer.forward(x)
    grad_x = layer.backward(r)
    analytic = [grad_x] + [p.grad.copy() for p in layer.parameters()]
    numeric = [numerical_gradient(loss, x)[0]] + [numerical_gradient(loss, p.value)[0] for p in layer.parameters()]
    return max(relative_error(a, n) for a, n in zip(analytic, numeric))


def check_loss(loss, output: np.ndarray, target: np.ndarray) -> float:
    analytic = loss.backward(output, target)
    numeric, _ = numerical_gradient(lambda: loss.forward(output, target), output)
    return relative_error(analytic, numeric)


def check_network(net, x: np.ndarray, y: np.ndarray) -> float:
    """Largest relative error (one per parameter array) between backpropagation and central differences over every parameter."""
    net.loss_and_gradients(x, y)
    analytic = net.gradients()
    errors = []
    for p, a in zip(net.parameters(), analytic):
        numeric, _ = numerical_gradient(lambda: net.loss_value(x, y), p.value)
        errors.append(relative_error(a, numeric))
    return max(errors)
