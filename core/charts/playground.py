"""Altair charts and small images for the hidden-layers playground."""

import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from core.charts.concepts import grid_cells
from core.charts.palette import (
    BEST,
    CLASS_0,
    CLASS_0_EDGE,
    CLASS_1,
    CLASS_1_EDGE,
    CLASS_2,
    CLASS_2_EDGE,
    CLASS_3,
    CLASS_3_EDGE,
    CURRENT,
    INK,
    PAPER,
    rgb,
)
from core.i18n import _
from core.lessons.playground_data import EXTENT

SQUARE = alt.Scale(domain=[-EXTENT, EXTENT], nice=False)


SPOT = "spot"  # the selection a click on the plane makes: where to add a point
SHAPES = ["circle", "square", "triangle-up", "diamond"]  # the second cue beside each class's colour
FILLS = [CLASS_0, CLASS_1, CLASS_2, CLASS_3]
EDGES = [CLASS_0_EDGE, CLASS_1_EDGE, CLASS_2_EDGE, CLASS_3_EDGE]
VALUES = alt.Scale(domain=[-1, 0, 1], range=[CLASS_0, PAPER, CLASS_1], clamp=True)  # regression: low to high


def _heat(grid, classes):
    """The network's answer over the plane, clickable (selection SPOT, fields x1 and x2)."""
    if "value" in grid:
        color, opacity = alt.Color("value:Q", title=_("number"), scale=VALUES), alt.value(0.75)
    elif "class" in grid:
        color = alt.Color(
            "class:N", title=_("predicted class"), scale=alt.Scale(domain=list(range(classes)), range=FILLS[:classes])
        )
        opacity = alt.Opacity(
            "confidence:Q",
            title=_("how sure"),
            scale=alt.Scale(domain=[1 / classes, 1], range=[0.05, 0.85], clamp=True),
        )
    else:
        color = alt.Color(
            "probability:Q", title=_("output"), scale=alt.Scale(domain=[0, 0.5, 1], range=[CLASS_0, PAPER, CLASS_1])
        )
        opacity = alt.value(0.75)
    return grid_cells(
        grid, "x1", "x2", scale=SQUARE, mark={"cursor": "crosshair"}, color=color, opacity=opacity
    ).add_params(alt.selection_point(name=SPOT, fields=["x1", "x2"], on="click", clear=False, empty=False))


def _points(data, classes):
    """Training points filled, test points hollow; classes by colour and shape, numbers by colour."""
    training, test, kind = _("training"), _("test"), alt.Tooltip("set:N", title=_("set"))
    points = pd.concat(
        [
            pd.DataFrame({"x1": data.X_train[:, 0], "x2": data.X_train[:, 1], "label": data.y_train, "set": training}),
            pd.DataFrame({"x1": data.X_test[:, 0], "x2": data.X_test[:, 1], "label": data.y_test, "set": test}),
        ]
    )
    hollow = alt.FillOpacity(
        "set:N", scale=alt.Scale(domain=[training, test], range=[1, 0]), title=_("filled: training, hollow: test")
    )
    position = dict(x=alt.X("x1:Q", scale=SQUARE), y=alt.Y("x2:Q", scale=SQUARE), fillOpacity=hollow)
    if not classes:
        return (
            alt.Chart(points)
            .mark_point(size=36, strokeWidth=1, shape="circle", color=INK)
            .encode(
                **position,
                fill=alt.Fill("label:Q", scale=VALUES, legend=None),  # the plane's legend reads for both
                tooltip=[kind, alt.Tooltip("label:Q", title=_("value"), format=".2f")],
            )
        )
    domain = list(range(classes))
    return (
        alt.Chart(points)
        .mark_point(size=36, strokeWidth=1.5)
        .encode(
            **position,
            color=alt.Color("label:N", scale=alt.Scale(domain=domain, range=EDGES[:classes]), title=_("class")),
            shape=alt.Shape("label:N", scale=alt.Scale(domain=domain, range=SHAPES[:classes]), title=_("class")),
            fill=alt.Fill("label:N", scale=alt.Scale(domain=domain, range=FILLS[:classes]), legend=None),
            tooltip=[kind, alt.Tooltip("label:N", title=_("class"))],
        )
    )


def boundary(grid, data, classes=2):
    """Return the network's answer over the plane (two classes: the probability of class 1; more:
    the likeliest class, fainter where it is unsure; regression, `classes` 0: the predicted number)
    with the training (filled) and test (hollow) points. A click on the plane selects the grid cell
    under it: selection SPOT, fields x1 and x2."""
    shapes = [_("class 0 circles"), _("class 1 squares"), _("class 2 triangles"), _("class 3 diamonds")]
    if not classes:
        words = _(
            "The predicted number over the plane, orange for low through white to blue for high, with the "
            "points coloured by their own numbers"
        )
    else:
        words = _("The network's answer over the plane, one colour per class, with the points: {shapes}").format(
            shapes=", ".join(shapes[:classes])
        )
    ending = _("filled points were trained on, hollow ones are test points. Click the plane to add a point.")
    return (
        (_heat(grid, classes) + _points(data, classes))
        .resolve_scale(color="independent")
        .properties(height=420, description=f"{words}; {ending}")
    )


def _losses(history, run):
    table = pd.DataFrame(
        {
            "epoch": np.arange(1, len(history["train_loss"]) + 1),
            _("training"): history["train_loss"],
            _("test"): history["test_loss"],
        }
    )
    return table.melt("epoch", var_name="set", value_name="loss").assign(run=run)


