"""Lesson 1: a line y = m·x + b, and the loss that says how wrong it is."""

import numpy as np
import streamlit as st

from core.charts import concepts as charts
from core.code import basics as code
from core.i18n import N_, _, number
from core.lessons import regression
from ui.code import code_section
from ui.page import Question, explain, header, lesson_footer, try_this
from ui.state import Controls, Number, Slider, bump, draw

M = Slider(
    "m",
    N_("Slope m"),
    -2.0,
    6.0,
    regression.EXAMPLE["m"],
    0.1,
    N_("How steep the line is: ŷ goes up by m for every step of 1 in x."),
)
B = Slider(
    "b",
    N_("Intercept b"),
    -4.0,
    8.0,
    regression.EXAMPLE["b"],
    0.1,
    N_("Where the line crosses x = 0: it shifts the whole line up or down."),
)
X = Number("x", N_("Input x"), -10.0, 10.0, regression.EXAMPLE["x"], 0.5, N_("The input we make a prediction for."))
Y = Number(
    "y",
    N_("Observed y"),
    -50.0,
    50.0,
    regression.EXAMPLE["y"],
    0.5,
    N_("What really happened for this x: the answer the prediction is compared with."),
)
NOISE = Slider(
    "noise",
    N_("Noise in the data"),
    0.0,
    4.0,
    1.5,
    0.1,
    N_("How far the points scatter around the true line y = 2x + 2. At 0 they lie exactly on it."),
)
SEED = Number(
    "seed",
    N_("Data seed"),
    0,
    10_000,
    0,
    1,
    N_("Which random sample of points to draw. The same seed always gives the same points."),
)

CANCEL = Question("cancel")
CONTROLS = Controls(M, B, X, Y, NOISE, SEED)

header(
    N_("A line and its loss"),
    _(
        "Learning means finding the line whose predictions are least wrong, and the **loss** is the "
        "number that says *how wrong*."
    ),
    _(
        "A straight line is the simplest model there is: give it an input **x** and it predicts "
        '**ŷ** (say "y hat"). Its slope **m** and intercept **b** are what learning adjusts, and '
        "to adjust them we first need a way to measure how wrong the line is."
    ),
    CONTROLS,
)
st.latex(r"\hat{y} = m\,x + b")

controls, result = st.columns([1, 2], gap="large")
with controls:
    m, b = draw(M), draw(B)
    x, y = draw(X), draw(Y)
y_hat = regression.predict(m, b, x)
error = regression.signed_error(y, y_hat)
with result:
    st.subheader(_("One prediction, worked out"))
    st.latex(rf"\hat{{y}} = {m:g}\cdot {x:g} + {b:g} = {y_hat:g}")
    st.markdown(
        _("The observed value is **y = {y}**, so the prediction is off by y − ŷ = {y} − {y_hat} = **{error}**.").format(
            y=f"{y:g}", y_hat=f"{y_hat:g}", error=f"{error:g}"
        )
    )
    cols = st.columns(4)
    cols[0].metric(_("Prediction ŷ"), f"{y_hat:g}")
    cols[1].metric(_("Error y − ŷ"), f"{error:g}")
    cols[2].metric(_("Absolute error |y − ŷ|"), f"{float(regression.absolute_error(y, y_hat)):g}")
    cols[3].metric(_("Squared error (y − ŷ)²"), f"{float(regression.squared_error(y, y_hat)):g}")

    cancel = np.array([2.0, -2.0])
    if CANCEL.ask(
        N_("One prediction is 2 too low and another is 2 too high. What is the average of their signed errors y − ŷ?"),
        ("0", "2", "4"),
        f"{cancel.mean():g}",
        (),
    ):
        CANCEL.verdict()
        st.warning(
            _(
                "**The signed error is not a loss.** Suppose one prediction is 2 too low and another 2 too "
                "high: the errors are +2 and −2 and their average is {signed}, as if both were "
                "perfect. A loss must count every miss as bad, so we drop the sign: the absolute errors "
                "average {absolute}, the squared errors {squared}. "
                "Squaring also punishes big misses much more than small ones."
            ).format(
                signed=f"{cancel.mean():g}",
                absolute=f"{np.abs(cancel).mean():g}",
                squared=f"{np.square(cancel).mean():g}",
            ),
            icon=":material/warning:",
        )

