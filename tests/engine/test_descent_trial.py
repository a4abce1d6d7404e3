"""Trial and error on the line fit: a staircase that converges, at about 2 evaluations per parameter per sweep."""

import numpy as np
import pytest

from engine.descent import DescentSettings, collect_run, make_problem, random_start, run_descent
from engine.descent_trial import run_trial_descent, trial_run


@pytest.fixture(scope="module")
def problem():
    return make_problem((0.0, 1.0), seed=0)


def test_the_path_is_a_staircase_of_equal_axis_parallel_steps(problem):
    run = trial_run(problem, random_start(0), step=0.1, tries=100)
    dw, db = np.diff(run.w), np.diff(run.b)
    assert run.updates > 20
    assert np.all((dw == 0) != (db == 0))                       # each update moves w or b, never both
    np.testing.assert_allclose(np.abs(dw + db), 0.1, rtol=1e-9)  # always by the whole step
    np.testing.assert_allclose(run.step_sizes[1:], 0.1)
    assert np.any(dw != 0) and np.any(db != 0)
    assert np.all(np.diff(run.loss) < 0)                        # only changes that lower the loss are kept


def test_fixed_step_stops_where_no_single_step_helps(problem):
    run = trial_run(problem, random_start(0), step=0.1, tries=1000)
    assert run.reason == "stuck" and run.total_tries < 1000
    # stuck means L(θ ± s·eᵢ) ≥ L(θ) on both axes, which for this bowl is |∂L/∂θᵢ| ≤ s·Hᵢᵢ/2
    grad = np.abs(problem.gradient(run.w[-1], run.b[-1]))
    assert np.all(grad <= 0.1 * np.diag(problem.hessian()) / 2 + 1e-12)
    w_opt, b_opt = problem.optimum()
    assert abs(run.w[-1] - w_opt) < 0.5 and abs(run.b[-1] - b_opt) < 0.5
    assert run.final_loss < 1.25 * problem.loss(w_opt, b_opt)


def test_halving_converges_to_the_least_squares_fit(problem):
    run = trial_run(problem, random_start(0), step=0.1, rule="halve", tries=1000)
    np.testing.assert_allclose([run.w[-1], run.b[-1]], problem.optimum(), atol=1e-4)
    assert run.step_sizes[-1] < 0.1 / 2 ** 8


def test_about_two_evaluations_per_parameter_per_sweep(problem):
    for rule in ("fixed", "halve"):
        run = trial_run(problem, random_start(0), step=0.1, rule=rule, tries=300)
        assert 1.0 <= run.tries_per_parameter_per_sweep() <= 2.0 + 1 / run.sweeps
    # once it is near the bottom almost every try fails, and a sweep costs the full 2 per parameter
    settled = trial_run(problem, problem.optimum(), step=0.1, rule="halve", tries=200)
    assert settled.tries_per_parameter_per_sweep() == pytest.approx(2.0, abs=0.1)


def test_gradient_steps_shrink_with_the_slope_trial_steps_do_not(problem):
    start = random_start(0)
    descent = collect_run(problem, DescentSettings(0.1, epochs=100), start)
    gradient_steps = np.hypot(np.diff(descent.w), np.diff(descent.b))
    assert gradient_steps[-1] < 0.05 * gradient_steps[0]
    trial = trial_run(problem, start, step=0.1, tries=100)
    assert np.ptp(trial.step_sizes[1:]) == 0


def test_playback_clock_and_loss_between_updates(problem):
    run = trial_run(problem, random_start(0), step=0.1, tries=100)
    assert run.tries[0] == 0 and np.all(np.diff(run.tries) >= 1)
    k = run.updates // 2
    assert run.index_at(run.tries[k]) == k and run.index_at(run.tries[k] - 0.5) == k - 1
    assert run.loss_after(run.tries[k] + 0.5) == run.loss[k]
    assert run.index_at(10**6) == run.updates


def test_budget_is_counted_in_loss_evaluations(problem):
    run = trial_run(problem, (5.0, -5.0), step=0.01, tries=37)
    assert run.total_tries == 37 and run.reason == "budget"
    assert run.tries[-1] <= 37


def test_report_has_the_gradient_runs_fields_and_the_counts():
    report = run_trial_descent(step=0.1, epochs=100, seed=0)
    gradient = run_descent([0.1], epochs=100, seed=0)
    assert report["method"] == "trial"
    assert set(gradient["runs"][0]) - {"lr", "message"} <= set(report["runs"][0])
    trial = report["runs"][0]
    assert trial["loss_evaluations"] <= 101 and trial["ended"] == "stuck"
    assert set(gradient) - {"runs", "optimizer", "batch"} <= set(report)
    assert report["start"] == gradient["start"] and report["optimum"] == gradient["optimum"]


@pytest.mark.parametrize("options, message", [({"tries": 0}, "budget"), ({"step": -1.0}, "step"),
                                              ({"start": (np.nan, 0.0)}, "start")])
def test_bad_settings_are_refused(problem, options, message):
    settings = {"start": (0.0, 0.0), **options}
    with pytest.raises(ValueError, match=message):
        trial_run(problem, **settings)


def test_work_is_counted_in_multiply_adds_like_the_gradient_runs():
    """Every evaluation is one forward pass over the 100 points (one multiply-add each); a gradient
    update a forward and a backward pass over its batch, the backward counted as two."""
    trial = run_trial_descent(step=0.1, epochs=100, seed=0)["runs"][0]
    assert trial["multiply_adds"] == 100 * trial["loss_evaluations"] == 4_600
    full = run_descent([0.5], epochs=100, seed=0)["runs"][0]
    assert full["loss_evaluations"] == 101 and full["multiply_adds"] == 100 * (101 + 2 * 100)
    mini = run_descent([0.1], epochs=3, batch="mini", seed=0)["runs"][0]
    assert mini["updates"] == 30 and mini["loss_evaluations"] == 4
    assert mini["multiply_adds"] == 300 + 100 + 2 * 300
    # gradient-descent.md: for trial and error's 4,600 multiply-adds gradient descent makes 15 steps
    start = random_start(0)
    descent = collect_run(make_problem((0.0, 1.0), seed=0), DescentSettings(0.5, epochs=100), start)
    assert 100 * (16 + 2 * 15) == 4_600 and descent.loss[15] == pytest.approx(0.0139, abs=5e-5)
