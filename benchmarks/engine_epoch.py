"""Seconds per 60,000-sample epoch of 784‑16‑16‑10 (ReLU, softmax cross-entropy, plain SGD).

The engine is timed through its public API (build_mlp + SGD + train) and compared, in the same run,
with a minimal hand-written NumPy loop doing the same arithmetic, and with PyTorch on the CPU when it
happens to be installed. The ratio engine / minimal loop is the figure to watch (target <= 1.3).
Timing does not depend on pixel values, so the real MNIST files are used when found and random
images of the same shape otherwise.

    python benchmarks/engine_epoch.py [--quick] [--repeats N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.network import build_mlp  # noqa: E402
from engine.optimizers import SGD  # noqa: E402
from engine.training import train  # noqa: E402

SIZES = [784, 16, 16, 10]
LR = 0.1


def training_data(n: int) -> tuple[np.ndarray, np.ndarray, str]:
    try:
        from engine.mnist import find_mnist_dir, load_mnist
        directory = find_mnist_dir()
        if directory is not None:
            data = load_mnist(directory)
            return data.train_images[:n], data.train_labels[:n], f"MNIST from {directory}"
    except ImportError:
        pass
    rng = np.random.default_rng(0)
    return (rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n), "random images (MNIST not found)")


def engine_epoch(x, y, batch: int) -> float:
    net = build_mlp(SIZES, "relu", "softmax_ce", init="he", seed=0, dtype=np.float32)
    opt = SGD(net.parameters(), learning_rate=LR)
    started = time.perf_counter()
    for _ in train(net, opt, x, y, epochs=1, batch_size=batch, seed=0, report_every=10**9):
        pass
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


def best_of(fn, repeats, *args) -> float:
    return min(fn(*args) for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6,000 samples, one repeat: proves the script runs")
    parser.add_argument("--repeats", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args()
    n = 6_000 if args.quick else 60_000
    repeats = 1 if args.quick else args.repeats
    x, y, source = training_data(n)
    scale = 60_000 / n
    print(f"784-16-16-10, ReLU, softmax cross-entropy, SGD; {n} samples ({source}); best of {repeats}")
    print(f"{'batch':>5}  {'engine s/epoch':>14}  {'minimal s/epoch':>15}  {'ratio':>6}  {'torch s/epoch':>13}")
    for batch in (32, 128):
        e = best_of(engine_epoch, repeats, x, y, batch) * scale
        m = best_of(minimal_epoch, repeats, x, y, batch) * scale
        t = torch_epoch(x, y, batch)
        torch_text = f"{t * scale:13.3f}" if t is not None else f"{'not installed':>13}"
        print(f"{batch:>5}  {e:14.3f}  {m:15.3f}  {e / m:6.2f}  {torch_text}")
    print("target: engine <= 1.3 x the minimal loop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
