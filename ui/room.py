"""A class's room, wherever a lesson is opened: the shared database, the room in the link (or typed
into the join box, forgiving of small letters, spaces and dashes) and the teacher key this
browser session holds. The class lab page (ui/lab.py) and the live polls on every
lesson (ui/poll.py) both start here."""

import functools
import ipaddress
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import streamlit as st
from cachetools import cached

from core.digits.saved import ModelStore
from core.i18n import _, told
from core.lab import store
from core.lab.joins import JoinGuard
from core.lab.polls import Polls
from ui.state import State
from ui.words import as_sentence, inert

ROOM, KEY = "room", "key"  # the link's query parameters: ?room=CODE (and &key=… in the teacher's link)
LOOK_ALIKES = "0, O, 1, I or L"  # never in a room code (store.CODE_ALPHABET), so never mistaken
TEACHER_KEYS = State("lab_teacher_keys", dict)  # room → teacher key, for this browser session only
WRONG_KEY = State("lab_wrong_key")  # the room whose teacher link, opened here, had a key that is not its own
REPLACED_KEY = State("lab_replaced_key")  # the room whose key this session held until the teacher replaced it

LOOKED_UP = State("room_codes_looked_up", set)  # codes this session has asked about (at most 5 a minute)
GUESSER = State("room_guesser", lambda: uuid.uuid4().hex)  # this session, as the join guard counts it
_LABS, _LABS_MADE = {}, threading.Condition()  # database URL → its Lab; one made at a time


@dataclass(frozen=True)
class InRoom:
    """The room a session takes part in on this run: the database it is in (a core.lab.store.Lab,
    or None when that cannot be used now), its code, and the teacher key when this session leads it."""

    lab: Any
    code: str
    teacher_key: str | None = None

    @property
    def leads(self):
        return self.teacher_key is not None

    @property
    def polls(self):
        """The room's live polls (core/lab/polls.py), in the same database."""
        return Polls(self.lab)


REFUSED = State("room_refused")  # why the last action on a room (a button, an answer) was refused


def safely(action, *args):
    """Run `action(*args)`, a click's action on a room; when the database or the room refuses, keep
    why for refusal() to say on the run the click starts, instead of raising. As a button's callback:
    `on_click=safely, args=(action, …)`, or `refused_in_words(action)`."""
    try:
        action(*args)
    except (store.DatabaseUnavailable, store.RoomProblem) as error:
        REFUSED.set(told(error))


def refused_in_words(action):
    """`action` as a callback that runs through safely()."""
    return functools.wraps(action)(functools.partial(safely, action))


def refusal():
    """Say why the last action on a room was refused, once."""
    if REFUSED.get():
        st.error(REFUSED.get(), icon=":material/error:")
        REFUSED.set(None)


_GUARD = JoinGuard()  # this server's count of codes that named no room


def address():
    """The visitor's address: the connection's, or, from the balancer on this machine (deploy/haproxy.cfg
    forwards it), the last one it added to X-Forwarded-For; None when unknown."""
    peer = st.context.ip_address
    try:
        local = peer is None or ipaddress.ip_address(peer).is_loopback
    except ValueError:
        local = False
    forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
    return (forwarded or peer) if local else peer


def exists(lab, code):
    """Whether the room exists, for a visitor who named it: a new code naming no room counts against
    the session and address (core/lab/joins.py), and past their allowance RoomProblem says to wait.
    A code this session has looked up before is no new guess (a rerun, or another page's check)."""
    if code in LOOKED_UP.get():
        return lab.exists(code)
    found = _GUARD.look_up(lab, code, GUESSER.get(), address())
    LOOKED_UP.get().add(code)
    return found


def database():
    """The one Lab of this server for the configured database (a failure is not kept: the next
    run tries again). Kept out of Streamlit's caches on purpose: a cleared cache would leave the
    old engine's connections open, and a few dozen clears fill a shared PostgreSQL."""
    return _lab(store.default_url())


@cached(_LABS, condition=_LABS_MADE)  # sessions asking while it is made wait for that one
def _lab(url):
    return _expired(store.Lab(url))


def _expired(lab):
    """Delete the rooms unused for store.UNUSED_DAYS, and the networks taught to them; return the lab."""
    models = ModelStore()
    for network in lab.expire():
        models.discard(network)
    return lab


def unavailable(error):
    """Say in words that the database cannot be used now; return None, the page's 'no lab'."""
    st.error(as_sentence(told(error)), icon=":material/cloud_off:")
    return None


def open_lab():
    """Return the Lab, or None after saying in words that the database cannot be used."""
    try:
        return database()
    except store.DatabaseUnavailable as error:
        return unavailable(error)


def teacher_key(lab, code, quiet=False):
    """The teacher key this session holds for the room: from the teacher's link (then taken out of
    the address bar, which a projector shows), or from creating the room here. What went wrong
    with a key is said unless `quiet` (the page header has said it on this run)."""
    given = st.query_params.get(KEY)
    if given is not None:
        del st.query_params[KEY]
    held = TEACHER_KEYS.get().get(code)
    if given is None and held is None:
        if not quiet:
            wrong_key_notice(code)
        return None
    try:
        if given is not None and lab.is_teacher(code, given):
            TEACHER_KEYS.get()[code] = given
        elif given is not None:
            WRONG_KEY.set(code)
        elif not lab.is_teacher(code, held):  # the teacher replaced the key in another session
            TEACHER_KEYS.get().pop(code)
            REPLACED_KEY.set(code)
    except store.DatabaseUnavailable as error:
        unavailable(error)
        return None
    if not quiet:
        wrong_key_notice(code)
    return TEACHER_KEYS.get().get(code)


def wrong_key_notice(code):
    """Say, on every page of the session, that its teacher link's key was not this room's, or was
    replaced since (a notice that lasts: a student's page may move on to the teacher's lesson)."""
    if code in TEACHER_KEYS.get():
        return
    if REPLACED_KEY.get() == code:
        st.warning(
            _(
                "This room's teacher key was replaced, so the teacher's tools are gone from this page: open the "
                "new teacher link to use them."
            ),
            icon=":material/key_off:",
        )
    elif WRONG_KEY.get() == code:
        st.error(
            _(
                "The key in this teacher link is not this room's: you can take part like a student, but not "
                "ask polls, delete drawings or clear the room."
            ),
            icon=":material/key_off:",
        )


def join_box(parameter, key="join_room"):
    """A box to type a room code into: opens the room (the link's `parameter` set to its code), or
    says in words why the text is no code."""
    with st.form(key):
        typed = st.text_input(
            _("Room code"),
            max_chars=40,
            placeholder="K7QM 3XPA",
            help=_("The eight letters and digits the projector shows. Small letters, spaces and dashes are fine."),
        )
        joined = st.form_submit_button(_("Join the room"), icon=":material/login:")
    if not joined:
        return
    code = store.as_code(typed)
    if store.valid_code(code):
        st.query_params[parameter] = code
        st.rerun()
    if typed.strip():
        wrong = _(
            "{typed} is not a room code: a room code is eight letters and digits, such as K7QM 3XPA, and never "
            "has {look_alikes} in it."
        ).format(typed=inert(typed), look_alikes=LOOK_ALIKES)
    else:
        wrong = _(
            "An empty box is not a room code: a room code is eight letters and digits, such as K7QM 3XPA, and "
            "never has {look_alikes} in it."
        ).format(look_alikes=LOOK_ALIKES)
    st.error(wrong, icon=":material/password:")
