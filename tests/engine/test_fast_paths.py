"""The engine's speed-ups (folded Adam corrections, reused softmax and row indices) must not change
any result: each is checked against the plain textbook computation."""

from __future__ import annotations

import numpy as np
import pytest

from engine.losses import SoftmaxCrossEntropy, one_hot
from engine.activations import softmax
from engine.optimizers import Adam
from engine.parameters import Parameter


def textbook_adam(w, grads, lr, beta1=0.9, beta2=0.999, eps=1e-7):
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


@pytest.mark.parametrize("eps", [1e-7, 1e-1])  # a large epsilon shows where it is added
def test_adam_matches_the_textbook_update(eps):
    rng = np.random.default_rng(4)
    start = rng.standard_normal((5, 3))
    grads = [rng.standard_normal((5, 3)) * scale for scale in (1.0, 0.01, 3.0, 0.5, 1e-4)]
    p = Parameter(start.copy())
    adam = Adam([p], learning_rate=0.05, epsilon=eps)
    for g in grads:
        p.grad = g.copy()
        adam.step()
        assert np.array_equal(p.grad, g), "the optimizer must leave the gradient for display"
    assert np.allclose(p.value, textbook_adam(start, grads, 0.05, eps=eps), rtol=1e-12, atol=1e-12)


def test_adam_keeps_float32_parameters_in_float32():
    p = Parameter(np.ones((4, 4), dtype=np.float32))
    adam = Adam([p], learning_rate=0.01)
    p.grad = np.full((4, 4), 0.5, dtype=np.float32)
    adam.step()
    assert p.value.dtype == np.float32
    assert np.allclose(p.value, 1 - 0.01, atol=1e-6)  # first Adam step moves each weight by about lr


def test_softmax_ce_gradient_is_the_same_with_and_without_the_cached_softmax():
    rng = np.random.default_rng(5)
    z = rng.standard_normal((7, 4)).astype(np.float32)
    labels = rng.integers(0, 4, 7)
    expected = (softmax(z.astype(np.float64)) - one_hot(labels, 4)) / 7
    fresh = SoftmaxCrossEntropy().backward(z, labels)
    loss = SoftmaxCrossEntropy()
    z_before = z.copy()
    loss.forward(z, labels)
    cached = loss.backward(z, labels)
    again = loss.backward(z, labels)  # the cache is used once: a second call recomputes
    assert np.array_equal(z, z_before), "backward must not change the network's output"
    for grad in (fresh, cached, again):
        assert grad.dtype == np.float32
        assert np.allclose(grad, expected, atol=1e-6)


def test_softmax_ce_handles_changing_batch_sizes_and_one_hot_targets():
    rng = np.random.default_rng(6)
    loss = SoftmaxCrossEntropy()
    for n in (5, 3, 5, 1):  # the last batch of an epoch is often shorter
        z = rng.standard_normal((n, 3))
        labels = rng.integers(0, 3, n)
        expected_loss = -np.mean(np.log(softmax(z)[np.arange(n), labels]))
        assert loss.forward(z, labels) == pytest.approx(expected_loss, rel=1e-12)
        assert np.allclose(loss.backward(z, labels), (softmax(z) - one_hot(labels, 3)) / n)
        targets = one_hot(labels, 3)
        assert loss.forward(z, targets) == pytest.approx(expected_loss, rel=1e-12)
        assert np.allclose(loss.backward(z, targets), (softmax(z) - targets) / n)
