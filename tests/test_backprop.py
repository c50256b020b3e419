"""Backpropagation against independent references: central finite differences and TensorFlow's
autodiff, for the lesson's 2-2-1 network and Nielsen's 784-30-10; and the lesson page itself."""

import re

import numpy as np
import pytest

from core.lessons import backprop, backprop_formulas, perceptron
from tests.conftest import metric

BIG = (784, 30, 10)


def random_example(sizes, seed):
    rng = np.random.default_rng(seed)
    return backprop.Network.random(sizes, seed), rng.random(sizes[0]), rng.random(sizes[-1])


def autodiff_gradient(network, x, y):
    """∂C/∂p for every parameter, in `flat` order, by TensorFlow's GradientTape."""
    import tensorflow as tf

    weights = [tf.Variable(w) for w in network.weights]
    biases = [tf.Variable(b) for b in network.biases]
    with tf.GradientTape() as tape:
        a = tf.constant(x[:, None])
        for w, b in zip(weights, biases):
            a = tf.sigmoid(w @ a + b[:, None])
        cost = 0.5 * tf.reduce_sum((tf.constant(y[:, None]) - a) ** 2)
    slopes = tape.gradient(cost, [part for pair in zip(weights, biases) for part in pair])
    return np.concatenate([slope.numpy().ravel() for slope in slopes])


@pytest.mark.parametrize("seed", range(5))
def test_every_gradient_of_the_lesson_network_matches_finite_differences(seed):
    network, x, y = random_example(backprop.SIZES, seed)
    assert np.abs(backprop.gradient(network, x, y).flat() - backprop.finite_differences(network, x, y)).max() < 1e-6


def test_every_gradient_of_nielsens_network_matches_finite_differences():
    network, x, y = random_example(BIG, 0)
    estimates = backprop.finite_differences(network, x, y)
    assert estimates.shape == (23_860,)
    assert np.abs(backprop.gradient(network, x, y).flat() - estimates).max() < 1e-6


@pytest.mark.parametrize("sizes", [backprop.SIZES, BIG])
def test_gradients_match_tensorflow_autodiff(sizes):
    for seed in range(3):
        network, x, y = random_example(sizes, seed)
        np.testing.assert_allclose(
            backprop.gradient(network, x, y).flat(), autodiff_gradient(network, x, y), rtol=1e-9, atol=1e-12
        )


@pytest.mark.parametrize("sizes", [backprop.SIZES, (3, 4, 2)])
def test_batched_costs_match_the_cost_of_each_network_on_each_example(sizes):
    networks = [backprop.Network.random(sizes, seed) for seed in range(5)]
    rng = np.random.default_rng(9)
    examples = [(rng.random(sizes[0]), rng.random(sizes[-1])) for _ in range(4)]
    expected = [[backprop.cost(network, x, y) for x, y in examples] for network in networks]
    np.testing.assert_allclose(backprop.costs(networks, examples), expected, rtol=1e-12)


def test_finite_differences_leave_the_network_as_it_was():
    network, x, y = random_example(backprop.SIZES, 1)
    before = network.flat().copy()
    backprop.finite_differences(network, x, y)
    assert np.array_equal(network.flat(), before)


def test_flat_round_trips_and_names_every_parameter():
    network, _, _ = random_example(BIG, 2)
    again = backprop.Network.from_flat(BIG, network.flat())
    assert all(np.array_equal(a, b) for a, b in zip(again.weights + again.biases, network.weights + network.biases))
    assert backprop.parameter_names() == [
        "x1→h1",
        "x2→h1",
        "x1→h2",
        "x2→h2",
        "bias h1",
        "bias h2",
        "h1→out",
        "h2→out",
        "bias out",
    ]
    assert len(backprop.parameter_names(BIG)) == network.flat().size


def test_work_counts_for_nielsens_network():
    parameters = 784 * 30 + 30 + 30 * 10 + 10
    assert backprop.work_counts(BIG) == (parameters, 2 * parameters, 2) == (23_860, 47_720, 2)
    for sizes in ((2, 2, 1), (3, 5, 4, 2), BIG):  # one weight or bias per readable name
        assert backprop.work_counts(sizes)[0] == len(backprop.parameter_names(sizes))


def test_an_update_steps_against_the_slope_and_lowers_the_cost_for_a_small_rate():
    network, x, y = random_example(backprop.SIZES, 3)
    gradients = backprop.gradient(network, x, y)
    after = network.step(gradients, 0.5)
    np.testing.assert_allclose(after.flat(), network.flat() - 0.5 * gradients.flat())
    assert backprop.cost(after, x, y) < backprop.cost(network, x, y)


