"""`mnist download|train|evaluate|noise|shift|classify`: real digits, the lesson's network and its flaws."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import (PROGRAM, CliError, OneLineErrorParser, ProgressBar, add_common_options, emit,
                        positive_float, report_error, whole_number)

MAX_PICTURES = 1000


def register(sub) -> None:
    from engine.mnist.experiments import NON_DIGIT_SHARE
    from engine.mnist.non_digits import ALL, KINDS

    mnist = sub.add_parser("mnist", help="handwritten digits: download, train, evaluate, noise, shift, classify",
                           description="The MNIST digits and the 784-16-16-10 network of the lesson.")
    commands = mnist.add_subparsers(dest="mnist_command", metavar="ACTION", parser_class=OneLineErrorParser)
    commands.required = True

    p = commands.add_parser("download", help="fetch the four MNIST files (checksums verified)",
                            description="Download MNIST from public mirrors (or your own) into the user "
                                        "data folder or --dir; every file is checked against its SHA-256.")
    p.add_argument("--dir", metavar="DIR", help="where to put the files (default: the user data folder); "
                                                "train and evaluate look there next time")
    p.add_argument("--mirror", metavar="URL", action="append",
                   help="a mirror to use instead of the public ones (repeatable), e.g. a school server")
    add_common_options(p, seed=False)
    p.set_defaults(handler=run_download)

    p = commands.add_parser("train", help="train a preset network on MNIST",
                            description="Train one of the presets (3b1b, relu, wide) on the 60,000 training "
                                        "digits and report the accuracy on the 10,000 test digits.")
    p.add_argument("--preset", default="3b1b", help="3b1b (default), relu or wide")
    p.add_argument("--epochs", type=whole_number(1, 100), help="passes over the training set, 1–100 (default: the preset's)")
    p.add_argument("--batch-size", type=whole_number(1, 60_000), help="mini-batch size, 1–60000 (default: the preset's)")
    p.add_argument("--lr", type=positive_float, help="learning rate (default: the preset's)")
    p.add_argument("--limit", type=whole_number(1, 60_000), metavar="N", help="train on the first N images only (1–60000)")
    p.add_argument("--not-a-digit", action="store_true",
                   help=f"add an 11th class taught on non-digits of six kinds ({100 * NON_DIGIT_SHARE:.0f}%% as many "
                        "as the digits) and report the share of fresh ones of each kind it rejects")
    p.add_argument("--save", metavar="PATH", help="save the trained network (.npz)")
    _add_mnist_dir_option(p)
    add_common_options(p)
    p.set_defaults(handler=run_train)

    p = commands.add_parser("evaluate", help="test accuracy and confusion matrix of a model",
                            description="Accuracy on the 10,000 test digits and which digits get confused.")
    _add_model_option(p)
    _add_mnist_dir_option(p)
    add_common_options(p, seed=False)
    p.set_defaults(handler=run_evaluate)

    p = commands.add_parser("noise", help="how confidently a model classifies noise and other non-digits",
                            description="Show the network images that are not digits (fresh ones, never "
                                        "those a \"not a digit\" class was trained on): it still answers, "
                                        "often with high confidence, unless it learned \"not a digit\".")
    _add_model_option(p)
    p.add_argument("--kind", choices=[*KINDS, ALL], default="uniform",
                   help="uniform or gaussian noise, sparse dots, constant grey, stripes (and checkerboards), "
                        "shapes (filled shapes and blobs), or all six mixed (default uniform)")
    p.add_argument("--count", type=whole_number(1, 20_000), default=1000, help="noise images, 1–20000 (default 1000)")
    add_common_options(p)
    p.set_defaults(handler=run_noise)

    p = commands.add_parser("shift", help="test accuracy when every test digit is moved a few pixels",
                            description="Move every test digit left, right, up and down by each number of "
                                        "pixels and report the mean test accuracy: the network has only "
                                        "seen centred digits.")
    _add_model_option(p)
    p.add_argument("--pixels", type=pixel_list, default=[0, 2, 4, 6], metavar="LIST",
                   help="comma-separated shifts in pixels, 0 to 27 (default 0,2,4,6)")
    _add_mnist_dir_option(p)
    add_common_options(p, seed=False)
    p.set_defaults(handler=run_shift)

    p = commands.add_parser("classify", help="read digits from picture files",
                            description="Classify picture files of handwritten digits, prepared like the "
                                        "drawing canvas: strokes thinned or thickened to MNIST's width when "
                                        "needed, cropped, scaled to 20 px, centred.")
    _add_model_option(p)
    p.add_argument("files", nargs="+", metavar="FILE",
                   help=f"PNG/JPEG/BMP pictures, any polarity, at most {MAX_PICTURES} files; large ones are "
                        "read scaled down")
    add_common_options(p, seed=False)
    p.set_defaults(handler=run_classify)


def pixel_list(text: str) -> list[int]:
    """'0,2,4,6' -> [0, 2, 4, 6]: shifts in whole pixels that keep some of a 28-pixel digit."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, e.g. 0,2,4,6, got {text!r}")
    pixels = [int(part) for part in parts]
    if max(pixels) > 27:
        raise argparse.ArgumentTypeError(f"a shift of {max(pixels)} pixels moves a 28-pixel digit off the image; use 0 to 27")
    return pixels


