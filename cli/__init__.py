"""The command line: one parser for the window's options and every headless experiment.

    descent-lab [--tab T] [--seed N] [--projector] [--screenshot FILE]   the window (gui/app.py)
    descent-lab SUBCOMMAND ...                                            an experiment, no window

One module per subcommand family (train, derivatives, search, descent, mnist, and shortcut for
`install-shortcut`, the desktop menu entry) adds its parsers and handlers; `common` holds what
they share. Engine modules are imported inside the handlers, so `--help` and a mistyped option
answer at once.
"""

from __future__ import annotations

import argparse

from cli import derivatives, descent, mnist, search, shortcut, train
from cli.common import MAX_SEED, PROGRAM, CliError, OneLineErrorParser, report_error, whole_number
from engine import __version__

#: The window's tabs by command-line name (the same names as gui.main_window.TAB_NAMES; a test checks).
TAB_CHOICES = ["derivatives", "random-search", "gradient-descent", "mnist"]

SUBCOMMAND_FAMILIES = (train, derivatives, search, descent, mnist, shortcut)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineErrorParser(prog=PROGRAM,
                                description="Why neural networks learn with derivatives, shown by measurement.")
    parser.add_argument("--version", action="version", version=f"Descent Lab {__version__}")
    parser.add_argument("--tab", choices=TAB_CHOICES, help="the tab to open first")
    parser.add_argument("--seed", type=whole_number(0, MAX_SEED), default=0,
                        help=f"random seed for the lessons, 0–{MAX_SEED} (default 0)")
    parser.add_argument("--mnist-dir", metavar="DIR",
                        help="folder with the four MNIST files (else $DESCENT_LAB_MNIST_DIR, the folder chosen "
                             "last time, or the user data folder)")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="save a PNG of the window and exit (with no screen: QT_QPA_PLATFORM=offscreen)")
    parser.add_argument("--screenshot-delay", type=whole_number(0, 60_000), default=1500, metavar="MS",
                        help="how long the window runs before the screenshot is taken, 0–60000 (default 1500 ms)")
    parser.add_argument("--projector", action="store_true",
                        help="start in projector mode: larger text, thicker lines (View menu to turn off)")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=OneLineErrorParser)
    for family in SUBCOMMAND_FAMILIES:
        family.register(sub)
    return parser


def run(argv: list[str] | None = None) -> int:
    """Parse argv (default: sys.argv) and run the subcommand, or open the window; the exit code."""
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        from gui.app import run_gui

        return run_gui(tab=args.tab, seed=args.seed, mnist_dir=args.mnist_dir, screenshot=args.screenshot,
                       screenshot_delay=args.screenshot_delay, projector=args.projector)
    import numpy as np

    try:
        # A run that diverges is reported in its result (the loss becomes null, a save is refused),
        # not as a shower of NumPy overflow warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return handler(args)
    except (CliError, ValueError) as exc:
        report_error(exc)
        return 2
