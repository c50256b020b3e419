"""Scoring a network's readings against the truth, in numpy: the confusion matrix, its most
confident mistakes, and a test set's whole evaluation. Used for MNIST's test digits (core/digits/model.py) and a room's drawings
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


def evaluation(probabilities, truth, gallery_size=24):
    """Test accuracy, per-class accuracy, the confusion matrix and the `gallery_size` most confident
    mistakes (index, true, predicted, confidence) of (n, 10) probabilities against the true digits."""
    predicted = probabilities.argmax(axis=1)
    truth = np.asarray(truth).astype(int)
    counts = confusion(truth, predicted)
    wrong = confident_mistakes(probabilities, truth)[:gallery_size]
    return {
        "accuracy": float(np.mean(predicted == truth)),
        "n_test": int(len(truth)),
        "per_class": (np.diag(counts) / np.maximum(counts.sum(axis=1), 1)).tolist(),
        "confusion": counts.tolist(),
        "mistakes": [
            {
                "index": int(i),
                "true": int(truth[i]),
                "predicted": int(predicted[i]),
                "confidence": float(probabilities[i, predicted[i]]),
            }
            for i in wrong
        ],
    }
