"""Teach a trained network a class's handwriting (in a trainer process: fine_tune imports Keras): a few more epochs on the class's own digits, mixed
with MNIST training digits so that it does not forget MNIST, starting from a copy of the network.

The class's digits are split first: a share is held out, never trained on, so that "before" and
"after" are measured on digits the fine-tuned network has not seen, as MNIST's test set is.
"""

import time
from dataclasses import dataclass

import numpy as np

from core.digits.config import NUM_CLASSES, to_inputs
from core.i18n import N_

HELD_OUT_SHARE = 0.3
EPOCHS = 4
LEARNING_RATE = 3e-4  # 17 times smaller than a fresh start's 0.005: nudge the weights, do not overwrite them
CLASS_REPEATS = 8  # each class digit is seen this many times an epoch
MNIST_PER_CLASS_DIGIT = 20  # MNIST training digits mixed in for each class digit (at least 2,000)


TOO_FEW = N_(
    "too few drawings to learn from some and keep others apart to measure on: add at least two drawings of some digit"
)


@dataclass(frozen=True)
class Split:
    train: np.ndarray  # indices of the class digits to learn from
    held_out: np.ndarray  # indices kept apart to measure on


def split(labels, seed=0, share=HELD_OUT_SHARE):
    """Hold out about `share` of the class's digits, of every digit where there are two or more."""
    rng = np.random.default_rng(seed)
    held_out = []
    for digit in np.unique(labels):
        mine = rng.permutation(np.flatnonzero(labels == digit))
        if len(mine) >= 2:
            held_out.extend(mine[: max(1, round(len(mine) * share))])
    held = np.zeros(len(labels), dtype=bool)
    held[held_out] = True
    return Split(np.flatnonzero(~held), np.flatnonzero(held))


def _too_few(parts):
    return len(parts.held_out) == 0 or len(parts.train) == 0


def problem(labels):
    """Why these class digits cannot be taught yet, in words, or None: some must be held out to
    measure on, which needs at least two drawings of some digit (the same test fine_tune makes)."""
    return TOO_FEW if _too_few(split(np.asarray(labels))) else None


def accuracy(model, images, labels):
    """Share of uint8 (n, 28, 28) images the model reads as their labels (nan for none)."""
    from core.digits.model import classify

    if len(labels) == 0:
        return float("nan")
    return float(np.mean(classify(model, images).argmax(axis=1) == labels))


def _mixed(x_trained, y_trained, mnist, seed):
    """The digits to fine-tune on: each class drawing CLASS_REPEATS times, and MNIST training digits
    (MNIST_PER_CLASS_DIGIT for each class drawing, at least 2,000) so the network keeps reading
    MNIST's; returns the pictures, their digits, and how many MNIST digits were mixed in."""
    rng = np.random.default_rng(seed)
    n_mnist = max(2000, MNIST_PER_CLASS_DIGIT * len(y_trained))
    picked = rng.choice(len(mnist.x_train), size=min(n_mnist, len(mnist.x_train)), replace=False)
    x = np.concatenate([np.repeat(x_trained, CLASS_REPEATS, axis=0), mnist.x_train[picked]])
    y = np.concatenate([np.repeat(y_trained, CLASS_REPEATS), mnist.y_train[picked]])
    return x, y, int(len(picked))


def _before_and_after(model, tuned, held, mnist):
    """The share read right, before and after, of the held-out class digits and of MNIST's test digits."""
    return {
        "held_out_before": accuracy(model, *held),
        "held_out_after": accuracy(tuned, *held),
        "mnist_test_before": accuracy(model, mnist.x_test, mnist.y_test),
        "mnist_test_after": accuracy(tuned, mnist.x_test, mnist.y_test),
    }


def fine_tune(model, x_class, y_class, mnist, seed=0, epochs=EPOCHS, report=None, parts=None):
    """Return (a fine-tuned copy of `model`, a summary with before/after accuracies on the held-out
    class digits and on MNIST's test digits, and the seconds it took). `mnist` is MnistData;
    `parts` (a Split) says which class digits to hold out, else `split` chooses. Raises ValueError
    when too few digits leave none to hold out."""
    import keras

    from core.digits.model import ProgressCallback

    parts = parts or split(y_class, seed)
    if _too_few(parts):
        raise ValueError(TOO_FEW)
    keras.utils.set_random_seed(seed)
    tuned = keras.models.clone_model(model)
    tuned.set_weights(model.get_weights())
    x, y, mixed_in = _mixed(x_class[parts.train], y_class[parts.train], mnist, seed)
    tuned.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), loss="categorical_crossentropy", metrics=["accuracy"])
    steps = int(np.ceil(len(x) / 64))
    progress = ProgressCallback(report or (lambda *_: None), steps)
    started = time.perf_counter()
    held = (x_class[parts.held_out], y_class[parts.held_out])
    validation = (to_inputs(held[0]), keras.utils.to_categorical(held[1], NUM_CLASSES))
    tuned.fit(
        to_inputs(x),
        keras.utils.to_categorical(y, NUM_CLASSES),
        batch_size=64,
        epochs=epochs,
        shuffle=True,
        verbose=0,
        callbacks=[progress],
        validation_data=validation,
    )
    seconds = time.perf_counter() - started
    summary = {
        "class_digits_trained_on": int(len(parts.train)),
        "class_digits_held_out": int(len(parts.held_out)),
        "mnist_digits_mixed_in": mixed_in,
        "epochs": epochs,
        "seconds": round(seconds, 1),
        **_before_and_after(model, tuned, held, mnist),
        "history": progress.history,  # per epoch: loss and accuracy, and on the held-out digits val_*
    }
    return tuned, summary
