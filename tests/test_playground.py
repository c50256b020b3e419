import numpy as np
import pytest

from core.charts import playground as playground_charts
from core.lessons import playground, playground_data, playground_points


@pytest.mark.parametrize("name", playground_data.DATASETS)
@pytest.mark.parametrize("n_points", [50, 300])
def test_every_data_set_has_the_requested_size_and_every_class(name, n_points):
    X, y = playground_data.make_dataset(name, n_points, noise=0.2, seed=3)
    assert X.shape == (n_points, 2) and y.shape == (n_points,)
    assert set(np.unique(y)) == set(range(playground_data.BLOBS.get(name, 2)))
    assert np.abs(X).max() <= playground_data.EXTENT


@pytest.mark.parametrize("name", playground_data.SURFACES)
def test_surfaces_give_a_number_at_every_point(name):
    X, y = playground_data.make_dataset(name, 400, noise=0.0, seed=1)
    assert X.shape == (400, 2) and y.dtype.kind == "f" and np.abs(X).max() <= playground_data.EXTENT
    if name == "Tilted plane":
        np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / (2 * playground_data.EXTENT))
    else:  # a hill at (−0.75, −0.75), a hollow at (−0.75, 0.75): near the centres, nearly ±1
        hill, hollow = np.argmin(np.abs(X - (-0.75, -0.75)).sum(1)), np.argmin(np.abs(X - (-0.75, 0.75)).sum(1))
        assert y[hill] > 0.8 and y[hollow] < -0.8


def test_data_sets_are_seeded():
    first = playground_data.make_dataset("Two spirals", seed=1)[0]
    assert np.array_equal(first, playground_data.make_dataset("Two spirals", seed=1)[0])
    assert not np.array_equal(first, playground_data.make_dataset("Two spirals", seed=2)[0])


