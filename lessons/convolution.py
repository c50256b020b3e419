"""Lesson 7: convolution, how the handwriting network looks at a digit: one small grid of weights
slid over the whole picture, then pooling."""

import numpy as np
import streamlit as st

from core.code import convolution as code
from core.lessons import convolution as conv
from core.libraries import pd
from ui.code import code_section
from ui.convolution import views
from ui.convolution.controls import BRIGHTEST, CONTROLS, OUTPUT_SIZE, POOLED_SHIFT, SHIFT
from ui.digits import resources
from ui.page import explain, header, lesson_footer, try_this
from ui.state import draw


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
                "layer": kind,
                "weights": int(kernel.size),
                "biases": int(kernel.shape[-1]),
                "parameters": int(kernel.size + kernel.shape[-1]),
            }
        )
    table = pd.DataFrame(rows)
    st.dataframe(table, hide_index=True)
    return int(table["parameters"].sum())


def _accuracy_table(parameters, card, nielsen_card):
    """The two networks' accuracies, from the one evaluation their cards record (core/digits/compared.py)."""
    nielsen = conv.dense_parameters(30, 784) + conv.dense_parameters(10, 30)
    st.markdown(
        f"In all **{parameters:,}** parameters. Nielsen's dense network of the earlier lessons, 784 → 30 → "
        f"10, has 784 × 30 + 30 + 30 × 10 + 10 = **{nielsen:,}**."
    )
    if nielsen_card is None or nielsen_card.get("mnist_data_id") != card.get("mnist_data_id"):
        st.markdown(
            f"It reads **{card['evaluation']['accuracy']:.2%}** of MNIST's test digits right; train "
            "Nielsen's network on the handwriting page to measure it on the same digits."
        )
        return
    rows = [
        ("This app's convolutional network", parameters, card),
        ("Nielsen's network, 784 → 30 → 10", nielsen, nielsen_card),
    ]
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "network": name,
                    "parameters": f"{count:,}",
                    "pictures learnt from": f"{record['n_train']:,}",
                    "test digits read right": f"{record['evaluation']['accuracy']:.2%}",
                    "mistakes": f"{record['n_test'] - int(np.trace(record['evaluation']['confusion'])):,} of {record['n_test']:,}",
                }
                for name, count, record in rows
            ]
        ),
        hide_index=True,
    )
    explain(
        "Both figures come from one evaluation: MNIST's 10,000 test digits, which neither network learnt from, "
        "each read five times (as it is, and moved one pixel down, up, right and left) with the answers averaged, "
        "as this app reads your drawing. The gap is not all convolution's: the convolutional network also learnt "
        "from pen-written digits, with a cross-entropy cost and the Adam optimiser, where Nielsen's learns from "
        "MNIST alone with the quadratic cost and plain gradient descent."
    )


header(
    "Convolution",
    "The handwriting network does not weigh every pixel separately. It slides one small grid of weights, a "
    '**filter**, over the whole picture, and asks the same question everywhere: "does this patch look like my '
    'pattern?"',
    "Each answer is one pixel of a new picture, the **feature map**. Below, you choose a filter and step the "
    "window over your own digit, one place at a time, with every multiplication shown.",
    CONTROLS,
)
dataset, shipped = resources.data(), resources.shipped_network()
network, card = shipped if shipped else (None, {})
st.subheader("1. Your digit", divider="gray")
choice, seen = st.columns([2, 1], gap="large")
with choice:
    image = views.the_digit(dataset)
with seen:
    views.enlarged(image)

st.subheader("2. One filter, step by step", divider="gray")
explain(
    "At each place, the pixels under the window are multiplied by the filter's weights, the products are "
    "added up with the bias, and ReLU turns a negative sum into 0.",
    "The same weights are used at every place: that is what makes it one filter. Deep learning calls this "
    "**convolution**, but strictly it is **cross-correlation**: a mathematician's convolution turns the "
    "kernel around first, and neither Keras nor this page does.",
)
grid, bias, stride, padding = views.the_filter(network)
views.stepper(image, grid, bias, stride, padding)

