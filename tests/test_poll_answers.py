"""Every "Predict before you press" answer, checked over the settings a link can hold against an
answer computed here independently of the page's code: closed forms, whole-number arithmetic,
finite differences and a separate simulation. And nothing on a page gives an answer away before
the reveal."""

import itertools

import numpy as np
import pytest

from core.lab import answers
from core.lessons import backprop, backprop_formulas, descent, neuron, perceptron
from tests.conftest import metric

CLASSROOM = {"classroom": "true"}


def grid(low, high, step):
    """A slider's values, as a link can set them."""
    return np.round(np.arange(low, high + step / 2, step), 6)


# --- Gradient descent: "will the marble settle, bounce for ever, or fly off?" -----------------

STARTS = np.array(list(itertools.product(grid(-2.0, 2.0, 0.1), repeat=2)))
RATES = grid(0.01, 1.2, 0.01)


def simulated_fates(surface, starts, rate, steps=4000, h=1e-5):
    """The marbles followed 4,000 steps with slopes by central differences of the loss alone:
    'd' once the loss passes 10⁸, 's' once a step moves less than 1e-9, else 'b'."""

    def slope(p):
        return np.stack(
            [
                (surface.loss(p[:, 0] + h, p[:, 1]) - surface.loss(p[:, 0] - h, p[:, 1])) / (2 * h),
                (surface.loss(p[:, 0], p[:, 1] + h) - surface.loss(p[:, 0], p[:, 1] - h)) / (2 * h),
            ],
            1,
        )

    points, fate, alive = starts.astype(float), np.full(len(starts), "b"), np.ones(len(starts), bool)
    with np.errstate(all="ignore"):
        for _ in range(steps):
            moved = points - rate * slope(points)
            blown = alive & ~(np.abs(surface.loss(moved[:, 0], moved[:, 1])) < 1e8)
            rested = alive & ~blown & (np.abs(moved - points).max(axis=1) < 1e-9)
            fate[blown], fate[rested] = "d", "s"
            alive &= ~(blown | rested)
            points = np.where(alive[:, None], moved, points)
            if not alive.any():
                break
    return fate


def closed_form_fates(curvatures, starts, rate):
    """On a quadratic bowl: |1 − η·λ| along each axis the marble is off the bottom, in fractions of
    a hundredth (η is a multiple of 0.01), so 'exactly 1' is exact."""
    hundredths = round(rate * 100)
    factors = np.array([abs(100 - hundredths * curvature) for curvature in curvatures])  # 100 × |1 − ηλ|
    size = np.where(starts != 0, factors, 0).max(axis=1)
    return np.where(size > 100, "d", np.where(size == 100, "b", "s"))


@pytest.mark.parametrize("name", ["Round bowl", "Long valley"])
def test_the_marble_answer_on_a_bowl_is_its_step_factor_for_every_setting_a_link_can_hold(name):
    surface = descent.SURFACES[name]
    curvatures = (2, 2) if name == "Round bowl" else (2, 20)  # L = p1² + p2², L = p1² + 10·p2²
    for rate in RATES:
        got = np.array([fate[3] for fate in descent.outcomes(surface, STARTS, rate)])  # "it s/b/d…"
        assert (got == closed_form_fates(curvatures, STARTS, rate)).all(), rate
        # and a plain simulation agrees with the closed form
        assert (simulated_fates(surface, STARTS[::37], rate) == got[::37]).all(), rate


@pytest.mark.slow
def test_the_marble_answer_on_two_minima_agrees_with_a_separate_simulation_for_every_setting():
    surface = descent.SURFACES["Two minima"]
    seen = set()
    for rate in RATES:
        got = np.array([fate[3] for fate in descent.outcomes(surface, STARTS, rate)])
        assert (got == simulated_fates(surface, STARTS, rate)).all(), rate
        seen |= set(got)
    assert seen == {"s", "b", "d"}  # all three answers happen there


def test_the_quoted_cases_of_the_marble_are_answered_right():
    valley, bowl = descent.SURFACES["Long valley"], descent.SURFACES["Round bowl"]
    assert descent.outcome(valley, (1.8, 1.5), 0.1) == descent.BOUNCES  # p2 × (1 − 20·0.1) = −p2 for ever
    assert descent.outcome(bowl, (1.8, 1.5), 1.0) == descent.BOUNCES
    assert descent.outcome(valley, (1.8, 1.5), 0.5) == descent.DIVERGES  # even in 2 steps
    path = descent.descend(valley, (1.8, 1.5), 0.5, 2)
    assert path.diverged and path.losses[-1] > 1000 * path.losses[0]  # a grown loss is never a success
    assert descent.outcome(bowl, (0.0, 0.0), 1.2) == descent.SETTLES  # already at the bottom


