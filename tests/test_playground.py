import numpy as np
import pytest

from core.lessons import playground
from core.charts import playground as playground_charts


@pytest.mark.parametrize("name", playground.DATASETS)
@pytest.mark.parametrize("n_points", [50, 300])
def test_every_data_set_has_the_requested_size_and_both_classes(name, n_points):
    X, y = playground.make_dataset(name, n_points, noise=0.2, seed=3)
    assert X.shape == (n_points, 2) and y.shape == (n_points,)
    assert set(np.unique(y)) == {0, 1}
    assert np.abs(X).max() <= playground.EXTENT


def test_data_sets_are_seeded():
    first = playground.make_dataset("Two spirals", seed=1)[0]
    assert np.array_equal(first, playground.make_dataset("Two spirals", seed=1)[0])
    assert not np.array_equal(first, playground.make_dataset("Two spirals", seed=2)[0])


def test_features_match_their_formulas():
    X = np.array([[0.5, -2.0], [1.0, 3.0]])
    expanded = playground.expand(X, ("x1", "x2", "x1²", "x2²", "x1·x2", "sin x1", "sin x2"))
    x1, x2 = X[:, 0], X[:, 1]
    assert np.allclose(expanded, np.column_stack([x1, x2, x1 ** 2, x2 ** 2, x1 * x2, np.sin(x1), np.sin(x2)]))


def trained(name, epochs=300, **settings):
    X, y = playground.make_dataset(name, 300, noise=0.05, seed=0)
    data = playground.split(X, y, 0.3, seed=0)
    return playground.Playground(**settings).train(data, epochs), data


def test_no_hidden_layer_cannot_fit_xor():
    model, _ = trained("XOR quadrants", hidden=(), learning_rate=0.1)
    # one straight line can at best cut off one quadrant of four: 75%
    assert model.history_["train_accuracy"][-1] <= 0.76
    assert model.history_["test_accuracy"][-1] <= 0.8


def test_one_hidden_layer_of_four_fits_xor():
    model, _ = trained("XOR quadrants", hidden=(4,), learning_rate=0.1)
    assert model.history_["test_accuracy"][-1] >= 0.95


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
    model, data = trained("Two moons", epochs=20, hidden=(5, 3), activation="ReLU",
                          features=("x1", "x2", "x1·x2"))
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

    X, y = playground.make_dataset("XOR quadrants", 200, 0.1, 0)
    data = playground.split(X, y, 0.3, 0)
    model = playground.Playground(hidden=(5, 3), activation="tanh", features=("x1", "x2", "x1·x2")).train(data, 10)
    exported = json.loads(json.dumps(model.export()))
    assert exported["layer_sizes"] == [3, 5, 3, 1] and exported["epochs"] == 10
    x1, x2 = data.X_test[:, 0], data.X_test[:, 1]
    a = np.column_stack([x1, x2, x1 * x2])  # the features, written out independently
    for index, (weights, bias) in enumerate(zip(exported["weights"], exported["biases"])):
        z = a @ np.array(weights) + np.array(bias)
        a = 1 / (1 + np.exp(-z)) if index == len(exported["weights"]) - 1 else np.tanh(z)
    np.testing.assert_allclose(a[:, 0], model.model_.predict_proba(playground.expand(data.X_test, model.features))[:, 1],
                               rtol=1e-10)
