"""Training by guessing, next to training by gradient: the lesson of NNFS chapter 6, measured.

Four ways to look for good weights of the same small classifier (``engine.search_model``):

* ``random_search``    – draw completely fresh weights scale·N(0,1) every iteration; keep the best.
* ``tweak_and_keep``   – add scale·N(0,1) to the best weights; keep the change only if the loss drops.
* ``trial_and_error_search`` – move one weight at a time by ±step, keeping what lowers the loss
                         (``engine.trial_and_error``: the lesson's "trial and error").
* ``gradient_descent`` – follow −∂L/∂w with a registry optimizer through the engine ``Network``.

Each is a generator yielding small ``SearchRecord``s, so a caller (a test, the command line, a worker
thread) drives it and may stop between records; the generator's return value is a ``SearchResult``
with the full history. Work is counted two ways: *loss evaluations* (forward passes over the whole
data set) and *multiply-adds* (``engine.work``), the honest one: a guess costs one forward pass, a
gradient step a forward and a backward pass, about three forward passes of arithmetic.

Guesses are evaluated K at a time in one batched pass. Tweak-and-keep is sequential by nature (each
tweak starts from the best so far), so it is batched *speculatively*: K tweaks are all tried from the
current best; the first one that lowers the loss is kept and the tweaks after it — which started from
a now-outdated point — are tried again from the new best. The noise is drawn from the random stream in
the same order as one-at-a-time search, so the result does not depend on K at all (tests check this).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from engine.datasets import DATASETS
from engine.loops import Returning, drive
from engine.optimizers import canonical_optimizer, make_optimizer
from engine.search_model import (SearchModel, batched_loss_accuracy, from_network, loss_gradient,
                                 max_batch_size, predict_proba, to_network)
from engine.training import train
from engine.trial_and_error import STEP_RULES, NetworkCoordinates, trial_and_error
from engine.work import Work

METHODS = ("random", "tweak", "trial", "gradient")
METHOD_TITLES = {"random": "pure random search", "tweak": "tweak and keep", "trial": "trial and error",
                 "gradient": "gradient descent"}
INIT_SCALE = 0.01       # the book's starting weights: 0.01·N(0, 1)
STEP_SCALE = 0.05       # the book's guesses and tweaks: 0.05·N(0, 1)
ACCEPTANCE_WINDOW = 250  # tweak-and-keep acceptance rate is measured over this many recent tries


@dataclass(frozen=True)
class SearchRecord:
    """Progress of one method after some iterations (small: safe to send to the UI thread)."""

    method: str
    iteration: int          # candidates tried (search) or gradient steps taken
    loss_evaluations: int   # forward passes over the whole data set so far
    multiply_adds: int      # work so far: forward passes plus backward passes (engine.work)
    loss: float             # loss of the weights the method holds now (its best, for search)
    accuracy: float
    accepted: int           # improvements kept so far (search methods)
    acceptance_rate: float  # fraction kept among the last ACCEPTANCE_WINDOW tries; nan for gradient
    seconds: float
    weights: np.ndarray     # a copy of the current flat weights (P,)


@dataclass
class SearchHistory:
    """Growing curves of one method; ``arrays()`` turns them into NumPy arrays."""

    iteration: list = field(default_factory=list)
    loss_evaluations: list = field(default_factory=list)
    multiply_adds: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    acceptance_rate: list = field(default_factory=list)

    def add(self, record: SearchRecord) -> None:
        self.iteration.append(record.iteration)
        self.loss_evaluations.append(record.loss_evaluations)
        self.multiply_adds.append(record.multiply_adds)
        self.loss.append(record.loss)
        self.accuracy.append(record.accuracy)
        self.acceptance_rate.append(record.acceptance_rate)

    def arrays(self) -> dict[str, np.ndarray]:
        return {name: np.asarray(values, dtype=float) for name, values in vars(self).items()}


@dataclass
class SearchResult:
    """What a finished (or stopped) method returns: its final record and the whole history.

    ``details`` holds what only one method has (trial and error: sweeps, final step, why it ended).
    """

    final: SearchRecord
    history: dict[str, np.ndarray]
    details: dict = field(default_factory=dict)

    @property
    def best_loss(self) -> float:
        """Lowest loss met on the way (the final one for search, which only ever keeps improvements)."""
        return float(np.nanmin(self.history["loss"]))

    @property
    def best_accuracy(self) -> float:
        """Accuracy of the weights that had the lowest loss."""
        return float(self.history["accuracy"][int(np.nanargmin(self.history["loss"]))])


# --- shared helpers ------------------------------------------------------------------------------

def _check_data(model: SearchModel, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != model.n_in or y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise ValueError(f"need X of shape (N, {model.n_in}) and labels y of shape (N,), got {X.shape} and {y.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError("the data contain NaN or infinite values")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0 or y.max() >= model.classes:
        raise ValueError(f"labels must be integers 0..{model.classes - 1}")
    return X, y.astype(np.int64)


def _check_budget(iterations: int, scale: float, what: str = "the step size") -> None:
    if int(iterations) < 1:
        raise ValueError(f"iterations must be at least 1, got {iterations}")
    if not np.isfinite(scale) or scale <= 0:
        raise ValueError(f"{what} must be a positive number, got {scale}")


class _AcceptanceWindow:
    """Fraction of the last `window` tries that were kept, from the iterations of the acceptances."""

    def __init__(self, window: int = ACCEPTANCE_WINDOW):
        self.window = window
        self.accepted_at: list[int] = []

    def accept(self, iteration: int) -> None:
        self.accepted_at.append(iteration)

    def rate(self, iteration: int) -> float:
        if iteration <= 0:
            return 0.0
        start = max(0, iteration - self.window)
        recent = len(self.accepted_at) - bisect_right(self.accepted_at, start)
        return recent / (iteration - start)


class _Noise:
    """The stream of N(0, 1) vectors the search draws, in order; unused draws wait in a queue.

    Drawing from the Generator in chunks of any size gives the same numbers in the same order,
    so consuming this queue K at a time reproduces one-at-a-time search exactly.
    """

    def __init__(self, rng: np.random.Generator, size: int):
        self.rng, self.size = rng, size
        self.queue = np.empty((0, size))

    def peek(self, k: int) -> np.ndarray:
        if len(self.queue) < k:
            fresh = self.rng.standard_normal((k - len(self.queue), self.size))
            self.queue = np.concatenate([self.queue, fresh])
        return self.queue[:k]

    def consume(self, k: int) -> None:
        self.queue = self.queue[k:]


def _start(model: SearchModel, X, y, seed) -> tuple[np.random.Generator, np.ndarray, float, float]:
    """Same seed -> same starting weights for every method; returns rng, weights, loss, accuracy."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    weights = model.initial_weights(rng, INIT_SCALE)
    loss, acc = batched_loss_accuracy(model, weights[None, :], X, y)
    return rng, weights, float(loss[0]), float(acc[0])


