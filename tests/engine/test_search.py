"""Random search, tweak-and-keep and gradient descent on the book's data: the chapter 6 lesson, measured."""

import numpy as np
import pytest

from engine.datasets import spiral_data, vertical_data
from engine.gradcheck import numerical_gradient, relative_error
from engine.loops import drive
from engine.search import (METHODS, SearchRecord, decision_grid, gradient_descent,
                           gradient_magnitudes, loss_at_work, loss_slices, make_method, random_search, run_search,
                           run_side_by_side, trial_and_error_search, tweak_and_keep)
from engine.search_model import (SearchModel, batched_loss_accuracy, evaluate_with_network,
                                 from_network, loss_gradient, to_network)

BOOK = SearchModel(2, 3, 3)


@pytest.fixture(scope="module")
def spiral():
    return spiral_data(100, 3, seed=0)


@pytest.fixture(scope="module")
def vertical():
    return vertical_data(100, 3, seed=0)


# --- the batched model is the engine's model ------------------------------------------------------

def test_book_model_has_21_parameters_with_names_in_network_order():
    assert BOOK.size == 21
    names = BOOK.parameter_names()
    assert len(names) == 21 and names[0] == "W1[0,0]" and names[-1] == "b2[2]"
    weights = np.arange(21, dtype=float)
    assert np.array_equal(from_network(BOOK, to_network(BOOK, weights)), weights)


