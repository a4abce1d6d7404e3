"""Trial and error: nudge each parameter up, else down, and keep only what lowers the loss.

The method of the lesson "why use gradients instead of simple trial and error" (coordinate
search). A *sweep* visits every one of the P parameters in turn:

    try θᵢ + s: keep it if the loss falls;
    else try θᵢ − s: keep it if the loss falls;
    else leave θᵢ as it was.

The loss only ever says "better" or "worse", never how much or which way, so the step s cannot
follow the slope. Two step rules:

* ``fixed`` (the lesson's): s never changes. A sweep that keeps nothing proves that no ±s change
  helps any more (the next sweep would try exactly the same points), so the search ends there.
* ``halve`` (the usual refinement): when a whole sweep keeps nothing, s is halved and the search
  goes on, more finely, until s is below ``min_step`` or the budget is spent.

A sweep costs at most 2 loss evaluations per parameter (1 when the first try works), where a
gradient gives all P directions from one forward and one backward pass; and the path moves along
one axis at a time, a staircase.

Any model plugs in as a ``CoordinateProblem``: ``FlatCoordinates`` wraps a loss of stacked
candidates (K, P) — the Random Search model, the line fit — and ``NetworkCoordinates`` an engine
``Network``, nudging one weight in place. Tries are evaluated in batches where that is faster:
the ± tries of the next few parameters are all computed from the current weights, then walked in
order; at the first change kept the walk stops, and the tries after it (made from weights that are
now outdated) are made again. Batching therefore changes the speed, never the path or the count:
``evaluations`` counts the tries of the method itself, exactly what trying one at a time spends,
plus one for the starting loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Protocol

import numpy as np

STEP_RULES = ("fixed", "halve")
STEP_RULE_TITLES = {"fixed": "fixed (the lesson's)", "halve": "halve when stuck"}
STEP_RULE_DESCRIPTIONS = {"fixed": "the step never changes; the search ends when a whole sweep keeps nothing",
                          "halve": "when a whole sweep keeps nothing, the step is halved and the search goes on"}
MIN_STEP_FRACTION = 1e-6   # the halve rule ends when s falls below this share of the first step

#: Why a search ended (``TrialResult.reason``).
REASONS = {"budget": "budget spent",
           "sweeps": "sweeps done",
           "stuck": "stuck: no ±step change of one parameter lowers the loss",
           "smallest step": "step halved below the smallest",
           "stopped": "stopped"}


def ended_because(reason: str, step: float) -> str:
    """Why a search ended, in words, with its step written in: REASONS[reason] for people."""
    return REASONS[reason].replace("±step", f"±{step:g}")


class CoordinateProblem(Protocol):
    """What trial and error needs from a model: tries of single-parameter changes, and keeping one."""

    size: int

    def losses(self, index: np.ndarray, change: np.ndarray) -> np.ndarray:
        """Loss of the current weights with weights[index[k]] += change[k], one k at a time: (K,)."""

    def apply(self, index: int, change: float) -> None:
        """Keep the change weights[index] += change."""


class FlatCoordinates:
    """Weights held as one flat vector (P,), scored by a loss of stacked candidates (K, P) -> (K,)."""

    def __init__(self, batched_loss: Callable[[np.ndarray], np.ndarray], weights: np.ndarray):
        self.batched_loss = batched_loss
        self.weights = np.array(weights, dtype=np.float64).ravel()
        self.size = self.weights.size

    def losses(self, index: np.ndarray, change: np.ndarray) -> np.ndarray:
        candidates = np.repeat(self.weights[None, :], len(index), axis=0)
        candidates[np.arange(len(index)), index] += change
        return np.asarray(self.batched_loss(candidates), dtype=np.float64)

    def apply(self, index: int, change: float) -> None:
        self.weights[index] += change


class NetworkCoordinates:
    """An engine ``Network`` on one batch (x, y); a try nudges one weight in place, runs a forward
    pass, and puts the weight back (a network evaluates one set of weights per pass)."""

    def __init__(self, network, x: np.ndarray, y: np.ndarray):
        self.network, self.x, self.y = network, x, y
        self._flat = [p.value.reshape(-1) for p in network.parameters()]  # views into the weights
        sizes = [f.size for f in self._flat]
        self.size = int(sum(sizes))
        # flat index -> (which array, where in it), looked up once per try
        self._owner = np.repeat(np.arange(len(sizes)), sizes).tolist()
        self._offset = np.concatenate([np.arange(n) for n in sizes] or [np.zeros(0, int)]).tolist()

    def loss(self) -> float:
        return float(self.network.loss_value(self.x, self.y))

    def losses(self, index: np.ndarray, change: np.ndarray) -> np.ndarray:
        out = np.empty(len(index))
        for k, (i, delta) in enumerate(zip(index.tolist(), change.tolist())):
            flat, j = self._flat[self._owner[i]], self._offset[i]
            original = flat[j]
            flat[j] = original + delta
            out[k] = self.loss()
            flat[j] = original
        return out

    def apply(self, index: int, change: float) -> None:
        self._flat[self._owner[index]][self._offset[index]] += change


@dataclass(frozen=True)
class Move:
    """One change kept: parameter ``parameter`` moved by ``change`` (±step), found at ``evaluation``."""

    evaluation: int   # loss evaluations spent when it was found, the start's included
    parameter: int
    change: float
    loss: float       # the loss after the change


@dataclass(frozen=True)
class TrialRecord:
    """Progress after one batch of tries (small: the moves since the last record, not the weights)."""

    evaluations: int          # loss evaluations so far, the start's included
    sweeps: int               # complete sweeps
    step: float               # the step size in use now
    loss: float               # loss of the current weights
    moves: tuple[Move, ...]   # changes kept since the previous record, in order


@dataclass(frozen=True)
class TrialResult:
    """How a search ended. The weights are in the problem it was given."""

    evaluations: int
    sweeps: int
    moves: int
    step: float
    loss: float
    start_loss: float
    reason: str               # a key of REASONS


def trial_and_error(problem: CoordinateProblem, step: float, rule: str = "fixed",
                    max_evaluations: int | None = None, max_sweeps: int | None = None,
                    start_loss: float | None = None, batch: int = 32, min_step: float | None = None,
                    should_stop: Callable[[], bool] | None = None) -> Iterator[TrialRecord]:
    """Run trial and error on ``problem``, changing its weights; yields a record per batch of tries.

    ``max_evaluations`` counts the start's loss too. ``batch`` is how many parameters' tries are
    evaluated together at most; 1 tries one point at a time and −step only after +step failed,
    which is right for a problem that evaluates one point per pass anyway (``NetworkCoordinates``).
    ``start_loss`` saves the first evaluation when the caller knows it. Returns a ``TrialResult``.
    """
    _check(step, rule, max_evaluations, max_sweeps, batch)
    size = int(problem.size)
    min_step = float(step) * MIN_STEP_FRACTION if min_step is None else float(min_step)
    budget = np.inf if max_evaluations is None else int(max_evaluations)
    if start_loss is None:
        start_loss = float(problem.losses(np.zeros(1, dtype=np.intp), np.zeros(1))[0])
    state = _Walk(problem, float(start_loss), budget)
    sweeps, position, kept_in_sweep = 0, 0, False
    # Parameters per batch: one right after a change (tried lazily, −step only if +step failed: while
    # changes are kept often, speculation is mostly wasted), doubling while nothing is kept.
    block = 1
    reason = ""
    while not reason:
        if should_stop is not None and should_stop():
            reason = "stopped"
            break
        count = min(block, size - position)  # never past the sweep's end: the step may change there
        found, finished = state.walk(position, count, step, lazy=count == 1)
        kept_in_sweep = kept_in_sweep or found is not None
        position += finished
        block = 1 if found is not None else min(batch, 2 * block)
        if position >= size:
            sweeps, position = sweeps + 1, 0
            if max_sweeps is not None and sweeps >= max_sweeps:
                reason = "sweeps"
            elif not kept_in_sweep:
                if rule == "fixed":
                    reason = "stuck"
                else:
                    step /= 2
                    reason = "smallest step" if step < min_step else ""
            kept_in_sweep = False
        if state.evaluations >= budget and not reason:
            reason = "budget"
        yield TrialRecord(state.evaluations, sweeps, float(step), state.loss,
                          () if found is None else (found,))
    return TrialResult(state.evaluations, sweeps, state.moves, float(step), state.loss,
                       float(start_loss), reason)


class _Walk:
    """The current loss and the count of evaluations and moves, and one batch's walk through tries."""

    def __init__(self, problem: CoordinateProblem, loss: float, budget: float):
        self.problem, self.loss, self.budget = problem, loss, budget
        self.evaluations, self.moves = 1, 0

    def walk(self, first: int, count: int, step: float, lazy: bool) -> tuple[Move | None, int]:
        """Try parameters first … first+count−1 in order, +step then −step, until a change is kept.

        Returns the move kept (or None) and how many parameters were dealt with completely.
        Batched: all 2·count tries are computed at once; lazy: one try per evaluation.
        """
        index = np.repeat(np.arange(first, first + count), 2)
        change = np.tile([step, -step], count)
        tried = None if lazy else self.problem.losses(index, change)
        for k in range(2 * count):
            if self.evaluations >= self.budget:
                return None, k // 2
            self.evaluations += 1
            loss = tried[k] if tried is not None else self.problem.losses(index[k:k + 1], change[k:k + 1])[0]
            if loss < self.loss:
                self.loss = float(loss)
                self.moves += 1
                self.problem.apply(int(index[k]), float(change[k]))
                return Move(self.evaluations, int(index[k]), float(change[k]), self.loss), k // 2 + 1
        return None, count


def _check(step, rule, max_evaluations, max_sweeps, batch) -> None:
    if not np.isfinite(step) or step <= 0:
        raise ValueError(f"the step must be a positive number, got {step}")
    if rule not in STEP_RULES:
        raise ValueError(f"unknown step rule {rule!r}; choose {' or '.join(STEP_RULES)}")
    if max_evaluations is not None and int(max_evaluations) < 1:
        raise ValueError(f"the budget must be at least 1 loss evaluation, got {max_evaluations}")
    if max_sweeps is not None and int(max_sweeps) < 1:
        raise ValueError(f"sweeps must be at least 1, got {max_sweeps}")
    if int(batch) < 1:
        raise ValueError(f"the batch must be at least 1 parameter, got {batch}")
