"""Wall time for the MNIST presets to reach their accuracy on the real test set.

* ``3b1b`` (784-16-16-10, sigmoid, squared error, plain SGD) to 93% (target <= 10 s);
* ``wide`` (784-256-128-10, ReLU, softmax cross-entropy, Adam) to 98% (target <= 60 s).

The test accuracy is checked every ``--check-every`` training images (default 10,000). The clock
counts training only: checking is the benchmark's own work, not the app's, and is left out (the
total with checks is printed too). Training stops at the target or after the preset's epochs.

    python benchmarks/time_to_accuracy.py [--quick] [--mnist-dir DIR] [--blas-threads N] [--seed S]
"""

from __future__ import annotations

import argparse
import sys
import time

import _common  # first: puts the project on the path, fixes BLAS threads

_common.set_blas_threads_from_argv()

from engine.mnist.models import PRESETS, build_preset, train_mnist  # noqa: E402

TARGETS = {"3b1b": (0.93, 10.0), "wide": (0.98, 60.0)}


def time_to_accuracy(name: str, data, target: float, check_every: int, seed: int,
                     train_limit: int | None = None, epochs: int | None = None) -> dict:
    preset = PRESETS[name]
    network, optimizer = build_preset(name, seed=seed)
    steps_per_check = max(1, check_every // preset.batch_size)
    started = time.perf_counter()
    best = 0.0
    checked_at = None
    for record in train_mnist(network, optimizer, data, epochs or preset.epochs, preset.batch_size,
                              seed=seed, train_limit=train_limit, report_every=steps_per_check):
        if record.kind != "batch":
            continue  # the epoch record's test accuracy was measured at the last batch record anyway
        accuracy = network.accuracy(data.test_images, data.test_labels)
        best = max(best, accuracy)
        checked_at = record
        if accuracy >= target:
            break
    return {"preset": name, "reached": best >= target, "accuracy": best,
            "train_seconds": checked_at.seconds if checked_at else float("nan"),
            "wall_seconds": time.perf_counter() - started,
            "epochs": checked_at.samples_seen / (train_limit or data.train_images.shape[0]) if checked_at else 0.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="one epoch on 6,000 images: proves the script runs (targets not judged)")
    parser.add_argument("--check-every", type=int, default=10_000, help="training images between checks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mnist-dir", help="folder with the MNIST files (default: search)")
    _common.add_blas_option(parser)
    args = parser.parse_args()
    data = _common.require_mnist(args.mnist_dir)
    limit, epochs, check = (6_000, 1, 3_000) if args.quick else (None, None, max(1, args.check_every))
    print(f"MNIST from {data.directory}; test accuracy checked every {check} images; "
          f"{'quick run on 6,000 images, targets not judged' if args.quick else 'full training set'}")
    for name, (target, limit_seconds) in TARGETS.items():
        result = time_to_accuracy(name, data, target, check, args.seed, limit, epochs)
        state = "reached" if result["reached"] else "NOT reached"
        print(f"{name}: {state} {target:.0%} (best {result['accuracy']:.2%}) after {result['epochs']:.2f} epochs; "
              f"{result['train_seconds']:.2f} s training, {result['wall_seconds']:.2f} s with checks")
        judged = None if args.quick else (result["reached"] and result["train_seconds"] <= limit_seconds)
        _common.figure(f"time_to_{target:.0%}_{name}".replace("%", "pct"), result["train_seconds"], "s",
                       f"<= {limit_seconds:g} s", judged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
