"""`search`: the Random Search lesson without a window: guess the weights, or follow the gradient."""

from __future__ import annotations

from cli.common import (CliError, add_common_options, add_optimizer_option, add_step_rule_option, emit,
                        positive_float, positive_int)

#: Upper bounds that keep a typo (an extra zero or three) from running for hours or exhausting memory.
LIMITS = {"iterations": 10_000_000, "hidden": 1024, "samples": 100_000, "classes": 20}


def register(sub) -> None:
    p = sub.add_parser("search", help="train the book's small classifier by guessing or by gradient",
                       description="Random search, tweak-and-keep, trial and error or gradient descent on "
                                   "Dense 2→hidden→classes (NNFS chapter 6). Weights start at 0.01·N(0,1).")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--method", choices=["random", "tweak", "trial", "gradient"], default="tweak",
                   help="random: fresh guesses; tweak: keep small changes that lower the loss; "
                        "trial: trial and error, one weight at a time up or down by --step, keeping what "
                        "lowers the loss; gradient: follow the gradient with --optimizer")
    p.add_argument("--iterations", type=positive_int, default=10_000,
                   help="guesses, tries or gradient steps: one loss evaluation each (default 10000)")
    p.add_argument("--hidden", type=positive_int, default=3, help="hidden units (default 3, the book's)")
    p.add_argument("--samples", type=positive_int, default=100, help="points per class (default 100)")
    p.add_argument("--classes", type=positive_int, default=3, help="number of classes (default 3)")
    p.add_argument("--step", type=positive_float, default=0.05,
                   help="size of guesses and tweaks, step·N(0,1), and of trial and error's ±step (default 0.05)")
    add_step_rule_option(p)
    add_optimizer_option(p, default="adam", purpose="for --method gradient: ")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate for --method gradient (default 0.05)")
    add_common_options(p)
    p.set_defaults(handler=run_search_command)


def run_search_command(args) -> int:
    from engine.search import run_search

    if args.classes < 2:
        raise CliError("--classes must be at least 2")
    for name, limit in LIMITS.items():
        value = getattr(args, name)
        if value > limit:
            raise CliError(f"--{name} is limited to {limit:,} (got {value:,})")
    result = run_search(args.dataset, args.method, args.iterations, args.hidden, args.seed,
                        samples=args.samples, classes=args.classes, step_size=args.step,
                        optimizer=args.optimizer, learning_rate=args.lr, step_rule=args.step_rule)
    emit(args, result)
    return 0
