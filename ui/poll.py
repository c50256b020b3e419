"""Live polls on every lesson: a lesson opened with a room in its link (`?room=K7QM3XPA`, and the
teacher's `&key=…`) joins that room. The teacher's page turns each "Predict before you press"
question (ui/page.py's Question) into a poll the class answers on their own devices, counts the
answers live and reveals; students' devices show the poll within POLL_SECONDS, follow the teacher
from lesson to lesson, and may browse away and come back. This module is the class's side (joining,
following, answering); the teacher's is ui/poll_teacher.py. The storage and every teacher-only
check are in core/lab/polls.py.

Live without a reload: the student's poll and the teacher's counts are fragments that Streamlit
reruns every POLL_SECONDS (st.fragment's run_every), each reading a few rows.
"""

from urllib.parse import parse_qs

import streamlit as st

from core.i18n import _, shown, told
from core.lab import polls as poll_store
from core.lab import store
from ui import device, room
from ui.lessons import HOME, page_at
from ui.routing import current_url_path
from ui.state import State, is_held

POLL_SECONDS = 2.0
JOINED = State("poll_room")  # the room this session joined from a link (its code), or None
FOLLOWED = State("poll_followed")  # the class's lesson link this session last went to
ARRIVING = State("poll_arriving")  # (link, the teacher's settings) of the page a student is being sent to


def _polls():
    """The room's Polls, or None after saying in words that the database cannot be used."""
    lab = room.open_lab()
    return None if lab is None else poll_store.Polls(lab)


def join():
    """Join the room named in the link (any lesson), and keep it for this session; return the
    room.InRoom, or None outside a room or when the database is down."""
    raw = st.query_params.get(room.ROOM)
    if raw is not None and store.valid_code(store.as_code(raw)):
        JOINED.set(store.as_code(raw))
    code = JOINED.get()
    if code is None:
        return None
    polls = _polls()
    if polls is None:
        return None
    try:
        if not room.exists(polls.lab, code):
            JOINED.set(None)
            return None
    except store.RoomProblem as error:  # too many codes that name no room were tried from here
        JOINED.set(None)
        st.error(
            _("Room {code} cannot be looked up yet: {why}.").format(code=code, why=told(error)), icon=":material/timer:"
        )
        return None
    except store.DatabaseUnavailable as error:
        room.unavailable(error)
        return None
    return room.InRoom(polls.lab, code, room.teacher_key(polls.lab, code))


def _lesson_title(link):
    path = (link or "").split("?")[0]
    page = page_at(path)
    return path if page is None else _(page.title)


def go_to(link, code):
    """Open the class's lesson, in the room; its page then takes the teacher's settings (`follow`).
    The lesson counts as followed only once its page runs: a rerun of the page left behind (its
    pad or token reporting a moment late) sends the student on again, never strands them."""
    path, _mark, query = (link or "").partition("?")
    page = page_at(path)
    if page is None:
        FOLLOWED.set(link)  # a lesson this version does not have: nowhere to go
        return
    ARRIVING.set((link, parse_qs(query)))
    st.switch_page(page.path, query_params={room.ROOM: code})


def follow(controls):
    """On the page a student was just sent to: move its controls to the teacher's values (before
    they are drawn), each checked as a link's value is, and count the lesson as followed."""
    arriving = ARRIVING.get()
    if arriving is None or (current_url_path() or HOME.url_path) != arriving[0].split("?")[0]:
        return  # not sent anywhere, or not there yet
    link, values = arriving
    ARRIVING.set(None)
    FOLLOWED.set(link)
    for key, raws in values.items():
        control = controls.controls.get(key)
        if control is None or is_held(control):
            continue
        value = raws if control.many else raws[0]
        if len(raws) == 1 or control.many:
            if not control.problem(value):
                st.session_state[key] = control.value_of(value)


def leave():
    """Stop taking part in the room: this session's pages are its own again."""
    JOINED.set(None)
    if room.ROOM in st.query_params:
        del st.query_params[room.ROOM]


def _state(poll):
    """What of the room's poll the rest of a student's page depends on: which poll, and whether
    its answer is out (a question hides its result while its poll is open)."""
    return None if poll is None else (poll.id, poll.revealed)


def student_view(here):
    """A student's poll, at the top of whatever lesson they are on: shown within POLL_SECONDS of
    the teacher opening it, answered with a tap, then the answer once the teacher reveals. Their
    device goes where the teacher goes; after browsing away, a button brings them back."""
    mine = device.take_part(here)
    try:
        drawn = _state(here.polls.current(here.code))
    except store.DatabaseUnavailable:
        drawn = None
    _student_box(here, drawn, mine)


