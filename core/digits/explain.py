"""Look inside a trained handwriting network: why did it say that digit?

- `Explainer(model)` builds, once per model, a Keras sub-model that returns in one forward pass
  every hidden layer's activations, the last hidden layer (the embedding) and the probabilities.
- `saliency` is gradient × input for one class's score, from `tf.GradientTape`: positive where a
  pixel's ink pushed that class up.
- `NeighbourIndex` finds the training digits closest to a digit in the last hidden layer, with
  scikit-learn's `NearestNeighbors`. A convolutional network's last hidden layer has 1,024 values
  per digit (245 MB for 60,000 digits), so it is first projected by PCA onto its main directions;
  `variance_kept` says how much of the spread the projection keeps.
"""
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors
from threadpoolctl import threadpool_limits

from core.digits.model import to_inputs

MAX_EMBEDDING_DIMENSIONS = 64  # PCA size for the neighbour search: keeps most of the spread of the
# default network's 1,024 values in a few MB (bench/README.md has the figures)
NEIGHBOURS = "neighbours"  # the name the neighbour index is saved under beside its model
EMBEDDING_BATCH = 1000
PCA_SAMPLE = 10_000  # training digits the projection is fitted on


def hidden_layers(model):
    """The layers whose outputs are worth showing: convolutions, and dense layers before the output."""
    output = model.get_layer("probabilities")
    return [layer for layer in model.layers if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))
            and layer is not output]


def embedding_width(model):
    """How many values the last hidden layer holds (what the output layer reads)."""
    return int(np.prod(model.get_layer("probabilities").input.shape[1:]))


def first_layer_pictures(model):
    """What the first layer looks for: (n, 28, 28) incoming weights per hidden neuron of a dense
    network, or (n, k, k) filters of a convolutional one."""
    kernel = np.asarray(hidden_layers(model)[0].get_weights()[0])
    if kernel.ndim == 4:  # Conv2D: (k, k, 1, filters)
        return np.moveaxis(kernel[:, :, 0, :], -1, 0)
    return kernel.T.reshape(-1, 28, 28)  # Dense after Flatten: (784, units)


@dataclass
class Inside:
    """Everything the network computed for one digit."""

    probabilities: np.ndarray  # (10,)
    activations: list  # [(layer name, array)]: (units,) for dense, (h, w, filters) for convolutions
    embedding: np.ndarray  # the last hidden layer, flattened


class Explainer:
    """One model's sub-model for activations and embedding, and its compiled saliency function."""

    def __init__(self, model):
        self.model = model
        self.layers = hidden_layers(model)
        self.output_layer = model.get_layer("probabilities")
        embedding = self.output_layer.input
        self.inside = keras.Model(model.inputs, [*(layer.output for layer in self.layers), embedding, model.output])
        self.embedder = keras.Model(model.inputs, embedding)
        self._gradient = tf.function(self._gradient_of_class, reduce_retracing=True)

    def look(self, image):
        """Run one (28, 28) image through the network and keep every hidden layer's output."""
        *activations, embedding, probabilities = self.inside.predict_on_batch(to_inputs(image[None]))
        return Inside(np.asarray(probabilities[0], dtype=np.float64),
                      [(layer.name, np.asarray(values[0])) for layer, values in zip(self.layers, activations)],
                      np.asarray(embedding[0]).reshape(-1))

    def _gradient_of_class(self, inputs, class_index):
        kernel, bias = self.output_layer.kernel, self.output_layer.bias
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            hidden = tf.reshape(self.embedder(inputs, training=False), (1, -1))
            score = tf.linalg.matvec(hidden, kernel[:, class_index])[0] + bias[class_index]
        return tape.gradient(score, inputs)

    def saliency(self, image, class_index):
        """Gradient × input of one class's score, as a (28, 28) map: positive where the pixel's
        ink raised the score, negative where it lowered it, 0 where there is no ink.

        The score is the output neuron's weighted sum z, before softmax or sigmoid squash it: a
        confident network's probability is flat near 1, so its gradient says almost nothing."""
        inputs = tf.constant(to_inputs(image[None]))
        gradient = self._gradient(inputs, tf.constant(int(class_index)))
        return (gradient.numpy() * inputs.numpy())[0, :, :, 0]

    def embeddings(self, images):
        """The last hidden layer of many (n, 28, 28) images, as (n, d) float32."""
        parts = [np.asarray(self.embedder.predict_on_batch(to_inputs(images[start:start + EMBEDDING_BATCH])))
                 for start in range(0, len(images), EMBEDDING_BATCH)]
        return np.concatenate(parts).reshape(len(images), -1).astype(np.float32)


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


def neighbour_index(model, images, fit_on=PCA_SAMPLE):
    """Build the neighbour index of a model over its training images. The projection is fitted on
    a sample and the images are projected a batch at a time, so the full layer (245 MB for the
    default network on 60,000 digits) is never held at once."""
    explainer = Explainer(model)
    sample = np.sort(np.random.default_rng(0).choice(len(images), min(fit_on, len(images)), replace=False))
    mean, components, kept = NeighbourIndex.projection(explainer.embeddings(images[sample]))
    projected = np.concatenate([(explainer.embeddings(images[start:start + EMBEDDING_BATCH]) - mean) @ components.T
                                for start in range(0, len(images), EMBEDDING_BATCH)])
    return NeighbourIndex(mean, components, projected.astype(np.float32), kept)


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


def saved_neighbour_index(store, key, model, images):
    """Return the neighbour index saved beside model `key` in `store` (a ModelStore), or build it
    over `images` now and save it there if the folder can be written."""
    arrays = store.load_arrays(key, NEIGHBOURS)
    if arrays is not None and NeighbourIndex.fits(arrays, embedding_width(model), len(images)):
        return NeighbourIndex.from_arrays(arrays)
    index = neighbour_index(model, images)
    store.save_arrays(key, NEIGHBOURS, index.arrays())  # does nothing in a read-only folder
    return index


def explain_digit(explainer, index, image, neighbours=6, top_neurons=6):
    """Everything the page shows about why the network read `image` (28, 28, in [0, 1]) as it did."""
    inside = explainer.look(image)
    ranked = np.argsort(inside.probabilities)[::-1]
    nearest, distances = index.nearest(inside.embedding, neighbours)
    _, first_values = inside.activations[0]
    top = [] if first_values.ndim != 1 else [int(i) for i in np.argsort(first_values)[::-1][:top_neurons]]
    return Explanation(inside, int(ranked[0]), int(ranked[1]), explainer.saliency(image, ranked[0]),
                       nearest, distances, top)
