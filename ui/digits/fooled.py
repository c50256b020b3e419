"""Which digits fooled the network: choosing a cell of the confusion matrix ("written 7, read 2"),
by a click on the chart or in a selector that a keyboard and a screen reader reach, shows those
digits. Shared by the handwriting page's Evaluate section (MNIST's test digits) and the class lab
(a room's drawings)."""

import numpy as np
import streamlit as st

from core.charts import digits as digit_charts
from core.i18n import N_, _, ngettext

SHOWN = 24  # digits shown for one cell
# What the digits are, for gallery(): (the heading, one digit's description), each a sentence
TEST_DIGITS = (
    N_("**{count} test digits written as {true} and read as {read}**"),
    N_("A test digit written as a {true} that the network read as a {read}"),
)
CLASS_DRAWINGS = (
    N_("**{count} class drawings written as {true} and read as {read}**"),
    N_("A class drawing written as a {true} that the network read as a {read}"),
)


def mistakes(confusion):
    """The confusion matrix's mistake cells with any digits in them, the commonest first:
    [(true digit, digit read, how many)]."""
    cells = [
        (true, read, int(confusion[true][read]))
        for true in range(10)
        for read in range(10)
        if true != read and confusion[true][read]
    ]
    return sorted(cells, key=lambda cell: (-cell[2], cell[0], cell[1]))


def clicked(event):
    """The (true, read) cell an on_select event of the confusion chart names, or None."""
    chosen = (event or {}).get("selection", {}).get(digit_charts.CELL) or []
    try:
        return int(chosen[0]["true digit"]), int(chosen[0]["predicted"])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def choose(confusion, key, event=None):
    """The selector of mistake cells (`key` starts with "view_": it chooses what is shown, no setting); a click on the chart (its `event`) chooses the same. Returns
    the chosen (true, read, count), or None."""
    cells = {(true, read): count for true, read, count in mistakes(confusion)}
    picked, last = clicked(event), f"{key}_clicked"
    if picked != st.session_state.get(last):  # a new click: the selector follows it (and may move on alone)
        st.session_state[last] = picked
        if picked in cells:
            st.session_state[key] = picked
    if not cells:
        st.caption(_("No mistakes to show."))
        return None
    options = [None, *cells]
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    none = _("Choose a mistake (or click a red number)")
    named = {
        cell: ngettext(
            "written {true}, read as {read}: {count} digit", "written {true}, read as {read}: {count} digits", count
        ).format(true=cell[0], read=cell[1], count=count)
        for cell, count in cells.items()
    }
    choice = st.selectbox(
        _("Show the digits it got wrong"),
        options,
        key=key,
        format_func=lambda cell: none if cell is None else named[cell],  # said in this run's language
        help=_("The same as clicking a cell of the confusion matrix."),
    )
    return None if choice is None else (*choice, cells[choice])


def gallery(images, indices, true, read, what=TEST_DIGITS):
    """Up to SHOWN of the digits `indices` (into `images`, uint8 28 × 28), captioned; `what` they
    are is TEST_DIGITS or CLASS_DRAWINGS."""
    indices = np.asarray(indices)[:SHOWN]
    heading, one = what
    st.markdown(_(heading).format(count=len(indices), true=true, read=read))
    for slot, index in zip(st.columns(8) * 3, indices):
        slot.image(
            digit_charts.enlarge(images[int(index)] / 255, 84),
            caption=_("written {true}, read {read}").format(true=true, read=read),
            alt=_(one).format(true=true, read=read),
        )
