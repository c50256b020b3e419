"""The code behind the first four lessons (a line and its loss, the perceptron, the sigmoid neuron,
gradient descent): numpy, with the learner's numbers. Where the page runs an app function whose
code teaches (the data, σ), the listing copies it from its file (`source_of`)."""

from core.code.listing import Listing, Step, assignments, literal, source_of
from core.lessons import descent, neuron, perceptron, regression


def loss_page(m, b, x, y, noise, seed):
    """The loss page: one prediction and its error, then MSE and MAE over the data, and the best line."""
    return Listing(
        "A line and its loss",
        "Redo the page's numbers: one prediction, then the mean loss over the data.",
        (
            Step(
                "Your line and one example, with the page's numbers.",
                f"import numpy as np\n\n{assignments(m=m, b=b, x=x, y=y)}\n"
                "y_hat = m * x + b      # the prediction ŷ\nerror = y - y_hat      # the signed error y − ŷ\n"
                'print(f"ŷ = {y_hat:g}, error = {error:g}, |error| = {abs(error):g}, squared = {error ** 2:g}")',
            ),
            Step(
                "The page's 20 points, made by the app's own function (from `core/lessons/regression.py`): "
                "points scattered around the line y = 2x + 2. The same seed always gives the same points.",
                source_of(
                    (regression, "TRUE_SLOPE"), (regression, "TRUE_INTERCEPT"), regression.predict, regression.make_data
                )
                + f"\n\n\nxs, ys = make_data(noise={literal(noise)}, seed={literal(seed)})",
            ),
            Step(
                "The mean losses: every point's error at once (numpy works on whole arrays), squared or made "
                "positive, then averaged.",
                "errors = ys - (m * xs + b)\nmse = np.mean(errors ** 2)\nmae = np.mean(np.abs(errors))\n"
                'print(f"MSE = {mse:.3f}, MAE = {mae:.3f}")',
            ),
            Step(
                "The best line, fitted by scikit-learn's least squares: the bottom of the valley on the map.",
                "from sklearn.linear_model import LinearRegression\n\n"
                "best = LinearRegression().fit(xs.reshape(-1, 1), ys)   # scikit-learn wants a column of inputs\n"
                "best_m, best_b = best.coef_[0], best.intercept_\n"
                "best_mse = np.mean((ys - (best_m * xs + best_b)) ** 2)\n"
                'print(f"best line ŷ = {best_m:.2f}x + {best_b:.2f}, MSE = {best_mse:.3f}")',
            ),
        ),
        ("y_hat", "error", "mse", "mae", "best_m", "best_b", "best_mse"),
        "loss",
    )


def perceptron_page(x1, x2, w1, w2, threshold, gate, epochs):
    """The perceptron page: the decision, the truth table, and the perceptron rule on a gate."""
    targets = [int(t) for t in perceptron.GATES[gate]]
    return Listing(
        "The perceptron",
        "Redo the page: the weighted sum, the step, the truth table, then learning the weights.",
        (
            Step(
                "The weighted sum z = w1·x1 + w2·x2 + b, with b = −threshold, and the step: 1 (go) only when "
                "z is greater than 0. Exactly 0 is not greater than 0.",
                f"{assignments(x1=x1, x2=x2, w1=w1, w2=w2, threshold=threshold)}\nb = -threshold\n"
                'z = w1 * x1 + w2 * x2 + b\noutput = 1 if z > 0 else 0\nprint(f"z = {z:g}, output = {output}")',
            ),
            Step(
                "The truth table: the same sum and step for all four inputs, in the page's order.",
                "table = []\nfor a1, a2 in [(0, 0), (1, 0), (0, 1), (1, 1)]:   # every pair of inputs x1, x2\n"
                "    z_row = w1 * a1 + w2 * a2 + b\n"
                "    table.append((a1, a2, z_row, 1 if z_row > 0 else 0))\n    print(a1, a2, z_row, table[-1][3])",
            ),
            Step(
                f"The perceptron rule learning **{gate}**: after each mistake, w ← w + η·(t − y)·x and "
                "b ← b + η·(t − y), with η = 1. It stops after a pass over the four examples without a mistake. "
                "The rule is the app's own function, from `core/lessons/perceptron.py`.",
                "import numpy as np\n\n\n"
                + source_of(neuron.step, perceptron.weighted_sum, perceptron.decide)
                + f"\n\n\nINPUTS = np.array({literal(perceptron.INPUTS)})   # x1, x2: 00, 01, 10, 11\n\n\n"
                + source_of(perceptron.learning_pass)
                + f"\n\n\ntargets = {literal(targets)}   # {gate}\n"
                "w, b = np.zeros(2), 0.0\nmistakes_per_epoch = []\n"
                f"for epoch in range({literal(epochs)}):\n"
                "    w, b, mistakes = learning_pass(w, b, targets, learning_rate=1.0)\n"
                "    mistakes_per_epoch.append(mistakes)\n    if mistakes == 0:\n        break\n"
                "learned_w1, learned_w2, learned_b = float(w[0]), float(w[1]), float(b)\n"
                'print(f"{len(mistakes_per_epoch)} passes, w = ({learned_w1:g}, {learned_w2:g}), b = {learned_b:g}")',
            ),
        ),
        ("z", "output", "table", "mistakes_per_epoch", "learned_w1", "learned_w2", "learned_b"),
        "perceptron",
    )


