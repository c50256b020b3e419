"""Lesson 7: convolution, how the handwriting network looks at a digit: one small grid of weights
slid over the whole picture, then pooling."""

import numpy as np
import streamlit as st

from core.code import convolution as code
from core.i18n import N_, _, number, percent, sentence
from core.lessons import convolution as conv
from core.libraries import pd
from ui.code import code_section
from ui.convolution import inputs, views
from ui.convolution.controls import BRIGHTEST, CONTROLS, OUTPUT_SIZE, POOLED_SHIFT, SHIFT
from ui.digits import resources
from ui.page import explain, header, lesson_footer, try_this
from ui.state import draw

FEATURE_MAP, POOLED_MAP = N_("the feature map"), N_("the max-pooled map")  # the pooling question's choices


def _size_formula(size, stride, padding):
    before, after = conv.padding_amounts(28, size, stride, padding)
    side = conv.output_size(28, size, stride, padding)
    return (
        rf"\left\lfloor \frac{{n + p_\text{{before}} + p_\text{{after}} - k}}{{s}} \right\rfloor + 1 = "
        rf"\left\lfloor \frac{{28 + {before} + {after} - {size}}}{{{stride}}} \right\rfloor + 1 = {side}"
    )


def _network_table(network, card):
    """The handwriting network's layers, each with its parameters counted from its weights."""
    rows = []
    for index, layer in enumerate(network.plan):
        kernel = network.weights[f"kernel_{index}"]
        kind = (
            f"Conv2D({kernel.shape[-1]}, {kernel.shape[0]} × {kernel.shape[1]}), ReLU"
            + (f", then MaxPooling2D({layer['pool']})" if layer.get("pool") else "")
            if layer["kind"] == "conv"
            else f"Dense({kernel.shape[-1]}), softmax"
        )
        rows.append(
            {
                _("layer"): kind,
                _("weights"): int(kernel.size),
                _("biases"): int(kernel.shape[-1]),
                _("parameters"): int(kernel.size + kernel.shape[-1]),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    return sum(row[_("parameters")] for row in rows)


def _accuracy_row(name, count, record):
    """One network's row: its size, what it learnt from, and how it read MNIST's test digits."""
    wrong = record["n_test"] - int(np.trace(record["evaluation"]["confusion"]))
    return {
        _("network"): name,
        _("parameters"): number(count),
        _("pictures learnt from"): number(record["n_train"]),
        _("test digits read right"): percent(record["evaluation"]["accuracy"], 2),
        _("mistakes"): _("{wrong} of {count}").format(wrong=number(wrong), count=number(record["n_test"])),
    }


def _accuracy_table(parameters, card, nielsen_card):
    """The two networks' accuracies, from the one evaluation their cards record (core/digits/compared.py)."""
    nielsen = conv.dense_parameters(30, 784) + conv.dense_parameters(10, 30)
    counted = _(
        "In all **{parameters}** parameters. Nielsen's dense network of the earlier lessons, 784 → 30 → 10, "
        "has 784 × 30 + 30 + 30 × 10 + 10 = **{nielsen}**."
    )
    st.markdown(counted.format(parameters=number(parameters), nielsen=number(nielsen)))
    if nielsen_card is None or nielsen_card.get("mnist_data_id") != card.get("mnist_data_id"):
        alone = _(
            "It reads **{accuracy}** of MNIST's test digits right; train Nielsen's network on the handwriting "
            "page to measure it on the same digits."
        )
        st.markdown(alone.format(accuracy=percent(card["evaluation"]["accuracy"], 2)))
        return
    rows = [
        (_("This app's convolutional network"), parameters, card),
        (_("Nielsen's network, 784 → 30 → 10"), nielsen, nielsen_card),
    ]
    st.dataframe(pd.DataFrame([_accuracy_row(*row) for row in rows]), hide_index=True)
    explain(
        _(
            "Both figures come from one evaluation: MNIST's 10,000 test digits, which neither network learnt from, "
            "each read five times (as it is, and moved one pixel down, up, right and left) with the answers "
            "averaged, as this app reads your drawing. The gap is not all convolution's: the convolutional network "
            "also learnt from pen-written digits, with a cross-entropy cost and the Adam optimiser, where Nielsen's "
            "learns from MNIST alone with the quadratic cost and plain gradient descent."
        )
    )


header(
    N_("Convolution"),
    _(
        "The handwriting network does not weigh every pixel separately. It slides one small grid of weights, a "
        '**filter**, over the whole picture, and asks the same question everywhere: "does this patch look like '
        'my pattern?"'
    ),
    _(
        "Each answer is one pixel of a new picture, the **feature map**. Below, you choose a filter and step the "
        "window over your own digit, one place at a time, with every multiplication shown."
    ),
    CONTROLS,
)
dataset, shipped = resources.data(), resources.shipped_network()
network, card = shipped if shipped else (None, {})
st.subheader(_("1. Your digit"), divider="gray")
choice, seen = st.columns([2, 1], gap="large")
with choice:
    image = inputs.the_digit(dataset)
with seen:
    views.enlarged(image)

st.subheader(_("2. One filter, step by step"), divider="gray")
explain(
    _(
        "At each place, the pixels under the window are multiplied by the filter's weights, the products are "
        "added up with the bias, and ReLU turns a negative sum into 0."
    ),
    _(
        "The same weights are used at every place: that is what makes it one filter. Deep learning calls this "
        "**convolution**, but strictly it is **cross-correlation**: a mathematician's convolution turns the "
        "kernel around first, and neither Keras nor this page does."
    ),
)
grid, bias, stride, padding = inputs.the_filter(network)
views.stepper(image, grid, bias, stride, padding)

st.subheader(_("3. Size, stride and padding"), divider="gray")
size = grid.shape[0]
sides = sorted({conv.output_size(28, k, s, p) for k in conv.SIZES for s in conv.STRIDES for p in conv.PADDINGS})
if OUTPUT_SIZE.ask(
    sentence(
        N_(
            'With a {size} × {size} kernel, stride 2 and "valid" padding, how many pixels wide is the feature map '
            "of a 28 × 28 digit?"
        ),
        size=size,
    ),
    tuple(str(side) for side in sides),
    str(conv.output_size(28, size, 2, "valid")),
    (size,),
):
    OUTPUT_SIZE.verdict()
    st.markdown(_("The feature map's side, for a picture n pixels wide, a k × k kernel and stride s:"))
    st.latex(_size_formula(size, 2, "valid"))
    st.markdown(
        _("And with the settings above ({padding} padding, stride {stride}):").format(padding=padding, stride=stride)
    )
    st.latex(_size_formula(size, stride, padding))
    st.caption(
        _(
            'Books write 2p, the same padding on both sides. Keras\'s "same" pads to make the map ⌈n / s⌉ '
            "wide; with stride 2 on 28 pixels that takes an odd number of zeros, so it puts the extra one after "
            "(right and below), as the picture above shows."
        )
    )

st.subheader(_("4. Pooling"), divider="gray")
views.pooling(conv.feature_map(image, grid, bias, stride, padding))
shift = draw(SHIFT)
changes = conv.change_after_shift(image, grid, bias, shift)
if POOLED_SHIFT.ask(
    N_("Move the digit one pixel right. Place by place, which changes less: the feature map, or its max-pooled map?")
    if shift == 1
    else sentence(
        N_(
            "Move the digit {shift} pixels right. Place by place, which changes less: the feature map, or its "
            "max-pooled map?"
        ),
        shift=shift,
    ),
    (FEATURE_MAP, POOLED_MAP),
    FEATURE_MAP if changes["feature map"] < changes["max pooled"] else POOLED_MAP,
    (grid.tolist(), bias, shift, inputs.fingerprint(image)),
):
    POOLED_SHIFT.verdict()
    st.dataframe(
        pd.DataFrame(
            {
                _("map"): [_(FEATURE_MAP), _(POOLED_MAP)],
                _("change after the move"): [percent(changes["feature map"]), percent(changes["max pooled"])],
            }
        ),
        hide_index=True,
    )
    if changes["max pooled"] < changes["feature map"]:
        how = _("here it changed less")
    else:
        how = _("here it changed no less")
    told = _(
        'Change: the sum of how much each place\'s value moved, over the sum of the values before ("same" '
        "padding, stride 1). Max pooling keeps the strongest answer in each 2 × 2 patch, wherever in the "
        "patch it was, so a small move usually changes it less ({how}); what is lost is exactly where in the "
        "patch the pattern was."
    )
    st.caption(told.format(how=how))

st.subheader(_("5. Why convolution"), divider="gray")
if BRIGHTEST.ask(
    N_("Which filter lights up more on your digit: the vertical edge or the horizontal edge?"),
    conv.NAMED[:2],
    conv.NAMED[conv.brightest(image, [conv.kernel(name, 3) for name in conv.NAMED[:2]])],
    (inputs.fingerprint(image),),
):
    BRIGHTEST.verdict()
    views.edge_maps(image)
few = _(
    "**Few weights.** A `Conv2D(16, {size})` on a one-channel picture has 16 × ({size} × {size} + 1) = "
    "**{conv}** weights and biases, however big the picture. A `Dense(16)` on 784 pixels has 784 × 16 + 16 = "
    "**{dense}**."
)
st.markdown(
    few.format(size=size, conv=number(conv.conv_parameters(16, size)), dense=number(conv.dense_parameters(16, 784)))
)
views.moved(image, grid, bias, shift)
if network is not None:
    st.markdown(_("**The handwriting network** is three such layers, then one dense layer for the ten digits:"))
    _accuracy_table(_network_table(network, card), card, resources.compared_card())
    st.subheader(_("6. The trained network's filters on your digit"), divider="gray")
    views.trained_filters(network, image)
code_section(code.convolution_page(image, grid, bias, stride, padding))
try_this(
    _("Pick the vertical edge, then the horizontal edge: on a 1, which lights up?"),
    _("Press Play and watch the map fill in; then set stride 2 and see it skip every other place."),
    _('Set padding to "same" with stride 2: the grey zeros appear only right and below.'),
    _('Press "Edit these numbers" and turn the filter upside down: it now finds the other edge of each stroke.'),
)
lesson_footer(CONTROLS)
