"""Altair charts for the backpropagation lesson: the 2-2-1 network with its numbers, and the cost
per update."""

import altair as alt
import pandas as pd

from core.charts.palette import BEST, CLASS_0, CLASS_1, CURRENT, INK, PAPER
from core.i18n import N_, _
from core.lessons.backprop import INPUT_NAMES, NEURON_NAMES

PLACES = {"x1": (0, 1), "x2": (0, -1), "h1": (1, 1), "h2": (1, -1), "out": (2, 0)}  # (layer, height)
DETAILS = {
    "x1": (-28, 0, "right", "middle"),
    "x2": (-28, 0, "right", "middle"),
    "h1": (0, -56, "center", "bottom"),
    "h2": (0, 26, "center", "top"),
    "out": (0, 26, "center", "top"),
}  # where a neuron's numbers go


def _label_at(source, target):
    """How far along an edge its label sits: the two crossing edges are labelled near their start,
    clear of the crossing in the middle, and the output's edges nearer the hidden neurons, clear of
    the output's own numbers (on a phone the chart is narrow and they would meet)."""
    if PLACES[source][1] * PLACES[target][1] < 0:
        return 0.22
    return 0.35 if target in NEURON_NAMES[-1] else 0.5


POSITIVE, NEGATIVE = N_("positive"), N_("negative")  # a sign's name, in the reader's language


def _signs():
    return alt.Scale(domain=[_(POSITIVE), _(NEGATIVE)], range=[CLASS_1, CLASS_0])


def _dashes():
    return alt.Scale(domain=[_(POSITIVE), _(NEGATIVE)], range=[[1, 0], [7, 4]])  # solid positive, dashed negative


def _node_label(name, network, passed, gradients):
    """Text under a neuron: its input value, or its bias, z and a, and its error δ."""
    if name in INPUT_NAMES:
        return f"{name} = {passed.activations[0][INPUT_NAMES.index(name)]:g}" if passed else name
    layer = next(index for index, names in enumerate(NEURON_NAMES) if name in names)
    j = NEURON_NAMES[layer].index(name)
    lines = [_("{name}: bias {bias}").format(name=name, bias=f"{network.biases[layer][j]:+.3f}")]
    if passed:
        lines.append(f"z = {passed.zs[layer][j]:.3f}, a = {passed.activations[layer + 1][j]:.3f}")
    if gradients:
        lines.append(f"δ = {gradients.deltas[layer][j]:+.4f}")
    return "\n".join(lines)


def _edges(network, gradients):
    names = [INPUT_NAMES, *NEURON_NAMES]
    rows = []
    for layer, weights in enumerate(network.weights):
        for j, target in enumerate(names[layer + 1]):
            for k, source in enumerate(names[layer]):
                (x0, y0), (x1, y1) = PLACES[source], PLACES[target]
                shown = gradients.weights[layer][j, k] if gradients else weights[j, k]
                label = f"w = {weights[j, k]:+.3f}" + (f"\n∂C/∂w = {shown:+.4f}" if gradients else "")
                rows.append(
                    {
                        "x": x0,
                        "y": y0,
                        "x2": x1,
                        "y2": y1,
                        "size": abs(shown),
                        "label": label,
                        "sign": _(POSITIVE) if shown >= 0 else _(NEGATIVE),
                        "edge": f"{source}→{target}",
                        "label_x": x0 + _label_at(source, target) * (x1 - x0),
                        "label_y": y0 + _label_at(source, target) * (y1 - y0),
                    }
                )
    return pd.DataFrame(rows)


X_SCALE, Y_SCALE = {"domain": [-0.45, 2.3], "nice": False}, {"domain": [-1.9, 1.75], "nice": False}


