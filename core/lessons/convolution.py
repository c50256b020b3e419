"""Convolution: one small grid of weights (a kernel, or filter) slid over a picture.

At each position of the window, the layer multiplies the pixels under it by the kernel's weights,
adds the products and the bias, and passes the sum through ReLU: one pixel of the feature map,

    z[i, j] = Σ_u Σ_v  x[s·i + u, s·j + v] · k[u, v]  +  b        a = max(0, z)

where x is the picture with its padding, k the k × k kernel and s the stride. The same weights are
used at every position (shared weights), so a layer has k·k + 1 numbers per filter however large
the picture is. Deep learning calls this convolution; strictly it is cross-correlation, because the
kernel is not flipped (scipy.signal.correlate2d, not convolve2d). Keras's Conv2D computes exactly
this, with the padding chosen as `padding_amounts` says.

Written by hand, in numpy, because computing it is the lesson: tests/test_convolution.py checks
every function against scipy.signal.correlate2d and Keras's Conv2D and MaxPooling2D.
"""

import numpy as np

from core.i18n import N_

SIZES = (3, 5)  # the kernel sizes the lesson offers
STRIDES = (1, 2)
PADDINGS = ("valid", "same")
POOL = 2  # the pooling window and its stride, as the handwriting network's MaxPooling2D(2)


def kernel(name, size):
    """One of the named kernels, `size` × `size`: what each looks for, on white ink over black."""
    middle = size // 2
    grid = np.zeros((size, size))
    if name == "identity":  # the picture unchanged: only the middle pixel counts
        grid[middle, middle] = 1.0
    elif name == "vertical edge":  # bright on the left, dark on the right: a stroke's right-hand edge
        grid[:, :middle], grid[:, middle + 1 :] = 1.0, -1.0
    elif name == "horizontal edge":  # bright above, dark below: a stroke's lower edge
        grid[:middle, :], grid[middle + 1 :, :] = 1.0, -1.0
    elif name == "blur":  # the mean of the window
        grid[:] = 1.0 / size**2
    elif name == "sharpen":  # the middle pixel, plus how far it stands out from each of its four neighbours
        grid[middle, middle] = 5.0
        grid[middle - 1, middle] = grid[middle + 1, middle] = grid[middle, middle - 1] = grid[middle, middle + 1] = -1.0
    else:
        raise ValueError(f"no kernel named {name!r}")
    return grid


NAMED = (N_("vertical edge"), N_("horizontal edge"), N_("blur"), N_("sharpen"), N_("identity"))  # English, marked


