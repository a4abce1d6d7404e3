"""Gradient descent on the smallest model that still teaches it: ŷ = w·x + b.

The loss is the mean squared error L(w, b) = mean((w·x + b − y)²). Its gradient is exact and
cheap, and because L is a quadratic bowl its Hessian is constant:

    H = 2·[[mean(x²), mean(x)],
           [mean(x),  1      ]]

Plain gradient descent w ← w − η·∇L multiplies the error along each eigenvector of H by the
factor (1 − η·λ) at every update. That names three regimes (``LinearProblem.regime``):

    smooth        η ≤ 1/λmax            every factor lies in [0, 1): the run slides straight down
    oscillating   1/λmax < η < 2/λmax   the steepest direction's factor is negative: the run zigzags
                                        across the valley, but |1 − η·λ| < 1, so it still converges
    diverging     η ≥ 2/λmax            |1 − η·λmax| ≥ 1: every zigzag is wider than the last

2/λmax is the stability limit; the fastest rate is η = 2/(λmin + λmax), where the slowest and
the fastest direction shrink equally. Momentum, Adam and mini-batches have no such formula here:
whether they diverge is judged from the loss alone (``LossJudge``).

Runs are generators that yield one small `DescentStep` per parameter update, so a GUI can
animate them and a caller can stop between updates. Nothing here imports Qt.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Iterator

import numpy as np

from engine.datasets import linear_toy
from engine.history import Thinned
from engine.optimizers import Optimizer, canonical_optimizer, make_optimizer, optimizer_kind
from engine.parameters import Parameter
from engine.work import Work

BATCH_MODES = ("full", "mini", "one")
BATCH_PHRASES = {"full": "full batches", "mini": "mini-batches", "one": "one sample per step"}
X_RANGES = {"[0, 1]": (0.0, 1.0), "[-1, 1]": (-1.0, 1.0), "[0, 10]": (0.0, 10.0)}
DEFAULT_LEARNING_RATES = (0.01, 0.1, 0.5)

#: Steps a run keeps (more are thinned evenly, see engine.history): more than any run the window
#: allows (1,000 epochs of one-sample updates: 100,000), far fewer than `descent --epochs` could make.
MAX_HISTORY = 200_000

#: Plain full-batch descent lowers the loss at every update of a run that converges (each factor
#: |1 − η·λ| < 1 shrinks its share of the loss), so a loss that rises at this many updates in a row
#: can only be diverging. More than one: a loss at its floor can tick up once by round-off.
RISES_IN_A_ROW = 3
#: A change smaller than this fraction of the loss is round-off, not a rise.
ROUND_OFF = 1e-9
#: Momentum, Adam and noisy mini-batch steps may lift the loss for a while and still converge, and
#: from a start near the bottom the noise of mini-batch steps alone keeps the loss a few times above
#: where it began. Such runs are judged diverging only when the loss stays GROWTH times above its
#: start for a whole epoch, and at least ABOVE_START_AT_LEAST updates: longer than a converging
#: run's detours last, higher than the noise reaches.
GROWTH = 10.0
ABOVE_START_AT_LEAST = 10


# ----------------------------------------------------------------------------------------------
# The problem: data, loss, gradient, Hessian
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearProblem:
    """Fit ŷ = w·x + b to points (x, y) by mean squared error. x and y have shape (n,)."""

    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        x = np.asarray(self.x, dtype=np.float64).ravel()
        y = np.asarray(self.y, dtype=np.float64).ravel()
        if x.shape != y.shape or x.size == 0:
            raise ValueError("x and y must be non-empty and of equal length")
        if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
            raise ValueError("x and y must be finite numbers")
        with np.errstate(over="ignore"):
            if not (np.isfinite(np.mean(x * x)) and np.isfinite(np.mean(y * y))):
                raise ValueError("x and y are too large to square in floating point")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        # Sufficient statistics: with them L and ∇L over all points cost O(1) instead of O(n).
        moments = (x.mean(), (x * x).mean(), y.mean(), (y * y).mean(), (x * y).mean())
        object.__setattr__(self, "moments", tuple(float(m) for m in moments))

    def loss(self, w, b, idx=None):
        """Mean squared error at (w, b); over all points w and b may be equal-shape arrays (a grid).

        `idx` selects a mini-batch. Over all points the square is expanded,
        mean((w·x + b − y)²) = w²·mean(x²) + 2wb·mean(x) + b² − 2w·mean(xy) − 2b·mean(y) + mean(y²),
        which is exact and costs the same for one point as for a 121×121 grid.
        """
        if idx is not None:
            r = w * self.x[idx] + b - self.y[idx]
            return float(np.dot(r, r) / r.size)
        mx, mxx, my, myy, mxy = self.moments
        value = w * w * mxx + 2 * w * b * mx + b * b - 2 * w * mxy - 2 * b * my + myy
        if isinstance(value, np.ndarray):
            return np.maximum(value, 0.0)  # round-off must not make a square negative
        return max(float(value), 0.0)

    def gradient(self, w, b, idx=None) -> tuple[float, float]:
        """(∂L/∂w, ∂L/∂b) = (2·mean(r·x), 2·mean(r)) with residual r = w·x + b − y.

        Over all points that is 2·(w·mean(x²) + b·mean(x) − mean(xy)), 2·(w·mean(x) + b − mean(y)).
        """
        if idx is not None:
            x, y = self.x[idx], self.y[idx]
            r = w * x + b - y
            return 2.0 * float(np.dot(r, x)) / r.size, 2.0 * float(r.sum()) / r.size
        mx, mxx, my, _, mxy = self.moments
        return 2.0 * (w * mxx + b * mx - mxy), 2.0 * (w * mx + b - my)

    def hessian(self) -> np.ndarray:
        """The constant 2×2 matrix of second derivatives of L."""
        mx, mxx = self.moments[0], self.moments[1]
        return 2.0 * np.array([[mxx, mx], [mx, 1.0]])

    def eigenvalues(self) -> tuple[float, float]:
        """(λmin, λmax) of the Hessian: the curvature of the bowl along its two axes."""
        lam = np.linalg.eigvalsh(self.hessian())
        return float(lam[0]), float(lam[-1])

    def stability_limit(self) -> float:
        """Largest learning rate for which plain full-batch gradient descent converges: 2/λmax."""
        return 2.0 / self.eigenvalues()[1]

    def smooth_limit(self) -> float:
        """Largest learning rate at which plain descent never overshoots the valley floor: 1/λmax."""
        return 1.0 / self.eigenvalues()[1]

    def regime(self, learning_rate: float) -> str:
        """'smooth', 'oscillating' or 'diverging': plain full-batch descent at this rate, from λmax."""
        if learning_rate <= self.smooth_limit():
            return "smooth"
        return "oscillating" if learning_rate < self.stability_limit() else "diverging"

    def fastest_learning_rate(self) -> float:
        """Learning rate with the fastest worst-case convergence: 2/(λmin + λmax)."""
        lo, hi = self.eigenvalues()
        return 2.0 / (lo + hi)

    def optimum(self) -> tuple[float, float]:
        """The least-squares (w, b): where the gradient is zero."""
        w, b = np.linalg.lstsq(np.column_stack([self.x, np.ones_like(self.x)]), self.y, rcond=None)[0]
        return float(w), float(b)


def make_problem(x_range=(0.0, 1.0), n=100, noise=0.1, seed=0) -> LinearProblem:
    """The lesson's data, y = 2x + 1 + noise·N(0, 1) on n evenly spaced x, as a problem."""
    x, y = linear_toy(n=n, x_range=tuple(x_range), noise=noise, seed=seed)
    return LinearProblem(x, y)


