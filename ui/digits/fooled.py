"""Which digits fooled the network: choosing a cell of the confusion matrix ("written 7, read 2"),
by a click on the chart or in a selector that a keyboard and a screen reader reach, shows those
digits. Shared by the handwriting page's Evaluate section (MNIST's test digits) and the class lab
(a room's drawings)."""

import numpy as np
import streamlit as st

from core.charts import digits as digit_charts

SHOWN = 24  # digits shown for one cell


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
        st.caption("No mistakes to show.")
        return None
    options = [None, *cells]
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    choice = st.selectbox(
        "Show the digits it got wrong",
        options,
        key=key,
        format_func=lambda cell: (
            "Choose a mistake (or click a red number)"
            if cell is None
            else f"written {cell[0]}, read as {cell[1]}: {cells[cell]} digit{'s' if cells[cell] > 1 else ''}"
        ),
        help="The same as clicking a cell of the confusion matrix.",
    )
    return None if choice is None else (*choice, cells[choice])


def gallery(images, indices, true, read, what):
    """Up to SHOWN of the digits `indices` (into `images`, uint8 28 × 28), captioned."""
    indices = np.asarray(indices)[:SHOWN]
    st.markdown(f"**{len(indices)} {what} written as {true} and read as {read}**")
    for slot, index in zip(st.columns(8) * 3, indices):
        slot.image(
            digit_charts.enlarge(images[int(index)] / 255, 84),
            caption=f"written {true}, read {read}",
            alt=f"A {what[:-1] if what.endswith('s') else what} written as a {true} that the network read as a {read}",
        )
