"""Page furniture every lesson shares: header, classroom mode, explanations, "Try this" box,
"Predict before you press" questions and the lesson navigation with its share link."""

from dataclasses import dataclass

import streamlit as st

from core.i18n import N_, _, shown
from core.lab.answers import right_answers, stored_answer
from ui import language, poll, poll_teacher, server, state
from ui.lessons import LESSONS, lesson_at
from ui.room import ROOM, join_box
from ui.routing import current_url_path
from ui.state import CLASSROOM, Controls, State, draw, held_value, is_held

REMEMBERED_CLASSROOM = State("classroom_mode")  # the session's choice, kept across page changes
ROOM_HERE = State("room_here")  # this run's ui.room.InRoom, or None (see ui/poll.py's join)
# Every page: a formula's box may not scroll. Streamlit clips KaTeX's display box, and a fraction
# or a column a few pixels too narrow made it a scrolling region no keyboard can reach (axe's
# scrollable-region-focusable); the formulas are sized to fit their columns.
# A label (a lesson's name in the sidebar, a button's, a toggle's) wraps onto a second line rather
# than being cut short: Streamlit keeps each to one line and ends it with "…", and German and
# Spanish words are longer than the English a column was sized for ("10 Epochen t…", "Neue …").
PAGE_CSS = """<style>.katex-display { overflow: visible !important; }
[data-testid=stSidebarNavLink] { height: auto; min-height: 2rem; }
[data-testid=stSidebarNavLink] *, .stMarkdownEllipsis, .stMarkdownEllipsis * { white-space: normal !important; }
[data-testid=stSidebarNavLink] .stMarkdownEllipsis, button .stMarkdownEllipsis { line-height: 1.25; }
</style>"""
# Projector view: bigger text. Streamlit sizes its text and spacing in rem, so a larger root font
# grows them all, and the page is laid out at that size: charts and tables measure the column as it
# is drawn and fit it. (CSS zoom made them measure the unzoomed column and spill out of it.)
CLASSROOM_CSS = """<style>
html { font-size: 130%; }
.stMain .block-container { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
[data-testid=stSidebarNavLink] span { font-size: 0.8rem; }  /* the sidebar keeps its width: lesson names fit */
</style>"""


def classroom_toggle():
    """Draw the classroom-mode toggle. The choice follows the learner from page to page (a
    widget's own state belongs to one page); a link that sets it wins."""
    remembered = REMEMBERED_CLASSROOM.get()
    if remembered is not None and CLASSROOM.key not in st.query_params:
        st.session_state[CLASSROOM.key] = remembered

    def remember():
        REMEMBERED_CLASSROOM.set(st.session_state[CLASSROOM.key])

    REMEMBERED_CLASSROOM.set(draw(CLASSROOM, st.sidebar, on_change=remember))


def classroom():
    """True when the page is shown in classroom mode (the sidebar toggle, also in the URL, or
    held by a teacher's link)."""
    if is_held(CLASSROOM):
        return bool(held_value(CLASSROOM))
    return bool(st.session_state.get(CLASSROOM.key, CLASSROOM.default))


def header(title, intro, more="", controls=Controls()):
    """Draw the classroom toggle, the page title and its plain-words introduction: the key
    sentence `intro` and, unless in classroom mode (where it folds away), the rest `more`.
    Values in the link that `controls` cannot use are reported."""
    server.apply()
    problems = state.drop_link_problems(controls)
    held, unknown = state.hold_from_link(controls)
    poll.follow(controls)
    language.picker()
    classroom_toggle()
    st.html(PAGE_CSS + (CLASSROOM_CSS if classroom() else ""))
    st.title(_(title))
    state.report(problems + unknown)
    if held:
        st.info(
            _("Your teacher's link fixes the other settings of this page: the controls shown are the ones to explore."),
            icon=":material/lock:",
        )
    joined = poll.join()
    ROOM_HERE.set(joined)
    if joined and joined.leads:
        poll_teacher.teacher_tools(joined)
    elif joined:
        poll.student_view(joined)
    else:
        with st.sidebar.popover(_("Join a class"), icon=":material/login:", width="stretch"):
            join_box(ROOM, key="join_room_sidebar")
    explain(intro, more)


