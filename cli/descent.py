"""`descent`: the Gradient Descent lesson without a window, one run per learning rate, or trial and error."""

from __future__ import annotations

import argparse
import math

from cli.common import (CliError, add_common_options, add_optimizer_option, add_step_rule_option, emit,
                        positive_float, whole_number)

MAX_RATES = 20
MAX_X = 1e6     # x² of the data must stay far from overflow
#: Options that belong to one method only, with their defaults (None in the parser, so that giving
#: one to the other method can be refused instead of silently ignored).
GRADIENT_ONLY = {"lrs": [0.01, 0.1, 0.5], "optimizer": "sgd", "batch": "full", "batch_size": 10}
TRIAL_ONLY = {"step": 0.1, "step_rule": "fixed"}


def register(sub) -> None:
    p = sub.add_parser(
        "descent", help="fit y = 2x + 1 by gradient descent at several learning rates, or by trial and error",
        description="Fit ŷ = w·x + b to 100 noisy points of y = 2x + 1 by minimising the mean squared "
                    "error, once per learning rate from the same random start. Plain full-batch descent "
                    "has three regimes, from the Hessian's eigenvalues: smooth up to 1/λmax, oscillating "
                    "but converging up to the stability limit 2/λmax, diverging above it; every run "
                    "reports its regime (momentum, Adam and mini-batches: judged from the loss). A run "
                    "stops as diverged when its loss becomes non-finite or grows steadily: plain full-batch "
                    "descent when it rises at 3 updates in a row, other methods when it stays 10 times "
                    "above its start for a whole epoch. --method trial searches instead by trial and error: w, then "
                    "b, moved by ±step, each change kept only if the loss falls.")
    p.add_argument("--method", choices=["gradient", "trial"], default="gradient",
                   help="gradient: follow the gradient with --optimizer (default); trial: trial and error "
                        "(not an optimizer: it uses no gradient)")
    p.add_argument("--lrs", type=learning_rates, metavar="LR,LR,...",
                   help=f"comma-separated positive learning rates, at most {MAX_RATES} (default 0.01,0.1,0.5)")
    p.add_argument("--epochs", type=whole_number(1, 10_000), default=100,
                   help="passes over the data, 1–10000 (default 100); for --method trial its budget of loss "
                        "evaluations after the start's, each one pass")
    p.add_argument("--x-range", type=x_range, default=(0.0, 1.0), metavar="LOW,HIGH",
                   help="x interval of the data within ±1e6 (default 0,1); write negative ones as --x-range=-1,1")
    add_optimizer_option(p, default="sgd")
    p.add_argument("--batch", choices=["full", "mini", "one"],
                   help="gradient from all points (default), from mini-batches, or from one point at a time")
    p.add_argument("--batch-size", type=whole_number(1, 100), help="mini-batch size, 1–100 (default 10)")
    p.add_argument("--step", type=positive_float, help="for --method trial: the step tried up and down (default 0.1)")
    add_step_rule_option(p, default=None)
    p.set_defaults(handler=run_descent_command, optimizer=None)
    add_common_options(p)


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


def _settings(args) -> dict:
    """The options of the chosen method, defaults filled in; the other method's options refused."""
    own, other = (TRIAL_ONLY, GRADIENT_ONLY) if args.method == "trial" else (GRADIENT_ONLY, TRIAL_ONLY)
    given = [name for name in other if getattr(args, name) is not None]
    if given:
        options = ", ".join("--" + name.replace("_", "-") for name in given)
        raise CliError(f"{options} does not apply to --method {args.method}")
    return {name: default if getattr(args, name) is None else getattr(args, name) for name, default in own.items()}


def run_descent_command(args) -> int:
    settings = _settings(args)
    if args.method == "trial":
        from engine.descent_trial import run_trial_descent

        result = run_trial_descent(settings["step"], settings["step_rule"], epochs=args.epochs, seed=args.seed,
                                   x_range=args.x_range)
    else:
        from engine.descent import run_descent

        result = run_descent(settings["lrs"], epochs=args.epochs, seed=args.seed, x_range=args.x_range,
                             optimizer=settings["optimizer"], batch=settings["batch"],
                             batch_size=settings["batch_size"])
    emit(args, result, _problem_rows(result) + [_run_row(run) for run in result["runs"]])
    return 0


def _problem_rows(result: dict) -> list[tuple[str, object]]:
    return [("x range", f"[{result['x_range'][0]:g}, {result['x_range'][1]:g}]"),
            ("smooth up to 1/λmax", result["smooth_limit"]),
            ("stability limit 2/λmax", result["stability_limit"]),
            ("fastest rate 2/(λmin+λmax)", result["fastest_lr"]),
            ("least-squares fit", f"w = {result['optimum']['w']:.4f}, b = {result['optimum']['b']:.4f}"),
            ("start", f"w = {result['start']['w']:.4f}, b = {result['start']['b']:.4f}")]


def _run_row(run: dict) -> tuple[str, str]:
    fit = f"loss {run['final_loss']:.6g}   w = {run['w']:.4f}   b = {run['b']:.4f}"
    if "step" in run:
        from engine.trial_and_error import ended_because

        return (f"trial and error, step {run['step']:g} ({run['step_rule']})",
                f"{fit}   after {run['loss_evaluations']} loss evaluations, {run['sweeps']} sweeps "
                f"({run['evaluations_per_parameter_per_sweep']:.2f} per parameter per sweep); "
                f"{ended_because(run['ended'], run['step'])}")
    return f"lr {run['lr']:g}", run["outcome"]
