"""The convolution lesson's maths (core/lessons/convolution.py) against SciPy and Keras, for every
kernel size, stride and padding the page offers, on real MNIST digits."""

import itertools

import numpy as np
import pytest
from scipy import ndimage, signal

from core.digits import data as mnist_data
from core.lessons import convolution as conv

SETTINGS = list(itertools.product(conv.SIZES, conv.STRIDES, conv.PADDINGS))


@pytest.fixture(scope="module")
def digits():
    return mnist_data.from_sample().x_test[:4] / 255.0


def keras_layer(grid, bias, stride, padding):
    import keras

    layer = keras.layers.Conv2D(1, grid.shape[0], strides=stride, padding=padding, activation="relu")
    layer.build((None, 28, 28, 1))
    layer.set_weights([grid[:, :, None, None], np.array([bias])])
    return layer


@pytest.mark.parametrize("size,stride,padding", SETTINGS)
def test_feature_maps_are_keras_conv2d_and_scipys_cross_correlation(digits, size, stride, padding):
    grid = np.random.default_rng(size * 10 + stride).normal(size=(size, size))
    image = digits[0]
    got = conv.feature_map(image, grid, -0.3, stride, padding)
    keras_map = np.asarray(keras_layer(grid, -0.3, stride, padding)(image[None, :, :, None].astype("float32")))[
        0, :, :, 0
    ]
    assert got.shape == keras_map.shape == (conv.output_size(28, size, stride, padding),) * 2
    np.testing.assert_allclose(got, keras_map, atol=1e-5)  # Keras computes in float32
    # SciPy: cross-correlation (no flipped kernel) over the same zero padding, every stride-th place
    before, after = conv.padding_amounts(28, size, stride, padding)
    full = signal.correlate2d(np.pad(image, ((before, after), (before, after))), grid, mode="valid")
    np.testing.assert_allclose(
        conv.weighted_sums(image, grid, -0.3, stride, padding), full[::stride, ::stride] - 0.3, atol=1e-12
    )


@pytest.mark.parametrize("size,stride,padding", SETTINGS)
def test_the_window_the_page_shows_sums_to_the_maps_pixel(digits, size, stride, padding):
    grid, image = conv.kernel("sharpen", size), digits[1]
    sums = conv.weighted_sums(image, grid, 0.5, stride, padding)
    for position in [(0, 0), (5, 7), tuple(np.array(sums.shape) - 1)]:
        under, products = conv.window(image, grid, stride, padding, position)
        assert under.shape == products.shape == (size, size)
        np.testing.assert_allclose(products, under * grid)
        assert products.sum() + 0.5 == pytest.approx(sums[position], abs=1e-12)


def test_output_sizes_and_parameter_counts_are_keras(digits):
    import keras

    for size, stride, padding in SETTINGS:
        layer = keras_layer(conv.kernel("blur", size), 0.0, stride, padding)
        side = conv.output_size(28, size, stride, padding)
        assert layer.compute_output_shape((None, 28, 28, 1)) == (None, side, side, 1)
        before, after = conv.padding_amounts(28, size, stride, padding)
        assert side == (28 + before + after - size) // stride + 1
    conv16 = keras.layers.Conv2D(16, 3)
    conv16.build((None, 28, 28, 1))
    dense16 = keras.layers.Dense(16)
    dense16.build((None, 784))
    assert conv.conv_parameters(16, 3) == conv16.count_params() == 160
    assert conv.dense_parameters(16, 784) == dense16.count_params() == 12_560


@pytest.mark.parametrize("how", ["max", "mean"])
def test_pooling_is_kerass(digits, how):
    import keras

    feature = conv.feature_map(digits[2], conv.kernel("vertical edge", 3), 0.0, 1, "valid")  # 26 × 26
    layer = (keras.layers.MaxPooling2D if how == "max" else keras.layers.AveragePooling2D)(2)
    expected = np.asarray(layer(feature[None, :, :, None].astype("float32")))[0, :, :, 0]
    np.testing.assert_allclose(conv.pool(feature, how), expected, atol=1e-6)
    odd = feature[:25, :25]  # a last odd row and column are dropped, as Keras does
    np.testing.assert_allclose(
        conv.pool(odd, how), np.asarray(layer(odd[None, :, :, None].astype("float32")))[0, :, :, 0], atol=1e-6
    )


