"""Look inside a trained handwriting network: why did it say that digit?

- The network itself (core/digits/network.py) gives every hidden layer's output for a digit, and
  the saliency: gradient × input for one class's score, positive where a pixel's ink pushed that
  class up.
- `NeighbourIndex` finds the training digits closest to a digit in the last hidden layer, with
  scikit-learn's `NearestNeighbors`. A convolutional network's last hidden layer has 1,024 values
  per digit (245 MB for 60,000 digits), so it is first projected by PCA onto its main directions;
  `variance_kept` says how much of the spread the projection keeps.
"""
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from core.digits.network import Inside
from core.memory import release_freed_memory

MAX_EMBEDDING_DIMENSIONS = 64  # PCA size for the neighbour search: keeps most of the spread of the
# default network's 1,024 values in a few MB (bench/README.md has the figures)
NEIGHBOURS = "neighbours"  # the name the neighbour index is saved under beside its model
EMBEDDING_BATCH = 1000
PCA_SAMPLE = 10_000  # training digits the projection is fitted on


class NeighbourIndex:
    """Training digits by distance in the network's last hidden layer."""

    def __init__(self, mean, components, projected, variance_kept):
        self.mean, self.components = mean, components
        self.projected, self.variance_kept = projected, float(variance_kept)
        self.search = NearestNeighbors(algorithm="brute").fit(projected)

    @staticmethod
    def projection(embeddings):
        """(mean, components, variance kept) of the projection fitted on embeddings: PCA onto the
        main directions when the layer is large, else the layer itself."""
        width = embeddings.shape[1]
        if width <= MAX_EMBEDDING_DIMENSIONS:
            return np.zeros(width, dtype=np.float32), np.eye(width, dtype=np.float32), 1.0
        pca = PCA(n_components=min(MAX_EMBEDDING_DIMENSIONS, len(embeddings)), svd_solver="randomized",
                  random_state=0).fit(embeddings)
        return pca.mean_.astype(np.float32), pca.components_.astype(np.float32), pca.explained_variance_ratio_.sum()

    @classmethod
    def build(cls, embeddings):
        """Fit the projection and the search on training embeddings."""
        mean, components, kept = cls.projection(embeddings)
        return cls(mean, components, ((embeddings - mean) @ components.T).astype(np.float32), kept)

    def arrays(self):
        """The index as arrays, to save beside the model."""
        return {"mean": self.mean, "components": self.components, "projected": self.projected,
                "variance_kept": np.float64(self.variance_kept)}

    @staticmethod
    def fits(arrays, width, count):
        """True if saved arrays are an index of `count` digits for a layer `width` values wide."""
        try:
            mean, components, projected = arrays["mean"], arrays["components"], arrays["projected"]
            kept = float(arrays["variance_kept"])
        except (KeyError, TypeError, ValueError):
            return False
        return (mean.shape == (width,) and components.ndim == 2 and components.shape[1] == width
                and projected.shape == (count, components.shape[0]) and components.shape[0] > 0
                and 0 <= kept <= 1 + 1e-6)

    @classmethod
    def from_arrays(cls, arrays):
        return cls(arrays["mean"], arrays["components"], arrays["projected"], float(arrays["variance_kept"]))

    def nearest(self, embedding, count=6):
        """Return (indices, distances) of the `count` nearest training digits, closest first."""
        point = ((np.asarray(embedding, dtype=np.float32) - self.mean) @ self.components.T)[None]
        with threadpool_limits(1):  # one query: a pool of threads would only wait on itself
            distances, indices = self.search.kneighbors(point, n_neighbors=count)
        return indices[0], distances[0]


def neighbour_index(embeddings, images, fit_on=PCA_SAMPLE):
    """Build the neighbour index of a network over its training images; `embeddings(images)` gives
    their last hidden layer ((n, d) float32: a Network's method, or serving.embedder's in a trainer).
    The projection is fitted on a sample and the images are projected a batch at a time, so the full
    layer (245 MB for the default network on 60,000 digits) is never held at once."""
    sample = np.sort(np.random.default_rng(0).choice(len(images), min(fit_on, len(images)), replace=False))
    mean, components, kept = NeighbourIndex.projection(embeddings(images[sample]))
    projected = np.concatenate([(embeddings(images[start:start + EMBEDDING_BATCH]) - mean) @ components.T
                                for start in range(0, len(images), EMBEDDING_BATCH)])
    index = NeighbourIndex(mean, components, projected.astype(np.float32), kept)
    del projected
    release_freed_memory()  # the layer's values for each batch came and went: hand their memory back
    return index


@dataclass
class Explanation:
    """The views of one prediction."""

    inside: Inside
    predicted: int
    runner_up: int
    saliency: np.ndarray  # (28, 28) gradient × input for the predicted digit
    neighbours: np.ndarray  # indices of the nearest training digits, closest first
    distances: np.ndarray
    first_layer_top: list  # for a dense network: its most active first-layer neurons, strongest first


def saved_neighbour_index(store, key, embeddings, width, images):
    """Return the neighbour index saved beside network `key` in `store` (a ModelStore), or build it
    over `images` now (`embeddings` as for neighbour_index; `width` values wide) and save it there
    if the folder can be written."""
    arrays = store.load_arrays(key, NEIGHBOURS)
    if arrays is not None and NeighbourIndex.fits(arrays, width, len(images)):
        return NeighbourIndex.from_arrays(arrays)
    index = neighbour_index(embeddings, images)
    store.save_arrays(key, NEIGHBOURS, index.arrays())  # does nothing in a read-only folder
    return index


def explain_digit(network, index, image, neighbours=6, top_neurons=6):
    """Everything the page shows about why `network` (a core.digits.network.Network) read `image`
    (28, 28, in [0, 1]) as it did."""
    inside = network.look(image)
    ranked = np.argsort(inside.probabilities)[::-1]
    nearest, distances = index.nearest(inside.embedding, neighbours)
    _, first_values = inside.activations[0]
    top = [] if first_values.ndim != 1 else [int(i) for i in np.argsort(first_values)[::-1][:top_neurons]]
    return Explanation(inside, int(ranked[0]), int(ranked[1]), network.saliency(image, ranked[0], inside),
                       nearest, distances, top)
