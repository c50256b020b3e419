"""Section 5 of the handwriting page: the views that explain one prediction, a tab each. They are
drawn after the prediction is shown, and the nearest training digits wait, in their own tab, for
the neighbour index that a builder thread makes once per network (ui/digits/resources.py)."""

import streamlit as st

from core.charts import digits as digit_charts
from core.digits import explain
from core.i18n import N_, _, percent
from ui.digits import resources
from ui.digits.controls import LOOK_INSIDE_TAB

WAIT_SECONDS = 1.0  # how often a tab waiting for the neighbour index looks again
TABS = (  # English, shown in the reader's language: the open tab's name, so a language of its own
    N_("How the digit was prepared"),
    N_("Activations"),
    N_("What the first layer looks for"),
    N_("Which pixels mattered"),
    N_("Nearest training digits"),
)


def _preparation(steps):
    if steps is None:
        st.markdown(_("A test digit is already in MNIST's form: 28 × 28, scaled and centred."))
        return
    st.markdown(
        _(
            "MNIST's digits were made by a recipe: crop to the ink, scale the longer side to "
            "20 pixels, place it in a 28 × 28 field, then move it so its centre of mass (red) "
            "sits at the centre (white cross). The network only ever saw digits made this way."
        )
    )
    columns = st.columns(4)
    columns[0].image(
        digit_charts.with_box(steps.ink, steps.box),
        caption=_("1. Your drawing; the box holds the ink"),
        alt=_("The whole drawing, with a red box around the ink"),
    )
    columns[1].image(
        digit_charts.enlarge(steps.boxed, 7 * max(steps.boxed.shape)),
        caption=_("2. Scaled to {width} × {height}").format(width=steps.boxed.shape[1], height=steps.boxed.shape[0]),
        alt=_("The ink alone, scaled so its longer side is 20 pixels"),
    )
    columns[2].image(
        digit_charts.with_centre(steps.placed),
        caption=_("3. Placed in 28 × 28"),
        alt=_("The scaled ink in the middle of a 28 by 28 field, its centre of mass marked"),
    )
    columns[3].image(
        digit_charts.with_centre(steps.final),
        caption=_("4. Moved {how}").format(how=digit_charts.describe_shift(steps.shift)),
        alt=_("The digit moved so its centre of mass is at the centre: what the network reads"),
    )
    st.caption(
        _(
            'Turn on "Resize straight to 28 × 28" under the canvas to see what the network reads '
            "when the whole square is shrunk in one go, as many drawing demos do."
        )
    )


def _dense_activations(ready, why):
    st.markdown(_("Each bar is one hidden neuron: how strongly it fires for this digit."))
    for number, (_name, layer_values) in enumerate(why.inside.activations, start=1):
        st.markdown(_("**Hidden layer {layer}** ({count} neurons)").format(layer=number, count=len(layer_values)))
        st.altair_chart(
            digit_charts.activation_bars(layer_values, why.first_layer_top if number == 1 else ()), width="stretch"
        )
    first = why.inside.activations[0][1]
    st.markdown(
        _(
            "The incoming weights of layer 1's most active neurons (coloured above), drawn as "
            "28 × 28 pictures: red where ink raises the neuron's sum, blue where it lowers it."
        )
    )
    pictures = resources.first_layer(ready.key, ready.network)
    st.image(
        [pictures[i] for i in why.first_layer_top],
        caption=[
            _("neuron {neuron}: {value}").format(neuron=i + 1, value=f"{first[i]:.2f}") for i in why.first_layer_top
        ],
        alt=[
            _("Incoming weights of hidden neuron {neuron} as a 28 by 28 picture").format(neuron=i + 1)
            for i in why.first_layer_top
        ],
    )


def _feature_maps(why):
    st.markdown(
        _(
            "Each small square is one filter's **feature map**: where in the image it found its "
            "pattern. The maps of a layer share one scale: light where a filter fired strongly compared "
            "with the whole layer, black where it did not fire, so a dark square is a filter that found "
            "little in this digit. Deeper layers see larger, more abstract parts of the digit on smaller maps."
        )
    )
    for number, (_name, maps) in enumerate(why.inside.activations, start=1):
        size = dict(layer=number, filters=maps.shape[-1], height=maps.shape[0], width=maps.shape[1])
        st.image(
            digit_charts.map_grid(maps, columns=16, cell=40 if maps.shape[0] > 8 else 28),
            caption=_("Convolution layer {layer}: {filters} filters, each map {height} × {width}").format(**size),
            alt=_("The {filters} feature maps of convolution layer {layer}, light where each filter fired").format(
                **size
            ),
        )