def test_training_on_the_four_france_examples_learns_the_perceptrons_table():
    start = backprop.Network.from_flat(backprop.SIZES, [0.5, -0.4, 0.3, 0.8, 0.1, -0.5, -0.6, 0.9, -0.2])
    examples = list(backprop.FRANCE.values())
    networks, mean_costs = backprop.train(start, examples, 3.0, 1000)
    assert len(networks) == 1000 and mean_costs[-1] < mean_costs[0] / 10
    france = perceptron.FRANCE
    for (x, y), row in zip(
        examples, [perceptron.decide(x, (france["w1"], france["w2"]), -france["threshold"]) for x, _ in examples]
    ):
        assert y == row  # the lesson's targets are the perceptron's own decisions
        assert round(backprop.forward(networks[-1], x).output[0]) == y


def _result(text, marker):
    """The number after `marker` (such as "= " before the end of a line) in a formula."""
    return float(re.findall(rf"{re.escape(marker)}\(?(-?[0-9.]+)", text)[-1])


def test_the_equations_show_the_numbers_that_were_computed():
    network, _, _ = random_example(backprop.SIZES, 4)
    x, y = backprop.FRANCE["cheap ticket, partner comes: go"]
    passed = backprop.forward(network, x)
    gradients = backprop.backward(network, passed, y)
    close = 2 * 10**-backprop_formulas.DECIMALS  # each is worked out from the rounded numbers shown beside it
    for (neuron, text), z, a in zip(
        backprop_formulas.forward_equations(network, passed),
        np.concatenate(passed.zs),
        np.concatenate(passed.activations[1:]),
    ):
        assert abs(_result(text, "\\sigma(") - z) < close and abs(_result(text, ") = ") - a) < close, neuron
    equations = backprop_formulas.backward_equations(network, passed, y)
    assert [len(equations[name]) for name in ("BP1", "BP2", "BP3", "BP4")] == [1, 2, 3, 6]
    assert abs(_result(equations["BP1"][0], "= ") - gradients.deltas[-1][0]) < close
    for line, slope in zip(equations["BP4"], np.concatenate([w.ravel() for w in gradients.weights])):
        assert line.endswith("\\end{aligned}") and abs(_result(line, "= ") - slope) < close


def cost_shown(app):
    [cost] = [latex.value for latex in app.latex if "C = " in latex.value]
    return cost


def button(app, label):
    return next(b for b in app.button if b.label == label)


def test_the_page_steps_forward_backward_update_back_and_reset(open_page):
    app = open_page("lessons/backprop.py")
    assert not app.latex  # nothing computed yet
    button(app, "Forward").click().run()
    assert app.latex and not app.dataframe
    button(app, "Backward").click().run()
    [table] = [frame.value for frame in app.dataframe if "by finite differences" in frame.value]
    assert (table["difference before rounding"].astype(float) < 1e-6).all()
    cost_before = cost_shown(app)
    button(app, "Update").click().run()
    assert any("Updates so far: 1." in caption.value for caption in app.caption)
    assert cost_shown(app) != cost_before
    button(app, "Step back").click().run()
    assert any("Updates so far: 0." in caption.value for caption in app.caption)
    assert cost_shown(app) == cost_before
    button(app, "Train 100 updates").click().run()
    assert any("Updates so far: 100." in caption.value for caption in app.caption)
    button(app, "Reset").click().run()
    assert any("Updates so far: 0." in caption.value for caption in app.caption) and not app.latex
    assert not app.exception


def test_the_page_times_both_ways_of_finding_the_gradient(open_page):
    app = open_page("lessons/backprop.py", timeout=120)
    button(app, "Time both on this server").click().run()
    assert metric(app, "Backpropagation").endswith("ms")
    assert metric(app, "Finite differences").endswith(" s")
    assert metric(app, "Backpropagation is faster by").endswith("×")


def test_classroom_mode_asks_which_weight_changes_most_before_showing_the_slopes(open_page):
    app = open_page("lessons/backprop.py", params={"classroom": "true"})
    button(app, "Forward").click().run()
    button(app, "Backward").click().run()
    assert not [frame for frame in app.dataframe if "by finite differences" in frame.value]
    [guess] = [radio for radio in app.radio if radio.label == "Your guess"]
    assert guess.options == backprop.parameter_names()
    guess.set_value("x1→h1").run()
    button(app, "Reveal the answer").click().run()
    assert [frame for frame in app.dataframe if "by finite differences" in frame.value]
    assert any("You said **x1→h1**" in message.value for message in [*app.success, *app.warning])