def random_start(seed=0) -> tuple[float, float]:
    """Starting (w, b) drawn from N(0, 1), reproducible from the seed.

    A stream separate from the data's, so the same seed gives the same start on every x range.
    """
    w, b = np.random.default_rng([seed, 1]).standard_normal(2)
    return float(w), float(b)


# ----------------------------------------------------------------------------------------------
# Runs
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class DescentStep:
    """One parameter update: where it landed and the full-data loss there.

    `step` counts updates (0 = the starting point, before any update); `epoch` is fractional
    (step / updates per epoch) so mini-batch runs plot on the same axis as full-batch ones.
    `grad_w`, `grad_b` are the full-data gradient at (w, b): the arrow the GUI draws.
    """

    step: int
    epoch: float
    w: float
    b: float
    loss: float
    grad_w: float
    grad_b: float
    diverged: bool = False
    reason: str = ""  # for a diverged step: what the loss did (from LossJudge)


@dataclass
class DescentSettings:
    """Everything that defines one run apart from the data. `optimizer` is a registry name."""

    learning_rate: float
    epochs: int = 100
    optimizer: str = "sgd"
    batch: str = "full"
    batch_size: int = 10
    seed: int = 0

    def __post_init__(self):
        # An old spelling ("gd") becomes the registry's name at once, so runs and reports show only
        # canonical names; an unknown name is left for validate() to refuse.
        with suppress(ValueError):
            self.optimizer = canonical_optimizer(self.optimizer)

    def validate(self) -> None:
        if not (np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"learning rate must be a positive number, got {self.learning_rate}")
        if int(self.epochs) != self.epochs or self.epochs < 1:
            raise ValueError(f"epochs must be a whole number ≥ 1, got {self.epochs}")
        canonical_optimizer(self.optimizer)
        if self.batch not in BATCH_MODES:
            raise ValueError(f"batch must be one of {', '.join(BATCH_MODES)}, got {self.batch!r}")
        if self.batch == "mini" and self.batch_size < 1:
            raise ValueError(f"batch size must be ≥ 1, got {self.batch_size}")


