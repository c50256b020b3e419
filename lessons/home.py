"""Home: the learning path, one card per lesson."""

import streamlit as st

from core.i18n import _
from ui.lessons import LESSONS
from ui.page import header

header(
    _("Neural Network Explorer"),
    _(
        "How does a computer learn to read handwriting? This explorer tells the story in steps. "
        "Each lesson gives you a few controls and a picture: move a slider and watch what changes. "
        "Start with a straight line and finish by drawing your own digit for a trained network to read."
    ),
)
columns = st.columns(3)
for number, lesson in enumerate(LESSONS):
    with columns[number % 3].container(border=True, height="stretch"):
        st.page_link(lesson.path, label=f"{number + 1}. {_(lesson.title)}", icon=lesson.icon)
        st.caption(_(lesson.summary))
st.info(_("No maths background is needed: every formula is explained in words next to it."), icon=":material/school:")
