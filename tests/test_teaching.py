"""What the pages say, checked by computing it: each claim a sentence makes about the numbers, each
worked formula redone from the numbers it shows, each rule of thumb against the maths."""

import re

import numpy as np
import pytest

from core.lessons import backprop, backprop_formulas, descent, neuron, perceptron, regression

START = backprop.Network.from_flat(backprop.SIZES, (0.5, -0.4, 0.3, 0.8, 0.1, -0.5, -0.6, 0.9, -0.2))


def page_source(name):
    from tests.conftest import ROOT

    return (ROOT / "lessons" / f"{name}.py").read_text()


@pytest.mark.parametrize("example", list(backprop.FRANCE))
def test_one_update_at_rate_30_fits_its_example_and_raises_the_mean_cost(example):
    # lessons/backprop.py: "the cost on this example almost vanishes, but the mean cost over all four goes up"
    x, y = backprop.FRANCE[example]
    after = START.step(backprop.gradient(START, x, y), 30.0)
    examples = list(backprop.FRANCE.values())
    assert backprop.cost(after, x, y) < 1e-4 < backprop.cost(START, x, y)
    assert backprop.costs([after], examples).mean() > backprop.costs([START], examples).mean()


def test_the_loss_pages_question_has_an_answer_on_the_sliders_grid(open_page):
    app = open_page("lessons/loss.py")
    m_control, b_control = app.slider(key="m"), app.slider(key="b")
    # "Which intercept b makes the error 0?" with m = 2, x = 3, observed 10: b = 4, a step of the slider
    assert regression.signed_error(10.0, regression.predict(2.0, 4.0, 3.0)) == 0
    steps = np.arange(b_control.min, b_control.max + 1e-9, b_control.step)
    assert np.isclose(steps, 4.0).any()
    # "a slope would too, 8/3, but it falls between the slider's steps: 2.7 overshoots by 0.1"
    slopes = np.arange(m_control.min, m_control.max + 1e-9, m_control.step)
    assert not np.isclose(slopes, 8 / 3).any()
    assert regression.signed_error(10.0, regression.predict(2.7, 2.0, 3.0)) == pytest.approx(-0.1)


def test_the_sigmoid_pages_nudge_flips_the_perceptron_and_moves_the_sigmoid_by_0_015():
    # default inputs 0.6 and 0.4, weights 2 and −1; "set the bias to −0.8 ... nudge w1 by +0.1"
    effect = neuron.nudge((0.6, 0.4), (2.0, -1.0), -0.8, 0, 0.1)
    assert abs(effect["z_before"]) < 1e-12 and (effect["step_before"], effect["step_after"]) == (0.0, 1.0)
    assert effect["sigmoid_after"] - effect["sigmoid_before"] == pytest.approx(0.015, abs=5e-5)


def test_the_sigmoid_is_steepest_at_zero_with_slope_a_quarter_and_between_0_and_1_for_any_input():
    z = np.linspace(-50, 50, 100_001)
    slopes = neuron.sigmoid_prime(z)
    assert float(neuron.sigmoid_prime(0.0)) == 0.25 and z[np.argmax(slopes)] == 0.0
    numerical = (neuron.sigmoid(1e-6) - neuron.sigmoid(-1e-6)) / 2e-6  # an independent check of σ′(0)
    assert numerical == pytest.approx(0.25, rel=1e-6)
    values = neuron.sigmoid(np.array([-1e6, -30.0, -1.0, 0.0, 2.0, 30.0, 1e6]))
    assert ((values >= 0) & (values <= 1)).all() and values[0] == 0.0 and values[-1] == 1.0


def test_e_is_not_2_714():
    assert round(neuron.E, 3) == 2.718 and "2.714" in page_source("sigmoid")


def test_the_divergence_rate_of_the_line_is_two_over_the_steepest_curvature():
    xs, ys = regression.make_data()
    limit = descent.divergence_rate(xs)

    def mse(m, b):
        return regression.mean_squared_error(m, b, xs, ys)

    h = 1e-3  # the Hessian by central differences: an independent reference for the closed form
    hessian = np.array(
        [
            [
                (mse(1 + h, 2) - 2 * mse(1, 2) + mse(1 - h, 2)) / h**2,
                (mse(1 + h, 2 + h) - mse(1 + h, 2 - h) - mse(1 - h, 2 + h) + mse(1 - h, 2 - h)) / (4 * h * h),
            ],
            [0.0, (mse(1, 2 + h) - 2 * mse(1, 2) + mse(1, 2 - h)) / h**2],
        ]
    )
    hessian[1, 0] = hessian[0, 1]
    assert limit == pytest.approx(2 / np.linalg.eigvalsh(hessian).max(), rel=1e-4)
    assert not descent.fit_line(xs, ys, (0.0, 0.0), 0.98 * limit, 2000).diverged
    assert descent.fit_line(xs, ys, (0.0, 0.0), 1.05 * limit, 2000).diverged


