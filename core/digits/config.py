"""What decides an MNIST network: its configuration (`Config`), the presets, the bounds a learner's
choices are checked against, and the images' format. Plain Python and numpy: the web server reads
these without TensorFlow (core/digits/model.py builds and trains what they describe).

Images are (n, 28, 28) floats in [0, 1], white digit on black; labels are integers 0–9.
"""

import dataclasses
import hashlib
import json
from dataclasses import dataclass

import numpy as np

from core.i18n import N_, sentence

NUM_CLASSES = 10
IMAGE_SHAPE = (28, 28, 1)
VALIDATION_SHARE = 1 / 12  # 5,000 of the 60,000 training digits are held out to watch for over-fitting


def validation_split(n_train):
    """(digits learnt from, digits held out for validation) of `n_train` training digits: the last
    VALIDATION_SHARE of them are held out."""
    held = max(1, int(n_train * VALIDATION_SHARE))
    return n_train - held, held


# What the learner may choose in the training form, checked before anything trains. Every
# preset's own values are among these.
ACTIVATIONS = ("relu", "sigmoid", "tanh")
BATCH_SIZES = (10, 32, 64, 128, 256, 512)
LEARNING_RATES = (0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
LIMITS = {"hidden": (1, 512), "epochs": (1, 30)}
MAX_LAYERS = {"convolutional": 3, "nielsen": 4, "dense": 4}  # hidden layers (blocks of filters)
# Cross-entropy against 0.91 for the right digit and 0.01 for each other one, not 1 and 0: the network
# is never pushed to be 100% sure (part of the default recipe, measured in bench/README.md), so its
# answers top out near 91% sure. Nielsen's preset keeps its quadratic cost.
LABEL_SMOOTHING = 0.1


def smoothed_targets(smoothing=LABEL_SMOOTHING):
    """What training with label smoothing asks of the network: (for the right digit, for each of
    the nine others), 1 − s + s/10 and s/10 (Keras's formula), instead of 1 and 0."""
    return 1 - smoothing + smoothing / NUM_CLASSES, smoothing / NUM_CLASSES


def loss_floor(smoothing=LABEL_SMOOTHING):
    """The lowest cross-entropy possible against smoothed targets: their own entropy,
    −(p·ln p + 9·q·ln q), reached only when the network answers exactly the targets."""
    right, other = smoothed_targets(smoothing)
    return float(-(right * np.log(right) + (NUM_CLASSES - 1) * other * np.log(other)))


MAX_PARAMETERS = 1_000_000  # about 4 MB of weights; the presets have 101,770 at most


@dataclass(frozen=True)
class Config:
    """Everything that decides what a trained model is; its hash names the cached file."""

    preset: str = "convolutional"
    hidden: tuple = (16, 48, 96)  # dense: neurons per hidden layer; convolutional: filters per block
    activation: str = "relu"
    epochs: int = 6
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
        """Return a short stable name for this configuration trained on data `data_id`. The layers it
        makes (augmentation and dropout included) are part of the name, so that a network saved before
        the recipe changed is never taken for one of today's."""
        plan = [(layer.kind, layer.arguments, layer.options) for layer in layers(self)]  # JSON writes tuples as lists
        text = json.dumps(
            {**dataclasses.asdict(self), "data": data_id, "layers": plan, "label_smoothing": LABEL_SMOOTHING},
            sort_keys=True,
        )
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
        raise ValueError(
            f"this network would have {parameter_count(config):,} weights and biases; "
            f"at most {MAX_PARAMETERS:,} can be trained here"
        )
    low, high = LIMITS["epochs"]
    if not low <= config.epochs <= high:
        raise ValueError(f"epochs must be between {low} and {high}, got {config.epochs}")
    for name, options in (("batch_size", BATCH_SIZES), ("learning_rate", LEARNING_RATES)):
        if getattr(config, name) not in options:
            raise ValueError(
                f"{name} must be one of {', '.join(f'{option:g}' for option in options)}, got {getattr(config, name)}"
            )
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


@dataclass(frozen=True)
class Layer:
    """One layer of a network, as Keras names it: `keras.layers.<kind>(*arguments, **options)`.
    core/digits/model.py builds these and the code view writes them; `why` says it in words."""

    kind: str
    arguments: tuple = ()
    options: tuple = ()  # (name, value) pairs, in order
    why: str = ""  # a marked sentence (or one kept with its values): the code view shows it translated


def layers(config):
    """The network's layers in order, after its 28 × 28 × 1 input: what `model.build` makes."""
    return _convolutional_layers(config) if config.preset == "convolutional" else _dense_layers(config)


def _dense_layers(config):
    """Layers of neurons that each see every input (the book's network and its wider cousin)."""
    act = config.activation
    output = "sigmoid" if config.preset == "nielsen" else "softmax"
    return (
        Layer("Flatten", why=N_("the 28 × 28 pixels in one row of 784 inputs")),
        *(
            Layer(
                "Dense",
                (int(size),),
                (("activation", act),),
                sentence(N_("{count} neurons, each seeing every input"), count=size),
            )
            for size in config.hidden
        ),
        Layer(
            "Dense",
            (NUM_CLASSES,),
            (("activation", output), ("name", "probabilities")),
            N_("one output per digit, 0 to 9: its sigmoid, as in the book")
            if output == "sigmoid"
            else N_("one output per digit, 0 to 9: softmax makes them probabilities adding up to 1"),
        ),
    )


def _shifts_and_turns(seed):
    """While training only, each digit moved and turned a little: the network learns digits, not places."""
    # Mild shifts and turns: halving them from 0.08 / 0.04 brought MNIST to the goal in every seed's
    # cross-validation, with pen digits as well read (bench/README.md, the row on shifts and turns).
    return (
        Layer(
            "RandomTranslation",
            (0.04, 0.04),
            (("fill_mode", "constant"), ("seed", seed)),
            N_("while training only: shift each digit up to 0.04 of its width and height, about a pixel"),
        ),
        Layer(
            "RandomRotation",
            (0.02,),
            (("fill_mode", "constant"), ("seed", seed)),
            N_("while training only: turn it a little (0.02 of a full turn at most, about 7°)"),
        ),
    )


def _convolutional_layers(config):
    """Shifts and turns while training, convolutions and pooling, then one layer of ten outputs."""
    act = config.activation
    plan = list(_shifts_and_turns(config.seed))
    for index, filters in enumerate(config.hidden):
        # The first convolution keeps the 28 × 28 size; later ones lose a pixel each side, which
        # keeps training fast on a CPU. (Batch norm was no more accurate and twice as slow: bench/README.md.)
        padding = "same" if index == 0 else "valid"
        plan.append(
            Layer(
                "Conv2D",
                (int(filters), 3),
                (("padding", padding), ("activation", act)),
                sentence(N_("{count} filters, each a 3 × 3 patch of weights slid over the picture"), count=filters),
            )
        )
        if index < 2:
            plan.append(Layer("MaxPooling2D", (2,), why=N_("keep the largest of each 2 × 2 square: half the size")))
    plan += [
        Layer("Flatten", why=N_("everything the filters found, in one row")),
        Layer("Dropout", (0.25,), why=N_("while training only: drop a random quarter, so no one value is relied on")),
        Layer(
            "Dense",
            (NUM_CLASSES,),
            (("activation", "softmax"), ("name", "probabilities")),
            N_("one output per digit: softmax makes them probabilities adding up to 1"),
        ),
    ]
    return tuple(plan)


PRESETS = {
    "convolutional": Config(),
    # Nielsen's network from the book: 784-30-10 sigmoid, quadratic cost, plain SGD, η = 3.0.
    "nielsen": Config(preset="nielsen", hidden=(30,), activation="sigmoid", epochs=6, batch_size=10, learning_rate=3.0),
    "dense": Config(preset="dense", hidden=(128,), activation="relu", epochs=8, batch_size=128, learning_rate=0.003),
}
PRESET_NAMES = {  # English, marked to be shown in the reader's language (core/i18n.py)
    "convolutional": N_("Convolutional network (best)"),
    "nielsen": N_("Nielsen's network 784-30-10"),
    "dense": N_("Dense network 784-128-10"),
}
DEFAULT = PRESETS["convolutional"]


def preset_keys(data_id):
    """The keys of the presets trained on this data: the model folder never deletes them."""
    return {preset.key(data_id) for preset in PRESETS.values()}


# Every network reads an image five times, as it is and moved one pixel down, up, right and left, and
# averages the five answers (test-time augmentation): a digit a pixel away from where MNIST's digits
# sit is read as it would be there. It read more digits right (bench/README.md); a reading costs
# five passes instead of one, a small part of a drawing's preparation.
SHIFTS = ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1))  # (rows down, columns right)


def shifted_copies(images):
    """Return (n, 28, 28) images as (len(SHIFTS) * n, 28, 28): each moved by each of SHIFTS, in that
    order, the row or column it leaves black (nothing wraps round). Copy k of image i is at k·n + i."""
    images = np.asarray(images)
    height, width = images.shape[1:3]
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1)))
    return np.concatenate(
        [padded[:, 1 - down : 1 - down + height, 1 - right : 1 - right + width] for down, right in SHIFTS]
    )


def averaged(probabilities):
    """The mean answer over each image's copies: (len(SHIFTS) * n, 10) → (n, 10)."""
    probabilities = np.asarray(probabilities)
    return probabilities.reshape(len(SHIFTS), -1, probabilities.shape[-1]).mean(axis=0)


def to_inputs(images):
    """Return uint8 or float images (n, 28, 28) as float32 (n, 28, 28, 1) in [0, 1]."""
    images = np.asarray(images)
    scaled = images.astype(np.float32) / 255.0 if images.dtype == np.uint8 else images.astype(np.float32)
    return scaled[..., None]
