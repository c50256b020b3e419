"""Lesson 9: the class lab. A class pools its own drawings, sees how the network reads them beside
MNIST's test digits, and finds where the two differ."""

import streamlit as st

from core.db import schema
from core.digits import config as mnist_config
from core.i18n import N_, _, number, percent, told
from core.lab import store
from ui.digits import download, resources, train
from ui.lab import add_section, create_room, room_links
from ui.lab_view import lab_view, room_network, teaching
from ui.page import header, lesson_footer, try_this
from ui.room import ROOM, InRoom, exists, join_box, open_lab, refusal, teacher_key, unavailable
from ui.state import Controls

CONTROLS = Controls()

header(
    N_("Class lab"),
    _(
        "MNIST's {train} training digits were written by about 250 people decades ago (its test digits by "
        "another 250). How well does a network that reads {share} of MNIST's test digits read **your class's** "
        "handwriting?"
    ).format(train=number(60_000), share=percent(0.99)),
    _(
        "Each student draws digits, says which digit they meant, and adds them to the class's set. The lab "
        "shows the network's accuracy on your digits beside its accuracy on MNIST's, and the digits it "
        'misreads: test the claim "{share} accurate" for yourselves.'
    ).format(share=percent(0.99)),
    CONTROLS,
)
st.caption(f":material/shield: {schema.privacy_note()}")

lab = open_lab()
refusal()
code = store.as_code(st.query_params.get(ROOM))
if code is not None and code != st.query_params.get(ROOM):
    st.query_params[ROOM] = code  # the address bar shows the code as the room's link writes it
if code is None:
    st.markdown(
        _(
            "A teacher makes a room; everyone in the class opens its link on their own device, by scanning the "
            "projector's QR code or typing the room's code here. A room with no new drawing for {days} days is "
            "deleted, with its drawings."
        ).format(days=store.UNUSED_DAYS)
    )
    if lab is not None:
        join_box(ROOM)
        st.button(
            _("Make a room for my class"),
            icon=":material/meeting_room:",
            type="primary",
            on_click=create_room,
            args=(lab,),
        )
    lesson_footer(CONTROLS)
    st.stop()
try:
    missing = lab is not None and not exists(lab, code)
except store.DatabaseUnavailable as error:  # the database went away mid-session: the pad still reads drawings
    lab, missing = unavailable(error), False
except store.RoomProblem as error:  # too many codes that name no room were tried from here
    if not store.valid_code(code):  # a code in a room's form: the page's header has said this already
        st.error(_("This room cannot be looked up yet: {why}.").format(why=told(error)), icon=":material/timer:")
    lesson_footer(CONTROLS)
    st.stop()
if missing:
    st.error(
        _("There is no room {code}: check the link, or make a new room.").format(code=repr(code))
        if store.valid_code(code)
        else _(
            "This link's room code is not one this app makes: room codes are eight letters and digits, "
            "such as K7QM3XPA."
        ),
        icon=":material/door_front:",
    )
    st.link_button(_("Make a new room"), "?", icon=":material/meeting_room:")
    lesson_footer(CONTROLS)
    st.stop()

here = InRoom(lab, code, teacher_key(lab, code, quiet=True) if lab is not None else None)
link_shown = room_links(here)
dataset = resources.data()
network = resources.model_for(mnist_config.DEFAULT, dataset)
if isinstance(network, resources.Training):  # only when the shipped network cannot be used
    st.info(
        _("The handwriting network is training first; the drawing pad appears when it is done."),
        icon=":material/hourglass_top:",
    )
    train.progress(network.job, mnist_config.DEFAULT.epochs)
    lesson_footer(CONTROLS)
    st.stop()
default_network = network
network = room_network(here, network)
teaching(network, code)
add_section(here, network, link_shown)
if lab is not None:
    lab_view(here, network, dataset)
download.room_section(network, code, taught=network is not default_network)
try_this(
    _("Everyone draws each digit 0 to 9 once. Which digit does the network misread most in your class?"),
    _('Compare "Our digits" with "Resized straight": the preparation step matters as much as the network.'),
    _("Draw a 7 with a crossbar, or a 1 with a long flag: does the network still read them?"),
)
lesson_footer(CONTROLS)