def reveal(app, name, guess):
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    question.set_value(guess).run()
    app.button(key=f"{name}_reveal").click().run()
    return app


@pytest.mark.parametrize(
    "rate, steps, answer, box",
    [
        ("0.1", "30", "it bounces forever", "warning"),
        ("0.5", "2", "it diverges", "error"),
        ("0.05", "1", "it settles", "success"),
    ],
)
def test_the_descent_page_reveals_the_long_run_and_says_the_same_below(open_page, rate, steps, answer, box):
    app = open_page("lessons/descent.py", params={**CLASSROOM, "surface": "Long valley", "rate": rate, "steps": steps})
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    assert tuple(question.options) == descent.OUTCOMES
    reveal(app, "marble", "it settles")
    said = " ".join(element.value for element in [*app.success, *app.warning])
    assert f"the answer is **{answer}**" in said
    first_word = answer.split()[1]  # "settles", "bounces", "diverges"
    assert any(f"**It {first_word}" in element.value for element in getattr(app, box))


# --- The perceptron: "will it go or stay?" ---------------------------------------------------


def test_the_perceptrons_answer_is_right_for_every_setting_a_link_can_hold():
    halves = grid(-6.0, 6.0, 0.5)
    checked = 0
    for x1, x2, w1, w2, threshold in itertools.product((0, 1), (0, 1), halves, halves, halves):
        exact = 2 * w1 * x1 + 2 * w2 * x2 > 2 * threshold  # whole numbers of halves: no rounding at all
        assert (
            int(perceptron.decide((x1, x2), (w1, w2), -threshold))
            == int(round(2 * w1) * x1 + round(2 * w2) * x2 > round(2 * threshold))
            == int(exact)
        )
        checked += 1
    assert checked == 4 * 25**3


def test_the_perceptron_page_gives_nothing_away_before_the_reveal(open_page):
    app = open_page("lessons/perceptron.py", params=CLASSROOM)
    # before: no decision, no truth table, no picture of the four points with their outputs
    assert not [m for m in app.metric if m.label == "Decision"]
    tables = [frame.value for frame in app.dataframe]
    assert not [table for table in tables if "output (1 = go)" in table.columns]
    assert not app.get("vega_lite_chart")[:1] or all(
        "z=" not in str(chart.proto.spec) for chart in app.get("vega_lite_chart")
    )
    reveal(app, "france", "go (1)")
    assert metric(app, "Decision") == "stay (0)"  # (0, 0): z = −4
    assert [frame for frame in app.dataframe if "output (1 = go)" in frame.value.columns]


# --- The sigmoid page: "will the perceptron's answer flip?" ----------------------------------


