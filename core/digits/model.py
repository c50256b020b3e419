"""MNIST networks: presets, building, seeded training with progress callbacks, and fast
single-image prediction. Imports TensorFlow, so only the MNIST page and its core modules use it.

Images are (n, 28, 28) floats in [0, 1], white digit on black; labels are integers 0–9.
"""
import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from core.digits import scoring  # noqa: E402

NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
VALIDATION_SHARE = 1 / 12  # 5,000 of the 60,000 training digits are held out to watch for over-fitting


# What the learner may choose in the training form, checked before anything trains. Every
# preset's own values are among these.
ACTIVATIONS = ("relu", "sigmoid", "tanh")
BATCH_SIZES = (10, 32, 64, 128, 256, 512)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
LIMITS = {"hidden": (1, 512), "epochs": (1, 30)}
MAX_LAYERS = {"convolutional": 3, "nielsen": 4, "dense": 4}  # hidden layers (blocks of filters)
MAX_PARAMETERS = 1_000_000  # about 4 MB of weights; the presets have 101,770 at most


@dataclass(frozen=True)
class Config:
    """Everything that decides what a trained model is; its hash names the cached file."""

    preset: str = "convolutional"
    hidden: tuple = (16, 32, 64)  # dense: neurons per hidden layer; convolutional: filters per block
    activation: str = "relu"
    epochs: int = 7
    batch_size: int = 256
    learning_rate: float = 0.005
    seed: int = 0

    def __post_init__(self):
        """Every Config is checked once, here, where it is made: a link's, the form's, a saved
        network's card, or one unpickled in a training process."""
        try:
            object.__setattr__(self, "hidden", tuple(int(size) for size in self.hidden))
        except (TypeError, ValueError):
            raise ValueError("the layer sizes must be whole numbers") from None
        validate(self)

    def key(self, data_id):
        """Return a short stable name for this configuration trained on data `data_id`."""
        text = json.dumps({**dataclasses.asdict(self), "data": data_id}, sort_keys=True)
        return f"{self.preset}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


def validate(config):
    """Raise ValueError naming the first setting that is outside its sane bounds (Config calls it)."""
    if config.preset not in MAX_LAYERS:
        raise ValueError(f"unknown preset {config.preset!r}; choose one of {sorted(MAX_LAYERS)}")
    if config.activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {config.activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    most = MAX_LAYERS[config.preset]
    if not 1 <= len(config.hidden) <= most:
        kind = "blocks" if config.preset == "convolutional" else "hidden layers"
        raise ValueError(f"the {config.preset} network takes 1 to {most} {kind}, got {len(config.hidden)}")
    low, high = LIMITS["hidden"]
    if not all(low <= int(size) <= high for size in config.hidden):
        raise ValueError(f"each hidden layer needs {low} to {high} units, got {config.hidden}")
    if parameter_count(config) > MAX_PARAMETERS:
        raise ValueError(f"this network would have {parameter_count(config):,} weights and biases; "
                         f"at most {MAX_PARAMETERS:,} can be trained here")
    low, high = LIMITS["epochs"]
    if not low <= config.epochs <= high:
        raise ValueError(f"epochs must be between {low} and {high}, got {config.epochs}")
    for name, options in (("batch_size", BATCH_SIZES), ("learning_rate", LEARNING_RATES)):
        if getattr(config, name) not in options:
            raise ValueError(f"{name} must be one of {', '.join(f'{option:g}' for option in options)}, "
                             f"got {getattr(config, name)}")
    return config


def parameter_count(config):
    """Return how many weights and biases `build(config)` has, counted without building it."""
    if config.preset != "convolutional":
        sizes = (IMAGE_SHAPE[0] * IMAGE_SHAPE[1], *config.hidden, NUM_CLASSES)
        return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes, sizes[1:]))
    side, channels, total = IMAGE_SHAPE[0], IMAGE_SHAPE[2], 0
    for index, filters in enumerate(config.hidden):
        total += 3 * 3 * channels * filters + filters  # a 3×3 convolution
        side, channels = side - (0 if index == 0 else 2), filters  # later ones lose a pixel each side
        if index < 2:
            side //= 2  # max pooling
        if side < 1:
            return float("inf")  # nothing left to look at: cannot be built
    return total + side * side * channels * NUM_CLASSES + NUM_CLASSES


