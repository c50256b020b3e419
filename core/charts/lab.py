"""Altair charts for the class lab."""

from core.charts.palette import BEST, CURRENT, MUTED
from core.libraries import alt, pd


def counts_chart(counts):
    """Return a bar per digit 0–9 with how many drawings the class added, the number on each bar."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "drawings": counts})
    bars = (
        alt.Chart(data)
        .mark_bar(color=CURRENT)
        .encode(
            x=alt.X("digit:N", title="digit meant", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("drawings:Q", title="drawings", axis=alt.Axis(tickMinStep=1)),
            tooltip=["digit", "drawings"],
        )
    )
    text = bars.mark_text(dy=-6, color="black").encode(text="drawings:Q")
    return (bars + text).properties(
        height=180, description="How many drawings the class added of each digit, written above each bar."
    )


def poll_chart(choices, counts, answers=()):
    """A bar per answer of a poll with how many chose it, the number at each bar's end. Once the
    right answers are revealed (`answers`, one or several equally right), their bars are darker and
    their labels say "(right)": not colour alone."""
    right = [choice in answers for choice in choices]
    labels = [f"{choice} (right)" if is_right else choice for choice, is_right in zip(choices, right)]
    data = pd.DataFrame({"answer": labels, "students": counts, "right": right})
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("answer:N", title=None, sort=labels, axis=alt.Axis(labelLimit=320, labelFontSize=15)),
            x=alt.X("students:Q", title="students", axis=alt.Axis(tickMinStep=1)),
            color=alt.condition(alt.datum.right, alt.value(BEST), alt.value(MUTED if answers else CURRENT)),
            tooltip=["answer", "students"],
        )
    )
    text = bars.mark_text(align="left", dx=4, fontSize=16).encode(text="students:Q", color=alt.value("black"))
    return (bars + text).properties(
        height=alt.Step(44),  # a fixed height per bar: Streamlit drops a plain one here
        description="How many students chose each answer, written at the end of its bar.",
    )
