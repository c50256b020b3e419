"""This device's identity in a class's room: a token its browser keeps, so that a reload is the same
device and one device counts once in a poll (core/lab/devices.py says why, and how it is checked).

A few lines of JavaScript, mounted as a Streamlit Components v2 component (it runs in the page
itself), read the token from the browser's local storage and report it; a browser that has none
stores the one this server issued to the session. Streamlit cannot set a cookie from Python, and a
component is the way it offers. Where no script reports (a page opened by a program, or storage
blocked), the session's issued token stands in: a new device for every session, so the room's pace
and lock apply to it as to any other.
"""

import streamlit as st

from core.i18n import _, ngettext, told
from core.lab import store
from core.lab.devices import Devices
from ui.state import State

STORAGE_KEY = "nn-explorer-device"  # the name the token has in the browser's local storage
_SCRIPT = """
export default function (component) {
  const { data, setStateValue } = component;
  let kept = null;
  try { kept = window.localStorage.getItem("%s"); } catch (error) { kept = null; }
  if (!kept && data && data.issued) {
    kept = data.issued;
    try { window.localStorage.setItem("%s", kept); } catch (error) { /* storage blocked: this session only */ }
  }
  if (kept) { setStateValue("token", kept); }
}
""" % (STORAGE_KEY, STORAGE_KEY)
_REPORTER = st.components.v2.component("nn_explorer_device", js=_SCRIPT)
ISSUED = State("device_issued")  # the token this server issued to this session
IN_ROOM = State("device_in_room")  # (room, token) this session's device last joined
REFUSED = State("device_refused")  # (room, why) the room refused this device
CURRENT = State("device_current")  # this run's token of a student's device (None: a teacher's page)


def token(devices):
    """This device's token, and whether its browser reported it: the token the browser keeps once
    it has said (if this deployment issued it), else this session's."""
    if ISSUED.get() is None:
        ISSUED.set(devices.issue())
    reported = _REPORTER(key="device_token", data={"issued": ISSUED.get()}, on_token_change=lambda: None)
    kept = getattr(reported, "token", None)
    if kept is not None and devices.genuine(kept):
        return kept, True
    return ISSUED.get(), kept is not None


def take_part(here):
    """Join this device to the room `here` (a ui.room.InRoom), once per session and token; return
    its token, and leave a refusal for `refused` to say. Before the browser reports its token,
    nothing joins: a reload would count as a new device for one run."""
    devices, code = Devices(here.lab), here.code
    try:
        mine, reported = token(devices)
    except store.DatabaseUnavailable:
        return None
    CURRENT.set(mine)
    if reported and IN_ROOM.get() != (code, mine):
        try:
            devices.join(code, mine)
            IN_ROOM.set((code, mine))
            REFUSED.set(None)
        except (store.RoomProblem, store.DatabaseUnavailable) as error:
            REFUSED.set((code, told(error)))
    return mine


def join_to_take_part(here):
    """Before a student's device adds to the room `here`: join it, unless it already has (refused
    in words when it may not)."""
    mine = CURRENT.get()
    if mine is not None and IN_ROOM.get() != (here.code, mine):
        Devices(here.lab).join(here.code, mine)
        IN_ROOM.set((here.code, mine))


def refused(code):
    """Why the room refused this device, or None."""
    said = REFUSED.get()
    return said[1] if said and said[0] == code else None


def door(here, safely):
    """The teacher's view of who is in the room `here`: how many devices have joined, and locking
    the room once the class is in (or letting a late student in). `safely(action, *args)` runs the
    click, keeping a refusal for the page to say."""
    devices, code = Devices(here.lab), here.code
    try:
        count, locked = devices.count(code), devices.locked(code)
    except store.DatabaseUnavailable as error:
        st.caption(":material/cloud_off: " + _("Who is in the room cannot be shown now: {why}").format(why=told(error)))
        return
    joined = ngettext("**{count} device** joined", "**{count} devices** joined", count).format(count=count)
    if locked:
        st.markdown(
            ":material/lock: "
            + _("{joined}. The room is **locked**: no new device joins or answers.").format(joined=joined)
        )
    else:
        st.markdown(
            ":material/lock_open: "
            + _(
                "{joined}. Once your class is in, lock the room: then no new device joins or answers, and every "
                "device already in still can."
            ).format(joined=joined)
        )
    st.button(
        _("Let new devices in") if locked else _("Lock the room"),
        icon=":material/lock_open:" if locked else ":material/lock:",
        key="device_door",
        on_click=safely,
        args=(devices.lock, code, here.teacher_key, not locked),
    )
