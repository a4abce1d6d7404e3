"""Descent Lab: start the window, or run one lesson's experiment headless from the command line.

    python main.py                         open the window
    python main.py --tab mnist             open it on one tab
    python main.py --screenshot out.png    lay the window out, save a picture of it, exit
    python main.py SUBCOMMAND --help       experiments without a window (see README)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from engine import __version__
from engine.blas_threads import prefer_single_blas_thread

prefer_single_blas_thread()  # before NumPy loads: small batches gain nothing from BLAS threads

TAB_CHOICES = ["derivatives", "random-search", "gradient-descent", "mnist"]


class CliError(Exception):
    """A problem with what the user asked for: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, no usage dump: the user asked for --help if they want it
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def emit(args: argparse.Namespace, record: dict, table_rows: list[tuple[str, object]] | None = None) -> None:
    """Print a result: one JSON object with --json, else a readable two-column table."""
    if getattr(args, "json", False):
        print(json.dumps(record))
        return
    rows = table_rows if table_rows is not None else list(record.items())
    width = max((len(k) for k, _ in rows), default=0)
    for key, value in rows:
        if isinstance(value, float):
            value = f"{value:.6g}" if math.isfinite(value) else str(value)
        print(f"{key:<{width}}  {value}")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text}")
    return value


def _common(parser: argparse.ArgumentParser, seed: bool = True) -> None:
    if seed:
        parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same result)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")


# --- train (Foundation) ---------------------------------------------------------------------------
def add_train_command(sub) -> None:
    p = sub.add_parser("train", help="train a small network on a toy data set",
                       description="Train Dense 2→hidden→classes on the vertical or spiral data set.")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--hidden", type=positive_int, default=64, help="hidden units (default 64)")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "adam"], default="adam")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate (default 0.05)")
    p.add_argument("--decay", type=float, default=0.0, help="learning-rate decay (default 0)")
    p.add_argument("--epochs", type=positive_int, default=3000)
    p.add_argument("--init", choices=["he", "xavier", "small"], default="he",
                   help="weight initialisation (default he; 'small' is the book's 0.01·N(0,1))")
    p.add_argument("--samples", type=positive_int, default=100, help="points per class")
    p.add_argument("--classes", type=positive_int, default=3)
    _common(p)
    p.set_defaults(handler=run_train)


def run_train(args) -> int:
    from engine.training import run_toy_training

    if args.classes < 2:
        raise CliError("--classes must be at least 2")
    result = run_toy_training(args.dataset, args.hidden, args.optimizer, args.lr, args.epochs,
                              args.seed, args.samples, args.classes, args.decay, args.init)
    emit(args, result)
    return 0


# --- Derivatives tab (issue 3) --------------------------------------------------------------------
def add_derivative_commands(sub) -> None:
    """`derivative` (slope of a typed function at a point) and `gradient-cost` (numerical vs backprop)."""
    p = sub.add_parser("derivative", help="numerical and exact derivative of a function at a point",
                       description="Slope of f at x by a finite difference, next to the exact derivative. "
                                   "Functions use x, numbers, + - * / ** (or ^), pi, e and "
                                   "sin cos tan exp log sqrt abs tanh relu sigmoid.")
    p.add_argument("--function", default="2*x**2", help="a function of x, e.g. \"2*x**2\" (default)")
    p.add_argument("--x", type=float, default=2.0, help="the point x (default 2)")
    p.add_argument("--delta", type=positive_float, default=1e-4, help="step between the two points (default 1e-4)")
    p.add_argument("--method", choices=["forward", "central"], default="forward",
                   help="forward (f(x+δ)−f(x))/δ or central (f(x+δ)−f(x−δ))/2δ")
    _common(p)
    p.set_defaults(handler=run_derivative)

    p = sub.add_parser("gradient-cost", help="time a network's gradient numerically and by backpropagation",
                       description="Gradient of one random MNIST-shaped batch, by finite differences (one forward "
                                   "pass per parameter) and by backpropagation; prints both times, times a real million-parameter network and "
                                   "scales both to a full epoch of MNIST.")
    p.add_argument("--layers", default=None, help="layer sizes, e.g. 784,16,16,10 (the default)")
    p.add_argument("--preset", choices=["small", "lesson", "large"], help="a preset network instead of --layers")
    p.add_argument("--batch", type=positive_int, default=32, help="samples in the batch (default 32)")
    p.add_argument("--method", choices=["forward", "central"], default="forward",
                   help="forward differences need P+1 passes, central ones 2P")
    _common(p)
    p.set_defaults(handler=run_gradient_cost_command)


