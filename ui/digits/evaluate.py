"""Section 3 of the handwriting page: how the trained network does on digits it never saw."""

import numpy as np
import streamlit as st

from core.charts import digits as digit_charts
from core.digits import shipped
from core.libraries import pd
from ui.digits import fooled
from ui.page import as_table


def _pen(metadata):
    """What the shipped network does on pen-written digits of people no choice of its recipe looked
    at (core/digits/nested.py), and what the same recipe does with other seeds."""
    pen = metadata.get("pen")
    if not pen or "final_writers" not in pen:
        return
    seeds = pen["by_seed"]
    st.markdown(
        f"On **{pen['unseen_digits']:,} digits drawn with a pen by {pen['unseen_writers']} other people**, who "
        f"wrote none of its training digits, it reads **{pen['unseen_writers_accuracy']:.1%}** correctly. "
        f"The same recipe trained {len(seeds)} times from different random starts reads "
        + ", ".join(f"{row['pen_accuracy']:.1%}" for row in seeds)
        + f" of them; the lowest, {pen['lowest_over_seeds']:.1%}, is the figure to expect. Drawings on a screen "
        "look different from MNIST's scanned ink, which is why it also learnt from pen-drawn digits of "
        f"{len(pen['writers_learnt_from'])} other people."
    )
    st.caption(
        f"How these figures were kept honest: of the {len(pen['writers_learnt_from']) + pen['unseen_writers']} "
        f"writers, {pen['unseen_writers']} were set apart by lot before this round's ideas were compared. "
        "Every idea for the recipe was judged only on the other writers (each left out in turn) and on MNIST "
        "digits held back from training, never on these people or on MNIST's test digits; they were read once, "
        "at the end. Earlier versions of the recipe had been compared on all the writers, so the figure may "
        "still flatter it a little."
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
