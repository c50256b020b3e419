"""The code behind the handwriting pages: the Keras network chosen in the form, written from the
same layer list that builds it (core/digits/config.py's `layers`), trained and tested on MNIST; a
drawing prepared by the app's own functions; fine-tuning on a class's drawings; and the few lines
that load a downloaded network. Plain text: writing it imports no Keras."""

from fractions import Fraction

from core.code.listing import Listing, Step, assignments, literal, source_of
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import network as served
from core.digits import preprocess
from core.lab import finetune

LOAD_MNIST = (
    """import importlib.util
import os
from pathlib import Path

import numpy as np
import keras


"""
    + source_of(
        (mnist_data, "SAMPLE_TEST_SIZE"),
        (mnist_data, "SAMPLE_SEED"),
        mnist_data.sample_path,
        mnist_data.stratified_split,
        mnist_data.sample_arrays,
    )
    + """


# MNIST: 60,000 training digits and 10,000 test digits, each 28 × 28 pixels of 0 (black) to 255 (white).
# The page takes the first of these that works, and so does this: a copy named by MNIST_NPZ;
# Keras's download; with no internet, the offline sample above.
if os.environ.get("MNIST_NPZ"):
    with np.load(os.environ["MNIST_NPZ"]) as data:
        x_train, y_train, x_test, y_test = (data[name] for name in ("x_train", "y_train", "x_test", "y_test"))
else:
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:  # Keras says only "URL fetch failure" when it cannot download
        print(f"No download ({error}): the offline sample of 5,000 MNIST digits instead")
        x_train, y_train, x_test, y_test = sample_arrays()
print(f"{len(x_train):,} training digits, {len(x_test):,} test digits")"""
)
QUADRATIC_COST = """def quadratic_cost(y_true, y_pred):
    # Nielsen's cost C = ½‖y − a‖² per digit; Keras averages it over the mini-batch
    return 0.5 * keras.ops.sum(keras.ops.square(y_true - y_pred), axis=-1)"""


def _fraction(share):
    """A share written as the fraction it is, "1 / 12", when that is exactly the same float."""
    fraction = Fraction(share).limit_denominator(100)
    return (
        f"{fraction.numerator} / {fraction.denominator}"
        if fraction.numerator / fraction.denominator == share
        else literal(share)
    )


def layer_code(layer):
    """One layer as Keras code: `keras.layers.Conv2D(16, 3, padding="same", activation="relu")`."""
    arguments = [literal(value) for value in layer.arguments]
    arguments += [f"{name}={literal(value)}" for name, value in layer.options]
    return f"keras.layers.{layer.kind}({', '.join(arguments)})"


def model_code(config, name="model"):
    """`keras.Sequential([...])` for the configuration, one layer a line, each with its reason."""
    lines = [f"    # {layer.why}\n    {layer_code(layer)}," for layer in mnist_config.layers(config)]
    return (
        f"{name} = keras.Sequential([\n    # 28 × 28 pixels, one channel (grey)\n"
        f"    keras.Input({literal(mnist_config.IMAGE_SHAPE)}),\n"
        + "\n".join(lines)
        + f"\n], name={literal(config.preset)})"
    )


def _compile_code(config):
    if config.preset == "nielsen":
        return (
            QUADRATIC_COST + "\n\n\nmodel.compile(optimizer=keras.optimizers.SGD(learning_rate), "
            'loss=quadratic_cost, metrics=["accuracy"])'
        )
    return (
        "# Adam, a kind of gradient descent that adapts each weight's step, with a schedule: the learning\n"
        "# rate starts at a tenth and grows for half an epoch (a warm-up: the first steps, from random\n"
        "# weights, are the least reliable), then shrinks along a cosine curve to 0, so the last steps\n"
        "# only fine-tune\n"
        "steps_per_epoch = math.ceil(len(x_fit) / batch_size)\nwarmup_steps = steps_per_epoch // 2\n"
        "schedule = keras.optimizers.schedules.CosineDecay(\n"
        "    learning_rate / 10, decay_steps=max(1, steps_per_epoch * epochs - warmup_steps),\n"
        "    warmup_target=learning_rate, warmup_steps=warmup_steps)\n"
        f"# label smoothing: aim for {1 - mnist_config.LABEL_SMOOTHING * 9 / 10:g} for the right digit and "
        f"{mnist_config.LABEL_SMOOTHING / 10:g} for each other one, not 1 and 0.\n"
        "# A network pushed to be completely sure of every training digit grows overconfident; so it\n"
        f"# rarely says more than about {1 - mnist_config.LABEL_SMOOTHING * 9 / 10:.0%} sure, even when it is right\n"
        "loss = keras.losses.CategoricalCrossentropy(label_smoothing="
        f"{literal(mnist_config.LABEL_SMOOTHING)})\n"
        'model.compile(optimizer=keras.optimizers.Adam(schedule), loss=loss, metrics=["accuracy"])'
    )


