"""Joining a class lab room from a phone in seconds: the room's link as a QR code (made by segno)
beside the room code in large type, for the projector. (The box to type a code into is
ui/room.py's join_box.)"""

import html
import io

import segno
import streamlit as st

from core.i18n import _
from ui.page import classroom


def qr_png(text, scale):
    """A QR code of `text` as PNG bytes, black on white with the quiet border scanners need."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=4, dark="#000000", light="#ffffff")
    return buffer.getvalue()


def room_poster(code, link):
    """The room's link as a QR code and its code in large type: what a projector shows the class.
    The code is one of the app's own (store.valid_code), so it is safe in the HTML."""
    big = classroom()
    picture, words = st.columns([2, 3] if big else [1, 3], vertical_alignment="center")
    picture.image(
        qr_png(link, 10 if big else 6),
        width=320 if big else 180,
        alt=_("A QR code of the room's link, {link}").format(link=link),
    )
    spelt = " ".join(code)
    halves = f'{code[:4]}<span style="margin-left: 0.35em">{code[4:]}</span>'  # read in two groups, as a phone number
    words.html(
        # on a projector as large as its column allows: at 1280 px, 4.5rem overflowed it by 4 px
        f'<p role="text" aria-label="{html.escape(_("Room code"))} {spelt}" style="font-size: {"min(4.5rem, 5.5vw)" if big else "2.2rem"}; '
        f"font-weight: 700; letter-spacing: 0.12em; margin: 0; font-family: monospace; "
        f'white-space: nowrap">{halves}</p>'
    )
    words.markdown(
        _("Point a phone's camera at the square to open the room, or open **Class lab** and type this code.")
    )
