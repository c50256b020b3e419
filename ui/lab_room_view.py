"""The class lab's view of a room, as everyone in it sees it: its drawings, the network's reading
of them, its charts and its misread drawings, built once per version of the room (and language) and
shared by every session in it, read from the database at most every store.VIEW_FRESH_SECONDS."""

import io
import threading
import time
from dataclasses import dataclass

import streamlit as st
from cachetools import LRUCache

from core import i18n
from core.charts import digits as digit_charts
from core.charts import lab as lab_charts
from core.charts.specs import spec_with_data_inside
from core.i18n import _
from core.lab import measure, store

GALLERY = 24  # misread drawings shown at most


@dataclass(frozen=True)
class LabView:
    """Everything the lab view shows for one version of a room, built once and shared by every
    session in the room: a refresh that finds nothing new only sends it again. The charts are kept
    as their Vega-Lite specs (Altair's validation costs about 20 ms a chart), the misread drawings
    as PNGs."""

    drawings: store.Drawings
    reading: measure.Reading
    counts: dict
    confusion: dict
    gallery: tuple  # (index into drawings, PNG bytes, caption, alt text) per misread drawing shown


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


MAX_ROOMS_IN_MEMORY = 64
# (room, network, language) → (time, version, LabView) last shown; the least recently used room goes first
_LATEST, _LATEST_LOCK = LRUCache(maxsize=MAX_ROOMS_IN_MEMORY), threading.Lock()


def current_view(here, network_key, network, newest=None):
    """The LabView of the room `here` (a ui.room.InRoom), at most store.VIEW_FRESH_SECONDS old: every refresh in that time, from however
    many sessions, gets the last one without asking the database; after it, the room's version is
    read and the view built again only if it changed. With 30 students adding, a room's view is
    then built about once every VIEW_FRESH_SECONDS instead of once per drawing. `newest`, the id of
    a drawing the asker has just added, must be in it: a view older than that is read again."""
    lab, code, now = here.lab, here.code, time.monotonic()
    language = i18n.speaking()  # the view's words and charts are in the reader's language: one per language
    with _LATEST_LOCK:
        shown = _LATEST.get((code, network_key, language))
    holds_newest = newest is None or (shown is not None and (shown[1][1] or 0) >= newest)  # version: count, max id, …
    if shown is not None and now - shown[0] < store.VIEW_FRESH_SECONDS and holds_newest:
        return shown[2]
    version = lab.version(code)
    view = (
        shown[2]
        if shown is not None and shown[1] == version
        else _lab_view(code, version, network_key, language, lab, network)
    )
    with _LATEST_LOCK:
        _LATEST[(code, network_key, language)] = (now, version, view)
    return view


def forget_view(code):
    """The teacher changed the room (a deletion, a clearing): the next refresh reads it again."""
    with _LATEST_LOCK:
        for key in [key for key in _LATEST if key[0] == code]:
            del _LATEST[key]


@st.cache_resource(show_spinner=False, max_entries=16)
def _memo(network_key):
    """What the network `network_key` read of every room's drawings on this server (measure.Memo)."""
    return measure.Memo()


@st.cache_resource(show_spinner=False, max_entries=64)
def _lab_view(code, version, network_key, language, _lab, _network):
    """The room's drawings, the network's reading of them and the view's parts (in `language`, the
    reader's), read again only when the room changes (`version`), and then only its new drawings."""
    drawings = _lab.drawings(code)
    reading = measure.read(_network, drawings, _memo(network_key))
    gallery = []
    for index in reading.misread[:GALLERY]:
        meant, read = int(drawings.labels[index]), int(reading.predicted[index])
        gallery.append(
            (
                int(index),
                _png(digit_charts.enlarge(drawings.images[index] / 255, 84)),
                _("meant {meant}, read {read}").format(meant=meant, read=read),
                _("A class drawing of a {meant} that the network read as {read}").format(meant=meant, read=read),
            )
        )
    return LabView(
        drawings,
        reading,
        spec_with_data_inside(lab_charts.counts_chart(reading.counts)),
        spec_with_data_inside(digit_charts.confusion_chart(reading.confusion)),
        tuple(gallery),
    )