def batch_size_for(settings: DescentSettings, n: int) -> int:
    """Samples per update: all n (full batch), settings.batch_size (mini) or 1 (one sample)."""
    if settings.batch == "full":
        return n
    if settings.batch == "one":
        return 1
    return max(1, min(int(settings.batch_size), n))


def make_update_rule(settings: DescentSettings, theta: Parameter) -> Optimizer:
    """The engine's optimizer for this run, acting on the one Parameter θ = (w, b).

    sgd:       θ ← θ − η·g
    momentum:  v ← μ·v − η·g;  θ ← θ + v      (the velocity remembers earlier steps)
    adam:      a per-parameter step from running averages of g and g²
    """
    return make_optimizer(settings.optimizer, [theta], learning_rate=settings.learning_rate)


def is_plain_full_batch(settings: DescentSettings) -> bool:
    """Plain descent on all points: the only method whose regime follows from the eigenvalues."""
    return settings.optimizer == "sgd" and settings.batch == "full"


class LossJudge:
    """Decides from the loss alone, update by update, whether a run is diverging.

    Diverging means the loss became infinite or NaN, or it grew steadily: for plain full-batch
    descent, it rose at RISES_IN_A_ROW updates in a row (a converging run lowers it at every
    update); for every other method, it stayed above its starting value for `patience` updates in
    a row (a whole epoch, at least ABOVE_START_AT_LEAST), longer than a converging run's detours.
    """

    def __init__(self, start_loss: float, plain: bool, patience: int):
        self.start, self.plain, self.patience = float(start_loss), plain, int(patience)
        self.previous = self.start
        self.streak = 0

    def verdict(self, loss: float) -> str:
        """Why the run is diverging after this update's loss, or "" while it is not."""
        if not np.isfinite(loss):
            return "the loss is no longer a finite number"
        if self.plain:
            rose = loss > self.previous * (1 + ROUND_OFF)
            self.previous = loss
            self.streak = self.streak + 1 if rose else 0
            if self.streak >= RISES_IN_A_ROW:
                return f"the loss rose at {self.streak} updates in a row"
        else:
            self.streak = self.streak + 1 if loss > GROWTH * self.start else 0
            if self.streak >= self.patience:
                return (f"the loss stayed above {GROWTH:g} times its starting value {self.start:.4g} "
                        f"for {self.streak} updates")
        return ""


