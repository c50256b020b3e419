"""Section 3 of the handwriting page: how the trained network does on digits it never saw."""

import numpy as np
import streamlit as st

from core.charts import digits as digit_charts
from core.digits import shipped
from core.i18n import _, number, percent
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
    reads = _(
        "On **{digits} digits drawn with a pen by {writers} other people**, who wrote none of its training digits, "
        "it reads **{accuracy}** correctly. The same recipe trained {seeds} times from different random starts "
        "reads {each} of them; the lowest, {lowest}, is the figure to expect. Drawings on a screen look different "
        "from MNIST's scanned ink, which is why it also learnt from pen-drawn digits of {learnt} other people."
    )
    st.markdown(
        reads.format(
            digits=number(pen["unseen_digits"]),
            writers=pen["unseen_writers"],
            accuracy=percent(pen["unseen_writers_accuracy"], 1),
            seeds=len(seeds),
            each=", ".join(percent(row["pen_accuracy"], 1) for row in seeds),
            lowest=percent(pen["lowest_over_seeds"], 1),
            learnt=len(pen["writers_learnt_from"]),
        )
    )
    honest = _(
        "How these figures were kept honest: of the {all} writers, {apart} were set apart by lot before this "
        "round's ideas were compared. Every idea for the recipe was judged only on the other writers (each left "
        "out in turn) and on MNIST digits held back from training, never on these people or on MNIST's test "
        "digits; they were read once, at the end. Earlier versions of the recipe had been compared on all the "
        "writers, so the figure may still flatter it a little."
    )
    st.caption(honest.format(all=len(pen["writers_learnt_from"]) + pen["unseen_writers"], apart=pen["unseen_writers"]))


@st.cache_resource(show_spinner=False, max_entries=8)
def _test_readings(key, data_id, _network, _images):
    """What the network reads for every test digit, once per network and data on this server."""
    return _network.classify(_images).argmax(axis=1)


def _fooled(ready, dataset, confusion, event):
    chosen = fooled.choose(confusion, "view_fooled_evaluate", event)
    if chosen is not None:
        true, read, _count = chosen
        with st.spinner(_("Reading the test digits…")):
            readings = _test_readings(ready.key, dataset.data_id, ready.network, dataset.x_test)
        fooled.gallery(
            dataset.x_test,
            np.flatnonzero((dataset.y_test == true) & (readings == read)),
            true,
            read,
            fooled.TEST_DIGITS,
        )


def _headline(evaluation, fair, dataset):
    """The test accuracy, in a number and in words, and a warning when no digit here is unseen."""
    tested = number(evaluation["n_test"])
    st.metric(
        _("Test accuracy"),
        percent(evaluation["accuracy"], 2),
        help=_("Share of the {count} test digits read correctly.").format(count=tested),
    )
    right = number(round(evaluation["accuracy"] * evaluation["n_test"]))
    st.markdown(
        _("On **{count} digits it never saw**, the network reads {right} correctly.").format(count=tested, right=right)
    )
    if not fair:
        seen = _(
            "These figures were measured on MNIST's {count} test digits when this network was trained. This server "
            "has only {source}, and this network learnt from every one of them, so **no unseen test digits are "
            "available here**: the random digits below are ones it has seen."
        )
        st.info(seen.format(count=tested, source=dataset.source), icon=":material/info:")


def _per_digit_and_confusion(evaluation):
    """Accuracy per digit and the confusion matrix, each a chart and its table; returns the
    matrix's selection (a chosen cell)."""
    per_digit, confusion = st.columns(2)
    per_digit.markdown(_("**Accuracy per digit**"))
    per_digit.altair_chart(digit_charts.per_class_chart(evaluation["per_class"]), width="stretch")
    confusion.markdown(_("**Confusion matrix**: which digit was read as which (red: mistakes)"))
    event = confusion.altair_chart(
        digit_charts.confusion_chart(evaluation["confusion"]),
        width="stretch",
        on_select="rerun",
        key="evaluate_confusion",
    )
    with confusion:
        read_as = [_("read {digit}").format(digit=d) for d in range(10)]
        as_table(
            pd.DataFrame(evaluation["confusion"], columns=read_as).assign(**{_("true digit"): range(10)})[
                [_("true digit"), *read_as]
            ]
        )
    with per_digit:
        as_table(pd.DataFrame({_("digit"): range(10), _("accuracy"): [percent(a, 1) for a in evaluation["per_class"]]}))
    return event


def _confident_mistakes(mistakes, dataset):
    """The test digits the network misread while surest of itself, each captioned with both digits."""
    st.markdown(_("**Its most confident mistakes**"))
    gallery = st.columns(8)
    for slot, mistake in zip(gallery * 3, mistakes):
        slot.image(
            digit_charts.enlarge(dataset.x_test[mistake["index"]] / 255, 84),
            caption=_("true {true}, read {read} ({sure})").format(
                true=mistake["true"], read=mistake["predicted"], sure=percent(mistake["confidence"])
            ),
            alt=_("A test digit written as a {true} that the network read as a {read}").format(
                true=mistake["true"], read=mistake["predicted"]
            ),
        )


def section(ready, dataset):
    """Test accuracy, accuracy per digit, the confusion matrix (choose a cell to see its digits)
    and the most confident mistakes."""
    metadata = ready.metadata
    evaluation, fair = metadata["evaluation"], shipped.judged_on(metadata, dataset)
    st.header(_("3. Evaluate"), divider="gray")
    _headline(evaluation, fair, dataset)
    _pen(metadata)
    event = _per_digit_and_confusion(evaluation)
    if fair:
        _fooled(ready, dataset, evaluation["confusion"], event)
    if evaluation["mistakes"] and fair:
        _confident_mistakes(evaluation["mistakes"], dataset)
