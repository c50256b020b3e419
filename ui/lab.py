"""The class lab page's parts: the shared database, the room in the link, adding a drawing, the
lab view that updates as drawings arrive, and the teacher's tools."""
import io
import threading
import time
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.background import JOBS
from core.charts import digits as digit_charts, lab as lab_charts
from core.charts.specs import spec_with_data_inside
from core.digits import model as mnist_model, preprocess
from core.digits.store import ModelStore
from core.lab import finetune, measure, store, tuning
from ui.digits import predict, resources, train
from ui.page import classroom
from ui.state import State, bump

ROOM, KEY = "room", "key"  # the link's query parameters: ?room=CODE (and &key=… in the teacher's link)
CANVAS_GENERATION = State("lab_canvas_generation", int)
MEANT = State("lab_meant")  # the "which digit did you mean?" buttons
TEACHER_KEYS = State("lab_teacher_keys", dict)  # room → teacher key, for this browser session only
NEW_ROOM = State("lab_new_room")  # the room just made here: its teacher link is shown once
REVEAL = State("lab_reveal")  # the room whose teacher link this session asked to see, for one run
ADDED = State("lab_added")  # ("success" or "error", message) after the last "Add to our set"
TEACHING = State("lab_teaching")  # the key of the fine-tuning job this (teacher's) session started
REFUSED = State("lab_refused")  # why the last button's action on the database was refused
MIN_TO_TEACH = 10  # drawings a room needs before the network can be taught its handwriting
REFRESH_SECONDS = 5
GALLERY = 24


_LABS, _LABS_LOCK = {}, threading.Lock()


def database():
    """The one Lab of this server for the configured database (a failure is not kept: the next
    run tries again). Kept out of Streamlit's caches on purpose: a cleared cache would leave the
    old engine's connections open, and a few dozen clears fill a shared PostgreSQL."""
    url = store.default_url()
    with _LABS_LOCK:
        if url not in _LABS:
            _LABS[url] = _expired(store.Lab(url))
        return _LABS[url]


def _expired(lab):
    """Delete the rooms unused for store.UNUSED_DAYS, and the networks taught to them; return the lab."""
    models = ModelStore()
    for network in lab.expire():
        models.discard(network)
    return lab


def unavailable(error):
    """Say in words that the database cannot be used now; return None, the page's 'no lab'."""
    st.error(f"{error}", icon=":material/cloud_off:")
    return None


def open_lab():
    """Return the Lab, or None after saying in words that the database cannot be used."""
    try:
        return database()
    except store.LabUnavailable as error:
        return unavailable(error)


def safely(action):
    """A button's callback that, when the database or the room refuses, says why on the page
    (on the run the click starts) instead of raising."""
    def callback(*args):
        try:
            action(*args)
        except (store.LabUnavailable, store.RoomProblem) as error:
            REFUSED.set(str(error))
    return callback


def refusal():
    """Show why the last button's action was refused, once."""
    if REFUSED.get():
        st.error(REFUSED.get(), icon=":material/error:")
        REFUSED.set(None)


@safely
def create_room(lab):
    room = _expired(lab).create_room(resources.SESSION.get())
    NEW_ROOM.set(room)
    TEACHER_KEYS.get()[room.code] = room.teacher_key
    st.query_params[ROOM] = room.code


def room_links(lab, code, key):
    """The room's link for everyone. The teacher's link (`key` is this session's teacher key, if
    any) is shown once, on the run right after the room is made, and then only on a deliberate
    click, for that one run: a projector shows the whole class whatever is on the page. In
    classroom mode it is not shown even the first time without that click."""
    base = st.context.url.split("?")[0] if st.context.url else ""
    st.markdown(f"**Room {code}**. Everyone in the class opens this link:")
    st.code(f"{base}?{ROOM}={code}", language=None)
    st.caption(f"A room with no new drawing for {store.UNUSED_DAYS} days is deleted, with its drawings and its "
               "taught network.")
    if key is None:
        return
    fresh = NEW_ROOM.get()
    first = fresh is not None and fresh.code == code
    NEW_ROOM.set(None)
    shown = (first and not classroom()) or REVEAL.get() == code
    REVEAL.set(None)
    if shown:
        st.warning("**Your teacher link, shown this once**: copy it somewhere safe now. It lets you delete "
                   "drawings, clear the room and teach the network; the server keeps only a hash of it. It "
                   "disappears from this page at your next click.", icon=":material/key:")
        st.code(f"{base}?{ROOM}={code}&{KEY}={key}", language=None)
    show, replace = st.columns(2)
    if not shown:
        show.button("Show my teacher link", icon=":material/key:", on_click=REVEAL.set, args=(code,),
                    help="Shows the link with your teacher key until your next click. On a projector the whole "
                         "class can read it: show it on your own screen only.")
    replace.button("Replace the teacher key", icon=":material/key:", on_click=_replace_key, args=(lab, code, key),
                   help="If your teacher link was seen by others: a new key, and the old link does nothing.")


