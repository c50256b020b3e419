"""Section 4 of the handwriting page: a drawn, uploaded or test digit, and what the network reads."""

import dataclasses
from dataclasses import dataclass

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from core.charts import digits as digit_charts
from core.digits import config as mnist_config
from core.digits import explain, preprocess, shipped
from core.i18n import N_, _, number, percent, told
from ui.digits import look_inside
from ui.digits.controls import CANVAS_GENERATION, INPUT, RAW_RESIZE, READ_DIGIT, TEST_DIGIT_SEED, WHICH_DIGIT
from ui.state import bump, draw

UNSURE_BELOW = 0.6  # below this top probability the page says the network is not sure
CANVAS = {"size": 280, "stroke_width": 18, "stroke_color": "#FFFFFF", "background_color": "#000000"}


@dataclass(frozen=True)
class Digit:
    """A digit to read: the picture as given (a drawing or photo), MNIST's preparation steps of
    it, and the 28 × 28 image the network reads; or a test digit with its true label."""

    picture: object = None
    steps: object = None
    image: object = None
    truth: int = None
    straight: bool = False
    problem: str = None

    def prepared(self, straight=False):
        """This digit with MNIST's preparation steps of its picture, and the image the network
        reads: the steps' result, or with `straight` the picture resized straight to 28 × 28."""
        steps = preprocess.mnist_steps(self.picture) if self.picture is not None else None
        if steps is None:  # nothing to prepare: a test digit, or a pad with no ink yet
            return dataclasses.replace(self, straight=straight)
        return dataclasses.replace(
            self,
            steps=steps,
            straight=straight,
            image=preprocess.naive_resize(self.picture) if straight else steps.final,
        )


def drawn(generation=CANVAS_GENERATION, name="canvas"):
    """The drawing pad and its Clear button; return the Digit drawn so far. `generation` (a State)
    is bumped by Clear: a new widget key empties the pad."""
    try:
        drawing = st_canvas(
            stroke_width=CANVAS["stroke_width"],
            stroke_color=CANVAS["stroke_color"],
            background_color=CANVAS["background_color"],
            height=CANVAS["size"],
            width=CANVAS["size"],
            drawing_mode="freedraw",
            return_image_data=True,
            key=f"{name}_{generation.get()}",
        )
        # The pad's value comes from the browser and can be forged, so it is read here, checked,
        # rather than by the component's own `image_data`, which decodes whatever arrives.
        data_url, problem = drawing._image_data_url, None
    except (AttributeError, KeyError, TypeError, ValueError):  # a value the component itself cannot parse
        data_url, problem = None, _(preprocess.PAD_REFUSED)
    st.caption(_("Draw one digit with the mouse (or a finger), as large as the square allows."))
    st.button(
        _("Clear"),
        icon=":material/delete:",
        on_click=bump(generation),
        key=f"{name}_clear",
        help=_("Wipe the canvas and start again."),
    )
    if problem or data_url is None:
        return Digit(problem=problem)
    try:
        return Digit(picture=preprocess.read_pad(data_url, CANVAS["size"]))
    except ValueError as error:
        return Digit(problem=told(error))


def _uploaded():
    upload = st.file_uploader(
        _("A PNG or JPEG of one handwritten digit, at most 5 MB"),
        type=["png", "jpg", "jpeg"],
        help=_("Dark ink on light paper or light ink on a dark background both work."),
    )
    if upload is None:
        return Digit()
    try:
        return Digit(picture=preprocess.read_upload(upload.getvalue()))
    except ValueError as error:
        return Digit(problem=told(error))


def _test_digit(dataset, unseen):
    st.button(_("Another random test digit"), icon=":material/casino:", on_click=bump(TEST_DIGIT_SEED))
    index = int(np.random.default_rng(TEST_DIGIT_SEED.get()).integers(len(dataset.x_test)))
    truth = int(dataset.y_test[index])
    if unseen:
        st.caption(_("Test digit number {index}, written as a {digit}.").format(index=number(index), digit=truth))
    else:
        learnt = _(
            "Digit number {index} of this server's test digits, written as a {digit}. This network learnt "
            "from it, so reading it right is no test: no unseen test digits are available here."
        )
        st.caption(learnt.format(index=number(index), digit=truth))
    return Digit(image=dataset.x_test[index] / 255.0, truth=truth)


def _given(source, ready, dataset):
    """Draw the chosen input and return its Digit, prepared as MNIST's were (or resized straight)."""
    if source == "Random test digit":
        return _test_digit(dataset, shipped.judged_on(ready.metadata, dataset))
    digit = drawn() if source == "Draw" else _uploaded()
    return digit.prepared(straight=draw(RAW_RESIZE, st))


