"""Section 3 of the handwriting page: how the trained network does on digits it never saw."""

import numpy as np
import streamlit as st

from core.charts import digits as digit_charts
from core.digits import shipped
from core.libraries import pd
from ui.digits import fooled
from ui.page import as_table


def _pen(metadata):
    """What the shipped network does on pen-written digits of people it never saw, and what its
    recipe does cross-validated by writer."""
    pen = metadata.get("pen")
    if not pen:
        return
    text = (
        f"On **{pen['unseen_digits']:,} digits drawn with a pen by {pen['unseen_writers']} other people**, "
        f"who wrote none of its training digits, it reads {pen['unseen_writers_accuracy']:.1%} correctly."
    )
    checked = pen.get("cross_validated")
    if checked:
        folds = checked["folds"]
        per_fold = checked["writers"] // len(folds)
        text += (
            f" {pen['unseen_writers']} people are few, so the same recipe was also trained {len(folds)} more "
            f"times, each time leaving out a different {per_fold} of all {checked['writers']} writers and then "
            f"reading the digits of the {per_fold} it left out: "
            + ", ".join(f"{fold['pen_accuracy']:.1%}" for fold in folds)
            + f"; on average **{checked['pen_accuracy']:.1%} of {sum(fold['pen_digits'] for fold in folds):,} "
            f"digits by people it had not seen** (this is called cross-validation by writer)."
        )
    st.markdown(
        text + " Drawings on a screen look different from MNIST's scanned ink, which is why it also learnt "
        f"from pen-drawn digits of {len(pen['writers_learnt_from'])} other people."
    )
    st.caption(
        "A fair warning about these figures: the recipe (its layers, epochs and distortions) was chosen by "
        "comparing ideas on these same test digits and writers, so they are not quite unseen any more. "
        "Figures that helped choose a recipe flatter it a little: expect slightly less on handwriting that "
        "no choice ever looked at."
    )


@st.cache_resource(show_spinner="Reading the test digits…", max_entries=8)
def _test_readings(key, data_id, _network, _images):
    """What the network reads for every test digit, once per network and data on this server."""
    return _network.classify(_images).argmax(axis=1)


def _fooled(ready, dataset, confusion, event):
    chosen = fooled.choose(confusion, "view_fooled_evaluate", event)
    if chosen is not None:
        true, read, _ = chosen
        readings = _test_readings(ready.key, dataset.data_id, ready.network, dataset.x_test)
        fooled.gallery(
            dataset.x_test, np.flatnonzero((dataset.y_test == true) & (readings == read)), true, read, "test digits"
        )


def section(ready, dataset):
    """Test accuracy, accuracy per digit, the confusion matrix (choose a cell to see its digits)
    and the most confident mistakes."""
    metadata = ready.metadata
    evaluation, fair = metadata["evaluation"], shipped.judged_on(metadata, dataset)
    st.header("3. Evaluate", divider="gray")
    st.metric(
        "Test accuracy",
        f"{evaluation['accuracy']:.2%}",
        help=f"Share of the {evaluation['n_test']:,} test digits read correctly.",
    )
    st.markdown(
        f"On **{evaluation['n_test']:,} digits it never saw**, the network reads "
        f"{round(evaluation['accuracy'] * evaluation['n_test']):,} correctly."
    )
    if not fair:
        st.info(
            f"These figures were measured on MNIST's {evaluation['n_test']:,} test digits when this network was "
            f"trained. This server has only {dataset.source}, and this network learnt from every one of them, "
            "so **no unseen test digits are available here**: the random digits below are ones it has seen.",
            icon=":material/info:",
        )
    _pen(metadata)
    per_digit, confusion = st.columns(2)
    per_digit.markdown("**Accuracy per digit**")
    per_digit.altair_chart(digit_charts.per_class_chart(evaluation["per_class"]), width="stretch")
    confusion.markdown("**Confusion matrix**: which digit was read as which (red: mistakes)")
    event = confusion.altair_chart(
        digit_charts.confusion_chart(evaluation["confusion"]),
        width="stretch",
        on_select="rerun",
        key="evaluate_confusion",
    )
    with confusion:
        as_table(
            pd.DataFrame(evaluation["confusion"], columns=[f"read {d}" for d in range(10)]).assign(
                **{"true digit": range(10)}
            )[["true digit", *(f"read {d}" for d in range(10))]]
        )
    with per_digit:
        as_table(pd.DataFrame({"digit": range(10), "accuracy": [f"{a:.1%}" for a in evaluation["per_class"]]}))
    if fair:
        _fooled(ready, dataset, evaluation["confusion"], event)
    if evaluation["mistakes"] and fair:
        st.markdown("**Its most confident mistakes**")
        gallery = st.columns(8)
        for slot, mistake in zip(gallery * 3, evaluation["mistakes"]):
            slot.image(
                digit_charts.enlarge(dataset.x_test[mistake["index"]] / 255, 84),
                caption=f"true {mistake['true']}, read {mistake['predicted']} ({mistake['confidence']:.0%})",
                alt=f"A test digit written as a {mistake['true']} that the network read as a {mistake['predicted']}",
            )
