"""Altair charts for the class lab."""

from core.charts.palette import BEST, CURRENT, MUTED
from core.i18n import _
from core.libraries import alt, pd


def counts_chart(counts):
    """Return a bar per digit 0–9 with how many drawings the class added, the number on each bar."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "drawings": counts})
    bars = (
        alt.Chart(data)
        .mark_bar(color=CURRENT)
        .encode(
            x=alt.X("digit:N", title=_("digit meant"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("drawings:Q", title=_("drawings"), axis=alt.Axis(tickMinStep=1)),
            tooltip=[alt.Tooltip("digit", title=_("digit meant")), alt.Tooltip("drawings", title=_("drawings"))],
        )
    )
    text = bars.mark_text(dy=-6, color="black").encode(text="drawings:Q")
    return (bars + text).properties(
        height=180, description=_("How many drawings the class added of each digit, written above each bar.")
    )


def poll_chart(choices, counts, answers=()):
    """A bar per answer of a poll with how many chose it, the number at each bar's end. Once the
    right answers are revealed (`answers`, one or several equally right), their bars are darker and
    their labels say "(right)": not colour alone."""
    right = [choice in answers for choice in choices]
    labels = [
        _("{answer} (right)").format(answer=choice) if is_right else choice for choice, is_right in zip(choices, right)
    ]
    data = pd.DataFrame({"answer": labels, "students": counts, "right": right})
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("answer:N", title=None, sort=labels, axis=alt.Axis(labelLimit=320, labelFontSize=15)),
            x=alt.X("students:Q", title=_("students"), axis=alt.Axis(tickMinStep=1)),
            color=alt.condition(alt.datum.right, alt.value(BEST), alt.value(MUTED if answers else CURRENT)),
            tooltip=[alt.Tooltip("answer", title=_("answer")), alt.Tooltip("students", title=_("students"))],
        )
    )
    text = bars.mark_text(align="left", dx=4, fontSize=16).encode(text="students:Q", color=alt.value("black"))
    return (bars + text).properties(
        height=alt.Step(44),  # a fixed height per bar: Streamlit drops a plain one here
        description=_("How many students chose each answer, written at the end of its bar."),
    )
