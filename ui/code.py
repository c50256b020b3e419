""" "The code" below a lesson's working view: the Listing written for the learner's current values
(core/code/), step by step with its explanation, a copy button on every block, and the whole of it
to download as a notebook or a script."""

import streamlit as st

from core.i18n import N_, _, ngettext
from ui.page import classroom

NOTEBOOK_TYPE = "application/x-ipynb+json"
# Streamlit's syntax colours are lighter than WCAG AA allows for small text on its code background
# (axe measured 2.6:1 to 3.8:1); these keep the same hues at 6:1 or more.
CODE_CSS = """<style>
[data-testid=stCode] .token { color: inherit; }
[data-testid=stCode] .token.keyword, [data-testid=stCode] .token.builtin, [data-testid=stCode] .token.boolean { color: #0b57a4; }
[data-testid=stCode] .token.number { color: #00695c; }
[data-testid=stCode] .token.comment { color: #55586a; }
[data-testid=stCode] .token.string, [data-testid=stCode] .token.string-interpolation { color: #1a6b32; }
[data-testid=stCode] .token.function, [data-testid=stCode] .token.class-name { color: #6f2dbd; }
</style>"""


def _downloads(listing):
    """The listing as a notebook and as a Python file, written only when a button is pressed."""
    left, right = st.columns(2)
    left.download_button(
        _("Download as a notebook"),
        listing.notebook,
        f"{listing.file_stem}.ipynb",
        mime=NOTEBOOK_TYPE,
        icon=":material/download:",
        on_click="ignore",
        key=f"notebook_{listing.file_stem}",
        width="stretch",
        help=_("A Jupyter notebook that runs top to bottom on Python with this app's requirements (requirements.txt)."),
    )
    right.download_button(
        _("Download as a Python file"),
        listing.script,
        f"{listing.file_stem}.py",
        mime="text/x-python",
        icon=":material/download:",
        on_click="ignore",
        key=f"script_{listing.file_stem}",
        width="stretch",
    )


def code_section(listing, label=N_("The code"), where=st):
    """Draw the listing in an expander: its steps, then downloads of the notebook and the script.
    The files are written when a button is pressed, not on every run of the page."""
    st.html(CODE_CSS)
    with where.expander(f"{_(label)}: {listing.title}", icon=":material/code:"):
        st.markdown(
            listing.intro
            + " "
            + _(
                "Every number below is the page's, as it is now: change a control and the "
                "code changes with it. Copy a block with the button at its top right."
            )
        )
        for number, step in enumerate(listing.steps, start=1):
            st.markdown(f"**{number}.** {step.why}")
            lines = step.code.strip().count("\n") + 1
            shown = ngettext("Show this {lines} line", "Show these {lines} lines", lines).format(lines=lines)
            if step.fold and not st.toggle(shown, key=f"view_unfold_{listing.file_stem}_{number}"):
                continue
            # wrapped, never a box wider than a phone; in classroom mode the page's larger text makes it larger
            st.code(step.code.strip(), language="python", wrap_lines=True)
        _downloads(listing)
        if classroom():
            st.caption(_("Hand it out: the notebook runs on any computer with Python, without this app."))
