"""A trained handwriting network as the web server uses it, without TensorFlow: ONNX Runtime
computes the forward pass (the probabilities and every hidden layer's output), and numpy the
backward pass behind the saliency map.

A trainer (core/digits/serving.py) writes two files beside each saved `.keras` network:

    <name>.onnx          a copy of the network without its training-only layers (random shifts and
                         turns, dropout), whose outputs are every hidden layer, the last hidden layer
                         flattened (`embedding`) and the probabilities
    <name>.weights.npz   its weights, and its plan: the kind, activation and padding of each layer

ONNX Runtime does not compute gradients, so the saliency's backward pass is written here by hand:
it is the Backpropagation lesson's chain rule, run through the real network (tests/test_network.py
checks it against TensorFlow's `GradientTape`).
"""

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from core.digits.config import IMAGE_SHAPE, NUM_CLASSES, SHIFTS, averaged, shifted_copies, to_inputs

INPUT = "image"
EMBEDDING, PROBABILITIES = "embedding", "probabilities"
PLAN = "plan"  # the weights file's JSON description of the layers
FORMAT = 2  # bumped when the files' layout changes: older files are then made again by a trainer
# (2: the probabilities are the ONNX file's first output)
BATCH = 500  # images per ONNX Runtime call, counting each shifted copy (config.py's SHIFTS)
# Digits per ONNX Runtime call for embeddings: every hidden layer of a batch is held at once (25 MB
# for the default network's first layer at 500), and the memory stays with the server afterwards
EMBEDDING_BATCH = 100
SLOPES = {  # each activation's slope, from its output a (all a backward pass needs)
    "relu": lambda a: (a > 0).astype(a.dtype),
    "sigmoid": lambda a: a * (1 - a),
    "tanh": lambda a: 1 - a * a,
    "linear": np.ones_like,
}


class ServingFilesError(ValueError):
    """A network's serving files are missing, damaged, or do not fit together; says which, in words."""


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def serving_record(onnx_path, weights_path):
    """What a card records of a network's serving files: their layout's version and their sha256."""
    return {"format": FORMAT, "onnx": sha256(onnx_path), "weights": sha256(weights_path)}


def serving_files_problem(record, onnx_path, weights_path):
    """Why a network's serving files are not the ones `record` names ({"format", "onnx", "weights"}:
    a card's sha256 of each), in words, or None when they are (the model store's networks and the
    shipped one alike)."""
    if record.get("format") != FORMAT:
        return "they were made by an older version of the app, or not at all"
    for name, path in (("onnx", onnx_path), ("weights", weights_path)):
        if not Path(path).exists() or sha256(path) != record.get(name):
            return f"{Path(path).name} is missing or does not match the checksum on its card"
    return None


def hidden_name(index):
    return f"hidden_{index}"


@dataclass
class Inside:
    """Everything the network computed for one digit."""

    probabilities: np.ndarray  # (10,)
    activations: list  # [(layer name, array)]: (units,) for dense, (h, w, filters) for convolutions
    embedding: np.ndarray  # the last hidden layer, flattened


def _check_plan(plan, weights):
    """Raise ServingFilesError unless `plan` describes layers whose weights are all in `weights`."""
    if not (isinstance(plan, list) and plan and plan[-1].get("kind") == "output"):
        raise ServingFilesError("the weights file's plan of layers is not one this app can read")
    for index, layer in enumerate(plan):
        kernel, bias = weights.get(f"kernel_{index}"), weights.get(f"bias_{index}")
        if (
            kernel is None
            or bias is None
            or layer.get("activation") not in (*SLOPES, "softmax")
            or (layer.get("kind") not in ("conv", "dense", "output"))
        ):
            raise ServingFilesError(f"the weights file lacks layer {index + 1}, or cannot say what it is")
        if kernel.ndim != (4 if layer["kind"] == "conv" else 2) or bias.shape != kernel.shape[-1:]:
            raise ServingFilesError(f"layer {index + 1}'s weights have the wrong shape")
    if weights[f"kernel_{len(plan) - 1}"].shape[-1] != NUM_CLASSES:
        raise ServingFilesError(f"the output layer does not have {NUM_CLASSES} neurons")


