"""The code behind the convolution page: the learner's digit, kernel and bias; the feature map by a
numpy loop doing exactly the products the page shows; the same by SciPy's correlate2d; then by Keras's
Conv2D with the kernel set as its weights, and max pooling by hand and by Keras's MaxPooling2D."""

import numpy as np

from core.code.listing import Listing, Step, assignments, in_language, source_of, templates
from core.i18n import N_
from core.lessons import convolution as conv

# What the convolution listing says, a sentence a step (translated when a listing is made).
CONVOLUTION = {
    "title": N_("Convolution"),
    "intro": N_(
        "Redo the page's feature map for your digit and your filter: by hand in numpy, with SciPy, "
        "then with Keras, which computes the same thing inside the handwriting network."
    ),
    "settings": N_("Your filter's weights, its bias, the stride and the padding, as set on the page."),
    "digit": N_("Your digit as MNIST stores it (whole numbers 0–255), scaled to 0–1 as the network reads it."),
    "padding": N_(
        'How many zeros Keras adds around the picture: none for "valid"; for "same", what makes the map '
        "⌈28 / stride⌉ wide, half before and the rest after."
    ),
    "loop": N_(
        "The window at every place: the pixels under it times the weights, added up, plus the bias, "
        "then ReLU. These are the page's numbers, one place at a time."
    ),
    "scipy": N_(
        "The same with SciPy. Its `correlate2d` slides the kernel without turning it around: what deep "
        "learning calls convolution is cross-correlation (`convolve2d` would flip the kernel first)."
    ),
    "keras": N_(
        "The same with Keras: a `Conv2D` layer of one filter, its weights set to your kernel and bias. "
        "It computes in 32-bit numbers, so it agrees to about 1e-6. Then max pooling, 2 × 2, by hand and by "
        "Keras's `MaxPooling2D`."
    ),
}


def convolution_page(image, grid, bias, stride, padding):
    """The convolution page's feature map and its max pooling, three ways that agree."""
    says, code = in_language(CONVOLUTION), templates("convolution")
    pixels = np.round(np.asarray(image) * 255).astype(int).tolist()  # as MNIST stores a digit: whole numbers 0–255
    settings = assignments(kernel=np.asarray(grid), bias=float(bias), stride=int(stride), padding=padding)
    steps = (
        Step(says["settings"], code.settings(settings)),
        Step(says["digit"], code.digit(pixels), fold=True),
        Step(says["padding"], source_of(conv.padding_amounts)),
        Step(says["loop"], code.loop()),
        Step(says["scipy"], code.scipy()),
        Step(says["keras"], code.keras()),
    )
    results = ("feature_map", "scipy_map", "keras_map", "pooled", "keras_pooled")
    return Listing(says["title"], says["intro"], steps, results, "convolution")
