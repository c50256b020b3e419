"""The hidden-layers playground's data: 2-D data sets to classify (generated, or only the
learner's own points), surfaces to predict, the learner's points added, and a train/test split.

Written here only what scikit-learn lacks: the XOR, spiral and surface generators; the blobs,
circles and moons are scikit-learn's.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.model_selection import train_test_split

from core.i18n import N_, Refused

EXTENT = 1.6  # every data set fits in the square [−EXTENT, EXTENT]²
# Names are English, marked to be shown in the reader's language (core/i18n.py).
DATASETS = (
    N_("Circle in a ring"),
    N_("XOR quadrants"),
    N_("Two blobs"),
    N_("Two moons"),
    N_("Two spirals"),
    N_("Three blobs"),
    N_("Four blobs"),
)
SURFACES = (N_("Tilted plane"), N_("Hills and hollows"))  # regression: a number to predict at each point
ONLY_YOURS = N_("Only your points")  # no generated points: the learner's clicks and uploads alone
MAX_CLASSES = 4
CORNERS = ((-0.75, -0.75), (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75))  # the blobs' centres, class by class
BLOBS = {"Two blobs": 2, "Three blobs": 3, "Four blobs": 4}


def _spirals(n_points, noise, rng):
    """Two interleaved spirals, one per class."""
    n = n_points // 2
    turns = np.sqrt(rng.uniform(0, 1, n)) * 3 * np.pi  # more points near the centre's sparse start
    arm = np.column_stack([turns * np.cos(turns), turns * np.sin(turns)]) / (3 * np.pi) * EXTENT * 0.9
    points = np.vstack([arm, -arm]) + noise * rng.standard_normal((2 * n, 2))
    return points, np.repeat([0, 1], n)


def _xor(n_points, noise, rng):
    """Points in the four quadrants: class 1 where x1 and x2 have the same sign."""
    points = rng.uniform(-1, 1, (n_points, 2))
    points += np.sign(points) * 0.1  # a small gap around the axes
    labels = (points[:, 0] * points[:, 1] > 0).astype(int)
    return points + noise * rng.standard_normal(points.shape), labels


def _surface(name, n_points, noise, rng):
    """Points spread over the square, each with a real number to predict, about −1 to 1."""
    X = rng.uniform(-EXTENT, EXTENT, (n_points, 2)) * 0.95
    if name == "Tilted plane":
        values = (X[:, 0] + X[:, 1]) / (2 * EXTENT)
    else:  # hills and hollows: two bumps up, two down
        values = sum(
            sign * np.exp(-((X - centre) ** 2).sum(axis=1) / (2 * 0.4**2))
            for sign, centre in zip((1, 1, -1, -1), CORNERS)
        )
    return X, values + noise * rng.standard_normal(n_points)


def make_dataset(name, n_points=300, noise=0.1, seed=0):
    """Return X of shape (n, 2) inside the square and y of shape (n,): class labels 0, 1, … for a
    classification data set, real numbers for a regression surface (SURFACES)."""
    rng = np.random.default_rng(seed)
    if name in SURFACES:
        X, values = _surface(name, n_points, noise, rng)
        return np.clip(X, -EXTENT, EXTENT), values
    if name in BLOBS:
        X, y = make_blobs(n_points, centers=CORNERS[: BLOBS[name]], cluster_std=0.25 + noise, random_state=seed)
    elif name == "Circle in a ring":
        X, y = make_circles(n_points, noise=noise, factor=0.45, random_state=seed)
        X, y = X * 1.2, 1 - y  # the inner circle is class 1
    elif name == "Two moons":
        X, y = make_moons(n_points, noise=noise, random_state=seed)
        X = (X - [0.5, 0.25]) * 0.9
    elif name == "XOR quadrants":
        X, y = _xor(n_points, noise, rng)
    elif name == "Two spirals":
        X, y = _spirals(n_points, noise, rng)
    elif name == ONLY_YOURS:
        return np.empty((0, 2)), np.empty(0, dtype=int)
    else:
        raise ValueError(f"unknown data set {name!r}; choose one of {DATASETS}")
    return np.clip(X, -EXTENT, EXTENT), y.astype(int)


@dataclass
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def classes_in(y):
    """How many classes labels y name (labels are 0, 1, …): at least 2."""
    return max(2, int(np.max(y)) + 1) if len(y) else 2


def split(X, y, test_share=0.3, seed=0, classes=2):
    """Return a train/test Split, stratified by class (`classes` 0: regression, not stratified);
    raise ValueError, in words, when there are too few points to keep some of each class for
    training and for testing."""
    if classes:
        counts = np.bincount(np.asarray(y, dtype=int), minlength=classes)
        if len(y) == 0 or counts.min() < 2:
            raise Refused(
                N_(
                    "Add at least 2 points of each class (0 to {last}): the network needs every "
                    "class to learn from, and some of each are kept back for testing."
                ),
                last=classes - 1,
            )
    elif len(y) < 4:
        raise Refused(N_("Add at least 4 points, so that some can be kept back for testing."))
    try:
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=test_share, stratify=y if classes else None, random_state=seed
        )
    except ValueError as error:
        raise Refused(
            N_("Too few points to keep some of each class for testing: add points, or change the test share.")
        ) from error
    return Split(X_train, y_train, X_test, y_test)


def with_points(X, y, points):
    """Return the data set (X, y) with the learner's own points [(x1, x2, label), ...] added."""
    if not len(points):
        return X, y
    own = np.asarray(points, dtype=float).reshape(-1, 3)
    return np.vstack([X, own[:, :2]]), np.concatenate([y, own[:, 2].astype(int)])
