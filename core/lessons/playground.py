"""The hidden-layers playground: 2-D data sets, input features, and a small network trained epoch
by epoch with scikit-learn's MLPClassifier (two to four classes) or MLPRegressor (a number).

Written here only what scikit-learn lacks: the XOR, spiral and surface generators, reading the
learner's own points, the feature expansion, the forward pass that exposes each hidden neuron, and
the grid evaluation for the heat map.
"""
import csv
import io
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.datasets import make_blobs, make_circles, make_moons
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier, MLPRegressor

from core.lessons.neuron import sigmoid

EXTENT = 1.6  # every data set fits in the square [−EXTENT, EXTENT]²
DATASETS = ("Circle in a ring", "XOR quadrants", "Two blobs", "Two moons", "Two spirals", "Three blobs",
            "Four blobs")
SURFACES = ("Tilted plane", "Hills and hollows")  # regression: a number to predict at each point
ONLY_YOURS = "Only your points"  # no generated points: the learner's clicks and uploads alone
MAX_CLASSES = 4
CORNERS = ((-0.75, -0.75), (0.75, 0.75), (-0.75, 0.75), (0.75, -0.75))  # the blobs' centres, class by class
BLOBS = {"Two blobs": 2, "Three blobs": 3, "Four blobs": 4}
CSV_COLUMNS = ("x1", "x2", "label")
MAX_ROWS = 2000  # an uploaded file's points: more than the plane shows clearly, and a step stays fast
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


def _surface(name, n_points, noise, rng):
    """Points spread over the square, each with a real number to predict, about −1 to 1."""
    X = rng.uniform(-EXTENT, EXTENT, (n_points, 2)) * 0.95
    if name == "Tilted plane":
        values = (X[:, 0] + X[:, 1]) / (2 * EXTENT)
    else:  # hills and hollows: two bumps up, two down
        values = sum(sign * np.exp(-((X - centre) ** 2).sum(axis=1) / (2 * 0.4 ** 2))
                     for sign, centre in zip((1, 1, -1, -1), CORNERS))
    return X, values + noise * rng.standard_normal(n_points)


def make_dataset(name, n_points=300, noise=0.1, seed=0):
    """Return X of shape (n, 2) inside the square and y of shape (n,): class labels 0, 1, … for a
    classification data set, real numbers for a regression surface (SURFACES)."""
    rng = np.random.default_rng(seed)
    if name in SURFACES:
        X, values = _surface(name, n_points, noise, rng)
        return np.clip(X, -EXTENT, EXTENT), values
    if name in BLOBS:
        X, y = make_blobs(n_points, centers=CORNERS[:BLOBS[name]], cluster_std=0.25 + noise, random_state=seed)
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


def expand(X, features):
    """Return the chosen input features of points X (n, 2), as an array of shape (n, k)."""
    return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in features])


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
            raise ValueError(f"Add at least 2 points of each class (0 to {classes - 1}): the network needs every "
                             "class to learn from, and some of each are kept back for testing.")
    elif len(y) < 4:
        raise ValueError("Add at least 4 points, so that some can be kept back for testing.")
    try:
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_share,
                                                            stratify=y if classes else None, random_state=seed)
    except ValueError as error:
        raise ValueError("Too few points to keep some of each class for testing: add points, or change the "
                         "test share.") from error
    return Split(X_train, y_train, X_test, y_test)


def with_points(X, y, points):
    """Return the data set (X, y) with the learner's own points [(x1, x2, label), ...] added."""
    if not len(points):
        return X, y
    own = np.asarray(points, dtype=float).reshape(-1, 3)
    return np.vstack([X, own[:, :2]]), np.concatenate([y, own[:, 2].astype(int)])


SHOWN_CHARACTERS = 24  # of a column name or value quoted back in a message
MAX_HEADER_CHARACTERS = 1000  # "x1,x2,label" with room for spaces and quotes
NOT_CSV = ("This is not a CSV file we can read: save it as comma-separated text (UTF-8) with the columns x1, x2, "
           "label.")


def _shown(text):
    """A piece of the file, quoted back short: at most SHOWN_CHARACTERS, on one line."""
    text = " ".join(str(text).split())
    return f"“{text[:SHOWN_CHARACTERS]}{'…' if len(text) > SHOWN_CHARACTERS else ''}”"


def _number(text, line, name):
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not np.isfinite(value):
        raise ValueError(f"Line {line}: {name} is not a number (it is empty, text, NaN or infinite). Every point "
                         "needs three numbers.")
    return value


