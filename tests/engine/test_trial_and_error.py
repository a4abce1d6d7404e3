"""Trial and error (coordinate search): the method exactly as the lesson describes it, counted honestly."""

import numpy as np
import pytest

from engine.datasets import vertical_data
from engine.loops import drive
from engine.network import build_mlp
from engine.search_model import SearchModel, batched_loss_accuracy, to_network
from engine.trial_and_error import FlatCoordinates, NetworkCoordinates, trial_and_error


def bowl(target):
    """A separable bowl sum((θ − target)²) over stacked candidates, counting every point it scores."""
    target = np.asarray(target, dtype=float)
    scored = []

    def losses(candidates):
        scored.append(len(candidates))
        return np.sum((candidates - target) ** 2, axis=1)

    return losses, scored


def test_a_sweep_tries_up_then_down_and_keeps_only_what_lowers_the_loss():
    losses, _ = bowl([0.3, -0.2, 0.0])
    problem = FlatCoordinates(losses, np.zeros(3))
    steps = trial_and_error(problem, 0.1, max_sweeps=1, batch=1)
    records = list(steps)
    moves = [move for record in records for move in record.moves]
    # θ0: +0.1 helps (1 try); θ1: +0.1 hurts, −0.1 helps (2 tries); θ2: both hurt (2 tries)
    assert [(m.parameter, m.change, m.evaluation) for m in moves] == [(0, 0.1, 2), (1, -0.1, 4)]
    assert records[-1].evaluations == 1 + 1 + 2 + 2
    np.testing.assert_allclose(problem.weights, [0.1, -0.1, 0.0])
    assert records[-1].loss == pytest.approx(0.2 ** 2 + 0.1 ** 2)


def test_fixed_step_ends_when_a_sweep_keeps_nothing_and_no_single_step_helps():
    losses, _ = bowl([0.33, -0.47, 1.0])
    problem = FlatCoordinates(losses, np.zeros(3))
    result = drive(trial_and_error(problem, 0.1))
    assert result.reason == "stuck"
    np.testing.assert_allclose(problem.weights, [0.3, -0.5, 1.0], atol=1e-12)
    here = losses(problem.weights[None])[0]
    for i in range(3):
        for change in (0.1, -0.1):
            moved = problem.weights.copy()
            moved[i] += change
            assert losses(moved[None])[0] >= here


def test_halving_the_step_refines_until_the_smallest_step():
    losses, _ = bowl([0.33, -0.47])
    problem = FlatCoordinates(losses, np.zeros(2))
    steps = trial_and_error(problem, 0.1, rule="halve", min_step=1e-4)
    sizes = [record.step for record in steps]
    assert sizes[0] == 0.1 and min(sizes) < 1e-4
    assert set(np.round(np.log2(0.1 / np.array(sizes)), 9)) <= set(range(20))  # only ever halved
    np.testing.assert_allclose(problem.weights, [0.33, -0.47], atol=2e-4)


def test_every_try_is_counted_and_a_sweep_costs_at_most_two_per_parameter():
    X, y = vertical_data(30, 3, seed=0)
    model = SearchModel(2, 3, 3)
    start = model.initial_weights(np.random.default_rng(0))
    scored = []

    def losses(candidates):
        scored.append(len(candidates))
        return batched_loss_accuracy(model, candidates, X, y)[0]

    problem = FlatCoordinates(losses, start)
    records = list(trial_and_error(problem, 0.05, max_sweeps=5, batch=1))
    assert sum(scored) == records[-1].evaluations  # one at a time: every point scored is counted
    sweeps = records[-1].sweeps
    assert sweeps == 5
    assert model.size * sweeps < records[-1].evaluations - 1 <= 2 * model.size * sweeps


def test_batches_change_the_speed_never_the_path_or_the_count():
    X, y = vertical_data(50, 3, seed=1)
    model = SearchModel(2, 4, 3)
    start = model.initial_weights(np.random.default_rng(3))
    outcomes = []
    for batch in (1, 3, 32):
        problem = FlatCoordinates(lambda c: batched_loss_accuracy(model, c, X, y)[0], start)
        steps = trial_and_error(problem, 0.05, rule="halve", max_evaluations=700, batch=batch)
        moves = [(m.evaluation, m.parameter, m.change) for r in steps for m in r.moves]
        outcomes.append((moves, problem.weights.copy()))
    first_moves, first_weights = outcomes[0]
    assert len(first_moves) > 20
    for moves, weights in outcomes[1:]:
        assert moves == first_moves
        np.testing.assert_array_equal(weights, first_weights)


def test_the_budget_is_kept_exactly():
    losses, _ = bowl(np.linspace(-1, 1, 7))
    problem = FlatCoordinates(losses, np.zeros(7))
    result = drive(trial_and_error(problem, 0.01, max_evaluations=25))
    assert result.reason == "budget" and result.evaluations == 25


def test_stop_flag_ends_between_batches():
    losses, _ = bowl(np.ones(4))
    calls = []
    steps = trial_and_error(FlatCoordinates(losses, np.zeros(4)), 0.01,
                            should_stop=lambda: len(calls) >= 3 or calls.append(1))
    result = drive(steps)
    assert result.reason == "stopped" and result.evaluations < 20


def test_network_tries_match_the_flat_model_and_leave_the_weights_alone():
    X, y = vertical_data(20, 3, seed=2)
    model = SearchModel(2, 3, 3)
    weights = 0.3 * np.random.default_rng(5).standard_normal(model.size)
    network = to_network(model, weights)
    on_network = NetworkCoordinates(network, X, y)
    flat = FlatCoordinates(lambda c: batched_loss_accuracy(model, c, X, y)[0], weights)
    index = np.array([0, 5, 6, 20, 20])
    change = np.array([0.1, -0.2, 0.3, 0.05, -0.05])
    np.testing.assert_allclose(on_network.losses(index, change), flat.losses(index, change), rtol=1e-12)
    np.testing.assert_array_equal(model.pack(network.get_weights()), weights)  # tries were put back
    on_network.apply(20, 0.5)
    assert model.pack(network.get_weights())[20] == pytest.approx(weights[20] + 0.5)


def test_one_sweep_of_a_network_visits_every_parameter():
    network = build_mlp([5, 4, 3], activation="sigmoid", loss="sse", init="xavier", seed=0)
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 5)), rng.integers(0, 3, 8)
    problem = NetworkCoordinates(network, x, y)
    result = drive(trial_and_error(problem, 0.05, max_sweeps=1, batch=1))
    assert problem.size == network.parameter_count() == 5 * 4 + 4 + 4 * 3 + 3
    assert result.sweeps == 1 and problem.size < result.evaluations - 1 <= 2 * problem.size
    assert result.loss == pytest.approx(network.loss_value(x, y)) and result.loss < result.start_loss


@pytest.mark.parametrize("options, message", [
    ({"step": 0}, "step"), ({"step": float("nan")}, "step"), ({"rule": "double"}, "step rule"),
    ({"max_evaluations": 0}, "budget"), ({"max_sweeps": 0}, "sweeps"), ({"batch": 0}, "batch"),
])
def test_bad_settings_are_refused(options, message):
    losses, _ = bowl([1.0])
    settings = {"step": 0.1, **options}
    with pytest.raises(ValueError, match=message):
        next(trial_and_error(FlatCoordinates(losses, np.zeros(1)), **settings))