def _session(path):
    """One ONNX Runtime session for a network, run on one thread: the server answers one image at
    a time for many sessions, and a pool of threads would only wait on itself."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    # no memory arena: it keeps the largest batch's memory for good (50 MB after the neighbour index's
    # embeddings), and one image's run is no slower without it (0.041 ms either way)
    options.enable_cpu_mem_arena = False
    options.log_severity_level = 3  # errors only
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _unpool(gradient, before, size):
    """The slope of a max-pooling layer: each output's gradient goes back to the input pixel that
    was the largest of its window (the first, on a tie, as TensorFlow does); the others get none."""
    rows, columns, channels = gradient.shape
    windows = before[: rows * size, : columns * size].reshape(rows, size, columns, size, channels)
    windows = windows.transpose(0, 2, 4, 1, 3).reshape(rows, columns, channels, size * size)
    routed = np.zeros_like(windows)
    np.put_along_axis(routed, windows.argmax(axis=-1)[..., None], gradient[..., None], axis=-1)
    routed = routed.reshape(rows, columns, channels, size, size).transpose(0, 3, 1, 4, 2)
    back = np.zeros_like(before)
    back[: rows * size, : columns * size] = routed.reshape(rows * size, columns * size, channels)
    return back


def _conv_back(gradient, kernel, padding):
    """The gradient at a convolution's input from the gradient at its weighted sums z: every input
    pixel collects the z it fed, times the weight that joined them."""
    rows, columns, _ = gradient.shape
    height, width = kernel.shape[:2]
    back = np.zeros((rows + height - 1, columns + width - 1, kernel.shape[2]))
    for dy in range(height):
        for dx in range(width):
            back[dy : dy + rows, dx : dx + columns] += gradient @ kernel[dy, dx].T
    if padding == "same":  # the zeros added around the image were not pixels
        top, left = (height - 1) // 2, (width - 1) // 2
        back = back[top : top + rows, left : left + columns]
    return back


class Network:
    """One trained network: its ONNX Runtime session (shared by every session of the server; its
    `run` is thread-safe) and the weights its backward pass needs."""

    def __init__(self, session, plan, weights):
        self.session, self.plan = session, plan
        self.weights = {name: np.asarray(array, dtype=np.float64) for name, array in weights.items()}
        self.hidden = [layer for layer in plan if layer["kind"] != "output"]
        self.dense = self.hidden[0]["kind"] == "dense"
        self.embedding_width = int(self.weights[f"kernel_{len(plan) - 1}"].shape[0])

    @classmethod
    def load(cls, onnx_path, weights_path):
        """Read a network's two serving files; raise ServingFilesError saying what is wrong with them."""
        for path in (onnx_path, weights_path):
            if not Path(path).is_file():
                raise ServingFilesError(f"{Path(path).name} is missing")
        try:
            with np.load(weights_path, allow_pickle=False) as saved:
                weights = {name: saved[name] for name in saved.files}
            plan = json.loads(str(weights.pop(PLAN)))
        except Exception as error:  # truncated, not an .npz, no plan, or a plan that is not JSON
            raise ServingFilesError(f"{Path(weights_path).name} is damaged ({type(error).__name__})") from None
        _check_plan(plan, weights)
        try:
            session = _session(onnx_path)
        except Exception as error:  # ONNX Runtime refuses the file: damaged, or ops it lacks
            raise ServingFilesError(f"{Path(onnx_path).name} cannot be read ({type(error).__name__})") from None
        network = cls(session, plan, weights)
        network._check_outputs()
        return network

    def _check_outputs(self):
        expected = {hidden_name(i) for i in range(len(self.hidden))} | {EMBEDDING, PROBABILITIES}
        if {output.name for output in self.session.get_outputs()} != expected or (
            [item.name for item in self.session.get_inputs()] != [INPUT]
        ):
            raise ServingFilesError("the ONNX file's outputs are not the layers its weights file describes")
        try:
            inside = self.look(np.zeros(IMAGE_SHAPE[:2], dtype=np.float32))
        except Exception as error:
            raise ServingFilesError(f"the ONNX file does not run ({type(error).__name__})") from None
        if inside.probabilities.shape != (NUM_CLASSES,) or inside.embedding.shape != (self.embedding_width,):
            raise ServingFilesError("the ONNX file's outputs do not have the shapes of its weights")

    def _run(self, names, images):
        return self.session.run(names, {INPUT: to_inputs(images)})

    def classify(self, images, batch=BATCH, shifted=True):
        """(n, 10) class probabilities of (n, 28, 28) images (uint8, or floats in [0, 1]), each the
        mean over the image's shifted copies (config.py's SHIFTS), unless `shifted` is False."""
        if len(images) == 0:
            return np.zeros((0, NUM_CLASSES))
        step = max(1, batch // len(SHIFTS)) if shifted else batch

        def read(part):
            return (
                averaged(self._run([PROBABILITIES], shifted_copies(part))[0])
                if shifted
                else (self._run([PROBABILITIES], part)[0])
            )

        return np.concatenate([read(images[start : start + step]) for start in range(0, len(images), step)]).astype(
            np.float64
        )

    def predict_one(self, image):
        """The ten class probabilities of one (28, 28) image, as classify reads it."""
        return self.classify(np.asarray(image)[None])[0]

    def embeddings(self, images, batch=EMBEDDING_BATCH):
        """The last hidden layer of (n, 28, 28) images, as (n, d) float32."""
        values = np.empty((len(images), self.embedding_width), dtype=np.float32)  # filled in place: no copies
        for start in range(0, len(images), batch):
            part = self._run([EMBEDDING], images[start : start + batch])[0]
            values[start : start + len(part)] = part.reshape(len(part), -1)
        return values

    def look(self, image):
        """Run one (28, 28) image through the network and keep every hidden layer's output. The
        probabilities are classify's, the mean over its shifted copies; the layers are the image's own."""
        names = [hidden_name(i) for i in range(len(self.hidden))]
        *activations, embedding, probabilities = self._run(
            [*names, EMBEDDING, PROBABILITIES], shifted_copies(np.asarray(image)[None])
        )
        return Inside(
            np.asarray(averaged(probabilities)[0], dtype=np.float64),
            [(name, np.asarray(values[0])) for name, values in zip(names, activations)],
            np.asarray(embedding[0]).reshape(-1),
        )

    def saliency(self, image, class_index, inside=None):
        """Gradient × input of one class's score, as a (28, 28) map: positive where the pixel's
        ink raised the score, negative where it lowered it, 0 where there is no ink.

        The score is the output neuron's weighted sum z, before softmax or sigmoid squash it: a
        confident network's probability is flat near 1, so its gradient says almost nothing.
        `inside` is this image's `look`, if it has been run already."""
        inputs = to_inputs(np.asarray(image)[None])[0].astype(np.float64)
        inside = inside or self.look(image)
        with threadpool_limits(1):  # small products: a pool of threads would only wait on itself
            gradient = self._input_gradient(inputs, inside, int(class_index))
        return (gradient * inputs)[:, :, 0]

    def _input_gradient(self, inputs, inside, class_index):
        """Backpropagation from one output neuron's z to the image: dz/dz = 1, then through each
        layer, last to first, by the chain rule."""
        last = len(self.plan) - 1
        gradient = self.weights[f"kernel_{last}"][:, class_index]  # dz/d(embedding): z = embedding · w + b
        outputs = [np.asarray(values, dtype=np.float64) for _, values in inside.activations]
        for index in reversed(range(len(self.hidden))):
            layer, output = self.hidden[index], outputs[index]
            kernel = self.weights[f"kernel_{index}"]
            if layer["kind"] == "dense":
                gradient = kernel @ (gradient.reshape(-1) * SLOPES[layer["activation"]](output))
                continue
            if layer.get("pool"):
                size = layer["pool"]
                pooled_shape = (output.shape[0] // size, output.shape[1] // size, output.shape[2])
                gradient = _unpool(gradient.reshape(pooled_shape), output, size)
            gradient = gradient.reshape(output.shape) * SLOPES[layer["activation"]](output)
            gradient = _conv_back(gradient, kernel, layer["padding"])
        return gradient.reshape(inputs.shape)

    def first_layer_pictures(self):
        """What the first layer looks for: (n, 28, 28) incoming weights per hidden neuron of a dense
        network, or (n, k, k) filters of a convolutional one."""
        kernel = self.weights["kernel_0"]
        if kernel.ndim == 4:  # a convolution: (k, k, 1, filters)
            return np.moveaxis(kernel[:, :, 0, :], -1, 0)
        return kernel.T.reshape(-1, *IMAGE_SHAPE[:2])  # dense after flattening: (784, units)
