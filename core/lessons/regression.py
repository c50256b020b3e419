"""A line y = m·x + b, and how wrong its predictions are (the loss).

Symbols follow the lesson: m is the slope, b the intercept, ŷ ("y hat") the prediction, y the
observed value.
"""

import numpy as np
import pandas as pd
from sklearn.linear_model import LinearRegression

# The lesson's worked example: m = 2, x = 3, b = 2 gives ŷ = 8, and the observed y is 10.
EXAMPLE = {"m": 2.0, "b": 2.0, "x": 3.0, "y": 10.0}
# The line the sample data is drawn around.
TRUE_SLOPE, TRUE_INTERCEPT = 2.0, 2.0


def predict(m, b, x):
    """Return ŷ = m·x + b (x may be a number or an array)."""
    return m * x + b


def signed_error(y, y_hat):
    """Return y − ŷ. Not a usable loss: +2 and −2 cancel out when averaged."""
    return y - y_hat


def absolute_error(y, y_hat):
    """Return |y − ŷ|."""
    return np.abs(y - y_hat)


def squared_error(y, y_hat):
    """Return (y − ŷ)²."""
    return (y - y_hat) ** 2


def mean_squared_error(m, b, x, y):
    """Return MSE = (1/n) Σ (yᵢ − (m·xᵢ + b))² over the arrays x, y of shape (n,)."""
    return float(np.mean(squared_error(y, predict(m, b, x))))


def mean_absolute_error(m, b, x, y):
    """Return MAE = (1/n) Σ |yᵢ − (m·xᵢ + b)|."""
    return float(np.mean(absolute_error(y, predict(m, b, x))))


def make_data(n_points=20, noise=1.5, seed=0):
    """Return x, y of shape (n,): points scattered around y = 2x + 2 with Gaussian noise."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 5.0, n_points))
    y = predict(TRUE_SLOPE, TRUE_INTERCEPT, x) + noise * rng.standard_normal(n_points)
    return x, y


def best_fit(x, y):
    """Return (m, b) of the least-squares line, fitted by scikit-learn's LinearRegression."""
    model = LinearRegression().fit(x.reshape(-1, 1), y)
    return float(model.coef_[0]), float(model.intercept_)


def loss_grid(x, y, m_values, b_values):
    """Return a long table (m, b, mse) of the mean squared error over a grid of lines."""
    m_grid, b_grid = np.meshgrid(m_values, b_values, indexing="ij")
    # residuals[i, j, k] = y_k − (m_i·x_k + b_j), all lines at once
    residuals = y[None, None, :] - (m_grid[..., None] * x[None, None, :] + b_grid[..., None])
    mse = np.mean(residuals**2, axis=-1)
    return pd.DataFrame({"m": m_grid.ravel(), "b": b_grid.ravel(), "mse": mse.ravel()})
