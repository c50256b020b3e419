"""Building and training MNIST networks: seeded training with progress callbacks, and the
trainer's own predictions. Imports TensorFlow, so only trainer processes (core/digits/training.py,
core/lab/tuning.py), the benches and the tests use it; the web server serves with
core/digits/network.py. What a network is (its Config, the presets) is in core/digits/config.py.
"""

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from core.digits import scoring  # noqa: E402
from core.digits.config import (  # noqa: E402,F401  (re-exported: the trainers' code reads them here)
    ACTIVATIONS,
    BATCH_SIZES,
    DEFAULT,
    IMAGE_SHAPE,
    LABEL_SMOOTHING,
    LEARNING_RATES,
    LIMITS,
    MAX_LAYERS,
    MAX_PARAMETERS,
    NUM_CLASSES,
    PRESET_NAMES,
    PRESETS,
    SHIFTS,
    VALIDATION_SHARE,
    Config,
    averaged,
    layers,
    parameter_count,
    preset_keys,
    shifted_copies,
    to_inputs,
    validate,
    validation_split,
)


def quadratic_cost(y_true, y_pred):
    """Nielsen's cost C = ½‖y − a‖² per digit (Keras then averages over the batch)."""
    return 0.5 * keras.ops.sum(keras.ops.square(y_true - y_pred), axis=-1)


def build(config):
    """Return the untrained Keras model for a configuration (train() compiles it): its layers as
    core/digits/config.py's `layers` lists them, the same list the code view writes."""
    outputs = inputs = keras.Input(IMAGE_SHAPE, name="image")
    for layer in layers(config):
        outputs = getattr(keras.layers, layer.kind)(*layer.arguments, **dict(layer.options))(outputs)
    return keras.Model(inputs, outputs, name=config.preset)


class ProgressCallback(keras.callbacks.Callback):
    """Report training progress to a plain function, `report(phase, step, steps, history)` (the
    signature of core/jobs/local.py's Reporter): no printing, no Streamlit. Step 0 is an epoch's end.
    The history reported also holds `seconds`, the time since training began: the clock the page
    counts with, and the one the finished network's history keeps."""

    def __init__(self, report, steps_per_epoch):
        super().__init__()
        self.report, self.steps_per_epoch = report, steps_per_epoch
        self.history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        self.started = time.perf_counter()

    def on_train_begin(self, logs=None):
        self.started = time.perf_counter()

    def _report(self, step):
        self.report(
            "training", step, self.steps_per_epoch, {**self.history, "seconds": time.perf_counter() - self.started}
        )

    def on_train_batch_end(self, batch, logs=None):
        self._report(batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        for name in self.history:
            self.history[name].append(float(logs[name]))
        self._report(0)


def _optimizer(config, steps_per_epoch):
    if config.preset == "nielsen":
        return keras.optimizers.SGD(config.learning_rate)
    # Warm up for half an epoch, then glide down a cosine: fast early progress, a calm finish.
    total, warmup = steps_per_epoch * config.epochs, steps_per_epoch // 2
    schedule = keras.optimizers.schedules.CosineDecay(
        config.learning_rate / 10,
        decay_steps=max(1, total - warmup),
        warmup_target=config.learning_rate,
        warmup_steps=warmup,
    )
    return keras.optimizers.Adam(schedule)


def train(config, data, report=None, extra=None):
    """Train a fresh model on data (MnistData); return (model, history).

    history holds per-epoch lists loss, accuracy, val_loss, val_accuracy, plus seconds.
    The last 1/12 of the training digits are held out for validation. `extra`, if given, is
    (images, labels) of more digits to learn from, never used for validation. Seeded.
    """
    keras.utils.set_random_seed(config.seed)
    x, y = to_inputs(data.x_train), keras.utils.to_categorical(data.y_train, NUM_CLASSES)
    n_validation = validation_split(len(x))[1]
    x_fit, y_fit, x_val, y_val = x[:-n_validation], y[:-n_validation], x[-n_validation:], y[-n_validation:]
    if extra is not None:
        x_fit = np.concatenate([x_fit, to_inputs(extra[0])])
        y_fit = np.concatenate([y_fit, keras.utils.to_categorical(extra[1], NUM_CLASSES)])
    steps_per_epoch = int(np.ceil(len(x_fit) / config.batch_size))
    model = build(config)
    loss = (
        quadratic_cost
        if config.preset == "nielsen"
        else keras.losses.CategoricalCrossentropy(label_smoothing=LABEL_SMOOTHING)
    )
    model.compile(
        optimizer=_optimizer(config, steps_per_epoch),
        loss=loss,
        metrics=["accuracy"],
        steps_per_execution=min(8, steps_per_epoch),
    )
    progress = ProgressCallback(report or (lambda *_: None), steps_per_epoch)
    model.fit(
        x_fit,
        y_fit,
        batch_size=config.batch_size,
        epochs=config.epochs,
        validation_data=(x_val, y_val),
        callbacks=[progress],
        verbose=0,
    )
    return model, {**progress.history, "seconds": time.perf_counter() - progress.started}


def embedding_width(model):
    """How many values the last hidden layer holds (what the output layer reads)."""
    return int(np.prod(model.get_layer("probabilities").input.shape[1:]))


def classify(model, images, batch=500, shifted=True):
    """Return (n, 10) class probabilities for (n, 28, 28) images, `batch` at a time with
    predict_on_batch (no data pipeline set up per call, as model.predict would). Each image is read
    as the app reads it, averaged over its shifted copies (config.py's SHIFTS), unless `shifted` is False."""
    if len(images) == 0:
        return np.zeros((0, NUM_CLASSES))

    step = max(1, batch // len(SHIFTS)) if shifted else batch  # `batch` counts the copies

    def read(part):
        if not shifted:
            return np.asarray(model.predict_on_batch(to_inputs(part)))
        return averaged(model.predict_on_batch(to_inputs(shifted_copies(part))))

    return np.concatenate([read(images[start : start + step]) for start in range(0, len(images), step)])


def evaluate(model, data, gallery_size=24, shifted=True):
    """Return test accuracy, per-class accuracy, the confusion matrix and the most confident
    mistakes (index, true, predicted, confidence) on data's test digits."""
    return scoring.evaluation(classify(model, data.x_test, shifted=shifted), data.y_test, gallery_size)
