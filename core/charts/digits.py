"""Altair charts and image helpers for the handwriting lesson."""

import numpy as np
from PIL import Image

from core.charts.palette import BEST, CURRENT, MISTAKE, MUTED, NEGATIVE, POSITIVE, WHITE, rgb
from core.i18n import N_, _
from core.libraries import alt, pd

DESCRIBED = {  # a learning curve's description, per measure
    "loss": N_("Training (solid) and validation (dashed) loss after each epoch."),
    "accuracy": N_("Training (solid) and validation (dashed) accuracy after each epoch."),
}


def history_chart(history, measure, height=260):
    """Return `measure` ("loss" or "accuracy") per epoch, training against validation. Each measure
    is a chart of its own, so that each can fill the column it is drawn in; `height` is its plot
    area's, in pixels (taller on a projector)."""
    sets = [_("training"), _("validation")]
    rows = [
        {"epoch": epoch, "value": value, "set": label}
        for name, label in zip((measure, f"val_{measure}"), sets)
        for epoch, value in enumerate(history.get(name, []), start=1)
    ]
    data = pd.DataFrame(rows, columns=["epoch", "value", "set"])
    colors = alt.Scale(domain=sets, range=[CURRENT, BEST])
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("epoch:Q", title=_("epoch"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=_(measure), scale=alt.Scale(zero=False)),
            color=alt.Color("set:N", scale=colors, title=None, legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("set:N", scale=alt.Scale(domain=sets, range=[[1, 0], [6, 4]]), legend=None),
            tooltip=[
                alt.Tooltip("epoch", title=_("epoch")),
                alt.Tooltip("set", title=_("set")),
                alt.Tooltip("value:Q", title=_(measure), format=".4f"),
            ],
        )
        .properties(height=height, description=_(DESCRIBED[measure]))
    )


