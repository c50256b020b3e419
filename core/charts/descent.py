"""Altair charts of gradient descent (lesson 4): the path over a loss map, and the loss step by step."""

import altair as alt
import pandas as pd

from core.charts.concepts import heatmap, marker
from core.charts.palette import CURRENT
from core.i18n import _


def descent_map(grid, path, x, y, value):
    """Return a loss map with the descent path drawn over it from start to finish."""
    table = path.table((x, y))
    route = (
        alt.Chart(table)
        .mark_line(color="white", strokeWidth=2, clip=True, point=alt.OverlayMarkDef(color=CURRENT, size=30))
        .encode(
            x=alt.X(f"{x}:Q"),
            y=alt.Y(f"{y}:Q"),
            order=alt.Order("step:Q"),
            tooltip=[alt.Tooltip("step", title=_("step")), alt.Tooltip("loss:Q", title=_("loss"), format=".4f")],
        )
    )
    start = marker(table[x].iloc[0], table[y].iloc[0], _("start"), "white", x=x, y=y)
    end = marker(table[x].iloc[-1], table[y].iloc[-1], _("end"), CURRENT, x=x, y=y, shape="diamond")
    x_range = [grid[x].min(), grid[x].max()]
    y_range = [grid[y].min(), grid[y].max()]
    layers = alt.layer(heatmap(grid, x, y, value, title=_("loss")), route, start, end)
    return (
        layers.resolve_scale(color="independent")
        .encode(
            x=alt.X(scale=alt.Scale(domain=x_range, nice=False)), y=alt.Y(scale=alt.Scale(domain=y_range, nice=False))
        )
        .properties(
            height=360,
            description=_(
                "A map of the loss, darker where it is lower, with the path gradient descent "
                "took from its start (circle) to its end (diamond)."
            ),
        )
    )


def loss_per_step(paths):
    """Return loss against step for one or more named paths ({name: Path})."""
    table = pd.concat([path.table().assign(run=name) for name, path in paths.items()])
    return (
        alt.Chart(table)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title=_("step")),
            y=alt.Y("loss:Q", title=_("loss"), scale=alt.Scale(type="symlog")),
            color=alt.Color("run:N", title=None, legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("run:N", legend=None),
            tooltip=[
                alt.Tooltip("run", title=_("run")),
                alt.Tooltip("step", title=_("step")),
                alt.Tooltip("loss:Q", title=_("loss"), format=".4f"),
            ],
        )
        .properties(height=300, description=_("The loss after each step, one line per way of descending."))
    )
