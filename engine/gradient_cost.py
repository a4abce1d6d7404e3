"""What a numerical gradient costs for a real network, measured against backpropagation.

To get dL/dw numerically for every one of a network's P parameters, nudge each parameter in
turn, run a whole forward pass, and see how the loss moved:

* forward difference: one pass for the unchanged loss + one per parameter = P + 1 passes;
* central difference: two passes per parameter = 2P passes.

Backpropagation gets all P derivatives from one forward and one backward pass.  This module
does both on one batch of an ``engine.network`` MLP, times them, checks that the two
gradients agree, times a real network of about a million parameters, and scales both to a
full epoch of MNIST.

``gradient_cost`` is a generator: it yields ``CostProgress`` records often (several times a
second) so a caller can show progress and stop it between records; its return value (also
carried by the final record) is the report dict.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from engine.gradcheck import iter_numerical_gradient, relative_error
from engine.loops import drive
from engine.network import Network, build_mlp

NETWORK_PRESETS: dict[str, tuple[int, ...]] = {
    "small": (64, 16, 10),  # 8×8 digits: 1,210 parameters
    "lesson": (784, 16, 16, 10),  # the 3Blue1Brown digit network: 13,002 parameters
    "large": (784, 128, 64, 10),  # 109,386 parameters
}
DEFAULT_LAYERS = NETWORK_PRESETS["lesson"]
MNIST_TRAINING_IMAGES = 60_000
MILLION_LAYERS = (784, 1024, 192, 10)  # 1,002,570 parameters: "a million", measured for real
MAX_PARAMETERS = 5_000_000  # larger nets would need too much memory for a lesson
MAX_BATCH = 10_000
MAX_LAYERS = 32
#: Multiply-adds the numerical gradient may take (P² × batch): the "large" preset at batch 32 is
#: 3.8e11, a minute or so; 784-6000-10 would be 7e14, many hours.
MAX_NUMERICAL_WORK = 1e12
METHODS = ("forward", "central")
DEFAULT_EPS = 1e-6
PROGRESS_INTERVAL = 0.02  # seconds between progress records in the numerical loop


@dataclass
class CostProgress:
    """One progress record: where the numerical gradient stands after ``done`` parameters."""

    phase: str  # "backprop", "numerical" or "done"
    parameters: int
    done: int  # parameters whose numerical derivative is known
    forward_passes: int  # forward passes spent by the numerical method so far
    numerical_seconds: float  # wall time of the numerical loop so far
    backprop_seconds: float  # one forward + backward pass (measured first)
    estimated_total_seconds: float  # of the whole numerical gradient, from the pace so far
    report: dict | None = field(default=None)  # set on the final record


def parse_layers(text: str) -> tuple[int, ...]:
    """'784,16,16,10' -> (784, 16, 16, 10); raises ValueError with a one-line reason."""
    parts = [p.strip() for p in str(text).replace(" ", ",").split(",") if p.strip()]
    if len(parts) < 2:
        raise ValueError("layers need at least an input and an output size, e.g. 784,16,16,10")
    if len(parts) > MAX_LAYERS:
        raise ValueError(f"{len(parts)} layer sizes; at most {MAX_LAYERS}")
    sizes = []
    for part in parts:
        if not part.isdigit() or int(part) < 1:
            raise ValueError(f"layer size {part!r} is not a positive whole number")
        if int(part) > 100_000:
            raise ValueError(f"layer size {part} is too large (at most 100000)")
        sizes.append(int(part))
    check_network_size(sizes)
    return tuple(sizes)


def parameter_count(sizes) -> int:
    """Weights plus biases of a dense network with these layer sizes."""
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))


def check_network_size(sizes) -> None:
    count = parameter_count(sizes)
    if count > MAX_PARAMETERS:
        raise ValueError(f"{count:,} parameters is too many for this demonstration (at most {MAX_PARAMETERS:,})")


def forward_passes_needed(parameters: int, method: str = "forward") -> int:
    """P + 1 for forward differences, 2P for central ones."""
    return parameters + 1 if method == "forward" else 2 * parameters


def check_numerical_work(sizes, batch: int, method: str = "forward") -> None:
    """Refuse a measurement that would run for hours: each of the ~P forward passes costs about
    P·batch multiply-adds, so the work grows with P²."""
    count = parameter_count(sizes)
    work = forward_passes_needed(count, method) * count * int(batch)
    if work > MAX_NUMERICAL_WORK:
        raise ValueError(f"a numerical gradient of {count:,} parameters on a batch of {batch} needs about "
                         f"{work:.1e} multiply-adds, hours of work (at most {MAX_NUMERICAL_WORK:.0e}, a few "
                         "minutes): choose a smaller network or batch")


def make_batch(sizes, batch: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A batch shaped like MNIST: grey levels in [0, 1] and integer class labels."""
    x = rng.random((batch, sizes[0]))
    y = rng.integers(0, sizes[-1], size=batch)
    return x, y