def sigmoid_page(x, w, b, steepness, nudged, delta):
    """The sigmoid page: z, σ(z), the steeper sigmoid, and the small-change demo."""
    index = ("w1", "w2").index(nudged)
    return Listing(
        "The sigmoid neuron",
        "Redo the page: the weighted sum, σ and its slope, then nudging one weight.",
        (
            Step(
                "The weighted sum z, σ and its slope σ′: the app's own functions from `core/lessons/neuron.py`.",
                "import numpy as np\n\n\n"
                + source_of((neuron, "Z_DECIMALS"), neuron.weighted_input, neuron.sigmoid, neuron.sigmoid_prime),
            ),
            Step(
                "Your neuron: the weighted sum z, its output σ(z), the slope there, and the steeper "
                "sigmoid σ(k·z) drawn on the chart.",
                f"{assignments(x1=x[0], x2=x[1], w1=w[0], w2=w[1], b=b, k=steepness)}\n"
                "z = weighted_input((x1, x2), (w1, w2), b)\noutput = float(sigmoid(z))\nslope = float(sigmoid_prime(z))\n"
                "steep_output = float(sigmoid(k * z))\n"
                'print(f"z = {z:.3f}, σ(z) = {output:.3f}, σ′(z) = {slope:.3f}, σ(k·z) = {steep_output:.3f}")',
            ),
            Step(
                f"Small change in, small change out: add Δ to {nudged}. The perceptron's step jumps by 0 or 1; "
                "the sigmoid moves a little.",
                f"delta = {literal(delta)}\nw_after = [w1, w2]\nw_after[{index}] += delta   # {nudged}\n"
                "z_after = weighted_input((x1, x2), w_after, b)\n"
                "step_before, step_after = float(z > 0), float(z_after > 0)\n"
                "sigmoid_after = float(sigmoid(z_after))\n"
                'print(f"step: {step_before:g} → {step_after:g}; sigmoid: {output:.4f} → {sigmoid_after:.4f}")',
            ),
        ),
        ("z", "output", "slope", "steep_output", "z_after", "step_before", "step_after", "sigmoid_after"),
        "sigmoid",
    )


def descent_page(surface, start, rate, steps, line_rate, line_steps, batch):
    """The descent page: the marble's steps on the chosen surface, then SGD fitting lesson 1's line."""
    return Listing(
        "Gradient descent",
        "Redo the page: the marble rolling downhill, then fitting a line with mini-batches.",
        (
            Step(
                f"The surface **{surface.name}** and its gradient, the slope in each direction: the same "
                "formulas the page draws.",
                "import numpy as np\n\n\n"
                + source_of(surface.loss, surface.gradient)
                + f"\n\n\nloss, gradient = {surface.loss.__name__}, {surface.gradient.__name__}",
            ),
            Step(
                "Gradient descent: each step moves against the gradient, p ← p − η·∇L(p).",
                f"{assignments(learning_rate=rate, steps=steps)}\npoint = np.array({literal(list(start))})\n"
                "for step in range(steps):\n    point = point - learning_rate * np.array(gradient(*point))\n"
                "final_point, final_loss = point, loss(*point)\n"
                'print(f"after {steps} steps: ({point[0]:.3f}, {point[1]:.3f}), loss {final_loss:.4f}")',
            ),
            Step(
                "Lesson 1's 20 points (noise 1.5, seed 0), made by the app's own function.",
                source_of(
                    (regression, "TRUE_SLOPE"), (regression, "TRUE_INTERCEPT"), regression.predict, regression.make_data
                )
                + "\n\n\nxs, ys = make_data()",
            ),
            Step(
                f"Stochastic gradient descent on the line's MSE, from m = b = 0: each step looks at {batch} of "
                "the 20 points, a mini-batch, taken in a shuffled order that is shuffled again once used up. "
                "The slopes are ∂MSE/∂m = −2/n·Σ xᵢ·rᵢ and ∂MSE/∂b = −2/n·Σ rᵢ, with rᵢ = yᵢ − (m·xᵢ + b). "
                "The app's own functions, from `core/lessons/descent.py`.",
                source_of(descent.mse_gradient, descent.minibatches, descent.sgd_step)
                + f"\n\n\n{assignments(line_rate=line_rate, line_steps=line_steps, batch_size=batch)}\n"
                "rng = np.random.default_rng(1)   # the page's seed for the order of the points\n"
                "m, b = 0.0, 0.0\nbatches = minibatches(len(xs), batch_size, rng)\n"
                "for step in range(line_steps):\n    m, b = sgd_step(m, b, xs, ys, next(batches), line_rate)\n"
                "sgd_mse = np.mean((ys - (m * xs + b)) ** 2)   # over all 20 points, as the page shows\n"
                'print(f"m = {m:.3f}, b = {b:.3f}, MSE = {sgd_mse:.3f}")',
            ),
        ),
        ("final_point", "final_loss", "m", "b", "sgd_mse"),
        "descent",
    )
