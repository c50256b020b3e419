"""The code behind the handwriting pages: the Keras network chosen in the form, written from the
same layer list that builds it (core/digits/config.py's `layers`), trained and tested on MNIST; a
drawing prepared by the app's own functions; fine-tuning on a class's drawings; and the few lines
that load a downloaded network. Plain text: writing it imports no Keras."""

from fractions import Fraction

from core.code.listing import Listing, Step, assignments, in_language, literal, source_of, templates
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import network as served
from core.digits import preprocess
from core.i18n import N_, _, percent, shown
from core.lab import finetune


def load_mnist():
    """The lines that load MNIST as the page does, with the app's own offline sample reader."""
    return templates("digits").load_mnist(
        source_of(
            (mnist_data, "SAMPLE_TEST_SIZE"),
            (mnist_data, "SAMPLE_SEED"),
            mnist_data.sample_path,
            mnist_data.stratified_split,
            mnist_data.sample_arrays,
        )
    )


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
    layers = [(shown(layer.why), layer_code(layer)) for layer in mnist_config.layers(config)]
    return templates("digits").model(name, mnist_config.IMAGE_SHAPE, layers, config.preset)


def _compile_code(config):
    if config.preset == "nielsen":
        return templates("digits").compile_nielsen()
    smoothing = mnist_config.LABEL_SMOOTHING
    right = 1 - smoothing * 9 / 10
    return templates("digits").compile_adam(f"{right:g}", f"{smoothing / 10:g}", f"{right:.0%}", smoothing)


PREPROCESS_CONSTANTS = ("FIELD", "BOX", "INK_LEVEL", "MIN_INK_PIXELS", "REDUCING_GAP")


def _reading_functions():
    """The app's own functions that read a digit five times and average the answers."""
    return source_of((mnist_config, "SHIFTS"), mnist_config.shifted_copies, mnist_config.averaged)


def reading_steps():
    """Preparing a drawing as MNIST's digits were, with the app's own functions, then reading it."""
    return (
        Step(
            _(
                "Preparing a drawing: the app's own functions from `core/digits/preprocess.py`. MNIST's digits "
                "were cropped to their ink, scaled to fit 20 × 20, and centred by their centre of mass in 28 × 28; "
                "a drawing must be prepared the same way, or the network misreads it."
            ),
            templates("digits").preparing(
                source_of(
                    *((preprocess, name) for name in PREPROCESS_CONSTANTS),
                    preprocess._ink_of_colours,
                    preprocess.ink_map,
                    preprocess.Steps,
                    preprocess.mnist_steps,
                )
            ),
            fold=True,
        ),
        Step(
            _(
                "Reading a drawing: here a test digit made to look like the drawing pad's, white ink on a black "
                "280 × 280 square, prepared, then given to the network. The app reads it five times, as it is and "
                "moved one pixel each way, and averages the five answers: a digit a pixel away from where MNIST's "
                "digits sit is then read much as it would be there. `predict` answers ten probabilities per copy, "
                "one per digit; the largest of their means is the answer."
            ),
            templates("digits").reading(_reading_functions()),
        ),
    )


# What the handwriting listing says, a sentence a step (translated when a listing is made).
HANDWRITING = {
    "title": N_("Handwriting recognition: {network}"),
    "intro": N_(
        "Train the page's network on MNIST with Keras, test it on digits it has never seen, and read a drawing. "
        "Runs on a laptop's CPU; each epoch takes seconds to a minute."
    ),
    "settings": N_(
        "The settings chosen in the page's form. The seed makes the starting weights, and the order "
        "the digits are visited in, the same every run."
    ),
    "data": N_("The data."),
    "validation": N_(
        "Preparing the data: pixels scaled to 0–1 with a channel axis, as Keras's layers expect, and "
        "each label written as ten numbers with a 1 at the right digit (one-hot). The last {share} of "
        "the training digits are held out for **validation**: never learnt from, they show after each "
        "epoch whether the network is learning digits or memorising these ones."
    ),
    "network": N_("The network, one layer a line: the same list of layers the app builds."),
    "compile": N_(
        "`compile` chooses how the network learns: the **loss** to make small and the **optimizer**, "
        "the kind of gradient descent that does it, with its learning rate."
    ),
    "fit": N_(
        "`fit` trains: {epochs} **epochs**, each a pass over every training digit, in mini-batches of "
        "{batch} (a **batch size**: one gradient step per mini-batch). After each epoch it reports the "
        "loss and accuracy on the validation digits."
    ),
    "evaluate": N_(
        "`evaluate` measures the network on the test digits (10,000 in the full set, written by other "
        "people than the training digits): the accuracy you can expect on new handwriting like MNIST's. "
        "It reads each digit once; the page reads each five times, as the steps below do."
    ),
    "five_times": N_(
        "The test digits read as the app reads them, five times each, usually a little higher than "
        "`evaluate`'s single reading. For a network the page trains with these settings, this is the "
        "accuracy its Evaluate section shows (give or take the last digit: training on another computer "
        "does not add up its numbers in quite the same order). The network that comes with the app "
        "learnt from real pen-written digits as well as MNIST's, which this code leaves out, so its "
        "figure on the page is not this one."
    ),
    "save": N_(
        "Keep the network: a `.keras` file holds its layers and weights, and `keras.models.load_model` reads it back."
    ),
}