class _Search:
    """What both search methods keep track of: the best weights so far, the tries made (`done`),
    the acceptances, the history, and when to stop (the budget or the caller's stop flag)."""

    def __init__(self, method: str, model: SearchModel, X, y, iterations: int, scale: float, seed,
                 batch_size: int | None, should_stop: Callable[[], bool] | None):
        self.X, self.y = _check_data(model, X, y)
        _check_budget(iterations, scale)
        self.rng, self.best, self.best_loss, self.best_acc = _start(model, self.X, self.y, seed)
        self.method, self.iterations, self.should_stop = method, iterations, should_stop
        self.work = Work.dense(model.layer_sizes, len(self.X))
        self.batch = batch_size or min(256, max_batch_size(model, len(self.X)))
        self.window = _AcceptanceWindow()
        self.history = SearchHistory()
        self.started = time.perf_counter()
        self.done = 0
        self.history.add(self.record())

    def going(self) -> bool:
        return self.done < self.iterations and not (self.should_stop is not None and self.should_stop())

    def keep(self, weights: np.ndarray, loss: float, accuracy: float, at: int) -> None:
        """Make a candidate the new best: it was the `at`-th try."""
        self.best, self.best_loss, self.best_acc = weights.copy(), float(loss), float(accuracy)
        self.window.accept(at)

    def record(self, at: int | None = None) -> SearchRecord:
        """The state after `at` tries (default: all done so far). Every try costs one loss
        evaluation, one forward pass, plus one for the start; speculative tweaks that are tried again
        from a new best are not counted, they are an implementation detail."""
        at = self.done if at is None else at
        return SearchRecord(self.method, at, at + 1, self.work.multiply_adds(at + 1), self.best_loss,
                            self.best_acc, len(self.window.accepted_at), self.window.rate(at),
                            time.perf_counter() - self.started, self.best.copy())

    def progress(self) -> SearchRecord:
        """The current record, also kept in the history."""
        current = self.record()
        self.history.add(current)
        return current

    def result(self, details: dict | None = None) -> SearchResult:
        return SearchResult(self.record(), self.history.arrays(), details or {})


