"""The convolution page's views: the window stepping over the picture with its arithmetic, pooling,
and the trained network's own filters on the digit. (The digit and the filter are chosen in
ui/convolution/inputs.py.)"""

import numpy as np
import streamlit as st

from core import i18n
from core.charts import convolution as pictures
from core.charts.digits import enlarge, map_grid
from core.i18n import _, percent
from core.lessons import convolution as conv
from core.libraries import pd
from ui.convolution.controls import (
    AT,
    PLAY,
    PLAY_SECONDS,
)
from ui.state import draw, held_value


def number(value, decimals):
    """A number with its sign, as "−0.250"; one that rounds to zero as "0.000", never "−0.000"."""
    text = f"{value:.{decimals}f}"
    return (text.lstrip("-") if float(text) == 0 else text).replace("-", "−")


def matrix(values, decimals):
    """A LaTeX matrix of numbers, each written with its sign (whole numbers without decimals)."""
    decimals = 0 if np.array_equal(values, np.round(values)) else decimals
    rows = [" & ".join(number(value, decimals) for value in row) for row in values]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def _arithmetic(under, grid, bias, position):
    """The window's numbers at one place: the pixels under it, the weights, their products; their
    sum, plus the bias, through ReLU: the feature map's pixel."""
    decimals = 3 if grid.shape[0] == 3 else 2
    products = under * grid
    # three matrices side by side; a 5 × 5 window's are too wide for that on a projector: two, then one
    columns = st.columns(3) if grid.shape[0] == 3 else [*st.columns(2), st.columns(2)[0]]
    for column, (title, values) in zip(
        columns, ((_("Pixels under the window"), under), (_("× weights"), grid), (_("= products"), products))
    ):
        column.markdown(f"**{title}**")
        column.latex(matrix(values, decimals))
    total = float(products.sum())
    z, a = total + bias, max(total + bias, 0.0)
    st.latex(
        rf"\textstyle\sum \text{{{_('products')}}} = {number(total, 3)},\quad z = {number(total, 3)} "
        rf"{'+' if bias >= 0 else '−'} {abs(bias):.1f} = {number(z, 3)},\quad a = \max(0, z) = {number(a, 3)}"
    )
    told = _(
        "The feature map's pixel in row {row}, column {column} (counted from 0) is {value}. Numbers are "
        "rounded to the places shown; the sum is of the exact products."
    )
    st.caption(told.format(row=position[0], column=position[1], value=number(a, 3)))


def place_now():
    """The window's place as this run starts: the widget's, else the link's (checked), else 0."""
    return int(st.session_state[AT.key] if AT.key in st.session_state else held_value(AT))


def _step_buttons(last, inked):
    def move(by):
        def callback():
            st.session_state[AT.key] = min(max(place_now() + by, 0), last)

        return callback

    row = st.container(horizontal=True)  # a row that wraps, not five columns stacked on a phone
    at = place_now()
    row.button(_("Back"), icon=":material/arrow_back:", on_click=move(-1), disabled=at <= 0)
    row.button(_("Step"), icon=":material/arrow_forward:", on_click=move(1), disabled=at >= last, type="primary")
    later = [place for place in inked if place > at]
    row.button(
        _("Next ink"),
        icon=":material/skip_next:",
        on_click=move(later[0] - at if later else 0),
        disabled=not later,
        help=_("Skip ahead to the next place where the window covers ink."),
    )
    row.button(_("Start"), icon=":material/first_page:", on_click=move(-last))
    row.button(_("End"), icon=":material/last_page:", on_click=move(last))


def stepper(image, grid, bias, stride, padding):
    """The window stepping over the picture (Step, Back, Play), the feature map filling in beside
    it, and the arithmetic at the window's place. A fragment: a step reruns only this part."""
    playing = draw(PLAY)

    @st.fragment(run_every=PLAY_SECONDS if playing else None)
    def view():
        side, size = conv.output_size(28, grid.shape[0], stride, padding), grid.shape[0]
        last = side * side - 1
        now = place_now()
        at = min(now + (1 if playing else 0), last)
        if at != now:  # Play moves the window on; a smaller map than before brings it back inside
            st.session_state[AT.key] = at
        _step_buttons(last, conv.inked_places(image, size, stride, padding))
        position = divmod(int(draw(AT)), side)
        before, after = conv.padding_amounts(28, size, stride, padding)
        picture, feature = st.columns(2)
        picture.image(
            pictures.with_window(image, before, after, (position[0] * stride, position[1] * stride), size),
            alt=_(
                "The digit with the {size} by {size} window at row {row}, column {column} of the padded picture"
            ).format(size=size, row=position[0] * stride, column=position[1] * stride),
            caption=(
                _(
                    "Your digit, 28 × 28 with its padding (grey, outside the dotted line), and the {size} × {size} window"
                )
                if before + after
                else _("Your digit, 28 × 28, and the {size} × {size} window")
            ).format(size=size),
        )
        feature.image(
            pictures.map_so_far(conv.feature_map(image, grid, bias, stride, padding), at + 1),
            caption=_("The feature map so far"),
            alt=_("The feature map, its first {count} places computed").format(count=at + 1),
        )
        done = _("The feature map, {side} × {side}: {done} of {places} places done (grey: not computed yet).")
        st.caption(done.format(side=side, done=at + 1, places=last + 1))
        _arithmetic(conv.window(image, grid, stride, padding, position)[0], grid, bias, position)

    view()