st.subheader("3. Size, stride and padding", divider="gray")
size = grid.shape[0]
sides = sorted({conv.output_size(28, k, s, p) for k in conv.SIZES for s in conv.STRIDES for p in conv.PADDINGS})
if OUTPUT_SIZE.ask(
    f'With a {size} × {size} kernel, stride 2 and "valid" padding, how many pixels wide is the '
    "feature map of a 28 × 28 digit?",
    tuple(str(side) for side in sides),
    str(conv.output_size(28, size, 2, "valid")),
    (size,),
):
    OUTPUT_SIZE.verdict()
    st.markdown("The feature map's side, for a picture n pixels wide, a k × k kernel and stride s:")
    st.latex(_size_formula(size, 2, "valid"))
    st.markdown(f"And with the settings above ({padding} padding, stride {stride}):")
    st.latex(_size_formula(size, stride, padding))
    st.caption(
        'Books write 2p, the same padding on both sides. Keras\'s "same" pads to make the map ⌈n / s⌉ '
        "wide; with stride 2 on 28 pixels that takes an odd number of zeros, so it puts the extra one after "
        "(right and below), as the picture above shows."
    )

st.subheader("4. Pooling", divider="gray")
views.pooling(conv.feature_map(image, grid, bias, stride, padding))
shift = draw(SHIFT)
changes = conv.change_after_shift(image, grid, bias, shift)
if POOLED_SHIFT.ask(
    f"Move the digit {shift} pixel{'s' if shift > 1 else ''} right. Place by place, which changes "
    "less: the feature map, or its max-pooled map?",
    ("the feature map", "the max-pooled map"),
    "the feature map" if changes["feature map"] < changes["max pooled"] else "the max-pooled map",
    (grid.tolist(), bias, shift, views.fingerprint(image)),
):
    POOLED_SHIFT.verdict()
    st.dataframe(
        pd.DataFrame({"map": list(changes), "change after the move": [f"{v:.0%}" for v in changes.values()]}),
        hide_index=True,
    )
    st.caption(
        'Change: the sum of how much each place\'s value moved, over the sum of the values before ("same" '
        "padding, stride 1). Max pooling keeps the strongest answer in each 2 × 2 patch, wherever in the "
        "patch it was, so a small move usually changes it less (here it changed "
        f"{'less' if changes['max pooled'] < changes['feature map'] else 'no less'}); what is lost is "
        "exactly where in the patch the pattern was."
    )

st.subheader("5. Why convolution", divider="gray")
if BRIGHTEST.ask(
    "Which filter lights up more on your digit: the vertical edge or the horizontal edge?",
    conv.NAMED[:2],
    conv.NAMED[conv.brightest(image, [conv.kernel(name, 3) for name in conv.NAMED[:2]])],
    (views.fingerprint(image),),
):
    BRIGHTEST.verdict()
    views.edge_maps(image)
st.markdown(
    f"**Few weights.** A `Conv2D(16, {size})` on a one-channel picture has 16 × ({size} × {size} + 1) = "
    f"**{conv.conv_parameters(16, size):,}** weights and biases, however big the picture. A `Dense(16)` on "
    f"784 pixels has 784 × 16 + 16 = **{conv.dense_parameters(16, 784):,}**."
)
views.moved(image, grid, bias, shift)
if network is not None:
    st.markdown("**The handwriting network** is three such layers, then one dense layer for the ten digits:")
    _accuracy_table(_network_table(network, card), card, resources.compared_card())
    st.subheader("6. The trained network's filters on your digit", divider="gray")
    views.trained_filters(network, image)
code_section(code.convolution_page(image, grid, bias, stride, padding))
try_this(
    "Pick the vertical edge, then the horizontal edge: on a 1, which lights up?",
    "Press Play and watch the map fill in; then set stride 2 and see it skip every other place.",
    'Set padding to "same" with stride 2: the grey zeros appear only right and below.',
    'Press "Edit these numbers" and turn the filter upside down: it now finds the other edge of each stroke.',
)
lesson_footer(CONTROLS)
