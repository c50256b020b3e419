"""Page furniture every lesson shares: header, classroom mode, explanations, "Try this" box,
"Predict before you press" questions and the lesson navigation with its share link."""
import streamlit as st

from ui.lessons import LESSONS
from ui.routing import route_through_app
from ui.state import CLASSROOM, Controls

REMEMBERED_CLASSROOM = "classroom_mode"  # the session's choice, kept across page changes
# Projector view: bigger text and charts. `zoom` (unlike `transform`) also lays the page out at
# the larger size, so charts that fill their column still fit it.
CLASSROOM_CSS = """<style>
.stMain .block-container { zoom: 1.3; max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>"""


def classroom_toggle():
    """Draw the classroom-mode toggle. The choice follows the learner from page to page (a
    widget's own state belongs to one page); a link that sets it wins."""
    remembered = st.session_state.get(REMEMBERED_CLASSROOM)
    if remembered is not None and CLASSROOM.key not in st.query_params:
        st.session_state[CLASSROOM.key] = remembered

    def remember():
        st.session_state[REMEMBERED_CLASSROOM] = st.session_state[CLASSROOM.key]
    st.session_state[REMEMBERED_CLASSROOM] = CLASSROOM(st.sidebar, on_change=remember)


def classroom():
    """True when the page is shown in classroom mode (the sidebar toggle, also in the URL)."""
    return bool(st.session_state.get(CLASSROOM.key, CLASSROOM.default))


def header(title, intro, more="", controls=Controls()):
    """Draw the classroom toggle, the page title and its plain-words introduction: the key
    sentence `intro` and, unless in classroom mode (where it folds away), the rest `more`.
    Values in the link that `controls` cannot use are reported."""
    route_through_app()
    classroom_toggle()
    if classroom():
        st.html(CLASSROOM_CSS)
    st.title(title)
    controls.report_link_problems()
    explain(intro, more)


def explain(key_sentence, more=""):
    """An explanation: in classroom mode only its key sentence, the rest behind "More"."""
    if not more:
        st.markdown(key_sentence)
    elif classroom():
        st.markdown(key_sentence)
        with st.expander("More", icon=":material/menu_book:"):
            st.markdown(more)
    else:
        st.markdown(f"{key_sentence} {more}")


def try_this(*prompts):
    """Draw a short list of experiments for the learner."""
    with st.container(border=True):
        st.markdown("**:material/science: Try this**")
        st.markdown("\n".join(f"- {prompt}" for prompt in prompts))


def predict_first(name, question, choices, answer, settings):
    """In classroom mode, ask the class `question` before showing a result, and reveal it on
    click; returns whether the result may be shown. Any change of `settings` (the values that
    decide the answer) asks again. Outside classroom mode, always True."""
    if not classroom():
        return True
    revealed_key = f"{name}_revealed"
    if st.session_state.get(revealed_key) == settings:
        return True
    with st.container(border=True):
        st.markdown(f"**:material/psychology_alt: Predict before you press.** {question}")
        guess = st.radio("Your guess", choices, index=None, horizontal=True, key=f"{name}_guess_{settings}")

        def reveal():
            st.session_state[revealed_key] = settings
            st.session_state[f"{name}_said"] = (guess, answer)
        st.button("Reveal the answer", icon=":material/visibility:", key=f"{name}_reveal", on_click=reveal,
                  disabled=guess is None, help="Make a guess first.")
    return False


def verdict(name):
    """After a reveal: say whether the class's guess was right."""
    said = st.session_state.get(f"{name}_said")
    if classroom() and said:
        guess, answer = said
        (st.success if guess == answer else st.warning)(
            f"You said **{guess}**; the answer is **{answer}**.", icon=":material/how_to_reg:")


def lesson_footer(path, controls=Controls()):
    """Draw Previous / Next links to the neighbouring lessons in story order, and the sidebar's
    link to the current view."""
    index = next(i for i, lesson in enumerate(LESSONS) if lesson.path == path)
    left, _, right = st.columns([2, 3, 2])
    if index > 0:
        previous = LESSONS[index - 1]
        left.page_link(previous.path, label=f"Previous: {previous.title}", icon=":material/arrow_back:")
    if index + 1 < len(LESSONS):
        following = LESSONS[index + 1]
        right.page_link(following.path, label=f"Next: {following.title}", icon=":material/arrow_forward:")
    controls.share_box(st.sidebar)
