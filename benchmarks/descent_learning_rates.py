"""How sharp the stability limit 2/λmax is, and how fast the descent engine runs.

For each x range of the lesson's data ([0, 1], [−1, 1], [0, 10]) prints λmin, λmax, the limit and
the fastest rate, then plain full-batch gradient descent at fractions of the limit: just below it a
run converges (slowly, because it zigzags), just above it the run diverges. Then updates per second
for each optimizer and batch mode (a one-sample run of 100 epochs is 10,000 updates).

    python benchmarks/descent_learning_rates.py [--epochs 400] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.descent import (  # noqa: E402
    BATCH_MODES,
    X_RANGES,
    DescentSettings,
    collect_run,
    make_problem,
    random_start,
)
from engine.optimizers import OPTIMIZERS  # noqa: E402

FRACTIONS = (0.5, 0.9, 0.99, 1.01, 1.1, 1.5)


def sweep(epochs: int, seed: int) -> None:
    start = random_start(seed)
    for name, x_range in X_RANGES.items():
        problem = make_problem(x_range, seed=seed)
        lo, hi = problem.eigenvalues()
        limit, fastest = problem.stability_limit(), problem.fastest_learning_rate()
        print(f"\nx in {name}: λmin {lo:.4g}  λmax {hi:.4g}  limit 2/λmax {limit:.4g}  fastest {fastest:.4g}")
        w_opt, b_opt = problem.optimum()
        for fraction in FRACTIONS + (fastest / limit,):
            lr = fraction * limit
            run = collect_run(problem, DescentSettings(lr, epochs=epochs), start)
            label = "fastest" if fraction == fastest / limit else f"{fraction:.2f}×limit"
            if run.diverged:
                outcome = f"diverged at epoch {run.diverged_at}"
            else:
                distance = ((run.w[-1] - w_opt) ** 2 + (run.b[-1] - b_opt) ** 2) ** 0.5
                outcome = f"loss {run.final_loss:.5f}, distance to the fit {distance:.2e}"
            print(f"  η = {lr:<10.4g} ({label:>12}): {outcome}")


def speed(seed: int) -> None:
    problem = make_problem((0.0, 1.0), seed=seed)
    print("\nupdates per second (100 epochs, η = 0.05)")
    for optimizer in OPTIMIZERS:
        for batch in BATCH_MODES:
            t0 = time.perf_counter()
            run = collect_run(problem, DescentSettings(0.05, optimizer=optimizer, batch=batch, seed=seed), (0.0, 0.0))
            seconds = time.perf_counter() - t0
            print(f"  {optimizer:<9} {batch:<5} {run.w.size - 1:>6} updates  {(run.w.size - 1) / seconds:>10,.0f}/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sweep(args.epochs, args.seed)
    speed(args.seed)


if __name__ == "__main__":
    main()
