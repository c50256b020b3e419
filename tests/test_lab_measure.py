"""The class lab's reading of a room's drawings, and its memo of readings already made."""

import numpy as np

from core.lab import measure
from core.lab.store import Drawings


class Counting:
    """A stand-in network: softmax of a fixed linear map of the pixels, counting the images it reads."""

    def __init__(self):
        self.weights = np.random.default_rng(0).normal(size=(784, 10))
        self.images_read = 0

    def classify(self, images):
        self.images_read += len(images)
        z = np.asarray(images, dtype=float).reshape(len(images), -1) / 255 @ self.weights
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def room(n, seed=0):
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    return Drawings(np.arange(n), rng.integers(0, 10, size=n), images, rng.permutation(images))


def test_a_reading_matches_the_network_read_directly():
    network, drawings = Counting(), room(60)
    reading = measure.read(network, drawings)
    probabilities = network.classify(drawings.images)
    assert np.array_equal(reading.predicted, probabilities.argmax(axis=1))
    assert reading.accuracy == np.mean(probabilities.argmax(axis=1) == drawings.labels)
    assert reading.straight_accuracy == np.mean(network.classify(drawings.straight).argmax(axis=1) == drawings.labels)
    assert reading.counts == np.bincount(drawings.labels, minlength=10).tolist()


def test_with_a_memo_only_new_drawings_are_read_and_the_reading_is_the_same():
    network, memo, drawings = Counting(), measure.Memo(), room(50)
    first = measure.read(network, drawings, memo)
    assert network.images_read == 2 * 50  # both preparations
    one_more = room(51)  # the same 50 and one more
    grown = Drawings(
        one_more.ids,
        np.append(drawings.labels, 3),
        np.concatenate([drawings.images, one_more.images[-1:]]),
        np.concatenate([drawings.straight, one_more.straight[-1:]]),
    )
    again = measure.read(network, grown, memo)
    assert network.images_read == 2 * 51
    fresh = measure.read(Counting(), grown)
    assert np.array_equal(again.predicted, fresh.predicted) and again.accuracy == fresh.accuracy
    assert again.straight_accuracy == fresh.straight_accuracy and again.confusion == fresh.confusion
    assert np.array_equal(again.misread, fresh.misread) and np.array_equal(first.predicted, again.predicted[:50])


def test_the_memo_is_keyed_by_pixels_not_ids_and_forgets_the_least_recently_used():
    network, memo = Counting(), measure.Memo(limit=30)
    drawings = room(20)
    measure.read(network, drawings, memo)
    other = room(20, seed=1)  # the same ids, other drawings
    assert np.array_equal(measure.read(network, other, memo).predicted, measure.read(Counting(), other).predicted)
    assert network.images_read == 2 * 40
    measure.read(network, room(20, seed=1), memo)  # all 20 remembered: the most recent
    assert network.images_read == 2 * 40
    measure.read(network, drawings, memo)  # 10 of the first 20 were forgotten
    assert network.images_read == 2 * 50


def test_an_empty_room_reads_nothing():
    reading = measure.read(Counting(), room(0), measure.Memo())
    assert reading.counts == [0] * 10 and np.isnan(reading.accuracy) and len(reading.predicted) == 0