def time_backprop(network: Network, x: np.ndarray, y: np.ndarray, budget: float = 0.05,
                  max_repeats: int = 50) -> tuple[float, list[np.ndarray]]:
    """Median seconds of one forward + backward pass, and the gradients it gives."""
    times = []
    start = time.perf_counter()
    while len(times) < max_repeats and (len(times) < 3 or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        network.loss_and_gradients(x, y)
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), network.gradients()


def numerical_gradients(network: Network, x: np.ndarray, y: np.ndarray, method: str = "forward",
                        eps: float = DEFAULT_EPS, progress_every: float = PROGRESS_INTERVAL,
                        ) -> Iterator[tuple[int, int, float]]:
    """Finite-difference gradient of the batch loss for every parameter, one pass at a time.

    Yields (parameters done, forward passes, seconds) at least every ``progress_every``
    seconds, so the caller can stop early; returns the list of gradient arrays.
    """
    params = network.parameters()
    grads = [np.zeros(p.value.shape, dtype=np.float64) for p in params]
    start = last_report = time.perf_counter()
    passes = 0
    done = 0
    base = None
    if method == "forward":
        base = network.loss_value(x, y)
        passes += 1
    for p, g in zip(params, grads):
        before = passes
        steps = iter_numerical_gradient(lambda: network.loss_value(x, y), p.value, eps, method, base=base)
        while True:
            try:
                passes = before + next(steps)
            except StopIteration as end:
                g[...] = end.value[0]
                break
            done += 1
            now = time.perf_counter()
            if now - last_report >= progress_every:
                last_report = now
                yield done, passes, now - start
    yield done, passes, time.perf_counter() - start
    return grads


def time_million_network(batch: int, seed: int = 0, repeats: int = 5) -> tuple[int, float, float]:
    """Measure a real network of about a million parameters on a batch of this size.

    Returns (parameters, seconds per forward pass, seconds per forward + backward pass), each
    the median of ``repeats`` runs.  Measuring beats assuming: for small networks Python's
    fixed cost per pass dominates, so scaling their times up by parameter count would mislead.
    """
    rng = np.random.default_rng(seed)
    network = build_mlp(MILLION_LAYERS, activation="sigmoid", loss="sse", init="xavier", seed=rng)
    x, y = make_batch(MILLION_LAYERS, batch, rng)
    forward, both = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        network.loss_value(x, y)
        t1 = time.perf_counter()
        network.loss_and_gradients(x, y)
        t2 = time.perf_counter()
        forward.append(t1 - t0)
        both.append(t2 - t1)
    return network.parameter_count(), float(np.median(forward)), float(np.median(both))


def extrapolate(parameters: int, batch: int, method: str, numerical_seconds: float, passes: int,
                backprop_seconds: float, million: tuple[int, float, float]) -> dict:
    """Scale the measurements to a full MNIST epoch, for this network and a million-parameter one.

    ``million`` is (parameters, forward seconds, forward + backward seconds) measured by
    ``time_million_network``.  An epoch is ceil(60,000 / batch) batches.
    """
    million_parameters, million_forward, million_backprop = million
    batches_per_epoch = math.ceil(MNIST_TRAINING_IMAGES / batch)
    full_numerical = forward_passes_needed(parameters, method) * numerical_seconds / max(passes, 1)
    million_numerical = forward_passes_needed(million_parameters, method) * million_forward
    return {
        "seconds_per_forward_pass": numerical_seconds / max(passes, 1),
        "batches_per_epoch": batches_per_epoch,
        "epoch_numerical_seconds": full_numerical * batches_per_epoch,
        "epoch_backprop_seconds": backprop_seconds * batches_per_epoch,
        "million_layers": list(MILLION_LAYERS),
        "million_parameters": million_parameters,
        "million_forward_seconds": million_forward,
        "million_numerical_seconds": million_numerical,
        "million_backprop_seconds": million_backprop,
        "million_epoch_numerical_seconds": million_numerical * batches_per_epoch,
        "million_epoch_backprop_seconds": million_backprop * batches_per_epoch,
    }


