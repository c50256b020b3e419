"""Lesson 3: the sigmoid neuron, a soft step."""

import streamlit as st

from core.charts import concepts as charts
from core.code import basics as code
from core.lessons import neuron
from ui.code import code_section
from ui.page import Question, header, lesson_footer, try_this
from ui.state import Controls, Select, Slider, draw

STEEPNESS = Slider(
    "k",
    "Steepness k",
    0.2,
    20.0,
    1.0,
    0.2,
    "Plots σ(k·z). The larger k, the closer the sigmoid gets to the perceptron's hard step.",
)
X1 = Slider(
    "x1",
    "Input x1",
    0.0,
    1.0,
    0.6,
    0.05,
    "Any number from 0 to 1 here, not just 0 or 1 (a sigmoid neuron "
    "takes any number at all; its output is between 0 and 1 whatever its inputs).",
)
X2 = Slider("x2", "Input x2", 0.0, 1.0, 0.4, 0.05, "The second input, between 0 and 1.")
W1 = Slider("w1", "Weight w1", -6.0, 6.0, 2.0, 0.1, "How much x1 counts.")
W2 = Slider("w2", "Weight w2", -6.0, 6.0, -1.0, 0.1, "How much x2 counts.")
B = Slider("b", "Bias b", -6.0, 6.0, -0.9, 0.1, "Shifts z up or down: minus the threshold.")
NUDGED = Select("nudged", "Weight to nudge", ("w1", "w2"), "w1", "Which weight gets the small change Δ.")
DELTA = Slider("delta", "Change Δ", -0.5, 0.5, 0.2, 0.01, "How much to add to that weight.")

FLIP = Question("nudge")
CONTROLS = Controls(STEEPNESS, X1, X2, W1, W2, B, NUDGED, DELTA)

header(
    "The sigmoid neuron",
    "The **sigmoid neuron** replaces the perceptron's jump with a smooth S-shaped curve, so small "
    "changes in the weights give small changes in the output.",
    "A perceptron's output jumps from 0 to 1. That makes learning hard: a tiny change in a "
    "weight either changes nothing or flips the answer completely. With a smooth curve the "
    "network can tell which way to adjust.",
    CONTROLS,
)
st.latex(r"\sigma(z) = \frac{1}{1 + e^{-z}}, \qquad z = w_1 x_1 + w_2 x_2 + b")
st.caption(
    f"e is Euler's number, e ≈ {neuron.E:.5f}… (a common slip is 2.714). Far below zero, e^(−z) is huge "
    "and σ(z) is close to 0; far above zero, e^(−z) is tiny and σ(z) is close to 1; at z = 0 it is exactly 0.5. "
    "So σ(z) is between 0 and 1 for any z, whatever the inputs. It changes fastest at z = 0, where its "
    f"slope is {float(neuron.sigmoid_prime(0)):g} (its steepest), and is nearly flat far from 0."
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
        "Class (σ > 0.5)",
        "1" if output > 0.5 else "0",
        help="Reading σ(z) > 0.5 as 'yes' gives the same answer as the perceptron's z > 0.",
    )
    st.altair_chart(charts.sigmoid_vs_step(steepness, z), width="stretch")
    st.caption(
        f"The solid curve is σ(k·z), the sigmoid made k times steeper (k = 1 is the neuron above); the "
        f"dashed line is the perceptron's step. The dot at your z is σ({steepness:g}·{z:.3f}) = "
        f"{float(neuron.sigmoid(steepness * z)):.3f}; your neuron's output is σ(z) = {output:.3f}, the same "
        "only at k = 1."
    )

st.subheader("Small change in, small change out")
st.markdown("Nudge one weight by a small Δ and compare the two kinds of neuron on the same inputs.")
left, right = st.columns([1, 2], gap="large")
with left:
    nudged = draw(NUDGED)
    delta = draw(DELTA)
effect = neuron.nudge(x, w, b, ("w1", "w2").index(nudged), delta)
flipped = effect["step_after"] != effect["step_before"]
with right:
    if FLIP.ask(
        f"Adding Δ = {delta:g} to {nudged}: will the perceptron's answer flip?",
        ("it flips", "it stays"),
        "it flips" if flipped else "it stays",
        (x, w, b, nudged, delta),
    ):
        FLIP.verdict()
        cols = st.columns(3)
        cols[0].metric("z", f"{effect['z_after']:.3f}", f"{effect['z_after'] - effect['z_before']:+.3f}")
        cols[1].metric(
            "Perceptron output",
            f"{effect['step_after']:g}",
            f"{effect['step_after'] - effect['step_before']:+g}",
            delta_color="off",
        )
        cols[2].metric(
            "Sigmoid output",
            f"{effect['sigmoid_after']:.4f}",
            f"{effect['sigmoid_after'] - effect['sigmoid_before']:+.4f}",
            delta_color="off",
        )
        st.markdown(
            "The perceptron's output changes by 0 or by a whole 1. The sigmoid's changes by a "
            "little, in proportion to Δ, so we can tell whether a change helped."
        )

code_section(code.sigmoid_page(x, w, b, steepness, nudged, delta))
try_this(
    "Raise the steepness k to 20: the S-curve becomes the perceptron's step.",
    "Set the bias to −0.8, so that z = 0 and the perceptron says 0, then nudge w1 by +0.1: the perceptron flips to 1, "
    "the sigmoid moves by only about 0.015 (its slope at 0, 0.25, times the change in z, 0.1 × 0.6).",
    "Set z far from 0 (bias 6): the curve is flat there, so nudges barely change σ(z).",
)
lesson_footer(CONTROLS)
