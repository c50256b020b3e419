"""The backpropagation lesson's Streamlit parts that are not the lesson's story: the table of every
slope beside finite differences, and the timing of backpropagation against them on a network the
size of Nielsen's (lessons/backprop.py composes them)."""

import numpy as np
import pandas as pd
import streamlit as st

from core.i18n import _, number
from core.lessons import backprop, backprop_formulas
from ui.page import explain
from ui.state import State

TIMING = State("backprop_timing")  # (backpropagation seconds, finite-difference seconds), once measured
BIG = (784, 30, 10)  # Nielsen's MNIST network


@st.cache_resource(show_spinner=False)  # the page says what it is doing, in the reader's language
def _timing():
    """Time one full gradient of the 784-30-10 network both ways, on one random MNIST-sized input."""
    import time

    network, rng = backprop.Network.random(BIG, seed=0), np.random.default_rng(0)
    x, y = rng.random(BIG[0]), np.eye(BIG[-1])[3]
    backprop.gradient(network, x, y)  # warm up
    started = time.perf_counter()
    for _repeat in range(20):
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
                _("weight or bias"): backprop.parameter_names(),
                _("value"): [text(value) for value in network.flat()],
                "∂C/∂p (BP3, BP4)": [text(slope) for slope in slopes],
                _("by finite differences"): [text(estimate) for estimate in numbers],
                _("difference before rounding"): [f"{value:.1e}" for value in np.abs(gradients.flat() - numbers)],
                _("update −η·∂C/∂p"): [text(-rate * slope) for slope in slopes],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    told = _(
        "Every number to {decimals} decimals, the slopes exactly as BP3 and BP4 work them out above, and each "
        "update is −η times the slope shown (η = {rate}). Finite differences nudge one parameter at a time by "
        "ε = {epsilon} either way: (C(p + ε) − C(p − ε)) / 2ε. Before rounding they agree with the chain rule "
        "to about 10 decimal places (the difference column)."
    )
    st.caption(told.format(decimals=backprop_formulas.DECIMALS, rate=f"{rate:g}", epsilon=f"{backprop.EPSILON:g}"))


def finite_differences_section():
    st.subheader(_("Why not just nudge every weight?"), divider="gray")
    parameters, passes, _backward = backprop.work_counts(BIG)
    counted = _(
        "Finite differences need two forward passes **per weight**. Nielsen's network for MNIST, "
        "784-30-10, has **{parameters}** weights and biases: **{passes}** forward passes for one "
        "gradient. Backpropagation gets all of them from **one forward and one backward pass**."
    )
    explain(
        counted.format(parameters=number(parameters), passes=number(passes)),
        _(
            "It is sometimes said that a function of thousands of variables has no easy derivative. It "
            "does: backpropagation costs about as much as computing the output twice. The hard part of "
            "learning is elsewhere: no formula gives the lowest point of the cost directly, so we still "
            "walk downhill, one small step at a time."
        ),
    )
    if st.button(_("Time both on this server"), icon=":material/timer:") or TIMING.get():
        running = _("Running 2 × {parameters} forward passes for the finite differences…")
        with st.spinner(running.format(parameters=number(parameters))):
            TIMING.set(_timing())
    if TIMING.get():
        backward_seconds, difference_seconds = TIMING.get()
        cells = st.columns(3)
        cells[0].metric(_("Backpropagation"), f"{backward_seconds * 1000:.2f} ms")
        cells[1].metric(_("Finite differences"), f"{difference_seconds:.2f} s")
        cells[2].metric(_("Backpropagation is faster by"), f"{difference_seconds / backward_seconds:,.0f} ×")
        st.caption(_("One gradient of the 784-30-10 network for one random 28 × 28 input, in numpy on this server."))
