"""Lesson 4: gradient descent, the marble rolling to the bottom of the bowl."""

import numpy as np
import streamlit as st

from core.charts import descent as charts
from core.code import basics as code
from core.i18n import N_, _, number, sentence
from core.lessons import descent, regression
from ui.code import code_section
from ui.page import Question, explain, header, lesson_footer, try_this
from ui.state import Controls, Select, Slider, draw

SURFACE = Select(
    "surface",
    N_("Loss surface"),
    tuple(descent.SURFACES),
    "Round bowl",
    N_("The shape of the landscape the marble rolls on."),
    translated=True,
)
START_P1 = Slider("start_p1", N_("Start p1"), -2.0, 2.0, 1.8, 0.1, N_("Where the marble is dropped, across."))
START_P2 = Slider("start_p2", N_("Start p2"), -2.0, 2.0, 1.5, 0.1, N_("Where the marble is dropped, up."))
RATE = Slider(
    "rate",
    N_("Learning rate η"),
    0.01,
    1.2,
    0.1,
    0.01,
    N_("How far each step goes, as a multiple of the slope. Too small is slow; too large overshoots."),
)
STEPS = Slider("steps", N_("Steps"), 1, 200, 30, 1, N_("How many downhill steps to take."))
LINE_LIMIT = descent.divergence_rate(regression.make_data()[0])  # 2 ÷ the steepest curvature of this data's MSE
LINE_RATE = Slider(
    "line_rate",
    N_("Learning rate η (line)"),
    0.001,
    0.2,
    0.03,
    0.001,
    sentence(
        N_(
            "Step size for fitting the line. Gradient descent on these points diverges above "
            "η = {limit} (2 ÷ the loss's steepest curvature); mini-batches at somewhat different rates."
        ),
        limit=f"{LINE_LIMIT:.3f}",
    ),
)
LINE_STEPS = Slider("line_steps", N_("Steps (line)"), 1, 400, 150, 1, N_("How many updates of m and b."))
BATCH = Slider(
    "batch",
    N_("Mini-batch size"),
    1,
    20,
    4,
    1,
    N_("How many of the 20 points each stochastic step looks at. 20 means every point: plain gradient descent."),
)

SETTLE = Question("marble")
CONTROLS = Controls(SURFACE, START_P1, START_P2, RATE, STEPS, LINE_RATE, LINE_STEPS, BATCH)


def _say_what_happened(surface, path, fate, rate):
    """The run's result, in words that agree with the revealed answer `fate` (its long run)."""
    steps, first, last = len(path.losses) - 1, path.losses[0], path.losses[-1]
    factors = descent.step_factors(surface, rate)
    why = ""
    if factors is not None:  # the factors are a formula: Python's digits in every language
        along = [
            _("1 − {rate}·{curvature} = {factor} along {name}").format(
                rate=f"{rate:g}", curvature=f"{curvature:g}", factor=f"{factor:.2f}", name=name
            )
            for name, curvature, factor in zip(("p1", "p2"), surface.curvatures, factors)
        ]
        why = " " + _("Each step multiplies the distance to the bottom by {first} and {second}.").format(
            first=along[0], second=along[1]
        )
    said = dict(rate=f"{rate:g}", first=number(first, significant=4), last=number(last, significant=4), steps=steps)
    if fate == descent.DIVERGES:
        told = _(
            "**It diverges.** With η = {rate} each step overshoots the bottom and lands higher up the "
            "other side: the loss went from {first} to {last} in {steps} steps, and keeps growing."
        )
        st.error(told.format(**said) + why + " " + _("Lower the learning rate."), icon=":material/trending_up:")
    elif fate == descent.BOUNCES:
        told = _(
            "**It bounces for ever.** With η = {rate} the marble jumps from wall to wall and never "
            "comes to rest: after {steps} steps the loss is {last} (it started at {first})."
        )
        st.warning(told.format(**said) + why, icon=":material/swap_vert:")
    else:
        told = _(
            "**It settles** at the bottom of its hollow, given enough steps. After {steps} steps the "
            "loss is {loss} at ({p1}, {p2})."
        )
        at = dict(loss=number(last, 4), p1=number(path.points[-1, 0], 3), p2=number(path.points[-1, 1], 3))
        st.success(told.format(steps=steps, **at) + why, icon=":material/flag:")


header(
    N_("Gradient descent: the marble in the bowl"),
    _(
        "Training a network means finding the weights with the smallest loss, like a marble rolling "
        "to the bottom of a bowl."
    ),
    _(
        "Picture the loss as a landscape and the weights as the marble's position. **Gradient "
        "descent** rolls it downhill in steps: measure the slope (the *gradient*) where you are, and "
        "step a little way downhill. The **learning rate** η sets the step size."
    ),
    CONTROLS,
)
st.latex(r"p \leftarrow p - \eta \, \nabla L(p)")

controls, maps = st.columns([1, 3], gap="large")
with controls:
    surface = descent.SURFACES[draw(SURFACE)]
    start = (draw(START_P1), draw(START_P2))
    rate, steps = draw(RATE), draw(STEPS)