# --- the four methods ---------------------------------------------------------------------------

def random_search(model: SearchModel, X: np.ndarray, y: np.ndarray, iterations: int = 10_000,
                  scale: float = STEP_SCALE, seed: int | np.random.Generator = 0,
                  batch_size: int | None = None,
                  should_stop: Callable[[], bool] | None = None) -> Iterator[SearchRecord]:
    """Pure random search: every iteration draws fresh weights scale·N(0,1); the best is kept.

    Yields a record after each batch of candidates; returns a ``SearchResult``.
    """
    search = _Search("random", model, X, y, iterations, scale, seed, batch_size, should_stop)
    while search.going():
        k = min(search.batch, iterations - search.done)
        candidates = scale * search.rng.standard_normal((k, model.size))
        losses, accs = batched_loss_accuracy(model, candidates, search.X, search.y)
        # best_before[i] = the best loss before candidate i; walking the improvements in order
        # records each one at the iteration where it happened.
        best_before = np.minimum.accumulate(np.concatenate(([search.best_loss], losses)))[:-1]
        for i in np.flatnonzero(losses < best_before):
            at = search.done + i + 1
            search.keep(candidates[i], losses[i], accs[i], at)
            search.history.add(search.record(at))
        search.done += k
        yield search.progress()
    return search.result()


def tweak_and_keep(model: SearchModel, X: np.ndarray, y: np.ndarray, iterations: int = 10_000,
                   scale: float = STEP_SCALE, seed: int | np.random.Generator = 0,
                   batch_size: int | None = None,
                   should_stop: Callable[[], bool] | None = None) -> Iterator[SearchRecord]:
    """Tweak and keep: try best + scale·N(0,1); keep it only if the loss is lower than the best.

    Evaluated speculatively in batches (see the module docstring); the outcome is independent of
    the batch size. Yields a record after each batch; returns a ``SearchResult``.
    """
    search = _Search("tweak", model, X, y, iterations, scale, seed, batch_size, should_stop)
    largest = search.batch
    k = min(4, largest)  # speculation pays off only when tweaks are rarely kept: grow it as they fail
    noise = _Noise(search.rng, model.size)
    while search.going():
        k = min(k, iterations - search.done)
        candidates = search.best[None, :] + scale * noise.peek(k)
        losses, accs = batched_loss_accuracy(model, candidates, search.X, search.y)
        better = np.flatnonzero(losses < search.best_loss)
        if better.size:
            first = int(better[0])  # one-at-a-time search would have stopped here and kept it
            search.done += first + 1
            search.keep(candidates[first], losses[first], accs[first], search.done)
            noise.consume(first + 1)  # the draws after it are tried again, from the new best
            k = min(largest, max(4, 2 * (first + 1)))
        else:
            search.done += k
            noise.consume(k)
            k = min(largest, 2 * k)
        yield search.progress()
    return search.result()


