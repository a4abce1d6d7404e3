"""Descent Lab: start the window, or run one lesson's experiment headless from the command line.

    python main.py                         open the window
    python main.py --tab mnist             open it on one tab
    python main.py --screenshot out.png    lay the window out, save a picture of it, exit
    python main.py SUBCOMMAND --help       experiments without a window (see README)

The parser and the subcommands live in cli/, the window's start-up in gui/app.py.
"""

from __future__ import annotations

import sys

from engine.blas_threads import prefer_single_blas_thread

prefer_single_blas_thread()  # before NumPy loads: small batches gain nothing from BLAS threads

from cli import run  # noqa: E402  (after the BLAS setting on purpose)


def main(argv: list[str] | None = None) -> int:
    """The `descent-lab` command: the exit code of the window or of the subcommand."""
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
