"""Altair charts and image helpers for the handwriting lesson."""
import altair as alt
import numpy as np
import pandas as pd
from PIL import Image

from core.charts import BEST, CURRENT


def history_chart(history):
    """Return loss and accuracy per epoch, training against validation, side by side."""
    rows = []
    for name, label in (("loss", "training"), ("val_loss", "validation"),
                        ("accuracy", "training"), ("val_accuracy", "validation")):
        for epoch, value in enumerate(history.get(name, []), start=1):
            rows.append({"epoch": epoch, "value": value, "set": label,
                         "measure": "accuracy" if "accuracy" in name else "loss"})
    data = pd.DataFrame(rows, columns=["epoch", "value", "set", "measure"])
    colors = alt.Scale(domain=["training", "validation"], range=[CURRENT, BEST])

    def panel(measure, title):
        return alt.Chart(data[data["measure"] == measure]).mark_line(point=True).encode(
            x=alt.X("epoch:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color("set:N", scale=colors, title=None, legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("epoch"), alt.Tooltip("set"), alt.Tooltip("value:Q", format=".4f")]).properties(height=220)

    return alt.hconcat(panel("loss", "loss"), panel("accuracy", "accuracy"))


def probability_bars(probabilities):
    """Return a bar per digit 0–9 with the network's probability, the top one highlighted."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "probability": probabilities})
    top = str(int(np.argmax(probabilities)))
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("digit:N", sort=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("probability:Q", scale=alt.Scale(domain=[0, 1])),
        color=alt.condition(alt.datum.digit == top, alt.value(CURRENT), alt.value("#9aa5b1")),
        tooltip=[alt.Tooltip("digit"), alt.Tooltip("probability:Q", format=".3f")]).properties(height=220)


def confusion_chart(confusion):
    """Return the confusion matrix as a heat map: rows true digits, columns predictions."""
    matrix = np.asarray(confusion)
    true_digit, predicted = np.meshgrid(range(10), range(10), indexing="ij")
    data = pd.DataFrame({"true digit": true_digit.ravel().astype(str), "predicted": predicted.ravel().astype(str),
                         "count": matrix.ravel(), "off diagonal": (true_digit != predicted).ravel()})
    base = alt.Chart(data).encode(x=alt.X("predicted:N", axis=alt.Axis(labelAngle=0)), y=alt.Y("true digit:N"))
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(type="symlog", scheme="blues")),
        tooltip=[alt.Tooltip("true digit"), alt.Tooltip("predicted"), alt.Tooltip("count")])
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q"),
        color=alt.condition(alt.datum["off diagonal"], alt.value("#b00020"), alt.value("white")))
    return (cells + text).properties(height=380, width=380)


def per_class_chart(per_class):
    """Return accuracy per true digit as bars."""
    data = pd.DataFrame({"digit": [str(d) for d in range(10)], "accuracy": per_class})
    low = max(0.0, min(per_class) - 0.02)
    return alt.Chart(data).mark_bar(color=BEST).encode(
        x=alt.X("digit:N", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("accuracy:Q", scale=alt.Scale(domain=[low, 1.0])),
        tooltip=[alt.Tooltip("digit"), alt.Tooltip("accuracy:Q", format=".2%")]).properties(height=380)


def enlarge(image, size=140):
    """Return a (28, 28) image in [0, 1] as a crisp enlarged 8-bit grayscale PIL image."""
    pixels = (np.clip(image, 0, 1) * 255).astype(np.uint8)
    return Image.fromarray(pixels).resize((size, size), Image.Resampling.NEAREST)


def sample_grid(images, labels, per_class=10, seed=0):
    """Return one (10·28, per_class·28) image: a row of random examples for each digit 0–9."""
    rng = np.random.default_rng(seed)
    rows = []
    for digit in range(10):
        chosen = rng.choice(np.flatnonzero(labels == digit), size=per_class, replace=False)
        rows.append(np.hstack([images[i] for i in chosen]))
    return np.vstack(rows)