def trial_and_error_search(model: SearchModel, X: np.ndarray, y: np.ndarray, iterations: int = 10_000,
                           scale: float = STEP_SCALE, seed: int | np.random.Generator = 0,
                           batch_size: int | None = None, should_stop: Callable[[], bool] | None = None,
                           rule: str = "fixed") -> Iterator[SearchRecord]:
    """Trial and error: one weight at a time, try +scale, else −scale; keep a change only if the loss drops.

    The engine's ``trial_and_error`` from the same start as the other methods; every try is one
    iteration and one loss evaluation. With the fixed step it ends early once a whole sweep keeps
    nothing (it could never move again). Yields a record after about a batch of tries; returns a
    ``SearchResult`` whose ``details`` say how many sweeps it made, its last step and why it ended.

    Tries go one at a time through the engine ``Network``: measured on this model, batching them
    (``FlatCoordinates``) was no faster, because while changes are often kept most speculative tries
    are wasted, and one batched call costs about two forward passes of the network.
    """
    if rule not in STEP_RULES:
        raise ValueError(f"unknown step rule {rule!r}; choose {' or '.join(STEP_RULES)}")
    search = _Search("trial", model, X, y, iterations, scale, seed, batch_size, should_stop)
    network = to_network(model, search.best)
    problem = NetworkCoordinates(network, search.X, search.y)
    steps = trial_and_error(problem, scale, rule, max_evaluations=int(iterations) + 1,
                            start_loss=problem.loss(), batch=1, should_stop=should_stop)
    reported, moved = 0, False

    def report() -> SearchRecord:
        if moved:  # the accuracy is only for showing: measured when a record goes out, not per try
            search.best = from_network(model, network)
            search.best_acc = network.accuracy(search.X, search.y)
        return search.progress()

    run = Returning(steps)
    for record in run:
        for move in record.moves:
            search.window.accept(move.evaluation - 1)  # the try that found it: evaluation 1 is the start
        moved = moved or bool(record.moves)
        search.best_loss, search.done = record.loss, record.evaluations - 1
        if search.done - reported >= search.batch:
            reported = search.done
            yield report()
            moved = False
    if search.done > reported:
        yield report()
    outcome = run.result
    return search.result({"sweeps": outcome.sweeps, "step_rule": rule, "final_step": outcome.step,
                          "ended": outcome.reason})


def gradient_descent(model: SearchModel, X: np.ndarray, y: np.ndarray, iterations: int = 10_000,
                     optimizer: str = "adam", learning_rate: float = 0.05, decay: float = 5e-7,
                     seed: int | np.random.Generator = 0, report_every: int = 25,
                     should_stop: Callable[[], bool] | None = None) -> Iterator[SearchRecord]:
    """Full-batch gradient descent (any registry optimizer) on the same model, starting from the same weights.

    Runs the engine's own ``Network`` and ``training.train``; one iteration = one step = one forward
    and one backward pass. The record after i steps counts i + 1 loss evaluations and the work of
    i + 1 forward and i backward passes: the forward pass that measures the current loss is the one
    the next step begins with. Returns a ``SearchResult`` whose final loss is measured after the last step.
    """
    X, y = _check_data(model, X, y)
    _check_budget(iterations, learning_rate, "the learning rate")
    optimizer = canonical_optimizer(optimizer)  # refuse an unknown name before any work
    _, start_weights, start_loss, start_acc = _start(model, X, y, seed)
    net = to_network(model, start_weights)
    opt = make_optimizer(optimizer, net.parameters(), learning_rate=learning_rate, decay=decay)
    work = Work.dense(model.layer_sizes, len(X))
    history = SearchHistory()
    started = time.perf_counter()

    def after(steps: int, loss: float, accuracy: float, seconds: float, weights) -> SearchRecord:
        return SearchRecord("gradient", steps, steps + 1, work.multiply_adds(steps + 1, steps), float(loss),
                            float(accuracy), 0, float("nan"), seconds, weights)

    history.add(after(0, start_loss, start_acc, 0.0, start_weights))
    steps = 0
    for step_record in train(net, opt, X, y, epochs=int(iterations), batch_size=None, seed=0,
                             report_every=10**12, should_stop=should_stop):
        # Full batch: one "epoch" record per step, holding the loss *before* that step.
        steps = step_record.step
        if steps > 1:
            history.add(after(steps - 1, step_record.loss, step_record.accuracy, step_record.seconds, None))
        if not np.isfinite(step_record.loss):
            break  # diverged: the UI shows the blow-up instead of iterating on NaN
        if steps % report_every == 0:
            yield after(steps - 1, step_record.loss, step_record.accuracy, time.perf_counter() - started,
                        from_network(model, net))
    weights = from_network(model, net)
    loss, acc = batched_loss_accuracy(model, weights[None, :], X, y)
    final = after(steps, loss[0], acc[0], time.perf_counter() - started, weights)
    history.add(final)
    return SearchResult(final, history.arrays())