@safely
def _replace_key(lab, code, key):
    fresh = lab.replace_key(code, key)
    TEACHER_KEYS.get()[code] = fresh
    REVEAL.set(code)


def teacher_key(lab, code):
    """The teacher key this session holds for the room: from the teacher's link (then taken out of
    the address bar, which a projector shows), or from creating the room here."""
    given = st.query_params.get(KEY)
    if given is not None:
        del st.query_params[KEY]
    held = TEACHER_KEYS.get().get(code)
    if given is None and held is None:
        return None
    try:
        if given is not None and lab.is_teacher(code, given):
            TEACHER_KEYS.get()[code] = given
        elif given is not None:
            st.error("The key in this teacher link is not this room's: you can add drawings and see the lab, but "
                     "not delete or clear.", icon=":material/key_off:")
        elif not lab.is_teacher(code, held):  # the teacher replaced the key in another session
            TEACHER_KEYS.get().pop(code)
            st.warning("This room's teacher key was replaced, so the teacher's tools are gone from this page: open "
                       "the new teacher link to use them.", icon=":material/key_off:")
    except store.LabUnavailable as error:
        unavailable(error)
        return None
    return TEACHER_KEYS.get().get(code)


def _add(lab, code, digit, probabilities, network):
    meant = MEANT.get()
    try:
        lab.add(code, digit.steps.final, preprocess.naive_resize(digit.picture), meant,
                int(np.argmax(probabilities)), float(np.max(probabilities)), network, resources.SESSION.get())
    except (store.RoomProblem, store.LabUnavailable) as error:
        ADDED.set(("error", f"Not added: {error}. Your drawing is still on the pad."))
        return
    ADDED.set(("success", f"Added your {meant} to the class's set. Draw another!"))
    bump(CANVAS_GENERATION)()
    MEANT.set(None)


@st.fragment
def add_section(lab, code, ready):
    """Draw, see what the network reads, say which digit was meant, and add it to the room's set."""
    st.subheader("Add a drawing to our set")
    st.markdown("Draw one digit, see what the network reads, then say which digit you meant.")
    pad, reading = st.columns(2, gap="large")
    with pad:
        st.container(height=24, border=False)  # room for the pad's toolbar, which shows above it on hover
        digit = predict.drawn(CANVAS_GENERATION, "lab_canvas")
    digit.steps = preprocess.mnist_steps(digit.picture) if digit.picture is not None else None
    with reading:
        kind, message = ADDED.get() or (None, None)
        if kind:
            (st.success if kind == "success" else st.error)(message)
        if digit.problem:
            st.error(digit.problem, icon=":material/broken_image:")
            return
        if digit.steps is None:
            st.info("Draw a digit to see what the network reads.", icon=":material/draw:")
            return
        probabilities = mnist_model.predict_one(ready.model, digit.steps.final)
        read = int(np.argmax(probabilities))
        st.metric("Prediction", str(read), help="What the network makes of your drawing.")
        st.markdown(f"**It reads {read}, {probabilities[read]:.0%} sure.**")
        meant = st.segmented_control("Which digit did you mean?", list(range(10)), key=MEANT.key)
        st.button("Add to our set", icon=":material/add:", type="primary", disabled=meant is None or lab is None,
                  on_click=_add, args=(lab, code, digit, probabilities, ready.key),
                  help="Store the 28 × 28 picture, the digit you meant and what the network read.")


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


_LATEST, _LATEST_LOCK = {}, threading.Lock()  # (room, network) → (time, version, LabView) last shown
MAX_ROOMS_IN_MEMORY = 64


