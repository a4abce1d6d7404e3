"""Seconds per 60,000-sample epoch of 784‑16‑16‑10 (ReLU, softmax cross-entropy, plain SGD).

The engine is timed through its public API (build_mlp + SGD + train) and compared, in the same run,
with a minimal hand-written NumPy loop doing the same arithmetic, and with PyTorch on the CPU when it
happens to be installed. The ratio engine / minimal loop is the figure to watch (target <= 1.3).
Timing does not depend on pixel values, so the real MNIST files are used when found and random
images of the same shape otherwise.

Engine and minimal runs alternate and the best of each is kept, so a burst of load from other
programs hits both sides alike. Matrix products run on one BLAS thread unless --blas-threads says
otherwise (set before NumPy loads): these batches are too small for threads to pay off.

    python benchmarks/engine_epoch.py [--quick] [--repeats N] [--blas-threads N] [--mnist-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import _common  # first: puts the project on the path, fixes BLAS threads

_common.set_blas_threads_from_argv()

import numpy as np  # noqa: E402

from engine.loops import drive  # noqa: E402
from engine.network import build_mlp  # noqa: E402
from engine.optimizers import SGD  # noqa: E402
from engine.training import train  # noqa: E402

SIZES = [784, 16, 16, 10]
LR = 0.1


def training_data(n: int, cli_dir: str | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    from engine.mnist import load_split
    directory = _common.mnist_dir(cli_dir)
    if directory is not None:
        images, labels = load_split(directory, "train")
        return images[:n], labels[:n], f"MNIST from {directory}"
    rng = np.random.default_rng(0)
    return (rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n), "random images (MNIST not found)")


def engine_epoch(x, y, batch: int) -> float:
    net = build_mlp(SIZES, "relu", "softmax_ce", init="he", seed=0, dtype=np.float32)
    opt = SGD(net.parameters(), learning_rate=LR)
    started = time.perf_counter()
    drive(train(net, opt, x, y, epochs=1, batch_size=batch, seed=0, report_every=10**9))
    return time.perf_counter() - started


def minimal_epoch(x, y, batch: int) -> float:
    """The same network and update, written as directly as NumPy allows."""
    rng = np.random.default_rng(0)
    ws = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32) for a, b in zip(SIZES[:-1], SIZES[1:])]
    bs = [np.zeros(b, np.float32) for b in SIZES[1:]]
    eye = np.eye(10, dtype=np.float32)
    started = time.perf_counter()
    order = rng.permutation(len(x))
    for s in range(0, len(x), batch):
        idx = order[s:s + batch]
        a0, t = x[idx], eye[y[idx]]
        z1 = a0 @ ws[0] + bs[0]; a1 = np.maximum(z1, 0)
        z2 = a1 @ ws[1] + bs[1]; a2 = np.maximum(z2, 0)
        z3 = a2 @ ws[2] + bs[2]
        e = np.exp(z3 - z3.max(1, keepdims=True)); p = e / e.sum(1, keepdims=True)
        d3 = (p - t) / len(idx)
        d2 = (d3 @ ws[2].T) * (z2 > 0)
        d1 = (d2 @ ws[1].T) * (z1 > 0)
        for w, b, a, d in ((ws[2], bs[2], a2, d3), (ws[1], bs[1], a1, d2), (ws[0], bs[0], a0, d1)):
            w -= LR * (a.T @ d)
            b -= LR * d.sum(0)
    return time.perf_counter() - started


def torch_epoch(x, y, batch: int) -> float | None:
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16),
                                torch.nn.ReLU(), torch.nn.Linear(16, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    started = time.perf_counter()
    order = torch.randperm(len(xt))
    for s in range(0, len(xt), batch):
        idx = order[s:s + batch]
        opt.zero_grad()
        loss_fn(model(xt[idx]), yt[idx]).backward()
        opt.step()
    return time.perf_counter() - started


def best_of_alternating(repeats: int, x, y, batch: int) -> tuple[float, float]:
    """Best engine time and best minimal time, the two run in turn."""
    engine_times, minimal_times = [], []
    for _ in range(repeats):
        engine_times.append(engine_epoch(x, y, batch))
        minimal_times.append(minimal_epoch(x, y, batch))
    return min(engine_times), min(minimal_times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6,000 samples, two repeats: proves the script runs")
    parser.add_argument("--repeats", type=int, default=5, help="best of N alternating runs (default 5)")
    _common.add_blas_option(parser)
    parser.add_argument("--mnist-dir", help="folder with the MNIST files (default: search)")
    args = parser.parse_args()
    n = 6_000 if args.quick else 60_000
    repeats = 2 if args.quick else max(1, args.repeats)
    x, y, source = training_data(n, args.mnist_dir)
    scale = 60_000 / n
    print(f"784-16-16-10, ReLU, softmax cross-entropy, SGD; {n} samples ({source}); "
          f"best of {repeats}; BLAS threads {os.environ.get('OPENBLAS_NUM_THREADS')}")
    print(f"{'batch':>5}  {'engine s/epoch':>14}  {'minimal s/epoch':>15}  {'ratio':>6}  {'torch s/epoch':>13}")
    ratios = {}
    for batch in (32, 128):
        e, m = best_of_alternating(repeats, x, y, batch)
        e, m = e * scale, m * scale
        t = torch_epoch(x, y, batch)
        torch_text = f"{t * scale:13.3f}" if t is not None else f"{'not installed':>13}"
        print(f"{batch:>5}  {e:14.3f}  {m:15.3f}  {e / m:6.2f}  {torch_text}")
        ratios[batch] = (e, e / m)
    for batch, (seconds, ratio) in ratios.items():
        _common.figure(f"engine_epoch_seconds_batch{batch}", seconds, "s")
        _common.figure(f"engine_vs_minimal_batch{batch}", ratio, "x", "<= 1.3", ratio <= 1.3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
