"""Gradient descent: the marble rolling to the bottom of the bowl.

Each step moves the parameters against the gradient: p ← p − η·∇L(p), with η the learning rate.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.i18n import N_
from core.lessons import regression

# Past this size a loss is treated as blown up: the step overshoots further every time.
DIVERGENCE_LIMIT = 1e8
# The three things a marble can do in the long run, at a fixed learning rate.
# English, marked to translate where shown (core/i18n.py): a room stores its poll in English.
SETTLES, BOUNCES, DIVERGES = N_("it settles"), N_("it bounces forever"), N_("it diverges")
OUTCOMES = (SETTLES, BOUNCES, DIVERGES)
# Where a surface has no closed form for its outcome, the marble is followed this many steps
# (far past the page's 200) and called settled once a step moves it less than SETTLED_STEP.
LONG_RUN = 3000
SETTLED_STEP = 1e-9
# Learning rates are multiples of 0.01, so a step factor within this of 1 is exactly 1.
FACTOR_TOLERANCE = 1e-9


def round_bowl(p1, p2):
    return p1**2 + p2**2


def round_bowl_slopes(p1, p2):
    return 2 * p1, 2 * p2


def long_valley(p1, p2):
    return p1**2 + 10 * p2**2


def long_valley_slopes(p1, p2):
    return 2 * p1, 20 * p2


def two_minima(p1, p2):
    return (p1**2 - 1) ** 2 + p2**2 + 0.3 * p1


def two_minima_slopes(p1, p2):
    return 4 * p1 * (p1**2 - 1) + 0.3, 2 * p2


@dataclass(frozen=True)
class Surface:
    """A loss over two parameters (p1, p2), and its gradient (∂L/∂p1, ∂L/∂p2), each a function
    above, which the page runs and its code view shows (source_of); both work on arrays."""

    name: str
    description: str
    loss: Callable
    gradient: Callable
    extent: float = 2.0  # the map shows [−extent, extent]²
    # A quadratic bowl's curvature along p1 and p2 (the diagonal of its constant Hessian, lowest
    # point at (0, 0)); None for a surface that is not a quadratic.
    curvatures: tuple = None


SURFACES = {
    "Round bowl": Surface(
        N_("Round bowl"),
        N_("L = p1² + p2². Every direction is equally steep, so the marble heads straight down."),
        round_bowl,
        round_bowl_slopes,
        curvatures=(2.0, 2.0),
    ),
    "Long valley": Surface(
        N_("Long valley"),
        N_("L = p1² + 10·p2². Steep walls, flat floor: a big step bounces between the walls."),
        long_valley,
        long_valley_slopes,
        curvatures=(2.0, 20.0),
    ),
    "Two minima": Surface(
        N_("Two minima"),
        N_(
            "L = (p1² − 1)² + p2² + 0.3·p1. A deep hollow on the left, a shallower one on the right: "
            "where the marble ends up depends on where it starts."
        ),
        two_minima,
        two_minima_slopes,
    ),
}


@dataclass
class Path:
    """Where the marble went: positions of shape (steps + 1, 2) and the loss at each."""

    points: np.ndarray
    losses: np.ndarray
    diverged: bool

    def table(self, names=("p1", "p2")):
        """Return the path as a table with columns step, names…, loss."""
        return pd.DataFrame(
            {
                "step": np.arange(len(self.losses)),
                names[0]: self.points[:, 0],
                names[1]: self.points[:, 1],
                "loss": self.losses,
            }
        )


def _is_blown_up(point, loss):
    return not (np.all(np.isfinite(point)) and np.isfinite(loss) and abs(loss) < DIVERGENCE_LIMIT)


def _finish(points, losses):
    """Return the Path of a run that did not blow up, marked diverged if it ended higher than it
    started: a loss that grew is never a success, however few steps were taken."""
    losses = np.array(losses)
    return Path(np.array(points), losses, diverged=bool(losses[-1] > losses[0]))


def step_factors(surface, learning_rate):
    """On a quadratic bowl, what one step multiplies the distance to the bottom by, along p1 and
    along p2: 1 − η·λ, with λ the curvature in that direction (p ← p − η·λ·p). None elsewhere."""
    if surface.curvatures is None:
        return None
    return tuple(1 - learning_rate * curvature for curvature in surface.curvatures)


def outcome(surface, start, learning_rate):
    """What the marble does in the long run at this learning rate: SETTLES, BOUNCES or DIVERGES.

    On a quadratic bowl the step factors decide it, along each direction the marble has a distance
    to cover: |1 − η·λ| < 1 shrinks it every step (settles), = 1 keeps it for ever, flipping side
    at each step (bounces), > 1 grows it (diverges). Any other surface is judged by following the
    marble LONG_RUN steps: blown up (diverges), come to rest (settles), or neither (bounces).
    """
    return outcomes(surface, [start], learning_rate)[0]


def outcomes(surface, starts, learning_rate):
    """outcome() for many starts at once: a list, one per (p1, p2) in starts."""
    starts = np.asarray(starts, dtype=float).reshape(-1, 2)
    factors = step_factors(surface, learning_rate)
    if factors is not None:
        # only the directions the marble has a distance to cover along count
        sizes = np.where(starts != 0, np.abs(np.array(factors)), 0.0).max(axis=1)
        return [
            DIVERGES if size > 1 + FACTOR_TOLERANCE else BOUNCES if size > 1 - FACTOR_TOLERANCE else SETTLES
            for size in sizes
        ]
    result = np.full(len(starts), BOUNCES, dtype=object)
    points, open_ = starts.copy(), np.arange(len(starts))  # the marbles not yet judged
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(LONG_RUN):
            moved = points - learning_rate * np.stack(surface.gradient(points[:, 0], points[:, 1]), axis=1)
            loss = surface.loss(moved[:, 0], moved[:, 1])
            blown = ~(np.isfinite(moved).all(axis=1) & np.isfinite(loss) & (np.abs(loss) < DIVERGENCE_LIMIT))
            rested = ~blown & (np.abs(moved - points).max(axis=1) < SETTLED_STEP)
            result[open_[blown]], result[open_[rested]] = DIVERGES, SETTLES
            keep = ~(blown | rested)
            points, open_ = moved[keep], open_[keep]
            if not len(open_):
                break
    return result.tolist()


def descend(surface, start, learning_rate, steps):
    """Run gradient descent on a Surface from start = (p1, p2).

    Stops early, marked diverged, once the loss is no longer finite or passes DIVERGENCE_LIMIT;
    a run whose loss is still climbing at the end is marked diverged too.
    """
    point = np.asarray(start, dtype=float)
    points, losses = [point], [float(surface.loss(*point))]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            point = point - learning_rate * np.asarray(surface.gradient(*point))
            loss = float(surface.loss(*point))
            if _is_blown_up(point, loss):
                return Path(np.array(points), np.array(losses), diverged=True)
            points.append(point)
            losses.append(loss)
    return _finish(points, losses)


def mse_gradient(m, b, x, y):
    """Return (∂MSE/∂m, ∂MSE/∂b) = (−2/n Σ xᵢ·rᵢ, −2/n Σ rᵢ), with rᵢ = yᵢ − (m·xᵢ + b)."""
    residual = y - (m * x + b)
    return float(-2 * np.mean(x * residual)), float(-2 * np.mean(residual))


def divergence_rate(x):
    """The learning rate above which full-batch gradient descent on a line's MSE diverges: 2/λ,
    with λ the largest eigenvalue of the MSE's Hessian (its steepest curvature), which for
    y ≈ m·x + b is (2/n)·[[Σx², Σx], [Σx, n]] whatever y is. Each step multiplies the distance to
    the best line along that direction by (1 − η·λ); beyond 2/λ that factor is below −1."""
    x = np.asarray(x, dtype=float)
    hessian = 2 / len(x) * np.array([[x @ x, x.sum()], [x.sum(), len(x)]])
    return float(2 / np.linalg.eigvalsh(hessian).max())


def minibatches(n, batch_size, rng):
    """Endless mini-batches of the indices of n points: a shuffled order taken `batch_size` at a
    time, shuffled again when what is left cannot fill a batch (a new epoch)."""
    order, cursor = rng.permutation(n), 0
    while True:
        if cursor + batch_size > n:
            order, cursor = rng.permutation(n), 0
        yield order[cursor : cursor + batch_size]
        cursor += batch_size


def sgd_step(m, b, x, y, batch, learning_rate):
    """One step against the gradient of the MSE of the points in `batch` only: (m, b) ← (m, b) − η·∇MSE."""
    grad_m, grad_b = mse_gradient(m, b, x[batch], y[batch])
    return m - learning_rate * grad_m, b - learning_rate * grad_b


def fit_line(x, y, start, learning_rate, steps, batch_size=None, seed=0):
    """Fit y ≈ m·x + b by gradient descent on the MSE, from start = (m, b).

    batch_size None (or ≥ n) uses every point each step: full-batch gradient descent. A smaller
    batch_size estimates the gradient from a random mini-batch: stochastic gradient descent.
    The loss recorded at each step is always the MSE over all points, so paths compare fairly.
    """
    n = len(x)
    batch_size = n if batch_size is None else min(int(batch_size), n)
    m, b = (float(v) for v in start)
    points, losses = [(m, b)], [regression.mean_squared_error(m, b, x, y)]
    batches = minibatches(n, batch_size, np.random.default_rng(seed))
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            m, b = sgd_step(m, b, x, y, next(batches), learning_rate)
            loss = regression.mean_squared_error(m, b, x, y)
            if _is_blown_up(np.array([m, b]), loss):
                return Path(np.array(points), np.array(losses), diverged=True)
            points.append((m, b))
            losses.append(loss)
    return _finish(points, losses)


def surface_grid(surface, resolution=45):
    """Return a long table (p1, p2, loss) of the surface over its square."""
    values = np.linspace(-surface.extent, surface.extent, resolution)
    p1, p2 = np.meshgrid(values, values, indexing="ij")
    return pd.DataFrame({"p1": p1.ravel(), "p2": p2.ravel(), "loss": surface.loss(p1, p2).ravel()})