path = descent.descend(surface, start, rate, steps)
fate = descent.outcome(surface, start, rate)
with maps:
    st.caption(_(surface.description))
    if SETTLE.ask(
        sentence(
            N_(
                "With learning rate η = {rate}, will the marble settle at the bottom, bounce between "
                "the walls for ever, or fly off?"
            ),
            rate=f"{rate:g}",
        ),
        descent.OUTCOMES,
        fate,
        (surface.name, start, rate, steps),
    ):
        SETTLE.verdict()
        _say_what_happened(surface, path, fate, rate)
        left, right = st.columns(2)
        left.altair_chart(charts.descent_map(descent.surface_grid(surface), path, "p1", "p2", "loss"), width="stretch")
        right.altair_chart(charts.loss_per_step({_("marble"): path}), width="stretch")

st.subheader(_("The real case: fitting lesson 1's line"))
explain(
    _(
        "Now the two parameters are the line's slope m and intercept b, and the landscape is the "
        "mean squared error over 20 points."
    ),
    _(
        "**Gradient descent** uses all points for every step. "
        "**Stochastic gradient descent** (SGD) estimates the slope from a small random "
        "*mini-batch* of points: each step is cheaper but noisier, which is how networks are "
        "trained on millions of examples."
    ),
)
slope_m, slope_b = st.columns(2)  # one under the other on a phone
slope_m.latex(r"\frac{\partial\,\text{MSE}}{\partial m} = -\frac{2}{n}\sum_i x_i\,(y_i - \hat{y}_i)")
slope_b.latex(r"\frac{\partial\,\text{MSE}}{\partial b} = -\frac{2}{n}\sum_i (y_i - \hat{y}_i)")
st.caption(
    _(
        "In words: each slope says how fast the MSE grows as m (or b) grows. For b it is the average miss "
        "y − ŷ, times −2; for m each point's miss is first multiplied by its x, so far-out points count more. "
        "A step moves m and b against their slopes."
    )
)
controls, maps = st.columns([1, 3], gap="large")
with controls:
    line_rate, line_steps, batch = draw(LINE_RATE), draw(LINE_STEPS), draw(BATCH)
xs, ys = regression.make_data()
start_line = (0.0, 0.0)
paths = {
    _("gradient descent"): descent.fit_line(xs, ys, start_line, line_rate, line_steps),
    _("SGD, batches of {batch}").format(batch=batch): descent.fit_line(
        xs, ys, start_line, line_rate, line_steps, batch_size=batch, seed=1
    ),
}
best = regression.best_fit(xs, ys)
with maps:
    diverged = [name for name, p in paths.items() if p.diverged]
    if diverged:
        told = _(
            "**Diverged:** with η = {rate} the loss of {runs} keeps growing instead of shrinking "
            "(runs are stopped once it passes 10⁸). Lower the learning rate."
        )
        st.error(told.format(rate=f"{line_rate:g}", runs=", ".join(diverged)), icon=":material/trending_up:")
    cols = st.columns(len(paths) + 1)
    for col, (name, p) in zip(cols, paths.items()):
        col.metric(_("Final MSE, {run}").format(run=name), _("diverged") if p.diverged else f"{p.losses[-1]:.3f}")
    cols[-1].metric(_("Least-squares MSE"), f"{regression.mean_squared_error(*best, xs, ys):.3f}")
    grid = regression.loss_grid(xs, ys, np.linspace(-1, 5, 45), np.linspace(-2, 6, 45))
    left, right = st.columns(2)
    for col, (name, p) in zip((left, right), paths.items()):
        col.markdown(f"**{name}**")
        col.altair_chart(charts.descent_map(grid, p, "m", "b", "mse"), width="stretch")
    st.altair_chart(charts.loss_per_step(paths), width="stretch")

with st.expander(_("Why not just solve for the bottom directly?"), icon=":material/help:"):
    st.markdown(
        _(
            "For a straight line we can: the least-squares formula gives the best m and b in one go. "
            "A real network has thousands or millions of weights, and its loss is a tangled function of "
            "all of them. Computing the slope in every direction is easy and fast (that is what "
            "**backpropagation** does), but setting millions of slopes to zero and solving all those "
            "equations together is not: there is no formula, and the equations have many solutions. "
            "So we take small steps downhill instead, which only ever needs the slope."
        )
    )

code_section(code.descent_page(surface, start, rate, steps, line_rate, line_steps, batch))
try_this(
    _("Round bowl with η = 1.05: every step overshoots more than the last and the run diverges."),
    _(
        "Long valley with η = 0.09: the marble zig-zags between the steep walls. Try 0.05, then 0.1: "
        "1 − 0.1·20 = −1, so it bounces between the walls for ever."
    ),
    _("Two minima: start at p1 = 1.8, then at p1 = −0.2. The marble ends in different hollows."),
    _("Make the mini-batch 1: SGD's path wanders, but it still heads for the same valley."),
)
lesson_footer(CONTROLS)
