"""Looking inside a network as the server serves it (core/digits/network.py): activations,
first-layer weights, saliency and nearest training digits, checked against independent references
(Keras's own layers, layer arithmetic in numpy, finite differences, exact search), and the page's
views for a real prediction."""

import dataclasses
import tempfile
from types import SimpleNamespace

import keras
import numpy as np
import pytest

from core.digits import explain, preprocess, training
from core.digits import model as mnist_model
from core.digits.saved import ModelStore
from tests.conftest import metric
from tests.test_mnist_page import LOOK_INSIDE, PAGE, canvas_state, drawing_of, open_tab


@pytest.fixture(scope="module")
def networks(trained_default):
    """The default convolutional network and a small Nielsen network, both trained on the small
    file: each as Keras has it (`keras`) and as the server serves it (`served`)."""
    data = trained_default.data
    found = {}
    nielsen = dataclasses.replace(mnist_model.PRESETS["nielsen"], epochs=2)
    store = ModelStore(tempfile.mkdtemp())
    training.train_and_save(nielsen, data, store)
    for kind, (folder, key) in {
        "convolutional": (ModelStore(trained_default.directory), mnist_model.DEFAULT.key(data.data_id)),
        "dense": (store, nielsen.key(data.data_id)),
    }.items():
        found[kind] = SimpleNamespace(keras=folder.load_keras(key)[0], served=folder.load(key)[0])
    return found, data


def score(network, images, digit):
    """The output neuron's weighted sum z for one digit, computed by hand from the last hidden layer."""
    kernel, bias = network.weights[f"kernel_{len(network.plan) - 1}"], network.weights[f"bias_{len(network.plan) - 1}"]
    return network.embeddings(images).astype(np.float64) @ kernel[:, digit] + bias[digit]


def keras_hidden_layers(model):
    return [
        layer
        for layer in model.layers
        if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense)) and layer.name != "probabilities"
    ]


@pytest.mark.parametrize("kind", ["convolutional", "dense"])
def test_activations_have_the_layers_shapes_and_are_finite(networks, kind):
    models, data = networks
    model = models[kind]
    inside = model.served.look(data.x_test[0] / 255.0)
    layers = keras_hidden_layers(model.keras)
    assert len(inside.activations) == len(layers)
    for (_, values), layer in zip(inside.activations, layers):
        assert values.shape == tuple(layer.output.shape[1:]) and np.isfinite(values).all()
    assert inside.probabilities.shape == (10,) and np.isfinite(inside.embedding).all()
    expected = mnist_model.classify(model.keras, data.x_test[:1] / 255.0)[0]
    np.testing.assert_allclose(inside.probabilities, expected, rtol=1e-5, atol=1e-6)