def current_view(lab, code, network, model):
    """The room's LabView, at most store.VIEW_FRESH_SECONDS old: every refresh in that time, from however
    many sessions, gets the last one without asking the database; after it, the room's version is
    read and the view built again only if it changed. With 30 students adding, a room's view is
    then built about once every VIEW_FRESH_SECONDS instead of once per drawing."""
    now = time.monotonic()
    with _LATEST_LOCK:
        shown = _LATEST.get((code, network))
    if shown is not None and now - shown[0] < store.VIEW_FRESH_SECONDS:
        return shown[2]
    version = lab.version(code)
    view = shown[2] if shown is not None and shown[1] == version else _lab_view(code, version, network, lab, model)
    with _LATEST_LOCK:
        _LATEST[(code, network)] = (now, version, view)
        while len(_LATEST) > MAX_ROOMS_IN_MEMORY:
            _LATEST.pop(min(_LATEST, key=lambda key: _LATEST[key][0]))
    return view


def forget_view(code):
    """The teacher changed the room (a deletion, a clearing): the next refresh reads it again."""
    with _LATEST_LOCK:
        for key in [key for key in _LATEST if key[0] == code]:
            del _LATEST[key]


def _teacher_change(action):
    """A button's callback for a teacher's change to the room's drawings, shown at once."""
    @safely
    def callback(code, *args):
        action(code, *args)
        forget_view(code)
    return callback


@st.cache_resource(show_spinner=False, max_entries=64)
def _lab_view(code, version, network, _lab, _model):
    """The room's drawings, the network's reading of them and the view's parts, read again only
    when the room changes (`version`)."""
    drawings = _lab.drawings(code)
    reading = measure.read(_model, drawings)
    gallery = []
    for index in reading.misread[:GALLERY]:
        meant, read = int(drawings.labels[index]), int(reading.predicted[index])
        gallery.append((int(index), _png(digit_charts.enlarge(drawings.images[index] / 255, 84)),
                        f"meant {meant}, read {read}", f"A class drawing of a {meant} that the network read as {read}"))
    return LabView(drawings, reading, spec_with_data_inside(lab_charts.counts_chart(reading.counts)),
                   spec_with_data_inside(digit_charts.confusion_chart(reading.confusion)), tuple(gallery))


def room_network(lab, code, default):
    """The network this room uses: the one taught its handwriting, if any, else the default."""
    try:
        taught = lab.network_of(code) if lab is not None else None
    except store.LabUnavailable:
        taught = None  # said once already by the lab view; the default network reads drawings meanwhile
    if taught is None:
        return default
    try:
        return resources.saved(taught)
    except LookupError:
        st.warning("The network taught this room's handwriting is no longer on the server, so the default network "
                   "reads your drawings; the teacher can teach it again.", icon=":material/history:")
        return default


@safely
def _teach(lab, code, network, dataset):
    if JOBS.unfinished(tuning.room_prefix(code)):
        raise store.RoomProblem("the network is already being taught this room's handwriting: wait for it to finish")
    version = lab.version(code)
    key = tuning.job_key(code, version, network.key)
    directory = ModelStore().directory
    JOBS.submit(key, tuning.teach_room, owner=resources.SESSION.get(), code=code, base=network.key, key=key,
                directory=str(directory), database=lab.url, data_id=dataset.data_id)
    TEACHING.set(key)


def teaching(network, code):
    """The room's fine-tuning while it runs (for everyone: the network they draw for changes when it
    is done), with its place in the server's queue; then what it changed."""
    job = JOBS.get(TEACHING.get()) if TEACHING.get() else None
    job = job or next(iter(JOBS.unfinished(tuning.room_prefix(code))), None)
    if job is not None and job.status().state != "done":
        st.info("Teaching the network your handwriting. Everyone's drawings keep being read by the current network "
                "until it is done.", icon=":material/school:")
        train.progress(job, finetune.EPOCHS)
    summary = network.metadata.get("fine_tune")
    if summary:
        st.success(f"This room's network was taught your handwriting on {summary['class_digits_trained_on']} of your "
                   f"digits. On {summary['class_digits_held_out']} of your digits it never learnt from, it reads "
                   f"{summary['held_out_before']:.0%} before and {summary['held_out_after']:.0%} after; on MNIST's test "
                   f"digits, {summary['mnist_test_before']:.2%} before and {summary['mnist_test_after']:.2%} after "
                   "(a drop there is the network forgetting).", icon=":material/school:")