def padding_amounts(n, size, stride, padding):
    """(before, after): the rows of zeros Keras adds above and below (or columns left and right).
    "valid" adds none. "same" adds what makes the output ⌈n / stride⌉ long, half before and the rest
    after: with stride 2 on an even picture that is one fewer before than after (or none before)."""
    if padding == "valid":
        return 0, 0
    out = -(-n // stride)
    total = max((out - 1) * stride + size - n, 0)
    return total // 2, total - total // 2


def output_size(n, size, stride, padding):
    """The feature map's side: ⌊(n + p_before + p_after − k) / s⌋ + 1 (the textbook's 2p when the
    padding is the same on both sides)."""
    before, after = padding_amounts(n, size, stride, padding)
    return (n + before + after - size) // stride + 1


def padded(image, size, stride, padding):
    """The picture with Keras's zeros around it."""
    before, after = padding_amounts(image.shape[0], size, stride, padding)
    return np.pad(np.asarray(image, dtype=np.float64), ((before, after), (before, after)))


def windows(image, size, stride=1, padding="valid"):
    """Every window the kernel visits, (out, out, k, k): views into the padded picture, no copies."""
    every = np.lib.stride_tricks.sliding_window_view(padded(image, size, stride, padding), (size, size))
    return every[::stride, ::stride]


def weighted_sums(image, grid, bias, stride=1, padding="valid"):
    """z for every position of the window, (out, out): each the sum of the pixels under the window
    times the kernel's weights, plus the bias."""
    return np.einsum("ijuv,uv->ij", windows(image, grid.shape[0], stride, padding), grid) + bias


def inked_places(image, size, stride=1, padding="valid"):
    """The places (counted row by row from 0) where the window covers some ink."""
    return np.flatnonzero(windows(image, size, stride, padding).sum(axis=(2, 3)).reshape(-1) > 0)


def relu(z):
    return np.maximum(z, 0.0)


def feature_map(image, grid, bias, stride=1, padding="valid"):
    """The layer's output for one filter: ReLU of the weighted sums."""
    return relu(weighted_sums(image, grid, bias, stride, padding))


def window(image, grid, stride, padding, position):
    """What the page shows at one position (row, column) of the output: the pixels under the
    window, (k, k), and their products with the kernel's weights."""
    under = windows(image, grid.shape[0], stride, padding)[tuple(position)]
    return under, under * grid


def pool(feature, how="max"):
    """2 × 2 pooling with stride 2, as Keras's MaxPooling2D(2) and AveragePooling2D(2): each
    window's largest value (or mean); a last odd row or column is dropped."""
    rows, columns = feature.shape[0] // POOL, feature.shape[1] // POOL
    patches = feature[: rows * POOL, : columns * POOL].reshape(rows, POOL, columns, POOL)
    return patches.max(axis=(1, 3)) if how == "max" else patches.mean(axis=(1, 3))


def shifted(image, down=0, right=0):
    """The picture moved `down` and `right` pixels (negative: up, left), zeros coming in."""
    moved = np.zeros_like(image)
    height, width = image.shape
    source = image[max(-down, 0) : height - max(down, 0), max(-right, 0) : width - max(right, 0)]
    moved[max(down, 0) : max(down, 0) + source.shape[0], max(right, 0) : max(right, 0) + source.shape[1]] = source
    return moved


def relative_change(before, after):
    """How much a map changed: the sum of |after − before| over the sum of |before| (0: not at all;
    1: as much as there was)."""
    return float(np.abs(after - before).sum() / max(np.abs(before).sum(), 1e-12))


def change_after_shift(image, grid, bias, pixels=1):
    """How much the feature map (padding "same"), its max-pooled and its average-pooled map change,
    place by place, when the digit moves `pixels` to the right: {view: relative_change}."""
    before, after = (feature_map(picture, grid, bias, 1, "same") for picture in (image, shifted(image, 0, pixels)))
    return {
        "feature map": relative_change(before, after),
        "max pooled": relative_change(pool(before), pool(after)),
        "average pooled": relative_change(pool(before, "mean"), pool(after, "mean")),
    }


def conv_parameters(filters, size, channels=1):
    """A Conv2D layer's weights and biases: each filter has size × size × channels weights and a bias."""
    return filters * (size * size * channels + 1)


def dense_parameters(units, inputs):
    """A Dense layer's: a weight from every input to every unit, and a bias per unit."""
    return inputs * units + units


def dense_outputs(image, units=16, seed=0):
    """The outputs of a dense ReLU layer of `units` neurons with random weights (Glorot uniform, as
    Keras starts one; bias 0) on the flattened picture: what a dense layer makes of it."""
    inputs = image.size
    limit = np.sqrt(6 / (inputs + units))
    weights = np.random.default_rng(seed).uniform(-limit, limit, (inputs, units))
    return relu(np.asarray(image, dtype=np.float64).reshape(-1) @ weights)


def filter_maps(image, kernels, biases):
    """Every filter of a trained Conv2D layer (kernels (k, k, 1, filters), padding "same", stride 1)
    applied to the picture: (28, 28, filters), as the layer's own output."""
    return np.stack(
        [
            feature_map(image, kernels[:, :, 0, number], biases[number], 1, "same")
            for number in range(kernels.shape[-1])
        ],
        axis=-1,
    )


def brightest(image, kernels):
    """Which kernel lights up most on the picture: the index of the largest summed feature map
    (padding "same", bias 0)."""
    return int(np.argmax([feature_map(image, grid, 0.0, 1, "same").sum() for grid in kernels]))
