"""What one step costs as a model grows: trial and error, exhaustive search, backpropagation.

One step of each method on a model with P parameters, counted in forward passes over the data:

* trial and error tries every parameter up and, when that fails, down: up to 2P passes a sweep;
* trying every combination of up, down or stay for all parameters at once: 3^P passes;
* backpropagation: one forward and one backward pass give all P derivatives. The backward pass
  costs about two forward passes of multiply-adds (``engine.work``), so a step is worth about 3.

Counting is not measuring, so ``step_cost`` also times one trial-and-error sweep against one
backpropagation step, on the Random Search tab's small model (where Python's fixed cost per call
dominates both) and on the 13,002-parameter digit network 784-16-16-10 (where the arithmetic does).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from engine.gradient_cost import DEFAULT_LAYERS, make_batch, time_backprop
from engine.network import build_mlp
from engine.loops import Returning, drive
from engine.search_model import SearchModel, to_network
from engine.trial_and_error import NetworkCoordinates, trial_and_error
from engine.work import BACKWARD_PER_FORWARD, Work

#: One backpropagation step in forward passes of work: forward 1×, backward ≈ 2× (multiply-adds).
BACKPROP_FORWARD_PASSES = float(1 + BACKWARD_PER_FORWARD)
PROGRESS_INTERVAL = 0.05   # seconds between progress records while the digit network is swept


def computed_costs(parameters) -> dict[str, np.ndarray]:
    """Cost of one step, in backpropagation steps, for each number of parameters P (an array).

    {"trial": 2P/3 (a sweep at most), "exhaustive": 3^P/3 (inf once it overflows), "backprop": 1}.
    """
    p = np.asarray(parameters, dtype=np.float64)
    with np.errstate(over="ignore"):
        exhaustive = np.power(3.0, p)
    return {"trial": 2 * p / BACKPROP_FORWARD_PASSES, "exhaustive": exhaustive / BACKPROP_FORWARD_PASSES,
            "backprop": np.ones_like(p)}


@dataclass(frozen=True)
class StepCostProgress:
    """Where the measurement stands: ``done`` of ``parameters`` tried in the sweep being timed."""

    model: str              # "search" (the tab's model) or "digits" (784-16-16-10)
    parameters: int
    done: int
    seconds: float          # of the sweep being timed, so far
    report: dict | None = field(default=None)   # set on the last record


def step_cost(model: SearchModel, X: np.ndarray, y: np.ndarray, weights: np.ndarray, step: float = 0.05,
              batch: int = 32, seed: int = 0, repeats: int = 5, layers=DEFAULT_LAYERS,
              should_stop: Callable[[], bool] | None = None) -> Iterator[StepCostProgress]:
    """Time one trial-and-error sweep against one backprop step on both models; returns the report.

    Both are swept the same way, one forward pass of the engine ``Network`` per try: the small model
    from ``weights`` on the tab's data (the median of ``repeats`` sweeps), the digit network once,
    on a batch of ``batch`` random 28×28 images (``layers`` may name another network). Report: {"models": [one dict per model], "backprop_forward_passes"}; each model has
    name, parameters, sweep_seconds, sweep_evaluations, backprop_seconds and ratio (sweep / backprop),
    and the work counted in multiply-adds: sweep_multiply_adds and backprop_multiply_adds.
    """
    X = np.asarray(X, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    small = _time_small(model, X, np.asarray(y), weights, step, repeats)
    yield StepCostProgress("search", model.size, model.size, small["sweep_seconds"])
    rng = np.random.default_rng(seed)
    network = build_mlp(layers, activation="sigmoid", loss="sse", init="xavier", seed=rng)
    images, labels = make_batch(layers, batch, rng)
    backprop_seconds, _ = time_backprop(network, images, labels)
    problem = NetworkCoordinates(network, images, labels)
    sweep = trial_and_error(problem, step, max_sweeps=1, batch=1, start_loss=problem.loss())
    started = last = time.perf_counter()
    position = 0
    run = Returning(sweep)
    for _record in run:
        position += 1  # one record per parameter when trying one point at a time
        now = time.perf_counter()
        if now - last >= PROGRESS_INTERVAL:
            last = now
            if should_stop is not None and should_stop():
                return None
            yield StepCostProgress("digits", problem.size, position, now - started)
    seconds = time.perf_counter() - started
    digits = _summary("digits", problem.size, seconds, run.result.evaluations - 1, backprop_seconds,
                      Work.dense(layers, batch))
    report = {"models": [small, digits], "backprop_forward_passes": BACKPROP_FORWARD_PASSES}
    yield StepCostProgress("digits", problem.size, problem.size, seconds, report)
    return report


def _time_small(model: SearchModel, X, y, weights, step, repeats) -> dict:
    """The median of a few sweeps from the same weights: one takes only milliseconds."""
    sweeps, tries = [], 0
    for _ in range(max(1, int(repeats))):
        problem = NetworkCoordinates(to_network(model, weights), X, y)
        steps = trial_and_error(problem, step, max_sweeps=1, batch=1, start_loss=problem.loss())
        t0 = time.perf_counter()
        tries = drive(steps).evaluations - 1  # the start's loss is not part of the sweep
        sweeps.append(time.perf_counter() - t0)
    backprop_seconds, _ = time_backprop(to_network(model, weights), X, y)
    return _summary("search", model.size, float(np.median(sweeps)), tries, backprop_seconds,
                    Work.dense(model.layer_sizes, len(X)))


def _summary(name: str, parameters: int, sweep_seconds: float, evaluations: int, backprop_seconds: float,
             work: Work) -> dict:
    return {"name": name, "parameters": int(parameters), "sweep_seconds": float(sweep_seconds),
            "sweep_evaluations": int(evaluations), "backprop_seconds": float(backprop_seconds),
            "ratio": float(sweep_seconds / backprop_seconds) if backprop_seconds > 0 else float("inf"),
            "sweep_multiply_adds": work.multiply_adds(evaluations), "backprop_multiply_adds": work.multiply_adds(1, 1)}