def handwriting_page(config, train_digits=None):
    """The handwriting page: the chosen network built, compiled, trained and tested on MNIST, then
    reading a drawing. `train_digits` keeps only that many training digits (a quick try, the tests)."""
    says, code = in_language(HANDWRITING), templates("digits")
    validation = mnist_config.VALIDATION_SHARE
    kept = None if train_digits is None else int(train_digits)
    settings = code.settings(
        assignments(epochs=config.epochs, batch_size=config.batch_size),
        assignments(learning_rate=config.learning_rate, seed=config.seed),
    )
    split = source_of(mnist_config.validation_split, mnist_config.to_inputs)
    steps = (
        Step(says["settings"], settings),
        Step(says["data"], code.fewer_digits(load_mnist(), kept)),
        Step(says["validation"].format(share=percent(validation, 1)), code.validation(_fraction(validation), split)),
        Step(says["network"], code.seeded_model(model_code(config))),
        Step(says["compile"], _compile_code(config)),
        Step(says["fit"].format(epochs=config.epochs, batch=config.batch_size), code.fit()),
        Step(says["evaluate"], code.evaluate()),
        *reading_steps(),
        Step(says["five_times"], code.read_five_times()),
        Step(says["save"], code.save()),
    )
    title = says["title"].format(network=_(mnist_config.PRESET_NAMES[config.preset]))
    results = ("test_accuracy", "test_accuracy_read_five_times", "answer")
    return Listing(title, says["intro"], steps, results, f"handwriting-{config.preset}")


# What the class lab's listing says.
FINETUNE = {
    "title": N_("Class lab: teaching the network your class's handwriting"),
    "intro": N_(
        "Start from a trained network and train it a little more on your class's drawings, mixed with MNIST "
        'digits so that it does not forget them, as "Teach the network our handwriting" does. Download the '
        "room's set (.npz) and the network below (.keras) first: the room's own once taught, else the default one."
    ),
    "network": N_(
        "The network and the drawings: the room's set holds `x_train`, its pictures (n, 28, 28), and "
        "`y_train`, the digits meant, in MNIST's layout."
    ),
    "hold_out": N_(
        "Hold some drawings out, of every digit with two or more: about {share}, never trained on, so "
        'that "before" and "after" are measured on drawings the network has not seen. The app\'s own '
        "function from `core/lab/finetune.py`:"
    ),
    "before": N_(
        "Before: how many held-out drawings the network reads right as it is, reading each five times "
        "as the app does (as it is and moved a pixel each way, the answers averaged)."
    ),
    "fine_tune": N_(
        "Fine-tuning: each class drawing seen {repeats} times an epoch, mixed with {mnist} MNIST training "
        "digits for each (at least 2,000), at a small learning rate, {rate}, {times} times smaller than a "
        "fresh start's {fresh}: it nudges the weights rather than overwrite them."
    ),
    "after": N_("After, on the same held-out drawings, and the taught network kept."),
}


def finetune_page(room="ROOM", epochs=finetune.EPOCHS):
    """The class lab: fine-tuning the network on the room's drawings, as the app's trainer does."""
    says, code = in_language(FINETUNE), templates("digits")
    fresh_rate = mnist_config.DEFAULT.learning_rate
    how = says["fine_tune"].format(
        repeats=finetune.CLASS_REPEATS,
        mnist=finetune.MNIST_PER_CLASS_DIGIT,
        rate=f"{finetune.LEARNING_RATE:g}",
        times=f"{fresh_rate / finetune.LEARNING_RATE:.0f}",
        fresh=f"{fresh_rate:g}",
    )
    fine_tune = code.fine_tune(
        load_mnist(),
        assignments(epochs=epochs, seed=0),
        finetune.MNIST_PER_CLASS_DIGIT,
        finetune.CLASS_REPEATS,
        finetune.LEARNING_RATE,
    )
    split = source_of((finetune, "HELD_OUT_SHARE"), finetune.Split, finetune.split)
    steps = (
        Step(says["network"], code.room_network(f"network-{room}.keras", f"class-{room}.npz")),
        Step(says["hold_out"].format(share=percent(finetune.HELD_OUT_SHARE)), code.hold_out(split)),
        Step(says["before"], code.before(_reading_functions())),
        Step(how, fine_tune),
        Step(says["after"], code.after()),
    )
    return Listing(says["title"], says["intro"], steps, ("before", "after"), "class-lab")


def loading_snippet(kind, file_name):
    """The few lines that load a downloaded network and read one 28 × 28 image (white on black,
    0 to 255, as MNIST's) as the app reads it, averaged over its shifted copies: with Keras for a
    `.keras` file, with ONNX Runtime for `.onnx`."""
    return templates("digits").loading(kind, file_name, mnist_config.SHIFTS, served.PROBABILITIES, served.INPUT)