def probability_bars(probabilities):
    """Return a bar per digit 0–9 with the network's probability written on it, the top one
    highlighted."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "probability": probabilities})
    top = str(int(np.argmax(probabilities)))
    base = alt.Chart(data).encode(
        x=alt.X("digit:N", title=_("digit"), sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("probability:Q", title=_("probability"), scale=alt.Scale(domain=[0, 1])),
    )
    bars = base.mark_bar().encode(
        color=alt.condition(alt.datum.digit == top, alt.value(CURRENT), alt.value(MUTED)),
        tooltip=[
            alt.Tooltip("digit", title=_("digit")),
            alt.Tooltip("probability:Q", title=_("probability"), format=".3f"),
        ],
    )
    words = base.mark_text(dy=-8, fontSize=11).encode(text=alt.Text("probability:Q", format=".0%"))
    return (bars + words).properties(
        height=220,
        description=_("The network's probability for each digit; the highest, {top}, is highlighted.").format(top=top),
    )


CELL = "cell"  # the confusion matrix's selection: the cell clicked, by its true digit and its reading


def confusion_chart(confusion):
    """Return the confusion matrix as a heat map: rows true digits, columns predictions. A click
    on a cell selects it (the selection CELL, by "true digit" and "predicted")."""
    matrix = np.asarray(confusion)
    true_digit, predicted = np.meshgrid(range(10), range(10), indexing="ij")
    data = pd.DataFrame(
        {
            "true digit": true_digit.ravel().astype(str),
            "predicted": predicted.ravel().astype(str),
            "count": matrix.ravel(),
            "off diagonal": (true_digit != predicted).ravel(),
        }
    )
    read, written, count = _("read as"), _("true digit"), _("count")
    base = alt.Chart(data).encode(
        x=alt.X("predicted:N", title=read, axis=alt.Axis(labelAngle=0)), y=alt.Y("true digit:N", title=written)
    )
    cells = (
        base.mark_rect(cursor="pointer")
        .encode(
            color=alt.Color("count:Q", title=count, scale=alt.Scale(type="symlog", scheme="blues")),
            tooltip=[
                alt.Tooltip("true digit", title=written),
                alt.Tooltip("predicted", title=read),
                alt.Tooltip("count", title=count),
            ],
        )
        .add_params(alt.selection_point(name=CELL, fields=["true digit", "predicted"], on="click"))
    )
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q"), color=alt.condition(alt.datum["off diagonal"], alt.value(MISTAKE), alt.value(WHITE))
    )
    return (cells + text).properties(
        height=380,
        description=_(
            "How many digits of each true digit (rows) were read as each digit (columns); the diagonal are the "
            "right answers, the counts off it (in red) are mistakes. Choose a cell to see its digits."
        ),
    )


def per_class_chart(per_class):
    """Return accuracy per true digit as bars."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "accuracy": per_class})
    # The axis starts just below the worst digit, so small differences show; each bar starts at the
    # axis's foot (y2), not at 0, which lies outside the chart.
    low = max(0.0, float(np.floor((min(per_class) - 0.01) * 100) / 100))
    return (
        alt.Chart(data)
        .mark_bar(color=BEST)
        .encode(
            x=alt.X("digit:N", title=_("digit"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "accuracy:Q",
                scale=alt.Scale(domain=[low, 1.0], nice=False, clamp=True),
                axis=alt.Axis(format=".1%", title=_("accuracy")),
            ),
            y2=alt.datum(low),
            tooltip=[
                alt.Tooltip("digit", title=_("digit")),
                alt.Tooltip("accuracy:Q", title=_("accuracy"), format=".2%"),
            ],
        )
        .properties(height=380, description=_("Accuracy on the test digits of each class, 0 to 9."))
    )


def enlarge(image, size=140):
    """Return an image in [0, 1] (such as 28 × 28) as a crisp 8-bit grayscale PIL image whose
    longer side is `size` px."""
    pixels = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    scale = size / max(pixels.shape)
    width, height = max(1, round(pixels.shape[1] * scale)), max(1, round(pixels.shape[0] * scale))
    return Image.fromarray(pixels).resize((width, height), Image.Resampling.NEAREST)


def sample_grid(images, labels, per_class=10, seed=0):
    """Return one (10·28, per_class·28) image: a row of random examples for each digit 0–9."""
    rng = np.random.default_rng(seed)
    rows = []
    for digit in range(10):
        chosen = rng.choice(np.flatnonzero(labels == digit), size=per_class, replace=False)
        rows.append(np.hstack([images[i] for i in chosen]))
    return np.vstack(rows)


def _unit(colour):
    """Return a palette colour as an RGB vector in [0, 1]."""
    return np.array(rgb(colour)) / 255


def _grey_to_rgb(gray):
    return np.repeat((np.clip(gray, 0, 1) * 255).astype(np.uint8)[..., None], 3, axis=2)


def with_box(ink, box, size=196):
    """Return the whole drawing, its longer side shrunk to `size` px, with the ink's bounding box
    drawn in red."""
    scale = size / max(ink.shape)
    width, height = max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale))
    pixels = np.asarray(Image.fromarray(_grey_to_rgb(ink)).resize((width, height), Image.Resampling.BILINEAR)).copy()
    top, bottom, left, right = (int(value * scale) for value in box)
    bottom, right = min(height - 1, bottom), min(width - 1, right)
    red = np.array(rgb(CURRENT), dtype=np.uint8)
    for thickness in range(2):
        pixels[min(top + thickness, height - 1), left : right + 1] = red
        pixels[max(bottom - thickness, 0), left : right + 1] = red
        pixels[top : bottom + 1, min(left + thickness, width - 1)] = red
        pixels[top : bottom + 1, max(right - thickness, 0)] = red
    return Image.fromarray(pixels)


def with_centre(image, size=196):
    """Return a 28×28 image enlarged, with its centre of mass (red) and the field's centre (white
    cross) marked."""
    from scipy import ndimage

    pixels = np.asarray(Image.fromarray(_grey_to_rgb(image)).resize((size, size), Image.Resampling.NEAREST)).copy()
    scale = size / image.shape[0]
    row, column = ndimage.center_of_mass(image) if image.sum() > 0 else ((image.shape[0] - 1) / 2,) * 2
    middle = int(size / 2)
    pixels[middle, middle - 6 : middle + 7] = 255
    pixels[middle - 6 : middle + 7, middle] = 255
    y, x = int((row + 0.5) * scale), int((column + 0.5) * scale)
    pixels[max(0, y - 3) : y + 4, max(0, x - 3) : x + 4] = rgb(CURRENT)
    return Image.fromarray(pixels)


