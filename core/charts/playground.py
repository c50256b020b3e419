"""Altair charts and small images for the hidden-layers playground."""
import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from core.charts.concepts import grid_cells
from core.charts.palette import (BEST, CLASS_0, CLASS_0_EDGE, CLASS_1, CLASS_1_EDGE, CURRENT, INK, PAPER,
                                  rgb)
from core.lessons.playground import EXTENT

CLASS_COLORS = alt.Scale(domain=[0, 1], range=[CLASS_0, CLASS_1])
SQUARE = alt.Scale(domain=[-EXTENT, EXTENT], nice=False)


def boundary(grid, data):
    """Return the network's output over the plane with training (filled) and test (hollow) points."""
    heat = grid_cells(grid, "x1", "x2", scale=SQUARE, mark={"opacity": 0.75},
                      color=alt.Color("probability:Q", title="output", scale=alt.Scale(
                          domain=[0, 0.5, 1], range=[CLASS_0, PAPER, CLASS_1])))
    points = pd.concat([
        pd.DataFrame({"x1": data.X_train[:, 0], "x2": data.X_train[:, 1], "label": data.y_train, "set": "training"}),
        pd.DataFrame({"x1": data.X_test[:, 0], "x2": data.X_test[:, 1], "label": data.y_test, "set": "test"}),
    ])
    dots = alt.Chart(points).mark_point(size=36, strokeWidth=1.5).encode(
        x=alt.X("x1:Q", scale=SQUARE), y=alt.Y("x2:Q", scale=SQUARE),
        color=alt.Color("label:N", scale=alt.Scale(domain=[0, 1], range=[CLASS_0_EDGE, CLASS_1_EDGE]), title="class"),
        shape=alt.Shape("label:N", scale=alt.Scale(domain=[0, 1], range=["circle", "square"]), title="class"),
        fill=alt.Fill("label:N", scale=CLASS_COLORS, legend=None),
        fillOpacity=alt.FillOpacity("set:N", scale=alt.Scale(domain=["training", "test"], range=[1, 0]),
                                    title="filled: training, hollow: test"),
        tooltip=[alt.Tooltip("set:N"), alt.Tooltip("label:N")])
    return (heat + dots).resolve_scale(color="independent").properties(
        height=420, description="The network's output over the plane, orange for class 0 and blue for "
                                           "class 1, with the points: circles are class 0, squares class 1; filled "
                                           "ones were trained on, hollow ones are test points.")


def loss_curves(history):
    """Return training and test loss per epoch."""
    table = pd.DataFrame({"epoch": np.arange(1, len(history["train_loss"]) + 1),
                          "training": history["train_loss"], "test": history["test_loss"]})
    long = table.melt("epoch", var_name="set", value_name="loss")
    return alt.Chart(long).mark_line().encode(
        x=alt.X("epoch:Q"), y=alt.Y("loss:Q", title="loss (log loss)", scale=alt.Scale(zero=True)),
        color=alt.Color("set:N", scale=alt.Scale(domain=["training", "test"], range=[CURRENT, BEST]), title=None,
                        legend=alt.Legend(orient="top")),
        strokeDash=alt.StrokeDash("set:N", scale=alt.Scale(domain=["training", "test"], range=[[1, 0], [6, 4]]),
                                  legend=None),
        tooltip=[alt.Tooltip("epoch:Q"), alt.Tooltip("set:N"), alt.Tooltip("loss:Q", format=".4f")],
    ).properties(height=200, description="Training (solid) and test (dashed) loss after each epoch.")


def network(layer_sizes, coefs, input_names):
    """Return a diagram of the network: neurons per layer, and each connection coloured by the
    sign of its weight (blue +, orange −) with thickness by its size."""
    def y_of(index, size):
        return (size - 1) / 2 - index
    nodes = [{"layer": layer, "y": y_of(i, size),
              "name": input_names[i] if layer == 0 else ""}
             for layer, size in enumerate(layer_sizes) for i in range(size)]
    edges = [{"x": layer, "x2": layer + 1, "y": y_of(i, weights.shape[0]), "y2": y_of(j, weights.shape[1]),
              "weight": float(weights[i, j]), "size": float(abs(weights[i, j])),
              "sign": "positive" if weights[i, j] >= 0 else "negative"}
             for layer, weights in enumerate(coefs) for i in range(weights.shape[0]) for j in range(weights.shape[1])]
    largest = max([edge["size"] for edge in edges] + [1e-9])
    lines = alt.Chart(pd.DataFrame(edges)).mark_rule(opacity=0.8).encode(
        x=alt.X("x:Q", axis=None), x2=alt.X2("x2:Q"), y=alt.Y("y:Q", axis=None), y2=alt.Y2("y2:Q"),
        color=alt.Color("sign:N", scale=alt.Scale(domain=["positive", "negative"], range=[CLASS_1, CLASS_0]),
                        title="weight"),
        strokeDash=alt.StrokeDash("sign:N", scale=alt.Scale(domain=["positive", "negative"], range=[[1, 0], [4, 3]]),
                                  title="weight"),
        strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(domain=[0, largest], range=[0.3, 6]), legend=None),
        tooltip=[alt.Tooltip("weight:Q", format=".3f")])
    circles = alt.Chart(pd.DataFrame(nodes)).mark_circle(size=260, color=INK, opacity=1).encode(
        x=alt.X("layer:Q"), y=alt.Y("y:Q"))
    names = alt.Chart(pd.DataFrame(nodes)).mark_text(dx=-14, align="right", fontSize=12).encode(
        x=alt.X("layer:Q"), y=alt.Y("y:Q"), text=alt.Text("name:N"))
    return (lines + circles + names).properties(
        height=max(160, 26 * max(layer_sizes)),
        description="The network's neurons, layer by layer, with every weight as a line: solid blue for a positive "
                    "weight, dashed orange for a negative one, thicker for a larger one.")


def neuron_image(values, size=72):
    """Return one hidden neuron's output over the plane as a small image: blue where it is high,
    orange where it is low, white in between (scaled to the neuron's own range)."""
    low, high = float(np.min(values)), float(np.max(values))
    t = (values - low) / (high - low) if high > low else np.full_like(values, 0.5)
    orange, white, blue = (np.array(rgb(colour)) for colour in (CLASS_0, PAPER, CLASS_1))
    t = t[..., None]
    pixels = np.where(t < 0.5, orange + (white - orange) * (t * 2), white + (blue - white) * ((t - 0.5) * 2))
    return Image.fromarray(pixels.astype(np.uint8)).resize((size, size), Image.Resampling.NEAREST)
