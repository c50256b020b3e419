"""The convolution page's controls and state, declared once."""

from core.lessons import convolution as conv
from ui.page import Question
from ui.state import Controls, Number, Select, Slider, State, Toggle

FILTERS = 16  # the handwriting network's first layer
TRAINED = tuple(f"trained filter {number}" for number in range(1, FILTERS + 1))
OWN = "your own"
TEST, DRAW, CARRIED = "Test digit", "Draw", "From the handwriting page"

SOURCE = Select(
    "digit",
    "Your digit",
    (TEST, DRAW, CARRIED),
    TEST,
    "A digit from MNIST's test set, one you draw, or the last digit the handwriting page read for you.",
)
TEST_DIGIT = Number("test_digit", "Test digit number", 0, 9999, 0, 1, "Which of the test set's digits, counted from 0.")
KERNEL = Select(
    "kernel",
    "Filter",
    (*conv.NAMED, *TRAINED, OWN),
    "vertical edge",
    "The kernel's weights: a classic image filter, one of the 16 the handwriting network learnt "
    "(3 × 3), or your own numbers.",
)
SIZE = Select("size", "Kernel size", conv.SIZES, 3, "How many pixels wide and high the window is: 3 or 5.")
STRIDE = Select("stride", "Stride", conv.STRIDES, 1, "How many pixels the window moves between two places.")
PADDING = Select(
    "padding",
    "Padding",
    conv.PADDINGS,
    "valid",
    '"valid": the window stays inside the picture. "same": zeros are added around it, so '
    "with stride 1 the feature map is as big as the picture.",
)
BIAS = Slider("bias", "Bias b", -2.0, 2.0, 0.0, 0.1, "Added to every weighted sum before ReLU.")
CELLS = tuple(
    tuple(
        Number(
            f"w{row}{column}",
            f"Weight, row {row + 1}, column {column + 1}",
            -10.0,
            10.0,
            0.0,
            0.1,
            "One weight of your own kernel." if (row, column) == (0, 0) else "",
        )
        for column in range(max(conv.SIZES))
    )
    for row in range(max(conv.SIZES))
)
AT = Number(
    "at",
    "Window's place",
    0,
    28 * 28 - 1,
    0,
    1,
    "Which place of the feature map the window computes, counted row by row from 0.",
)
PLAY = Toggle("play", "Play", False, "Move the window on by itself, twice a second.", share=False)
SHIFT = Slider(
    "shift",
    "Move the digit right (pixels)",
    1,
    3,
    1,
    1,
    "How far the digit moves for the comparisons of pooling and of a dense layer.",
)
CONTROLS = Controls(
    SOURCE, TEST_DIGIT, KERNEL, SIZE, STRIDE, PADDING, BIAS, *(cell for row in CELLS for cell in row), AT, PLAY, SHIFT
)

CANVAS_GENERATION = State("convolution_canvas", int)  # bumped by Clear: a new key empties the pad
BRIGHTEST = Question("brightest_filter")
OUTPUT_SIZE = Question("output_size")
POOLED_SHIFT = Question("pooled_shift")
PLAY_SECONDS = 0.5
