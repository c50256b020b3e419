"""Sections 1 and 2 of the handwriting page: the data, the training form, and the progress of a
training run. (The trained network's learning curves: ui/digits/curves.py.)"""

import streamlit as st

from core import i18n, jobs
from core.charts import digits as digit_charts
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import training
from core.i18n import N_, _, ngettext, number, shown
from ui.digits import curves, resources
from ui.digits.controls import CONFIGS, FORMS, PRESET
from ui.state import draw
from ui.words import as_sentence

POLL_SECONDS = 2.0  # training progress refresh: every poll of every open page costs server time
# A training's phases as the trainers report them (core/digits/training.py, core/jobs), said in words
PHASES = {
    "starting": N_("Starting"),
    "loading data": N_("Loading data"),
    "training": N_("Training"),
    "evaluating": N_("Evaluating"),
}


def data_section(dataset):
    """Where the digits came from, and a sample of them."""
    for warning in dataset.warnings:
        st.warning(
            _("A data source did not work, so the next one was used.") + f" {shown(warning)}",
            icon=":material/cloud_off:",
        )
    fit, held = mnist_config.validation_split(len(dataset.x_train))
    counts = dict(train=number(len(dataset.x_train)), test=number(len(dataset.x_test)))
    source = _("Data: {source}, with {train} training digits and {test} test digits.")
    st.caption(":material/database: " + source.format(source=dataset.source, **counts))
    st.header(_("1. The data"), divider="gray")
    text, sample = st.columns([1, 1], gap="large")
    pixels = _(
        "Each image is 28 × 28 = **784 pixels**, and each pixel is one input to the network: 0 for "
        "white paper up to 1 for full ink (shown here as white on black, as MNIST stores it)."
    )
    kept = _(
        "A network learns from {fit} of the {train} training digits and keeps the last {held} apart for "
        "**validation**, to watch it learn."
    ).format(fit=number(fit), held=number(held), train=counts["train"])
    if dataset.source == mnist_data.SAMPLE_SOURCE:
        where = _(
            "This server has no internet connection, so these are the offline sample's digits, split at random "
            "into {train} training and {test} **test** digits. Random, not by writer: someone who wrote a test "
            "digit may have written training digits too, so the test figure is a little kinder than on "
            "strangers' handwriting."
        ).format(**counts)
    else:
        where = _(
            "MNIST's training digits were written by about **250 people**. The **test set** is kept apart, "
            "written by other people, so we judge the network on handwriting it has never seen."
        )
    text.markdown(f"{pixels} {kept} {where}")
    sample.image(
        digit_charts.sample_grid(dataset.x_train, dataset.y_train),
        width=320,
        caption=_("Ten random training digits of each class, 0 to 9."),
        alt=_("A grid of handwritten training digits: a row of ten for each digit from 0 to 9"),
    )


def _parse(preset, hidden_text, activation, epochs, batch_size, learning_rate):
    """Return the form's values as a checked Config; raises ValueError saying what is wrong, in
    words that never repeat what was typed."""
    why = FORMS[preset][0].problem(hidden_text)
    if why:
        raise ValueError(_("the layer sizes {why}").format(why=why))
    hidden = tuple(int(part) for part in hidden_text.replace(" ", "").split(","))
    return mnist_config.Config(
        preset=preset,
        hidden=hidden,
        activation=activation,
        epochs=epochs,
        batch_size=batch_size,
        learning_rate=learning_rate,
    )  # checked as it is made


def chosen_config():
    """Draw the network menu and the training form; return the Config to show. A link with a
    network's settings shows that network, as if they had been submitted."""
    st.header(_("2. Train"), divider="gray")
    preset = draw(PRESET, st)
    configs = CONFIGS.get()
    with st.form("train"):
        st.markdown(f"**{_(mnist_config.PRESET_NAMES[preset])}**")
        values = [draw(control, column) for control, column in zip(FORMS[preset], st.columns(5))]
        submitted = st.form_submit_button(_("Train"), icon=":material/model_training:", type="primary")
        linked = preset not in configs and any(control.key in st.query_params for control in FORMS[preset])
        if submitted or linked:
            if linked:  # remembered now, so that a link's bad settings are reported once
                configs[preset] = mnist_config.PRESETS[preset]
            try:
                configs[preset] = _parse(preset, *values)
            except ValueError as error:
                st.error(_("These settings cannot be trained: {why}").format(why=error), icon=":material/error:")
    config = configs.get(preset, mnist_config.PRESETS[preset])
    showing = _(
        "Showing: {network}, layers {layers}, {activation}, {epochs} epochs, mini-batch {batch}, learning rate {rate}."
    )
    st.caption(
        showing.format(
            network=_(mnist_config.PRESET_NAMES[config.preset]),
            layers=config.hidden,
            activation=config.activation,
            epochs=config.epochs,
            batch=config.batch_size,
            rate=f"{config.learning_rate:g}",
        )
    )
    return config