PREPROCESS_CONSTANTS = ("FIELD", "BOX", "INK_LEVEL", "MIN_INK_PIXELS", "REDUCING_GAP")


def reading_steps():
    """Preparing a drawing as MNIST's digits were, with the app's own functions, then reading it."""
    return (
        Step(
            "Preparing a drawing: the app's own functions from `core/digits/preprocess.py`. MNIST's digits "
            "were cropped to their ink, scaled to fit 20 × 20, and centred by their centre of mass in 28 × 28; "
            "a drawing must be prepared the same way, or the network misreads it.",
            "from dataclasses import dataclass\n\nimport scipy.ndimage\nfrom PIL import Image\n\n"
            + source_of(
                *((preprocess, name) for name in PREPROCESS_CONSTANTS),
                preprocess._ink_of_colours,
                preprocess.ink_map,
                preprocess.Steps,
                preprocess.mnist_steps,
            ),
            fold=True,
        ),
        Step(
            "Reading a drawing: here a test digit made to look like the drawing pad's, white ink on a black "
            "280 × 280 square, prepared, then given to the network. The app reads it five times, as it is and "
            "moved one pixel each way, and averages the five answers: a digit a pixel away from where MNIST's "
            "digits sit is then read much as it would be there. `predict` answers ten probabilities per copy, "
            "one per digit; the largest of their means is the answer.",
            source_of((mnist_config, "SHIFTS"), mnist_config.shifted_copies, mnist_config.averaged) + "\n\n\n"
            'drawing = Image.fromarray(x_test[0]).resize((280, 280), Image.Resampling.BILINEAR).convert("RGB")\n'
            "digit = mnist_steps(np.asarray(drawing)).final   # (28, 28), white ink on black, 0 to 1\n"
            "copies = shifted_copies(digit[None])   # (5, 28, 28)\n"
            "probabilities = averaged(model.predict(copies[..., None], verbose=0))[0]\n"
            "answer = int(np.argmax(probabilities))\n"
            'print(f"read as {answer} ({probabilities[answer]:.0%} sure); it is a {y_test[0]}")',
        ),
    )


