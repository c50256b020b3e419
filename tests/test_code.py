"""The code behind each concept lesson (core/code/) runs as a learner would run it, in a fresh
Python, and gives the numbers the app's own functions give for the same values."""

import json

import nbformat
import numpy as np
import pytest

from core.code import basics, networks
from core.code.listing import Listing, Step, literal
from core.lessons import backprop, descent, neuron, perceptron, playground, playground_data, regression
from harness import listings


def test_literal_reads_back_as_the_same_value():
    values = [
        0.1,
        1 / 3,
        -2.5e-17,
        7,
        True,
        None,
        "Two moons",
        (1.0,),
        [1, 2.5],
        {"a": (0, 1)},
        np.array([[0.5, -0.25], [1e-9, 3.0]]),
    ]
    for value in values:
        expected = value.tolist() if hasattr(value, "tolist") else value
        assert eval(literal(value)) == expected
    with pytest.raises(ValueError):
        literal(float("nan"))


def test_a_listing_is_a_valid_notebook_and_script():
    listing = Listing("Title", "Intro.", (Step("First, in words.", "a = 1"), Step("Then.", "b = a + 1")), ("b",))
    notebook = nbformat.reads(listing.notebook(), as_version=4)
    nbformat.validate(notebook)
    assert [cell.cell_type for cell in notebook.cells] == ["markdown", "markdown", "code", "markdown", "code"]
    assert [cell.source for cell in notebook.cells if cell.cell_type == "code"] == ["a = 1", "b = a + 1"]
    scope = {}
    exec(listing.script(), scope)
    assert scope["b"] == 2


@pytest.mark.parametrize("m, b, x, y, noise, seed", [(2.0, 2.0, 3.0, 10.0, 1.5, 0), (-1.3, 7.9, -4.5, 22.0, 0.0, 17)])
def test_the_loss_code_gives_the_page_numbers(tmp_path, m, b, x, y, noise, seed):
    got = listings.run(basics.loss_page(m, b, x, y, noise, seed), tmp_path)
    xs, ys = regression.make_data(noise=noise, seed=seed)
    best = regression.best_fit(xs, ys)
    assert got["y_hat"] == regression.predict(m, b, x) and got["error"] == y - regression.predict(m, b, x)
    assert got["mse"] == pytest.approx(regression.mean_squared_error(m, b, xs, ys), abs=1e-12)
    assert got["mae"] == pytest.approx(regression.mean_absolute_error(m, b, xs, ys), abs=1e-12)
    assert (got["best_m"], got["best_b"]) == pytest.approx(best, abs=1e-9)
    assert got["best_mse"] == pytest.approx(regression.mean_squared_error(*best, xs, ys), abs=1e-9)


@pytest.mark.parametrize("gate", list(perceptron.GATES))
def test_the_perceptron_code_gives_the_page_table_and_learned_weights(tmp_path, gate):
    x1, x2, w1, w2, threshold = 1, 0, 4.0, 3.0, 4.0
    got = listings.run(basics.perceptron_page(x1, x2, w1, w2, threshold, gate, 25), tmp_path)
    assert got["z"] == perceptron.weighted_sum((x1, x2), (w1, w2), -threshold)
    assert got["output"] == perceptron.decide((x1, x2), (w1, w2), -threshold) == 0  # z = 0 is not > 0
    table = [[row["x1"], row["x2"], row["z"], row["output"]] for row in perceptron.truth_table((w1, w2), -threshold)]
    assert got["table"] == table
    run = perceptron.train(perceptron.GATES[gate], learning_rate=1.0, epochs=25)
    assert got["mistakes_per_epoch"] == run.mistakes_
    assert [got["learned_w1"], got["learned_w2"], got["learned_b"]] == list(run.weights_[-1])