def test_a_shifted_digit_gives_the_shifted_map_and_changes_its_maps_as_measured(digits):
    image, grid = digits[0], conv.kernel("horizontal edge", 3)
    for down, right in [(0, 2), (3, -1), (-2, 0)]:
        moved = conv.shifted(image, down, right)
        np.testing.assert_array_equal(moved, ndimage.shift(image, (down, right), order=0, cval=0.0))
        # away from the border, the map of the moved digit is the map moved: the same weights everywhere
        before, after = conv.feature_map(image, grid, 0.0, 1, "same"), conv.feature_map(moved, grid, 0.0, 1, "same")
        inner = (slice(4, 24), slice(4, 24))
        np.testing.assert_allclose(after[inner], conv.shifted(before, down, right)[inner], atol=1e-12)
    changes = conv.change_after_shift(image, grid, 0.0)
    before, after = (conv.feature_map(p, grid, 0.0, 1, "same") for p in (image, np.roll(image, 1, axis=1)))
    pooled = before[:28].reshape(14, 2, 14, 2).max(axis=(1, 3)), after.reshape(14, 2, 14, 2).max(axis=(1, 3))
    assert changes["feature map"] == pytest.approx(np.abs(after - before).sum() / before.sum())
    assert changes["max pooled"] == pytest.approx(np.abs(pooled[1] - pooled[0]).sum() / pooled[0].sum())


def test_named_kernels_do_what_their_names_say(digits):
    image = digits[3]
    for size in conv.SIZES:
        np.testing.assert_allclose(conv.feature_map(image, conv.kernel("identity", size), 0.0, 1, "same"), image)
        np.testing.assert_allclose(
            conv.weighted_sums(image, conv.kernel("blur", size), 0.0, 1, "same"),
            ndimage.uniform_filter(image, size, mode="constant"),
            atol=1e-12,
        )
        np.testing.assert_array_equal(conv.kernel("vertical edge", size).T, conv.kernel("horizontal edge", size))
    bar = np.zeros((28, 28))
    bar[4:24, 12:16] = 1.0  # a vertical stroke, columns 12 to 15
    lit = conv.feature_map(bar, conv.kernel("vertical edge", 3), 0.0, 1, "same")[14]
    assert set(np.flatnonzero(lit)) == {15, 16}  # its right-hand edge, the last inked column and the next
    with pytest.raises(ValueError):
        conv.kernel("emboss", 3)


def test_the_dense_layer_is_kerass_glorot_start_and_the_brightest_filter_is_the_largest_sum(digits):
    image = digits[0]
    outputs = conv.dense_outputs(image)
    rng_weights = np.random.default_rng(0).uniform(-np.sqrt(6 / 800), np.sqrt(6 / 800), (784, 16))
    np.testing.assert_allclose(outputs, np.maximum(image.reshape(-1) @ rng_weights, 0))
    kernels = [conv.kernel(name, 3) for name in conv.NAMED]
    sums = [signal.correlate2d(image, grid, mode="same").clip(0).sum() for grid in kernels]
    assert conv.brightest(image, kernels) == int(np.argmax(sums))


def test_the_shipped_filters_on_a_digit_are_the_served_networks_first_layer(digits):
    from core.digits import shipped

    loaded = shipped.load(shipped.DIRECTORY)
    assert loaded is not None, "the shipped network is in models/"
    network = loaded[0]
    kernels, biases = network.weights["kernel_0"], network.weights["bias_0"]
    for image in digits:
        first = network.look(image).activations[0][1]
        maps = conv.filter_maps(image, kernels, biases)
        assert maps.shape == first.shape == (28, 28, 16)
        np.testing.assert_allclose(maps, first, atol=1e-5)


def test_inked_places_are_where_the_window_covers_ink(digits):
    for size, stride, padding in SETTINGS:
        places = conv.inked_places(digits[0], size, stride, padding)
        side = conv.output_size(28, size, stride, padding)
        expected = [
            row * side + column
            for row in range(side)
            for column in range(side)
            if conv.window(digits[0], np.ones((size, size)), stride, padding, (row, column))[0].sum() > 0
        ]
        assert places.tolist() == expected