st.subheader(_("Many points: the mean loss"))
explain(
    _("With many data points we average the loss over all of them."),
    _(
        "The dashed red segments are the errors, one per point. The **mean squared error** (MSE) averages their squares."
    ),
)
# side by side where there is room, one under the other on a phone (Streamlit stacks columns there)
mse_formula, mae_formula = st.columns(2)
mse_formula.latex(r"\text{MSE}(m, b) = \frac{1}{n}\sum_{i=1}^{n}\left(y_i - (m\,x_i + b)\right)^2")
mae_formula.latex(r"\text{MAE}(m, b) = \frac{1}{n}\sum_{i=1}^{n}\left|y_i - (m\,x_i + b)\right|")
data_controls = st.columns([2, 1, 1])
noise = draw(NOISE, data_controls[0])
seed = int(draw(SEED, data_controls[1]))
data_controls[2].button(
    _("New data"),
    icon=":material/casino:",
    on_click=bump(SEED),
    help=_("Draw a fresh random sample of points (adds one to the seed)."),
)
xs, ys = regression.make_data(noise=noise, seed=seed)
best = regression.best_fit(xs, ys)

scores = st.columns(4)
scores[0].metric(_("Your MSE"), f"{regression.mean_squared_error(m, b, xs, ys):.3f}")
scores[1].metric(_("Your MAE"), f"{regression.mean_absolute_error(m, b, xs, ys):.3f}")
scores[2].metric(
    _("Best MSE"),
    f"{regression.mean_squared_error(*best, xs, ys):.3f}",
    help=_("The least-squares line, fitted by scikit-learn's LinearRegression."),
)
scores[3].metric(_("Best line"), f"ŷ = {best[0]:.2f}x + {best[1]:.2f}")

left, right = st.columns(2)
left.altair_chart(charts.line_fit(xs, ys, m, b, best), width="stretch")
grid = regression.loss_grid(xs, ys, np.linspace(-2, 6, 61), np.linspace(-4, 8, 61))
right.altair_chart(charts.loss_surface(grid, (m, b), best), width="stretch")
right.caption(
    _(
        "Every spot on this map is a line: across is its slope m, up is its intercept b, and "
        'the colour is its MSE. Your line is the circle marked "you"; the best line, the diamond '
        'marked "best", sits at the bottom of the valley.'
    )
)
right.markdown(
    _(
        "In numbers: your line (m = {m}, b = {b}) has MSE {mse}; the lowest on the map is {best_mse}, "
        "at m = {best_m}, b = {best_b}."
    ).format(
        m=f"{m:g}",
        b=f"{b:g}",
        mse=number(regression.mean_squared_error(m, b, xs, ys), 3),  # a number in a sentence: as the language writes it
        best_mse=number(regression.mean_squared_error(*best, xs, ys), 3),
        best_m=f"{best[0]:.2f}",
        best_b=f"{best[1]:.2f}",
    )
)

code_section(code.loss_page(m, b, x, y, noise, seed))
try_this(
    _(
        "Set m = 2 and b = 2 with x = 3: the prediction 8 misses the observed 10 by 2. Which intercept b makes the "
        "error 0? (A slope would too, 8/3, but it falls between the slider's steps: 2.7 overshoots by 0.1.)"
    ),
    _(
        'Move m and b until your MSE is as small as the best line\'s. Watch the "you" circle slide into the dark valley.'
    ),
    _("Set the noise to 0: the best line is exactly y = 2x + 2 and its MSE is 0."),
)
lesson_footer(CONTROLS)