def explain(key_sentence, more=""):
    """An explanation: in classroom mode only its key sentence, the rest behind "More"."""
    if not more:
        st.markdown(key_sentence)
    elif classroom():
        st.markdown(key_sentence)
        with st.expander(_("More"), icon=":material/menu_book:"):
            st.markdown(more)
    else:
        st.markdown(f"{key_sentence} {more}")


def as_table(table, label=N_("Show as table")):
    """The numbers behind a chart, folded away: for screen readers, and for whoever wants them."""
    with st.expander(_(label), icon=":material/table:"):
        st.dataframe(table, hide_index=True)


def try_this(*prompts):
    """Draw a short list of experiments for the learner."""
    with st.container(border=True):
        title = _("Try this")
        st.markdown(f"**:material/science: {title}**")
        st.markdown("\n".join(f"- {prompt}" for prompt in prompts))


@dataclass(frozen=True)
class Question:
    """A "Predict before you press" question for classroom mode, declared once per page. Its name
    keys the class's guess and whether the answer has been revealed."""

    name: str

    @property
    def revealed(self):
        return State(f"{self.name}_revealed")  # the settings the answer was revealed for

    @property
    def said(self):
        return State(f"{self.name}_said")  # (the class's guess, the answer)

    def ask(self, question, choices, answer, settings):
        """In classroom mode, ask the class `question` before showing a result, and reveal it on
        click; return whether the result may be shown. `answer` is one of `choices`, or a tuple of
        several that are equally right. Any change of `settings` (the values that decide the
        answer) asks again. Outside classroom mode, always True. `question` and `choices` are
        English, marked N_() where they are written: each reader sees them in their own language,
        and a room's poll keeps them in English, so each student's device shows its own."""
        joined = ROOM_HERE.get()
        if joined and joined.leads:  # this session leads a room: the question is the class's poll
            allowed = poll_teacher.teacher_question(self, joined, question, choices, answer, settings)
            if allowed is not None:
                return allowed
        elif joined and (allowed := poll.student_waits(self, joined)) is not None:
            return allowed
        if not classroom() or self.revealed.get() == settings:
            return True
        with st.container(border=True):
            predict = _("Predict before you press.")
            st.markdown(f"**:material/psychology_alt: {predict}** {shown(question)}")
            guess = st.radio(
                _("Your guess"),
                choices,
                format_func=shown,
                index=None,
                horizontal=True,
                key=f"{self.name}_guess_{settings}",
            )

            def reveal():
                self.revealed.set(settings)
                self.said.set((guess, stored_answer(answer)))

            st.button(
                _("Reveal the answer"),
                icon=":material/visibility:",
                key=f"{self.name}_reveal",
                on_click=reveal,
                disabled=guess is None,
                help=_("Make a guess first."),
            )
        return False

    def verdict(self):
        """After a reveal: say whether the class's guess was right."""
        joined = ROOM_HERE.get()
        if joined and joined.leads and poll_teacher.verdict(self, joined):
            return
        said = self.said.get()
        if classroom() and said:
            guess, answer = said
            (st.success if guess in right_answers(answer) else st.warning)(
                _("You said **{guess}**; the answer is **{answer}**.").format(guess=shown(guess), answer=shown(answer)),
                icon=":material/how_to_reg:",
            )


def lesson_footer(controls=Controls()):
    """Draw Previous / Next links to the neighbouring lessons in story order, and the sidebar's
    link to the current view."""
    index, _lesson = lesson_at(current_url_path())
    if (joined := ROOM_HERE.get()) and joined.leads:
        poll_teacher.lead(joined, controls)
    state.help_box(controls)
    state.share_box(controls, st.sidebar)
    if index is None:
        return
    left, _middle, right = st.columns([2, 3, 2])
    if index > 0:
        previous = LESSONS[index - 1]
        left.page_link(
            previous.path, label=_("Previous: {title}").format(title=_(previous.title)), icon=":material/arrow_back:"
        )
    if index + 1 < len(LESSONS):
        following = LESSONS[index + 1]
        right.page_link(
            following.path, label=_("Next: {title}").format(title=_(following.title)), icon=":material/arrow_forward:"
        )
