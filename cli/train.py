"""`train`: the foundation's generic trainer, Dense 2→hidden→classes on a toy data set."""

from __future__ import annotations

from cli.common import (add_common_options, add_optimizer_option, check_work, emit, non_negative_float,
                        positive_float, whole_number)

#: Activations of points × hidden units (8 bytes each, several arrays alive at once): 80 MB each.
MAX_ACTIVATIONS = 10_000_000
#: epochs × points × hidden: about a minute or two on a laptop; the default run is 58 million.
MAX_WORK = 10_000_000_000


def register(sub) -> None:
    p = sub.add_parser("train", help="train a small network on a toy data set",
                       description="Train Dense 2→hidden→classes on the vertical or spiral data set.")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--hidden", type=whole_number(1, 1024), default=64, help="hidden units, 1–1024 (default 64)")
    add_optimizer_option(p, default="adam")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate, any positive number (default 0.05)")
    p.add_argument("--decay", type=non_negative_float, default=0.0, help="learning-rate decay, 0 or more (default 0)")
    p.add_argument("--epochs", type=whole_number(1, 100_000), default=3000, help="full-batch steps, 1–100000 (default 3000)")
    p.add_argument("--init", choices=["he", "xavier", "small"], default="he",
                   help="weight initialisation (default he; 'small' is the book's 0.01·N(0,1))")
    p.add_argument("--samples", type=whole_number(1, 10_000), default=100, help="points per class, 1–10000 (default 100)")
    p.add_argument("--classes", type=whole_number(2, 20), default=3, help="classes, 2–20 (default 3)")
    add_common_options(p)
    p.set_defaults(handler=run_train)


def run_train(args) -> int:
    from engine.training import run_toy_training

    check_work(MAX_ACTIVATIONS, "activations to hold in memory",
               samples=args.samples, classes=args.classes, hidden=args.hidden)
    check_work(MAX_WORK, "far too long a run", epochs=args.epochs, samples=args.samples,
               classes=args.classes, hidden=args.hidden)
    result = run_toy_training(args.dataset, args.hidden, args.optimizer, args.lr, args.epochs,
                              args.seed, args.samples, args.classes, args.decay, args.init)
    emit(args, result)
    return 0
