"""The hidden-layers playground's network: input features, and a small network trained epoch by
epoch with scikit-learn's MLPClassifier (two to four classes) or MLPRegressor (a number).

Written here only what scikit-learn lacks: the feature expansion, the forward pass that exposes
each hidden neuron, and the grid evaluation for the heat map. The data sets are in
core/lessons/playground_data.py, the learner's points files in core/lessons/playground_points.py.
"""

import time
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import log_loss
from sklearn.neural_network import MLPClassifier, MLPRegressor

from core.i18n import N_
from core.lessons import formulas
from core.lessons.neuron import sigmoid
from core.lessons.playground_data import EXTENT

FEATURES = {  # each input feature as a formula in x1 and x2: the network reads these, the code view writes them
    name: formulas.function(expression, "x1", "x2")
    for name, expression in {
        "x1": "x1",
        "x2": "x2",
        "x1²": "x1 ** 2",
        "x2²": "x2 ** 2",
        "x1·x2": "x1 * x2",
        "sin x1": "np.sin(x1)",
        "sin x2": "np.sin(x2)",
    }.items()
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


def expand(X, features):
    """Return the chosen input features of points X (n, 2), as an array of shape (n, k)."""
    return np.column_stack([FEATURES[name](X[:, 0], X[:, 1]) for name in features])


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
    history_: dict = field(
        default_factory=lambda: {"train_loss": [], "test_loss": [], "train_accuracy": [], "test_accuracy": []}
    )
    diverged_: bool = False
    chance_loss_: float = np.log(2)  # the loss of a network that has learnt nothing (set by train)

    def __post_init__(self):
        kind, settings = self.estimator()
        self.model_ = {"MLPRegressor": MLPRegressor, "MLPClassifier": MLPClassifier}[kind](**settings)

    def estimator(self):
        """scikit-learn's network for these settings, as (class name, its arguments): what is
        trained here, and what the code view writes."""
        return ("MLPRegressor" if self.regression else "MLPClassifier"), dict(
            hidden_layer_sizes=tuple(self.hidden),
            activation=ACTIVATIONS[self.activation][0],
            solver="sgd",
            learning_rate_init=self.learning_rate,
            batch_size=self.batch_size,
            alpha=self.alpha,
            momentum=0.9,
            random_state=self.seed,
        )

    @property
    def regression(self):
        return self.classes == 0

    @property
    def loss_name(self):
        return N_("mean squared error") if self.regression else N_("log loss")  # English, marked to translate

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
            if (
                not all(np.isfinite(list(scores.values())))
                or scores["train_loss"] > DIVERGED_LOSS
                or not largest < DIVERGED_WEIGHT
            ):
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
            rows.append(
                {
                    "class": label,
                    "test points": int(mine.sum()),
                    "accuracy": float(np.mean(probabilities[mine].argmax(axis=1) == label)) if mine.any() else np.nan,
                    "loss": float(-np.mean(np.log(np.clip(probabilities[mine, label], 1e-15, 1))))
                    if mine.any()
                    else np.nan,
                }
            )
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
        return {
            "features": list(self.features),
            "layer_sizes": [len(self.features), *self.hidden, int(self.model_.n_outputs_)],
            "activation": self.activation,
            "output": OUTPUTS[self.model_.out_activation_][1],
            "classes": self.classes,
            "epochs": self.epoch,
            "weights": [weights.tolist() for weights in self.model_.coefs_],
            "biases": [bias.tolist() for bias in self.model_.intercepts_],
        }

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
