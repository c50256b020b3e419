"""The class lab's view of a room on the page: its numbers, charts and misread drawings, refreshed
as drawings arrive (built in ui/lab_room_view.py); the room's own network, and the teacher's tools,
teaching the network the room's handwriting among them."""

import numpy as np
import streamlit as st

from core import i18n
from core.digits.saved import ModelStore
from core.i18n import N_, _, percent
from core.jobs import runner as job_runner
from core.lab import drawings as room_drawings
from core.lab import finetune, store, tuning
from ui.digits import fooled, resources, train
from ui.lab import ADDED_ID
from ui.lab_room_view import current_view, forget_view
from ui.room import refused_in_words, unavailable
from ui.state import State

TEACHING = State("lab_teaching")  # the key of the fine-tuning job this (teacher's) session started
WHOLE_PAGE = State("lab_whole_page")  # a teacher's click in the lab asks for the whole page to be drawn again
MIN_TO_TEACH = 10  # drawings a room needs before the network can be taught its handwriting
REFRESH_SECONDS = 5


def _teacher_change(action):
    """A button's callback for a teacher's change to the room's drawings, shown at once, on the
    whole page (which also takes away a teacher link still on it)."""

    @refused_in_words
    def callback(code, *args):
        action(code, *args)
        forget_view(code)
        WHOLE_PAGE.set(True)

    return callback


def room_network(here, default):
    """The network the room `here` uses: the one taught its handwriting, if any, else the default."""
    try:
        taught = here.lab.network_of(here.code) if here.lab is not None else None
    except store.DatabaseUnavailable:
        taught = None  # said once already by the lab view; the default network reads drawings meanwhile
    if taught is None:
        return default
    try:
        return resources.saved(taught)
    except resources.Preparing:
        st.info(
            _(
                "The network taught this room's handwriting is being prepared for this server, a few seconds; the "
                "default network reads your drawings meanwhile."
            ),
            icon=":material/hourglass_top:",
        )
        return default
    except LookupError:
        st.warning(
            _(
                "The network taught this room's handwriting is no longer on the server, so the default network "
                "reads your drawings; the teacher can teach it again."
            ),
            icon=":material/history:",
        )
        return default


@refused_in_words
def _teach(here, network, dataset):
    lab, code, jobs = here.lab, here.code, job_runner()
    if jobs.unfinished(tuning.room_prefix(code)):
        raise store.RoomProblem(
            N_("the network is already being taught this room's handwriting: wait for it to finish")
        )
    version = lab.version(code)
    key = tuning.job_key(code, version, network.key)
    jobs.submit(
        key,
        tuning.teach_room,
        owner=resources.SESSION.get(),
        code=code,
        base=network.key,
        key=key,
        directory=resources.folder(ModelStore()),
        database=lab.url,
        data_id=dataset.data_id,
    )
    TEACHING.set(key)
    WHOLE_PAGE.set(True)  # the teaching's progress shows at the top of the page


def _teaching_job(code):
    """The room's fine-tuning this session started, else any that is queued or running, or None."""
    jobs = job_runner()
    job = jobs.get(TEACHING.get()) if TEACHING.get() else None
    return job or next(iter(jobs.unfinished(tuning.room_prefix(code))), None)


def _what_teaching_changed(summary):
    """What the room's last teaching changed, on its held-out digits and on MNIST's."""
    taught = _(
        "This room's network was taught your handwriting on {trained} of your digits. On {held} of your digits "
        "it never learnt from, it reads {before} before and {after} after; on MNIST's test digits, "
        "{mnist_before} before and {mnist_after} after (a drop there is the network forgetting)."
    ).format(
        trained=summary["class_digits_trained_on"],
        held=summary["class_digits_held_out"],
        before=percent(summary["held_out_before"]),
        after=percent(summary["held_out_after"]),
        mnist_before=percent(summary["mnist_test_before"], 2),
        mnist_after=percent(summary["mnist_test_after"], 2),
    )
    if summary["held_out_after"] <= summary["held_out_before"]:
        taught += " " + _(
            "It reads your held-out digits no better after: a few epochs on this few digits do not always "
            "help, and a digit or two either way is chance."
        )
    st.success(taught, icon=":material/school:")


def teaching(network, code):
    """The room's fine-tuning while it runs, for everyone in the room (the network they draw for
    changes when it is done), with its place in the queue and its progress, live; then what it
    changed. It looks for a teaching every few seconds, so one started after the page was drawn
    shows without a reload, and the whole page is drawn again when it ends."""
    job = _teaching_job(code)
    running = job is not None and job.status().state != "done"

    @st.fragment(run_every=train.POLL_SECONDS if running else REFRESH_SECONDS)
    def live():
        now = _teaching_job(code)
        if now is not None and now.status().state != "done":
            if not running:  # started since the page was drawn: draw it again, polling faster
                st.rerun(scope="app")
            st.info(
                _(
                    "Teaching the network your handwriting. Everyone's drawings keep being read by the current "
                    "network until it is done."
                ),
                icon=":material/school:",
            )
            train.progress_now(now, finetune.EPOCHS)  # the whole page reruns when it is done
        elif running:  # it ended between two looks
            st.rerun(scope="app")

    live()
    summary = network.metadata.get("fine_tune")
    if summary:
        _what_teaching_changed(summary)