def descend(problem: LinearProblem, settings: DescentSettings, start: tuple[float, float],
            should_stop=None) -> Iterator[DescentStep]:
    """Yield the starting point, then one `DescentStep` per update until the epochs run out.

    A run that diverges (judged by ``LossJudge`` from its loss) yields a last step with
    `diverged=True` and the reason, and ends. The generator's return value is the last step.
    Overflow inside NumPy is expected near divergence and is silenced here, not printed.
    """
    settings.validate()
    n = problem.x.size
    per_batch = batch_size_for(settings, n)
    updates_per_epoch = -(-n // per_batch)
    rng = np.random.default_rng([settings.seed, 2])  # same shuffles for every learning rate
    theta = Parameter(np.array(start, dtype=np.float64), name="(w, b)")
    if not np.all(np.isfinite(theta.value)):
        raise ValueError("start point must be finite")
    optimizer = make_update_rule(settings, theta)

    first = _record(problem, theta.value, 0, updates_per_epoch)
    if not np.isfinite(first.loss):
        first = replace(first, diverged=True, reason="the loss at the start is too large for floating point")
        yield first
        return first
    yield first
    judge = LossJudge(first.loss, is_plain_full_batch(settings), max(ABOVE_START_AT_LEAST, updates_per_epoch))
    last, step = first, 0
    for _epoch in range(int(settings.epochs)):
        order = np.arange(n) if settings.batch == "full" else rng.permutation(n)
        for start_i in range(0, n, per_batch):
            if should_stop is not None and should_stop():
                return last
            idx = None if settings.batch == "full" else order[start_i:start_i + per_batch]
            with _quiet_overflow():
                theta.grad[:] = problem.gradient(theta.value[0], theta.value[1], idx)
                optimizer.step()
            step += 1
            last = _record(problem, theta.value, step, updates_per_epoch)
            reason = judge.verdict(last.loss if np.all(np.isfinite(theta.value)) else float("nan"))
            if reason:
                last = replace(last, diverged=True, reason=reason)
                yield last
                return last
            yield last
    return last


def _quiet_overflow():
    """Near divergence overflow is expected and detected from the numbers; do not print it.

    Entered around computations only, never across a `yield`, so the caller's NumPy error
    settings are never changed while it holds a paused generator.
    """
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _record(problem, theta, step, updates_per_epoch) -> DescentStep:
    """Where θ is now, with the full-data loss and gradient there (what the plots show)."""
    w, b = float(theta[0]), float(theta[1])
    gw, gb = problem.gradient(w, b)  # plain float arithmetic: overflow gives inf/nan, no warning
    return DescentStep(step, step / updates_per_epoch, w, b, problem.loss(w, b), gw, gb)


# ----------------------------------------------------------------------------------------------
# A finished run as arrays, for plots and the command line
# ----------------------------------------------------------------------------------------------
@dataclass
class DescentRun:
    """A whole run as arrays of shape (steps + 1,), index 0 being the start."""

    settings: DescentSettings
    epoch: np.ndarray
    w: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    grad_w: np.ndarray
    grad_b: np.ndarray
    diverged: bool = False
    diverged_at: int | None = None  # 1-based epoch in which the loss was judged diverging
    message: str = ""
    updates: int | None = None      # all updates made (the arrays may hold a thinned sample)
    regime: str = ""        # smooth / oscillating / diverging, or converging / not converging (see run_regime)
    regime_from: str = ""   # "eigenvalues" (plain full-batch descent) or "loss" (every other method)
    data_points: int = 0            # n, to price the run's work (engine.work)

    @property
    def final_loss(self) -> float:
        return float(self.loss[-1])

    @property
    def loss_fell(self) -> bool:
        """Did the run end below where it started? Only such a run may be called converging."""
        return bool(np.isfinite(self.loss[-1]) and self.loss[-1] < self.loss[0])

    def summary(self) -> dict:
        """JSON-friendly summary; non-finite numbers become None."""
        def num(v):
            v = float(v)
            return v if np.isfinite(v) else None

        return {
            "lr": self.settings.learning_rate,
            "final_loss": num(self.loss[-1]),
            "w": num(self.w[-1]),
            "b": num(self.b[-1]),
            "diverged": self.diverged,
            "diverged_at": self.diverged_at,
            "regime": self.regime,
            "regime_from": self.regime_from,
            "updates": int(self.w.size - 1 if self.updates is None else self.updates),
            **descent_work(self.settings, self.data_points,
                           int(self.w.size - 1 if self.updates is None else self.updates)),
        }


def run_regime(problem: LinearProblem, run: DescentRun) -> tuple[str, str]:
    """(regime, what it was judged from) for a finished run.

    Plain full-batch descent: the regime its rate has by the Hessian's eigenvalues. Every other
    method, from its loss: 'diverging' if the loss judged it so, 'converging' if the loss ended
    below its start, else 'not converging'.
    """
    if is_plain_full_batch(run.settings):
        return problem.regime(run.settings.learning_rate), "eigenvalues"
    if run.diverged:
        return "diverging", "loss"
    return ("converging" if run.loss_fell else "not converging"), "loss"


REGIME_TITLES = {"smooth": "smooth", "oscillating": "oscillating but converging", "diverging": "diverging",
                 "converging": "converging", "not converging": "not converging"}


#: The rates of each regime of plain descent, in symbols (the numbers depend on the data).
REGIME_BOUNDS = {"smooth": "η ≤ 1/λmax", "oscillating": "1/λmax < η < 2/λmax", "diverging": "η ≥ 2/λmax"}


def outcome_text(problem: LinearProblem, run: DescentRun, brief: bool = False) -> str:
    """One line on how a run ended and its regime (what the command's table and the window print).

    A run whose loss did not fall is never called converging, whatever its rate. ``brief`` leaves
    out the regime's bounds, the loss figures behind a verdict and the plain-descent limit (a
    window shows those beside it), so a run's line fits a narrow screen.
    """
    if run.diverged:
        return run.message
    where = f"loss {run.final_loss:.4g}, w = {run.w[-1]:.3f}, b = {run.b[-1]:.3f}"
    fell = "" if brief else f" ({run.loss[0]:.4g} → {run.final_loss:.4g})"
    if run.regime_from == "eigenvalues":
        bounds = "" if brief else f" ({REGIME_BOUNDS[run.regime]})"
        text = f"{where}; {REGIME_TITLES[run.regime]}{bounds}"
        if run.regime == "diverging":
            text += f", though its loss has not grown yet{fell}"
        elif not run.loss_fell:
            text += f", yet its loss did not fall{fell}"
        return text
    if run.regime == "converging":
        above = run.settings.learning_rate > problem.stability_limit() and not brief
        note = f"; above the plain-descent limit {problem.stability_limit():.3g}" if above else ""
        return f"{where}; converging, judged from its loss{fell}{note}"
    return f"{where}; not converging: its loss ended above where it started{fell}"


#: ŷ = w·x + b as a dense model: one input, one output, one multiply-add per point.
LINE_FIT_LAYERS = (1, 1)


def descent_work(settings: DescentSettings, n: int, updates: int) -> dict:
    """The work of `updates` updates on n points, with the loss measured at the end.

    Each update runs a forward and a backward pass over its batch; the last loss takes one more
    forward pass over all n points (as a full-batch step's forward pass measures the loss before it).
    "loss_evaluations" counts forward passes over all n points, so a mini-batch update is a tenth of
    one; "multiply_adds" prices the passes with ``engine.work``.
    """
    if n < 1:
        return {"loss_evaluations": 0, "multiply_adds": 0}
    per_batch = batch_size_for(settings, n)
    epochs, rest = divmod(int(updates), -(-n // per_batch))
    points = epochs * n + min(rest * per_batch, n)   # points whose gradient was computed
    work = Work.dense(LINE_FIT_LAYERS, 1)
    forward = points + n
    evaluations = forward / n
    return {"loss_evaluations": int(evaluations) if evaluations == int(evaluations) else evaluations,
            "multiply_adds": work.multiply_adds(forward, points)}


def collect_run(problem: LinearProblem, settings: DescentSettings, start, should_stop=None) -> DescentRun:
    """Drive `descend` to the end and keep its steps as arrays: every step of an ordinary run, an
    evenly spaced `MAX_HISTORY` of a very long one (memory must not grow with the epochs)."""
    kept = Thinned(MAX_HISTORY)
    for step in descend(problem, settings, start, should_stop=should_stop):
        kept.add(step)
    steps = kept.items()
    arr = {k: np.array([getattr(s, k) for s in steps], dtype=np.float64)
           for k in ("epoch", "w", "b", "loss", "grad_w", "grad_b")}
    last = steps[-1]
    run = DescentRun(settings, **arr, diverged=last.diverged, updates=last.step, data_points=problem.x.size)
    if last.diverged:
        run.diverged_at = max(1, int(np.ceil(last.epoch)))
        run.message = divergence_message(problem, settings, run.diverged_at, last.reason)
    run.regime, run.regime_from = run_regime(problem, run)
    return run


def collect_runs(problem: LinearProblem, settings_list, start, should_stop=None) -> list[DescentRun]:
    """One run per settings from the same start (how the lesson compares learning rates)."""
    runs = []
    for settings in settings_list:
        if should_stop is not None and should_stop():
            break
        runs.append(collect_run(problem, settings, start, should_stop=should_stop))
    return runs


def loss_grid(problem: LinearProblem, w_range, b_range, n: int = 121):
    """L on an n×n grid: returns w values (n,), b values (n,), loss (n, n) indexed [i_w, j_b]."""
    w_values = np.linspace(float(w_range[0]), float(w_range[1]), n)
    b_values = np.linspace(float(b_range[0]), float(b_range[1]), n)
    w_grid, b_grid = np.meshgrid(w_values, b_values, indexing="ij")
    return w_values, b_values, problem.loss(w_grid, b_grid)


def divergence_message(problem: LinearProblem, settings: DescentSettings, epoch: int, reason: str = "") -> str:
    """One line saying that, and why, a run diverged: what its loss did, and what that means."""
    head = f"diverged at epoch {epoch}" + (f" ({reason})" if reason else "")
    limit = problem.stability_limit()
    lr = settings.learning_rate
    batches = {"full": "", "mini": " (mini-batches make it worse)", "one": " (single samples make it worse)"}
    if settings.optimizer == "sgd" and lr > limit:
        return (f"{head}: learning rate {lr:g} is above the stability limit 2/λmax = {limit:.3g}, "
                f"so every step overshoots the minimum by more than it corrects{batches[settings.batch]}")
    method = optimizer_kind(settings.optimizer).phrase
    return (f"{head}: learning rate {lr:g} is too large for {method} with {BATCH_PHRASES[settings.batch]}; "
            "each step overshoots further than the last (try a smaller rate)")


def run_descent(learning_rates=DEFAULT_LEARNING_RATES, epochs=100, seed=0, x_range=(0.0, 1.0),
                optimizer="sgd", batch="full", batch_size=10, start=None) -> dict:
    """Run one descent per learning rate from a shared start; return a JSON-friendly dict.

    Keys: runs (lr, final_loss, w, b, diverged, diverged_at, regime, regime_from, updates, message,
    outcome),
    stability_limit (2/λmax), smooth_limit (1/λmax), fastest_lr, eigenvalues, optimum, start, and the
    settings used (the optimizer by its registry name).
    """
    optimizer = canonical_optimizer(optimizer)
    rates = [float(r) for r in learning_rates]
    if not rates:
        raise ValueError("give at least one learning rate")
    problem, start = lesson_problem(x_range, seed, start)
    runs = []
    for lr in rates:
        settings = DescentSettings(lr, epochs=epochs, optimizer=optimizer, batch=batch,
                                   batch_size=batch_size, seed=seed)
        run = collect_run(problem, settings, start)
        runs.append({**run.summary(), "message": run.message, "outcome": outcome_text(problem, run)})
    return {"runs": runs, **problem_facts(problem, start, epochs, seed),
            "optimizer": optimizer, "batch": batch}


def lesson_problem(x_range=(0.0, 1.0), seed=0, start=None) -> tuple[LinearProblem, tuple[float, float]]:
    """The lesson's data on `x_range` and the start (the seed's random one unless given)."""
    lo, hi = float(x_range[0]), float(x_range[1])
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x range must be two finite numbers, low < high, got {x_range}")
    start = random_start(seed) if start is None else (float(start[0]), float(start[1]))
    return make_problem((lo, hi), seed=seed), start


def problem_facts(problem: LinearProblem, start, epochs: int, seed: int) -> dict:
    """What a report says about the problem itself, whatever method ran on it."""
    w_opt, b_opt = problem.optimum()
    return {
        "stability_limit": problem.stability_limit(),
        "smooth_limit": problem.smooth_limit(),
        "fastest_lr": problem.fastest_learning_rate(),
        "eigenvalues": list(problem.eigenvalues()),
        "optimum": {"w": w_opt, "b": b_opt},
        "start": {"w": start[0], "b": start[1]},
        "x_range": [float(problem.x.min()), float(problem.x.max())],
        "epochs": int(epochs),
        "seed": int(seed),
    }


# ----------------------------------------------------------------------------------------------
# The one-parameter lesson: y = w·x through (1, 2), (2, 4), (3, 6)
# ----------------------------------------------------------------------------------------------
ONE_PARAMETER_POINTS = (np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]))


def one_parameter_loss(w, points=ONE_PARAMETER_POINTS):
    """L(w) = mean((w·x − y)²); w may be an array. The minimum is at w = 2 for the lesson's points."""
    x, y = points
    w = np.asarray(w, dtype=np.float64)
    return np.mean((w[..., None] * x - y) ** 2, axis=-1)


def one_parameter_slope(w, points=ONE_PARAMETER_POINTS) -> float:
    """dL/dw = 2·mean(x·(w·x − y)): negative left of the minimum (increase w), positive right."""
    x, y = points
    return float(2.0 * np.mean(x * (w * x - y)))


def one_parameter_tangent(w0, w, points=ONE_PARAMETER_POINTS):
    """The tangent line of L at w0, evaluated at w: L(w0) + L'(w0)·(w − w0)."""
    return float(one_parameter_loss(w0, points)) + one_parameter_slope(w0, points) * (np.asarray(w) - w0)


def one_parameter_steps(w0, learning_rate, steps, points=ONE_PARAMETER_POINTS):
    """Yield (w, L(w), dL/dw) for the start and each of `steps` updates w ← w − η·dL/dw."""
    w = float(w0)
    for _ in range(int(steps) + 1):
        with _quiet_overflow():
            slope = one_parameter_slope(w, points)
            loss = float(one_parameter_loss(w, points))
        yield w, loss, slope
        if not (np.isfinite(slope) and np.isfinite(loss)):
            return
        with _quiet_overflow():
            w = w - learning_rate * slope
