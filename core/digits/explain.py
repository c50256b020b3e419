"""Look inside a trained handwriting network: why did it say that digit?

- The network itself (core/digits/network.py) gives every hidden layer's output for a digit, and
  the saliency: gradient × input for one class's score, positive where a pixel's ink pushed that
  class up.
- `NeighbourIndex` finds the training digits closest to a digit in the last hidden layer. A
  convolutional network's last hidden layer has 1,024 values per digit (245 MB for 60,000 digits),
  so it is first projected by PCA onto its main directions; `variance_kept` says how much of the
  spread the projection keeps.

The PCA and the search are written here, a few lines each with numpy and SciPy's LAPACK, rather than
taken from scikit-learn: the web server would import scikit-learn (1.5 s and 160 MB) for them alone.
tests/test_explain.py checks both against scikit-learn's `PCA` and `NearestNeighbors`.
"""

from dataclasses import dataclass

import numpy as np
import scipy  # its `scipy.linalg` loads when an index is first built, in the builder thread (0.4 s)
from threadpoolctl import threadpool_limits

from core.digits.network import Inside
from core.memory import release_freed_memory

MAX_EMBEDDING_DIMENSIONS = 64  # PCA size for the neighbour search: keeps most of the spread of the
# default network's 1,024 values in a few MB (bench/README.md has the figures)
NEIGHBOURS = "neighbours"  # the name the neighbour index is saved under beside its model
EMBEDDING_BATCH = 250  # digits a batch: the index's build holds 90 MB at most on 60,000 digits (1,000: 130 MB)
PCA_SAMPLE = 10_000  # training digits the projection is fitted on
CANDIDATES = 64  # a query ranks this many digits by the fast product, then measures them exactly


def principal_directions(batches, count):
    """(mean, the `count` main directions as rows, the share of the spread they keep) of points
    given a batch at a time ((b, d) arrays): the eigenvectors of their covariance with the largest
    eigenvalues (PCA). The sums are kept in float64 as the batches pass, so the points themselves
    are never held together: Σ(x − s)(x − s)ᵀ − n·(x̄ − s)(x̄ − s)ᵀ, shifted by the first batch's
    mean s so that the subtraction loses no precision."""
    count_seen, shift, sums, scatter = 0, None, None, None
    for batch in batches:
        batch = np.asarray(batch, dtype=np.float64)
        if shift is None:
            shift = batch.mean(axis=0)
            sums, scatter = np.zeros_like(shift), np.zeros((len(shift), len(shift)))
        centred = batch - shift
        sums += centred.sum(axis=0)
        scatter += centred.T @ centred
        count_seen += len(batch)
    offset = sums / count_seen
    scatter -= count_seen * np.outer(offset, offset)
    total = np.trace(scatter)  # the sum of all the eigenvalues: the whole spread
    count = min(count, count_seen)
    # Only the `count` largest eigenpairs (LAPACK's dsyevr through SciPy): a full eigendecomposition
    # of the default network's 1,536 × 1,536 scatter held 80 MB more at once
    spread, directions = scipy.linalg.eigh(
        scatter, subset_by_index=(len(shift) - count, len(shift) - 1), overwrite_a=True, check_finite=False
    )
    largest = np.argsort(spread)[::-1]
    kept = spread[largest].clip(min=0).sum() / max(total, np.finfo(float).tiny)
    return shift + offset, directions[:, largest].T, float(kept)


def in_batches(values, batch=EMBEDDING_BATCH):
    """`values` (an array) a batch of rows at a time."""
    for start in range(0, len(values), batch):
        yield values[start : start + batch]
        release_freed_memory()  # what the batch's computation freed: ONNX Runtime's buffers would stay otherwise


class NeighbourIndex:
    """Training digits by distance in the network's last hidden layer."""

    def __init__(self, mean, components, projected, variance_kept):
        self.mean, self.components = mean, components
        self.projected, self.variance_kept = projected, float(variance_kept)
        self.squared_lengths = np.einsum("ij,ij->i", projected, projected, dtype=np.float64)

    @staticmethod
    def projection(batches, width):
        """(mean, components, variance kept) of the projection fitted on embeddings `width` values
        wide, given a batch at a time: PCA onto the main directions when the layer is large, else
        the layer itself."""
        if width <= MAX_EMBEDDING_DIMENSIONS:
            return np.zeros(width, dtype=np.float32), np.eye(width, dtype=np.float32), 1.0
        mean, components, kept = principal_directions(batches, MAX_EMBEDDING_DIMENSIONS)
        return mean.astype(np.float32), components.astype(np.float32), kept

    @classmethod
    def build(cls, embeddings):
        """Fit the projection and the search on training embeddings."""
        mean, components, kept = cls.projection(in_batches(embeddings), embeddings.shape[1])
        return cls(mean, components, ((embeddings - mean) @ components.T).astype(np.float32), kept)

    def arrays(self):
        """The index as arrays, to save beside the model."""
        return {
            "mean": self.mean,
            "components": self.components,
            "projected": self.projected,
            "variance_kept": np.float64(self.variance_kept),
        }

    @staticmethod
    def fits(arrays, width, count):
        """True if saved arrays are an index of `count` digits for a layer `width` values wide."""
        try:
            mean, components, projected = arrays["mean"], arrays["components"], arrays["projected"]
            kept = float(arrays["variance_kept"])
        except (KeyError, TypeError, ValueError):
            return False
        return (
            mean.shape == (width,)
            and components.ndim == 2
            and components.shape[1] == width
            and projected.shape == (count, components.shape[0])
            and components.shape[0] > 0
            and 0 <= kept <= 1 + 1e-6
        )

    @classmethod
    def from_arrays(cls, arrays):
        return cls(arrays["mean"], arrays["components"], arrays["projected"], float(arrays["variance_kept"]))

    def nearest(self, embedding, count=6):
        """Return (indices, distances) of the `count` nearest training digits, closest first.

        |x − q|² = |x|² − 2 x·q + |q|² ranks every digit with one matrix product; the product's
        rounding can swap near-ties, so the closest CANDIDATES are then measured exactly."""
        point = (np.asarray(embedding, dtype=np.float32) - self.mean) @ self.components.T
        count = min(count, len(self.projected))
        with threadpool_limits(1):  # one query: a pool of threads would only wait on itself
            ranked = self.squared_lengths - 2 * (self.projected @ point)
        listed = min(len(ranked), max(CANDIDATES, count))
        shortlist = np.argpartition(ranked, listed - 1)[:listed]
        exact = np.linalg.norm(self.projected[shortlist].astype(np.float64) - point, axis=1)
        order = np.lexsort((shortlist, exact))[:count]  # closest first; a tie goes to the earlier digit
        return shortlist[order], exact[order]