def _teacher_tools(lab, code, key, drawings, network, dataset):
    st.markdown("**Teacher's tools**")
    columns = st.columns(3)
    # the files are made only when a download is pressed, not on every refresh (the CSV of 2,000
    # drawings took 785 ms to build)
    columns[0].download_button("Download our set (.npz)", lambda: store.as_npz(drawings), f"class-{code}.npz",
                               icon=":material/download:", help="MNIST's layout: x_train (n, 28, 28), y_train.")
    columns[1].download_button("Download our set (CSV)", lambda: store.as_csv(drawings), f"class-{code}.csv",
                               mime="text/csv", icon=":material/download:", help="label, then 784 pixels 0–255.")
    sure = columns[2].checkbox("Yes, delete every drawing", help="Tick, then press Clear the room.")
    columns[2].button("Clear the room", icon=":material/delete_forever:", disabled=not sure,
                      on_click=_teacher_change(lab.clear), args=(code, key))
    why_not = (f"add at least {MIN_TO_TEACH} drawings first" if len(drawings) < MIN_TO_TEACH
               else finetune.problem(drawings.labels))
    busy = bool(JOBS.unfinished(tuning.room_prefix(code)))
    if why_not:
        st.caption(f"Teaching the network is not possible yet: {why_not}.")
    if st.button("Teach the network our handwriting", icon=":material/school:", type="primary",
                 disabled=bool(why_not) or busy, on_click=_teach, args=(lab, code, network, dataset),
                 help=f"A few epochs more on a share of your digits mixed with MNIST's (at least {MIN_TO_TEACH} "
                      "drawings); the rest of your digits are held out to measure it. Only this room's network "
                      "changes."):
        st.rerun(scope="app")  # the progress bar is drawn outside this self-refreshing part


def _gallery(lab, code, key, view):
    if not view.gallery:
        return
    drawings = view.drawings
    st.markdown("**Our misread digits**, the network's most confident mistakes first")
    if not key:  # one element for every picture: a refresh sends it again as it is
        _, pictures, captions, alts = zip(*view.gallery)
        st.image(list(pictures), caption=list(captions), alt=list(alts), output_format="PNG")
        return
    for slot, (index, picture, caption, alt) in zip(st.columns(8) * 3, view.gallery):
        slot.image(picture, caption=caption, alt=alt, output_format="PNG")  # sent as built, not re-encoded
        slot.button("Delete", key=f"delete_{drawings.ids[index]}", icon=":material/delete:",
                    on_click=_teacher_change(lab.delete), args=(code, key, int(drawings.ids[index])),
                    help="A wrong label? Remove this drawing from the set.")


def lab_view(lab, code, ready, dataset):
    """The room's numbers, read again every few seconds as drawings arrive."""
    key = TEACHER_KEYS.get().get(code)

    @st.fragment(run_every=REFRESH_SECONDS)
    def view():
        st.subheader("Our lab")
        try:
            view = current_view(lab, code, ready.key, ready.model)
        except store.LabUnavailable as error:
            unavailable(error)
            return
        drawings, reading = view.drawings, view.reading
        scores = st.columns(4)
        scores[0].metric("Drawings", f"{len(drawings):,}")
        if not len(drawings):
            st.info("No drawings yet: draw a digit above and add it.", icon=":material/hourglass_empty:")
            return
        scores[1].metric("Our digits", f"{reading.accuracy:.1%}", help="Read right, prepared by MNIST's recipe.")
        scores[2].metric("Resized straight", f"{reading.straight_accuracy:.1%}",
                         help="The same drawings shrunk to 28 × 28 in one go, as many drawing demos do.")
        scores[3].metric("MNIST's test digits", f"{ready.metadata['evaluation']['accuracy']:.1%}",
                         help="The same network on MNIST's own test digits.")
        counts, confusion = st.columns(2)
        counts.vega_lite_chart(view.counts, width="stretch")
        confusion.vega_lite_chart(view.confusion, width="stretch")
        _gallery(lab, code, key, view)
        if key:
            _teacher_tools(lab, code, key, drawings, ready, dataset)
    view()
