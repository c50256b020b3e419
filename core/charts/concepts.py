"""Altair chart builders for the concept lessons. Pages call these; they never build charts."""

import altair as alt
import numpy as np
import pandas as pd

from core.charts.palette import BEST, CURRENT, FADED, INK
from core.i18n import _
from core.lessons import neuron, perceptron, regression


def grid_cells(table, x, y, scale=None, titles=None, mark=None, **encoding):
    """Return one rectangle per point of the regular grid table[x], table[y], with the other
    channels (color, tooltip…) given as `encoding`.

    Cell edges are computed in the browser, so only the table's own columns travel with the chart.
    The cells are left out of the page's accessibility tree (`aria=False`): a screen reader would
    otherwise announce thousands of rectangles one by one. The chart's `description` says in words
    what they show, and its axes keep their labels.
    """
    half = {}
    for column in (x, y):
        values = np.unique(table[column])
        half[column] = float(values[1] - values[0]) / 2 if len(values) > 1 else 0.5
    scale = scale or alt.Scale(nice=False, zero=False)
    x_title, y_title = titles or (x, y)
    return (
        alt.Chart(table)
        .transform_calculate(
            x_lo=f"datum['{x}'] - {half[x]}",
            x_hi=f"datum['{x}'] + {half[x]}",
            y_lo=f"datum['{y}'] - {half[y]}",
            y_hi=f"datum['{y}'] + {half[y]}",
        )
        .mark_rect(**{"aria": False, **(mark or {})})
        .encode(
            x=alt.X("x_lo:Q", title=x_title, scale=scale),
            x2=alt.X2("x_hi:Q"),
            y=alt.Y("y_lo:Q", title=y_title, scale=scale),
            y2=alt.Y2("y_hi:Q"),
            **encoding,
        )
    )


def heatmap(table, x, y, value, title=None, scheme="viridis", scale_type="symlog"):
    """Return a filled heat map of table[value] over the regular grid table[x], table[y]."""
    return grid_cells(
        table[[x, y, value]],
        x,
        y,
        color=alt.Color(f"{value}:Q", title=title or value, scale=alt.Scale(scheme=scheme, type=scale_type)),
        tooltip=[
            alt.Tooltip(f"{x}:Q", format=".2f"),
            alt.Tooltip(f"{y}:Q", format=".2f"),
            alt.Tooltip(f"{value}:Q", format=".3f"),
        ],
    )


def marker(x_value, y_value, label, color, x="x", y="y", shape="circle"):
    """Return one labelled point, e.g. "you are here" on a map."""
    data = pd.DataFrame({x: [x_value], y: [y_value], "label": [label]})
    base = alt.Chart(data).encode(x=alt.X(f"{x}:Q"), y=alt.Y(f"{y}:Q"))
    point = base.mark_point(shape=shape, size=220, filled=True, color=color, stroke="white", strokeWidth=1.5)
    text = base.mark_text(align="left", dx=10, dy=-10, fontWeight="bold", color=color).encode(text=alt.Text("label"))
    return point + text


def _two_lines(m, b, best):
    """The learner's line (solid) and the least-squares line (dashed) across the chart."""
    xs = np.array([0.0, 5.0])
    yours, fitted = _("your line"), _("best fit (least squares)")
    lines = pd.concat(
        [
            pd.DataFrame({"x": xs, "y": regression.predict(m, b, xs), "line": yours}),
            pd.DataFrame({"x": xs, "y": regression.predict(*best, xs), "line": fitted}),
        ]
    )
    return (
        alt.Chart(lines)
        .mark_line(strokeWidth=3)
        .encode(
            x=alt.X("x:Q"),
            y=alt.Y("y:Q"),
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=[yours, fitted], range=[CURRENT, BEST]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                legend=None,
                scale=alt.Scale(domain=[yours, fitted], range=[[1, 0], [6, 4]]),
            ),
        )
    )


def line_fit(x, y, m, b, best):
    """Return the data, the learner's line with a residual segment per point, and the best line."""
    y_hat = regression.predict(m, b, x)
    points = pd.DataFrame({"x": x, "y": y, "y_hat": y_hat, "error": y - y_hat})
    residuals = (
        alt.Chart(points)
        .mark_rule(color=CURRENT, strokeDash=[3, 2])
        .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), y2=alt.Y2("y_hat:Q"))
    )
    dots = (
        alt.Chart(points)
        .mark_circle(size=70, color=INK, opacity=0.9)
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y"),
            tooltip=[
                alt.Tooltip("x:Q", format=".2f"),
                alt.Tooltip("y:Q", format=".2f"),
                alt.Tooltip("y_hat:Q", title="ŷ", format=".2f"),
                alt.Tooltip("error:Q", title="y − ŷ", format=".2f"),
            ],
        )
    )
    drawn = _two_lines(m, b, best)
    return (residuals + drawn + dots).properties(
        height=340,
        description=_(
            "The data points, your line (solid) with each point's error as a dashed segment, and the best line (dashed)."
        ),
    )


def loss_surface(grid, current, best):
    """Return the MSE over (m, b) with the learner's line and the best line marked."""
    return (
        heatmap(grid, "m", "b", "mse", title=_("mean squared error"))
        + marker(*current, _("you"), CURRENT, x="m", y="b")
        + marker(*best, _("best"), BEST, x="m", y="b", shape="diamond")
    ).properties(
        height=340,
        description=_(
            "The mean squared error for every slope m and intercept b, darker where it is "
            "lower, with your line (circle, 'you') and the best line (diamond, 'best') marked."
        ),
    )


