import numpy as np
import pytest

from core.lessons import descent, regression


@pytest.mark.parametrize("name", list(descent.SURFACES))
def test_surface_gradients_match_finite_differences(name):
    surface, h = descent.SURFACES[name], 1e-6
    for p1, p2 in np.random.default_rng(0).uniform(-2, 2, (10, 2)):
        numeric = (
            (surface.loss(p1 + h, p2) - surface.loss(p1 - h, p2)) / (2 * h),
            (surface.loss(p1, p2 + h) - surface.loss(p1, p2 - h)) / (2 * h),
        )
        assert surface.gradient(p1, p2) == pytest.approx(numeric, rel=1e-5, abs=1e-6)


def test_mse_gradient_matches_finite_differences():
    x, y = regression.make_data(seed=2)
    m, b, h = 0.7, -1.3, 1e-6
    numeric = (
        (regression.mean_squared_error(m + h, b, x, y) - regression.mean_squared_error(m - h, b, x, y)) / (2 * h),
        (regression.mean_squared_error(m, b + h, x, y) - regression.mean_squared_error(m, b - h, x, y)) / (2 * h),
    )
    assert descent.mse_gradient(m, b, x, y) == pytest.approx(numeric, rel=1e-6)


def test_bowl_descent_follows_the_closed_form():
    # on L = p1² + p2², one step multiplies p by (1 − 2η)
    path = descent.descend(descent.SURFACES["Round bowl"], (1.0, -2.0), 0.1, 10)
    assert path.points[-1] == pytest.approx(np.array([1.0, -2.0]) * 0.8**10)
    assert not path.diverged and np.all(np.diff(path.losses) < 0)


def test_too_large_a_step_is_reported_as_divergence_with_finite_values():
    path = descent.descend(descent.SURFACES["Round bowl"], (1.0, 1.0), 1.1, 500)
    assert path.diverged
    assert len(path.losses) < 501
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.losses))


def test_two_minima_depend_on_the_start():
    surface = descent.SURFACES["Two minima"]
    right = descent.descend(surface, (1.8, 1.0), 0.05, 300).points[-1]
    left = descent.descend(surface, (-0.2, 1.0), 0.05, 300).points[-1]
    assert right[0] > 0.5 and left[0] < -0.5
    assert surface.loss(*left) < surface.loss(*right)


def test_full_batch_descent_converges_to_least_squares():
    x, y = regression.make_data(seed=0)
    path = descent.fit_line(x, y, (0.0, 0.0), 0.05, 3000)
    assert tuple(path.points[-1]) == pytest.approx(regression.best_fit(x, y), abs=1e-3)


def test_sgd_is_noisier_but_reaches_the_same_valley():
    x, y = regression.make_data(seed=0)
    full = descent.fit_line(x, y, (0.0, 0.0), 0.02, 400)
    sgd = descent.fit_line(x, y, (0.0, 0.0), 0.02, 400, batch_size=2, seed=1)
    best_loss = regression.mean_squared_error(*regression.best_fit(x, y), x, y)
    assert sgd.losses[-1] < 1.5 * best_loss
    # full-batch loss never rises at a small step; stochastic loss does now and then
    assert np.all(np.diff(full.losses) <= 1e-12)
    assert np.any(np.diff(sgd.losses) > 0)


def test_line_fit_divergence_is_caught():
    x, y = regression.make_data(seed=0)
    path = descent.fit_line(x, y, (0.0, 0.0), 0.2, 400)
    assert path.diverged and np.all(np.isfinite(path.losses))


def test_a_loss_that_keeps_climbing_is_divergence_even_before_it_blows_up():
    path = descent.descend(descent.SURFACES["Round bowl"], (1.8, 1.5), 1.1, 30)
    assert path.diverged and len(path.losses) == 31
    assert not descent.descend(descent.SURFACES["Round bowl"], (1.8, 1.5), 1.0, 30).diverged
