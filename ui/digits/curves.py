"""The handwriting page's learning curves: loss and accuracy epoch by epoch, while a network trains
and once it is trained, with where it came from and why its loss stops above 0."""

import streamlit as st

from core.charts import digits as digit_charts
from core.digits import config as mnist_config
from core.i18n import N_, _, number
from core.libraries import pd
from ui.page import as_table, classroom

CHART_HEIGHT, CLASSROOM_CHART_HEIGHT = 380, 500  # a learning curve in pixels, its legend and axes included
HEADINGS = {  # the learning table's columns
    "loss": N_("loss"),
    "val_loss": N_("validation loss"),
    "accuracy": N_("accuracy"),
    "val_accuracy": N_("validation accuracy"),
}


@st.cache_data(max_entries=256, show_spinner=False)
def history_spec(history, measure, language):
    """A learning curve's Vega-Lite spec in `language` (the reader's), built once per new epoch, not on
    every poll."""
    return digit_charts.history_chart(history, measure).to_dict()


def side_by_side(draw):
    """Loss and accuracy side by side, each filling its half of the page."""
    for column, measure in zip(st.columns(2), ("loss", "accuracy")):
        with column:
            draw(measure)


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
    side_by_side(lambda measure: st.altair_chart(digit_charts.history_chart(history, measure, height), width="stretch"))
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