def test_the_nudge_answer_is_right_in_whole_numbers_including_every_sum_that_is_exactly_zero():
    rng = np.random.default_rng(0)
    xs, ws, deltas = np.arange(21), np.arange(-60, 61), np.arange(-50, 51)  # twentieths, tenths, hundredths
    checked = zeros = 0
    for _ in range(20_000):
        x = rng.choice(xs, 2)
        w = rng.choice(ws, 2)
        index, delta = int(rng.integers(2)), int(rng.choice(deltas))
        # half the time pick the bias that makes z exactly 0 before or after, when the slider has it
        b = int(rng.choice(ws))
        if rng.random() < 0.5:
            after = w * 10 + np.eye(2, dtype=int)[index] * delta  # hundredths
            target = -(x @ w) * 10 if rng.random() < 0.5 else -(x @ after)  # in 2000ths, ÷ 200 for tenths
            if target % 200 == 0 and -60 <= target // 200 <= 60:
                b = int(target // 200)
        before_2000 = int(x @ w) * 10 + 200 * b  # z × 2000, exactly
        after_2000 = int(x @ (w * 10 + np.eye(2, dtype=int)[index] * delta)) + 200 * b
        flips = (before_2000 > 0) != (after_2000 > 0)
        effect = neuron.nudge(tuple(x / 20), tuple(w / 10), b / 10, index, delta / 100)
        assert (effect["step_after"] != effect["step_before"]) == flips, (x, w, b, index, delta)
        assert (effect["z_before"] == 0) == (before_2000 == 0) and (effect["z_after"] == 0) == (after_2000 == 0)
        zeros += before_2000 == 0 or after_2000 == 0
        checked += 1
    assert zeros > 400  # the sums that float arithmetic gets wrong by 1e-16 were tried


def test_the_sigmoid_page_shows_zero_not_minus_zero(open_page):
    app = open_page("lessons/sigmoid.py", params={"b": "-0.8"})  # 2·0.6 − 1·0.4 − 0.8 = 0
    assert metric(app, "z") == "0.000"
    assert not [latex for latex in app.latex if "-0.000" in latex.value]


# --- Backpropagation: "which will the next update change most?", "did the cost go up?" ------


def independent_slopes(flat, x, y, h=1e-6):
    """∂C/∂p by central differences of C = ½(y − a)² for the 2-2-1 sigmoid network, written out here."""

    def cost(p):
        hidden = 1 / (1 + np.exp(-(np.array([[p[0], p[1]], [p[2], p[3]]]) @ x + p[4:6])))
        out = 1 / (1 + np.exp(-(p[6:8] @ hidden + p[8])))
        return 0.5 * (y - out) ** 2

    flat = np.asarray(flat, dtype=float)
    return np.array([(cost(flat + h * e) - cost(flat - h * e)) / (2 * h) for e in np.eye(len(flat))]), cost


def backprop_states(count):
    rng = np.random.default_rng(1)
    tenths = np.arange(-30, 31) / 10
    for _ in range(count):
        network = backprop.Network.from_flat(backprop.SIZES, tuple(rng.choice(tenths, 9)))
        examples = list(backprop.FRANCE.values())
        updates = int(rng.choice([0, 1, 5, 100, 1000]))  # trained longer, first-layer slopes can win
        if updates:
            network = backprop.train(network, examples, float(rng.choice([0.1, 1.0, 3.0, 30.0])), updates)[0][-1]
        yield network, *examples[int(rng.integers(4))]


@pytest.mark.slow
def test_the_biggest_change_answer_holds_every_tie_and_only_the_largest_slopes():
    names, ties = backprop.parameter_names(), 0
    for network, x, y in backprop_states(400):
        slopes, _ = independent_slopes(network.flat(), np.array(x), y)
        answer = backprop.largest(names, backprop_formulas.shown_slopes(network, backprop.forward(network, x), y))
        largest = np.abs(slopes).max()
        right = {name for name, slope in zip(names, slopes) if abs(slope) > largest - 1e-9}
        assert right <= set(answer), (right, answer)  # every truly largest slope, ties included, is right
        assert all(abs(slopes[names.index(name)]) > largest - 2e-5 for name in answer)  # and none far smaller
        ties += len(right) > 1
    assert ties > 10  # an input of 1 ties a weight with its bias: those were tried


def test_a_poll_with_several_right_answers_counts_every_one_of_them():
    counts, choices = [3, 2, 1], ("x1→h1", "bias h1", "bias out")
    answer = answers.stored_answer(("x1→h1", "bias h1"))
    assert answers.right_answers(answer) == ("x1→h1", "bias h1")
    assert answers.in_words(choices, counts, answer).endswith("5 of 6 were right.")


def test_the_cost_direction_answer_agrees_with_costs_computed_apart():
    for network, x, y in backprop_states(200):
        after = network.step(backprop.gradient(network, x, y), 3.0)
        _, cost = independent_slopes(network.flat(), np.array(x), y)
        went_down = cost(after.flat()) < cost(network.flat())
        assert (backprop.cost(after, x, y) < backprop.cost(network, x, y)) == went_down


def test_the_backprop_diagram_hides_the_slopes_until_the_question_is_answered(open_page):
    app = open_page("lessons/backprop.py", params=CLASSROOM)
    next(b for b in app.button if b.label == "Backward").click().run()
    assert not any("now shows its weight's **slope**" in caption.value for caption in app.caption)
    assert "∂C/∂w sign" not in str([chart.proto.spec for chart in app.get("vega_lite_chart")])
    [question] = [radio for radio in app.radio if radio.label == "Your guess"]
    reveal(app, "biggest_change", question.options[0])
    assert any("now shows its weight's **slope**" in caption.value for caption in app.caption)
    table = next(frame.value for frame in app.dataframe if "∂C/∂p (BP3, BP4)" in frame.value.columns)
    assert not table.map(lambda cell: str(cell).startswith("-0") and float(cell) == 0).any().any()