def test_the_sigmoid_code_gives_the_page_numbers(tmp_path):
    x, w, b, k = (0.6, 0.4), (2.0, -1.0), -0.9, 3.4
    got = listings.run(basics.sigmoid_page(x, w, b, k, "w2", 0.45), tmp_path)
    z = neuron.weighted_input(x, w, b)
    effect = neuron.nudge(x, w, b, 1, 0.45)
    assert got["z"] == pytest.approx(z, abs=1e-15) and got["output"] == pytest.approx(float(neuron.sigmoid(z)))
    assert got["slope"] == pytest.approx(float(neuron.sigmoid_prime(z)))
    assert got["steep_output"] == pytest.approx(float(neuron.sigmoid(k * z)))
    assert got["z_after"] == pytest.approx(effect["z_after"], abs=1e-15)
    assert (got["step_before"], got["step_after"]) == (effect["step_before"], effect["step_after"])
    assert got["sigmoid_after"] == pytest.approx(effect["sigmoid_after"])


@pytest.mark.parametrize("name", list(descent.SURFACES))
def test_the_descent_code_gives_the_page_paths(tmp_path, name):
    surface, start, rate, steps = descent.SURFACES[name], (1.8, -1.5), 0.05, 40
    got = listings.run(basics.descent_page(surface, start, rate, steps, 0.03, 150, 4), tmp_path)
    path = descent.descend(surface, start, rate, steps)
    assert got["final_point"] == pytest.approx(path.points[-1].tolist(), abs=1e-12)
    assert got["final_loss"] == pytest.approx(path.losses[-1], abs=1e-12)
    xs, ys = regression.make_data()
    line = descent.fit_line(xs, ys, (0.0, 0.0), 0.03, 150, batch_size=4, seed=1)
    assert [got["m"], got["b"]] == pytest.approx(line.points[-1].tolist(), abs=1e-9)
    assert got["sgd_mse"] == pytest.approx(line.losses[-1], abs=1e-9)


@pytest.mark.slow
def test_the_backprop_code_gives_the_page_slopes_by_hand_and_from_gradient_tape(tmp_path):
    network = backprop.Network.random(backprop.SIZES, seed=3)
    network = backprop.train(network, list(backprop.FRANCE.values()), 3.0, 7)[0][-1]  # as after 7 updates
    x, y = backprop.FRANCE["cheap ticket, partner comes: go"]
    got = listings.run(networks.backprop_page(network, x, y), tmp_path)
    slopes = backprop.gradient(network, x, y).flat()
    assert len(got["slopes"]) == len(backprop.parameter_names())
    np.testing.assert_allclose(got["slopes"], slopes, rtol=0, atol=1e-9)
    np.testing.assert_allclose(got["tape_slopes"], slopes, rtol=0, atol=1e-15)  # "around 1e-17, or 0"
    assert got["cost"] == pytest.approx(backprop.cost(network, x, y), abs=1e-12)


@pytest.mark.slow
def test_the_hidden_layers_code_of_an_untrained_page_trains_what_the_button_would(tmp_path):
    X, y = playground_data.make_dataset("Circle in a ring", 300, 0.1, 0)
    data = playground_data.split(X, y, 0.3, 0, 2)
    untrained = playground.Playground()
    got = listings.run(networks.hidden_layers_page(untrained, "Circle in a ring", 0.1, 0.3, 0, []), tmp_path)
    trained = playground.Playground().train(data, networks.TRAIN_EPOCHS)
    assert got["test_accuracy"] == pytest.approx(trained.history_["test_accuracy"][-1], abs=1e-12)


