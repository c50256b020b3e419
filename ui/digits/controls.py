"""The handwriting page's controls and state, declared once. The training form's choices come from
the presets' own module (core/digits/config.py), so the form can offer every preset's values."""

from core.digits import config as mnist_config
from core.i18n import N_
from ui.page import Question
from ui.state import Controls, Select, Slider, State, Steps, Text, Toggle

PRESET = Select(
    "preset",
    N_("Network"),
    tuple(mnist_config.PRESETS),
    "convolutional",
    N_("Which kind of network to train. Each comes with settings that work; change them in the form."),
    mnist_config.PRESET_NAMES,
    translated=True,
)
INPUT = Select(
    "input",
    N_("Digit to read"),
    (N_("Draw"), N_("Upload a photo"), N_("Random test digit")),
    "Draw",
    N_("Draw with the mouse, upload a picture of a handwritten digit, or pick one from the test set."),
    translated=True,
)
RAW_RESIZE = Toggle(
    "straight",
    N_("Resize straight to 28 × 28"),
    False,
    N_(
        "Skip MNIST's recipe (crop, scale to 20 × 20, centre by mass) and shrink the whole square "
        "in one go, as many drawing demos do. Compare the prediction."
    ),
)


def _sizes(preset, defaults):
    """The layers' sizes, typed as a list: filters for the convolutional network, neurons for the others."""
    return Text(
        f"hidden_{preset}",
        N_("Filters per layer") if preset == "convolutional" else N_("Neurons per hidden layer"),
        ", ".join(str(size) for size in defaults.hidden),
        N_("Comma-separated sizes, one per layer. The convolutional network takes 1 to 3 layers of filters."),
        pattern=r"\d{1,4}(,\d{1,4})*",
        rule=N_("must be whole numbers separated by commas, such as 128,64"),
    )


def form_controls(preset):
    """The training form's controls for one kind of network, starting from its preset:
    (hidden sizes, activation, epochs, batch size, learning rate)."""
    defaults = mnist_config.PRESETS[preset]
    return (
        _sizes(preset, defaults),
        Select(
            f"activation_{preset}",
            N_("Activation"),
            mnist_config.ACTIVATIONS,
            defaults.activation,
            N_("The function each neuron applies to its weighted sum z."),
        ),
        Slider(
            f"epochs_{preset}",
            N_("Epochs"),
            *mnist_config.LIMITS["epochs"],
            defaults.epochs,
            1,
            N_("How many times training passes over all the training digits."),
        ),
        Steps(
            f"batch_{preset}",
            N_("Mini-batch size"),
            mnist_config.BATCH_SIZES,
            defaults.batch_size,
            N_("How many digits each gradient step looks at."),
        ),
        Steps(
            f"rate_{preset}",
            N_("Learning rate"),
            mnist_config.LEARNING_RATES,
            defaults.learning_rate,
            N_("The step size η of gradient descent."),
        ),
    )


FORMS = {preset: form_controls(preset) for preset in mnist_config.PRESETS}
CONTROLS = Controls(PRESET, INPUT, RAW_RESIZE, *(control for form in FORMS.values() for control in form))

# The settings last sent to training, per kind of network ({preset: Config}); a preset missing
# here shows its own settings.
CONFIGS = State("mnist_configs", dict)
CANVAS_GENERATION = State("canvas_generation", int)  # bumped by Clear: a new key empties the canvas
TEST_DIGIT_SEED = State("test_digit_seed", int)  # which random test digit is shown
WHICH_DIGIT = Question("digit")
LOOK_INSIDE_TAB = "look_inside_tab"  # the key of the look-inside view's tabs: the open tab's name
# The last digit the page read (28 × 28, 0–1), for the convolution lesson to look at in its turn
READ_DIGIT = State("read_digit")