def _failed(key, error):
    st.error(_("Training failed: {why} Nothing was saved.").format(why=as_sentence(error)), icon=":material/error:")
    st.button(
        _("Retry"),
        icon=":material/refresh:",
        type="primary",
        on_click=resources.retry,
        args=(key,),
        help=_("Train this network again from the start."),
    )


@st.fragment(run_every=POLL_SECONDS)
def progress(job, epochs):
    """A training run's place in the queue or its progress bar and live learning curves, redrawn
    every POLL_SECONDS; the whole page reruns when it ends."""
    progress_now(job, epochs)


NO_TRAINER = N_(
    "No trainer is running for this app's servers: the training waits in their queue until one "
    "starts. Whoever runs the app starts one with `python -m core.jobs.worker`."
)
WRONG_DATA = N_(
    "The trainers running refused this training: they have other MNIST data than this server, so "
    "what they trained would not fit it (their log says which). It waits for a trainer with the same "
    "data: whoever runs the app starts one with the servers' `MNIST_NPZ`."
)


def _waiting_notice(status):
    """Say why a training is not under way when it is not (a silent trainer, none at all, one with
    other data, a queue, an old network's missing files); return True when something was said."""
    if status.state == "running" and status.silent:
        silent = _(
            "The trainer running this has stopped answering ({seconds} s without a word): its machine or process "
            "may have stopped. Another trainer takes the training over by itself, once; if none does, it is "
            "reported failed here, with Retry."
        )
        st.warning(silent.format(seconds=number(status.silent, 0)), icon=":material/heart_broken:")
    elif status.state in ("queued", "running") and status.workers == 0:
        st.warning(_(NO_TRAINER), icon=":material/hourglass_disabled:")
    elif status.state == "queued" and status.phase == jobs.status.WRONG_DATA:
        st.warning(_(WRONG_DATA), icon=":material/dataset:")
    elif status.state == "queued":
        ahead = ngettext(
            "Waiting for the server: {count} training ahead of yours. It starts by itself; keep this page open.",
            "Waiting for the server: {count} trainings ahead of yours. It starts by itself; keep this page open.",
            status.ahead,
        )
        st.info(ahead.format(count=status.ahead), icon=":material/hourglass_top:")
    elif status.phase == training.PREPARING:
        making = _(
            "This network was saved without the files this server reads it from (by an older version of the app, "
            "or they were damaged): a trainer is making them from the saved network, {seconds} s so far. It takes "
            "a few seconds."
        )
        st.progress(0.5, text=making.format(seconds=number(status.elapsed, 0)))
    else:
        return False
    return True


def progress_now(job, epochs):
    """What `progress` draws each time: for a page part that refreshes itself already."""
    status = job.status()
    if status.state == "done":
        st.rerun(scope="app")
    if status.state == "failed":
        _failed(job.key, status.error)
        return
    if _waiting_notice(status):
        return
    history = status.history or {"loss": []}
    done = len(history["loss"])
    within = status.step / max(status.steps, 1) if status.phase == "training" else 0
    # one clock: once the network learns, the seconds since it began, which "Trained in" repeats
    if "seconds" in history:
        clock = _("epoch {epoch} of {epochs}, {seconds} s of training so far").format(
            epoch=min(done + 1, epochs), epochs=epochs, seconds=number(history["seconds"], 0)
        )
    else:
        clock = _("loading TensorFlow and the digits, {seconds} s so far").format(seconds=number(status.elapsed, 0))
    phase = _(PHASES[status.phase]) if status.phase in PHASES else status.phase.capitalize()
    going_on = _(
        "{phase}: {clock}. You can keep reading, or visit another lesson for a few minutes: training goes on, "
        "and everyone asking for this network shares this run."
    )
    st.progress(min(1.0, (done + within) / epochs), text=going_on.format(phase=phase, clock=clock))
    if done:
        so_far = {name: values for name, values in history.items() if name != "seconds"}  # a new spec per epoch
        curves.side_by_side(
            lambda measure: st.vega_lite_chart(curves.history_spec(so_far, measure, i18n.speaking()), width="stretch")
        )
    st.info(_("The test results and the drawing pad appear when training finishes."), icon=":material/hourglass_top:")
