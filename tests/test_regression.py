import numpy as np
import pytest

from core.lessons import regression


def test_worked_example_from_the_lesson():
    example = regression.EXAMPLE
    y_hat = regression.predict(example["m"], example["b"], example["x"])
    assert y_hat == 8
    assert example["y"] == 10
    assert regression.signed_error(example["y"], y_hat) == 2
    assert regression.absolute_error(example["y"], y_hat) == 2
    assert regression.squared_error(example["y"], y_hat) == 4


def test_signed_errors_cancel_but_losses_do_not():
    y, y_hat = np.array([10.0, 10.0]), np.array([8.0, 12.0])
    assert regression.signed_error(y, y_hat).mean() == 0
    assert regression.absolute_error(y, y_hat).mean() == 2
    assert regression.squared_error(y, y_hat).mean() == 4


def test_best_fit_matches_numpy_least_squares():
    x, y = regression.make_data(noise=2.0, seed=7)
    design = np.column_stack([x, np.ones_like(x)])
    expected, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert regression.best_fit(x, y) == pytest.approx(tuple(expected), abs=1e-9)


def test_no_noise_recovers_the_true_line_with_zero_loss():
    x, y = regression.make_data(noise=0.0, seed=3)
    m, b = regression.best_fit(x, y)
    assert (m, b) == pytest.approx((regression.TRUE_SLOPE, regression.TRUE_INTERCEPT))
    assert regression.mean_squared_error(m, b, x, y) == pytest.approx(0, abs=1e-20)


def test_mean_losses_match_their_definitions():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 1.0, 7.0])
    # the line y = 2x + 1 predicts 1, 3, 5: errors 0, −2, 2
    assert regression.mean_squared_error(2, 1, x, y) == pytest.approx(8 / 3)
    assert regression.mean_absolute_error(2, 1, x, y) == pytest.approx(4 / 3)


def test_loss_grid_agrees_with_pointwise_mse_and_has_its_minimum_at_the_best_fit():
    x, y = regression.make_data(seed=1)
    grid = regression.loss_grid(x, y, np.linspace(0, 4, 41), np.linspace(0, 4, 41))
    for row in grid.sample(5, random_state=0).itertuples():
        assert row.mse == pytest.approx(regression.mean_squared_error(row.m, row.b, x, y))
    m, b = regression.best_fit(x, y)
    lowest = grid.loc[grid["mse"].idxmin()]
    assert abs(lowest["m"] - m) <= 0.1 and abs(lowest["b"] - b) <= 0.1


def test_same_seed_same_data_and_new_seed_new_data():
    assert np.array_equal(regression.make_data(seed=4)[1], regression.make_data(seed=4)[1])
    assert not np.array_equal(regression.make_data(seed=4)[1], regression.make_data(seed=5)[1])
