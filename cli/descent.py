"""`descent`: the Gradient Descent lesson without a window, one run per learning rate."""

from __future__ import annotations

import argparse
import math

from cli.common import add_common_options, add_optimizer_option, emit, positive_float, whole_number

MAX_RATES = 20
MAX_X = 1e6     # x² of the data must stay far from overflow


def register(sub) -> None:
    p = sub.add_parser(
        "descent", help="fit y = 2x + 1 by gradient descent at several learning rates",
        description="Fit ŷ = w·x + b to 100 noisy points of y = 2x + 1 by minimising the mean squared "
                    "error, once per learning rate from the same random start. Plain full-batch descent "
                    "has three regimes, from the Hessian's eigenvalues: smooth up to 1/λmax, oscillating "
                    "but converging up to the stability limit 2/λmax, diverging above it; every run "
                    "reports its regime (momentum, Adam and mini-batches: judged from the loss). A run "
                    "stops as diverged when its loss becomes non-finite or grows steadily: plain full-batch "
                    "descent when it rises at 3 updates in a row, other methods when it stays 10 times "
                    "above its start for a whole epoch.")
    p.add_argument("--lrs", type=learning_rates, default=[0.01, 0.1, 0.5], metavar="LR,LR,...",
                   help=f"comma-separated positive learning rates, at most {MAX_RATES} (default 0.01,0.1,0.5)")
    p.add_argument("--epochs", type=whole_number(1, 10_000), default=100, help="passes over the data, 1–10000 (default 100)")
    p.add_argument("--x-range", type=x_range, default=(0.0, 1.0), metavar="LOW,HIGH",
                   help="x interval of the data within ±1e6 (default 0,1); write negative ones as --x-range=-1,1")
    add_optimizer_option(p, default="sgd")
    p.add_argument("--batch", choices=["full", "mini", "one"], default="full",
                   help="gradient from all points, from mini-batches, or from one point at a time")
    p.add_argument("--batch-size", type=whole_number(1, 100), default=10, help="mini-batch size, 1–100 (default 10)")
    add_common_options(p)
    p.set_defaults(handler=run_descent_command)


def learning_rates(text: str) -> list[float]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("give at least one learning rate, e.g. 0.01,0.1,0.5")
    if len(parts) > MAX_RATES:
        raise argparse.ArgumentTypeError(f"give at most {MAX_RATES} learning rates, not {len(parts)}")
    return [positive_float(part) for part in parts]


def x_range(text: str) -> tuple[float, float]:
    parts = text.strip().strip("[]()").split(",")
    try:
        low, high = (float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH such as 0,1 or -1,1, got {text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise argparse.ArgumentTypeError(f"expected two finite numbers with LOW < HIGH, got {text!r}")
    if max(abs(low), abs(high)) > MAX_X:
        raise argparse.ArgumentTypeError(f"expected x between {-MAX_X:g} and {MAX_X:g}, got {text!r}")
    return low, high


def run_descent_command(args) -> int:
    from engine.descent import run_descent

    result = run_descent(args.lrs, epochs=args.epochs, seed=args.seed, x_range=args.x_range,
                         optimizer=args.optimizer, batch=args.batch, batch_size=args.batch_size)
    rows = [("x range", f"[{result['x_range'][0]:g}, {result['x_range'][1]:g}]"),
            ("smooth up to 1/λmax", result["smooth_limit"]),
            ("stability limit 2/λmax", result["stability_limit"]),
            ("fastest rate 2/(λmin+λmax)", result["fastest_lr"]),
            ("least-squares fit", f"w = {result['optimum']['w']:.4f}, b = {result['optimum']['b']:.4f}"),
            ("start", f"w = {result['start']['w']:.4f}, b = {result['start']['b']:.4f}")]
    for run in result["runs"]:
        rows.append((f"lr {run['lr']:g}", run["outcome"]))
    emit(args, result, rows)
    return 0
