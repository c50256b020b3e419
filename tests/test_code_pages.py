"""AppTest: every lesson shows the code behind its view, with the learner's current values, and the
handwriting pages offer the trained network to download (or say in words why a file cannot be)."""

import pytest

from core.digits import config as mnist_config
from ui.lessons import LESSONS


def code_of(app):
    return "\n".join(block.value for block in app.code)


def code_expanders(app):
    return [expander.label for expander in app.expander if expander.label.startswith("The code")]


@pytest.mark.parametrize(
    "page, kind, key, value, written",
    [
        ("lessons/loss.py", "slider", "m", 3.5, "m = 3.5"),
        ("lessons/perceptron.py", "slider", "w1", -1.5, "w1 = -1.5"),
        ("lessons/perceptron.py", "selectbox", "gate", "XOR", "targets = [0, 1, 1, 0]   # XOR"),
        ("lessons/sigmoid.py", "slider", "k", 2.4, "k = 2.4"),
        ("lessons/descent.py", "selectbox", "surface", "Long valley", "return p1**2 + 10 * p2**2"),
        ("lessons/descent.py", "slider", "batch", 7, "batch_size = 7"),
        ("lessons/hidden_layers.py", "selectbox", "activation", "ReLU", 'activation="relu"'),
        ("lessons/backprop.py", "selectbox", "example", "dear ticket, partner stays home: stay", "x = (0.0, 0.0)"),
    ],
)
def test_the_code_follows_the_controls(open_page, page, kind, key, value, written):
    app = open_page(page)
    assert code_expanders(app), [expander.label for expander in app.expander]
    assert written not in code_of(app)
    getattr(app, kind)(key=key).set_value(value).run()
    assert not app.exception
    assert written in code_of(app)
    assert any(button.label == "Download as a notebook" for button in app.get("download_button"))


def test_a_folded_step_shows_its_code_on_request(open_page):
    app = open_page("lessons/hidden_layers.py")
    app.selectbox(key="dataset").set_value("Two moons").run()
    assert "make_dataset(" not in code_of(app)  # the app's data functions, folded
    unfold = next(toggle for toggle in app.toggle if toggle.label.startswith("Show these"))
    unfold.set_value(True).run()
    assert 'X, y = make_dataset("Two moons", 300, noise=' in code_of(app)


@pytest.mark.slow
@pytest.mark.parametrize("path", [lesson.path for lesson in LESSONS if not lesson.needs_tensorflow])
def test_every_concept_lesson_has_its_code(open_page, path):
    app = open_page(path)
    assert code_expanders(app) and "import numpy as np" in code_of(app)


def test_the_handwriting_page_shows_the_form_network_in_keras_and_its_files(environment, trained_default, open_page):
    environment(trained_default.directory)
    app = open_page("lessons/mnist.py", timeout=90)
    code = code_of(app)
    assert 'keras.layers.Conv2D(16, 3, padding="same", activation="relu")' in code
    assert (
        "model.fit(x_fit, y_fit, batch_size=batch_size, epochs=epochs" in code
        and f"epochs = {mnist_config.DEFAULT.epochs}" in code
    )
    assert 'keras.models.load_model("network-convolutional.keras", compile=False)' in code
    assert 'onnxruntime.InferenceSession("network-convolutional.onnx")' in code
    labels = [button.label for button in app.get("download_button")]
    assert {"Download for Keras (.keras)", "Download for ONNX Runtime (.onnx)", "Download its card (.json)"} <= set(
        labels
    )


def _downloads_of(folder):
    from pathlib import Path
    from types import SimpleNamespace

    from ui.digits import download

    folder = Path(folder)
    files = {"keras": folder / "n.keras", "onnx": folder / "n.onnx", "card": folder / "n.json"}
    download.network_files(SimpleNamespace(files=lambda: files), "network-test")


def test_a_network_file_that_is_gone_is_said_in_words(tmp_path):
    from streamlit.testing.v1 import AppTest

    (tmp_path / "n.keras").write_bytes(b"the network")
    (tmp_path / "n.json").write_text("{}")  # no n.onnx
    app = AppTest.from_function(_downloads_of, args=(str(tmp_path),)).run()
    assert not app.exception
    assert [info.value for info in app.info if "The .onnx file of this network is not on this server" in info.value]
    assert [button.label for button in app.get("download_button")] == [
        "Download for Keras (.keras)",
        "Download its card (.json)",
    ]