def _add_mnist_dir_option(parser) -> None:
    parser.add_argument("--mnist-dir", metavar="DIR",
                        help="folder with the MNIST files (default: $DESCENT_LAB_MNIST_DIR, the folder "
                             "chosen last time, then the user data folder)")


def _add_model_option(parser) -> None:
    parser.add_argument("--model", metavar="PATH", help="a saved network .npz (default: the shipped 3b1b model)")


def _mnist_data(args):
    from engine.mnist import find_mnist_dir, load_mnist, mnist_search_path
    from engine.mnist.files import missing_files

    directory = find_mnist_dir(args.mnist_dir)
    if directory is None:
        if args.mnist_dir is not None and Path(args.mnist_dir).is_dir():   # say which file is wrong
            raise CliError(f"no usable MNIST files in {args.mnist_dir}: {missing_files(args.mnist_dir)}")
        where = args.mnist_dir or " or ".join(str(path) for path in mnist_search_path())
        raise CliError(f"no MNIST files in {where}; run `{PROGRAM} mnist download` first, "
                       f"or name their folder with --mnist-dir")
    return load_mnist(directory)


def _digit_model(args):
    from engine.mnist.models import load_digit_model, load_pretrained

    return load_digit_model(args.model) if args.model else load_pretrained("3b1b")


def run_download(args) -> int:
    from engine.mnist import DownloadError, default_data_dir, iter_download, normalise_mirror, remember_data_dir

    target = args.dir or default_data_dir()
    mirrors = [normalise_mirror(url) for url in args.mirror] if args.mirror else None
    bar = ProgressBar()
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
    remember_data_dir(target)  # `mnist train` and `mnist evaluate` look here next, without --mnist-dir
    emit(args, {"directory": str(target), "files": 4, "downloaded": 4 - len(kept), "already_present": len(kept)})
    return 0


def run_train(args) -> int:
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
                              train_limit=args.limit, save=args.save, on_epoch=report,
                              not_a_digit=args.not_a_digit)
    except OSError as exc:
        raise CliError(f"cannot save the model to {args.save}: {exc.strerror or exc}") from None
    rows = [(k, v) for k, v in result.items() if k not in ("epoch_seconds", "rejected")]
    rows.append(("mean epoch seconds", sum(result["epoch_seconds"]) / len(result["epoch_seconds"])))
    rows += [(f"rejected: {kind}", share) for kind, share in result.get("rejected", {}).items()]
    emit(args, result, rows)
    return 0


def _check_writable(path: str) -> None:
    """Fail before a long training run, not after it, when the model cannot be saved there."""
    from engine.atomic_write import check_writable

    try:
        check_writable(path)
    except OSError as exc:
        raise CliError(f"cannot save the model to {path}: {exc.strerror or exc}") from None


def run_evaluate(args) -> int:
    from engine.mnist.experiments import evaluate

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


def run_noise(args) -> int:
    from engine.mnist.experiments import noise_report

    report = noise_report(_digit_model(args), count=args.count, seed=args.seed, kind=args.kind)
    record = {k: v for k, v in report.items() if k != "top_probabilities"}
    rows = [(k, v) for k, v in record.items() if k != "by_kind"]
    for kind, shares in record.get("by_kind", {}).items():
        rows.append((f"{kind}: not a digit / above 0.9",
                     f"{shares['fraction_not_a_digit']:.3f} / {shares['fraction_above_0_9']:.3f}"))
    emit(args, record, rows)
    return 0


def run_shift(args) -> int:
    from engine.mnist.experiments import SHIFT_DIRECTIONS, shift_report

    network = _digit_model(args)
    data = _mnist_data(args)
    report = shift_report(network, data.test_images, data.test_labels, args.pixels)
    if args.json:
        emit(args, report)
        return 0
    names = list(SHIFT_DIRECTIONS)
    print(f"{'pixels':>6}  {'accuracy':>8}  " + "  ".join(f"{name:>6}" for name in names))
    for i, pixels in enumerate(report["pixels"]):
        print(f"{pixels:>6}  {report['accuracy'][i]:>8.4f}  "
              + "  ".join(f"{report['by_direction'][name][i]:>6.4f}" for name in names))
    return 0


def run_classify(args) -> int:
    """One result per readable picture and one error per unreadable one: with --json a single object
    {"results": [...], "errors": [...]}; the exit code is 2 only when no picture could be read."""
    from engine.mnist.outputs import classify_drawing
    from gui.image_file import ImageFileError, read_image_rgba

    if len(args.files) > MAX_PICTURES:
        raise CliError(f"at most {MAX_PICTURES} pictures at a time, not {len(args.files):,}")
    network = _digit_model(args)
    results, errors = [], []
    for name in args.files:
        try:
            outcome = classify_drawing(network, read_image_rgba(name))
        except (ImageFileError, ValueError) as exc:
            errors.append({"file": name, "error": str(exc)})
            continue
        entry = {"file": name, "prediction": outcome["prediction"], "probabilities": outcome["probabilities"]}
        if outcome["prediction"] is None:
            entry["note"] = "nothing drawn"
        results.append(entry)
    if args.json:
        emit(args, {"results": results, "errors": errors})
    else:
        for entry in results:
            if entry["prediction"] is None:
                print(f"{entry['file']}: nothing drawn")
            else:
                confidence = entry["probabilities"][entry["prediction"]]
                print(f"{entry['file']}: {entry['prediction']}  (score {confidence:.3f})")
    for entry in errors:
        report_error(entry["error"])
    return 0 if results else 2
