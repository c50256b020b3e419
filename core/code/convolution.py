"""The code behind the convolution page: the learner's digit, kernel and bias; the feature map by a
numpy loop doing exactly the products the page shows; the same by SciPy's correlate2d; then by Keras's
Conv2D with the kernel set as its weights, and max pooling by hand and by Keras's MaxPooling2D."""

import numpy as np

from core.code.listing import Listing, Step, assignments, literal, source_of
from core.lessons import convolution as conv


def _pixels(image):
    """The digit as MNIST stores it: 28 rows of whole numbers 0–255, one row per line."""
    rows = np.round(np.asarray(image) * 255).astype(int).tolist()
    return "PIXELS = [\n" + "".join(f"    {literal(row)},\n" for row in rows) + "]"


LOOP = (
    "size = kernel.shape[0]\n"
    "before, after = padding_amounts(28, size, stride, padding)\n"
    "padded = np.pad(image, ((before, after), (before, after)))\n"
    "side = (28 + before + after - size) // stride + 1\n"
    "feature_map = np.zeros((side, side))\n"
    "for row in range(side):\n"
    "    for column in range(side):\n"
    "        under = padded[row * stride:row * stride + size, column * stride:column * stride + size]\n"
    "        z = np.sum(under * kernel) + bias\n"
    "        feature_map[row, column] = max(z, 0.0)   # ReLU\n"
    "print(feature_map.shape)\nprint(np.round(feature_map, 2))"
)
SCIPY = (
    "from scipy import signal\n\n"
    'sums = signal.correlate2d(padded, kernel, mode="valid")[::stride, ::stride] + bias\n'
    "scipy_map = np.maximum(sums, 0.0)\n"
    "print(np.abs(scipy_map - feature_map).max())   # 0, or a rounding error near 1e-16"
)
KERAS = (
    "import keras\n\n"
    'layer = keras.layers.Conv2D(1, size, strides=stride, padding=padding, activation="relu")\n'
    "layer.build((None, 28, 28, 1))\n"
    "layer.set_weights([kernel.reshape(size, size, 1, 1), np.array([bias])])\n"
    'keras_map = np.asarray(layer(image.reshape(1, 28, 28, 1).astype("float32")))[0, :, :, 0]\n'
    "print(np.abs(keras_map - feature_map).max())\n\n"
    "half = side // 2\n"
    "pooled = feature_map[:half * 2, :half * 2].reshape(half, 2, half, 2).max(axis=(1, 3))\n"
    "keras_pooled = np.asarray(keras.layers.MaxPooling2D(2)(keras_map[None, :, :, None]))[0, :, :, 0]\n"
    "print(np.abs(keras_pooled - pooled).max())"
)


def convolution_page(image, grid, bias, stride, padding):
    """The convolution page's feature map and its max pooling, three ways that agree."""
    return Listing(
        "Convolution",
        "Redo the page's feature map for your digit and your filter: by hand in numpy, with SciPy, "
        "then with Keras, which computes the same thing inside the handwriting network.",
        (
            Step(
                "Your filter's weights, its bias, the stride and the padding, as set on the page.",
                "import numpy as np\n\n"
                + assignments(kernel=np.asarray(grid), bias=float(bias), stride=int(stride), padding=padding)
                + "\nkernel = np.array(kernel)",
            ),
            Step(
                "Your digit as MNIST stores it (whole numbers 0–255), scaled to 0–1 as the network reads it.",
                _pixels(image) + "\nimage = np.array(PIXELS) / 255",
                fold=True,
            ),
            Step(
                'How many zeros Keras adds around the picture: none for "valid"; for "same", what makes the map '
                "⌈28 / stride⌉ wide, half before and the rest after.",
                source_of(conv.padding_amounts),
            ),
            Step(
                "The window at every place: the pixels under it times the weights, added up, plus the bias, "
                "then ReLU. These are the page's numbers, one place at a time.",
                LOOP,
            ),
            Step(
                "The same with SciPy. Its `correlate2d` slides the kernel without turning it around: what deep "
                "learning calls convolution is cross-correlation (`convolve2d` would flip the kernel first).",
                SCIPY,
            ),
            Step(
                "The same with Keras: a `Conv2D` layer of one filter, its weights set to your kernel and bias. "
                "It computes in 32-bit numbers, so it agrees to about 1e-6. Then max pooling, 2 × 2, by hand and by "
                "Keras's `MaxPooling2D`.",
                KERAS,
            ),
        ),
        ("feature_map", "scipy_map", "keras_map", "pooled", "keras_pooled"),
        "convolution",
    )