def test_features_match_their_formulas():
    X = np.array([[0.5, -2.0], [1.0, 3.0]])
    expanded = playground.expand(X, ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2"))
    x1, x2 = X[:, 0], X[:, 1]
    assert np.allclose(expanded, np.column_stack([x1, x2, x1**2, x2**2, x1 * x2, np.sin(x1), np.sin(x2)]))


def trained(name, epochs=300, **settings):
    X, y = playground_data.make_dataset(name, 300, noise=0.05, seed=0)
    data = playground_data.split(X, y, 0.3, seed=0)
    return playground.Playground(**settings).train(data, epochs), data


def test_no_hidden_layer_cannot_fit_xor():
    model, _ = trained("XOR quadrants", hidden=(), learning_rate=0.1)
    # one straight line can at best cut off one quadrant of four: 75%
    assert model.history_["train_accuracy"][-1] <= 0.76
    assert model.history_["test_accuracy"][-1] <= 0.8


def test_one_hidden_layer_of_four_fits_xor():
    model, _ = trained("XOR quadrants", hidden=(4,), learning_rate=0.1)
    assert model.history_["test_accuracy"][-1] >= 0.95


@pytest.mark.slow
def test_squares_make_the_circle_separable_without_hidden_layers():
    plain, _ = trained("Circle in a ring", hidden=(), learning_rate=0.1)
    squared, _ = trained("Circle in a ring", hidden=(), learning_rate=0.1, features=("x1", "x2", "x1²", "x2²"))
    assert plain.history_["test_accuracy"][-1] < 0.7
    assert squared.history_["test_accuracy"][-1] >= 0.95


@pytest.mark.parametrize("activation", list(playground.ACTIVATIONS))
def test_a_learning_rate_of_ten_is_caught(activation):
    model, _ = trained("Two spirals", epochs=10, hidden=(8, 8), activation=activation, learning_rate=10.0)
    assert model.diverged_ or model.unstable
    assert all(np.isfinite(model.history_["train_loss"]))  # nothing non-finite is recorded


def test_a_sensible_learning_rate_is_not_flagged():
    model, _ = trained("Two spirals", epochs=100, hidden=(8, 8), learning_rate=0.03)
    assert not model.diverged_ and not model.unstable


def test_blown_up_weights_stop_training():
    model, data = trained("XOR quadrants", epochs=10, hidden=(4,), activation="linear", learning_rate=10.0)
    assert model.diverged_
    epoch = model.epoch
    model.train(data, 10)
    assert model.epoch == epoch  # a diverged network is not trained further


def test_forward_pass_matches_scikit_learn():
    model, data = trained("Two moons", epochs=20, hidden=(5, 3), activation="ReLU", features=("x1", "x2", "x1·x2"))
    mine = model.layer_outputs(data.X_test)[-1][:, 0]
    reference = model.model_.predict_proba(playground.expand(data.X_test, model.features))[:, 1]
    assert mine == pytest.approx(reference, abs=1e-10)


def test_grid_and_neuron_maps_have_the_documented_shapes():
    model, data = trained("Two moons", epochs=5, hidden=(3, 2))
    grid = model.grid(20)
    assert grid.shape == (400, 3) and grid["probability"].between(0, 1).all()
    maps = model.neuron_maps(12)
    assert [m.shape for m in maps] == [(3, 12, 12), (2, 12, 12)]
    assert playground_charts.neuron_image(maps[0][0]).size == (72, 72)
    playground_charts.boundary(grid, data).to_dict()
    playground_charts.network([2, 3, 2, 1], model.model_.coefs_, ("x1", "x2")).to_dict()


def test_the_exported_network_gives_scikit_learns_predictions():
    import json

    X, y = playground_data.make_dataset("XOR quadrants", 200, 0.1, 0)
    data = playground_data.split(X, y, 0.3, 0)
    model = playground.Playground(hidden=(5, 3), activation="tanh", features=("x1", "x2", "x1·x2")).train(data, 10)
    exported = json.loads(json.dumps(model.export()))
    assert exported["layer_sizes"] == [3, 5, 3, 1] and exported["epochs"] == 10
    x1, x2 = data.X_test[:, 0], data.X_test[:, 1]
    a = np.column_stack([x1, x2, x1 * x2])  # the features, written out independently
    for index, (weights, bias) in enumerate(zip(exported["weights"], exported["biases"])):
        z = a @ np.array(weights) + np.array(bias)
        a = 1 / (1 + np.exp(-z)) if index == len(exported["weights"]) - 1 else np.tanh(z)
    np.testing.assert_allclose(
        a[:, 0], model.model_.predict_proba(playground.expand(data.X_test, model.features))[:, 1], rtol=1e-10
    )


@pytest.mark.parametrize("name", ["Three blobs", "Four blobs"])
def test_several_classes_use_a_softmax_that_matches_scikit_learn(name):
    X, y = playground_data.make_dataset(name, 300, 0.1, 0)
    classes = playground_data.classes_in(y)
    data = playground_data.split(X, y, 0.3, 0, classes)
    model = playground.Playground(hidden=(6,), classes=classes).train(data, 30)
    reference = model.model_.predict_proba(playground.expand(data.X_test, model.features))
    np.testing.assert_allclose(model.predict(data.X_test), reference, rtol=1e-10, atol=1e-12)
    assert model.history_["test_accuracy"][-1] >= 0.9
    assert model.history_["test_loss"][-1] == pytest.approx(
        -np.mean(np.log(reference[np.arange(len(data.y_test)), data.y_test])), rel=1e-9
    )
    table = model.per_class(data)
    assert list(table["class"]) == list(range(classes)) and table["test points"].sum() == len(data.y_test)
    assert np.average(table["accuracy"], weights=table["test points"]) == pytest.approx(
        model.history_["test_accuracy"][-1]
    )
    grid = model.grid(10)
    assert set(grid.columns) == {"x1", "x2", "class", "confidence"} and grid["confidence"].between(1 / classes, 1).all()
    exported = model.export()
    assert exported["layer_sizes"] == [2, 6, classes] and exported["output"].startswith("softmax")
    playground_charts.boundary(grid, data, classes).to_dict()


def test_regression_matches_scikit_learns_mlpregressor_and_scores_the_mean_squared_error():
    X, y = playground_data.make_dataset("Hills and hollows", 300, 0.05, 0)
    data = playground_data.split(X, y, 0.3, 0, classes=0)
    model = playground.Playground(hidden=(8, 8), classes=0).train(data, 60)
    reference = model.model_.predict(playground.expand(data.X_test, model.features))
    np.testing.assert_allclose(model.predict(data.X_test), reference, rtol=1e-10, atol=1e-12)
    assert model.history_["test_loss"][-1] == pytest.approx(np.mean((reference - data.y_test) ** 2), rel=1e-9)
    assert model.history_["test_loss"][-1] < 0.5 * np.var(data.y_test)  # it learnt more than the mean
    assert not model.history_["test_accuracy"]
    grid = model.grid(10)
    assert set(grid.columns) == {"x1", "x2", "value"}
    assert model.export()["output"].startswith("identity") and model.export()["layer_sizes"][-1] == 1
    playground_charts.boundary(grid, data, 0).to_dict()


@pytest.mark.parametrize("classes", [2, 3, 0])
def test_the_same_start_gives_the_same_run_and_another_start_does_not(classes):
    name = {2: "Two moons", 3: "Three blobs", 0: "Tilted plane"}[classes]
    X, y = playground_data.make_dataset(name, 200, 0.1, 0)
    data = playground_data.split(X, y, 0.3, 0, classes)
    runs = [playground.Playground(hidden=(4,), seed=seed, classes=classes).train(data, 3) for seed in (7, 7, 8)]
    assert runs[0].history_["train_loss"] == runs[1].history_["train_loss"]  # identical, not just close
    np.testing.assert_array_equal(runs[0].model_.coefs_[0], runs[1].model_.coefs_[0])
    assert runs[0].history_["train_loss"][0] != runs[2].history_["train_loss"][0]


def test_an_untrained_network_has_no_opinion_on_the_plane():
    assert (playground.Playground(classes=2).grid(5)["probability"] == 0.5).all()
    assert (playground.Playground(classes=4).grid(5)["confidence"] == 0).all()
    assert (playground.Playground(classes=0).grid(5)["value"] == 0).all()


def test_own_points_are_added_to_the_data_and_too_few_are_explained():
    X, y = playground_data.make_dataset(playground_data.ONLY_YOURS)
    assert X.shape == (0, 2)
    X, y = playground_data.with_points(X, y, [[0.1, 0.2, 0], [0.3, -0.4, 1], [-1.0, 1.0, 2]])
    np.testing.assert_array_equal(y, [0, 1, 2])
    assert playground_data.classes_in(y) == 3
    with pytest.raises(ValueError, match="at least 2 points of each class"):
        playground_data.split(X, y, 0.3, 0, 3)
    X, y = playground_data.with_points(X, y, [[0.5, 0.5, label] for label in (0, 1, 2)] * 1)
    with pytest.raises(ValueError, match="keep some of each class for testing"):
        playground_data.split(X, y, 0.1, 0, 3)


def test_points_round_trip_through_csv():
    X, y = playground_data.make_dataset("Four blobs", 120, 0.1, 2)
    X2, y2 = playground_points.read_points(playground_points.points_csv(X, y).encode())
    np.testing.assert_allclose(X2, X, atol=5e-6)
    np.testing.assert_array_equal(y2, y)


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b,c\n1,2,0\n", "columns x1, x2, label"),
        ("x1,x2\n1,2\n", "columns x1, x2, label"),
        ("x1,x2,label\n", "no points"),
        ("x1,x2,label\n0.5,abc,1\n", "Line 2: x2 is not a number"),
        ("x1,x2,label\n0.5,0.1,1\nNaN,0.2,0\n", "Line 3: x1 is not a number"),
        ("x1,x2,label\n0.5,,1\n", "Line 2: x2 is not a number"),
        ("x1,x2,label\n0.5,inf,1\n", "Line 2: x2 is not a number"),
        ("x1,x2,label\n0.5,0.1,7\n", "Line 2: the label must be a class number from 0 to 3"),
        ("x1,x2,label\n0.5,0.1,0.5\n", "Line 2: the label must be a class number"),
        ("x1,x2,label\n0.5,9,1\n", "Line 2: the point lies outside the plane"),
        ("x1,x2,label\n" + "0.1,0.1,0\n" * 2001, "more than 2,000 points; at most 2,000"),
        ("x1,x2,label\n5,0.1,0.2,1\n", "Line 2 has 4 values; every line needs exactly three"),  # not read shifted
        ("x1,x2,label\n0.1,0.2\n", "Line 2 has 2 values"),
        ("x1,x2,label\n0.1;0.2;1\n", "Line 2 has 1 values"),
        ("x1,x2,label\n1e308,0.1,1\n", "Line 2: the point lies outside the plane"),
        ("x1,x2,label\n=1+1,0.1,1\n", "Line 2: x1 is not a number"),
        ("", "not a CSV file we can read"),
    ],
)
def test_bad_csv_files_are_refused_in_plain_words(text, message):
    with pytest.raises(ValueError, match=message):
        playground_points.read_points(text.encode())


