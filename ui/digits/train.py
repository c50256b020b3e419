"""Sections 1 and 2 of the handwriting page: the data, the training form, the progress of a
training run, and the trained network's learning curves."""

import streamlit as st

from core import jobs
from core.charts import digits as digit_charts
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import training
from core.libraries import pd
from ui.digits import resources
from ui.digits.controls import CONFIGS, FORMS, PRESET
from ui.page import as_table, classroom
from ui.state import draw
from ui.words import as_sentence

POLL_SECONDS = 2.0  # training progress refresh: every poll of every open page costs server time
CHART_HEIGHT, CLASSROOM_CHART_HEIGHT = 380, 500  # a learning curve in pixels, its legend and axes included


def data_section(dataset):
    """Where the digits came from, and a sample of them."""
    for warning in dataset.warnings:
        st.warning(f"A data source did not work, so the next one was used. {warning}", icon=":material/cloud_off:")
    fit, held = mnist_config.validation_split(len(dataset.x_train))
    st.caption(
        f":material/database: Data: {dataset.source}, with {len(dataset.x_train):,} training digits "
        f"and {len(dataset.x_test):,} test digits."
    )
    st.header("1. The data", divider="gray")
    text, sample = st.columns([1, 1], gap="large")
    pixels = (
        "Each image is 28 × 28 = **784 pixels**, and each pixel is one input to the network: 0 for "
        "white paper up to 1 for full ink (shown here as white on black, as MNIST stores it). "
    )
    kept = (
        f"A network learns from {fit:,} of the {len(dataset.x_train):,} training digits and keeps the last "
        f"{held:,} apart for **validation**, to watch it learn. "
    )
    if dataset.source == mnist_data.SAMPLE_SOURCE:
        text.markdown(
            pixels + kept + f"This server has no internet connection, so these are the offline sample's "
            f"digits, split at random into {len(dataset.x_train):,} training and {len(dataset.x_test):,} "
            "**test** digits. Random, not by writer: someone who wrote a test digit may have written "
            "training digits too, so the test figure is a little kinder than on strangers' handwriting."
        )
    else:
        text.markdown(
            pixels + kept + "MNIST's training digits were written by about **250 people**. The **test "
            "set** is kept apart, written by other people, so we judge the network on handwriting it has "
            "never seen."
        )
    sample.image(
        digit_charts.sample_grid(dataset.x_train, dataset.y_train),
        width=320,
        caption="Ten random training digits of each class, 0 to 9.",
        alt="A grid of handwritten training digits: a row of ten for each digit from 0 to 9",
    )


def _parse(preset, hidden_text, activation, epochs, batch_size, learning_rate):
    """Return the form's values as a checked Config; raises ValueError saying what is wrong, in
    words that never repeat what was typed."""
    why = FORMS[preset][0].problem(hidden_text)
    if why:
        raise ValueError(f"the layer sizes {why}")
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
    st.header("2. Train", divider="gray")
    preset = draw(PRESET, st)
    configs = CONFIGS.get()
    with st.form("train"):
        st.markdown(f"**{mnist_config.PRESET_NAMES[preset]}**")
        values = [draw(control, column) for control, column in zip(FORMS[preset], st.columns(5))]
        submitted = st.form_submit_button("Train", icon=":material/model_training:", type="primary")
        linked = preset not in configs and any(control.key in st.query_params for control in FORMS[preset])
        if submitted or linked:
            if linked:  # remembered now, so that a link's bad settings are reported once
                configs[preset] = mnist_config.PRESETS[preset]
            try:
                configs[preset] = _parse(preset, *values)
            except ValueError as error:
                st.error(f"These settings cannot be trained: {error}", icon=":material/error:")
    config = configs.get(preset, mnist_config.PRESETS[preset])
    st.caption(
        f"Showing: {mnist_config.PRESET_NAMES[config.preset]}, layers {config.hidden}, {config.activation}, "
        f"{config.epochs} epochs, mini-batch {config.batch_size}, learning rate {config.learning_rate:g}."
    )
    return config


@st.cache_data(max_entries=256, show_spinner=False)
def _history_spec(history, measure):
    """A learning curve's Vega-Lite spec, built once per new epoch, not on every poll."""
    return digit_charts.history_chart(history, measure).to_dict()


def _learning_curves(draw):
    """Loss and accuracy side by side, each filling its half of the page."""
    for column, measure in zip(st.columns(2), ("loss", "accuracy")):
        with column:
            draw(measure)


def _failed(key, error):
    st.error(f"Training failed: {as_sentence(error)} Nothing was saved.", icon=":material/error:")
    st.button(
        "Retry",
        icon=":material/refresh:",
        type="primary",
        on_click=resources.retry,
        args=(key,),
        help="Train this network again from the start.",
    )


@st.fragment(run_every=POLL_SECONDS)
def progress(job, epochs):
    """A training run's place in the queue or its progress bar and live learning curves, redrawn
    every POLL_SECONDS; the whole page reruns when it ends."""
    progress_now(job, epochs)