PRESETS = {
    "convolutional": Config(),
    # Nielsen's network from the book: 784-30-10 sigmoid, quadratic cost, plain SGD, η = 3.0.
    "nielsen": Config(preset="nielsen", hidden=(30,), activation="sigmoid", epochs=6, batch_size=10,
                      learning_rate=3.0),
    "dense": Config(preset="dense", hidden=(128,), activation="relu", epochs=8, batch_size=128,
                    learning_rate=0.003),
}
PRESET_NAMES = {
    "convolutional": "Convolutional network (best)",
    "nielsen": "Nielsen's network 784-30-10",
    "dense": "Dense network 784-128-10",
}
DEFAULT = PRESETS["convolutional"]


def preset_keys(data_id):
    """The keys of the presets trained on this data: the model folder never deletes them."""
    return {preset.key(data_id) for preset in PRESETS.values()}

def quadratic_cost(y_true, y_pred):
    """Nielsen's cost C = ½‖y − a‖² per digit (Keras then averages over the batch)."""
    return 0.5 * keras.ops.sum(keras.ops.square(y_true - y_pred), axis=-1)


def _conv_block(filters, activation, first):
    # A 3×3 convolution. The first keeps the 28×28 size; later ones shrink it, which keeps
    # training fast on a CPU. (Batch norm was no more accurate and twice as slow: bench/README.md.)
    return [keras.layers.Conv2D(filters, 3, padding="same" if first else "valid", activation=activation)]


def build(config):
    """Return the untrained Keras model for a configuration (train() compiles it)."""
    inputs = keras.Input(IMAGE_SHAPE, name="image")
    if config.preset == "convolutional":
        layers = [
            # small random shifts and turns: more like real handwriting, and less over-fitting
            keras.layers.RandomTranslation(0.08, 0.08, fill_mode="constant", seed=config.seed),
            keras.layers.RandomRotation(0.04, fill_mode="constant", seed=config.seed),
        ]
        for index, filters in enumerate(config.hidden):
            layers += _conv_block(int(filters), config.activation, first=index == 0)
            if index < 2:
                layers.append(keras.layers.MaxPooling2D(2))
        layers += [keras.layers.Flatten(), keras.layers.Dropout(0.25),
                   keras.layers.Dense(NUM_CLASSES, activation="softmax", name="probabilities")]
    else:
        layers = [keras.layers.Flatten()]
        layers += [keras.layers.Dense(int(size), activation=config.activation) for size in config.hidden]
        output_activation = "sigmoid" if config.preset == "nielsen" else "softmax"
        layers += [keras.layers.Dense(NUM_CLASSES, activation=output_activation, name="probabilities")]
    outputs = inputs
    for layer in layers:
        outputs = layer(outputs)
    return keras.Model(inputs, outputs, name=config.preset)


def to_inputs(images):
    """Return uint8 or float images (n, 28, 28) as float32 (n, 28, 28, 1) in [0, 1]."""
    images = np.asarray(images)
    scaled = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)
    return scaled[..., None]


class ProgressCallback(keras.callbacks.Callback):
    """Report training progress to a plain function, `report(phase, step, steps, history)` (the
    signature of core/background.py's Reporter): no printing, no Streamlit. Step 0 is an epoch's end."""

    def __init__(self, report, steps_per_epoch):
        super().__init__()
        self.report, self.steps_per_epoch = report, steps_per_epoch
        self.history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    def on_train_batch_end(self, batch, logs=None):
        self.report("training", batch + 1, self.steps_per_epoch, self.history)

    def on_epoch_end(self, epoch, logs=None):
        for name in self.history:
            self.history[name].append(float(logs[name]))
        self.report("training", 0, self.steps_per_epoch, self.history)