def test_a_dense_layers_activations_are_its_weighted_sums_squashed(networks):
    models, data = networks
    model = models["dense"]
    image = data.x_test[1] / 255.0
    kernel, bias = keras_hidden_layers(model.keras)[0].get_weights()
    by_hand = 1 / (1 + np.exp(-(image.reshape(-1) @ kernel + bias)))  # the Nielsen preset is sigmoid
    np.testing.assert_allclose(model.served.look(image).activations[0][1], by_hand, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kind", ["convolutional", "dense"])
def test_first_layer_pictures_are_its_weights(networks, kind):
    model = networks[0][kind]
    pictures = model.served.first_layer_pictures()
    kernel = keras_hidden_layers(model.keras)[0].get_weights()[0]
    if kind == "dense":
        assert pictures.shape == (kernel.shape[1], 28, 28)
        np.testing.assert_array_equal(pictures[3].reshape(-1), kernel[:, 3])
    else:
        assert pictures.shape == (kernel.shape[3], 3, 3)
        np.testing.assert_array_equal(pictures[5], kernel[:, :, 0, 5])


@pytest.mark.parametrize("kind", ["convolutional", "dense"])
def test_saliency_adds_up_to_the_scores_change_along_the_ink(networks, kind):
    # Σ gradient × input is the derivative of the score along the image itself: d/dt z(x + t·x)
    # at t = 0, measured here by finite differences on the network's own forward pass.
    models, data = networks
    model = models[kind].served
    image = (data.x_test[2] / 255.0).astype(np.float32)
    digit = int(np.argmax(model.predict_one(image)))
    saliency = model.saliency(image, digit)
    assert saliency.shape == (28, 28) and np.isfinite(saliency).all()
    step = 1e-3
    change = score(model, np.stack([image * (1 + step), image * (1 - step)]), digit)
    assert saliency.sum() == pytest.approx((change[0] - change[1]) / (2 * step), rel=0.02, abs=1e-3)


def test_saliency_per_pixel_matches_finite_differences_on_a_smooth_network(networks):
    models, data = networks
    model = models["dense"].served  # sigmoid throughout: smooth, so a small step is accurate
    image = (data.x_test[2] / 255.0).astype(np.float32)
    digit = int(np.argmax(model.predict_one(image)))
    saliency = model.saliency(image, digit)
    step = 1e-2
    for row, column in np.argwhere(image > 0.5)[::15][:8]:
        up, down = image.copy(), image.copy()
        up[row, column] += step
        down[row, column] -= step
        slope = (score(model, up[None], digit) - score(model, down[None], digit))[0] / (2 * step)
        assert saliency[row, column] == pytest.approx(slope * image[row, column], rel=0.02, abs=1e-4)


def test_the_saliency_of_a_digit_on_an_empty_image_stays_on_the_digit(networks):
    models, data = networks
    model = models["convolutional"].served
    field = np.zeros((28, 28), dtype=np.float32)
    small = preprocess.naive_resize(data.x_test[3])  # the digit shrunk to 14 × 14, pasted top-left
    field[2:16, 3:17] = np.asarray(keras.ops.image.resize(small[None, ..., None], (14, 14)))[0, :, :, 0]
    saliency = model.saliency(field, int(np.argmax(model.predict_one(field))))
    ink = field > 0
    assert np.abs(saliency[ink]).sum() > 0
    assert np.abs(saliency[~ink]).sum() == 0


@pytest.mark.parametrize("kind", ["convolutional", "dense"])
def test_a_training_digits_nearest_neighbour_is_itself(networks, kind):
    models, data = networks
    explainer = models[kind].served
    embeddings = explainer.embeddings(data.x_train)
    index = explain.NeighbourIndex.build(embeddings)
    assert 0 < index.variance_kept <= 1 + 1e-6
    for number in (0, 17, 555):
        nearest, distances = index.nearest(explainer.look(data.x_train[number] / 255.0).embedding, 5)
        assert number in nearest and distances[0] == pytest.approx(0, abs=1e-3)
        assert list(distances) == sorted(distances)


def test_a_small_layer_is_searched_exactly_and_a_large_one_through_pca(networks):
    models, data = networks
    small = models["dense"].served.embeddings(data.x_train[:300])
    exact = explain.NeighbourIndex.build(small)
    query = small[7] + 0.01
    nearest, distances = exact.nearest(query, 4)
    brute = np.argsort(np.linalg.norm(small - query, axis=1))[:4]
    assert exact.variance_kept == 1.0 and list(nearest) == list(brute)
    np.testing.assert_allclose(distances, np.sort(np.linalg.norm(small - query, axis=1))[:4], rtol=1e-4)
    large = models["convolutional"].served.embeddings(data.x_train[:300])
    projected = explain.NeighbourIndex.build(large)
    assert large.shape[1] > explain.MAX_EMBEDDING_DIMENSIONS
    assert projected.projected.shape == (300, explain.MAX_EMBEDDING_DIMENSIONS) and projected.variance_kept < 1


def test_the_pca_and_the_search_agree_with_scikit_learn(networks):
    from sklearn.decomposition import PCA
    from sklearn.neighbors import NearestNeighbors

    models, data = networks
    embeddings = models["convolutional"].served.embeddings(data.x_train[:600])
    index = explain.NeighbourIndex.build(embeddings)
    reference = PCA(n_components=explain.MAX_EMBEDDING_DIMENSIONS, svd_solver="full").fit(embeddings)
    assert index.variance_kept == pytest.approx(reference.explained_variance_ratio_.sum(), rel=1e-4)
    np.testing.assert_allclose(index.mean, reference.mean_, rtol=1e-4, atol=1e-5)
    agreement = np.abs(np.sum(index.components * reference.components_, axis=1))  # ±1: a direction has no sign
    assert agreement[:40].min() > 0.999  # the 40 main directions (the last few have near-equal spreads)
    search = NearestNeighbors(algorithm="brute").fit(index.projected)
    for number in (3, 99, 250):
        query = models["convolutional"].served.look(data.x_test[number] / 255.0).embedding
        nearest, distances = index.nearest(query, 6)
        reference_distances, reference_nearest = search.kneighbors(
            ((query - index.mean) @ index.components.T)[None], n_neighbors=6
        )
        assert list(nearest) == list(reference_nearest[0])
        np.testing.assert_allclose(distances, reference_distances[0], rtol=1e-4, atol=1e-4)


def test_the_pca_summed_a_batch_at_a_time_equals_numpys_eigendecomposition_far_from_zero():
    """The scatter is summed in batches of any size, shifted by the first batch's mean: points a
    million away from zero give the covariance's eigenpairs as numpy computes them at once."""
    rng = np.random.default_rng(7)
    points = 1e6 + rng.normal(size=(700, 12)) * np.linspace(0.1, 3, 12)
    mean, directions, kept = explain.principal_directions((points[:5], points[5:333], points[333:]), 4)
    spread, vectors = np.linalg.eigh(np.cov(points, rowvar=False, bias=True))
    np.testing.assert_allclose(mean, points.mean(axis=0), rtol=1e-12)
    assert kept == pytest.approx(spread[-4:].sum() / spread.sum(), rel=1e-9)
    agreement = np.abs(np.sum(directions * vectors[:, ::-1][:, :4].T, axis=1))  # ±1: a direction has no sign
    assert agreement.min() > 1 - 1e-9


def test_the_index_is_saved_beside_its_model_and_a_corrupt_copy_is_dropped(networks, tmp_path):
    models, data = networks
    index = explain.neighbour_index(models["dense"].served.embeddings, data.x_train[:200])
    store = ModelStore(tmp_path)
    assert store.save_arrays("k", explain.NEIGHBOURS, index.arrays())
    loaded = explain.NeighbourIndex.from_arrays(store.load_arrays("k", explain.NEIGHBOURS))
    np.testing.assert_array_equal(loaded.projected, index.projected)
    store.arrays_path("k", explain.NEIGHBOURS).write_bytes(b"not an npz")
    assert store.load_arrays("k", explain.NEIGHBOURS) is None
    assert not store.arrays_path("k", explain.NEIGHBOURS).exists()


@pytest.mark.parametrize("damage", ["missing arrays", "wrong width", "wrong count"])
def test_a_saved_index_of_the_wrong_shape_is_rebuilt(networks, tmp_path, damage):
    models, data = networks
    images, store, dense = data.x_train[:200], ModelStore(tmp_path), models["dense"].served
    good = explain.saved_neighbour_index(store, "k", dense.embeddings, dense.embedding_width, images)
    arrays = good.arrays()
    if damage == "missing arrays":
        del arrays["components"]
    elif damage == "wrong width":
        arrays["mean"], arrays["components"] = arrays["mean"][:-1], arrays["components"][:, :-1]
    else:
        arrays["projected"] = arrays["projected"][:-5]
    store.save_arrays("k", explain.NEIGHBOURS, arrays)
    rebuilt = explain.saved_neighbour_index(store, "k", dense.embeddings, dense.embedding_width, images)
    np.testing.assert_array_equal(rebuilt.projected, good.projected)
    assert explain.NeighbourIndex.fits(store.load_arrays("k", explain.NEIGHBOURS), dense.embedding_width, len(images))
    rebuilt.nearest(dense.embeddings(images[:1])[0])  # and it answers


def test_training_saves_the_neighbour_index_with_the_model(trained_default):
    key = mnist_model.DEFAULT.key(trained_default.data.data_id)
    arrays = ModelStore(trained_default.directory).load_arrays(key, explain.NEIGHBOURS)
    assert arrays["projected"].shape == (len(trained_default.data.x_train), explain.MAX_EMBEDDING_DIMENSIONS)


def test_the_views_render_for_a_random_test_digit(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page(PAGE, timeout=90, params={"input": "Random test digit"})
    assert [tab.label for tab in app.tabs] == LOOK_INSIDE
    assert any("A test digit is already in MNIST's form" in m.value for m in app.tabs[0].markdown)
    assert not app.tabs[4].get("image")  # only the open tab's view is drawn
    assert len(open_tab(app, "Activations").get("image")) == len(mnist_model.DEFAULT.hidden)  # maps per layer
    [filters] = open_tab(app, "What the first layer looks for").get("image")
    assert len(filters.value) == mnist_model.DEFAULT.hidden[0]
    assert len(open_tab(app, "Which pixels mattered").get("image")) == 3  # the overlay, and the two sides
    nearest = open_tab(app, "Nearest training digits").get("image")
    assert len(nearest) == 6
    assert all(
        caption.startswith("a ") and "distance" in caption
        for image in nearest
        for caption in image.proto.imgs[0].caption.split("\n")
    )
    assert metric(app, "Prediction").isdigit()


def test_the_straight_resize_toggle_feeds_the_network_the_straight_resize(environment, trained_default, open_page):
    data = environment(trained_default.directory)
    model = ModelStore(trained_default.directory).load_keras(mnist_model.DEFAULT.key(data.data_id))[0]
    drawing = drawing_of(data.x_test[5])
    pixels = np.asarray(drawing)
    app = open_page(PAGE, timeout=90)
    app.session_state["canvas_0"] = canvas_state(drawing)
    app.run()
    recipe = mnist_model.classify(model, preprocess.to_mnist(pixels)[None])[0]  # Keras: the served network must agree
    assert metric(app, "Confidence") == f"{recipe.max():.1%}"
    app.toggle(key="straight").set_value(True).run()
    straight = mnist_model.classify(model, preprocess.naive_resize(pixels)[None])[0]
    assert metric(app, "Prediction") == str(int(np.argmax(straight)))
    assert metric(app, "Confidence") == f"{straight.max():.1%}"
    assert not np.allclose(recipe, straight)


def test_a_dense_network_with_two_hidden_layers_shows_a_bar_chart_per_layer(networks, environment, open_page, tmp_path):
    _, data = networks
    environment(tmp_path)
    config = mnist_model.validate(dataclasses.replace(mnist_model.PRESETS["dense"], hidden=(32, 16), epochs=1))
    training.train_and_save(config, data, ModelStore(tmp_path))
    app = open_page(
        PAGE,
        timeout=90,
        params={
            "preset": mnist_model.PRESET_NAMES["dense"],
            "hidden_dense": "32,16",
            "epochs_dense": "1",
            "input": "Random test digit",
        },
    )
    assert metric(app, "Prediction").isdigit()
    activations = open_tab(app, "Activations")
    assert len(activations.get("vega_lite_chart")) == 2
    assert len(activations.get("image")) == 1  # one row of the most active layer-1 neurons' weights
