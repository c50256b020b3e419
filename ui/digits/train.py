"""Sections 1 and 2 of the handwriting page: the data, the training form, the progress of a
training run, and the trained network's learning curves."""

import streamlit as st

from core import i18n, jobs
from core.charts import digits as digit_charts
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import training
from core.i18n import N_, _, ngettext, number, shown
from core.libraries import pd
from ui.digits import resources
from ui.digits.controls import CONFIGS, FORMS, PRESET
from ui.page import as_table, classroom
from ui.state import draw
from ui.words import as_sentence

POLL_SECONDS = 2.0  # training progress refresh: every poll of every open page costs server time
CHART_HEIGHT, CLASSROOM_CHART_HEIGHT = 380, 500  # a learning curve in pixels, its legend and axes included
# A training's phases as the trainers report them (core/digits/training.py, core/jobs), said in words
PHASES = {
    "starting": N_("Starting"),
    "loading data": N_("Loading data"),
    "training": N_("Training"),
    "evaluating": N_("Evaluating"),
}
HEADINGS = {  # the learning table's columns
    "loss": N_("loss"),
    "val_loss": N_("validation loss"),
    "accuracy": N_("accuracy"),
    "val_accuracy": N_("validation accuracy"),
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


@st.cache_data(max_entries=256, show_spinner=False)
def _history_spec(history, measure, language):
    """A learning curve's Vega-Lite spec in `language` (the reader's), built once per new epoch, not on
    every poll."""
    return digit_charts.history_chart(history, measure).to_dict()


def _learning_curves(draw):
    """Loss and accuracy side by side, each filling its half of the page."""
    for column, measure in zip(st.columns(2), ("loss", "accuracy")):
        with column:
            draw(measure)


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
        curves = {name: values for name, values in history.items() if name != "seconds"}  # a new spec per epoch
        _learning_curves(
            lambda measure: st.vega_lite_chart(_history_spec(curves, measure, i18n.speaking()), width="stretch")
        )
    st.info(_("The test results and the drawing pad appear when training finishes."), icon=":material/hourglass_top:")


def _where_from(ready, history):
    """Where the network is kept, and how it was trained: with the app, or here, on how many digits."""
    if ready.temporary:
        st.info(
            _(
                "The model folder is read-only, so this network is kept in this server's temporary folder only: "
                "it will be trained again after the server restarts."
            ),
            icon=":material/memory:",
        )
    kept = "" if ready.temporary else " " + _("Saved networks load instantly next time.")
    seconds, source = number(history["seconds"], 0), ready.metadata["data_source"]
    if ready.shipped:
        shipped = _(
            "This network comes trained with the app, so nobody waits for it. It learnt in {seconds} s from "
            "{source}. Change any setting and press Train to train a network of your own on MNIST."
        )
        st.success(shipped.format(seconds=seconds, source=source), icon=":material/check_circle:")
    else:
        fit, held = mnist_config.validation_split(ready.metadata["n_train"])
        trained = _("Trained in {seconds} s on {fit} digits, with {held} more kept apart for validation ({source}).")
        said = trained.format(seconds=seconds, fit=number(fit), held=number(held), source=source)
        st.success(said + kept, icon=":material/check_circle:")


def _loss_floor(history):
    """Why the validation loss of a network trained with label smoothing stops above 0."""
    right, other = mnist_config.smoothed_targets()
    floor = _(
        "The loss cannot fall below {floor}. With label smoothing the targets are {right} for the right digit "
        "and {other} for each other one, and the cross-entropy of an answer is never below that of the targets "
        "themselves: −({right}·ln {right} + 9 × {other}·ln {other}) = {floor}. So a final validation loss of "
        "{last} is near the best possible, not far from it."
    )
    said = dict(floor=f"{mnist_config.loss_floor():.2f}", right=f"{right:g}", other=f"{other:g}")
    st.caption(floor.format(last=f"{history['val_loss'][-1]:.2f}", **said))  # a formula's numbers: Python's


def learning_curves(ready):
    """How a finished network trained: where it is kept, its time and its learning curves."""
    history = ready.metadata["history"]
    _where_from(ready, history)
    height = CLASSROOM_CHART_HEIGHT if classroom() else CHART_HEIGHT
    _learning_curves(
        lambda measure: st.altair_chart(digit_charts.history_chart(history, measure, height), width="stretch")
    )
    as_table(
        pd.DataFrame(
            {
                _("epoch"): range(1, len(history["loss"]) + 1),
                **{_(heading): history[name] for name, heading in HEADINGS.items()},
            }
        )
    )
    if ready.metadata.get("config", {}).get("preset") != "nielsen" and history.get("val_loss"):
        _loss_floor(history)
    st.caption(
        _(
            "Validation digits are held out of training. When training accuracy keeps rising but "
            "validation accuracy stops, the network has started memorising instead of learning. Validation "
            "can look better than training: the training figures are averaged over each epoch while the network "
            "is still learning (for the convolutional network, on randomly shifted and turned digits), the "
            "validation figures are measured on plain digits at the epoch's end."
        )
    )