def make_method(method: str, model: SearchModel, X, y, iterations: int, seed=0, step_size=STEP_SCALE,
                optimizer="adam", learning_rate=0.05, decay=5e-7, batch_size=None,
                should_stop=None, step_rule="fixed") -> Iterator[SearchRecord]:
    """The generator for a method name ("random", "tweak", "trial" or "gradient")."""
    if method == "random":
        return random_search(model, X, y, iterations, step_size, seed, batch_size, should_stop)
    if method == "tweak":
        return tweak_and_keep(model, X, y, iterations, step_size, seed, batch_size, should_stop)
    if method == "trial":
        return trial_and_error_search(model, X, y, iterations, step_size, seed, batch_size, should_stop, step_rule)
    if method == "gradient":
        return gradient_descent(model, X, y, iterations, optimizer, learning_rate, decay, seed,
                                should_stop=should_stop)
    raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")


def run_side_by_side(generators: dict[str, Iterator[SearchRecord]]) -> Iterator[dict[str, SearchRecord]]:
    """Advance several methods in turn, yielding {method: latest record} after each round.

    One record holds all methods, so a throttled consumer that only sees the latest one still
    sees every method. Returns {method: SearchResult} once all have finished.
    """
    latest: dict[str, SearchRecord] = {}
    results: dict[str, SearchResult] = {}
    active = dict(generators)
    while active:
        for name, gen in list(active.items()):
            try:
                latest[name] = next(gen)
            except StopIteration as finished:
                results[name] = finished.value
                latest[name] = finished.value.final
                del active[name]
        yield dict(latest)
    return results


def loss_at_work(history: dict[str, np.ndarray], multiply_adds: float) -> float:
    """The loss a method held once it had done this much work: its last record at or before it.

    `history` holds "multiply_adds" (rising) and "loss" columns, as a ``SearchResult`` has. This is
    how methods are compared fairly: at the same x on the work axis, not at the ends of their runs.
    """
    work = np.asarray(history["multiply_adds"], dtype=float)
    i = int(np.searchsorted(work, multiply_adds, side="right")) - 1
    return float(history["loss"][i]) if i >= 0 else float("nan")


# --- "why guessing fails" views ------------------------------------------------------------------

def loss_slices(model: SearchModel, weights: np.ndarray, X: np.ndarray, y: np.ndarray,
                radius: float | None = None, points: int = 81,
                seed: int | np.random.Generator = 0) -> dict:
    """The loss along two straight lines through the weights: a random direction and −gradient.

    Both directions have unit length, so t is the distance moved in weight space. Along −∇L the
    loss falls at first (as steeply as any direction can); along a random direction in P dimensions
    it barely changes or rises. radius None picks the range so that the dip along −∇L is visible
    (twice the distance of the lowest point found along it). Returns {"t", "random", "gradient",
    "loss", "gradient_norm", "radius", "slopes"}: "slopes" holds the loss's slope at t = 0 along
    each line (the directional derivative ∇L·d), which tells the two apart even where the loss is
    nearly flat, as at the book's tiny starting weights.
    """
    X, y = _check_data(model, X, y)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    loss, grad = loss_gradient(model, weights, X, y)
    norm = float(np.linalg.norm(grad))
    downhill = -grad / norm if norm > 0 else np.zeros_like(grad)
    random_dir = rng.standard_normal(model.size)
    random_dir /= np.linalg.norm(random_dir)
    if radius is None:
        radius = _dip_radius(model, weights, downhill, X, y)
    t = np.linspace(-radius, radius, points)
    along_random = weights[None, :] + t[:, None] * random_dir[None, :]
    along_gradient = weights[None, :] + t[:, None] * downhill[None, :]
    both = _losses_in_chunks(model, np.concatenate([along_random, along_gradient]), X, y)
    slopes = {"random": float(grad @ random_dir), "gradient": -norm}
    return {"t": t, "random": both[:points], "gradient": both[points:], "loss": loss,
            "gradient_norm": norm, "radius": float(radius), "slopes": slopes}


