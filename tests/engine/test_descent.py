"""Gradient descent on ŷ = w·x + b: exact maths against numerical differences, and the lesson's figures."""

import warnings

import numpy as np
import pytest

from engine.descent import (
    DescentSettings,
    LinearProblem,
    collect_run,
    descend,
    make_problem,
    one_parameter_loss,
    one_parameter_slope,
    one_parameter_steps,
    one_parameter_tangent,
    outcome_text,
    random_start,
    run_descent,
)
from engine.gradcheck import numerical_gradient, relative_error


@pytest.fixture(scope="module")
def problem():
    return make_problem((0.0, 1.0), seed=42)


def test_gradient_matches_central_differences(problem):
    rng = np.random.default_rng(3)
    theta = np.zeros(2)
    for _ in range(5):
        theta[:] = rng.normal(0, 3, size=2)
        numeric, evals = numerical_gradient(lambda: problem.loss(theta[0], theta[1]), theta)
        exact = np.array(problem.gradient(theta[0], theta[1]))
        assert evals == 4
        assert relative_error(exact, numeric) < 1e-7


def test_minibatch_gradient_matches_central_differences(problem):
    idx = np.array([3, 17, 50, 99])
    theta = np.array([-1.5, 0.7])
    numeric, _ = numerical_gradient(lambda: problem.loss(theta[0], theta[1], idx), theta)
    assert relative_error(np.array(problem.gradient(theta[0], theta[1], idx)), numeric) < 1e-7


def test_hessian_matches_differences_of_the_gradient(problem):
    eps = 1e-5
    numeric = np.empty((2, 2))
    for j, d in enumerate(np.eye(2) * eps):
        up = np.array(problem.gradient(0.3 + d[0], -0.2 + d[1]))
        down = np.array(problem.gradient(0.3 - d[0], -0.2 - d[1]))
        numeric[:, j] = (up - down) / (2 * eps)
    assert relative_error(problem.hessian(), numeric) < 1e-7


def test_loss_and_gradient_match_the_direct_residual_formulas(problem):
    """The O(1) moment formulas agree with mean((w·x + b − y)²) computed point by point."""
    w, b = np.meshgrid(np.linspace(-3, 5, 7), np.linspace(-2, 4, 5), indexing="ij")
    direct = np.mean((w[..., None] * problem.x + b[..., None] - problem.y) ** 2, axis=-1)
    np.testing.assert_allclose(problem.loss(w, b), direct, rtol=1e-12, atol=1e-14)
    r = 1.5 * problem.x - 0.25 - problem.y
    assert problem.loss(1.5, -0.25) == pytest.approx(np.mean(r**2), rel=1e-12)
    np.testing.assert_allclose(problem.gradient(1.5, -0.25), [2 * np.mean(r * problem.x), 2 * np.mean(r)],
                               rtol=1e-12)
    everything = np.arange(problem.x.size)
    assert problem.loss(1.5, -0.25, everything) == pytest.approx(problem.loss(1.5, -0.25), rel=1e-12)


def test_eigenvalues_for_the_unit_range(problem):
    lo, hi = problem.eigenvalues()
    assert lo == pytest.approx(0.137, abs=0.005)
    assert hi == pytest.approx(2.54, abs=0.01)


@pytest.mark.parametrize("x_range, limit, tol", [((0, 1), 0.789, 0.01), ((-1, 1), 1.0, 0.01),
                                                  ((0, 10), 0.029, 0.001)])
def test_stability_limit_moves_with_the_x_range(x_range, limit, tol):
    p = make_problem(x_range, seed=0)
    assert p.stability_limit() == pytest.approx(limit, abs=tol)
    lo, hi = p.eigenvalues()
    assert p.fastest_learning_rate() == pytest.approx(2 / (lo + hi))
    assert p.fastest_learning_rate() < p.stability_limit()