def run_derivative(args) -> int:
    from engine.calculus import derivative_report

    report = derivative_report(args.function, args.x, args.delta, args.method)
    rows = [(key, f"{value:.12g}" if isinstance(value, float) else value) for key, value in report.items()]
    emit(args, report, rows)  # twelve digits: 8.0002 against 8 is the lesson
    return 0


def run_gradient_cost_command(args) -> int:
    from engine.gradient_cost import NETWORK_PRESETS, format_duration, parse_layers, run_gradient_cost

    if args.layers and args.preset:
        raise CliError("give either --layers or --preset, not both")
    layers = NETWORK_PRESETS[args.preset] if args.preset else parse_layers(args.layers or "784,16,16,10")
    if not args.json:
        print(f"measuring {len(layers) - 1}-layer network {','.join(map(str, layers))} ...", file=sys.stderr)
    report = run_gradient_cost(layers=layers, batch=args.batch, method=args.method, seed=args.seed)
    rows = [
        ("network", ",".join(map(str, report["layers"]))),
        ("parameters", f"{report['parameters']:,}"),
        ("batch", report["batch"]),
        ("method", report["method"]),
        ("numerical forward passes", f"{report['numerical_forward_passes']:,}"),
        ("numerical time", format_duration(report["numerical_seconds"])),
        ("backprop passes", "1 forward + 1 backward"),
        ("backprop time", format_duration(report["backprop_seconds"])),
        ("speed-up", f"{report['speedup']:,.0f}×"),
        ("max |difference|", f"{report['max_abs_difference']:.3g}"),
        ("epoch (60,000 images), numerical", format_duration(report["epoch_numerical_seconds"])),
        ("epoch (60,000 images), backprop", format_duration(report["epoch_backprop_seconds"])),
        ("1M parameters, one batch, numerical", format_duration(report["million_numerical_seconds"])),
        ("1M parameters, one epoch, numerical", format_duration(report["million_epoch_numerical_seconds"])),
        ("1M parameters, one epoch, backprop", format_duration(report["million_epoch_backprop_seconds"])),
    ]
    emit(args, report, rows)
    return 0


# --- Random Search tab (issue 4) ------------------------------------------------------------------
def add_search_commands(sub) -> None:
    """`search`: guess weights (pure random, tweak-and-keep) or follow the gradient, and compare."""
    p = sub.add_parser("search", help="train the book's small classifier by guessing or by gradient",
                       description="Random search, tweak-and-keep or gradient descent on Dense "
                                   "2→hidden→classes (NNFS chapter 6). Weights start at 0.01·N(0,1).")
    p.add_argument("--dataset", choices=["vertical", "spiral"], default="spiral")
    p.add_argument("--method", choices=["random", "tweak", "gradient"], default="tweak",
                   help="random: fresh guesses; tweak: keep small changes that lower the loss; gradient: SGD/Adam")
    p.add_argument("--iterations", type=positive_int, default=10_000, help="guesses or gradient steps (default 10000)")
    p.add_argument("--hidden", type=positive_int, default=3, help="hidden units (default 3, the book's)")
    p.add_argument("--samples", type=positive_int, default=100, help="points per class (default 100)")
    p.add_argument("--classes", type=positive_int, default=3, help="number of classes (default 3)")
    p.add_argument("--step", type=positive_float, default=0.05,
                   help="size of guesses and tweaks: step·N(0,1) (default 0.05)")
    p.add_argument("--optimizer", choices=["sgd", "momentum", "adam"], default="adam",
                   help="for --method gradient (default adam)")
    p.add_argument("--lr", type=positive_float, default=0.05, help="learning rate for --method gradient (default 0.05)")
    _common(p)
    p.set_defaults(handler=run_search_command)


