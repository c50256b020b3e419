"""Scoring a network's readings against the truth, in numpy: the confusion matrix and its most
confident mistakes. Used for MNIST's test digits (core/digits/model.py) and a room's drawings
(core/lab/measure.py)."""
import numpy as np

NUM_CLASSES = 10


def confusion(truth, predicted):
    """10 × 10 counts: row the true digit, column the digit read."""
    counts = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=int)
    np.add.at(counts, (np.asarray(truth, dtype=int), np.asarray(predicted, dtype=int)), 1)
    return counts


def confident_mistakes(probabilities, truth):
    """Indices of the readings that are wrong, the most confident first (ties in index order)."""
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != truth)
    return wrong[np.argsort(-probabilities[wrong, predicted[wrong]], kind="stable")]