@st.fragment(run_every=POLL_SECONDS)
def _student_box(here, drawn, mine):
    """The poll box, rerun alone every POLL_SECONDS. `drawn` is the poll's state when the whole page
    was last drawn: once a poll opens or is revealed, the whole page is drawn again, so that a
    result the poll asks about hides, or shows with the answer, with the box."""
    polls, code = here.polls, here.code
    try:
        lesson, poll = polls.lesson_of(code), polls.current(code)
        answered = None if poll is None or mine is None else polls.mine(poll.id, mine)
    except store.DatabaseUnavailable as error:
        st.caption(":material/cloud_off: " + _("The class's poll cannot be shown now: {why}").format(why=told(error)))
        return
    if _state(poll) != drawn:
        st.rerun(scope="app")
    page = current_url_path() or HOME.url_path
    if lesson and lesson != FOLLOWED.get():
        moved = lesson.split("?")[0] != (FOLLOWED.get() or "").split("?")[0]
        if moved or lesson.split("?")[0] == page:  # the teacher moved on, or changed a setting here: follow
            go_to(lesson, code)
    with st.container(border=True):
        if why := device.refused(code):
            st.warning(
                _("You cannot take part in room {code} now: {why}").format(code=code, why=why), icon=":material/lock:"
            )
        if lesson and lesson.split("?")[0] != page:
            on = _("Room **{code}**: your class is on **{lesson}**.").format(code=code, lesson=_lesson_title(lesson))
            st.markdown(f":material/co_present: {on}")
            st.button(
                _("Back to the class's lesson"),
                icon=":material/undo:",
                key="poll_back",
                on_click=FOLLOWED.set,
                args=(None,),
            )
        elif poll is None:
            here_soon = _("Room **{code}**: your teacher's questions appear here.").format(code=code)
            st.caption(f":material/co_present: {here_soon}")
            st.button(_("Leave the room"), icon=":material/logout:", key="poll_leave", type="tertiary", on_click=leave)
        if poll is not None and mine is not None:
            answer_box(here, poll, mine, answered)


def answer_box(here, poll, token, mine):
    """The poll's question and answers; `token` is this device's, `mine` the index it answered, or None.
    A poll is kept in English and shown in each student's own language."""
    choices = [shown(choice) for choice in poll.choices]
    title = _("Your class's poll.")
    st.markdown(f"**:material/how_to_vote: {title}** {shown(poll.text)}")
    room.refusal()
    if poll.revealed:
        if mine is None:
            said = ""
        elif poll.choices[mine] in poll.right:
            said = " " + _("You said it too.")
        else:
            said = " " + _("You said “{answer}”.").format(answer=choices[mine])
        if poll.lesson == current_url_path():
            where = _("The lesson below shows why.")
        else:
            where = _("Your teacher's screen shows why.")
        answer = _("The answer is **{answer}**.").format(answer=shown(poll.answer))
        st.success(f"{answer}{said} {where}", icon=":material/visibility:")
        return
    columns = st.columns(min(len(poll.choices), 5))
    for index, choice in enumerate(choices):
        columns[index % len(columns)].button(
            choice,
            key=f"poll_answer_{poll.id}_{index}",
            type="primary" if mine == index else "secondary",
            icon=":material/check_circle:" if mine == index else None,
            width="stretch",
            on_click=room.safely,
            args=(here.polls.answer, here.code, poll.id, token, index),
        )
    st.caption(
        _("Tap an answer; you can change it until your teacher reveals.")
        if mine is None
        else _("Your answer: “{answer}”. You can change it until your teacher reveals.").format(answer=choices[mine])
    )


def asks(poll, question):
    """True when the room's current poll is this page's `question` (for any settings)."""
    return poll is not None and (poll.lesson, poll.question) == (current_url_path(), question.name)


def student_waits(question, joined):
    """On a student's page, a question the class is being polled on keeps its result hidden
    until the teacher reveals; return True to show it, False to hide, None when no poll is on it."""
    polls, code = joined.polls, joined.code
    try:
        poll = polls.current(code)
    except store.DatabaseUnavailable:
        return None
    if not asks(poll, question):
        return None
    if not poll.revealed:
        st.info(
            _("Answer your class's poll at the top of the page: this shows when your teacher reveals."),
            icon=":material/how_to_vote:",
        )
        return False
    return None