def gradient_cost(layers=DEFAULT_LAYERS, batch: int = 32, method: str = "forward", seed: int = 0,
                  activation: str = "sigmoid", loss: str = "sse", eps: float = DEFAULT_EPS,
                  should_stop: Callable[[], bool] | None = None) -> Iterator[CostProgress]:
    """Measure one batch's gradient both ways; yields CostProgress, returns the report dict.

    The default network is the lesson's: sigmoid everywhere with the squared-error cost.
    Stopping (``should_stop()`` true, or simply not iterating further) ends the generator
    between records and returns None.
    """
    sizes = tuple(int(s) for s in layers)
    check_network_size(sizes)
    if method not in METHODS:
        raise ValueError(f"method must be 'forward' or 'central', not {method!r}")
    if not 1 <= int(batch) <= MAX_BATCH:
        raise ValueError(f"batch must be between 1 and {MAX_BATCH}, not {batch}")
    batch = int(batch)
    check_numerical_work(sizes, batch, method)
    rng = np.random.default_rng(seed)
    network = build_mlp(sizes, activation=activation, loss=loss, init="xavier", seed=rng)
    x, y = make_batch(sizes, batch, rng)
    count = network.parameter_count()
    needed = forward_passes_needed(count, method)

    backprop_seconds, backprop_grads = time_backprop(network, x, y)
    yield CostProgress("backprop", count, 0, 0, 0.0, backprop_seconds, float("nan"))

    steps = numerical_gradients(network, x, y, method, eps)
    while True:
        try:
            done, passes, seconds = next(steps)
        except StopIteration as finished:
            numerical_grads = finished.value
            break
        if should_stop is not None and should_stop():
            steps.close()
            return None
        estimate = seconds / passes * needed if passes else float("nan")
        yield CostProgress("numerical", count, done, passes, seconds, backprop_seconds, estimate)

    numerical_seconds = seconds
    if should_stop is not None and should_stop():
        return None
    million = time_million_network(batch, seed)
    flat_numerical = np.concatenate([g.ravel() for g in numerical_grads])
    flat_backprop = np.concatenate([g.ravel() for g in backprop_grads])
    report = {
        "layers": list(sizes),
        "batch": batch,
        "method": method,
        "parameters": count,
        "numerical_forward_passes": passes,
        "backprop_forward_passes": 1,
        "backprop_backward_passes": 1,
        "numerical_seconds": numerical_seconds,
        "backprop_seconds": backprop_seconds,
        "speedup": numerical_seconds / backprop_seconds if backprop_seconds > 0 else float("inf"),
        "max_abs_difference": float(np.max(np.abs(flat_numerical - flat_backprop))),
        "relative_error": relative_error(flat_numerical, flat_backprop),
        "largest_gradient": float(np.max(np.abs(flat_backprop))),
    }
    report.update(extrapolate(count, batch, method, numerical_seconds, passes, backprop_seconds, million))
    yield CostProgress("done", count, done, passes, numerical_seconds, backprop_seconds, numerical_seconds, report)
    return report


def run_gradient_cost(**kwargs) -> dict:
    """Drive ``gradient_cost`` to the end and return its report (for the command line)."""
    return drive(gradient_cost(**kwargs))


def format_duration(seconds: float) -> str:
    """Seconds in the unit a person would use: '350 µs', '4.2 s', '3.1 h', '2.5 years'."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    units = [
        (365.25 * 86400, "years"), (86400, "days"), (3600, "h"), (60, "min"), (1, "s"), (1e-3, "ms"), (1e-6, "µs"),
    ]
    for size, name in units:
        if seconds >= size:
            value = seconds / size
            return f"{value:.3g} {name}" if value < 1000 or name != "years" else f"{value:,.0f} {name}"
    return f"{seconds * 1e9:.3g} ns"