def test_the_limit_separates_convergence_from_divergence(problem):
    start = (-1.0, 3.0)
    limit = problem.stability_limit()
    below = collect_run(problem, DescentSettings(0.97 * limit, epochs=400), start)
    above = collect_run(problem, DescentSettings(1.03 * limit, epochs=400), start)
    assert not below.diverged
    assert below.final_loss < below.loss[0]
    assert above.diverged


def test_fastest_rate_beats_slower_and_faster_rates(problem):
    start = (-1.0, 3.0)
    w_opt, b_opt = problem.optimum()

    def distance(lr):
        run = collect_run(problem, DescentSettings(lr, epochs=40), start)
        return np.hypot(run.w[-1] - w_opt, run.b[-1] - b_opt)

    best = problem.fastest_learning_rate()
    assert distance(best) < distance(0.5 * best)
    assert distance(best) < distance(0.5 * (best + problem.stability_limit()))


def test_lesson_rates_after_100_epochs():
    result = run_descent([0.01, 0.1, 0.5, 0.9], epochs=100, seed=42)
    slow, _medium, good, too_big = result["runs"]
    assert good["w"] == pytest.approx(2, abs=0.1) and good["b"] == pytest.approx(1, abs=0.1)
    assert not good["diverged"]
    assert abs(slow["w"] - 2) > 0.5  # 0.01 is still far away
    assert slow["final_loss"] > 10 * good["final_loss"]
    assert too_big["diverged"] and too_big["diverged_at"] is not None
    assert 1 <= too_big["diverged_at"] <= 100
    assert f"diverged at epoch {too_big['diverged_at']}" in too_big["message"]
    assert "stability limit" in too_big["message"]
    assert result["stability_limit"] == pytest.approx(0.789, abs=0.01)


def test_divergence_stops_quietly_even_on_overflow(capfd):
    # A start at 1e200 overflows float64 in the very first loss: the run must stop, not warn.
    p = make_problem((0.0, 1.0), seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="warn"):
            run = collect_run(p, DescentSettings(0.5, epochs=5), (1e200, -1e200))
            assert np.geterr()["over"] == "warn"  # the caller's settings are left alone
    assert run.diverged and run.diverged_at == 1
    out, err = capfd.readouterr()
    assert "overflow" not in (out + err).lower() and "RuntimeWarning" not in err


# --- divergence judged by the loss, and the three regimes -----------------------------------------
def test_the_three_regimes_follow_from_the_largest_eigenvalue(problem):
    smooth, limit = problem.smooth_limit(), problem.stability_limit()
    assert smooth == pytest.approx(1 / problem.eigenvalues()[1]) == pytest.approx(limit / 2)
    assert [problem.regime(f * smooth) for f in (0.1, 0.99, 1.0)] == ["smooth"] * 3
    assert [problem.regime(f * limit) for f in (0.51, 0.99)] == ["oscillating"] * 2
    assert [problem.regime(f * limit) for f in (1.0, 1.01, 3)] == ["diverging"] * 3


def steep_direction_error(problem, run):
    """The error's component along the Hessian's steepest eigenvector, at every update."""
    _, vectors = np.linalg.eigh(problem.hessian())
    w_opt, b_opt = problem.optimum()
    return (run.w - w_opt) * vectors[0, 1] + (run.b - b_opt) * vectors[1, 1]


@pytest.mark.parametrize("x_range", [(0, 1), (-1, 1), (0, 10)])
def test_smooth_runs_never_cross_the_valley_and_oscillating_ones_zigzag_to_its_floor(x_range):
    p = make_problem(x_range, seed=0)
    start = random_start(0)
    smooth = collect_run(p, DescentSettings(0.8 * p.smooth_limit(), epochs=60), start)
    zigzag = collect_run(p, DescentSettings(0.8 * p.stability_limit(), epochs=60), start)
    for run, regime in ((smooth, "smooth"), (zigzag, "oscillating")):
        assert not run.diverged and run.loss_fell
        assert run.regime == regime and run.regime_from == "eigenvalues"
        assert np.all(np.diff(run.loss) <= 1e-12 * run.loss[:-1])  # a converging plain run only goes down
    signs = np.sign(steep_direction_error(p, smooth)[:20])
    assert np.all(signs == signs[0])
    signs = np.sign(steep_direction_error(p, zigzag)[:20])
    assert np.all(signs[1:] == -signs[:-1])  # across the valley at every update