def neighbour_index(embeddings, images, fit_on=PCA_SAMPLE):
    """Build the neighbour index of a network over its training images; `embeddings(images)` gives
    their last hidden layer ((n, d) float32: a Network's method, or serving.embedder's in a trainer).
    The projection is fitted on a sample, and the images are projected, a batch at a time: the
    full layer (245 MB for the default network on 60,000 digits), or even the sample's, is never
    held at once, so building it adds little to a server's memory."""
    sample = np.sort(np.random.default_rng(0).choice(len(images), min(fit_on, len(images)), replace=False))
    width = embeddings(images[:1]).shape[1]
    mean, components, kept = NeighbourIndex.projection(map(embeddings, in_batches(images[sample])), width)
    projected = np.empty((len(images), len(components)), dtype=np.float32)
    # batched by hand, not by in_batches: its trim after every batch made this loop take 13 s
    # instead of 7 s on 60,000 digits for no lower peak, so memory goes back once, after it
    for start in range(0, len(images), EMBEDDING_BATCH):
        projected[start : start + EMBEDDING_BATCH] = (
            embeddings(images[start : start + EMBEDDING_BATCH]) - mean
        ) @ components.T
    release_freed_memory()  # the layer's values for each batch came and went: hand their memory back
    return NeighbourIndex(mean, components, projected, kept)


@dataclass
class Reading:
    """What the network read in one digit: enough to answer. The views that explain it (the
    saliency, the nearest training digits) are computed after, when shown."""

    inside: Inside
    predicted: int
    runner_up: int
    first_layer_top: list  # for a dense network: its most active first-layer neurons, strongest first


@dataclass
class Explanation:
    """A reading and every view that explains it, computed at once (for benchmarks)."""

    reading: Reading
    saliency: np.ndarray  # (28, 28) gradient × input for the predicted digit
    neighbours: np.ndarray  # indices of the nearest training digits, closest first
    distances: np.ndarray


def saved_index(store, key, width, count):
    """The neighbour index saved beside network `key` in `store` (a ModelStore), if it is one of
    `count` digits for a layer `width` values wide; else None."""
    arrays = store.load_arrays(key, NEIGHBOURS)
    if arrays is not None and NeighbourIndex.fits(arrays, width, count):
        return NeighbourIndex.from_arrays(arrays)
    return None


def build_and_save_index(store, key, embeddings, images):
    """Build network `key`'s neighbour index over `images` (`embeddings` as for neighbour_index) and
    save it beside the network in `store`, if the folder can be written."""
    index = neighbour_index(embeddings, images)
    store.save_arrays(key, NEIGHBOURS, index.arrays())  # does nothing in a read-only folder
    return index


def saved_neighbour_index(store, key, embeddings, width, images):
    """The neighbour index saved beside network `key`, or one built over `images` now and saved."""
    saved = saved_index(store, key, width, len(images))
    return saved if saved is not None else build_and_save_index(store, key, embeddings, images)


def read(network, image, top_neurons=6):
    """What `network` (a core.digits.network.Network) reads in `image` (28, 28, in [0, 1])."""
    inside = network.look(image)
    ranked = np.argsort(inside.probabilities)[::-1]
    _, first_values = inside.activations[0]
    top = [] if first_values.ndim != 1 else [int(i) for i in np.argsort(first_values)[::-1][:top_neurons]]
    return Reading(inside, int(ranked[0]), int(ranked[1]), top)


def saliency(network, image, reading):
    """Gradient × input of the predicted digit's score (core/digits/network.py)."""
    return network.saliency(image, reading.predicted, reading.inside)


def nearest(index, reading, count=6):
    """(indices, distances) of the training digits nearest to the reading's last hidden layer."""
    return index.nearest(reading.inside.embedding, count)


def explain_digit(network, index, image, neighbours=6):
    """A reading of `image` with every view that explains it."""
    reading = read(network, image)
    return Explanation(reading, saliency(network, image, reading), *nearest(index, reading, neighbours))
