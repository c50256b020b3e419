"""The backpropagation lesson's Streamlit parts that are not the lesson's story: the table of every
slope beside finite differences, and the timing of backpropagation against them on a network the
size of Nielsen's (lessons/backprop.py composes them)."""

import numpy as np
import pandas as pd
import streamlit as st

from core.lessons import backprop, backprop_formulas
from ui.page import explain
from ui.state import State

TIMING = State("backprop_timing")  # (backpropagation seconds, finite-difference seconds), once measured
BIG = (784, 30, 10)  # Nielsen's MNIST network


@st.cache_resource(show_spinner="Running 2 × 23,860 forward passes for the finite differences…")
def _timing():
    """Time one full gradient of the 784-30-10 network both ways, on one random MNIST-sized input."""
    import time

    network, rng = backprop.Network.random(BIG, seed=0), np.random.default_rng(0)
    x, y = rng.random(BIG[0]), np.eye(BIG[-1])[3]
    backprop.gradient(network, x, y)  # warm up
    started = time.perf_counter()
    for _ in range(20):
        backprop.gradient(network, x, y)
    backpropagation = (time.perf_counter() - started) / 20
    started = time.perf_counter()
    backprop.finite_differences(network, x, y)
    return backpropagation, time.perf_counter() - started


def gradient_table(network, gradients, slopes, x, y, rate):
    """Every slope as BP3 and BP4 show it, beside finite differences; one rounding rule throughout."""
    numbers = backprop.finite_differences(network, x, y)
    text = backprop_formulas.as_text
    st.dataframe(
        pd.DataFrame(
            {
                "weight or bias": backprop.parameter_names(),
                "value": [text(value) for value in network.flat()],
                "∂C/∂p (BP3, BP4)": [text(slope) for slope in slopes],
                "by finite differences": [text(number) for number in numbers],
                "difference before rounding": [f"{value:.1e}" for value in np.abs(gradients.flat() - numbers)],
                "update −η·∂C/∂p": [text(-rate * slope) for slope in slopes],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        f"Every number to {backprop_formulas.DECIMALS} decimals, the slopes exactly as BP3 and BP4 work them "
        f"out above, and each update is −η times the slope shown (η = {rate:g}). Finite differences nudge "
        f"one parameter at a time by ε = {backprop.EPSILON:g} either way: (C(p + ε) − C(p − ε)) / 2ε. Before "
        "rounding they agree with the chain rule to about 10 decimal places (the difference column)."
    )


def finite_differences_section():
    st.subheader("Why not just nudge every weight?", divider="gray")
    parameters, passes, _ = backprop.work_counts(BIG)
    explain(
        f"Finite differences need two forward passes **per weight**. Nielsen's network for MNIST, "
        f"784-30-10, has **{parameters:,}** weights and biases: **{passes:,}** forward passes for one "
        "gradient. Backpropagation gets all of them from **one forward and one backward pass**.",
        "It is sometimes said that a function of thousands of variables has no easy derivative. It "
        "does: backpropagation costs about as much as computing the output twice. The hard part of "
        "learning is elsewhere: no formula gives the lowest point of the cost directly, so we still "
        "walk downhill, one small step at a time.",
    )
    if st.button("Time both on this server", icon=":material/timer:") or TIMING.get():
        TIMING.set(_timing())
    if TIMING.get():
        backward_seconds, difference_seconds = TIMING.get()
        cells = st.columns(3)
        cells[0].metric("Backpropagation", f"{backward_seconds * 1000:.2f} ms")
        cells[1].metric("Finite differences", f"{difference_seconds:.2f} s")
        cells[2].metric("Backpropagation is faster by", f"{difference_seconds / backward_seconds:,.0f} ×")
        st.caption("One gradient of the 784-30-10 network for one random 28 × 28 input, in numpy on this server.")