def test_the_rates_either_side_of_the_limit_on_the_unit_range():
    """The limit is 0.7887: 0.79 is above it, so the steep direction grows (slowly) from the first update."""
    result = run_descent([0.78, 0.79, 0.8], epochs=100, seed=0)
    assert result["stability_limit"] == pytest.approx(0.7887, abs=1e-4)
    assert [run["diverged"] for run in result["runs"]] == [False, True, True]
    assert [run["regime"] for run in result["runs"]] == ["oscillating", "diverging", "diverging"]
    assert all("rose at 3 updates in a row" in run["message"] for run in result["runs"][1:])


def test_a_slow_divergence_is_caught_while_the_loss_is_still_below_its_start(problem):
    # Start almost on the gentle eigenvector: the loss first falls, then the steep direction, barely
    # unstable, takes over. The old million-fold rule never saw it; the steady rise does.
    _, vectors = np.linalg.eigh(problem.hessian())
    w_opt, b_opt = problem.optimum()
    start = (w_opt + 3 * vectors[0, 0] + 1e-3 * vectors[0, 1], b_opt + 3 * vectors[1, 0] + 1e-3 * vectors[1, 1])
    run = collect_run(problem, DescentSettings(1.01 * problem.stability_limit(), epochs=2000), start)
    assert run.diverged and run.regime == "diverging"
    assert run.loss[-1] < run.loss[0]
    assert np.all(np.diff(run.loss[-4:]) > 0)


@pytest.mark.parametrize("x_range", [(0, 1), (-1, 1), (0, 10)])
def test_plain_descent_below_the_limit_is_never_called_diverging(x_range):
    p = make_problem(x_range, seed=3)
    for start in (random_start(3), (40.0, -40.0), (p.optimum()[0] + 0.01, p.optimum()[1])):
        for fraction in (0.3, 0.9, 0.999):
            run = collect_run(p, DescentSettings(fraction * p.stability_limit(), epochs=300), start)
            assert not run.diverged, (start, fraction)


def test_momentum_may_climb_above_its_start_for_a_moment_and_still_converge():
    p = make_problem((0, 10), seed=0)  # momentum's first updates overshoot to ~8× the starting loss
    run = collect_run(p, DescentSettings(0.05, optimizer="momentum"), random_start(0))
    assert run.loss.max() > 5 * run.loss[0]
    assert not run.diverged and run.regime == "converging" and run.regime_from == "loss"


@pytest.mark.parametrize("optimizer, batch, lr", [("momentum", "full", 0.3), ("sgd", "mini", 0.1),
                                                   ("sgd", "one", 0.3)])
def test_other_methods_are_stopped_when_their_loss_grows_and_stays_up(optimizer, batch, lr):
    p = make_problem((0, 10), seed=0)
    run = collect_run(p, DescentSettings(lr, optimizer=optimizer, batch=batch), random_start(0))
    assert run.diverged and run.regime == "diverging" and run.regime_from == "loss"
    assert run.w.size - 1 < 100 * {"full": 1, "mini": 10, "one": 100}[batch]  # stopped early
    assert "10 times its starting value" in run.message or "finite" in run.message


def test_noise_around_the_bottom_is_not_divergence_but_never_called_converging(problem):
    # From the least-squares fit one-sample steps can only wander up to their noise level.
    run = collect_run(problem, DescentSettings(0.1, epochs=20, batch="one"), problem.optimum())
    assert not run.diverged and not run.loss_fell
    assert run.regime == "not converging"
    assert "not converging" in outcome_text(problem, run) and "converging," not in outcome_text(problem, run)