def run_search_command(args) -> int:
    from engine.search import run_search

    if args.classes < 2:
        raise CliError("--classes must be at least 2")
    for name, value, limit in (("iterations", args.iterations, 10_000_000), ("hidden", args.hidden, 1024),
                               ("samples", args.samples, 100_000), ("classes", args.classes, 20)):
        if value > limit:
            raise CliError(f"--{name} is limited to {limit:,} (got {value:,})")
    result = run_search(args.dataset, args.method, args.iterations, args.hidden, args.seed,
                        samples=args.samples, classes=args.classes, step_size=args.step,
                        optimizer=args.optimizer, learning_rate=args.lr)
    emit(args, result)
    return 0


# --- Gradient Descent tab (issue 5) ---------------------------------------------------------------
def add_descent_commands(sub) -> None:
    """`descent`: gradient descent on ŷ = w·x + b for several learning rates (Gradient Descent tab)."""
    p = sub.add_parser(
        "descent", help="fit y = 2x + 1 by gradient descent at several learning rates",
        description="Fit ŷ = w·x + b to 100 noisy points of y = 2x + 1 by minimising the mean squared "
                    "error, once per learning rate from the same random start, and report the stability "
                    "limit 2/λmax above which plain gradient descent diverges.")
    p.add_argument("--lrs", type=_learning_rates, default=[0.01, 0.1, 0.5], metavar="LR,LR,...",
                   help="comma-separated learning rates (default 0.01,0.1,0.5)")
    p.add_argument("--epochs", type=positive_int, default=100, help="passes over the data (default 100)")
    p.add_argument("--x-range", type=_x_range, default=(0.0, 1.0), metavar="LOW,HIGH",
                   help="x interval of the data (default 0,1); write negative ones as --x-range=-1,1")
    p.add_argument("--optimizer", choices=["gd", "momentum", "adam"], default="gd",
                   help="plain gradient descent, momentum 0.9, or Adam (default gd)")
    p.add_argument("--batch", choices=["full", "mini", "one"], default="full",
                   help="gradient from all points, from mini-batches, or from one point at a time")
    p.add_argument("--batch-size", type=positive_int, default=10, help="mini-batch size (default 10)")
    _common(p)
    p.set_defaults(handler=run_descent_command)


def _learning_rates(text: str) -> list[float]:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        raise argparse.ArgumentTypeError("give at least one learning rate, e.g. 0.01,0.1,0.5")
    return [positive_float(part) for part in parts]


