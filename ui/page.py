"""Page furniture every lesson shares: header, "Try this" box and the lesson navigation."""
import streamlit as st

from ui.lessons import LESSONS
from ui.routing import route_through_app


def header(title, intro):
    """Draw the page title and its one-paragraph plain-words introduction."""
    route_through_app()
    st.title(title)
    st.markdown(intro)


def try_this(*prompts):
    """Draw a short list of experiments for the learner."""
    with st.container(border=True):
        st.markdown("**:material/science: Try this**")
        st.markdown("\n".join(f"- {prompt}" for prompt in prompts))


def lesson_footer(path):
    """Draw Previous / Next links to the neighbouring lessons in story order."""
    index = next(i for i, lesson in enumerate(LESSONS) if lesson.path == path)
    left, _, right = st.columns([2, 3, 2])
    if index > 0:
        previous = LESSONS[index - 1]
        left.page_link(previous.path, label=f"Previous: {previous.title}", icon=":material/arrow_back:")
    if index + 1 < len(LESSONS):
        following = LESSONS[index + 1]
        right.page_link(following.path, label=f"Next: {following.title}", icon=":material/arrow_forward:")