@pytest.mark.slow
def test_the_hidden_layers_code_of_a_page_that_blew_up_runs_to_the_end_as_it_says(tmp_path):
    X, y = playground_data.make_dataset("Circle in a ring", 300, 0.1, 0)
    data = playground_data.split(X, y, 0.3, 0, 2)
    network = playground.Playground(activation="linear", learning_rate=3.0).train(data, 10)
    assert network.diverged_
    listing = networks.hidden_layers_page(network, "Circle in a ring", 0.1, 0.3, 0, [])
    assert "non-finite" not in " ".join(step.why for step in listing.steps)
    got = listings.run(
        listing, tmp_path, extra="\nlargest = max(float(np.abs(w).max()) for w in network.coefs_)\nmade = epochs\n"
    )
    assert got["made"] == network.epoch + 1  # the pass that blew up included
    assert 0 <= got["test_accuracy"] <= 1  # it ran to the end, and scored the blown-up weights
    assert not got["largest"] <= 1000  # the weights it printed show the blow-up: huge, or no longer numbers


@pytest.mark.parametrize(
    "dataset, features, classes_points",
    [
        ("XOR quadrants", ("x1", "x2", "x1·x2"), []),
        ("Three blobs", ("x1", "x2"), [[0.5, 0.5, 3], [0.6, 0.4, 3], [-0.1, 0.2, 3]]),
        ("Hills and hollows", ("x1", "x2", "sin x1", "x2²"), []),
    ],
)
def test_the_hidden_layers_code_trains_the_page_network(tmp_path, dataset, features, classes_points):
    regression_problem = dataset in playground_data.SURFACES
    X, y = playground_data.make_dataset(dataset, 300, 0.1, 4)
    X, y = playground_data.with_points(X, y, classes_points)
    classes = 0 if regression_problem else playground_data.classes_in(y)
    data = playground_data.split(X, y, 0.3, 4, classes)
    network = playground.Playground(
        hidden=(5, 3),
        activation="tanh",
        learning_rate=0.03,
        batch_size=10,
        alpha=0.001 if regression_problem else 0.0,
        features=features,
        seed=2,
        classes=classes,
    ).train(data, 12)
    got = listings.run(networks.hidden_layers_page(network, dataset, 0.1, 0.3, 4, classes_points), tmp_path)
    answer = network.predict(data.X_test)
    if regression_problem:
        assert got["test_loss"] == pytest.approx(float(np.mean((answer - data.y_test) ** 2)), abs=1e-9)
        assert got["keras_test_loss"] >= 0  # the Keras part shows what it learnt, too
    else:
        assert got["test_accuracy"] == pytest.approx(network.history_["test_accuracy"][-1], abs=1e-12)
        assert 0 <= got["keras_test_accuracy"] <= 1


def test_every_concept_listing_has_its_results_and_a_notebook():
    made = [
        basics.loss_page(2.0, 2.0, 3.0, 10.0, 1.5, 0),
        basics.perceptron_page(0, 1, 4.0, 3.0, 4.0, "XOR", 25),
        basics.sigmoid_page((0.6, 0.4), (2.0, -1.0), -0.9, 1.0, "w1", 0.2),
        basics.descent_page(descent.SURFACES["Round bowl"], (1.8, 1.5), 0.1, 30, 0.03, 150, 4),
        networks.backprop_page(backprop.Network.random(backprop.SIZES), (1.0, 1.0), 1.0),
    ]
    for listing in made:
        notebook = json.loads(listing.notebook())
        assert notebook["nbformat"] == 4 and len(notebook["cells"]) == 1 + 2 * len(listing.steps)
        assert listing.results and all(name in listing.script() for name in listing.results)


def test_listings_teach_and_carry_no_engineering_notes():
    import re

    from core.code import digits as digits_code
    from core.digits import config as mnist_config

    made = [digits_code.handwriting_page(config) for config in mnist_config.PRESETS.values()]
    made.append(digits_code.finetune_page("ROOM42"))
    for listing in made:
        script = listing.script()
        assert not re.search(r"\d ms\b|instead of \d", script), listing.title  # timings stay in bench/
    # "a tenth of a fresh start's" was wrong: the rate is 0.0003 where a fresh start's is 0.005
    steps = " ".join(step.why for step in digits_code.finetune_page("ROOM42").steps)
    assert f"{round(0.005 / 0.0003)} times smaller" in steps and "a tenth" not in steps
