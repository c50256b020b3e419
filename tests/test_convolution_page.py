"""The convolution page in AppTest: the window's arithmetic is the map's pixel, the step buttons,
your own kernel, the digit carried over from the handwriting page, the trained filters, the revealed
answers against computations of their own (SciPy, Keras) for every setting a link can hold, and the
code listing run in a fresh Python against the page's numbers."""

import itertools
import re

import numpy as np
import pytest
from scipy import ndimage, signal

from core.code import convolution as code
from core.digits import compared, shipped
from core.digits import data as mnist_data
from core.lessons import convolution as conv
from harness import listings

PAGE = "lessons/convolution.py"
CLASSROOM = {"classroom": "true"}


@pytest.fixture
def small_mnist(tiny_mnist, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
    st.cache_resource.clear()
    yield mnist_data.from_npz(str(tiny_mnist))
    st.cache_resource.clear()


def caption_with(app, text):
    return next(caption.value for caption in app.caption if text in caption.value)


def shown_digit(data, index=0):
    """A test digit as the page shows it: MNIST's whole numbers 0–255, scaled to 0–1."""
    return data.x_test[index] / 255.0


def reveal(app, name, guess):
    [question] = [radio for radio in app.radio if radio.key.startswith(f"{name}_guess")]
    question.set_value(guess).run()
    app.button(key=f"{name}_reveal").click().run()
    return " ".join(element.value for element in [*app.success, *app.warning])


def test_each_step_shows_the_products_that_make_the_maps_pixel(open_page, small_mnist):
    app = open_page(PAGE, params={"kernel": "sharpen", "bias": "-0.5", "at": "300"})
    image, grid = shown_digit(small_mnist), conv.kernel("sharpen", 3)
    feature = conv.feature_map(image, grid, -0.5, 1, "valid")
    for expected_at, then in ((300, "Step"), (301, "Step"), (302, "Back"), (301, "End")):
        position = divmod(expected_at, 26)
        said = caption_with(app, "The feature map's pixel in row")
        assert f"row {position[0]}, column {position[1]}" in said and f"is {feature[position]:.3f}" in said
        assert app.number_input(key="at").value == expected_at
        assert f"{expected_at + 1} of 676 places done" in caption_with(app, "places done")
        next(button for button in app.button if button.label == then).click().run()
    assert "676 of 676 places done" in caption_with(app, "places done")


@pytest.mark.parametrize("size,stride,padding", itertools.product(conv.SIZES, conv.STRIDES, conv.PADDINGS))
def test_every_size_stride_and_padding_gives_kerass_map_size(open_page, small_mnist, size, stride, padding):
    import keras

    app = open_page(PAGE, params={"size": str(size), "stride": str(stride), "padding": padding, "kernel": "blur"})
    layer = keras.layers.Conv2D(1, size, strides=stride, padding=padding)
    side = layer.compute_output_shape((None, 28, 28, 1))[1]
    assert f"The feature map, {side} × {side}" in caption_with(app, "The feature map,")
    assert any(f"+ 1 = {side}\n" in latex.value for latex in app.latex)


def test_your_own_kernel_starts_from_the_one_shown_and_changes_the_map(open_page, small_mnist):
    app = open_page(PAGE, params={"kernel": "horizontal edge", "at": "200"})
    next(button for button in app.button if button.label == "Edit these numbers").click().run()
    assert app.selectbox(key="kernel").value == "your own"
    assert [app.number_input(key=f"w{row}{column}").value for row in range(3) for column in range(3)] == conv.kernel(
        "horizontal edge", 3
    ).ravel().tolist()
    app.number_input(key="w11").set_value(4.0).run()
    grid = conv.kernel("horizontal edge", 3)
    grid[1, 1] = 4.0
    value = conv.feature_map(shown_digit(small_mnist), grid, 0.0, 1, "valid")[divmod(200, 26)]
    assert f"is {value:.3f}" in caption_with(app, "The feature map's pixel in row")


def test_the_digit_the_handwriting_page_read_is_carried_over(open_page, small_mnist):
    app = open_page(PAGE, params={"digit": "From the handwriting page"})
    assert any("has not read a digit" in info.value for info in app.info)  # none yet: a test digit instead
    carried = np.zeros((28, 28))
    carried[5:23, 13:15] = 1.0  # a 1
    app.session_state["read_digit"] = carried
    app.run()
    assert any("The last digit the handwriting page read" in caption.value for caption in app.caption)
    value = conv.feature_map(carried, conv.kernel("vertical edge", 3), 0.0, 1, "valid").max()
    assert value == 3.0  # the edge of a stroke of full ink: three ones against three zeros


def test_the_trained_filters_are_the_served_networks_first_layer(open_page, small_mnist, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("NN_EXPLORER_SHIPPED", str(shipped.DIRECTORY))
    st.cache_resource.clear()
    app = open_page(PAGE, params={"kernel": "trained filter 5", "size": "5"})
    network = shipped.load(shipped.DIRECTORY)[0]
    grid = network.weights["kernel_0"][:, :, 0, 4]
    feature = conv.feature_map(shown_digit(small_mnist), grid, 0.0, 1, "valid")  # its own filter, 3 × 3
    assert "The feature map, 26 × 26" in caption_with(app, "The feature map,")
    assert f"is {feature[0, 0]:.3f}" in caption_with(app, "The feature map's pixel in row")
    said = next(markdown.value for markdown in app.markdown if "Look inside" in markdown.value)
    assert float(re.search(r"\*\*([0-9.e+-]+)\*\*", said).group(1)) < 1e-5
    layers = next(table.value for table in app.dataframe if "layer" in table.value.columns)
    assert "Conv2D(16, 3 × 3), ReLU, then MaxPooling2D(2)" in layers["layer"].tolist()
    assert layers["parameters"].sum() == sum(array.size for name, array in network.weights.items())
    compared_table = next(table.value for table in app.dataframe if "mistakes" in table.value.columns)
    with np.load(compared.paths()[2]) as weights:
        nielsen = sum(weights[name].size for name in weights.files if name != "plan")
    assert compared_table["parameters"].tolist() == [f"{layers['parameters'].sum():,}", f"{nielsen:,}"]
    for row, card in zip(compared_table.to_dict("records"), (shipped.card(shipped.DIRECTORY), compared.card())):
        confusion = np.array(card["evaluation"]["confusion"])
        wrong = int(confusion.sum() - np.trace(confusion))
        assert row["mistakes"] == f"{wrong:,} of 10,000"
        assert row["test digits read right"] == f"{1 - wrong / 10_000:.2%}" == f"{card['evaluation']['accuracy']:.2%}"


def test_without_the_trained_network_its_filters_say_so(open_page, small_mnist):
    app = open_page(PAGE, params={"kernel": "trained filter 2"})
    assert any("not on this server" in info.value for info in app.info)
    assert not any("Look inside" in markdown.value for markdown in app.markdown)


def test_a_link_the_page_cannot_use_falls_back_with_a_notice(open_page, small_mnist):
    app = open_page(PAGE, params={"size": "7", "kernel": "emboss", "stride": "0", "at": "-4"})
    notice = " ".join(info.value for info in app.info)
    assert all(key in notice for key in ("size", "kernel", "stride", "at"))
    assert app.selectbox(key="size").value == 3 and app.selectbox(key="kernel").value == "vertical edge"


@pytest.mark.parametrize("size", conv.SIZES)
def test_the_output_size_answer_is_kerass_for_every_kernel_size(open_page, small_mnist, size):
    import keras

    app = open_page(PAGE, params={**CLASSROOM, "size": str(size), "kernel": "blur"})
    side = keras.layers.Conv2D(1, size, strides=2, padding="valid").compute_output_shape((None, 28, 28, 1))[1]
    assert not any("+ 1 =" in latex.value for latex in app.latex)  # nothing given away before the reveal
    assert f"the answer is **{side}**" in reveal(app, "output_size", "28")


def pooled_changes(image, grid, bias, shift):
    """The map and its max pooling before and after a move, by SciPy, apart from the page's code."""
    moved = ndimage.shift(image, (0, shift), order=0, cval=0.0)
    maps = [np.maximum(signal.correlate2d(picture, grid, mode="same") + bias, 0) for picture in (image, moved)]
    pooled = [feature.reshape(14, 2, 14, 2).max(axis=(1, 3)) for feature in maps]
    return [np.abs(after - before).sum() / np.abs(before).sum() for before, after in (maps, pooled)]


def test_the_pooling_answer_agrees_with_scipy_for_every_kernel_bias_and_move(small_mnist):
    images = [shown_digit(small_mnist, index) for index in range(12)]
    for image, name, size, bias, shift in itertools.product(
        images, conv.NAMED, conv.SIZES, (-2.0, 0.0, 0.5), (1, 2, 3)
    ):
        grid = conv.kernel(name, size)
        if conv.feature_map(image, grid, bias, 1, "same").max() == 0:
            continue  # nothing lit: no change to compare
        got = conv.change_after_shift(image, grid, bias, shift)
        expected = pooled_changes(image, grid, bias, shift)
        assert (got["feature map"], got["max pooled"]) == pytest.approx(expected, rel=1e-9)


def test_the_brightest_filter_answer_agrees_with_scipy_on_every_test_digit(small_mnist):
    edges = [conv.kernel(name, 3) for name in conv.NAMED[:2]]
    for index in range(len(small_mnist.x_test)):
        image = shown_digit(small_mnist, index)
        sums = [np.maximum(signal.correlate2d(image, grid, mode="same"), 0).sum() for grid in edges]
        assert conv.brightest(image, edges) == int(np.argmax(sums))


def test_the_questions_reveal_what_the_page_then_shows(open_page, small_mnist):
    app = open_page(PAGE, params={**CLASSROOM, "kernel": "sharpen", "shift": "2"})
    image = shown_digit(small_mnist)
    changes = conv.change_after_shift(image, conv.kernel("sharpen", 3), 0.0, 2)
    less = "the feature map" if changes["feature map"] < changes["max pooled"] else "the max-pooled map"
    assert f"the answer is **{less}**" in reveal(app, "pooled_shift", "the feature map")
    edges = [conv.kernel(name, 3) for name in conv.NAMED[:2]]
    assert f"the answer is **{conv.NAMED[conv.brightest(image, edges)]}**" in reveal(
        app, "brightest_filter", "vertical edge"
    )


@pytest.mark.slow
@pytest.mark.parametrize("size,stride,padding", [(5, 2, "same"), (3, 1, "valid")])
def test_the_code_gives_the_pages_map_by_numpy_scipy_and_keras(tmp_path, small_mnist, size, stride, padding):
    image, grid = shown_digit(small_mnist, 3), np.round(np.random.default_rng(size).normal(size=(size, size)), 2)
    got = listings.run(code.convolution_page(image, grid, 0.3, stride, padding), tmp_path)
    expected = conv.feature_map(image, grid, 0.3, stride, padding)
    np.testing.assert_allclose(got["feature_map"], expected, atol=1e-12)
    np.testing.assert_allclose(got["scipy_map"], expected, atol=1e-12)
    np.testing.assert_allclose(got["keras_map"], expected, atol=1e-5)
    np.testing.assert_allclose(got["pooled"], conv.pool(expected), atol=1e-12)
    np.testing.assert_allclose(got["keras_pooled"], conv.pool(expected), atol=1e-5)


def test_a_moved_digit_moves_its_map_but_changes_a_dense_layers_outputs(open_page, small_mnist):
    app = open_page(PAGE, params={"shift": "2", "kernel": "horizontal edge", "bias": "0.4"})
    said = next(markdown.value for markdown in app.markdown if "The same pattern found anywhere" in markdown.value)
    assert "the largest difference from the old map moved is 0)" in said
    image = shown_digit(small_mnist)
    weights = np.random.default_rng(0).uniform(-np.sqrt(6 / 800), np.sqrt(6 / 800), (784, 16))
    before = np.maximum(image.reshape(-1) @ weights, 0)
    after = np.maximum(ndimage.shift(image, (0, 2), order=0).reshape(-1) @ weights, 0)
    assert f"change by {np.abs(after - before).sum() / before.sum():.0%}" in said