def _x_range(text: str) -> tuple[float, float]:
    parts = text.strip().strip("[]()").split(",")
    try:
        low, high = (float(part) for part in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LOW,HIGH such as 0,1 or -1,1, got {text!r}") from None
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise argparse.ArgumentTypeError(f"expected two finite numbers with LOW < HIGH, got {text!r}")
    return low, high


def run_descent_command(args) -> int:
    from engine.descent import run_descent

    result = run_descent(args.lrs, epochs=args.epochs, seed=args.seed, x_range=args.x_range,
                         optimizer=args.optimizer, batch=args.batch, batch_size=args.batch_size)
    rows = [("x range", f"[{result['x_range'][0]:g}, {result['x_range'][1]:g}]"),
            ("stability limit 2/λmax", result["stability_limit"]),
            ("fastest rate 2/(λmin+λmax)", result["fastest_lr"]),
            ("least-squares fit", f"w = {result['optimum']['w']:.4f}, b = {result['optimum']['b']:.4f}"),
            ("start", f"w = {result['start']['w']:.4f}, b = {result['start']['b']:.4f}")]
    for run in result["runs"]:
        if run["diverged"]:
            text = run["message"]
        else:
            text = f"loss {run['final_loss']:.6g}   w = {run['w']:.4f}   b = {run['b']:.4f}"
        rows.append((f"lr {run['lr']:g}", text))
    emit(args, result, rows)
    return 0


# --- MNIST (issue 6) ------------------------------------------------------------------------------
def add_mnist_commands(sub) -> None:
    """`mnist download|train|evaluate|noise|classify`: real digits, the lesson's network and its flaws."""
    mnist = sub.add_parser("mnist", help="handwritten digits: download, train, evaluate, noise, classify",
                           description="The MNIST digits and the 784-16-16-10 network of the lesson.")
    commands = mnist.add_subparsers(dest="mnist_command", metavar="ACTION", parser_class=_Parser)
    commands.required = True

    p = commands.add_parser("download", help="fetch the four MNIST files (checksums verified)",
                            description="Download MNIST from public mirrors (or your own) into the user "
                                        "data folder or --dir; every file is checked against its SHA-256.")
    p.add_argument("--dir", metavar="DIR", help="where to put the files (default: the user data folder)")
    p.add_argument("--mirror", metavar="URL", action="append",
                   help="a mirror to use instead of the public ones (repeatable), e.g. a school server")
    _common(p, seed=False)
    p.set_defaults(handler=run_mnist_download)

    p = commands.add_parser("train", help="train a preset network on MNIST",
                            description="Train one of the presets (3b1b, relu, wide) on the 60,000 training "
                                        "digits and report the accuracy on the 10,000 test digits.")
    p.add_argument("--preset", default="3b1b", help="3b1b (default), relu or wide")
    p.add_argument("--epochs", type=positive_int, help="passes over the training set (default: the preset's)")
    p.add_argument("--batch-size", type=positive_int, help="mini-batch size (default: the preset's)")
    p.add_argument("--lr", type=positive_float, help="learning rate (default: the preset's)")
    p.add_argument("--limit", type=positive_int, metavar="N", help="train on the first N images only")
    p.add_argument("--save", metavar="PATH", help="save the trained network (.npz)")
    _mnist_dir_option(p)
    _common(p)
    p.set_defaults(handler=run_mnist_train)

    p = commands.add_parser("evaluate", help="test accuracy and confusion matrix of a model",
                            description="Accuracy on the 10,000 test digits and which digits get confused.")
    _model_option(p)
    _mnist_dir_option(p)
    _common(p, seed=False)
    p.set_defaults(handler=run_mnist_evaluate)

    p = commands.add_parser("noise", help="how confidently a model classifies random noise",
                            description="Show the network images of pure random noise: it still answers, "
                                        "often with high confidence.")
    _model_option(p)
    p.add_argument("--count", type=positive_int, default=1000, help="noise images (default 1000)")
    _common(p)
    p.set_defaults(handler=run_mnist_noise)

    p = commands.add_parser("classify", help="read digits from picture files",
                            description="Classify picture files of handwritten digits, prepared exactly like "
                                        "the drawing canvas (cropped, scaled to 20 px, centred).")
    _model_option(p)
    p.add_argument("files", nargs="+", metavar="FILE", help="PNG/JPEG/BMP pictures, any size, any polarity")
    _common(p, seed=False)
    p.set_defaults(handler=run_mnist_classify)


def _mnist_dir_option(parser) -> None:
    parser.add_argument("--mnist-dir", metavar="DIR",
                        help="folder with the MNIST files (default: $DESCENT_LAB_MNIST_DIR, then the user data folder)")


def _model_option(parser) -> None:
    parser.add_argument("--model", metavar="PATH", help="a saved network .npz (default: the shipped 3b1b model)")


def _mnist_data(args):
    from engine.mnist import ENV_VAR, default_data_dir, find_mnist_dir, load_mnist

    directory = find_mnist_dir(args.mnist_dir)
    if directory is None:
        where = args.mnist_dir or f"${ENV_VAR} or {default_data_dir()}"
        raise CliError(f"no MNIST files in {where}; run `python main.py mnist download` first")
    return load_mnist(directory)


def _digit_model(args):
    from engine.mnist.models import load_digit_model, load_pretrained

    return load_digit_model(args.model) if args.model else load_pretrained("3b1b")


class _ProgressBar:
    """A one-line text progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.last_draw = 0.0

    def update(self, record) -> None:
        import time

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


def run_mnist_download(args) -> int:
    from engine.mnist import DownloadError, default_data_dir, iter_download, normalise_mirror

    target = args.dir or default_data_dir()
    mirrors = [normalise_mirror(url) for url in args.mirror] if args.mirror else None
    bar = _ProgressBar()
    steps = iter_download(target, mirrors)
    kept = set()
    try:
        for record in steps:
            bar.update(record)
            if not record.mirror:
                kept.add(record.file)
    except DownloadError as exc:
        raise CliError(str(exc)) from None
    except KeyboardInterrupt:
        steps.close()
        print("descent-lab: download cancelled; partial files were removed", file=sys.stderr)
        return 130
    emit(args, {"directory": str(target), "files": 4, "downloaded": 4 - len(kept), "already_present": len(kept)})
    return 0


def run_mnist_train(args) -> int:
    from engine.mnist.models import PRESETS, run_training

    if args.preset not in PRESETS:
        raise CliError(f"unknown preset {args.preset!r}; choose one of {', '.join(PRESETS)}")
    if args.save:
        _check_writable(args.save)
    data = _mnist_data(args)

    def report(record) -> None:
        print(f"epoch {record.epoch}: training loss {record.loss:.4f}, "
              f"test accuracy {record.val_accuracy:.4f}", file=sys.stderr, flush=True)

    try:
        result = run_training(args.preset, data, epochs=args.epochs, seed=args.seed,
                              batch_size=args.batch_size, learning_rate=args.lr,
                              train_limit=args.limit, save=args.save, on_epoch=report)
    except OSError as exc:
        raise CliError(f"cannot save the model to {args.save}: {exc.strerror or exc}") from None
    rows = [(k, v) for k, v in result.items() if k != "epoch_seconds"]
    rows.append(("mean epoch seconds", sum(result["epoch_seconds"]) / len(result["epoch_seconds"])))
    emit(args, result, rows)
    return 0


def _check_writable(path: str) -> None:
    """Fail before a long training run, not after it, when the model cannot be saved there."""
    import tempfile
    from pathlib import Path

    target = Path(path).expanduser()
    if target.is_dir():
        raise CliError(f"cannot save the model to {path}: it is a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=target.parent):
            pass
    except OSError as exc:
        raise CliError(f"cannot save the model to {path}: {exc.strerror or exc}") from None


def run_mnist_evaluate(args) -> int:
    from engine.mnist.models import evaluate

    network = _digit_model(args)
    data = _mnist_data(args)
    result = evaluate(network, data.test_images, data.test_labels)
    record = {"test_accuracy": result["test_accuracy"], "confusion": result["confusion"].tolist()}
    if args.json:
        emit(args, record)
        return 0
    print(f"test accuracy  {record['test_accuracy']:.4f}")
    columns = [*range(10), "none"][:len(record["confusion"][0])]
    print("confusion (rows: true digit, columns: predicted digit" + ("; none = not a digit)" if len(columns) > 10 else ")"))
    print("     " + "".join(f"{d:>6}" for d in columns))
    for digit, row in enumerate(record["confusion"]):
        print(f"{digit:>5}" + "".join(f"{n:>6}" for n in row))
    return 0


def run_mnist_noise(args) -> int:
    from engine.mnist.models import noise_report

    report = noise_report(_digit_model(args), count=args.count, seed=args.seed)
    record = {k: v for k, v in report.items() if k != "top_probabilities"}
    emit(args, record)
    return 0


def run_mnist_classify(args) -> int:
    from engine.mnist.models import classify_drawing
    from gui.image_file import ImageFileError, read_image_rgba

    network = _digit_model(args)
    results, failed = [], False
    for name in args.files:
        try:
            outcome = classify_drawing(network, read_image_rgba(name))
        except (ImageFileError, ValueError) as exc:
            results.append({"file": name, "error": str(exc)})
            failed = True
            continue
        entry = {"file": name, "prediction": outcome["prediction"], "probabilities": outcome["probabilities"]}
        if outcome["prediction"] is None:
            entry["note"] = "nothing drawn"
        results.append(entry)
    if args.json:
        print(json.dumps(results))
    else:
        for entry in results:
            if "error" in entry:
                continue  # reported on stderr below
            if entry["prediction"] is None:
                print(f"{entry['file']}: nothing drawn")
            else:
                confidence = entry["probabilities"][entry["prediction"]]
                print(f"{entry['file']}: {entry['prediction']}  (score {confidence:.3f})")
    for entry in results:
        if "error" in entry:
            print(f"descent-lab: error: {entry['error']}", file=sys.stderr)
    return 2 if failed else 0


# --- the window -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="descent-lab", description="Why neural networks learn with derivatives, shown by measurement.")
    parser.add_argument("--version", action="version", version=f"Descent Lab {__version__}")
    parser.add_argument("--tab", choices=TAB_CHOICES, help="the tab to open first")
    parser.add_argument("--seed", type=int, default=0, help="random seed for the lessons (default 0)")
    parser.add_argument("--mnist-dir", metavar="DIR",
                        help="folder with the four MNIST files (else $DESCENT_LAB_MNIST_DIR, the folder chosen "
                             "last time, or the user data folder)")
    parser.add_argument("--screenshot", metavar="FILE", help="save a PNG of the window and exit")
    parser.add_argument("--screenshot-delay", type=int, default=1500, metavar="MS",
                        help="how long the window runs before the screenshot is taken (default 1500 ms)")
    parser.add_argument("--projector", action="store_true",
                        help="start in projector mode: larger text, thicker lines (View menu to turn off)")
    sub = parser.add_subparsers(dest="command", metavar="SUBCOMMAND", parser_class=_Parser)
    add_train_command(sub)
    add_derivative_commands(sub)
    add_search_commands(sub)
    add_descent_commands(sub)
    add_mnist_commands(sub)
    return parser


# Messages some Qt platform plugins print that say nothing about our program.
BENIGN_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)


def _filter_qt_messages() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message):
        if not message.startswith(BENIGN_QT_MESSAGES):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    _filter_qt_messages()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Descent Lab")
    app.setOrganizationName("Descent Lab")
    app.setApplicationVersion(__version__)

    from gui.errors import install_excepthook
    from gui.main_window import MainWindow, app_icon

    app.setWindowIcon(app_icon())
    install_excepthook()
    settings = None
    if args.screenshot:  # a picture of the defaults: neither read nor change the user's settings
        import tempfile
        from PySide6.QtCore import QSettings
        settings = QSettings(str(Path(tempfile.mkdtemp(prefix="descent-lab-")) / "screenshot.ini"),
                             QSettings.Format.IniFormat)
    window = MainWindow(seed=args.seed, settings=settings, initial_tab=args.tab, mnist_dir=args.mnist_dir)
    if args.projector:
        window.set_projector_mode(True)
    window.show()
    if args.screenshot:
        def capture() -> None:
            ok = window.grab().save(args.screenshot, "PNG")
            if not ok:
                print(f"descent-lab: error: could not write {args.screenshot}", file=sys.stderr)
            outcome.append(ok)
            window.close()
            loop.quit()

        # A local loop rather than app.exec() and app.quit(): after quit(), an application that the
        # caller goes on using (the test suite) stopped firing its timers.
        outcome: list[bool] = []
        loop = QEventLoop()
        QTimer.singleShot(max(0, args.screenshot_delay), capture)
        loop.exec()
        return 0 if outcome and outcome[0] else 1
    return app.exec()


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        return run_gui(args)
    try:
        return handler(args)
    except (CliError, ValueError) as exc:
        print(f"descent-lab: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