def _optimizer(config, steps_per_epoch):
    if config.preset == "nielsen":
        return keras.optimizers.SGD(config.learning_rate)
    # Warm up for half an epoch, then glide down a cosine: fast early progress, a calm finish.
    total, warmup = steps_per_epoch * config.epochs, steps_per_epoch // 2
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate / 10, decay_steps=max(1, total - warmup),
        warmup_target=config.learning_rate, warmup_steps=warmup)
    return keras.optimizers.Adam(schedule)


def train(config, data, report=None, extra=None):
    """Train a fresh model on data (MnistData); return (model, history).

    history holds per-epoch lists loss, accuracy, val_loss, val_accuracy, plus seconds.
    The last 1/12 of the training digits are held out for validation. `extra`, if given, is
    (images, labels) of more digits to learn from, never used for validation. Seeded.
    """
    import time

    keras.utils.set_random_seed(config.seed)
    x, y = to_inputs(data.x_train), keras.utils.to_categorical(data.y_train, NUM_CLASSES)
    n_validation = max(1, int(len(x) * VALIDATION_SHARE))
    x_fit, y_fit, x_val, y_val = x[:-n_validation], y[:-n_validation], x[-n_validation:], y[-n_validation:]
    if extra is not None:
        x_fit = np.concatenate([x_fit, to_inputs(extra[0])])
        y_fit = np.concatenate([y_fit, keras.utils.to_categorical(extra[1], NUM_CLASSES)])
    steps_per_epoch = int(np.ceil(len(x_fit) / config.batch_size))
    model = build(config)
    loss = quadratic_cost if config.preset == "nielsen" else "categorical_crossentropy"
    model.compile(optimizer=_optimizer(config, steps_per_epoch), loss=loss, metrics=["accuracy"],
                  steps_per_execution=min(8, steps_per_epoch))
    progress = ProgressCallback(report or (lambda *_: None), steps_per_epoch)
    started = time.perf_counter()
    model.fit(x_fit, y_fit, batch_size=config.batch_size, epochs=config.epochs,
              validation_data=(x_val, y_val), callbacks=[progress], verbose=0)
    return model, {**progress.history, "seconds": time.perf_counter() - started}


def serve_one_image_at_a_time():
    """Make TensorFlow run each operation in the calling thread. For one 28 × 28 image that is
    fastest, and in a server sharing its cores with other sessions (or a browser) it avoids the
    worker threads of a pool waiting on each other (bench/README.md has the figures). Must be called before TensorFlow runs its first operation;
    returns False if it is too late (the setting is then left as it is)."""
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        return False
    return True


def predict_one(model, image):
    """Return the ten class probabilities for one (28, 28) image in [0, 1].

    Uses predict_on_batch: model.predict sets up a whole data pipeline on every call, which costs
    far more than the prediction itself.
    """
    return np.asarray(model.predict_on_batch(to_inputs(image[None]))[0], dtype=np.float64)


def classify(model, images, batch=500):
    """Return (n, 10) class probabilities for (n, 28, 28) images, `batch` at a time with
    predict_on_batch (no data pipeline set up per call, as model.predict would)."""
    if len(images) == 0:
        return np.zeros((0, NUM_CLASSES))
    return np.concatenate([np.asarray(model.predict_on_batch(to_inputs(images[start:start + batch])))
                           for start in range(0, len(images), batch)])


def evaluate(model, data, gallery_size=24):
    """Return test accuracy, per-class accuracy, the confusion matrix and the most confident
    mistakes (index, true, predicted, confidence) on data's test digits."""
    probabilities = model.predict(to_inputs(data.x_test), batch_size=500, verbose=0)
    predicted = probabilities.argmax(axis=1)
    truth = data.y_test.astype(int)
    confusion = scoring.confusion(truth, predicted)
    wrong = scoring.confident_mistakes(probabilities, truth)[:gallery_size]
    return {
        "accuracy": float(np.mean(predicted == truth)),
        "n_test": int(len(truth)),
        "per_class": (np.diag(confusion) / np.maximum(confusion.sum(axis=1), 1)).tolist(),
        "confusion": confusion.tolist(),
        "mistakes": [{"index": int(i), "true": int(truth[i]), "predicted": int(predicted[i]),
                      "confidence": float(probabilities[i, predicted[i]])} for i in wrong],
    }