def handwriting_page(config, train_digits=None):
    """The handwriting page: the chosen network built, compiled, trained and tested on MNIST, then
    reading a drawing. `train_digits` keeps only that many training digits (a quick try, the tests)."""
    validation = mnist_config.VALIDATION_SHARE
    keep = (
        ""
        if train_digits is None
        else (
            f"\nx_train, y_train = x_train[:{int(train_digits)}], y_train[:{int(train_digits)}]   # a quick try on fewer digits"
        )
    )
    return Listing(
        f"Handwriting recognition: {mnist_config.PRESET_NAMES[config.preset]}",
        "Train the page's network on MNIST with Keras, test it on digits it has never seen, and read a drawing. "
        "Runs on a laptop's CPU; each epoch takes seconds to a minute.",
        (
            Step(
                "The settings chosen in the page's form. The seed makes the starting weights, and the order "
                "the digits are visited in, the same every run.",
                f"import math\n\n{assignments(epochs=config.epochs, batch_size=config.batch_size)}\n"
                f"{assignments(learning_rate=config.learning_rate, seed=config.seed)}",
            ),
            Step("The data.", LOAD_MNIST + keep),
            Step(
                f"Preparing the data: pixels scaled to 0–1 with a channel axis, as Keras's layers expect, and "
                "each label written as ten numbers with a 1 at the right digit (one-hot). The last "
                f"{validation:.1%} of the training digits are held out for **validation**: never learnt "
                "from, they show after each epoch whether the network is learning digits or memorising "
                "these ones.",
                f"VALIDATION_SHARE = {_fraction(validation)}\n\n\n"
                + source_of(mnist_config.validation_split, mnist_config.to_inputs)
                + "\n\n\nx, y = to_inputs(x_train), keras.utils.to_categorical(y_train, 10)\n"
                "n_fit, n_validation = validation_split(len(x))\n"
                "x_fit, y_fit = x[:n_fit], y[:n_fit]\n"
                "x_val, y_val = x[n_fit:], y[n_fit:]",
            ),
            Step(
                "The network, one layer a line: the same list of layers the app builds.",
                "keras.utils.set_random_seed(seed)\n" + model_code(config) + "\nmodel.summary()",
            ),
            Step(
                "`compile` chooses how the network learns: the **loss** to make small and the **optimizer**, "
                "the kind of gradient descent that does it, with its learning rate.",
                _compile_code(config),
            ),
            Step(
                f"`fit` trains: {config.epochs} **epochs**, each a pass over every training digit, in "
                f"mini-batches of {config.batch_size} (a **batch size**: one gradient step per mini-batch). "
                "After each epoch it reports the loss and accuracy on the validation digits.",
                "history = model.fit(x_fit, y_fit, batch_size=batch_size, epochs=epochs,\n"
                "                    validation_data=(x_val, y_val), verbose=2)",
            ),
            Step(
                "`evaluate` measures the network on the test digits (10,000 in the full set, written by other "
                "people than the training digits): the accuracy you can expect on new handwriting like MNIST's. "
                "It reads each digit once; the page reads each five times, as the steps below do.",
                "test_loss, test_accuracy = model.evaluate(to_inputs(x_test), keras.utils.to_categorical(y_test, 10),"
                ' verbose=0)\nprint(f"test accuracy: {test_accuracy:.2%}")',
            ),
            *reading_steps(),
            Step(
                "The test digits read as the app reads them, five times each, usually a little higher than "
                "`evaluate`'s single reading. For a network the page trains with these settings, this is the "
                "accuracy its Evaluate section shows (give or take the last digit: training on another computer "
                "does not add up its numbers in quite the same order). The network that comes with the app "
                "learnt from real pen-written digits as well as MNIST's, which this code leaves out, so its "
                "figure on the page is not this one.",
                "test_answers = averaged(model.predict(to_inputs(shifted_copies(x_test)), batch_size=1000, "
                "verbose=0))\ntest_accuracy_read_five_times = float(np.mean(test_answers.argmax(axis=1) == y_test))\n"
                'print(f"test accuracy, each digit read five times: {test_accuracy_read_five_times:.2%}")',
            ),
            Step(
                "Keep the network: a `.keras` file holds its layers and weights, and `keras.models.load_model` "
                "reads it back.",
                'model.save("my_network.keras")',
            ),
        ),
        ("test_accuracy", "test_accuracy_read_five_times", "answer"),
        f"handwriting-{config.preset}",
    )