def read_points(data):
    """Return (X, y) from the bytes of a CSV file with the columns x1, x2, label (a class, 0 to 3),
    at most MAX_ROWS rows inside the plane shown; raise ValueError saying what is wrong, and on
    which line. Read line by line with the csv module, so a wrong first line is refused before the
    rest is looked at, and a line with a value too many is refused rather than read shifted."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(NOT_CSV) from error
    if "\0" in text:
        raise ValueError(NOT_CSV)
    first = text[:MAX_HEADER_CHARACTERS + 1].split("\n", 1)[0]
    if len(first) > MAX_HEADER_CHARACTERS:  # refused from its length, before anything is split
        raise ValueError(f"The first line must name the columns x1, x2, label (in that order); this file's first "
                         f"line is over {MAX_HEADER_CHARACTERS:,} characters long: {_shown(first)}.")
    lines = csv.reader(io.StringIO(text))
    try:
        header = next(lines, [])
        columns = [name.strip().lower() for name in header]
        if columns != list(CSV_COLUMNS):
            if not columns:
                raise ValueError(NOT_CSV)
            shown = ", ".join(_shown(name) for name in header[:3]) + (", …" if len(header) > 3 else "")
            raise ValueError(f"The first line must name the columns x1, x2, label (in that order); this file has "
                             f"{len(header):,} column(s): {shown}.")
        rows = []
        for row in lines:
            if not row or not "".join(row).strip():
                continue  # a blank line
            line = lines.line_num
            if len(rows) == MAX_ROWS:
                raise ValueError(f"The file has more than {MAX_ROWS:,} points; at most {MAX_ROWS:,} can be used.")
            if len(row) != len(CSV_COLUMNS):
                raise ValueError(f"Line {line} has {len(row):,} values; every line needs exactly three: x1, x2, label.")
            x1, x2, label = (_number(value.strip(), line, name) for value, name in zip(row, CSV_COLUMNS))
            if max(abs(x1), abs(x2)) > EXTENT:
                raise ValueError(f"Line {line}: the point lies outside the plane shown; x1 and x2 must be between "
                                 f"−{EXTENT} and {EXTENT}.")
            if label not in range(MAX_CLASSES):
                raise ValueError(f"Line {line}: the label must be a class number from 0 to {MAX_CLASSES - 1}.")
            rows.append((x1, x2, label))
    except csv.Error as error:
        raise ValueError(f"Line {lines.line_num}: this line cannot be read as comma-separated values.") from error
    if not rows:
        raise ValueError("The file has no points: only the line of column names.")
    numbers = np.array(rows, dtype=float)
    return numbers[:, :2], numbers[:, 2].astype(int)


def points_csv(X, y):
    """Return points (X, y) as CSV text with the columns x1, x2, label: what read_points reads."""
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "label": y}).to_csv(index=False, float_format="%.6g")


def softmax(z):
    """Each row of z turned into probabilities that add up to 1 (shifted first, so exp never overflows)."""
    shifted = np.exp(z - z.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


OUTPUTS = {  # scikit-learn's output activation → (the function, what the output means)
    "logistic": (sigmoid, "sigmoid: the probability of class 1"),
    "softmax": (softmax, "softmax: one probability per class, adding up to 1"),
    "identity": (lambda z: z, "identity: the predicted number itself"),
}


@dataclass
class Playground:
    """A network, the features it sees, and its history: train with `train`, look with `grid`.
    `classes` is 2 to 4 for classification, 0 for regression (one real-valued output)."""

    hidden: tuple = (4, 4)
    activation: str = "tanh"
    learning_rate: float = 0.03
    batch_size: int = 10
    alpha: float = 0.0  # L2 regularisation strength
    features: tuple = ("x1", "x2")
    seed: int = 0  # of the starting weights and of the order points are visited in
    classes: int = 2
    history_: dict = field(default_factory=lambda: {"train_loss": [], "test_loss": [],
                                                    "train_accuracy": [], "test_accuracy": []})
    diverged_: bool = False
    chance_loss_: float = np.log(2)  # the loss of a network that has learnt nothing (set by train)

    def __post_init__(self):
        settings = dict(hidden_layer_sizes=tuple(self.hidden), activation=ACTIVATIONS[self.activation][0],
                        solver="sgd", learning_rate_init=self.learning_rate, batch_size=self.batch_size,
                        alpha=self.alpha, momentum=0.9, random_state=self.seed)
        self.model_ = MLPRegressor(**settings) if self.regression else MLPClassifier(**settings)

    @property
    def regression(self):
        return self.classes == 0

    @property
    def loss_name(self):
        return "mean squared error" if self.regression else "log loss"

    @property
    def epoch(self):
        return len(self.history_["train_loss"])

    @property
    def trained(self):
        return hasattr(self.model_, "coefs_")

    @property
    def unstable(self):
        """True when, after the first epoch, the loss recently jumped above twice that of a network
        that has learnt nothing (always 1/k for each of k classes, or always the mean number): the
        steps are too big and training bounces about instead of settling."""
        recent = self.history_["train_loss"][1:][-UNSTABLE_WINDOW:]
        return any(loss > 2 * self.chance_loss_ for loss in recent)

    def _fit_once(self, inputs, targets):
        if self.regression:
            self.model_.partial_fit(inputs, targets)
        else:
            self.model_.partial_fit(inputs, targets, classes=list(range(self.classes)))

    def train(self, data, epochs, seconds=None):
        """Train for `epochs` more passes over data.X_train, recording losses and accuracies; with
        `seconds`, stop after the first pass that ends past that time (one pass is never cut short).
        Stops, with diverged_ set, once the loss is no longer finite or blows up. `last_epochs_`
        says how many passes this call made."""
        inputs = expand(data.X_train, self.features)
        self.chance_loss_ = float(np.var(data.y_train)) if self.regression else float(np.log(self.classes))
        started, done = time.perf_counter(), 0
        for _ in range(epochs):
            if self.diverged_ or (seconds is not None and done and time.perf_counter() - started > seconds):
                break
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", ConvergenceWarning)
                try:
                    self._fit_once(inputs, data.y_train)
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
            done += 1
        self.last_epochs_ = done
        return self

    def predict(self, X):
        """The network's answer for points X (n, 2): (n, k) class probabilities, or (n,) numbers."""
        outputs = self.layer_outputs(X)[-1]
        if self.regression:
            return outputs[:, 0]
        return np.column_stack([1 - outputs[:, 0], outputs[:, 0]]) if outputs.shape[1] == 1 else outputs

    def _scores(self, data):
        scores = {}
        for part, X, y in (("train", data.X_train, data.y_train), ("test", data.X_test, data.y_test)):
            with np.errstate(all="ignore"):
                answer = self.predict(X)
            if not np.all(np.isfinite(answer)):
                return {"train_loss": np.inf}
            if self.regression:
                scores[f"{part}_loss"] = float(np.mean((answer - y) ** 2))
            else:
                scores[f"{part}_loss"] = float(log_loss(y, answer, labels=list(range(self.classes))))
                scores[f"{part}_accuracy"] = float(np.mean(answer.argmax(axis=1) == y))
        return scores

    def per_class(self, data):
        """Per class, on the test points: how many there are, the share read right, and the mean
        loss −ln p(true class)."""
        probabilities = self.predict(data.X_test)
        rows = []
        for label in range(self.classes):
            mine = data.y_test == label
            rows.append({"class": label, "test points": int(mine.sum()),
                         "accuracy": float(np.mean(probabilities[mine].argmax(axis=1) == label)) if mine.any() else np.nan,
                         "loss": float(-np.mean(np.log(np.clip(probabilities[mine, label], 1e-15, 1))))
                         if mine.any() else np.nan})
        return pd.DataFrame(rows)

    def layer_outputs(self, X):
        """Return every layer's output for points X (n, 2): a list of arrays (n, neurons),
        hidden layers first and the output last. Each is act(previous · W + b); the output's act
        is a sigmoid (two classes), a softmax (more) or nothing (regression)."""
        act = ACTIVATIONS[self.activation][1]
        outputs, a = [], expand(X, self.features)
        last = len(self.model_.coefs_) - 1
        with np.errstate(all="ignore"):
            for index, (weights, bias) in enumerate(zip(self.model_.coefs_, self.model_.intercepts_)):
                z = a @ weights + bias
                a = OUTPUTS[self.model_.out_activation_][0](z) if index == last else act(z)
                outputs.append(a)
        return outputs

    def export(self):
        """Return the network as plain data, ready for JSON: the input features, the layer sizes,
        the hidden activation, the output's activation, and per layer the weights (n_in, n_out)
        and biases."""
        return {"features": list(self.features),
                "layer_sizes": [len(self.features), *self.hidden, int(self.model_.n_outputs_)],
                "activation": self.activation, "output": OUTPUTS[self.model_.out_activation_][1],
                "classes": self.classes, "epochs": self.epoch,
                "weights": [weights.tolist() for weights in self.model_.coefs_],
                "biases": [bias.tolist() for bias in self.model_.intercepts_]}

    def grid(self, resolution=60):
        """Return the network's answer over the square as a table: x1, x2 and `probability` (of
        class 1, two classes), `class` and `confidence` (more classes) or `value` (regression).
        Before any training the network has no answer: probability 0.5, confidence 0, value 0."""
        values = np.linspace(-EXTENT, EXTENT, resolution)
        g1, g2 = np.meshgrid(values, values, indexing="ij")
        points = np.column_stack([g1.ravel(), g2.ravel()])
        table = pd.DataFrame({"x1": points[:, 0], "x2": points[:, 1]})
        if self.regression:
            return table.assign(value=self.predict(points) if self.trained else 0.0)
        probabilities = self.predict(points) if self.trained else np.full((len(points), self.classes), 0.5)
        if self.classes == 2:
            return table.assign(probability=probabilities[:, 1])
        confidence = probabilities.max(axis=1) if self.trained else np.zeros(len(points))
        return table.assign(**{"class": probabilities.argmax(axis=1), "confidence": confidence})

    def neuron_maps(self, resolution=24):
        """Return, per hidden layer, an array (neurons, resolution, resolution) of each hidden
        neuron's output over the square (rows: x2 from top to bottom, columns: x1)."""
        values = np.linspace(-EXTENT, EXTENT, resolution)
        g1, g2 = np.meshgrid(values, values[::-1])
        outputs = self.layer_outputs(np.column_stack([g1.ravel(), g2.ravel()]))[:-1]
        return [layer.T.reshape(-1, resolution, resolution) for layer in outputs]