def test_the_descent_page_states_the_limit_for_its_own_data(open_page):
    app = open_page("lessons/descent.py")
    assert f"{descent.divergence_rate(regression.make_data()[0]):.3f}" in app.slider(key="line_rate").help


def test_the_sigmoid_pages_dot_is_said_to_be_the_steeper_curves_and_the_output_the_neurons(open_page):
    app = open_page("lessons/sigmoid.py", params={"k": "20"})
    caption = next(caption.value for caption in app.caption if "The solid curve" in caption.value)
    z = neuron.weighted_input((0.6, 0.4), (2.0, -1.0), -0.9)
    assert f"= {float(neuron.sigmoid(20 * z)):.3f}" in caption and f"σ(z) = {float(neuron.sigmoid(z)):.3f}" in caption


@pytest.mark.parametrize("weights", [perceptron.LESSON_NAND, perceptron.NAND])
def test_with_less_than_in_place_of_greater_than_the_nand_weights_compute_and(weights):
    w, b = np.array([weights["w1"], weights["w2"]]), weights["bias"]
    inputs = np.array([(0, 0), (0, 1), (1, 0), (1, 1)])
    flipped = (inputs @ w + b < 0).astype(int)
    assert flipped.tolist() == [int(x1 and x2) for x1, x2 in inputs]


NUMBER = r"\(?-?\d+(?:\.\d+)?\)?"


def _evaluate(expression):
    """Redo a formula's arithmetic as a reader would: the numbers as shown, LaTeX's marks as Python's."""
    python = expression.replace(r"\cdot", "*").replace(r"\tfrac12", "0.5*").replace("^2", "**2").replace(r"\,", "")
    python = re.sub(r"\\sigma\(([^)]*)\)", r"_sigma(\1)", python)
    assert re.fullmatch(r"[\d\s.+\-*()_sigma]+", python), python
    return eval(python, {"_sigma": lambda z: float(neuron.sigmoid(z))})  # noqa: S307 - digits and operators only


def _worked_lines(latex):
    """(numbers, shown result) for each worked step of a formula: the part after the last `&=` or
    `=` that holds only numbers, and the number at its end."""
    for line in re.split(r"\\\\", latex.replace(r"\begin{aligned}", "").replace(r"\end{aligned}", "")):
        parts = [part.strip() for part in re.split(r"&?=", line)]
        for numbers, result in zip(parts, parts[1:]):
            if (
                re.fullmatch(NUMBER, result)
                and re.search(r"\d", numbers)
                and not re.search(
                    r"[a-zA-Z]{2,}(?<!cdot)",
                    numbers.replace(r"\cdot", "").replace(r"\sigma", "").replace(r"\tfrac", ""),
                )
            ):
                yield numbers, float(result.strip("()"))


def _states():
    network = START
    for number in range(4):
        x, y = list(backprop.FRANCE.values())[number % 4]
        yield network, x, y
        network = network.step(backprop.gradient(network, x, y), 3.0)


def test_every_formula_on_the_backpropagation_page_reproduces_its_result_from_the_numbers_it_shows():
    checked = 0
    for network, x, y in _states():
        passed = backprop.forward(network, x)
        gradients = backprop.backward(network, passed, y)
        formulas = [latex for _, latex in backprop_formulas.forward_equations(network, passed)]
        formulas.append(backprop_formulas.cost_equation(network, passed, y))
        formulas += [
            latex for lines in backprop_formulas.backward_equations(network, passed, y).values() for latex in lines
        ]
        for latex in formulas:
            for numbers, shown in _worked_lines(latex):
                assert round(_evaluate(numbers), backprop_formulas.DECIMALS) == pytest.approx(shown, abs=1e-12), latex
                checked += 1
        # and the shown slopes are the network's, to the last digit shown give or take one
        shown_slopes = [
            float(re.findall(NUMBER, line)[-1].strip("()"))
            for line in backprop_formulas.backward_equations(network, passed, y)["BP3"]
        ]
        true = [gradients.deltas[layer][j] for layer in range(2) for j in range(len(gradients.deltas[layer]))]
        assert np.allclose(shown_slopes, true, atol=2 * 10**-backprop_formulas.DECIMALS)
    assert checked > 60


def test_the_diagram_shows_a_weights_sign_by_dash_as_well_as_colour():
    from core.charts import backprop as charts

    spec = charts.network_diagram(START, None, None).to_dict()
    encodings = [layer.get("encoding", {}) for layer in spec["layer"]]
    assert any(encoding.get("strokeDash", {}).get("field") == "sign" for encoding in encodings)


