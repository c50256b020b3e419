"""Lesson 1: a line y = m·x + b, and the loss that says how wrong it is."""

import numpy as np
import streamlit as st

from core.charts import concepts as charts
from core.code import basics as code
from core.lessons import regression
from ui.code import code_section
from ui.page import Question, explain, header, lesson_footer, try_this
from ui.state import Controls, Number, Slider, bump, draw

M = Slider(
    "m",
    "Slope m",
    -2.0,
    6.0,
    regression.EXAMPLE["m"],
    0.1,
    "How steep the line is: ŷ goes up by m for every step of 1 in x.",
)
B = Slider(
    "b",
    "Intercept b",
    -4.0,
    8.0,
    regression.EXAMPLE["b"],
    0.1,
    "Where the line crosses x = 0: it shifts the whole line up or down.",
)
X = Number("x", "Input x", -10.0, 10.0, regression.EXAMPLE["x"], 0.5, "The input we make a prediction for.")
Y = Number(
    "y",
    "Observed y",
    -50.0,
    50.0,
    regression.EXAMPLE["y"],
    0.5,
    "What really happened for this x: the answer the prediction is compared with.",
)
NOISE = Slider(
    "noise",
    "Noise in the data",
    0.0,
    4.0,
    1.5,
    0.1,
    "How far the points scatter around the true line y = 2x + 2. At 0 they lie exactly on it.",
)
SEED = Number(
    "seed",
    "Data seed",
    0,
    10_000,
    0,
    1,
    "Which random sample of points to draw. The same seed always gives the same points.",
)

CANCEL = Question("cancel")
CONTROLS = Controls(M, B, X, Y, NOISE, SEED)

header(
    "A line and its loss",
    "Learning means finding the line whose predictions are least wrong, and the **loss** is the "
    "number that says *how wrong*.",
    "A straight line is the simplest model there is: give it an input **x** and it predicts "
    '**ŷ** (say "y hat"). Its slope **m** and intercept **b** are what learning adjusts, and '
    "to adjust them we first need a way to measure how wrong the line is.",
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
    st.subheader("One prediction, worked out")
    st.latex(rf"\hat{{y}} = {m:g}\cdot {x:g} + {b:g} = {y_hat:g}")
    st.markdown(
        f"The observed value is **y = {y:g}**, so the prediction is off by y − ŷ = {y:g} − {y_hat:g} = **{error:g}**."
    )
    cols = st.columns(4)
    cols[0].metric("Prediction ŷ", f"{y_hat:g}")
    cols[1].metric("Error y − ŷ", f"{error:g}")
    cols[2].metric("Absolute error |y − ŷ|", f"{float(regression.absolute_error(y, y_hat)):g}")
    cols[3].metric("Squared error (y − ŷ)²", f"{float(regression.squared_error(y, y_hat)):g}")

    cancel = np.array([2.0, -2.0])
    if CANCEL.ask(
        "One prediction is 2 too low and another is 2 too high. What is the average of their signed errors y − ŷ?",
        ("0", "2", "4"),
        f"{cancel.mean():g}",
        (),
    ):
        CANCEL.verdict()
        st.warning(
            "**The signed error is not a loss.** Suppose one prediction is 2 too low and another 2 too "
            f"high: the errors are +2 and −2 and their average is {cancel.mean():g}, as if both were "
            f"perfect. A loss must count every miss as bad, so we drop the sign: the absolute errors "
            f"average {np.abs(cancel).mean():g}, the squared errors {np.square(cancel).mean():g}. "
            "Squaring also punishes big misses much more than small ones.",
            icon=":material/warning:",
        )

st.subheader("Many points: the mean loss")
explain(
    "With many data points we average the loss over all of them.",
    "The dashed red segments are the errors, one per point. The **mean squared error** (MSE) averages their squares.",
)
# side by side where there is room, one under the other on a phone (Streamlit stacks columns there)
mse_formula, mae_formula = st.columns(2)
mse_formula.latex(r"\text{MSE}(m, b) = \frac{1}{n}\sum_{i=1}^{n}\left(y_i - (m\,x_i + b)\right)^2")
mae_formula.latex(r"\text{MAE}(m, b) = \frac{1}{n}\sum_{i=1}^{n}\left|y_i - (m\,x_i + b)\right|")
data_controls = st.columns([2, 1, 1])
noise = draw(NOISE, data_controls[0])
seed = int(draw(SEED, data_controls[1]))
data_controls[2].button(
    "New data",
    icon=":material/casino:",
    on_click=bump(SEED),
    help="Draw a fresh random sample of points (adds one to the seed).",
)
xs, ys = regression.make_data(noise=noise, seed=seed)
best = regression.best_fit(xs, ys)

scores = st.columns(4)
scores[0].metric("Your MSE", f"{regression.mean_squared_error(m, b, xs, ys):.3f}")
scores[1].metric("Your MAE", f"{regression.mean_absolute_error(m, b, xs, ys):.3f}")
scores[2].metric(
    "Best MSE",
    f"{regression.mean_squared_error(*best, xs, ys):.3f}",
    help="The least-squares line, fitted by scikit-learn's LinearRegression.",
)
scores[3].metric("Best line", f"ŷ = {best[0]:.2f}x + {best[1]:.2f}")

left, right = st.columns(2)
left.altair_chart(charts.line_fit(xs, ys, m, b, best), width="stretch")
grid = regression.loss_grid(xs, ys, np.linspace(-2, 6, 61), np.linspace(-4, 8, 61))
right.altair_chart(charts.loss_surface(grid, (m, b), best), width="stretch")
right.caption(
    "Every spot on this map is a line: across is its slope m, up is its intercept b, and "
    'the colour is its MSE. Your line is the circle marked "you"; the best line, the diamond '
    'marked "best", sits at the bottom of the valley.'
)
right.markdown(
    f"In numbers: your line (m = {m:g}, b = {b:g}) has MSE "
    f"{regression.mean_squared_error(m, b, xs, ys):.3f}; the lowest on the map is "
    f"{regression.mean_squared_error(*best, xs, ys):.3f}, at m = {best[0]:.2f}, b = {best[1]:.2f}."
)

code_section(code.loss_page(m, b, x, y, noise, seed))
try_this(
    "Set m = 2 and b = 2 with x = 3: the prediction 8 misses the observed 10 by 2. Which intercept b makes the "
    "error 0? (A slope would too, 8/3, but it falls between the slider's steps: 2.7 overshoots by 0.1.)",
    'Move m and b until your MSE is as small as the best line\'s. Watch the "you" circle slide into the dark valley.',
    "Set the noise to 0: the best line is exactly y = 2x + 2 and its MSE is 0.",
)
lesson_footer(CONTROLS)
