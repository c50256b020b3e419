"""The perceptron: binary inputs, weights and a bias give a yes/no decision.

output = 1 if w·x + b > 0 else 0, where the bias b is minus the threshold.
"""

import itertools
from dataclasses import dataclass, field

import numpy as np

from core.lessons.neuron import step

# "Should I go to France?": x1 = the ticket is under $1,000, x2 = my partner can come.
FRANCE = {"w1": 4.0, "w2": 3.0, "threshold": 4.0}
# The lesson's second example, weights −2, −3 and bias 3, is meant as a NAND gate, but (0, 1) gives
# z = −3 + 3 = 0, which is not > 0. Nielsen's original weights, −2 and −2, make a true NAND gate.
LESSON_NAND = {"w1": -2.0, "w2": -3.0, "bias": 3.0}
NAND = {"w1": -2.0, "w2": -2.0, "bias": 3.0}

INPUTS = np.array(list(itertools.product([0, 1], repeat=2)))  # (4, 2): 00, 01, 10, 11
GATES = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "NAND": np.array([1, 1, 1, 0]),
    "XOR": np.array([0, 1, 1, 0]),
}


def weighted_sum(x, w, b):
    """Return z = w·x + b for x of shape (2,) or (n, 2)."""
    return np.asarray(x) @ np.asarray(w, dtype=float) + b


def decide(x, w, b):
    """Return the perceptron's output (0 or 1) for inputs x."""
    return step(weighted_sum(x, w, b)).astype(int)


def truth_table(w, b):
    """Return one row per input vector (x1, x2, z, output), inputs in the order 00, 10, 01, 11."""
    order = INPUTS[[0, 2, 1, 3]]
    z = weighted_sum(order, w, b)
    return [{"x1": int(x1), "x2": int(x2), "z": float(zi), "output": int(step(zi))} for (x1, x2), zi in zip(order, z)]


@dataclass
class PerceptronRun:
    """The classic rule's result: weights after each epoch and the mistakes made in it."""

    weights_: list = field(default_factory=list)  # (w1, w2, b) after each epoch
    mistakes_: list = field(default_factory=list)  # misclassified inputs in each epoch
    converged_: bool = False


def learning_pass(w, b, targets, learning_rate=1.0):
    """One pass of the perceptron rule over the four inputs: after each mistake, w ← w + η·(t − y)·x
    and b ← b + η·(t − y). Return the new w and b, and how many inputs it got wrong."""
    mistakes = 0
    for x, t in zip(INPUTS, targets):
        error = t - decide(x, w, b)
        if error:
            mistakes += 1
            w = w + learning_rate * error * x
            b = b + learning_rate * error
    return w, b, mistakes


def train(targets, learning_rate=1.0, epochs=20):
    """Train with the perceptron rule (learning_pass), one pass over the four inputs an epoch.
    Stops after the first epoch without a mistake (the rule then never changes the weights again)."""
    w, b = np.zeros(2), 0.0
    run = PerceptronRun()
    for _ in range(epochs):
        w, b, mistakes = learning_pass(w, b, targets, learning_rate)
        run.weights_.append((float(w[0]), float(w[1]), float(b)))
        run.mistakes_.append(mistakes)
        if mistakes == 0:
            run.converged_ = True
            break
    return run