def test_the_loss_floor_and_the_targets_of_label_smoothing_are_keras_own():
    import keras
    from scipy.stats import entropy

    from core.digits import config as mnist_config

    one_hot = np.eye(10)[[3]]
    right, other = mnist_config.smoothed_targets()
    targets = np.where(one_hot == 1, right, other)
    loss = keras.losses.CategoricalCrossentropy(label_smoothing=mnist_config.LABEL_SMOOTHING)
    assert float(loss(one_hot, targets)) == pytest.approx(mnist_config.loss_floor(), abs=1e-5)  # answering the targets
    assert mnist_config.loss_floor() == pytest.approx(entropy(targets[0]), abs=1e-12)
    others = np.random.default_rng(0).dirichlet(np.ones(10), 200)  # any other answer costs more
    assert min(float(loss(one_hot, answer[None])) for answer in others) > mnist_config.loss_floor()


def test_sigma_prime_in_bp1_is_worked_from_the_a_the_forward_pass_shows():
    for network, x, y in _states():
        passed = backprop.forward(network, x)
        *_, (_, output) = backprop_formulas.forward_equations(network, passed)
        a = float(re.findall(NUMBER, output)[-1].strip("()"))  # a_out as the page shows it
        [bp1] = backprop_formulas.backward_equations(network, passed, y)["BP1"]
        assert f"\\cdot {round(a * (1 - a), backprop_formulas.DECIMALS):g}" in bp1  # σ′ = a(1 − a), a as shown


def test_the_slope_table_shows_the_numbers_bp3_and_bp4_end_with():
    for network, x, y in _states():
        passed = backprop.forward(network, x)
        equations = backprop_formulas.backward_equations(network, passed, y)
        ends = sorted(float(re.findall(NUMBER, line)[-1].strip("()")) for line in equations["BP3"] + equations["BP4"])
        table = sorted(float(backprop_formulas.as_text(s)) for s in backprop_formulas.shown_slopes(network, passed, y))
        assert ends == table and "-0" not in [
            backprop_formulas.as_text(s) for s in backprop_formulas.shown_slopes(network, passed, y)
        ]


def test_the_has_it_learned_prompt_says_what_training_gives(open_page):
    def outputs_after(updates, rate=3.0):  # plain numpy: one France example at a time, in turn
        w1, b1, w2, b2 = np.array([[0.5, -0.4], [0.3, 0.8]]), np.array([0.1, -0.5]), np.array([-0.6, 0.9]), -0.2
        examples = list(backprop.FRANCE.values())
        for number in range(updates):
            x, y = np.array(examples[number % 4][0]), examples[number % 4][1]
            h = 1 / (1 + np.exp(-(w1 @ x + b1)))
            a = 1 / (1 + np.exp(-(w2 @ h + b2)))
            d2 = (a - y) * a * (1 - a)
            d1 = w2 * d2 * h * (1 - h)
            w2, b2, w1, b1 = w2 - rate * d2 * h, b2 - rate * d2, w1 - rate * np.outer(d1, x), b1 - rate * d1
        return [float(1 / (1 + np.exp(-(w2 @ (1 / (1 + np.exp(-(w1 @ np.array(x) + b1)))) + b2)))) for x, _ in examples]

    few, many = outputs_after(100), outputs_after(1000)
    assert few[0] < 0.5 < 0.9 < many[0] and max(many[1:]) < 0.1  # 100 updates: not yet; 1,000: learnt
    shown = " ".join(element.value for element in open_page("lessons/backprop.py").markdown)
    assert f"gets only {few[0]:.2f}, so it has not learned yet" in shown
    assert (
        f"gets {many[0]:.2f} and the others at most {max(many[1:]):.2f}. Now it goes only when both are true" in shown
    )


def test_flipping_the_test_flips_every_row_but_those_at_exactly_zero(open_page):
    for weights in (perceptron.LESSON_NAND, perceptron.NAND):
        w, b = np.array([weights["w1"], weights["w2"]]), weights["bias"]
        z = np.array([(0, 0), (0, 1), (1, 0), (1, 1)]) @ w + b
        flipped = (z > 0) != (z < 0)
        assert flipped.tolist() == (z != 0).tolist()
    lesson = np.array([(0, 0), (0, 1), (1, 0), (1, 1)]) @ np.array([-2.0, -3.0]) + 3.0
    assert (lesson == 0).tolist() == [False, True, False, False]  # row (0, 1) gives 0 either way
    assert any(
        "every row whose z is not 0 flips" in warning.value for warning in open_page("lessons/perceptron.py").warning
    )
