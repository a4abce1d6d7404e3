"""Optimizers: how a gradient becomes a change of the weights.

An optimizer is given the parameters once and keeps whatever memory it needs (momentum, running
averages) itself; layers stay unaware of it. ``step()`` applies the gradients currently stored in
each ``Parameter.grad``. The basic rule is always w ← w − η·∂L/∂w; the variants differ in η and in
what they use in place of the raw gradient.
"""

from __future__ import annotations

import numpy as np

from engine.parameters import Parameter


class Optimizer:
    def __init__(self, params: list[Parameter], learning_rate: float, decay: float = 0.0):
        if not np.isfinite(learning_rate) or learning_rate <= 0:
            raise ValueError(f"learning rate must be a positive number, got {learning_rate}")
        if decay < 0:
            raise ValueError(f"decay must be zero or positive, got {decay}")
        self.params = list(params)
        self.learning_rate = float(learning_rate)
        self.decay = float(decay)
        self.iterations = 0

    @property
    def current_learning_rate(self) -> float:
        """η_t = η / (1 + decay·t): large steps early, finer ones later."""
        return self.learning_rate / (1.0 + self.decay * self.iterations)

    def step(self) -> None:
        lr = self.current_learning_rate
        for i, p in enumerate(self.params):
            self._update(i, p, lr)
        self.iterations += 1

    def _update(self, index: int, p: Parameter, lr: float) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum.

    With momentum μ the step keeps a velocity v ← μ·v − η·g and moves w ← w + v, so steps that
    agree add up and steps that flip sign cancel out.
    """

    def __init__(self, params, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0):
        super().__init__(params, learning_rate, decay)
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.momentum = float(momentum)
        self._velocity = [np.zeros_like(p.value) for p in self.params] if momentum else None

    def _update(self, i, p, lr):
        if self._velocity is None:
            p.value -= lr * p.grad
        else:
            v = self._velocity[i]
            v *= self.momentum
            v -= lr * p.grad
            p.value += v


class Adam(Optimizer):
    """Adam: momentum on the gradient (m) plus a per-parameter step size from its typical size (v).

    m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  both bias-corrected, then w ← w − η·m̂/(√v̂ + ε).
    Parameters with small, consistent gradients get relatively larger steps.
    """

    def __init__(self, params, learning_rate: float = 0.001, decay: float = 0.0,
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7):
        super().__init__(params, learning_rate, decay)
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self._m = [np.zeros_like(p.value) for p in self.params]
        self._v = [np.zeros_like(p.value) for p in self.params]

    def _update(self, i, p, lr):
        t = self.iterations + 1
        m, v = self._m[i], self._v[i]
        m *= self.beta1
        m += (1 - self.beta1) * p.grad
        v *= self.beta2
        v += (1 - self.beta2) * p.grad ** 2
        m_hat = m / (1 - self.beta1 ** t)
        v_hat = v / (1 - self.beta2 ** t)
        p.value -= lr * m_hat / (np.sqrt(v_hat) + self.epsilon)


def make_optimizer(name: str, params: list[Parameter], **options) -> Optimizer:
    """Build an optimizer by name: "sgd", "momentum" (SGD with momentum 0.9 unless given) or "adam"."""
    if name == "sgd":
        return SGD(params, **options)
    if name == "momentum":
        options.setdefault("momentum", 0.9)
        return SGD(params, **options)
    if name == "adam":
        return Adam(params, **options)
    raise ValueError(f"unknown optimizer {name!r}; choose one of sgd, momentum, adam")