def test_a_binary_file_is_refused_not_crashed_on():
    with pytest.raises(ValueError, match="CSV"):
        playground_points.read_points(bytes(range(256)) * 4)


def test_a_csv_with_spaces_and_capitals_in_its_header_is_read():
    X, y = playground_points.read_points(b" X1 , x2 ,Label\n0.5, -0.25, 1\n-1, 1, 0\n")
    np.testing.assert_allclose(X, [[0.5, -0.25], [-1, 1]])
    assert y.tolist() == [1, 0]


def test_training_can_be_bounded_by_time_but_always_makes_one_whole_epoch():
    rng = np.random.default_rng(0)
    X = rng.uniform(-playground_data.EXTENT, playground_data.EXTENT, (2000, 2))
    data = playground_data.split(X, (X[:, 0] * X[:, 1] > 0).astype(int))
    model = playground.Playground(hidden=(16,) * 6, batch_size=1)
    model.train(data, 10, seconds=0.0)
    assert model.last_epochs_ == 1 and model.epoch == 1  # a whole epoch, then it stops
    model.train(data, 2)
    assert model.last_epochs_ == 2 and model.epoch == 3  # without a bound, every epoch asked for


def test_a_first_line_of_a_hundred_thousand_columns_is_refused_from_that_line_with_its_cells_short():
    header = ",".join(f"[click me](http://example.com/{number})" for number in range(100_000))
    data = (header + "\n" + "1,2,3\n" * 10).encode()
    with pytest.raises(ValueError, match="first line is over 1,000 characters") as refused:
        playground_points.read_points(data)
    message = str(refused.value)
    assert len(message) < 300 and "…" in message  # quoted cut short, never the whole line
    with pytest.raises(ValueError, match="6 column"):  # a short first line of other columns names a few
        playground_points.read_points(b"a,b,c,d,e,f\n1,2,3\n")


def test_a_file_from_another_encoding_or_with_a_byte_order_mark():
    with pytest.raises(ValueError, match="UTF-8"):
        playground_points.read_points("x1,x2,label\n0.5,0.1,1\n".encode("utf-16"))
    X, y = playground_points.read_points("x1,x2,label\n0.5,0.1,1\n".encode("utf-8-sig"))
    assert X.tolist() == [[0.5, 0.1]] and y.tolist() == [1]
