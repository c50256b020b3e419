"""The convolution page's controls and state, declared once."""

from core.i18n import N_, sentence
from core.lessons import convolution as conv
from ui.page import Question
from ui.state import Controls, Number, Select, Slider, State, Toggle

FILTERS = 16  # the handwriting network's first layer
TRAINED = tuple(f"trained filter {number}" for number in range(1, FILTERS + 1))
# Options are English; what a reader sees is in their language (a filter's name, marked N_ in core).
SHOWN_AS = {name: sentence(N_("trained filter {number}"), number=index + 1) for index, name in enumerate(TRAINED)}
OWN = N_("your own")
TEST, DRAW, CARRIED = N_("Test digit"), N_("Draw"), N_("From the handwriting page")

SOURCE = Select(
    "digit",
    N_("Your digit"),
    (TEST, DRAW, CARRIED),
    TEST,
    N_("A digit from MNIST's test set, one you draw, or the last digit the handwriting page read for you."),
    translated=True,
)
TEST_DIGIT = Number(
    "test_digit", N_("Test digit number"), 0, 9999, 0, 1, N_("Which of the test set's digits, counted from 0.")
)
KERNEL = Select(
    "kernel",
    N_("Filter"),
    (*conv.NAMED, *TRAINED, OWN),
    "vertical edge",
    N_(
        "The kernel's weights: a classic image filter, one of the 16 the handwriting network learnt "
        "(3 × 3), or your own numbers."
    ),
    names=SHOWN_AS,
    translated=True,
)
SIZE = Select("size", N_("Kernel size"), conv.SIZES, 3, N_("How many pixels wide and high the window is: 3 or 5."))
STRIDE = Select("stride", N_("Stride"), conv.STRIDES, 1, N_("How many pixels the window moves between two places."))
PADDING = Select(
    "padding",
    N_("Padding"),
    conv.PADDINGS,
    "valid",
    N_(
        '"valid": the window stays inside the picture. "same": zeros are added around it, so '
        "with stride 1 the feature map is as big as the picture."
    ),
)
BIAS = Slider("bias", N_("Bias b"), -2.0, 2.0, 0.0, 0.1, N_("Added to every weighted sum before ReLU."))
CELLS = tuple(
    tuple(
        Number(
            f"w{row}{column}",
            sentence(N_("Weight, row {row}, column {column}"), row=row + 1, column=column + 1),
            -10.0,
            10.0,
            0.0,
            0.1,
            N_("One weight of your own kernel.") if (row, column) == (0, 0) else "",
        )
        for column in range(max(conv.SIZES))
    )
    for row in range(max(conv.SIZES))
)
AT = Number(
    "at",
    N_("Window's place"),
    0,
    28 * 28 - 1,
    0,
    1,
    N_("Which place of the feature map the window computes, counted row by row from 0."),
)
PLAY = Toggle("play", N_("Play"), False, N_("Move the window on by itself, twice a second."), share=False)
SHIFT = Slider(
    "shift",
    N_("Move the digit right (pixels)"),
    1,
    3,
    1,
    1,
    N_("How far the digit moves for the comparisons of pooling and of a dense layer."),
)
CONTROLS = Controls(
    SOURCE, TEST_DIGIT, KERNEL, SIZE, STRIDE, PADDING, BIAS, *(cell for row in CELLS for cell in row), AT, PLAY, SHIFT
)

CANVAS_GENERATION = State("convolution_canvas", int)  # bumped by Clear: a new key empties the pad
BRIGHTEST = Question("brightest_filter")
OUTPUT_SIZE = Question("output_size")
POOLED_SHIFT = Question("pooled_shift")
PLAY_SECONDS = 0.5
