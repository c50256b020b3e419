"""The teacher's side of a room's live polls (the class's side, joining and following, is
ui/poll.py): the sidebar box that leads the room, each "Predict before you press" question asked
of the class, its answers counted live, the reveal and the class's verdict, and the lesson the
class follows."""

import streamlit as st

from core.charts import lab as lab_charts
from core.i18n import _, ngettext, shown, told
from core.lab import answers, store
from core.lab import polls as poll_store
from core.lab.devices import Devices
from ui import device, room
from ui.poll import POLL_SECONDS, asks, leave
from ui.room import refusal, safely
from ui.routing import current_url_path
from ui.state import CLASSROOM, LANGUAGE, State, current_values

LED = State("poll_led")  # the lesson link this teacher session last wrote for its room


def lead(joined, controls):
    """The teacher's page: tell the room which lesson, at which settings, the class is on."""
    polls, code, teacher_key = joined.polls, joined.code, joined.teacher_key
    # each student keeps their own classroom mode and language
    values = {
        name: value for name, value in current_values(controls).items() if name not in (CLASSROOM.key, LANGUAGE.key)
    }
    link = controls.link(current_url_path() or "", values)
    if LED.get() == (code, link):
        return
    try:
        polls.lead(code, teacher_key, link)
        LED.set((code, link))
    except (store.DatabaseUnavailable, store.RoomProblem) as error:
        st.sidebar.warning(
            _("The class cannot follow this page: {why}").format(why=told(error)), icon=":material/cloud_off:"
        )


def teacher_tools(joined):
    """The sidebar box of the room's teacher: what the class sees, the answers as CSV, clearing."""
    polls, code, teacher_key = joined.polls, joined.code, joined.teacher_key
    with st.sidebar.expander(_("Room {code}: you lead").format(code=code), icon=":material/co_present:"):
        st.markdown(
            _(
                "Students who open the room's link follow you from lesson to lesson. Each \"Predict before you "
                'press" question has an **Ask the class** button.'
            )
        )
        device.door(joined, safely)
        st.button(
            _("Close the poll"),
            icon=":material/stop_circle:",
            on_click=safely,
            args=(polls.close, code, teacher_key),
            help=_("Students' devices stop showing the current poll."),
        )
        st.download_button(
            _("Answers as CSV"),
            lambda: polls.as_csv(code, teacher_key),
            file_name=f"answers-{code}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            help=_(
                "Every answer in this room: the poll, its question, the answer, whether it was right and when. No names."
            ),
        )
        st.button(
            _("Clear the room's answers"),
            icon=":material/delete_sweep:",
            on_click=safely,
            args=(polls.clear, code, teacher_key),
            help=_("Deletes every poll of this room and its answers."),
        )
        st.button(_("Leave the room"), icon=":material/logout:", on_click=leave)


def teacher_question(question, joined, text, choices, answer, settings):
    """The teacher's side of a Question in a room: ask the class, count live, reveal. Return
    whether the result may be shown (after the reveal)."""
    polls, code, teacher_key = joined.polls, joined.code, joined.teacher_key
    try:
        poll = polls.current(code)
    except store.DatabaseUnavailable as error:
        room.unavailable(error)
        return None  # the page asks the usual way
    ours = asks(poll, question) and poll.settings == poll_store.fingerprint(settings)
    if ours and poll.revealed:
        question.revealed.set(settings)
        return True
    with st.container(border=True):
        predict = _("Predict before you press.")
        st.markdown(f"**:material/psychology_alt: {predict}** {shown(text)}")
        refusal()
        if not ours:
            st.button(
                _("Ask the class"),
                icon=":material/how_to_vote:",
                type="primary",
                key=f"{question.name}_poll",
                on_click=safely,
                args=(
                    polls.open,
                    code,
                    teacher_key,
                    current_url_path(),
                    question.name,
                    settings,
                    text,
                    choices,
                    answer,
                ),
                help=_("Shows this question on every device in the room; their answers are counted here."),
            )
            return False
        live_counts(polls, code, teacher_key, poll, question, settings)
    return False


@st.fragment(run_every=POLL_SECONDS)
def live_counts(polls, code, teacher_key, poll, question, settings):
    try:
        counts, devices = polls.counts(poll), Devices(polls.lab).count(code)
    except store.DatabaseUnavailable as error:
        st.caption(":material/cloud_off: " + _("The answers cannot be counted now: {why}").format(why=told(error)))
        return
    choices = [shown(choice) for choice in poll.choices]
    st.altair_chart(lab_charts.poll_chart(choices, counts), width="stretch")
    st.markdown(answers.in_words(choices, counts))
    answered = ngettext(
        "{answered} of the {count} device in the room answered.",
        "{answered} of the {count} devices in the room answered.",
        devices,
    ).format(answered=sum(counts), count=devices)
    st.caption(f":material/devices: {answered}")
    if st.button(
        _("Reveal the answer"),
        icon=":material/visibility:",
        key=f"{question.name}_poll_reveal",
        help=_("Stops the answers and shows the answer here and on every device."),
    ):
        safely(polls.reveal, code, teacher_key, poll.id)
        st.rerun()


def verdict(question, joined):
    """After the reveal of the room's poll: the class's answers and how many were right."""
    polls, code = joined.polls, joined.code
    try:
        poll = polls.current(code)
        if not asks(poll, question):
            return False
        counts = polls.counts(poll)
    except store.DatabaseUnavailable:
        return False
    choices, right, answer = [shown(c) for c in poll.choices], [shown(c) for c in poll.right], shown(poll.answer)
    st.altair_chart(lab_charts.poll_chart(choices, counts, right), width="stretch")
    revealed = _("The answer is **{answer}**.").format(answer=answer)
    st.success(f"{revealed} {answers.in_words(choices, counts, answer)}", icon=":material/how_to_reg:")
    return True
