"""The code behind the first four lessons (a line and its loss, the perceptron, the sigmoid neuron,
gradient descent): numpy, with the learner's numbers. Where the page runs an app function whose
code teaches (the data, σ), the listing copies it from its file (`source_of`)."""

from core.code.listing import Listing, Step, assignments, source_of, templates
from core.i18n import _
from core.lessons import descent, neuron, perceptron, regression

LINE_DATA = ((regression, "TRUE_SLOPE"), (regression, "TRUE_INTERCEPT"), regression.predict, regression.make_data)


def loss_page(m, b, x, y, noise, seed):
    """The loss page: one prediction and its error, then MSE and MAE over the data, and the best line."""
    code = templates("basics")
    return Listing(
        _("A line and its loss"),
        _("Redo the page's numbers: one prediction, then the mean loss over the data."),
        (
            Step(
                _("Your line and one example, with the page's numbers."),
                code.one_example(assignments(m=m, b=b, x=x, y=y)),
            ),
            Step(
                _(
                    "The page's 20 points, made by the app's own function (from `core/lessons/regression.py`): "
                    "points scattered around the line y = 2x + 2. The same seed always gives the same points."
                ),
                code.the_points(source_of(*LINE_DATA), noise, seed),
            ),
            Step(
                _(
                    "The mean losses: every point's error at once (numpy works on whole arrays), squared or made "
                    "positive, then averaged."
                ),
                code.mean_losses(),
            ),
            Step(
                _("The best line, fitted by scikit-learn's least squares: the bottom of the valley on the map."),
                code.best_line(),
            ),
        ),
        ("y_hat", "error", "mse", "mae", "best_m", "best_b", "best_mse"),
        "loss",
    )


def perceptron_page(x1, x2, w1, w2, threshold, gate, epochs):
    """The perceptron page: the decision, the truth table, and the perceptron rule on a gate."""
    targets = [int(t) for t in perceptron.GATES[gate]]
    code = templates("basics")
    return Listing(
        _("The perceptron"),
        _("Redo the page: the weighted sum, the step, the truth table, then learning the weights."),
        (
            Step(
                _(
                    "The weighted sum z = w1·x1 + w2·x2 + b, with b = −threshold, and the step: 1 (go) only when "
                    "z is greater than 0. Exactly 0 is not greater than 0."
                ),
                code.decision(assignments(x1=x1, x2=x2, w1=w1, w2=w2, threshold=threshold)),
            ),
            Step(
                _("The truth table: the same sum and step for all four inputs, in the page's order."),
                code.truth_table(),
            ),
            Step(
                _(
                    "The perceptron rule learning **{gate}**: after each mistake, w ← w + η·(t − y)·x and "
                    "b ← b + η·(t − y), with η = 1. It stops after a pass over the four examples without a mistake. "
                    "The rule is the app's own function, from `core/lessons/perceptron.py`."
                ).format(gate=gate),
                code.perceptron_rule(
                    source_of(neuron.step, perceptron.weighted_sum, perceptron.decide),
                    perceptron.INPUTS,
                    source_of(perceptron.learning_pass),
                    targets,
                    gate,
                    epochs,
                ),
            ),
        ),
        ("z", "output", "table", "mistakes_per_epoch", "learned_w1", "learned_w2", "learned_b"),
        "perceptron",
    )


def sigmoid_page(x, w, b, steepness, nudged, delta):
    """The sigmoid page: z, σ(z), the steeper sigmoid, and the small-change demo."""
    index = ("w1", "w2").index(nudged)
    code = templates("basics")
    return Listing(
        _("The sigmoid neuron"),
        _("Redo the page: the weighted sum, σ and its slope, then nudging one weight."),
        (
            Step(
                _("The weighted sum z, σ and its slope σ′: the app's own functions from `core/lessons/neuron.py`."),
                code.sigmoid_functions(
                    source_of((neuron, "Z_DECIMALS"), neuron.weighted_input, neuron.sigmoid, neuron.sigmoid_prime)
                ),
            ),
            Step(
                _(
                    "Your neuron: the weighted sum z, its output σ(z), the slope there, and the steeper "
                    "sigmoid σ(k·z) drawn on the chart."
                ),
                code.your_neuron(assignments(x1=x[0], x2=x[1], w1=w[0], w2=w[1], b=b, k=steepness)),
            ),
            Step(
                _(
                    "Small change in, small change out: add Δ to {weight}. The perceptron's step jumps by 0 or 1; "
                    "the sigmoid moves a little."
                ).format(weight=nudged),
                code.nudge(delta, index, nudged),
            ),
        ),
        ("z", "output", "slope", "steep_output", "z_after", "step_before", "step_after", "sigmoid_after"),
        "sigmoid",
    )


def descent_page(surface, start, rate, steps, line_rate, line_steps, batch):
    """The descent page: the marble's steps on the chosen surface, then SGD fitting lesson 1's line."""
    code = templates("basics")
    return Listing(
        _("Gradient descent"),
        _("Redo the page: the marble rolling downhill, then fitting a line with mini-batches."),
        (
            Step(
                _(
                    "The surface **{surface}** and its gradient, the slope in each direction: the same formulas the "
                    "page draws."
                ).format(surface=_(surface.name)),
                code.surface(
                    source_of(surface.loss, surface.gradient), surface.loss.__name__, surface.gradient.__name__
                ),
            ),
            Step(
                _("Gradient descent: each step moves against the gradient, p ← p − η·∇L(p)."),
                code.marble(assignments(learning_rate=rate, steps=steps), list(start)),
            ),
            Step(
                _("Lesson 1's 20 points (noise 1.5, seed 0), made by the app's own function."),
                code.lesson_one_points(source_of(*LINE_DATA)),
            ),
            Step(
                _(
                    "Stochastic gradient descent on the line's MSE, from m = b = 0: each step looks at {batch} of "
                    "the 20 points, a mini-batch, taken in a shuffled order that is shuffled again once used up. "
                    "The slopes are ∂MSE/∂m = −2/n·Σ xᵢ·rᵢ and ∂MSE/∂b = −2/n·Σ rᵢ, with rᵢ = yᵢ − (m·xᵢ + b). "
                    "The app's own functions, from `core/lessons/descent.py`."
                ).format(batch=batch),
                code.sgd(
                    source_of(descent.mse_gradient, descent.minibatches, descent.sgd_step),
                    assignments(line_rate=line_rate, line_steps=line_steps, batch_size=batch),
                ),
            ),
        ),
        ("final_point", "final_loss", "m", "b", "sgd_mse"),
        "descent",
    )
