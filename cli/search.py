"""`search`: the Random Search lesson without a window: guess the weights, or follow the gradient."""

from __future__ import annotations

from cli.common import add_common_options, add_optimizer_option, add_step_rule_option, emit, positive_float, whole_number


def register(sub) -> None:
    p = sub.add_parser("search", help="train the book's small classifier by guessing or by gradient",
                       description="Random search, tweak-and-keep, trial and error or gradient descent on "
                                   "Dense 2→hidden→classes (NNFS chapter 6). Weights start at 0.01·N(0,1). "
                                   "Reports the work done two ways: loss_evaluations (forward passes over "
                                   "the data) and multiply_adds (the arithmetic: a guess or a try is one "
                                   "forward pass, a gradient step a forward and a backward pass, counted as 3).")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--method", choices=["random", "tweak", "trial", "gradient"], default="tweak",
                   help="random: fresh guesses; tweak: keep small changes that lower the loss; "
                        "trial: trial and error, one weight at a time up or down by --step, keeping what "
                        "lowers the loss; gradient: follow the gradient with --optimizer")
    p.add_argument("--iterations", type=whole_number(1, 10_000_000), default=10_000,
                   help="guesses, tries or gradient steps, 1–10000000 (default 10000)")
    p.add_argument("--hidden", type=whole_number(1, 1024), default=3, help="hidden units, 1–1024 (default 3, the book's)")
    p.add_argument("--samples", type=whole_number(1, 100_000), default=100, help="points per class, 1–100000 (default 100)")
    p.add_argument("--classes", type=whole_number(2, 20), default=3, help="number of classes, 2–20 (default 3)")
    p.add_argument("--step", type=positive_float, default=0.05,
                   help="size of guesses and tweaks, step·N(0,1), and of trial and error's ±step: any positive "
                        "number (default 0.05)")
    add_step_rule_option(p)
    add_optimizer_option(p, default="adam", purpose="for --method gradient: ")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate for --method gradient (default 0.05)")
    add_common_options(p)
    p.set_defaults(handler=run_search_command)


def run_search_command(args) -> int:
    from engine.search import run_search

    result = run_search(args.dataset, args.method, args.iterations, args.hidden, args.seed,
                        samples=args.samples, classes=args.classes, step_size=args.step,
                        optimizer=args.optimizer, learning_rate=args.lr, step_rule=args.step_rule)
    emit(args, result)
    return 0