def _edge_layers(edges, gradients):
    """Every connection, its colour and dash its sign, its width its size, and its number written on it."""
    x_scale, y_scale = alt.Scale(**X_SCALE), alt.Scale(**Y_SCALE)
    largest = max(float(edges["size"].max()), 1e-9)
    lines = (
        alt.Chart(edges)
        .mark_rule(opacity=0.85)
        .encode(
            x=alt.X("x:Q", axis=None, scale=x_scale),
            x2="x2:Q",
            y=alt.Y("y:Q", axis=None, scale=y_scale),
            y2="y2:Q",
            color=alt.Color(
                "sign:N",
                scale=_signs(),
                title=_("∂C/∂w sign") if gradients else _("weight sign"),
                legend=alt.Legend(orient="bottom"),
            ),
            strokeDash=alt.StrokeDash("sign:N", scale=_dashes(), legend=None),  # the sign without colour, too
            strokeWidth=alt.StrokeWidth("size:Q", scale=alt.Scale(domain=[0, largest], range=[1, 9]), legend=None),
            tooltip=[alt.Tooltip("edge:N", title=_("connection")), alt.Tooltip("label:N", title=_("values"))],
        )
    )

    def edge_text(**style):
        return (
            alt.Chart(edges)
            .mark_text(fontSize=12, lineBreak="\n", fontWeight="bold", baseline="bottom", dy=-5, **style)
            .encode(x=alt.X("label_x:Q", scale=x_scale), y=alt.Y("label_y:Q", scale=y_scale), text="label:N")
        )

    # each number is written twice: first thick in the paper's colour, a halo that hides the lines
    # under it, then in ink on top, so a label that sits on a line stays readable
    return [lines, edge_text(color=PAPER, stroke=PAPER, strokeWidth=4), edge_text(color=INK)]


def _node_layers(nodes):
    """Every neuron: a circle, its name, and its numbers beside it."""
    x, y = alt.X("x:Q", scale=alt.Scale(**X_SCALE)), alt.Y("y:Q", scale=alt.Scale(**Y_SCALE))
    circles = alt.Chart(nodes).mark_circle(size=900, color=PAPER, stroke=INK, strokeWidth=2, opacity=1).encode(x=x, y=y)
    names = alt.Chart(nodes).mark_text(fontSize=13, fontWeight="bold", color=INK).encode(x=x, y=y, text="name:N")
    details = [
        alt.Chart(nodes[nodes["name"] == name])
        .mark_text(fontSize=12, dx=dx, dy=dy, align=align, baseline=baseline, lineBreak="\n", color=INK)
        .encode(x=x, y=y, text="label:N")
        for name, (dx, dy, align, baseline) in DETAILS.items()
    ]
    return [circles, names, *details]


def network_diagram(network, passed=None, gradients=None):
    """Return the 2-2-1 network: every weight on its edge, and once computed, every neuron's z and
    a (forward pass) and every ∂C/∂w and δ (backward pass). Edge colour and dash give the sign and width
    the size of the weight, or of its slope once the backward pass is shown."""
    nodes = pd.DataFrame(
        [
            {"name": name, "x": x, "y": y, "label": _node_label(name, network, passed, gradients)}
            for name, (x, y) in PLACES.items()
        ]
    )
    layers = _edge_layers(_edges(network, gradients), gradients) + _node_layers(nodes)
    return alt.layer(*layers).properties(
        height=380,
        description=_(
            "The network's two inputs, two hidden neurons and output, with every weight and, "
            "once computed, every neuron's values and every slope."
        ),
    )


def cost_per_update(costs, example_costs):
    """Return the cost after each update: on the example being learned, and averaged over all four."""
    this, average = _("this example"), _("average over all four examples")
    rows = [{"update": number, "cost": value, "measure": this} for number, value in enumerate(example_costs)]
    rows += [{"update": number, "cost": value, "measure": average} for number, value in enumerate(costs)]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("update:Q", title=_("updates so far"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("cost:Q", title=_("cost C"), scale=alt.Scale(zero=True)),
            color=alt.Color(
                "measure:N",
                title=None,
                scale=alt.Scale(range=[CURRENT, BEST]),
                legend=alt.Legend(orient="top", labelLimit=0),
            ),
            strokeDash=alt.StrokeDash("measure:N", legend=None),
            tooltip=[
                alt.Tooltip("update:Q", title=_("updates so far")),
                alt.Tooltip("measure:N", title=_("measure")),
                alt.Tooltip("cost:Q", title=_("cost C"), format=".5f"),
            ],
        )
        .properties(height=240, description=_("The cost after each update of the weights."))
    )
