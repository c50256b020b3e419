"""The convolution page's two inputs: the learner's digit (drawn, carried over from the handwriting
page, or a test digit) and the filter slid over it (a named one, the trained network's, or the
learner's own weights)."""

import hashlib

import numpy as np
import streamlit as st

from core import i18n
from core.i18n import _, shown
from core.lessons import convolution as conv
from ui.convolution.controls import (
    BIAS,
    CANVAS_GENERATION,
    CARRIED,
    CELLS,
    DRAW,
    KERNEL,
    OWN,
    PADDING,
    SIZE,
    SOURCE,
    STRIDE,
    TEST_DIGIT,
    TRAINED,
)
from ui.convolution.views import matrix
from ui.digits.controls import READ_DIGIT
from ui.digits.predict import drawn
from ui.state import draw


def as_stored(image):
    """A picture as MNIST stores its digits, 0–255 in whole steps, then scaled to 0–1: every number the
    page shows is then one a code listing can write exactly."""
    return np.round(np.clip(np.asarray(image, dtype=np.float64), 0, 1) * 255) / 255


def fingerprint(image):
    """A short name for a picture, for the questions' settings: a new digit asks again."""
    return hashlib.sha256(np.ascontiguousarray(image, dtype=np.float64).tobytes()).hexdigest()[:16]


def _test_digit(dataset):
    index = int(draw(TEST_DIGIT)) % len(dataset.x_test)
    told = _("Test digit number {index}, written as a {digit}.")
    st.caption(told.format(index=i18n.number(index), digit=int(dataset.y_test[index])))
    return dataset.x_test[index] / 255.0


def the_digit(dataset):
    """Draw the choice of digit; return it, 28 × 28 in 0–1, prepared as the handwriting page prepares it."""
    source = draw(SOURCE)
    if source == DRAW:
        digit = drawn(CANVAS_GENERATION, "convolution_canvas").prepared()
        if digit.image is not None:
            return as_stored(digit.image)
        problem = shown(digit.problem) if digit.problem else _("Draw a digit on the pad.")
        (st.error if digit.problem else st.info)(
            problem + " " + _("Until then, the page shows a test digit:"), icon=":material/draw:"
        )
    elif source == CARRIED:
        if READ_DIGIT.get() is not None:
            st.caption(_("The last digit the handwriting page read for you, as its network saw it."))
            return as_stored(READ_DIGIT.get())
        st.info(
            _("The handwriting page has not read a digit for you yet: draw one there first.")
            + " "
            + _("Until then, the page shows a test digit:"),
            icon=":material/draw:",
        )
    return as_stored(_test_digit(dataset))


def _copy_to_own(grid):
    """A callback: your own kernel starts from the numbers of the one shown."""

    def copy():
        for row, cells in enumerate(CELLS):
            for column, cell in enumerate(cells):
                inside = row < grid.shape[0] and column < grid.shape[1]
                st.session_state[cell.key] = round(float(grid[row, column]), 2) if inside else 0.0
        st.session_state[KERNEL.key] = OWN

    return copy


def _own_kernel(size):
    grid = np.zeros((size, size))
    for row in range(size):
        for column, place in enumerate(st.columns(size)):
            grid[row, column] = draw(CELLS[row][column], place, label_visibility="collapsed")
    return grid


def _chosen_kernel(network, name, size, where):
    """The kernel named `name` (the page's Filter), `size` × `size`, with what to say about it in `where`."""
    if name in TRAINED and network is None:
        where.info(
            _(
                "The handwriting network is not on this server, so its filters cannot be shown: here is "
                "the vertical edge instead."
            ),
            icon=":material/info:",
        )
        name = conv.NAMED[0]
    if name in TRAINED:
        number = TRAINED.index(name)
        told = _(
            "The network's filters are 3 × 3. Its own bias for this one is {bias}; the page uses the bias you set."
        )
        where.caption(told.format(bias=f"{network.weights['bias_0'][number]:.3f}"))
        return network.weights["kernel_0"][:, :, 0, number]
    if name == OWN:
        with where:
            st.markdown(_("**Your kernel's weights**"))
            return _own_kernel(size)
    return conv.kernel(name, size)


def the_filter(network):
    """Draw the filter's controls in a row and its kernel under them; return (kernel, bias, stride, padding)."""
    row = st.columns([2, 1, 1, 1, 2])
    name, size, stride, padding, bias = (
        draw(control, where) for control, where in zip((KERNEL, SIZE, STRIDE, PADDING, BIAS), row)
    )
    numbers, about = st.columns([1, 2], gap="large")
    grid = np.asarray(_chosen_kernel(network, name, size, about), dtype=np.float64)
    numbers.latex(r"k = " + matrix(grid, 3 if grid.shape[0] == 3 else 2))
    if name != OWN:
        about.button(
            _("Edit these numbers"),
            icon=":material/edit:",
            on_click=_copy_to_own(grid),
            help=_("Copy this kernel into your own, to change it weight by weight."),
        )
    return grid, float(bias), stride, padding
