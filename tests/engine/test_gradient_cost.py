"""The cost of a numerical gradient against backpropagation, measured on small networks."""

import math

import numpy as np
import pytest

from engine.gradient_cost import (
    MILLION_LAYERS,
    NETWORK_PRESETS,
    extrapolate,
    format_duration,
    forward_passes_needed,
    gradient_cost,
    parameter_count,
    parse_layers,
    run_gradient_cost,
    time_million_network,
)
from engine.network import build_mlp

TINY = (6, 5, 3)  # 53 parameters


def test_lesson_network_has_13002_parameters():
    assert parameter_count(NETWORK_PRESETS["lesson"]) == 13_002
    assert build_mlp(NETWORK_PRESETS["lesson"]).parameter_count() == 13_002


@pytest.mark.parametrize("method,expected", [("forward", 54), ("central", 106)])
def test_forward_pass_counts_are_p_plus_1_and_2p(method, expected):
    report = run_gradient_cost(layers=TINY, batch=4, method=method, seed=1)
    assert report["parameters"] == 53
    assert report["numerical_forward_passes"] == expected == forward_passes_needed(53, method)
    assert report["backprop_forward_passes"] == 1


@pytest.mark.parametrize("method,tolerance", [("forward", 1e-5), ("central", 1e-8)])
def test_numerical_and_backprop_gradients_agree(method, tolerance):
    report = run_gradient_cost(layers=(10, 8, 4), batch=5, method=method, seed=3)
    assert report["largest_gradient"] > 1e-3  # a real comparison, not zeros against zeros
    assert report["max_abs_difference"] < tolerance
    assert report["relative_error"] < 1e-4


@pytest.mark.parametrize("activation,loss", [("relu", "softmax_ce"), ("tanh", "cce")])
def test_agreement_holds_for_other_networks(activation, loss):
    report = run_gradient_cost(layers=(5, 6, 3), batch=4, method="central", activation=activation, loss=loss, seed=2)
    assert report["relative_error"] < 1e-6


def test_numerical_is_slower_than_backprop_and_reported_consistently():
    report = run_gradient_cost(layers=(64, 16, 10), batch=8, seed=0)
    assert report["numerical_seconds"] > report["backprop_seconds"] > 0
    assert report["speedup"] == pytest.approx(report["numerical_seconds"] / report["backprop_seconds"])
    assert report["speedup"] > 10
    assert report["batches_per_epoch"] == 7500


def test_progress_records_arrive_and_stopping_ends_early():
    stop_after = 3
    seen = []

    def should_stop():
        return len(seen) >= stop_after

    generator = gradient_cost(layers=(64, 32, 10), batch=8, should_stop=should_stop)
    for record in generator:
        seen.append(record)
    assert len(seen) == stop_after
    assert all(r.report is None for r in seen)
    numerical = [r for r in seen if r.phase == "numerical"]
    assert numerical and numerical[-1].done < numerical[-1].parameters


def test_progress_comes_often_enough_to_cancel(monkeypatch):
    records = list(gradient_cost(layers=(64, 32, 10), batch=8, method="central"))
    assert records[0].phase == "backprop"
    assert records[-1].phase == "done" and records[-1].report["parameters"] == 2410
    numerical = [r for r in records if r.phase == "numerical"]
    gaps = np.diff([0.0] + [r.numerical_seconds for r in numerical])
    assert gaps.max() < 0.5
    done = [r.done for r in numerical]
    assert done == sorted(done)
    assert all(math.isfinite(r.estimated_total_seconds) for r in numerical)


def test_extrapolation_to_an_epoch_and_a_million_parameters():
    million = (1_000_000, 0.01, 0.03)  # parameters, forward seconds, forward + backward seconds
    result = extrapolate(parameters=1000, batch=100, method="forward", numerical_seconds=1.001,
                         passes=1001, backprop_seconds=0.002, million=million)
    assert result["seconds_per_forward_pass"] == pytest.approx(1e-3)
    assert result["batches_per_epoch"] == 600
    assert result["epoch_numerical_seconds"] == pytest.approx(1001 * 1e-3 * 600)
    assert result["epoch_backprop_seconds"] == pytest.approx(1.2)
    # a million parameters: (1e6 + 1) forward passes of 10 ms each, per batch
    assert result["million_numerical_seconds"] == pytest.approx((1e6 + 1) * 0.01)
    assert result["million_backprop_seconds"] == pytest.approx(0.03)
    assert result["million_epoch_backprop_seconds"] == pytest.approx(18.0)
    central = extrapolate(1000, 100, "central", 2.0, 2000, 0.002, million)
    assert central["million_numerical_seconds"] == pytest.approx(2e6 * 0.01)


def test_the_million_parameter_network_is_measured_for_real():
    parameters, forward, both = time_million_network(batch=4, repeats=2)
    assert parameters == parameter_count(MILLION_LAYERS)
    assert 1_000_000 <= parameters < 1_010_000
    assert forward > 0 and both > 0  # (their ratio is left alone: timings on a busy machine vary)


@pytest.mark.parametrize("text", ["784", "784,abc,10", "784,-3,10", "784,0,10", "", "100000,1000,10", "784,16.5,10"])
def test_bad_layer_text_is_refused(text):
    with pytest.raises(ValueError):
        parse_layers(text)


def test_layer_text_is_read():
    assert parse_layers("784, 16,16 ,10") == (784, 16, 16, 10)


@pytest.mark.parametrize("kwargs", [{"batch": 0}, {"method": "sideways"}, {"layers": (100_000, 100, 10)}])
def test_bad_settings_raise_before_work(kwargs):
    with pytest.raises(ValueError):
        next(gradient_cost(**{"layers": TINY, **kwargs}))


@pytest.mark.parametrize(
    "seconds,text",
    [(3.5e-4, "350 µs"), (4.2, "4.2 s"), (90, "1.5 min"), (7200, "2 h"), (86400 * 3, "3 days"), (86400 * 365.25 * 2, "2 years")],
)
def test_durations_read_naturally(seconds, text):
    assert format_duration(seconds) == text
