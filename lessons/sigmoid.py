"""Lesson 3: the sigmoid neuron, a soft step."""

import streamlit as st

from core.charts import concepts as charts
from core.code import basics as code
from core.i18n import N_, _, number, sentence
from core.lessons import neuron
from ui.code import code_section
from ui.page import Question, header, lesson_footer, try_this
from ui.state import Controls, Select, Slider, draw

STEEPNESS = Slider(
    "k",
    N_("Steepness k"),
    0.2,
    20.0,
    1.0,
    0.2,
    N_("Plots σ(k·z). The larger k, the closer the sigmoid gets to the perceptron's hard step."),
)
X1 = Slider(
    "x1",
    N_("Input x1"),
    0.0,
    1.0,
    0.6,
    0.05,
    N_(
        "Any number from 0 to 1 here, not just 0 or 1 (a sigmoid neuron "
        "takes any number at all; its output is between 0 and 1 whatever its inputs)."
    ),
)
X2 = Slider("x2", N_("Input x2"), 0.0, 1.0, 0.4, 0.05, N_("The second input, between 0 and 1."))
W1 = Slider("w1", N_("Weight w1"), -6.0, 6.0, 2.0, 0.1, N_("How much x1 counts."))
W2 = Slider("w2", N_("Weight w2"), -6.0, 6.0, -1.0, 0.1, N_("How much x2 counts."))
B = Slider("b", N_("Bias b"), -6.0, 6.0, -0.9, 0.1, N_("Shifts z up or down: minus the threshold."))
NUDGED = Select("nudged", N_("Weight to nudge"), ("w1", "w2"), "w1", N_("Which weight gets the small change Δ."))
DELTA = Slider("delta", N_("Change Δ"), -0.5, 0.5, 0.2, 0.01, N_("How much to add to that weight."))
FLIPS, STAYS = N_("it flips"), N_("it stays")  # the question's choices, in English: shown in the reader's language

FLIP = Question("nudge")
CONTROLS = Controls(STEEPNESS, X1, X2, W1, W2, B, NUDGED, DELTA)

header(
    N_("The sigmoid neuron"),
    _(
        "The **sigmoid neuron** replaces the perceptron's jump with a smooth S-shaped curve, so small "
        "changes in the weights give small changes in the output."
    ),
    _(
        "A perceptron's output jumps from 0 to 1. That makes learning hard: a tiny change in a "
        "weight either changes nothing or flips the answer completely. With a smooth curve the "
        "network can tell which way to adjust."
    ),
    CONTROLS,
)
st.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad z = w_1 x_1 + w_2 x_2 + b")
st.caption(
    _(
        "e is Euler's number, e ≈ {e}… (a common slip is {slip}). Far below zero, e^(−z) is huge "
        "and σ(z) is close to 0; far above zero, e^(−z) is tiny and σ(z) is close to 1; at z = 0 it is exactly {half}. "
        "So σ(z) is between 0 and 1 for any z, whatever the inputs. It changes fastest at z = 0, where its "
        "slope is {slope} (its steepest), and is nearly flat far from 0."
    ).format(
        e=number(neuron.E, 5), slip=number(2.714, 3), half=number(0.5), slope=number(float(neuron.sigmoid_prime(0)))
    )
)

controls, chart = st.columns([1, 2], gap="large")
with controls:
    x = (draw(X1), draw(X2))
    w = (draw(W1), draw(W2))
    b = draw(B)
    steepness = draw(STEEPNESS)
z = neuron.weighted_input(x, w, b)
output = float(neuron.sigmoid(z))
with chart:
    st.latex(rf"z = {w[0]:g}\cdot{x[0]:g} + ({w[1]:g})\cdot{x[1]:g} + ({b:g}) = {z:.3f}")
    st.latex(rf"\sigma(z) = \sigma({z:.3f}) = {output:.3f}")
    cols = st.columns(3)
    cols[0].metric("z", f"{z:.3f}")
    cols[1].metric("σ(z)", f"{output:.3f}")
    cols[2].metric(
        _("Class (σ > 0.5)"),
        "1" if output > 0.5 else "0",
        help=_("Reading σ(z) > 0.5 as 'yes' gives the same answer as the perceptron's z > 0."),
    )
    st.altair_chart(charts.sigmoid_vs_step(steepness, z), width="stretch")
    st.caption(
        _(
            "The solid curve is σ(k·z), the sigmoid made k times steeper (k = 1 is the neuron above); the "
            "dashed line is the perceptron's step. The dot at your z is σ({k}·{z}) = {steep}; your neuron's "
            "output is σ(z) = {output}, the same only at k = 1."
        ).format(
            k=f"{steepness:g}",
            z=f"{z:.3f}",
            steep=f"{float(neuron.sigmoid(steepness * z)):.3f}",
            output=f"{output:.3f}",
        )
    )

st.subheader(_("Small change in, small change out"))
st.markdown(_("Nudge one weight by a small Δ and compare the two kinds of neuron on the same inputs."))
left, right = st.columns([1, 2], gap="large")
with left:
    nudged = draw(NUDGED)
    delta = draw(DELTA)
effect = neuron.nudge(x, w, b, ("w1", "w2").index(nudged), delta)
flipped = effect["step_after"] != effect["step_before"]
with right:
    if FLIP.ask(
        sentence(
            N_("Adding Δ = {delta} to {weight}: will the perceptron's answer flip?"), delta=f"{delta:g}", weight=nudged
        ),
        (FLIPS, STAYS),
        FLIPS if flipped else STAYS,
        (x, w, b, nudged, delta),
    ):
        FLIP.verdict()
        cols = st.columns(3)
        cols[0].metric("z", f"{effect['z_after']:.3f}", f"{effect['z_after'] - effect['z_before']:+.3f}")
        cols[1].metric(
            _("Perceptron output"),
            f"{effect['step_after']:g}",
            f"{effect['step_after'] - effect['step_before']:+g}",
            delta_color="off",
        )
        cols[2].metric(
            _("Sigmoid output"),
            f"{effect['sigmoid_after']:.4f}",
            f"{effect['sigmoid_after'] - effect['sigmoid_before']:+.4f}",
            delta_color="off",
        )
        st.markdown(
            _(
                "The perceptron's output changes by 0 or by a whole 1. The sigmoid's changes by a "
                "little, in proportion to Δ, so we can tell whether a change helped."
            )
        )

code_section(code.sigmoid_page(x, w, b, steepness, nudged, delta))
try_this(
    _("Raise the steepness k to 20: the S-curve becomes the perceptron's step."),
    _(
        "Set the bias to {bias}, so that z = 0 and the perceptron says 0, then nudge w1 by {nudge}: the perceptron "
        "flips to 1, the sigmoid moves by only about {moved} (its slope at 0, {slope}, times the change in z, "
        "0.1 × 0.6)."
    ).format(bias=number(-0.8), nudge="+" + number(0.1), moved=number(0.015), slope=number(0.25)),
    _("Set z far from 0 (bias 6): the curve is flat there, so nudges barely change σ(z)."),
)
lesson_footer(CONTROLS)
