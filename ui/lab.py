"""The class lab page's parts: the shared database, the room in the link and its teacher key, and
adding a drawing. The lab view and the teacher's tools are in ui/lab_view.py."""

import numpy as np
import streamlit as st

from core.digits import preprocess
from core.i18n import _, percent, told
from core.lab import store
from ui import device
from ui.digits import predict, resources
from ui.lab_join import room_poster
from ui.page import classroom
from ui.room import KEY, ROOM, TEACHER_KEYS, _expired, refused_in_words
from ui.state import State, bump
from ui.words import as_sentence

CANVAS_GENERATION = State("lab_canvas_generation", int)
MEANT = State("lab_meant")  # the "which digit did you mean?" buttons
NEW_ROOM = State("lab_new_room")  # the room just made here: its teacher link is shown once
REVEAL = State("lab_reveal")  # the room whose teacher link this session asked to see, for one run
ADDED_ID = State("lab_added_id")  # the id of this session's last drawing: its lab view must hold it
JUST_ADDED = State("lab_just_added")  # a drawing was added: the whole page, the lab's numbers too, is drawn again
CLICKED = State("lab_clicked")  # a click (not a stroke) in the drawing part since its last run (forget_link)
ADDED = State("lab_added")  # ("success" or "error", message) after the last "Add to our set"


@refused_in_words
def create_room(lab):
    room = _expired(lab).create_room(resources.SESSION.get())
    NEW_ROOM.set(room)
    TEACHER_KEYS.get()[room.code] = room.teacher_key
    st.query_params[ROOM] = room.code


def _teacher_link(here, base):
    """The teacher's link, when it may be shown, and the buttons that show it or replace its key;
    returns whether it is on the page."""
    code, teacher_key = here.code, here.teacher_key
    fresh = NEW_ROOM.get()
    first = fresh is not None and fresh.code == code
    NEW_ROOM.set(None)
    shown = (first and not classroom()) or REVEAL.get() == code
    REVEAL.set(None)
    if shown:
        st.warning(
            _(
                "**Your teacher link, shown this once**: copy it somewhere safe now. It lets you delete "
                "drawings, clear the room and teach the network; the server keeps only a hash of it. It "
                "disappears from this page at your next click."
            ),
            icon=":material/key:",
        )
        st.code(f"{base}?{ROOM}={code}&{KEY}={teacher_key}", language=None, wrap_lines=True)
    show, replace = st.columns(2)
    if not shown:
        show.button(
            _("Show my teacher link"),
            icon=":material/key:",
            on_click=REVEAL.set,
            args=(code,),
            help=_(
                "Shows the link with your teacher key until your next click. On a projector the whole "
                "class can read it: show it on your own screen only."
            ),
        )
    replace.button(
        _("Replace the teacher key"),
        icon=":material/key:",
        on_click=_replace_key,
        args=(here,),
        help=_("If your teacher link was seen by others: a new key, and the old link does nothing."),
    )
    return shown


def room_links(here):
    """The room's link for everyone. The teacher's link (`here.teacher_key`, this session's teacher key, if
    any) is shown once, on the run right after the room is made, and then only on a deliberate
    click, for that one run: a projector shows the whole class whatever is on the page. In
    classroom mode it is not shown even the first time without that click. Returns whether the
    teacher's link is on the page, for the fragments to take it away (`forget_link`)."""
    code = here.code
    base = st.context.url.split("?")[0] if st.context.url else ""
    link = f"{base}?{ROOM}={code}"
    room_poster(code, link)
    st.markdown(_("**Room {code}**. Everyone in the class opens this link:").format(code=code))
    st.code(link, language=None, wrap_lines=True)  # wrapped: a scrolling block on a phone is out of a keyboard's reach
    st.caption(
        _("A room with no new drawing for {days} days is deleted, with its drawings and its taught network.").format(
            days=store.UNUSED_DAYS
        )
    )
    return here.teacher_key is not None and _teacher_link(here, base)


def forget_link(link_shown):
    """Where a click reruns only a fragment (choosing the digit meant, Add): `link_shown` is what
    room_links returned on the page's last whole run. After such a click the whole page is
    drawn again, which leaves the link out: a fragment cannot take away what the page around it
    drew. Strokes on the pad do not count: the page would jump under the finger."""
    clicked = CLICKED.get()
    CLICKED.set(False)
    if link_shown and clicked:
        st.rerun(scope="app")


@refused_in_words
def _replace_key(here):
    TEACHER_KEYS.get()[here.code] = here.lab.replace_key(here.code, here.teacher_key)
    REVEAL.set(here.code)


def _add(here, digit, probabilities, network_key, pad):
    """`pad`: the drawing pad's generation when the button was drawn. A click that comes again for
    a pad already added (a loaded server may replay one into its next run) adds nothing more."""
    CLICKED.set(True)
    if pad != CANVAS_GENERATION.get():
        return
    meant = MEANT.get()
    try:
        device.join_to_take_part(here)
        ADDED_ID.set(
            here.lab.add(
                here.code,
                digit.image,
                preprocess.naive_resize(digit.picture),
                meant,
                int(np.argmax(probabilities)),
                float(np.max(probabilities)),
                network_key,
                resources.SESSION.get(),
            )
        )
    except (store.RoomProblem, store.DatabaseUnavailable) as error:
        not_added = _("Not added: {why} Your drawing is still on the pad.")
        ADDED.set(("error", not_added.format(why=as_sentence(told(error)))))
        return
    ADDED.set(("success", _("Added your {digit} to the class's set. Draw another!").format(digit=meant)))
    JUST_ADDED.set(True)
    bump(CANVAS_GENERATION)()
    MEANT.set(None)


@st.fragment
def add_section(here, network, link_shown=False):
    """Draw, see what the network reads, say which digit was meant, and add it to the set of the
    room `here` (a ui.room.InRoom).
    `link_shown`: room_links' answer, whether the teacher link is on the page (see forget_link)."""
    if JUST_ADDED.get():  # the lab below counts it too, at once, not at its next refresh
        JUST_ADDED.set(False)
        st.rerun(scope="app")
    forget_link(link_shown)
    st.subheader(_("Add a drawing to our set"))
    st.markdown(_("Draw one digit, see what the network reads, then say which digit you meant."))
    pad, reading = st.columns(2, gap="large")
    with pad:
        st.container(height=24, border=False)  # room for the pad's toolbar, which shows above it on hover
        digit = predict.drawn(CANVAS_GENERATION, "lab_canvas").prepared()
    with reading:
        kind, message = ADDED.get() or (None, None)
        if kind:
            (st.success if kind == "success" else st.error)(message)
        if digit.problem:
            st.error(digit.problem, icon=":material/broken_image:")
            return
        if digit.steps is None:
            st.info(_("Draw a digit to see what the network reads."), icon=":material/draw:")
            return
        probabilities = network.network.predict_one(digit.image)
        read = int(np.argmax(probabilities))
        st.metric(_("Prediction"), str(read), help=_("What the network makes of your drawing."))
        st.markdown(_("**It reads {digit}, {sure} sure.**").format(digit=read, sure=percent(probabilities[read])))
        meant = st.segmented_control(
            _("Which digit did you mean?"), list(range(10)), key=MEANT.key, on_change=CLICKED.set, args=(True,)
        )
        st.button(
            _("Add to our set"),
            icon=":material/add:",
            type="primary",
            disabled=meant is None or here.lab is None,
            on_click=_add,
            args=(here, digit, probabilities, network.key, CANVAS_GENERATION.get()),
            help=_("Store the 28 × 28 picture, the digit you meant and what the network read."),
        )