def _waiting_notice(status):
    """Say why a training is not under way when it is not (a silent trainer, none at all, one with
    other data, a queue, an old network's missing files); return True when something was said."""
    if status.state == "running" and status.silent:
        st.warning(
            f"The trainer running this has stopped answering ({status.silent:.0f} s without a word): its "
            "machine or process may have stopped. Another trainer takes the training over by itself, once; "
            "if none does, it is reported failed here, with Retry.",
            icon=":material/heart_broken:",
        )
    elif status.state in ("queued", "running") and status.workers == 0:
        st.warning(
            "No trainer is running for this app's servers: the training waits in their queue until one "
            "starts. Whoever runs the app starts one with `python -m core.jobs.worker`.",
            icon=":material/hourglass_disabled:",
        )
    elif status.state == "queued" and status.phase == jobs.status.WRONG_DATA:
        st.warning(
            "The trainers running refused this training: they have other MNIST data than this server, so "
            "what they trained would not fit it (their log says which). It waits for a trainer with the same "
            "data: whoever runs the app starts one with the servers' `MNIST_NPZ`.",
            icon=":material/dataset:",
        )
    elif status.state == "queued":
        st.info(
            f"Waiting for the server: {status.ahead} training{'s' if status.ahead != 1 else ''} ahead of yours. "
            "It starts by itself; keep this page open.",
            icon=":material/hourglass_top:",
        )
    elif status.phase == training.PREPARING:
        st.progress(
            0.5,
            text="This network was saved without the files this server reads it from (by an older "
            "version of the app, or they were damaged): a trainer is making them from the saved "
            f"network, {status.elapsed:.0f} s so far. It takes a few seconds.",
        )
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
    clock = (
        f"epoch {min(done + 1, epochs)} of {epochs}, {history['seconds']:.0f} s of training so far"
        if "seconds" in history
        else f"loading TensorFlow and the digits, {status.elapsed:.0f} s so far"
    )
    st.progress(
        min(1.0, (done + within) / epochs),
        text=f"{status.phase.capitalize()}: {clock}. You can keep reading, or visit another lesson for a "
        "few minutes: training goes on, and everyone asking for this network shares this run.",
    )
    if done:
        curves = {name: values for name, values in history.items() if name != "seconds"}  # a new spec per epoch
        _learning_curves(lambda measure: st.vega_lite_chart(_history_spec(curves, measure), width="stretch"))
    st.info("The test results and the drawing pad appear when training finishes.", icon=":material/hourglass_top:")


def learning_curves(ready):
    """How a finished network trained: where it is kept, its time and its learning curves."""
    history = ready.metadata["history"]
    if ready.temporary:
        st.info(
            "The model folder is read-only, so this network is kept in this server's temporary folder only: "
            "it will be trained again after the server restarts.",
            icon=":material/memory:",
        )
    kept = "" if ready.temporary else " Saved networks load instantly next time."
    if ready.shipped:
        st.success(
            f"This network comes trained with the app, so nobody waits for it. It learnt in "
            f"{history['seconds']:.0f} s from {ready.metadata['data_source']}. Change any setting and "
            "press Train to train a network of your own on MNIST.",
            icon=":material/check_circle:",
        )
    else:
        fit, held = mnist_config.validation_split(ready.metadata["n_train"])
        st.success(
            f"Trained in {history['seconds']:.0f} s on {fit:,} digits, with {held:,} more kept apart for "
            f"validation ({ready.metadata['data_source']}).{kept}",
            icon=":material/check_circle:",
        )
    height = CLASSROOM_CHART_HEIGHT if classroom() else CHART_HEIGHT
    _learning_curves(
        lambda measure: st.altair_chart(digit_charts.history_chart(history, measure, height), width="stretch")
    )
    as_table(
        pd.DataFrame(
            {
                "epoch": range(1, len(history["loss"]) + 1),
                **{
                    name.replace("val_", "validation ").replace("_", " "): history[name]
                    for name in ("loss", "val_loss", "accuracy", "val_accuracy")
                },
            }
        )
    )
    if ready.metadata.get("config", {}).get("preset") != "nielsen" and history.get("val_loss"):
        right, other = mnist_config.smoothed_targets()
        st.caption(
            f"The loss cannot fall below {mnist_config.loss_floor():.2f}. With label smoothing the targets are "
            f"{right:g} for the right digit and {other:g} for each other one, and the cross-entropy of an "
            f"answer is never below that of the targets themselves: −({right:g}·ln {right:g} + 9 × {other:g}·ln "
            f"{other:g}) = {mnist_config.loss_floor():.2f}. So a final validation loss of "
            f"{history['val_loss'][-1]:.2f} is near the best possible, not far from it."
        )
    st.caption(
        "Validation digits are held out of training. When training accuracy keeps rising but "
        "validation accuracy stops, the network has started memorising instead of learning. Validation "
        "can look better than training: the training figures are averaged over each epoch while the network "
        "is still learning (for the convolutional network, on randomly shifted and turned digits), the "
        "validation figures are measured on plain digits at the epoch's end."
    )
