"""Trial and error on the Gradient Descent lesson's line fit, to set beside gradient descent.

The same ŷ = w·x + b and the same mean squared error, searched by ``engine.trial_and_error``:
w moves by ±step, then b, each kept only if the loss falls. The path on the (w, b) surface is a
staircase of axis-parallel steps, all of the same size, where a gradient step points down the
slope and shrinks as the slope flattens.

The budget is counted in loss evaluations, each one a pass over the data: a run of E epochs of
full-batch gradient descent makes E passes (each with a backward pass too), so trial and error
gets E tries after its starting loss.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.descent import LINE_FIT_LAYERS, LinearProblem, lesson_problem, problem_facts
from engine.loops import Returning
from engine.trial_and_error import STEP_RULES, FlatCoordinates, ended_because, trial_and_error
from engine.work import Work

DEFAULT_STEP = 0.1


@dataclass
class TrialRun:
    """A finished trial-and-error run as arrays over its updates (index 0 is the start).

    `tries[k]` is how many loss evaluations after the start's had been spent when update k was
    found; `step_sizes[k]` is the length of update k (nan for the start).
    """

    step: float
    rule: str
    tries: np.ndarray
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    step_sizes: np.ndarray
    total_tries: int     # every evaluation after the start, including the failed ones after the last update
    sweeps: int
    reason: str          # a key of engine.trial_and_error.REASONS
    data_points: int = 0  # n, to price its work: every evaluation is one forward pass over all n

    @property
    def final_loss(self) -> float:
        return float(self.loss[-1])

    @property
    def updates(self) -> int:
        return int(self.w.size - 1)

    def tries_per_parameter_per_sweep(self) -> float:
        """Loss evaluations per parameter per completed sweep (2 at most: up, then down)."""
        return self.total_tries / (2 * self.sweeps) if self.sweeps else float("nan")

    def index_at(self, tries: float) -> int:
        """The update the run had reached after `tries` loss evaluations (the playback's clock)."""
        return int(np.searchsorted(self.tries, tries, side="right")) - 1

    def loss_after(self, tries: np.ndarray) -> np.ndarray:
        """Loss of the current (w, b) after each number of tries: flat between updates."""
        return self.loss[np.searchsorted(self.tries, np.asarray(tries), side="right") - 1]

    def summary(self) -> dict:
        """JSON-friendly: the gradient runs' fields, plus the step, sweeps and evaluations."""
        return {
            "step": self.step,
            "step_rule": self.rule,
            "final_loss": self.final_loss,
            "w": float(self.w[-1]),
            "b": float(self.b[-1]),
            "diverged": False,      # every change it keeps lowers the loss
            "diverged_at": None,
            "updates": self.updates,
            "sweeps": self.sweeps,
            "loss_evaluations": self.total_tries + 1,
            "multiply_adds": Work.dense(LINE_FIT_LAYERS, self.data_points).multiply_adds(self.total_tries + 1),
            "evaluations_per_parameter_per_sweep": self.tries_per_parameter_per_sweep(),
            "final_step": float(self.step_sizes[-1]) if self.updates else self.step,
            "ended": self.reason,   # a key of engine.trial_and_error.REASONS
            # judged from the loss, like every method but plain full-batch descent
            "regime": "converging" if self.loss[-1] < self.loss[0] else "not converging",
            "regime_from": "loss",
            "outcome": (f"loss {self.final_loss:.4g}, w = {self.w[-1]:.3f}, b = {self.b[-1]:.3f}; "
                        f"{ended_because(self.reason, self.step)}"),
        }


def trial_run(problem: LinearProblem, start, step: float = DEFAULT_STEP, rule: str = "fixed",
              tries: int = 100, should_stop=None) -> TrialRun:
    """Trial and error on the line fit from `start` = (w, b) with at most `tries` evaluations after the start's."""
    if int(tries) < 1:
        raise ValueError(f"the budget must be at least 1 loss evaluation, got {tries}")
    start = np.array(start, dtype=np.float64)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError("start point must be two finite numbers (w, b)")
    weights = FlatCoordinates(lambda c: problem.loss(c[:, 0], c[:, 1]), start)
    steps = trial_and_error(weights, step, rule, max_evaluations=int(tries) + 1,
                            start_loss=problem.loss(*start), batch=2, should_stop=should_stop)
    points = [(0, start[0], start[1], problem.loss(*start), np.nan)]
    w, b = start
    run = Returning(steps)
    for record in run:
        for move in record.moves:
            if move.parameter == 0:
                w += move.change
            else:
                b += move.change
            points.append((move.evaluation - 1, w, b, move.loss, abs(move.change)))
    columns = [np.array(c, dtype=np.float64) for c in zip(*points)]
    outcome = run.result
    return TrialRun(float(step), rule, columns[0], columns[1], columns[2], columns[3], columns[4],
                    outcome.evaluations - 1, outcome.sweeps, outcome.reason, problem.x.size)


def run_trial_descent(step: float = DEFAULT_STEP, rule: str = "fixed", epochs: int = 100, seed: int = 0,
                      x_range=(0.0, 1.0), start=None) -> dict:
    """The command line's `descent --method trial`: one run, reported like `run_descent`'s runs.

    `epochs` is the budget: that many loss evaluations (passes over the data) after the start's.
    """
    if rule not in STEP_RULES:
        raise ValueError(f"unknown step rule {rule!r}; choose {' or '.join(STEP_RULES)}")
    problem, start = lesson_problem(x_range, seed, start)
    run = trial_run(problem, start, step, rule, tries=epochs)
    return {"method": "trial", "runs": [run.summary()], **problem_facts(problem, start, epochs, seed)}
