"""How a network reads a class's own drawings: accuracy with MNIST's preparation and with the
drawing resized straight to 28 × 28, drawings per digit, the confusion matrix and the misread drawings."""
from dataclasses import dataclass

import numpy as np

from core.digits import scoring


@dataclass(frozen=True)
class Reading:
    """The network's reading of a room's drawings, in their stored order."""

    counts: list  # drawings per digit 0–9
    predicted: np.ndarray  # (n,) what it reads now, MNIST-style images
    accuracy: float  # share read right, MNIST-style (nan with no drawings)
    straight_accuracy: float  # the same drawings resized straight to 28 × 28
    confusion: list  # 10 × 10 counts: rows the digit meant, columns the digit read
    misread: np.ndarray  # indices of the drawings read wrong, most confident mistakes first


def read(network, drawings):
    """Read every drawing of a room (core.lab.store.Drawings) with `network` (a
    core.digits.network.Network) as it is now."""
    probabilities = network.classify(drawings.images)
    predicted = probabilities.argmax(axis=1)
    straight = network.classify(drawings.straight).argmax(axis=1)
    truth = drawings.labels
    counts = np.bincount(truth, minlength=10)
    return Reading(counts.tolist(), predicted, float(np.mean(predicted == truth)) if len(truth) else float("nan"),
                   float(np.mean(straight == truth)) if len(truth) else float("nan"),
                   scoring.confusion(truth, predicted).tolist(), scoring.confident_mistakes(probabilities, truth))