def finetune_page(code="ROOM", epochs=finetune.EPOCHS):
    """The class lab: fine-tuning the network on the room's drawings, as the app's trainer does."""
    return Listing(
        "Class lab: teaching the network your class's handwriting",
        "Start from a trained network and train it a little more on your class's drawings, mixed with MNIST "
        'digits so that it does not forget them, as "Teach the network our handwriting" does. Download the '
        "room's set (.npz) and the network below (.keras) first: the room's own once taught, else the default one.",
        (
            Step(
                "The network and the drawings: the room's set holds `x_train`, its pictures (n, 28, 28), and "
                "`y_train`, the digits meant, in MNIST's layout.",
                "import numpy as np\nimport keras\n\n"
                f"model = keras.models.load_model({literal(f'network-{code}.keras')}, compile=False)"
                "   # or network-default.keras\n"
                f"with np.load({literal(f'class-{code}.npz')}) as room:\n"
                '    images, labels = room["x_train"], room["y_train"]',
            ),
            Step(
                f"Hold some drawings out, of every digit with two or more: about {finetune.HELD_OUT_SHARE:.0%}, "
                'never trained on, so that "before" and "after" are measured on drawings the network has '
                "not seen. The app's own function from `core/lab/finetune.py`:",
                "from dataclasses import dataclass\n\n"
                + source_of((finetune, "HELD_OUT_SHARE"), finetune.Split, finetune.split)
                + '\n\n\nparts = split(labels)\nprint(len(parts.train), "to learn from,", len(parts.held_out), "held out")',
            ),
            Step(
                "Before: how many held-out drawings the network reads right as it is, reading each five times "
                "as the app does (as it is and moved a pixel each way, the answers averaged).",
                source_of((mnist_config, "SHIFTS"), mnist_config.shifted_copies, mnist_config.averaged) + "\n\n\n"
                "def read_right(model, pictures, digits):\n"
                "    copies = shifted_copies(pictures)[..., None] / 255.0\n"
                "    answers = averaged(model.predict(copies, verbose=0)).argmax(axis=1)\n"
                "    return float(np.mean(answers == digits))\n\n\n"
                "held, meant = images[parts.held_out], labels[parts.held_out]\n"
                "before = read_right(model, held, meant)",
            ),
            Step(
                f"Fine-tuning: each class drawing seen {finetune.CLASS_REPEATS} times an epoch, mixed with "
                f"{finetune.MNIST_PER_CLASS_DIGIT} MNIST training digits for each (at least 2,000), at a small "
                f"learning rate, {finetune.LEARNING_RATE:g}, "
                f"{mnist_config.DEFAULT.learning_rate / finetune.LEARNING_RATE:.0f} times smaller than a fresh "
                f"start's {mnist_config.DEFAULT.learning_rate:g}: it nudges the weights rather than overwrite them.",
                LOAD_MNIST + "\n\n"
                f"{assignments(epochs=epochs, seed=0)}\nkeras.utils.set_random_seed(seed)\n"
                "rng = np.random.default_rng(seed)\n"
                f"picked = rng.choice(len(x_train), size=min(max(2000, {finetune.MNIST_PER_CLASS_DIGIT} * len(parts.train)), "
                "len(x_train)), replace=False)\n"
                f"x = np.concatenate([np.repeat(images[parts.train], {finetune.CLASS_REPEATS}, axis=0), x_train[picked]])\n"
                f"y = np.concatenate([np.repeat(labels[parts.train], {finetune.CLASS_REPEATS}), y_train[picked]])\n"
                f"model.compile(optimizer=keras.optimizers.Adam({literal(finetune.LEARNING_RATE)}), "
                'loss="categorical_crossentropy", metrics=["accuracy"])\n'
                "model.fit(x[..., None] / 255.0, keras.utils.to_categorical(y, 10), batch_size=64, epochs=epochs, "
                "shuffle=True, verbose=2)",
            ),
            Step(
                "After, on the same held-out drawings, and the taught network kept.",
                "after = read_right(model, held, meant)\n"
                'print(f"held-out drawings read right: {before:.0%} before, {after:.0%} after")\n'
                'model.save("network-taught.keras")',
            ),
        ),
        ("before", "after"),
        "class-lab",
    )


def loading_snippet(kind, file_name):
    """The few lines that load a downloaded network and read one 28 × 28 image (white on black,
    0 to 255, as MNIST's) as the app reads it, averaged over its shifted copies: with Keras for a
    `.keras` file, with ONNX Runtime for `.onnx`."""
    if kind == "keras":
        start = f"import numpy as np, keras\nmodel = keras.models.load_model({literal(file_name)}, compile=False)\n"
        answer = "model.predict(copies[..., None], verbose=0)"
    else:
        start = f"import numpy as np, onnxruntime\nsession = onnxruntime.InferenceSession({literal(file_name)})\n"
        answer = f"session.run([{literal(served.PROBABILITIES)}], {{{literal(served.INPUT)}: copies[..., None]}})[0]"
    return (
        start + "def read(image):  # as the app does: as it is and moved a pixel each way, the answers averaged\n"
        "    padded = np.pad(image / 255.0, 1).astype(np.float32)\n"
        "    copies = np.stack([padded[1 - down:29 - down, 1 - right:29 - right]\n"
        f"                       for down, right in {literal(mnist_config.SHIFTS)}])\n"
        f"    return {answer}.mean(axis=0)\n"
        "print(int(np.argmax(read(np.zeros((28, 28), dtype=np.uint8)))))  # your digit here"
    )