def _first_layer(ready, dense):
    pictures = resources.first_layer(ready.key, ready.network)
    drawn = _(
        "The weights of the first layer, drawn as pictures: red where ink raises the neuron's sum, "
        "blue where it lowers it."
    )
    if dense:
        each = _("Each is one hidden neuron's 784 incoming weights, laid out as the 28 × 28 image.")
        caption, alt = (
            _("neuron {number}"),
            _("The weights of first-layer neuron {number}: red raises its sum, blue lowers it"),
        )
    else:
        each = _("Each is one 3 × 3 filter that slides over the image, e.g. an edge detector.")
        caption, alt = (
            _("filter {number}"),
            _("The weights of first-layer filter {number}: red raises its sum, blue lowers it"),
        )
    st.markdown(f"{drawn} {each}")
    first = pictures[:32]
    st.image(
        first,
        caption=[caption.format(number=i + 1) for i in range(len(first))],
        alt=[alt.format(number=i + 1) for i in range(len(first))],
    )
    if len(pictures) > len(first):
        st.caption(_("The first {shown} of {count}.").format(shown=len(first), count=len(pictures)))


def _saliency(ready, image, why):
    saliency = explain.saliency(ready.network, image, why)
    picture, words = st.columns([1, 2])
    digit = why.predicted
    picture.image(
        digit_charts.saliency_overlay(image, saliency),
        caption=_("Red: ink that made it read {digit}; blue: ink that argued against").format(digit=digit),
        alt=_(
            "The digit, with the pixels that pushed the network toward {digit} in red and those that pushed "
            "against it in blue"
        ).format(digit=digit),
    )
    sides = (
        (
            _("Only the ink that pushed toward {digit} (white: most)"),
            _("The pixels whose ink pushed toward reading {digit}, white where most"),
        ),
        (
            _("Only the ink that pushed against {digit} (white: most)"),
            _("The pixels whose ink pushed against reading {digit}, white where most"),
        ),
    )
    for column, side, (caption, alt) in zip(words.columns(2), digit_charts.saliency_sides(saliency), sides):
        column.image(side, caption=caption.format(digit=digit), alt=alt.format(digit=digit))
    words.markdown(
        _(
            "For every pixel of the digit as it is: how much would the network's score for **{digit}** rise if "
            "that pixel had a little more ink (the *gradient*), times the ink it has (gradient × input). The score "
            "is the output neuron's weighted sum before it is turned into a probability. Pixels without ink count "
            "for nothing here, however the network would react to them. The gradient comes from backpropagation, "
            "the chain rule of the Backpropagation lesson, run here through this network's real layers from the "
            "output neuron back to the pixels."
        ).format(digit=digit)
    )


def _neighbours(ready, dataset, why):
    building = resources.neighbours(ready.key, ready.network, dataset)
    if building.done():
        _nearest_digits(building, dataset, why)
    else:  # looks again every WAIT_SECONDS, and shows them once the index is there
        st.fragment(_when_built, run_every=WAIT_SECONDS)(building, dataset, why)


def _when_built(building, dataset, why):
    if not building.done():
        st.info(
            _(
                "Placing every training digit in the network's last layer, to find the ones most like yours. "
                "This is done once for this network, for everyone on this server."
            ),
            icon=":material/hourglass_top:",
        )
        return
    st.rerun()  # the whole page, once: this tab then shows the digits and stops looking


def _nearest_digits(building, dataset, why):
    if building.exception() is not None:
        resources.forget_failed_index()
        st.error(
            _(
                "The nearest training digits could not be found this time; they are looked for again on the next change."
            ),
            icon=":material/error:",
        )
        return
    index = building.result()
    indices, distances = explain.nearest(index, why)
    st.markdown(
        _(
            "The training digits that the network's last hidden layer finds most like this one. When "
            "the network is wrong, these show what it confused the digit with. The network itself keeps no "
            "training digits, only the weights it learnt from them: these were found afterwards, by comparing "
            "that layer's numbers for your digit with its numbers for every training digit."
        )
    )
    for column, number, distance in zip(st.columns(len(indices)), indices, distances):
        written = int(dataset.y_train[number])
        column.image(
            digit_charts.enlarge(dataset.x_train[number] / 255, 84),
            caption=_("a {digit} (distance {distance})").format(digit=written, distance=f"{distance:.2f}"),
            alt=_("A training digit written as a {digit}").format(digit=written),
        )
    kept = index.variance_kept
    if kept < 1:
        measured = _(
            "Distances are measured on the layer's {count} main directions (PCA), which keep {share} of its spread."
        )
        st.caption(measured.format(count=explain.MAX_EMBEDDING_DIMENSIONS, share=percent(kept)))


def section(ready, dataset, digit, why):
    """The views that explain one prediction of `digit` (a predict.Digit). Only the open tab's view
    is computed and sent (Streamlit's lazy tabs): choosing another tab reruns this part."""
    st.header(_("5. Look inside the network"), divider="gray")
    st.markdown(_("Why did it say that? Each tab opens the network at a different place."))
    resources.neighbours(ready.key, ready.network, dataset)  # started now, so it is ready when its tab opens
    dense = why.inside.activations[0][1].ndim == 1
    views = (
        lambda: _preparation(digit.steps),
        lambda: _dense_activations(ready, why) if dense else _feature_maps(why),
        lambda: _first_layer(ready, dense),
        lambda: _saliency(ready, digit.image, why),
        lambda: _neighbours(ready, dataset, why),
    )
    for tab, view in zip(st.tabs([_(name) for name in TABS], key=LOOK_INSIDE_TAB, on_change="rerun"), views):
        if tab.open:
            with tab:
                view()