def test_a_run_whose_loss_did_not_fall_is_never_called_converging():
    p = make_problem((0, 1), seed=1)
    methods = [("sgd", "full"), ("momentum", "full"), ("adam", "full"), ("sgd", "one")]
    for optimizer, batch in methods:
        for lr in (0.1, 0.5, 0.79, 1.5):
            for start in (random_start(1), p.optimum()):
                run = collect_run(p, DescentSettings(lr, epochs=30, optimizer=optimizer, batch=batch), start)
                text = outcome_text(p, run)
                if not run.loss_fell:
                    assert run.diverged or run.regime in ("diverging", "not converging") or "did not fall" in text
                    assert run.regime != "converging"


def test_full_batch_step_is_minus_lr_times_gradient(problem):
    steps = list(descend(problem, DescentSettings(0.3, epochs=3), (0.5, -0.5)))
    assert [s.step for s in steps] == [0, 1, 2, 3]
    for before, after in zip(steps, steps[1:]):
        assert after.w == pytest.approx(before.w - 0.3 * before.grad_w)
        assert after.b == pytest.approx(before.b - 0.3 * before.grad_b)
        assert after.loss < before.loss


@pytest.mark.parametrize("batch, per_epoch", [("full", 1), ("mini", 10), ("one", 100)])
def test_batch_modes_count_updates(problem, batch, per_epoch):
    run = collect_run(problem, DescentSettings(0.05, epochs=3, batch=batch, batch_size=10), (0.0, 0.0))
    assert run.w.size - 1 == 3 * per_epoch
    assert run.epoch[-1] == pytest.approx(3.0)


def test_one_sample_steps_are_noisy(problem):
    """Single-sample steps do not follow the full-data gradient; full-batch ones do exactly."""
    def angles(batch):
        steps = list(descend(problem, DescentSettings(0.05, epochs=1, batch=batch), (0.0, 0.0)))
        out = []
        for s0, s1 in zip(steps, steps[1:]):
            move = np.array([s1.w - s0.w, s1.b - s0.b])
            down = -np.array([s0.grad_w, s0.grad_b])
            out.append(np.dot(move, down) / (np.linalg.norm(move) * np.linalg.norm(down)))
        return np.array(out)

    assert np.allclose(angles("full"), 1.0)
    assert angles("one").min() < 0.9


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("batch", ["full", "mini"])
def test_every_optimizer_reaches_the_fit(problem, optimizer, batch):
    run = collect_run(problem, DescentSettings(0.3, epochs=200, optimizer=optimizer, batch=batch, seed=1),
                      (-1.0, 2.0))
    w_opt, b_opt = problem.optimum()
    assert not run.diverged
    assert run.w[-1] == pytest.approx(w_opt, abs=0.3)
    assert run.b[-1] == pytest.approx(b_opt, abs=0.2)


def test_momentum_survives_a_rate_that_breaks_plain_descent(problem):
    start = (-1.0, 3.0)
    assert collect_run(problem, DescentSettings(0.9, optimizer="sgd"), start).diverged
    assert not collect_run(problem, DescentSettings(0.9, optimizer="momentum"), start).diverged


def test_the_old_name_gd_runs_plain_descent_and_is_reported_as_sgd(problem):
    start = (-1.0, 3.0)
    old, new = (collect_run(problem, DescentSettings(0.3, epochs=5, optimizer=name), start) for name in ("gd", "sgd"))
    assert old.settings.optimizer == "sgd"
    np.testing.assert_array_equal(old.w, new.w)
    assert run_descent([0.1], epochs=2, optimizer="gd")["optimizer"] == "sgd"


