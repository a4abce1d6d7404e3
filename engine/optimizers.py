"""Optimizers: how a gradient becomes a change of the weights.

An optimizer is given the parameters once and keeps whatever memory it needs (momentum, running
averages) itself; layers stay unaware of it. ``step()`` applies the gradients currently stored in
each ``Parameter.grad``. The basic rule is always w ← w − η·∂L/∂w; the variants differ in η and in
what they use in place of the raw gradient.

``OPTIMIZERS`` is the one registry of the names the whole program uses (command line, window,
reports): ``sgd``, ``momentum`` and ``adam``, each with its title and its defaults. Older spellings
a user may have typed or stored (``gd``) are accepted by ``canonical_optimizer``.

How η changes during training is a *schedule*: a callable from the step count t to a factor on η.
The default shrinks η as 1/(1 + decay·t) (constant when decay is 0); ``CosineDecay`` brings it
smoothly to zero at the end of a run of known length.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

import numpy as np

from engine.parameters import Parameter


class InverseTimeDecay:
    """Factor 1/(1 + decay·t): large steps early, finer ones later, never quite zero."""

    def __init__(self, decay: float = 0.0):
        if not np.isfinite(decay) or decay < 0:
            raise ValueError(f"decay must be zero or positive, got {decay}")
        self.decay = float(decay)

    def __call__(self, step: int) -> float:
        return 1.0 / (1.0 + self.decay * step)


class CosineDecay:
    """Factor ½(1 + cos(π·t/T)) over a run of T steps, then 0.

    Big steps while the weights are far from good, ever finer ones as the run ends, so the last
    epochs settle into a minimum instead of rattling around it at full step size. It needs the
    run's length, which is why it is built by whoever knows the epochs and the data size.
    """

    def __init__(self, steps: int):
        if int(steps) < 1:
            raise ValueError(f"a cosine schedule needs at least 1 step, got {steps}")
        self.steps = int(steps)

    def __call__(self, step: int) -> float:
        return 0.5 * (1.0 + math.cos(math.pi * min(step, self.steps) / self.steps))


class Optimizer:
    def __init__(self, params: list[Parameter], learning_rate: float, decay: float = 0.0,
                 schedule: Callable[[int], float] | None = None):
        if not np.isfinite(learning_rate) or learning_rate <= 0:
            raise ValueError(f"learning rate must be a positive number, got {learning_rate}")
        if schedule is not None and decay:
            raise ValueError("give either a decay or a schedule, not both")
        self.params = list(params)
        self.learning_rate = float(learning_rate)
        self.schedule = schedule if schedule is not None else InverseTimeDecay(decay)
        self.decay = float(decay)
        self.iterations = 0

    @property
    def current_learning_rate(self) -> float:
        """η_t = η · schedule(t), t = the steps taken so far."""
        return self.learning_rate * self.schedule(self.iterations)

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

    def __init__(self, params, learning_rate: float = 1.0, decay: float = 0.0, momentum: float = 0.0,
                 schedule: Callable[[int], float] | None = None):
        super().__init__(params, learning_rate, decay, schedule)
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
                 beta1: float = 0.9, beta2: float = 0.999, epsilon: float = 1e-7,
                 schedule: Callable[[int], float] | None = None):
        super().__init__(params, learning_rate, decay, schedule)
        self.beta1, self.beta2, self.epsilon = float(beta1), float(beta2), float(epsilon)
        self._m = [np.zeros_like(p.value) for p in self.params]
        self._v = [np.zeros_like(p.value) for p in self.params]
        self._scratch = [np.empty_like(p.value) for p in self.params]  # reused every step: no allocations

    def _update(self, i, p, lr):
        # The bias corrections are scalars, so they are folded into the step size instead of
        # dividing whole arrays by them (the Adam paper's own efficient form, the same update):
        #   m̂/(√v̂ + ε) = [√(1−β2^t)/(1−β1^t)] · m/(√v + ε·√(1−β2^t))
        t = self.iterations + 1
        m, v, work = self._m[i], self._v[i], self._scratch[i]
        correction = np.sqrt(1 - self.beta2 ** t)
        m *= self.beta1
        np.multiply(p.grad, 1 - self.beta1, out=work)
        m += work
        v *= self.beta2
        np.multiply(p.grad, p.grad, out=work)
        work *= 1 - self.beta2
        v += work
        np.sqrt(v, out=work)
        work += self.epsilon * correction
        np.divide(m, work, out=work)
        work *= lr * correction / (1 - self.beta1 ** t)
        p.value -= work


#: μ of the "momentum" optimizer: each step keeps 90 % of the previous one (the usual choice).
MOMENTUM = 0.9


@dataclass(frozen=True)
class OptimizerKind:
    """One registry entry: the canonical name, how to show it, and how to build it.

    `title` labels a choice in the window and in --help; `phrase` names it inside a sentence.
    `defaults` are the constructor options that make this kind what it is (momentum's μ);
    options given to `build` override them.
    """

    name: str
    title: str
    phrase: str
    description: str
    factory: type[Optimizer]
    defaults: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "defaults", MappingProxyType(dict(self.defaults)))

    def build(self, params: list[Parameter], **options) -> Optimizer:
        return self.factory(params, **{**self.defaults, **options})


OPTIMIZERS: dict[str, OptimizerKind] = {kind.name: kind for kind in (
    OptimizerKind("sgd", "Gradient descent", "gradient descent",
                  "plain steps against the gradient, w ← w − η·g", SGD),
    OptimizerKind("momentum", f"Momentum (μ = {MOMENTUM:g})", "momentum",
                  "a velocity that keeps part of every earlier step", SGD, {"momentum": MOMENTUM}),
    OptimizerKind("adam", "Adam", "Adam",
                  "momentum plus a step size per parameter from the gradient's typical size", Adam),
)}

#: Spellings from earlier versions: `descent --optimizer gd` and the Gradient Descent tab called plain
#: gradient descent "gd".
OPTIMIZER_ALIASES = {"gd": "sgd"}


def canonical_optimizer(name: str) -> str:
    """The registry name for `name` (any case, old spellings accepted); ValueError when unknown."""
    key = str(name).strip().lower()
    key = OPTIMIZER_ALIASES.get(key, key)
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    return key


def optimizer_kind(name: str) -> OptimizerKind:
    """The registry entry for `name` (see `canonical_optimizer`)."""
    return OPTIMIZERS[canonical_optimizer(name)]


def make_optimizer(name: str, params: list[Parameter], **options) -> Optimizer:
    """Build a registry optimizer by name; options (learning_rate, decay, ...) override its defaults."""
    return optimizer_kind(name).build(params, **options)
