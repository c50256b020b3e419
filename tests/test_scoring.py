"""Scoring readings: the confusion matrix against scikit-learn's, the mistakes against a plain sort."""

import numpy as np
from sklearn.metrics import confusion_matrix

from core.digits import scoring


def readings(n=500, seed=0):
    rng = np.random.default_rng(seed)
    probabilities = rng.dirichlet(np.ones(10) * 0.3, size=n)
    truth = rng.integers(0, 10, n)
    return probabilities, truth


def test_the_confusion_matrix_is_scikit_learns():
    probabilities, truth = readings()
    predicted = probabilities.argmax(axis=1)
    assert (scoring.confusion(truth, predicted) == confusion_matrix(truth, predicted, labels=range(10))).all()


def test_the_mistakes_are_every_wrong_reading_most_confident_first():
    probabilities, truth = readings()
    predicted = probabilities.argmax(axis=1)
    mistakes = scoring.confident_mistakes(probabilities, truth)
    expected = sorted(
        (index for index in range(len(truth)) if predicted[index] != truth[index]),
        key=lambda index: (-probabilities[index].max(), index),
    )
    assert mistakes.tolist() == expected


def test_no_mistakes_and_no_readings_give_empty_answers():
    probabilities = np.eye(10)
    assert scoring.confident_mistakes(probabilities, np.arange(10)).size == 0
    assert scoring.confident_mistakes(np.zeros((0, 10)), np.zeros(0, dtype=int)).size == 0
    assert scoring.confusion([], []).sum() == 0