def _nothing_to_read(digit, source):
    """Say why there is no digit to read (a bad file, a blank picture, nothing drawn yet); return
    True when so."""
    if digit.problem:
        st.error(digit.problem, icon=":material/broken_image:")
    elif digit.image is None and digit.picture is not None and source != "Draw":
        st.warning(
            _(
                "No handwriting was found in this picture: it looks like one even colour. Upload a "
                "photo of one digit, written darker or lighter than its paper."
            ),
            icon=":material/image_search:",
        )
    elif digit.image is None:
        st.info(
            _("Draw a digit to see what the network reads.")
            if source == "Draw"
            else _("Nothing to read yet: upload a picture of one handwritten digit."),
            icon=":material/draw:",
        )
    return bool(digit.problem) or digit.image is None


def _answer(digit, why):
    """The digit as the network sees it, its answer and how sure, and whether it is right when known."""
    probabilities = why.inside.probabilities
    seen, numbers = st.columns([1, 1])
    seen.image(
        digit_charts.enlarge(digit.image),
        caption=_("What the network sees (28 × 28), resized straight")
        if digit.straight
        else _("What the network sees (28 × 28)"),
        alt=_("The 28 by 28 digit the network reads"),
    )
    sure = probabilities[why.predicted]
    numbers.metric(_("Prediction"), str(why.predicted))
    st.markdown(_("**The network reads {digit}, {sure} sure.**").format(digit=why.predicted, sure=percent(sure)))
    numbers.metric(_("Confidence"), percent(sure, 1))
    if sure < UNSURE_BELOW:
        unsure = _("Not sure: it could also be a {digit} ({share}).")
        st.warning(
            unsure.format(digit=why.runner_up, share=percent(probabilities[why.runner_up])), icon=":material/help:"
        )
    if digit.truth is not None:
        right_or_wrong = _("Correct.") if why.predicted == digit.truth else _("Wrong: this digit is a {digit}.")
        st.caption(right_or_wrong.format(digit=digit.truth))


def _what_sure_means():
    """What a network trained with label smoothing means by "sure"."""
    right, other = mnist_config.smoothed_targets()
    means = _(
        'What "sure" means: the probability the network gives this digit. It was trained to aim for {right} on '
        "the right digit and {other} on each other one, not {all} and {none} (label smoothing: a network "
        "pushed to be certain of every training digit grows overconfident on new ones), so even a clear digit "
        "rarely gets much more than {right}. Below about {unsure} it is genuinely torn."
    )
    shares = dict(right=percent(right), other=percent(other), all=percent(1), none=percent(0))
    st.caption(means.format(unsure=percent(UNSURE_BELOW), **shares))


def _reading(ready, dataset, digit, source):
    """Show what the network reads; return the reading (core/digits/explain.py's Reading), or None
    when there is nothing to show yet. Only the network's answer is computed here: the views that
    explain it come after, in look_inside."""
    if _nothing_to_read(digit, source):
        return None
    why = explain.read(ready.network, digit.image)
    READ_DIGIT.set(np.asarray(digit.image, dtype=np.float64))
    if digit.truth is not None and not WHICH_DIGIT.ask(
        N_("Which digit will the network read?"),
        tuple(str(digit) for digit in range(10)),
        str(why.predicted),
        (ready.key, TEST_DIGIT_SEED.get()),
    ):
        return None
    WHICH_DIGIT.verdict()
    _answer(digit, why)
    if ready.metadata.get("config", {}).get("preset") != "nielsen":  # trained with label smoothing
        _what_sure_means()
    st.altair_chart(digit_charts.probability_bars(why.inside.probabilities), width="stretch")
    st.caption(
        _(
            "The network reads the digit {count} times, as it is and moved one pixel down, up, right and left, "
            "and these are the averages of its answers (it reads more digits right so). Looking inside, below, "
            "shows it reading the digit as it is."
        ).format(count=len(mnist_config.SHIFTS))
    )
    return why


@st.fragment
def section(ready, dataset):
    """Read a drawn, uploaded or test digit, and look inside the network. A fragment: drawing
    reruns only this part."""
    st.header(_("4. Predict"), divider="gray")
    source = draw(INPUT, st)
    given, read = st.columns([1, 1], gap="large")
    with given:
        digit = _given(source, ready, dataset)
    with read:
        why = _reading(ready, dataset, digit, source)
    if why is not None:
        look_inside.section(ready, dataset, digit, why)