def _downloads(columns, drawings, code):
    """The room's drawings as two files, in MNIST's layout (.npz) and as a table (CSV)."""
    # the files are made only when a download is pressed, not on every refresh (the CSV of 2,000
    # drawings took 785 ms to build)
    columns[0].download_button(
        _("Download our set (.npz)"),
        lambda: room_drawings.as_npz(drawings),
        f"class-{code}.npz",
        icon=":material/download:",
        help=_("MNIST's layout: x_train (n, 28, 28), y_train."),
    )
    columns[1].download_button(
        _("Download our set (CSV)"),
        lambda: room_drawings.as_csv(drawings),
        f"class-{code}.csv",
        mime="text/csv",
        icon=":material/download:",
        help=_("label, then 784 pixels 0–255."),
    )


def _why_not_teach(drawings):
    """Why the room's drawings cannot teach the network yet, or None when they can."""
    if len(drawings) < MIN_TO_TEACH:
        return _("add at least {count} drawings first").format(count=MIN_TO_TEACH)
    problem = finetune.problem(drawings.labels)
    return _(problem) if problem else None


def _teacher_tools(here, drawings, network, dataset):
    """The teacher's downloads, Clear the room, and Teach the network (or why it cannot be taught yet)."""
    lab, code, teacher_key = here.lab, here.code, here.teacher_key
    st.markdown(_("**Teacher's tools**"))
    columns = st.columns(3)
    _downloads(columns, drawings, code)
    sure = columns[2].checkbox(_("Yes, delete every drawing"), help=_("Tick, then press Clear the room."))
    columns[2].button(
        _("Clear the room"),
        icon=":material/delete_forever:",
        disabled=not sure,
        on_click=_teacher_change(lab.clear),
        args=(code, teacher_key),
    )
    why_not = _why_not_teach(drawings)
    busy = bool(job_runner().unfinished(tuning.room_prefix(code)))
    if why_not:
        st.caption(_("Teaching the network is not possible yet: {why}.").format(why=why_not))
    st.button(
        _("Teach the network our handwriting"),
        icon=":material/school:",
        type="primary",
        disabled=bool(why_not) or busy,
        on_click=_teach,
        args=(here, network, dataset),
        help=_(
            "A few epochs more on a share of your digits mixed with MNIST's (at least {count} drawings); the rest "
            "of your digits are held out to measure it. Only this room's network changes."
        ).format(count=MIN_TO_TEACH),
    )


def _gallery(here, view):
    """The misread drawings, numbered, as one element (a refresh sends it again as it is: a picture,
    a column and a button each cost the teacher's screen 200 ms a refresh at 21 drawings); the
    teacher deletes one by its number."""
    if not view.gallery:
        return
    drawings = view.drawings
    st.markdown(_("**Our misread digits**, the network's most confident mistakes first"))
    indices, pictures, captions, alts = zip(*view.gallery)
    numbered = [f"{number}. {caption}" for number, caption in enumerate(captions, 1)]
    st.image(list(pictures), caption=numbered, alt=list(alts), output_format="PNG")  # sent as built
    if not here.teacher_key:
        return
    ids = {int(drawings.ids[index]): label for index, label in zip(indices, numbered)}
    choose, delete = st.columns([3, 1], vertical_alignment="bottom")
    chosen = choose.selectbox(
        _("A wrong label? Choose the drawing to remove from the set"),
        list(ids),
        format_func=ids.get,
        index=None,
        placeholder=_("one of the numbered drawings"),
        key="lab_delete_choice",
    )
    delete.button(
        _("Delete"),
        icon=":material/delete:",
        disabled=chosen is None,
        key="lab_delete",
        on_click=_teacher_change(here.lab.delete),
        args=(here.code, here.teacher_key, chosen),
    )


def _scores(scores, reading, network):
    """How well the network reads the room's drawings, prepared as MNIST's or resized straight, beside MNIST's own."""
    scores[1].metric(_("Our digits"), percent(reading.accuracy, 1), help=_("Read right, prepared by MNIST's recipe."))
    scores[2].metric(
        _("Resized straight"),
        percent(reading.straight_accuracy, 1),
        help=_("The same drawings shrunk to 28 × 28 in one go, as many drawing demos do."),
    )
    scores[3].metric(
        _("MNIST's test digits"),
        percent(network.metadata["evaluation"]["accuracy"], 1),
        help=_("The same network on MNIST's own test digits."),
    )


def lab_view(here, network, dataset):
    """The numbers of the room `here` (a ui.room.InRoom), read again every few seconds as drawings arrive."""

    @st.fragment(run_every=REFRESH_SECONDS)
    def view():
        if WHOLE_PAGE.get():  # a teacher's click changed the room: draw the whole page again
            WHOLE_PAGE.set(False)
            st.rerun(scope="app")
        st.subheader(_("Our lab"))
        try:
            view = current_view(here, network.key, network.network, ADDED_ID.get())
        except store.DatabaseUnavailable as error:
            unavailable(error)
            return
        drawings, reading = view.drawings, view.reading
        scores = st.columns(4)
        scores[0].metric(_("Drawings"), i18n.number(len(drawings)))
        if not len(drawings):
            st.info(_("No drawings yet: draw a digit above and add it."), icon=":material/hourglass_empty:")
            return
        _scores(scores, reading, network)
        counts, confusion = st.columns(2)
        counts.vega_lite_chart(view.counts, width="stretch")
        event = confusion.vega_lite_chart(view.confusion, width="stretch", on_select="rerun", key="lab_confusion")
        chosen = fooled.choose(reading.confusion, "view_fooled_lab", event)
        if chosen is not None:
            meant, read, _count = chosen
            fooled.gallery(
                drawings.images,
                np.flatnonzero((drawings.labels == meant) & (reading.predicted == read)),
                meant,
                read,
                fooled.CLASS_DRAWINGS,
            )
        _gallery(here, view)
        if here.leads:
            _teacher_tools(here, drawings, network, dataset)

    view()