def test_batched_evaluation_equals_one_by_one_through_network(spiral):
    X, y = spiral
    rng = np.random.default_rng(1)
    candidates = rng.standard_normal((40, BOOK.size))  # large weights: confident, varied predictions
    losses, accs = batched_loss_accuracy(BOOK, candidates, X, y)
    one_by_one = np.array([evaluate_with_network(BOOK, c, X, y) for c in candidates])
    np.testing.assert_allclose(losses, one_by_one[:, 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(accs, one_by_one[:, 1])
    assert np.ptp(losses) > 0.1  # the check would be vacuous if every candidate scored alike


def test_batched_evaluation_for_wider_model_and_more_classes():
    X, y = spiral_data(30, 4, seed=3)
    model = SearchModel(2, 7, 4)
    candidates = np.random.default_rng(2).standard_normal((5, model.size))
    losses, _ = batched_loss_accuracy(model, candidates, X, y)
    expected = [evaluate_with_network(model, c, X, y)[0] for c in candidates]
    np.testing.assert_allclose(losses, expected, rtol=1e-12)


def test_loss_gradient_matches_numerical_gradient(spiral):
    X, y = spiral
    weights = 0.5 * np.random.default_rng(4).standard_normal(BOOK.size)
    _, grad = loss_gradient(BOOK, weights, X, y)
    probe = weights.copy()
    numeric, _ = numerical_gradient(lambda: batched_loss_accuracy(BOOK, probe[None], X, y)[0][0], probe)
    assert relative_error(grad, numeric) < 1e-6


def test_unpack_rejects_wrong_length():
    with pytest.raises(ValueError, match="21 parameters"):
        BOOK.unpack(np.zeros(20))


# --- book anchors (TEACHING-FACTS: NNFS chapter 6 and 10) -----------------------------------------

def test_pure_random_search_on_spiral_stays_near_chance(spiral):
    result = drive(random_search(BOOK, *spiral, iterations=10_000, seed=0))
    assert result.final.iteration == 10_000
    assert result.best_loss > 1.05
    assert result.best_accuracy < 0.45


def test_pure_random_search_on_vertical_barely_helps(vertical):
    result = drive(random_search(BOOK, *vertical, iterations=10_000, seed=0))
    assert result.best_loss > 1.05


def test_tweak_and_keep_solves_vertical(vertical):
    result = drive(tweak_and_keep(BOOK, *vertical, iterations=10_000, seed=0))
    assert result.final.accuracy >= 0.85
    assert result.final.loss < 0.5


def test_tweak_and_keep_stalls_on_spiral(spiral):
    result = drive(tweak_and_keep(BOOK, *spiral, iterations=10_000, seed=0))
    assert result.final.loss > 1.0
    assert 0.30 <= result.final.accuracy <= 0.50
    # it did move: the first improvements are easy, then acceptances dry up
    rates = result.history["acceptance_rate"]
    assert result.final.accepted > 5
    assert rates[-1] < 0.1


def test_trial_and_error_reaches_tweak_and_keeps_accuracy_on_vertical(vertical):
    tweak = drive(tweak_and_keep(BOOK, *vertical, iterations=10_000, seed=0))
    trial = drive(trial_and_error_search(BOOK, *vertical, iterations=10_000, seed=0))
    assert trial.best_accuracy >= 0.85
    assert trial.best_accuracy >= tweak.best_accuracy - 0.02
    assert trial.best_loss < 0.5


@pytest.mark.parametrize("rule", ["fixed", "halve"])
def test_trial_and_error_stalls_on_spiral(spiral, rule):
    result = drive(trial_and_error_search(BOOK, *spiral, iterations=10_000, seed=0, rule=rule))
    assert result.best_loss > 1.06  # random-search.md: "still stalls, above 1.06"
    assert 0.30 <= result.best_accuracy <= 0.50
    assert result.final.accepted > 5  # it moved, then ran out of single steps that help
    if rule == "fixed":
        assert result.details["ended"] == "stuck" and result.final.iteration < 10_000
    else:
        assert result.details["final_step"] < 0.05 and result.final.iteration == 10_000


def test_trial_and_error_counts_every_try_and_tracks_the_best(spiral):
    records = list(trial_and_error_search(BOOK, *spiral, iterations=600, seed=1, rule="halve"))
    losses = [r.loss for r in records]
    assert all(b <= a for a, b in zip(losses, losses[1:]))
    assert records[-1].iteration == 600 and records[-1].loss_evaluations == 601
    weights = records[-1].weights
    loss, accuracy = evaluate_with_network(BOOK, weights, *spiral)
    assert records[-1].loss == pytest.approx(loss, rel=1e-10)
    assert records[-1].accuracy == accuracy
    # exactly one weight differs from the start per change kept, by a multiple of the step
    start = BOOK.initial_weights(np.random.default_rng(1))
    assert np.count_nonzero(weights != start) <= records[-1].accepted


def test_adam_on_wide_network_learns_the_spiral():
    # Adam at lr 0.05 is spiky and data-dependent, so judge the typical run: the median of three seeds.
    model = SearchModel(2, 64, 3)
    accuracies = []
    for seed in range(3):
        X, y = spiral_data(100, 3, seed=seed)
        result = drive(gradient_descent(model, X, y, iterations=10_000, optimizer="adam",
                                        learning_rate=0.05, decay=5e-7, seed=seed))
        accuracies.append(result.final.accuracy)
    assert np.median(accuracies) >= 0.90


# --- batching does not change the search --------------------------------------------------------------

def test_tweak_and_keep_is_independent_of_batch_size(spiral):
    one = drive(tweak_and_keep(BOOK, *spiral, iterations=1500, seed=5, batch_size=1))
    many = drive(tweak_and_keep(BOOK, *spiral, iterations=1500, seed=5, batch_size=37))
    assert one.final.accepted == many.final.accepted > 0
    np.testing.assert_allclose(many.final.weights, one.final.weights, rtol=1e-12)
    assert many.final.loss == pytest.approx(one.final.loss, rel=1e-12)


def test_tweak_and_keep_matches_a_plain_sequential_loop(vertical):
    X, y = vertical
    rng = np.random.default_rng(8)
    best = BOOK.initial_weights(rng, 0.01)
    best_loss = evaluate_with_network(BOOK, best, X, y)[0]
    for _ in range(300):
        candidate = best + 0.05 * rng.standard_normal(BOOK.size)
        loss = evaluate_with_network(BOOK, candidate, X, y)[0]
        if loss < best_loss:
            best, best_loss = candidate, loss
    result = drive(tweak_and_keep(BOOK, X, y, iterations=300, seed=8, batch_size=50))
    assert result.final.loss == pytest.approx(best_loss, rel=1e-10)
    np.testing.assert_allclose(result.final.weights, best, rtol=1e-10)


def test_random_search_is_independent_of_batch_size(spiral):
    a = drive(random_search(BOOK, *spiral, iterations=700, seed=2, batch_size=1))
    b = drive(random_search(BOOK, *spiral, iterations=700, seed=2, batch_size=300))
    assert a.final.loss == pytest.approx(b.final.loss, rel=1e-12)
    assert a.final.accepted == b.final.accepted


def test_best_loss_never_increases_and_budget_is_counted(spiral):
    records = list(tweak_and_keep(BOOK, *spiral, iterations=2000, seed=0))
    losses = [r.loss for r in records]
    assert all(b <= a for a, b in zip(losses, losses[1:]))
    assert records[-1].iteration == 2000
    # one evaluation of the start plus one per try, however the tries were batched
    assert records[-1].loss_evaluations == 2001
    assert records[-1].multiply_adds == 2001 * 4_500  # a forward pass of 2→3→3 over 300 points each


# --- work: a gradient step is not one guess -------------------------------------------------------------

def test_a_gradient_step_is_charged_a_forward_and_a_backward_pass(spiral):
    result = drive(gradient_descent(BOOK, *spiral, iterations=40, seed=0, report_every=10))
    history = result.history
    steps, work = history["iteration"], history["multiply_adds"]
    np.testing.assert_array_equal(work, 4_500 * (3 * steps + 1))  # start: one forward pass
    assert result.final.multiply_adds == 4_500 * (3 * 40 + 1)
    assert result.final.loss_evaluations == 41  # the old count: one per step, as if a step were a guess


def test_three_guesses_cost_what_one_gradient_step_costs(vertical):
    guesses = drive(tweak_and_keep(BOOK, *vertical, iterations=300, seed=0)).final
    steps = drive(gradient_descent(BOOK, *vertical, iterations=100, seed=0)).final
    assert guesses.multiply_adds == steps.multiply_adds


def test_gradient_descent_wins_at_equal_work_on_the_vertical_data(vertical):
    # the lesson's figures: 1.35 million multiply-adds buy 300 tweaks or 100 gradient steps
    tweak = drive(tweak_and_keep(BOOK, *vertical, iterations=300, seed=0))
    gradient = drive(gradient_descent(BOOK, *vertical, iterations=100, seed=0))
    assert tweak.final.multiply_adds == gradient.final.multiply_adds == 1_354_500
    assert tweak.best_loss > 0.6 and tweak.best_accuracy < 0.85
    assert gradient.best_loss < 0.3 and gradient.best_accuracy > 0.9


def test_loss_at_work_reads_a_curve_at_a_given_work():
    history = {"multiply_adds": np.array([10.0, 40.0, 70.0]), "loss": np.array([1.0, 0.5, 0.2])}
    assert loss_at_work(history, 40) == 0.5
    assert loss_at_work(history, 69) == 0.5
    assert loss_at_work(history, 1e9) == 0.2
    assert np.isnan(loss_at_work(history, 5))


def test_gradient_descent_wins_at_equal_work_on_the_spiral_with_64_hidden_units():
    X, y = spiral_data(100, 3, seed=0)
    wide = SearchModel(2, 64, 3)
    tweak = drive(tweak_and_keep(wide, X, y, iterations=3_000, seed=0))
    gradient = drive(gradient_descent(wide, X, y, iterations=1_000, seed=0))
    assert tweak.final.multiply_adds == gradient.final.multiply_adds
    assert tweak.best_loss > 1.0
    assert gradient.best_loss < 0.5


def test_stop_callback_ends_search_early(spiral):
    calls = {"n": 0}

    def stop_after_three():
        calls["n"] += 1
        return calls["n"] > 3

    result = drive(random_search(BOOK, *spiral, iterations=10_000, seed=0, batch_size=10,
                                 should_stop=stop_after_three))
    assert result.final.iteration == 30


def test_same_seed_same_start_for_every_method(spiral):
    firsts = {m: next(make_method(m, BOOK, *spiral, iterations=50, seed=3)) for m in METHODS}
    starts = [drive(make_method(m, BOOK, *spiral, iterations=1, seed=3)).history["loss"][0] for m in METHODS]
    assert all(start == pytest.approx(starts[0]) for start in starts)
    assert all(isinstance(r, SearchRecord) for r in firsts.values())


def test_side_by_side_yields_every_method_and_returns_results(spiral):
    gens = {m: make_method(m, BOOK, *spiral, iterations=200, seed=0) for m in METHODS}
    runner = run_side_by_side(gens)
    rounds = []
    while True:
        try:
            rounds.append(next(runner))
        except StopIteration as end:
            results = end.value
            break
    assert set(rounds[-1]) == set(METHODS) == set(results)
    assert all(results[m].final.iteration == 200 for m in METHODS)


def test_huge_learning_rate_ends_with_a_finite_best_loss(spiral):
    result = drive(gradient_descent(BOOK, *spiral, iterations=500, optimizer="sgd",
                                    learning_rate=1e6, seed=0))
    assert result.final.iteration <= 500
    assert np.isfinite(result.best_loss)


@pytest.mark.parametrize("bad", [dict(iterations=0), dict(scale=-0.1), dict(scale=float("nan"))])
def test_bad_settings_are_refused(spiral, bad):
    with pytest.raises(ValueError):
        drive(random_search(BOOK, *spiral, **bad))


def test_bad_learning_rate_is_named(spiral):
    with pytest.raises(ValueError, match="learning rate"):
        drive(gradient_descent(BOOK, *spiral, iterations=10, learning_rate=0.0))


def test_nan_data_is_refused(spiral):
    X, y = spiral
    X = X.copy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        drive(tweak_and_keep(BOOK, X, y, iterations=10))


# --- "why guessing fails" views ------------------------------------------------------------------------

def test_loss_falls_along_negative_gradient_not_along_random_direction(spiral):
    X, y = spiral
    weights = drive(tweak_and_keep(BOOK, X, y, iterations=300, seed=0)).final.weights
    s = loss_slices(BOOK, weights, X, y, radius=0.2, points=41, seed=1)
    centre = 20
    assert s["t"][centre] == pytest.approx(0.0)
    assert s["random"][centre] == pytest.approx(s["loss"]) == pytest.approx(s["gradient"][centre])
    # a small step downhill lowers the loss by about |grad|·t, more than the random direction does
    step = s["t"][centre + 1]
    drop_gradient = s["loss"] - s["gradient"][centre + 1]
    drop_random = s["loss"] - s["random"][centre + 1]
    assert drop_gradient == pytest.approx(s["gradient_norm"] * step, rel=0.1)
    assert drop_gradient > abs(drop_random)


def test_gradient_magnitudes_are_unequal(spiral):
    X, y = spiral
    weights = 0.3 * np.random.default_rng(0).standard_normal(BOOK.size)
    g = gradient_magnitudes(BOOK, weights, X, y)
    assert len(g["names"]) == len(g["magnitude"]) == 21
    assert np.all(g["magnitude"] >= 0)
    assert g["magnitude"].max() > 10 * np.median(g["magnitude"][g["magnitude"] > 0]) or \
        g["magnitude"].max() > 5 * g["magnitude"].min()


def test_decision_grid_matches_network_predictions(spiral):
    X, y = spiral
    weights = np.random.default_rng(6).standard_normal(BOOK.size)
    grid = decision_grid(BOOK, weights, (-1, 1), (-0.5, 1.5), resolution=25)
    net = to_network(BOOK, weights)
    for i, j in [(0, 0), (3, 17), (24, 24), (12, 5)]:
        point = np.array([[grid["xs"][j], grid["ys"][i]]])
        assert grid["classes"][i, j] == net.predict(point)[0]


# --- the command line's engine function ------------------------------------------------------------------

def test_run_search_returns_the_documented_fields():
    result = run_search("vertical", "tweak", iterations=400, hidden=3, seed=0)
    assert set(result) == {"dataset", "method", "iterations", "loss_evaluations", "multiply_adds",
                           "best_loss", "accuracy", "seconds"}
    assert result["iterations"] == 400 and result["method"] == "tweak"
    assert result["multiply_adds"] == 401 * 4_500
    assert result["best_loss"] < np.log(3)


def test_run_search_trial_says_how_it_ended():
    result = run_search("spiral", "trial", iterations=10_000, seed=0)
    assert result["ended"] == "stuck" and result["step_rule"] == "fixed"
    assert result["loss_evaluations"] == result["iterations"] + 1 < 10_001
    halved = run_search("spiral", "trial", iterations=400, seed=0, step_rule="halve")
    assert halved["iterations"] == 400 and halved["sweeps"] >= 400 // (2 * BOOK.size)


def test_run_search_refuses_unknown_method():
    with pytest.raises(ValueError, match="unknown method"):
        run_search("spiral", "annealing", iterations=10)


def test_slopes_at_the_start_of_each_line_match_the_curves(spiral):
    """The slopes are directional derivatives: checked against the sliced losses themselves."""
    X, y = spiral
    weights = BOOK.initial_weights(np.random.default_rng(0))  # the book's tiny start: nearly flat
    # ReLU kinks lie within 1e-3 of these tiny weights, so the difference must be taken closer in
    s = loss_slices(BOOK, weights, X, y, radius=2e-4, points=41, seed=1)
    h = s["t"][21] - s["t"][20]
    for key in ("random", "gradient"):
        numerical = (s[key][21] - s[key][19]) / (2 * h)  # central difference over t = ±1e-5
        assert s["slopes"][key] == pytest.approx(numerical, abs=0.05 * s["gradient_norm"])
    assert s["slopes"]["gradient"] == pytest.approx(-s["gradient_norm"])
    assert s["slopes"]["gradient"] < -abs(s["slopes"]["random"])  # steepest descent beats a random direction
