"""The hidden-layers playground: 2-D data sets, input features, and a small network trained epoch
by epoch with scikit-learn's MLPClassifier.

Written here only what scikit-learn lacks: the XOR and spiral generators, the feature expansion,
the forward pass that exposes each hidden neuron, and the grid evaluation for the heat map.
"""
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

from core.lessons.neuron import sigmoid

EXTENT = 1.6  # every data set fits in the square [−EXTENT, EXTENT]²
DATASETS = ("Circle in a ring", "XOR quadrants", "Two blobs", "Two moons", "Two spirals")
FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1²": lambda x1, x2: x1 ** 2,
    "x2²": lambda x1, x2: x2 ** 2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}
ACTIVATIONS = {  # the lesson's names → scikit-learn's, with the function itself for the forward pass
    "sigmoid": ("logistic", sigmoid),
    "tanh": ("tanh", np.tanh),
    "ReLU": ("relu", lambda z: np.maximum(z, 0)),
    "linear": ("identity", lambda z: z),
}
DIVERGED_LOSS = 50.0  # a mean log loss this high means the weights have blown up
DIVERGED_WEIGHT = 1e6
# Always answering 50/50 scores a log loss of ln 2; twice that is worse than a coin toss.
UNSTABLE_LOSS = 2 * np.log(2)
UNSTABLE_WINDOW = 5  # epochs looked back on


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


def make_dataset(name, n_points=300, noise=0.1, seed=0):
    """Return X of shape (n, 2) inside the square and labels y of shape (n,) in {0, 1}."""
    rng = np.random.default_rng(seed)
    if name == "Two blobs":
        X, y = make_blobs(n_points, centers=[(-0.7, -0.7), (0.7, 0.7)], cluster_std=0.25 + noise,
                          random_state=seed)
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
    else:
        raise ValueError(f"unknown data set {name!r}; choose one of {DATASETS}")
    return np.clip(X, -EXTENT, EXTENT), y.astype(int)


def expand(X, features):
    """Return the chosen input features of points X (n, 2), as an array of shape (n, k)."""
    return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in features])


@dataclass
class Split:
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


def split(X, y, test_share=0.3, seed=0):
    """Return a stratified train/test Split."""
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_share, stratify=y, random_state=seed)
    return Split(X_train, y_train, X_test, y_test)


@dataclass
class Playground:
    """A network, the features it sees, and its history: train with `train`, look with `grid`."""

    hidden: tuple = (4, 4)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 10
    alpha: float = 0.0  # L2 regularisation strength
    features: tuple = ("x1", "x2")
    seed: int = 0
    history_: dict = field(default_factory=lambda: {"train_loss": [], "test_loss": [],
                                                    "train_accuracy": [], "test_accuracy": []})
    diverged_: bool = False

    def __post_init__(self):
        self.model_ = MLPClassifier(
            hidden_layer_sizes=tuple(self.hidden), activation=ACTIVATIONS[self.activation][0], solver="sgd",
            learning_rate_init=self.learning_rate, batch_size=self.batch_size, alpha=self.alpha,
            momentum=0.9, random_state=self.seed)

    @property
    def epoch(self):
        return len(self.history_["train_loss"])

    @property
    def unstable(self):
        """True when, after the first epoch, the loss recently jumped above a coin toss's: the
        steps are too big and training bounces about instead of settling."""
        recent = self.history_["train_loss"][1:][-UNSTABLE_WINDOW:]
        return any(loss > UNSTABLE_LOSS for loss in recent)

    def train(self, data, epochs):
        """Train for `epochs` more passes over data.X_train, recording losses and accuracies.
        Stops, with diverged_ set, once the loss is no longer finite or blows up."""
        inputs = expand(data.X_train, self.features)
        for _ in range(epochs):
            if self.diverged_:
                break
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", ConvergenceWarning)
                try:
                    self.model_.partial_fit(inputs, data.y_train, classes=[0, 1])
                except ValueError:  # scikit-learn refuses non-finite weights
                    self.diverged_ = True
                    break
            scores = self._scores(data)
            largest = max(float(np.max(np.abs(weights))) for weights in self.model_.coefs_)
            if (not all(np.isfinite(list(scores.values()))) or scores["train_loss"] > DIVERGED_LOSS
                    or not largest < DIVERGED_WEIGHT):
                self.diverged_ = True
                break
            for name, value in scores.items():
                self.history_[name].append(value)
        return self

    def _scores(self, data):
        scores = {}
        for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
            with np.errstate(all="ignore"):
                probability = self.model_.predict_proba(expand(X, self.features))[:, 1]
            if not np.all(np.isfinite(probability)):
                return {"train_loss": np.inf}
            scores[f"{part}_loss"] = float(log_loss(y, probability, labels=[0, 1]))
            scores[f"{part}_accuracy"] = float(np.mean((probability > 0.5) == y))
        return scores

    def layer_outputs(self, X):
        """Return every layer's output for points X (n, 2): a list of arrays (n, neurons),
        hidden layers first and the output probability last. Each is act(previous · W + b)."""
        act = ACTIVATIONS[self.activation][1]
        outputs, a = [], expand(X, self.features)
        last = len(self.model_.coefs_) - 1
        with np.errstate(all="ignore"):
            for index, (weights, bias) in enumerate(zip(self.model_.coefs_, self.model_.intercepts_)):
                z = a @ weights + bias
                a = sigmoid(z) if index == last else act(z)
                outputs.append(a)
        return outputs

    def export(self):
        """Return the network as plain data, ready for JSON: the input features, the layer sizes,
        the hidden activation, and per layer the weights (n_in, n_out) and biases. The output
        neuron is a sigmoid: its value is the probability of class 1."""
        return {"features": list(self.features), "layer_sizes": [len(self.features), *self.hidden, 1],
                "activation": self.activation, "output": "sigmoid: the probability of class 1",
                "epochs": self.epoch, "weights": [weights.tolist() for weights in self.model_.coefs_],
                "biases": [bias.tolist() for bias in self.model_.intercepts_]}

    def grid(self, resolution=60):
        """Return the output probability over the square as a table (x1, x2, probability)."""
        values = np.linspace(-EXTENT, EXTENT, resolution)
        g1, g2 = np.meshgrid(values, values, indexing="ij")
        points = np.column_stack([g1.ravel(), g2.ravel()])
        probability = self.layer_outputs(points)[-1][:, 0]
        return pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1], "probability": probability})

    def neuron_maps(self, resolution=24):
        """Return, per hidden layer, an array (neurons, resolution, resolution) of each hidden
        neuron's output over the square (rows: x2 from top to bottom, columns: x1)."""
        values = np.linspace(-EXTENT, EXTENT, resolution)
        g1, g2 = np.meshgrid(values, values[::-1])
        outputs = self.layer_outputs(np.column_stack([g1.ravel(), g2.ravel()]))[:-1]
        return [layer.T.reshape(-1, resolution, resolution) for layer in outputs]