def loss_curves(history, previous=None, loss_name="log loss"):
    """Return training and test loss per epoch; with `previous` (an earlier run's history), that
    run's curves too, faded, for comparison."""
    runs, sets = [_("this run"), _("previous run")], [_("training"), _("test")]
    long = pd.concat([_losses(history, runs[0])] + ([_losses(previous, runs[1])] if previous else []))
    return (
        alt.Chart(long)
        .mark_line()
        .encode(
            x=alt.X("epoch:Q", title=_("epoch")),
            y=alt.Y("loss:Q", title=_("loss ({name})").format(name=_(loss_name)), scale=alt.Scale(zero=True)),
            color=alt.Color(
                "set:N",
                scale=alt.Scale(domain=sets, range=[CURRENT, BEST]),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash("set:N", scale=alt.Scale(domain=sets, range=[[1, 0], [6, 4]]), legend=None),
            opacity=alt.Opacity("run:N", scale=alt.Scale(domain=runs, range=[1, 0.3]), legend=None),  # said below it
            detail="run:N",
            tooltip=[
                alt.Tooltip("run:N", title=_("run")),
                alt.Tooltip("epoch:Q", title=_("epoch")),
                alt.Tooltip("set:N", title=_("set")),
                alt.Tooltip("loss:Q", title=_("loss"), format=".4f"),
            ],
        )
        .properties(
            height=200,
            description=_(
                "Training (solid) and test (dashed) loss after each epoch; the previous run from the same start is drawn faded."
            )
            if previous
            else _("Training (solid) and test (dashed) loss after each epoch."),
        )
    )


def _height(index, size):
    """Where neuron `index` of a layer of `size` sits: the layer centred on 0."""
    return (size - 1) / 2 - index


def _connections(coefs, positive, negative):
    """Every weight as a line from its neuron in one layer to its neuron in the next."""
    return pd.DataFrame(
        [
            {
                "x": layer,
                "x2": layer + 1,
                "y": _height(i, weights.shape[0]),
                "y2": _height(j, weights.shape[1]),
                "weight": float(weights[i, j]),
                "size": float(abs(weights[i, j])),
                "sign": positive if weights[i, j] >= 0 else negative,
            }
            for layer, weights in enumerate(coefs)
            for i in range(weights.shape[0])
            for j in range(weights.shape[1])
        ]
    )


def _neurons(layer_sizes, input_names):
    """Every neuron's place, the inputs named."""
    return pd.DataFrame(
        [
            {"layer": layer, "y": _height(i, size), "name": input_names[i] if layer == 0 else ""}
            for layer, size in enumerate(layer_sizes)
            for i in range(size)
        ]
    )


def network(layer_sizes, coefs, input_names):
    """Return a diagram of the network: neurons per layer, and each connection coloured by the
    sign of its weight (blue +, orange −) with thickness by its size."""
    positive, negative = _("positive"), _("negative")
    signs = {"domain": [positive, negative], "range": [CLASS_1, CLASS_0]}
    edges = _connections(coefs, positive, negative)
    largest = max(float(edges["size"].max()), 1e-9)
    lines = (
        alt.Chart(edges)
        .mark_rule(opacity=0.8)
        .encode(
            x=alt.X("x:Q", axis=None),
            x2=alt.X2("x2:Q"),
            y=alt.Y("y:Q", axis=None),
            y2=alt.Y2("y2:Q"),
            color=alt.Color("sign:N", scale=alt.Scale(**signs), title=_("weight")),
            strokeDash=alt.StrokeDash(
                "sign:N", scale=alt.Scale(**{**signs, "range": [[1, 0], [4, 3]]}), title=_("weight")
            ),
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(domain=[0, largest], range=[0.3, 6]), legend=None),
            tooltip=[alt.Tooltip("weight:Q", title=_("weight"), format=".3f")],
        )
    )
    nodes = _neurons(layer_sizes, input_names)
    circles = alt.Chart(nodes).mark_circle(size=260, color=INK, opacity=1).encode(x=alt.X("layer:Q"), y=alt.Y("y:Q"))
    names = (
        alt.Chart(nodes)
        .mark_text(dx=-14, align="right", fontSize=12)
        .encode(x=alt.X("layer:Q"), y=alt.Y("y:Q"), text=alt.Text("name:N"))
    )
    return (lines + circles + names).properties(
        height=max(160, 26 * max(layer_sizes)),
        description=_(
            "The network's neurons, layer by layer, with every weight as a line: solid blue for a positive "
            "weight, dashed orange for a negative one, thicker for a larger one."
        ),
    )


def neuron_image(values, size=72):
    """Return one hidden neuron's output over the plane as a small image: blue where it is high,
    orange where it is low, white in between (scaled to the neuron's own range)."""
    low, high = float(np.min(values)), float(np.max(values))
    t = (values - low) / (high - low) if high > low else np.full_like(values, 0.5)
    orange, white, blue = (np.array(rgb(colour)) for colour in (CLASS_0, PAPER, CLASS_1))
    t = t[..., None]
    pixels = np.where(t < 0.5, orange + (white - orange) * (t * 2), white + (blue - white) * ((t - 0.5) * 2))
    return Image.fromarray(pixels.astype(np.uint8)).resize((size, size), Image.Resampling.NEAREST)
