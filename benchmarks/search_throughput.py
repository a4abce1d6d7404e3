"""Random search on the spiral data with the book's 2-3-3 model: candidate evaluations per second.

Each candidate is a full set of 21 weights whose loss and accuracy over all 300 spiral points are
computed. The search evaluates many candidates in one batched pass (``engine.search``); the same
search one candidate at a time is timed in the same run, so the gain from batching is a ratio
measured on this machine, now. Tweak-and-keep (batched speculatively) is timed too.

    python benchmarks/search_throughput.py [--quick] [--repeats N] [--blas-threads N]

Target: >= 100,000 evaluations per second (batched random search).
"""

from __future__ import annotations

import argparse
import sys
import time

import _common  # first: puts the project on the path, fixes BLAS threads

_common.set_blas_threads_from_argv()

from engine.loops import drive  # noqa: E402
from engine.search import make_data, random_search, tweak_and_keep  # noqa: E402
from engine.search_model import SearchModel  # noqa: E402

TARGET = 100_000


def evaluations_per_second(method, model, X, y, iterations: int, batch_size: int | None) -> float:
    started = time.perf_counter()
    result = drive(method(model, X, y, iterations, seed=0, batch_size=batch_size))
    seconds = time.perf_counter() - started
    return result.final.iteration / seconds


def best_rate(repeats: int, *args) -> float:
    return max(evaluations_per_second(*args) for _ in range(repeats))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs, one repeat: proves the script runs")
    parser.add_argument("--repeats", type=int, default=3, help="best of N runs (default 3)")
    _common.add_blas_option(parser)
    args = parser.parse_args()
    repeats = 1 if args.quick else max(1, args.repeats)
    batched_iterations, single_iterations = (20_000, 500) if args.quick else (300_000, 5_000)
    X, y = make_data("spiral", samples=100, classes=3, seed=0)
    model = SearchModel(X.shape[1], 3, 3)
    print(f"spiral, {len(X)} points, model 2-3-3 ({model.size} weights); best of {repeats}")
    batched = best_rate(repeats, random_search, model, X, y, batched_iterations, None)
    single = best_rate(repeats, random_search, model, X, y, single_iterations, 1)
    tweak = best_rate(repeats, tweak_and_keep, model, X, y, batched_iterations // 3, None)
    print(f"{'method':<32}{'evaluations/s':>14}")
    print(f"{'random search, batched':<32}{batched:>14,.0f}")
    print(f"{'random search, one at a time':<32}{single:>14,.0f}")
    print(f"{'tweak and keep, batched':<32}{tweak:>14,.0f}")
    _common.figure("random_search_evaluations_per_s", batched, "1/s", f">= {TARGET:,}", batched >= TARGET)
    _common.figure("random_search_one_at_a_time_per_s", single, "1/s")
    _common.figure("batching_speed_up", batched / single, "x")
    _common.figure("tweak_and_keep_evaluations_per_s", tweak, "1/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