def _four_inputs(w, b, go, stay, colors, decided):
    """The four yes/no inputs, each marked by its decision (colour and shape) and labelled with its z."""
    rows = pd.DataFrame(perceptron.truth_table(w, b))
    rows["decision"] = np.where(rows["output"] == 1, go, stay)
    said = {1: _("go"), 0: _("stay")}
    rows["label"] = [f"({r.x1},{r.x2}) z={r.z:g}: {said[r.output]}" for r in rows.itertuples()]
    points = (
        alt.Chart(rows)
        .mark_point(size=260, stroke=INK, strokeWidth=2, opacity=1, filled=True)
        .encode(
            x=alt.X("x1:Q"),
            y=alt.Y("x2:Q"),
            color=alt.Color("decision:N", scale=colors),
            shape=alt.Shape(
                "decision:N",
                scale=alt.Scale(domain=[go, stay], range=["triangle-up", "circle"]),
                title=decided,
            ),
            tooltip=[alt.Tooltip("x1"), alt.Tooltip("x2"), alt.Tooltip("z"), alt.Tooltip("output")],
        )
    )
    labels = (
        alt.Chart(rows)
        .mark_text(dy=-18, fontWeight="bold", color=INK)
        .encode(x=alt.X("x1:Q"), y=alt.Y("x2:Q"), text=alt.Text("label:N"))
    )
    return points, labels


def _boundary(w, b):
    """The line w1·x1 + w2·x2 + b = 0 where the decision changes: one layer, or none when both weights are 0."""
    if w[1] != 0:  # the boundary x2 = −(w1·x1 + b)/w2, clipped to the square
        x1 = np.linspace(-0.5, 1.5, 50)
        boundary = pd.DataFrame({"x1": x1, "x2": -(w[0] * x1 + b) / w[1]})
        return (
            alt.Chart(boundary).mark_line(color=INK, strokeWidth=2, clip=True).encode(x=alt.X("x1:Q"), y=alt.Y("x2:Q")),
        )
    if w[0] != 0:  # an upright line, x1 = −b/w1
        return (
            alt.Chart(pd.DataFrame({"x1": [-b / w[0]]})).mark_rule(color=INK, strokeWidth=2).encode(x=alt.X("x1:Q")),
        )
    return ()


def perceptron_square(w, b):
    """Return the x1–x2 square shaded by the decision, the line w1·x1 + w2·x2 + b = 0 and the
    four binary inputs."""
    grid = np.linspace(-0.5, 1.5, 33)
    g1, g2 = np.meshgrid(grid, grid, indexing="ij")
    decision = perceptron.decide(np.column_stack([g1.ravel(), g2.ravel()]), w, b)
    go, stay, decided = _("go (1)"), _("stay (0)"), _("decision")
    regions = pd.DataFrame({"x1": g1.ravel(), "x2": g2.ravel(), "decision": np.where(decision == 1, go, stay)})
    colors = alt.Scale(domain=[go, stay], range=[BEST, FADED])
    shading = grid_cells(
        regions,
        "x1",
        "x2",
        scale=alt.Scale(domain=[-0.5, 1.5], nice=False),
        titles=(_("x1 (ticket under $1,000)"), _("x2 (partner can come)")),
        mark={"opacity": 0.35, "clip": True},
        color=alt.Color("decision:N", scale=colors, title=decided),
    )
    return alt.layer(shading, *_four_inputs(w, b, go, stay, colors, decided), *_boundary(w, b)).properties(
        height=380,
        description=_(
            "The square of inputs x1 and x2, shaded where the perceptron says go, with the boundary line and the four "
            "yes/no inputs, each labelled with its z and its answer."
        ),
    )


def mistakes_per_epoch(run):
    """Return a bar chart of how many of the four inputs were misclassified in each epoch."""
    data = pd.DataFrame({"epoch": np.arange(1, len(run.mistakes_) + 1), "mistakes": run.mistakes_})
    return (
        alt.Chart(data)
        .mark_bar(color=CURRENT)
        .encode(
            x=alt.X("epoch:O", title=_("epoch")),
            y=alt.Y("mistakes:Q", scale=alt.Scale(domain=[0, 4]), title=_("mistakes in epoch")),
        )
        .properties(height=220, description=_("How many of the four inputs the rule got wrong in each epoch."))
    )


def sigmoid_vs_step(steepness, z):
    """Return σ(k·z) and the step function over z, with the neuron's own z marked on σ."""
    zs = np.linspace(-8, 8, 321)
    curves = pd.concat(
        [
            pd.DataFrame({"z": zs, "output": neuron.step(zs), "curve": _("step (perceptron)")}),
            pd.DataFrame({"z": zs, "output": neuron.sigmoid(steepness * zs), "curve": f"σ({steepness:g}·z)"}),
        ]
    )
    lines = (
        alt.Chart(curves)
        .mark_line(strokeWidth=3, interpolate="linear")
        .encode(
            x=alt.X("z:Q", scale=alt.Scale(domain=[-8, 8])),
            y=alt.Y("output:Q", title=_("output")),
            color=alt.Color(
                "curve:N", title=None, scale=alt.Scale(range=[FADED, BEST]), legend=alt.Legend(orient="top")
            ),
            strokeDash=alt.StrokeDash("curve:N", legend=None, scale=alt.Scale(range=[[6, 4], [1, 0]])),
        )
    )
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4], color=INK).encode(y=alt.Y("y:Q"))
    z_shown = float(np.clip(z, -8, 8))
    point = marker(z_shown, float(neuron.sigmoid(steepness * z)), f"z = {z:.2f}", CURRENT, x="z", y="output")
    return (lines + half + point).properties(
        height=320,
        description=_(
            "The perceptron's step (dashed) and the sigmoid (solid) against z, with your neuron's z marked on the sigmoid."
        ),
    )