def test_runs_are_reproducible_and_stoppable(problem):
    settings = DescentSettings(0.1, epochs=5, batch="one", seed=7)
    a = collect_run(problem, settings, (0.0, 0.0))
    b = collect_run(problem, settings, (0.0, 0.0))
    np.testing.assert_array_equal(a.w, b.w)
    calls = iter(range(10**6))
    stopped = collect_run(problem, settings, (0.0, 0.0), should_stop=lambda: next(calls) >= 20)
    assert stopped.w.size == 21


def test_random_start_is_seeded():
    assert random_start(5) == random_start(5)
    assert random_start(5) != random_start(6)


@pytest.mark.parametrize("bad", [dict(learning_rate=0.0), dict(learning_rate=float("nan")),
                                 dict(learning_rate=0.1, optimizer="newton"),
                                 dict(learning_rate=0.1, batch="half"), dict(learning_rate=0.1, epochs=0)])
def test_bad_settings_are_refused(problem, bad):
    with pytest.raises(ValueError):
        list(descend(problem, DescentSettings(**bad), (0.0, 0.0)))


def test_bad_inputs_to_run_descent():
    with pytest.raises(ValueError):
        run_descent([], epochs=5)
    with pytest.raises(ValueError):
        run_descent([0.1], x_range=(1.0, 1.0))
    with pytest.raises(ValueError):
        LinearProblem(np.array([1.0, np.nan]), np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="too large"):
        LinearProblem(np.array([1.0, 1e300]), np.array([1.0, 2.0]))


# --- the one-parameter lesson -------------------------------------------------------------------
def test_one_parameter_derivative_sign():
    assert one_parameter_slope(1.0) < 0  # left of the minimum: increase w
    assert one_parameter_slope(3.0) > 0  # right of the minimum: decrease w
    assert one_parameter_slope(2.0) == pytest.approx(0.0, abs=1e-12)
    grid = np.linspace(-1, 5, 601)
    assert grid[np.argmin(one_parameter_loss(grid))] == pytest.approx(2.0)


@pytest.mark.parametrize("w0", [1.0, 3.0, -0.4])
def test_one_parameter_slope_matches_numerical_derivative(w0):
    w = np.array([w0])
    numeric, _ = numerical_gradient(lambda: float(one_parameter_loss(w[0])), w)
    assert relative_error(np.array([one_parameter_slope(w0)]), numeric) < 1e-7
    # the tangent touches L at w0 and stays below the (convex) curve elsewhere
    assert one_parameter_tangent(w0, w0) == pytest.approx(float(one_parameter_loss(w0)))
    assert one_parameter_tangent(w0, w0 + 1) <= float(one_parameter_loss(w0 + 1))


def test_one_parameter_steps_walk_to_two_from_either_side():
    for w0 in (1.0, 3.0):
        path = list(one_parameter_steps(w0, 0.05, 60))
        ws = [w for w, _, _ in path]
        assert len(path) == 61
        assert ws[-1] == pytest.approx(2.0, abs=1e-3)
        assert all(abs(b - 2) < abs(a - 2) for a, b in zip(ws[:20], ws[1:20]))


def test_loss_grid_is_indexed_w_then_b(problem):
    from engine.descent import loss_grid

    w_values, b_values, grid = loss_grid(problem, (-1, 3), (0, 2), n=5)
    assert grid.shape == (5, 5)
    assert grid[1, 3] == pytest.approx(problem.loss(w_values[1], b_values[3]))
    assert grid[4, 0] == pytest.approx(problem.loss(w_values[4], b_values[0]))


def test_collect_runs_share_the_start_and_can_stop(problem):
    from engine.descent import collect_runs

    settings = [DescentSettings(lr, epochs=5) for lr in (0.01, 0.1, 0.5)]
    runs = collect_runs(problem, settings, (0.25, -0.5))
    assert [r.settings.learning_rate for r in runs] == [0.01, 0.1, 0.5]
    assert all((r.w[0], r.b[0]) == (0.25, -0.5) for r in runs)
    assert collect_runs(problem, settings, (0.0, 0.0), should_stop=lambda: True) == []
