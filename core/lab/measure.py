"""How a network reads a class's own drawings: accuracy with MNIST's preparation and with the
drawing resized straight to 28 × 28, drawings per digit, the confusion matrix and the misread drawings."""

import threading
from dataclasses import dataclass

import numpy as np
from cachetools import LRUCache

from core.digits import scoring

MEMO_DRAWINGS = 20_000  # readings a Memo keeps, the least recently used forgotten first: about 35 MB


@dataclass(frozen=True)
class Reading:
    """The network's reading of a room's drawings, in their stored order."""

    counts: list  # drawings per digit 0–9
    predicted: np.ndarray  # (n,) what it reads now, MNIST-style images
    accuracy: float  # share read right, MNIST-style (nan with no drawings)
    straight_accuracy: float  # the same drawings resized straight to 28 × 28
    confusion: list  # 10 × 10 counts: rows the digit meant, columns the digit read
    misread: np.ndarray  # indices of the drawings read wrong, most confident mistakes first


class Memo:
    """What one network read for each drawing it has seen, by the drawing's pixels (both
    preparations), so that a room's view built again after one more drawing reads only that one:
    each drawing is read five times per preparation (config.SHIFTS), and a room of 2,000 drawings
    took 2.7 s to read again in full on 2 cores. Keyed by pixels, not by the database's ids, so an
    id used again after a deletion can never bring back another drawing's reading. The least
    recently used readings go first (cachetools' LRUCache, behind a lock: the cache itself is not
    safe across the server's threads)."""

    def __init__(self, limit=MEMO_DRAWINGS):
        self._read = LRUCache(maxsize=limit)  # pixels → (probabilities (10,), digit read straight)
        self._lock = threading.Lock()

    def readings(self, network, images, straight):
        """(n, 10) probabilities of the MNIST-style `images`, and (n,) digits read from `straight`."""
        if len(images) == 0:
            return np.zeros((0, 10)), np.zeros(0, dtype=int)
        keys = [image.tobytes() + resized.tobytes() for image, resized in zip(images, straight)]
        with self._lock:
            known = [self._read.get(key) for key in keys]
        missing = [index for index, found in enumerate(known) if found is None]
        if missing:
            probabilities = network.classify(images[missing])
            digits = network.classify(straight[missing]).argmax(axis=1)
            for index, row, digit in zip(missing, probabilities, digits):
                known[index] = (row, int(digit))
        with self._lock:
            for key, found in zip(keys, known):
                self._read[key] = found
        return np.stack([row for row, _ in known]), np.array([digit for _, digit in known])


def read(network, drawings, memo=None):
    """Read every drawing of a room (core.lab.store.Drawings) with `network` (a
    core.digits.network.Network) as it is now; `memo`, a Memo of this network, skips the drawings
    it has already read."""
    probabilities, straight = (memo or Memo()).readings(network, drawings.images, drawings.straight)
    predicted = probabilities.argmax(axis=1)
    truth = drawings.labels
    counts = np.bincount(truth, minlength=10)
    return Reading(
        counts.tolist(),
        predicted,
        float(np.mean(predicted == truth)) if len(truth) else float("nan"),
        float(np.mean(straight == truth)) if len(truth) else float("nan"),
        scoring.confusion(truth, predicted).tolist(),
        scoring.confident_mistakes(probabilities, truth),
    )
