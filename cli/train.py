"""`train`: the foundation's generic trainer, Dense 2→hidden→classes on a toy data set."""

from __future__ import annotations

from cli.common import CliError, add_common_options, add_optimizer_option, emit, positive_float, positive_int


def register(sub) -> None:
    p = sub.add_parser("train", help="train a small network on a toy data set",
                       description="Train Dense 2→hidden→classes on the vertical or spiral data set.")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--hidden", type=positive_int, default=64, help="hidden units (default 64)")
    add_optimizer_option(p, default="adam")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate (default 0.05)")
    p.add_argument("--decay", type=float, default=0.0, help="learning-rate decay (default 0)")
    p.add_argument("--epochs", type=positive_int, default=3000)
    p.add_argument("--init", choices=["he", "xavier", "small"], default="he",
                   help="weight initialisation (default he; 'small' is the book's 0.01·N(0,1))")
    p.add_argument("--samples", type=positive_int, default=100, help="points per class")
    p.add_argument("--classes", type=positive_int, default=3)
    add_common_options(p)
    p.set_defaults(handler=run_train)


def run_train(args) -> int:
    from engine.training import run_toy_training

    if args.classes < 2:
        raise CliError("--classes must be at least 2")
    result = run_toy_training(args.dataset, args.hidden, args.optimizer, args.lr, args.epochs,
                              args.seed, args.samples, args.classes, args.decay, args.init)
    emit(args, result)
    return 0
