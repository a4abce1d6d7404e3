"""Every benchmark still runs: each is started with --quick in its own process, must exit 0 and
print its figure lines. This proves the scripts work, not how fast anything is (timings on a
shared CI machine mean nothing; the targets are judged by running the benchmarks in full)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, real_mnist_dir

BENCHMARKS = REPO_ROOT / "benchmarks"
FIGURE = re.compile(r"^figure: (\w+) = (-?[0-9.]+(?:e[+-]?[0-9]+)?|nan) ", re.MULTILINE)

# script -> (needs MNIST, figures it must print)
EXPECTED = {
    "engine_epoch.py": (False, ["engine_epoch_seconds_batch32", "engine_vs_minimal_batch32",
                                "engine_epoch_seconds_batch128", "engine_vs_minimal_batch128"]),
    "time_to_accuracy.py": (True, ["time_to_93pct_3b1b", "time_to_98pct_wide"]),
    "startup.py": (False, ["startup_to_window", "memory_window_only"]),
    "ui_latency.py": (True, ["heartbeat_gap_p50", "heartbeat_gap_p99", "heartbeat_gap_max",
                             "cost_plot_redraws_per_s", "training_samples_per_s_in_window",
                             "training_samples_per_s_headless", "training_speed_in_window"]),
    "canvas_latency.py": (False, ["stroke_to_prediction_computed_median",
                                  "stroke_to_prediction_on_screen_median"]),
    "inside_latency.py": (False, ["inside_stroke_computed_median_3b1b", "inside_stroke_saliency_on_screen_median_3b1b",
                                  "inside_stroke_attack_on_screen_median_wide"]),
    "attack_curve.py": (True, ["attack_curve_engine_seconds_wide", "attack_curve_window_seconds_wide",
                               "attack_curve_heartbeat_gap_p99", "attack_curve_heartbeat_gap_max"]),
    "drawn_digits.py": (False, ["canvas_accuracy_200px", "canvas_accuracy_40px", "picture_accuracy_40px",
                                "raw_accuracy_40px"]),
    "search_throughput.py": (False, ["random_search_evaluations_per_s", "random_search_one_at_a_time_per_s",
                                     "batching_speed_up"]),
}
# Benchmarks without --quick or figure lines: a short run of each, and a line its output must have.
OTHER = {
    "search_methods.py": (["--iterations", "300", "--seeds", "1"], r"batched, K = +\d+: +[\d,]+ candidates/s"),
    "descent_learning_rates.py": (["--epochs", "20"], r"adam +one +[\d,]+ updates +[\d,]+/s"),
    "gradient_cost.py": (["--presets", "small"], r"64-16-10 .*×"),
}


def run_quick(script: str, *extra: str, quick: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, str(BENCHMARKS / script), *(["--quick"] if quick else []), *extra],
                          capture_output=True, text=True, timeout=180, cwd=str(REPO_ROOT), env=env)


def test_every_benchmark_script_is_covered():
    scripts = {path.name for path in BENCHMARKS.glob("*.py") if not path.name.startswith("_")}
    assert scripts == set(EXPECTED) | set(OTHER), "a benchmark was added or removed: update EXPECTED"


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_benchmark_runs_quick_and_prints_its_figures(script):
    needs_mnist, figures = EXPECTED[script]
    mnist = real_mnist_dir()
    if needs_mnist and mnist is None:
        pytest.skip("real MNIST files not found: set DESCENT_LAB_MNIST_DIR or put them in ../shared/mnist")
    takes_mnist_dir = script not in ("canvas_latency.py", "search_throughput.py", "inside_latency.py", "drawn_digits.py")
    extra = ("--mnist-dir", str(mnist)) if mnist is not None and takes_mnist_dir else ()
    if script == "startup.py" and mnist is not None:
        figures = figures + ["peak_memory_with_mnist"]
    done = run_quick(script, *extra)
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stderr[-2000:]}"
    printed = dict(FIGURE.findall(done.stdout))
    missing = [name for name in figures if name not in printed]
    assert not missing, f"{script} did not print {missing}; it printed:\n{done.stdout}"
    for name in figures:
        value = float(printed[name])
        assert value == value and value >= 0, f"{name} = {printed[name]} is not a measurement"


@pytest.mark.parametrize("script", sorted(OTHER))
def test_benchmark_without_quick_option_runs_short(script):
    arguments, expected_line = OTHER[script]
    done = run_quick(script, *arguments, quick=False)
    assert done.returncode == 0, f"{script} exited {done.returncode}:\n{done.stderr[-2000:]}"
    assert re.search(expected_line, done.stdout), f"{script} printed:\n{done.stdout}"


def test_mnist_benchmark_without_the_files_says_so_in_one_line(tmp_path):
    done = run_quick("time_to_accuracy.py", "--mnist-dir", str(tmp_path))
    assert done.returncode == 2
    assert "MNIST files not found" in done.stderr and "Traceback" not in done.stderr