def pooling(feature):
    """The feature map beside its max-pooled and average-pooled maps, and the 2 × 2 pooling window
    under the filter's place: its four numbers, the largest kept by max pooling, their mean by
    average pooling."""
    pooled_side = feature.shape[0] // conv.POOL
    if not pooled_side:
        return
    at = divmod(place_now(), feature.shape[0])
    row, column = (min(at[0] // conv.POOL, pooled_side - 1), min(at[1] // conv.POOL, pooled_side - 1))
    whole, maxed, averaged = st.columns(3)
    whole.image(
        pictures.with_pool_window(feature, (row, column), conv.POOL, side=168),
        caption=_("The feature map, and the 2 × 2 window under the filter's place"),
        alt=_("The feature map with the pooling window at row {row}, column {column} of the pooled map").format(
            row=row, column=column
        ),
    )
    maxed.image(
        pictures.scaled(conv.pool(feature)),
        caption=_("Max pooled, {side} × {side}").format(side=pooled_side),
        alt=_("The max-pooled map"),
    )
    averaged.image(
        pictures.scaled(conv.pool(feature, "mean")), caption=_("Average pooled"), alt=_("The average-pooled map")
    )
    four = feature[row * conv.POOL : (row + 1) * conv.POOL, column * conv.POOL : (column + 1) * conv.POOL]
    left, right = st.columns([1, 2])
    left.latex(matrix(four, 3))
    kept = _(
        "Max pooling keeps **{largest}**, the largest of the four; average pooling keeps their mean, "
        "({sum}) / 4 = **{mean}**."
    )
    total = " + ".join(f"{value:.3f}" for value in four.ravel())  # as the matrix beside it writes them
    right.markdown(kept.format(largest=f"{four.max():.3f}", sum=total, mean=f"{four.mean():.3f}"))


def trained_filters(network, image):
    """The handwriting network's 16 first-layer filters on the digit, and how exactly they match
    what the served network's first layer computes."""
    kernels, biases = network.weights["kernel_0"], network.weights["bias_0"]
    maps = conv.filter_maps(image, kernels, biases)
    served = network.look(image).activations[0][1]
    st.image(
        map_grid(maps),
        alt=_("The 16 feature maps of the trained filters"),
        caption=_("The 16 feature maps, one per filter, in the filters' order (white: the filter fired strongly)"),
    )
    same = _(
        'These are the numbers the handwriting page\'s "Look inside" shows as its first layer: the largest '
        "difference between them and the served network's own is **{difference}** (the network computes in "
        "32-bit numbers)."
    )
    st.markdown(same.format(difference=f"{float(np.abs(maps - served).max()):.1e}"))
    with st.expander(_("The 16 filters' weights and biases"), icon=":material/table:"):
        for index, column in zip(range(kernels.shape[-1]), st.columns(4) * 4):
            column.latex(
                rf"\text{{{index + 1}}}: " + matrix(kernels[:, :, 0, index], 2) + rf",\ b = {number(biases[index], 2)}"
            )


def edge_maps(image):
    """The vertical and the horizontal edge's feature maps of the digit side by side, with their sums."""
    for column, name in zip(st.columns(2), conv.NAMED[:2]):
        feature = conv.feature_map(image, conv.kernel(name, 3), 0.0, 1, "same")
        column.image(
            pictures.scaled(feature),
            caption=_("{name}: the map's values add up to {total}").format(
                name=_(name), total=i18n.number(feature.sum(), 1)
            ),
            alt=_("The {name} filter's feature map of the digit").format(name=_(name)),
        )


def enlarged(image):
    st.image(
        enlarge(image), caption=_("Your digit, 28 × 28, as the network reads it"), alt=_("Your digit, 28 by 28 pixels")
    )


def moved(image, grid, bias, shift):
    """The digit moved `shift` pixels right: its feature map beside the old map moved the same way
    (equal away from the edges), and a dense layer's 16 outputs before and after (all changed)."""
    moved_digit = conv.shifted(image, 0, shift)
    new_map = conv.feature_map(moved_digit, grid, bias, 1, "same")
    old_moved = conv.shifted(conv.feature_map(image, grid, bias, 1, "same"), 0, shift)
    inner = (slice(4, 24), slice(4, 24))  # away from the edges, where zeros came in
    before, after = conv.dense_outputs(image), conv.dense_outputs(moved_digit)
    anywhere = i18n.ngettext(
        "**The same pattern found anywhere.** Move the digit {shift} pixel right: its feature map moves with it "
        "(away from the edges, the largest difference from the old map moved is {difference}). A dense layer's 16 "
        "outputs, on the other hand (random weights, as Keras starts one), change by {change}:",
        "**The same pattern found anywhere.** Move the digit {shift} pixels right: its feature map moves with it "
        "(away from the edges, the largest difference from the old map moved is {difference}). A dense layer's 16 "
        "outputs, on the other hand (random weights, as Keras starts one), change by {change}:",
        shift,
    )
    difference = i18n.number(float(np.abs(new_map - old_moved)[inner].max()), significant=3)
    st.markdown(
        anywhere.format(shift=shift, difference=difference, change=percent(conv.relative_change(before, after)))
    )
    maps, numbers = st.columns([1, 1], gap="large")
    for column, (picture, caption) in zip(
        maps.columns(2), ((new_map, _("The moved digit's map")), (old_moved, _("The old map, moved")))
    ):
        column.image(pictures.scaled(picture), caption=caption, alt=caption)
    numbers.dataframe(
        pd.DataFrame({_("neuron"): range(1, 17), _("before"): before.round(3), _("after the move"): after.round(3)}),
        hide_index=True,
        height=220,
    )
