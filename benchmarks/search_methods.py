"""The chapter 6 lesson at full size, and how much batching the candidates speeds guessing up.

Prints, for the vertical and spiral data (3 × 100 points, Dense 2→3→3 unless --hidden), the best loss
and accuracy of pure random search, tweak-and-keep and gradient descent (Adam, lr 0.05) after the same
number of iterations, then candidates per second evaluated one by one through the engine Network
versus K at a time in one batched pass.

    python benchmarks/search_methods.py [--iterations 10000] [--hidden 3] [--seeds 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.search import METHODS, run_search  # noqa: E402
from engine.search_model import SearchModel, batched_loss_accuracy, evaluate_with_network  # noqa: E402
from engine.datasets import spiral_data  # noqa: E402


def lesson_table(iterations: int, hidden: int, seeds: int) -> None:
    print(f"{'data':9} {'method':9} {'loss (mean ± sd)':>18} {'accuracy':>9} {'seconds':>8}")
    for dataset in ("vertical", "spiral"):
        for method in METHODS:
            runs = [run_search(dataset, method, iterations, hidden, seed) for seed in range(seeds)]
            losses = np.array([r["best_loss"] for r in runs])
            accs = np.array([r["accuracy"] for r in runs])
            secs = np.mean([r["seconds"] for r in runs])
            print(f"{dataset:9} {method:9} {losses.mean():10.4f} ± {losses.std():.4f} {accs.mean():9.3f} {secs:8.2f}")


def batching_speed(hidden: int, candidates: int = 2000) -> None:
    X, y = spiral_data(100, 3, seed=0)
    model = SearchModel(2, hidden, 3)
    weights = 0.05 * np.random.default_rng(0).standard_normal((candidates, model.size))
    start = time.perf_counter()
    for w in weights[:200]:
        evaluate_with_network(model, w, X, y)
    one_by_one = 200 / (time.perf_counter() - start)
    print(f"\none by one through Network: {one_by_one:12,.0f} candidates/s")
    for k in (1, 16, 64, 256):
        start = time.perf_counter()
        for i in range(0, candidates, k):
            batched_loss_accuracy(model, weights[i:i + k], X, y)
        rate = candidates / (time.perf_counter() - start)
        print(f"batched, K = {k:4d}:          {rate:12,.0f} candidates/s  ({rate / one_by_one:5.1f}×)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=10_000)
    parser.add_argument("--hidden", type=int, default=3)
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    lesson_table(args.iterations, args.hidden, args.seeds)
    batching_speed(args.hidden)


if __name__ == "__main__":
    main()
