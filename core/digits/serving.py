"""The files a web server needs to serve a Keras network without TensorFlow (read by
core/digits/network.py), made by trainers only: this module imports Keras, and Keras's ONNX export
needs `tf2onnx` and `onnx`.

- `write(model, onnx_path, weights_path)` exports a copy of the network whose outputs are every
  hidden layer, the embedding and the probabilities, writes its weights and plan, and checks the
  copy, read back by ONNX Runtime, against Keras.
- `embedder(model)` gives the last hidden layer from Keras, for a trainer's neighbour index.

The random shifts and turns in the convolutional network only act while it learns, yet their ops
make ONNX Runtime refuse the file, so the copy leaves them out (they have no weights); Dropout too
does nothing outside training.
"""

import contextlib
import io
import json
import tempfile
from pathlib import Path

import keras
import numpy as np

from core.digits import network as served
from core.digits.config import IMAGE_SHAPE, averaged, shifted_copies, to_inputs

TRAINING_ONLY = (keras.layers.RandomTranslation, keras.layers.RandomRotation, keras.layers.Dropout)
PASSING = (keras.layers.Flatten, keras.layers.InputLayer)  # reshape only: nothing to keep
CHECK_DIGITS = 64
TOLERANCE = 1e-5


def plan(model):
    """Return (plan, weights): each Conv2D and Dense layer in order with its activation, padding and
    the pooling after it, and their kernels and biases. Raise ValueError for a layer the server's
    backward pass does not know."""
    layers, weights = [], {}
    output = model.get_layer("probabilities")
    for layer in model.layers:
        if isinstance(layer, (*TRAINING_ONLY, *PASSING)):
            continue
        if isinstance(layer, keras.layers.MaxPooling2D) and layers and layers[-1]["kind"] == "conv":
            if tuple(layer.pool_size) != tuple(layer.strides) or layer.pool_size[0] != layer.pool_size[1]:
                raise ValueError("the server's backward pass only knows square pooling without overlap")
            layers[-1]["pool"] = int(layer.pool_size[0])
            continue
        if isinstance(layer, keras.layers.Conv2D) and tuple(layer.strides) == (1, 1):
            entry = {"kind": "conv", "padding": layer.padding}
        elif isinstance(layer, keras.layers.Dense):
            entry = {"kind": "output" if layer is output else "dense"}
        else:
            raise ValueError(f"the server cannot serve a {type(layer).__name__} layer")
        entry["activation"] = keras.activations.serialize(layer.activation)  # its name, e.g. "relu"
        if entry["activation"] not in served.SLOPES and entry["kind"] != "output":
            raise ValueError(f"the server's backward pass does not know the activation {entry['activation']!r}")
        kernel, bias = layer.get_weights()
        weights[f"kernel_{len(layers)}"], weights[f"bias_{len(layers)}"] = kernel, bias
        layers.append(entry)
    return layers, weights


def serving_copy(model):
    """The network without its training-only layers, its outputs named for core/digits/network.py."""
    inputs = keras.Input(IMAGE_SHAPE, name=served.INPUT)
    outputs, values, hidden = {}, inputs, 0
    for layer in model.layers:
        if isinstance(layer, (*TRAINING_ONLY, keras.layers.InputLayer)):
            continue
        if layer.name == "probabilities":
            outputs[served.EMBEDDING] = keras.layers.Flatten(name="flat_embedding")(values)
        values = layer(values)
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)) and layer.name != "probabilities":
            outputs[served.hidden_name(hidden)] = values
            hidden += 1
    outputs[served.PROBABILITIES] = values
    copy = keras.Model(inputs, outputs, name=f"{model.name}_served")
    copy.predict_on_batch(np.zeros((1, *IMAGE_SHAPE), dtype=np.float32))  # export needs a model that has run
    return copy


def embedder(model):
    """A function giving the last hidden layer of (n, 28, 28) images through Keras, as (n, d)
    float32: a trainer's neighbour index, before the network's serving files exist."""
    copy = serving_copy(model)

    def embeddings(images):
        return np.asarray(copy.predict_on_batch(to_inputs(images))[served.EMBEDDING], dtype=np.float32)

    return embeddings


def _check(copy, network, images):
    """Raise ValueError unless ONNX Runtime's outputs equal Keras's on `images`."""
    expected = copy.predict_on_batch(to_inputs(images))
    # look() answers as the app reads: the mean over each image's shifted copies (config.py's SHIFTS)
    shifted = copy.predict_on_batch(to_inputs(shifted_copies(images)))
    expected[served.PROBABILITIES] = averaged(shifted[served.PROBABILITIES])
    for index, image in enumerate(images):
        inside = network.look(image)
        got = {
            served.PROBABILITIES: inside.probabilities,
            served.EMBEDDING: inside.embedding,
            **dict(inside.activations),
        }
        for name, values in got.items():
            gap = float(
                np.max(np.abs(np.asarray(values) - np.asarray(expected[name][index]).reshape(np.shape(values))))
            )
            if gap > TOLERANCE:
                raise ValueError(f"the ONNX copy's {name} differs from Keras's by {gap:.1e}")


def _probabilities_first(path):
    """Put the probabilities first among the ONNX file's outputs (Keras writes them in name order,
    the embedding first): a learner who downloads the file and runs `session.run(None, …)[0]`, or
    opens it in a viewer, finds the answer there. The server asks for its outputs by name."""
    import onnx

    graph = onnx.load(str(path))
    outputs = sorted(graph.graph.output, key=lambda output: output.name != served.PROBABILITIES)
    del graph.graph.output[:]
    graph.graph.output.extend(outputs)
    onnx.save(graph, str(path))


def write(model, onnx_path, weights_path, check_images=None):
    """Write a network's two serving files (each to a temporary file first: the caller renames
    them into place) and check them against Keras on `check_images` (by default random ink)."""
    layers, weights = plan(model)
    copy = serving_copy(model)
    with tempfile.TemporaryDirectory() as scratch, contextlib.redirect_stdout(io.StringIO()):
        exported = Path(scratch) / "network.onnx"
        copy.export(str(exported), format="onnx", verbose=False)  # through a SavedModel and tf2onnx
        _probabilities_first(exported)
        Path(onnx_path).write_bytes(exported.read_bytes())
    with open(weights_path, "wb") as handle:
        np.savez(handle, **weights, **{served.PLAN: np.array(json.dumps(layers))})
    network = served.Network.load(onnx_path, weights_path)
    if check_images is None:
        check_images = np.random.default_rng(0).random((CHECK_DIGITS, *IMAGE_SHAPE[:2]), dtype=np.float32)
    _check(copy, network, check_images)
    return network
