"""Altair charts for the class lab."""
import altair as alt
import pandas as pd

from core.charts.palette import CURRENT


def counts_chart(counts):
    """Return a bar per digit 0–9 with how many drawings the class added, the number on each bar."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "drawings": counts})
    bars = alt.Chart(data).mark_bar(color=CURRENT).encode(
        x=alt.X("digit:N", title="digit meant", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("drawings:Q", title="drawings", axis=alt.Axis(tickMinStep=1)),
        tooltip=["digit", "drawings"])
    text = bars.mark_text(dy=-6, color="black").encode(text="drawings:Q")
    return (bars + text).properties(height=180, description="How many drawings the class added of each digit, "
                                                            "written above each bar.")