def describe_shift(shift):
    """Say in words how far a (rows, columns) shift moved a digit, e.g. "3 px down, 1 px left"."""
    rows, columns = shift
    parts = [
        (_("{count} px down") if rows > 0 else _("{count} px up")).format(count=abs(rows)) if rows else "",
        (_("{count} px right") if columns > 0 else _("{count} px left")).format(count=abs(columns)) if columns else "",
    ]
    return ", ".join(part for part in parts if part) or _("not at all: already centred")


def diverging(values, size=None):
    """Return an array as a blue (negative) – white – red (positive) picture, scaled to its own
    largest magnitude, optionally enlarged to `size` px square."""
    values = np.asarray(values, dtype=np.float32)
    scaled = values / max(float(np.abs(values).max()), 1e-12)
    positive, negative = np.clip(scaled, 0, 1)[..., None], np.clip(-scaled, 0, 1)[..., None]
    white = np.ones(values.shape + (3,), dtype=np.float32)
    rgb_values = white + positive * (_unit(POSITIVE) - 1) + negative * (_unit(NEGATIVE) - 1)
    picture = Image.fromarray((np.clip(rgb_values, 0, 1) * 255).astype(np.uint8))
    return picture.resize((size, size), Image.Resampling.NEAREST) if size else picture


def saliency_sides(saliency, size=98):
    """Return two grey pictures, the pixels that pushed the prediction up and those that pushed it
    down, each white where it pushed most: the same as the overlay, without relying on colour."""
    scaled = saliency / max(float(np.abs(saliency).max()), 1e-12)
    return [enlarge(np.clip(side, 0, 1), size) for side in (scaled, -scaled)]


def saliency_overlay(image, saliency, size=196):
    """Return the digit in grey with red where its ink pushed the prediction up (gradient × input
    above zero) and blue where it pushed it down."""
    base = np.clip(image, 0, 1)[..., None] * 0.45
    scaled = saliency / max(float(np.abs(saliency).max()), 1e-12)
    up, down = np.clip(scaled, 0, 1)[..., None], np.clip(-scaled, 0, 1)[..., None]
    rgb_values = base + up * _unit(POSITIVE) + down * _unit(NEGATIVE)
    picture = Image.fromarray((np.clip(rgb_values, 0, 1) * 255).astype(np.uint8))
    return picture.resize((size, size), Image.Resampling.NEAREST)


def map_grid(maps, columns=8, cell=56, gap=4):
    """Return (h, w, n) feature maps as one grey picture: a cell per map, all on the layer's one
    scale (black at the layer's lowest value, white at its highest), so a light cell means a filter
    that fired strongly next to the others, and a dark one a filter that found little."""
    maps = np.asarray(maps, dtype=np.float32)
    count = maps.shape[-1]
    low, span = float(maps.min()), float(maps.max() - maps.min())
    rows = int(np.ceil(count / columns))
    sheet = np.full((rows * (cell + gap) - gap, columns * (cell + gap) - gap), 0.25, dtype=np.float32)
    for number in range(count):
        values = maps[..., number]
        normalised = (values - low) / span if span > 0 else np.zeros_like(values)
        big = np.asarray(Image.fromarray(normalised).resize((cell, cell), Image.Resampling.NEAREST))
        row, column = divmod(number, columns)
        sheet[row * (cell + gap) : row * (cell + gap) + cell, column * (cell + gap) : column * (cell + gap) + cell] = (
            big
        )
    return Image.fromarray((np.clip(sheet, 0, 1) * 255).astype(np.uint8))


def activation_bars(values, highlighted=()):
    """Return a bar per hidden neuron with its activation, the highlighted ones in colour."""
    data = pd.DataFrame(
        {
            "neuron": np.arange(1, len(values) + 1),
            "activation": np.asarray(values, dtype=float),
            "top": [i in set(highlighted) for i in range(len(values))],
        }
    )
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("neuron:O", axis=alt.Axis(labelAngle=0, labelOverlap=True)),
            y=alt.Y("activation:Q"),
            color=alt.condition(alt.datum.top, alt.value(CURRENT), alt.value(MUTED)),
            tooltip=[alt.Tooltip("neuron:O"), alt.Tooltip("activation:Q", format=".3f")],
        )
        .properties(height=200)
    )
