"""What every subcommand shares: one-line errors, table-or-JSON output, argument types, progress.

A command-line user gets either a readable table or exactly one JSON object on stdout, and a bad
request costs them one line on stderr and exit code 2, never a usage dump or a traceback.
"""

from __future__ import annotations

import argparse
import math
import sys
import time

PROGRAM = "descent-lab"


class CliError(Exception):
    """A problem with what the user asked for: printed as one line, exit code 2."""


class OneLineErrorParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: the user asks for --help when they want more."""

    def error(self, message: str):
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def report_error(message: object) -> None:
    """The one line a failed command prints on stderr."""
    print(f"{PROGRAM}: error: {message}", file=sys.stderr)


def emit(args: argparse.Namespace, record: dict, table_rows: list[tuple[str, object]] | None = None) -> None:
    """Print a result: one JSON object with --json, else a readable two-column table."""
    if getattr(args, "json", False):
        from engine import strict_json

        print(strict_json.dumps(record))   # NaN and infinity become null: strict parsers read it
        return
    rows = table_rows if table_rows is not None else list(record.items())
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        if isinstance(value, float):
            value = f"{value:.6g}" if math.isfinite(value) else str(value)
        print(f"{key:<{width}}  {value}")


# Every numeric option has bounds that keep memory and time reasonable on a 2-core laptop (README,
# "Limits"): a typo with three extra zeros costs one line and exit code 2, not gigabytes or hours.
MAX_SEED = 2**32 - 1


def whole_number(low: int, high: int):
    """An argparse type: a whole number from `low` to `high` (both included)."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text[:40]!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low:,} to {high:,}, got {value:,}")
        return value
    parse.__name__ = "whole number"
    return parse


def check_work(limit: float, what: str, **factors: int) -> None:
    """Refuse (CliError) when the product of `factors` exceeds `limit`: options that are each within
    bounds can still multiply into hours or gigabytes together."""
    product = math.prod(factors.values())
    if product > limit:
        names = " × ".join(f"--{name.replace('_', '-')}" for name in factors)
        raise CliError(f"{names} = {product:,} is more than {limit:,.0f} ({what}); make one of them smaller")


def _real(text: str, accept, wanted: str) -> float:
    """A finite float that `accept` likes, or an argparse error saying what was `wanted`."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text[:40]!r}") from None
    if not (math.isfinite(value) and accept(value)):
        raise argparse.ArgumentTypeError(f"expected {wanted}, got {text[:40]}")
    return value


def positive_float(text: str) -> float:
    return _real(text, lambda value: value > 0, "a positive number")


def finite_float(text: str) -> float:
    return _real(text, lambda value: True, "a finite number")


def non_negative_float(text: str) -> float:
    return _real(text, lambda value: value >= 0, "a number of 0 or more")


def add_common_options(parser: argparse.ArgumentParser, seed: bool = True) -> None:
    """--seed (for commands that draw random numbers) and --json."""
    if seed:
        parser.add_argument("--seed", type=whole_number(0, MAX_SEED), default=0,
                            help=f"random seed, 0–{MAX_SEED} (same seed, same result)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


def optimizer_name(text: str) -> str:
    """An --optimizer value as its registry name; old spellings (gd) are accepted."""
    from engine.optimizers import canonical_optimizer

    if text.strip().lower() == "trial":
        raise argparse.ArgumentTypeError("trial and error follows no gradient, so it is a method, "
                                         "not an optimizer: use --method trial")
    try:
        return canonical_optimizer(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_optimizer_option(parser: argparse.ArgumentParser, default: str, purpose: str = "") -> None:
    """--optimizer, its choices and titles taken from the registry (engine.optimizers)."""
    from engine.optimizers import OPTIMIZERS

    titles = ", ".join(f"{name}: {kind.title}" for name, kind in OPTIMIZERS.items())
    parser.add_argument("--optimizer", type=optimizer_name, choices=list(OPTIMIZERS), default=default,
                        help=f"{purpose}{titles} (default {default})")


def add_step_rule_option(parser: argparse.ArgumentParser, default: str | None = "fixed") -> None:
    """--step-rule of trial and error, its choices and their meaning taken from the engine."""
    from engine.trial_and_error import STEP_RULE_DESCRIPTIONS

    meanings = "; ".join(f"{name}: {text}" for name, text in STEP_RULE_DESCRIPTIONS.items())
    parser.add_argument("--step-rule", choices=list(STEP_RULE_DESCRIPTIONS), default=default,
                        help=f"for --method trial: {meanings} (default fixed, the lesson's)")


class ProgressBar:
    """A one-line text progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.last_draw = 0.0

    def update(self, record) -> None:
        finished = record.bytes_done >= record.bytes_total
        now = time.monotonic()
        if not finished and (not self.live or now - self.last_draw < 0.1):
            return
        self.last_draw = now
        fraction = record.bytes_done / record.bytes_total if record.bytes_total else 1.0
        bar = "#" * int(30 * fraction)
        scale, unit = (1e6, "MB") if record.bytes_total >= 1e6 else (1e3, "kB")
        line = (f"[{record.file_index + 1}/{record.file_count}] {record.file:<28} [{bar:<30}] "
                f"{record.bytes_done / scale:6.2f}/{record.bytes_total / scale:.2f} {unit}"
                + ("  (already there, checksum ok)" if finished and not record.mirror else ""))
        if self.live:
            self.stream.write("\r" + line + ("\n" if finished else ""))
        elif finished:
            self.stream.write(line + "\n")
        self.stream.flush()