def _dip_radius(model: SearchModel, weights, downhill, X, y, lo: float = 1e-3, hi: float = 2.0) -> float:
    """A range that shows the dip along −∇L: twice the step (searched on a log scale) that helps most."""
    steps = np.geomspace(lo, hi, 25)
    losses = _losses_in_chunks(model, weights[None, :] + steps[:, None] * downhill[None, :], X, y)
    return float(np.clip(2.0 * steps[int(np.argmin(losses))], lo, hi))


def _losses_in_chunks(model: SearchModel, candidates: np.ndarray, X, y) -> np.ndarray:
    """Batched losses, a few candidates at a time when the model is wide (bounded memory)."""
    step = max_batch_size(model, len(X))
    return np.concatenate([batched_loss_accuracy(model, candidates[i:i + step], X, y)[0]
                           for i in range(0, len(candidates), step)])


def gradient_magnitudes(model: SearchModel, weights: np.ndarray, X: np.ndarray,
                        y: np.ndarray) -> dict:
    """|∂L/∂w| for every parameter, with names: guessing treats them all alike, the loss does not."""
    X, y = _check_data(model, X, y)
    _, grad = loss_gradient(model, weights, X, y)
    return {"names": model.parameter_names(), "magnitude": np.abs(grad)}


def decision_grid(model: SearchModel, weights: np.ndarray, x_range: tuple[float, float],
                  y_range: tuple[float, float], resolution: int = 120) -> dict:
    """Predicted class and its probability on a resolution×resolution grid of the plane.

    Row i, column j is the point (xs[j], ys[i]). Returns {"xs", "ys", "classes", "confidence"}.
    """
    xs = np.linspace(x_range[0], x_range[1], resolution)
    ys = np.linspace(y_range[0], y_range[1], resolution)
    gx, gy = np.meshgrid(xs, ys)
    points = np.column_stack([gx.ravel(), gy.ravel()])
    proba = predict_proba(model, weights, points)
    shape = (resolution, resolution)
    return {"xs": xs, "ys": ys, "classes": proba.argmax(axis=1).reshape(shape),
            "confidence": proba.max(axis=1).reshape(shape)}


# --- one call for the command line ---------------------------------------------------------------

def make_data(dataset: str, samples: int = 100, classes: int = 3, noise: float | None = None,
              seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The named data set ("vertical" or "spiral"); noise None means the data set's default."""
    if dataset not in DATASETS:
        raise ValueError(f"unknown data set {dataset!r}; choose {' or '.join(DATASETS)}")
    options = {} if noise is None else {"noise": noise}
    return DATASETS[dataset](samples=samples, classes=classes, seed=seed, **options)


def run_search(dataset: str = "spiral", method: str = "tweak", iterations: int = 10_000,
               hidden: int = 3, seed: int = 0, samples: int = 100, classes: int = 3,
               step_size: float = STEP_SCALE, optimizer: str = "adam", learning_rate: float = 0.05,
               decay: float = 5e-7, step_rule: str = "fixed") -> dict:
    """Run one method to the end and summarise it as a plain dict (what `main.py search` prints).

    Trial and error adds its step rule, sweeps, last step and why it ended.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    X, y = make_data(dataset, samples, classes, seed=seed)
    model = SearchModel(X.shape[1], hidden, classes)
    result: SearchResult = drive(make_method(method, model, X, y, iterations, seed, step_size,
                                             optimizer, learning_rate, decay, step_rule=step_rule))
    final = result.final
    return {"dataset": dataset, "method": method, "iterations": int(final.iteration),
            "loss_evaluations": int(final.loss_evaluations), "multiply_adds": int(final.multiply_adds),
            "best_loss": result.best_loss,
            "accuracy": result.best_accuracy, "seconds": round(float(final.seconds), 4), **result.details}
