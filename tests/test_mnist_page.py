"""AppTest of the handwriting page, on a small real-MNIST file so that training takes seconds."""

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image

from core import jobs
from core.digits import model as mnist_model
from core.digits import preprocess
from core.digits.saved import ModelStore
from core.jobs.status import Status
from tests.conftest import metric
from ui.digits import resources
from ui.digits.controls import LOOK_INSIDE_TAB

PAGE = "lessons/mnist.py"


LOOK_INSIDE = [
    "How the digit was prepared",
    "Activations",
    "What the first layer looks for",
    "Which pixels mattered",
    "Nearest training digits",
]


def open_tab(app, name):
    """Open one of the look-inside tabs, as a click does (only the open tab's view is drawn), and
    return it."""
    app.session_state[LOOK_INSIDE_TAB] = name
    app.run()
    return app.tabs[LOOK_INSIDE.index(name)]


def canvas_state(image):
    """Return what the drawing canvas puts in session state for a drawing (an RGBA PIL image)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return {"drawing": {"raw": {"objects": [{"type": "path"}]}, "data": url}, "backgroundFit": None}


def drawing_of(digit_image):
    """Return a 280×280 RGBA canvas drawing (white on black) made from a 28×28 uint8 digit."""
    big = Image.fromarray(digit_image).resize((280, 280), Image.Resampling.BILINEAR)
    return Image.merge("RGBA", (big, big, big, Image.new("L", (280, 280), 255)))


@pytest.fixture
def trained_cache(trained_default):
    return trained_default.directory


def wait_for_training(data):
    job = jobs.runner().get(mnist_model.DEFAULT.key(data.data_id))
    job.wait(300)
    return job


@pytest.mark.slow  # trains a network in a worker process
def test_first_visit_trains_with_progress_then_shows_the_results(environment, tmp_path, open_page):
    data = environment(tmp_path / "models")
    app = open_page(PAGE, timeout=90)
    assert not [m for m in app.metric if m.label == "Test accuracy"]
    assert any("appear when training finishes" in info.value for info in app.info)
    assert any(data.source in caption.value for caption in app.caption)
    assert wait_for_training(data).status().state == "done"
    app.run()
    assert not app.exception
    accuracy = metric(app, "Test accuracy")
    saved = ModelStore(tmp_path / "models").load(mnist_model.DEFAULT.key(data.data_id))[1]
    assert accuracy == f"{saved['evaluation']['accuracy']:.2%}"


def test_a_drawing_gets_the_networks_prediction(environment, trained_cache, open_page):
    data = environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    drawing = drawing_of(data.x_test[7])
    app.session_state["canvas_0"] = canvas_state(drawing)
    app.run()
    assert not app.exception
    model = ModelStore(trained_cache).load_keras(mnist_model.DEFAULT.key(data.data_id))[0]
    expected = mnist_model.classify(model, preprocess.to_mnist(np.asarray(drawing))[None])[0]  # Keras's own reading
    assert metric(app, "Prediction") == str(int(np.argmax(expected)))
    assert metric(app, "Confidence") == f"{expected.max():.1%}"


def test_an_empty_canvas_shows_the_prompt_not_a_guess(environment, trained_cache, open_page):
    environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    assert not [m for m in app.metric if m.label == "Prediction"]
    assert any("Draw a digit" in info.value for info in app.info)
    blank = Image.new("RGBA", (280, 280), (0, 0, 0, 255))
    app.session_state["canvas_0"] = canvas_state(blank)
    app.run()
    assert not [m for m in app.metric if m.label == "Prediction"]
    assert any("Draw a digit" in info.value for info in app.info)


def test_random_test_digits_are_read_and_change_on_click(environment, trained_cache, open_page):
    environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    app.selectbox(key="input").set_value("Random test digit").run()
    first = [c.value for c in app.caption if c.value.startswith("Test digit number")]
    assert first and metric(app, "Prediction") in [str(d) for d in range(10)]
    next(b for b in app.button if "random test digit" in b.label).click().run()
    second = [c.value for c in app.caption if c.value.startswith("Test digit number")]
    assert second != first


def test_settings_out_of_bounds_are_refused_on_the_page(environment, trained_cache, open_page):
    environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    app.text_input(key="hidden_convolutional").set_value("16, 32, 64, 128")
    app.button[0].click()  # the form's Train button is the first button on the page
    app.run()
    assert any("cannot be trained" in error.value for error in app.error)
    assert not app.exception


@pytest.mark.slow  # trains a network in a worker process
def test_corrupt_saved_model_is_discarded_and_retrained(environment, tmp_path, trained_cache, open_page):
    import shutil

    directory = tmp_path / "models"
    shutil.copytree(trained_cache, directory)
    data = environment(directory)
    model_path, _ = ModelStore(directory).paths(mnist_model.DEFAULT.key(data.data_id))
    model_path.write_bytes(b"not a model any more")
    app = open_page(PAGE, timeout=90)
    assert any("could not be read" in warning.value for warning in app.warning)
    assert wait_for_training(data).status().state == "done"
    app.run()
    assert metric(app, "Test accuracy").endswith("%")


@pytest.mark.slow  # trains a network in a worker process
def test_unwritable_model_folder_keeps_the_model_in_a_scratch_folder(environment, tmp_path, open_page):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    data = environment(blocker / "models")
    app = open_page(PAGE, timeout=90)
    assert wait_for_training(data).status().result != str(blocker / "models")
    app.run()
    assert not app.exception
    assert any("temporary folder only" in info.value for info in app.info)
    assert not any("load instantly" in success.value for success in app.success)  # they will not
    assert metric(app, "Test accuracy").endswith("%")
    app.selectbox(key="input").set_value("Random test digit").run()  # the neighbour index, built in memory
    resources.built()
    assert not app.exception and len(open_tab(app, "Nearest training digits").get("image")) == 6


@pytest.mark.parametrize("typed", ["9" * 5000, "12a", "![x](http://127.0.0.1:8601/leak.png)"])
def test_typed_layer_sizes_that_are_not_numbers_are_refused_in_our_words(environment, trained_cache, open_page, typed):
    environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    app.text_input(key="hidden_convolutional").set_value(typed)
    app.button[0].click()
    app.run()
    [error] = [error.value for error in app.error if "cannot be trained" in error.value]
    assert "whole numbers separated by commas" in error
    assert not any(leak in error for leak in ("int()", "4300", "](", "9999"))


class StandInJob:
    """A training job that only reports a fixed status."""

    def __init__(self, key, status):
        self.key, self._status = key, status

    def status(self):
        return Status(elapsed=1.0, **self._status)


def page_with_job(environment, tmp_path, open_page, monkeypatch, status):
    environment(tmp_path / "empty-models")
    retried = []
    monkeypatch.setattr(jobs.runner(), "get", lambda key: None)  # whatever earlier tests left
    monkeypatch.setattr(jobs.runner(), "submit", lambda key, body, /, **_: StandInJob(key, status))
    monkeypatch.setattr(jobs.runner(), "retry", retried.append)
    return open_page(PAGE, timeout=90), retried


def test_a_queued_training_says_how_many_are_ahead(environment, tmp_path, open_page, monkeypatch):
    app, _ = page_with_job(environment, tmp_path, open_page, monkeypatch, {"state": "queued", "ahead": 2})
    assert any("2 trainings ahead of yours" in info.value for info in app.info)
    assert not app.exception


def test_a_failed_training_says_so_alone_and_offers_retry(environment, tmp_path, open_page, monkeypatch):
    app, retried = page_with_job(
        environment,
        tmp_path,
        open_page,
        monkeypatch,
        {"state": "failed", "error": "its process stopped unexpectedly twice"},
    )
    assert any("stopped unexpectedly twice" in error.value for error in app.error)
    assert not any("appear when training finishes" in info.value for info in app.info)
    next(button for button in app.button if button.label == "Retry").click().run()
    assert len(retried) == 1


def test_choosing_a_cell_of_the_confusion_matrix_shows_those_test_digits(environment, trained_cache, open_page):
    from core.digits.network import Network

    data = environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    chooser = app.selectbox(key="view_fooled_evaluate")
    assert chooser.value is None and len(chooser.options) > 1  # a small network on few digits makes mistakes
    chooser.select_index(1).run()
    assert not app.exception
    true, read = (int(digit) for digit in re.match(r"written (\d), read as (\d):", chooser.options[1]).groups())
    network = Network.load(*ModelStore(trained_cache).serving_paths(mnist_model.DEFAULT.key(data.data_id)))
    readings = network.classify(data.x_test).argmax(axis=1)
    expected = int(np.sum((data.y_test == true) & (readings == read)))
    assert f"**{expected} test digits written as {true} and read as {read}**" in [text.value for text in app.markdown]
    assert f"written {true}, read as {read}: {expected} digit" in chooser.options[1]  # the matrix's own count


def test_the_page_says_how_many_digits_it_learnt_from_and_what_sure_means(environment, trained_cache, open_page):
    data = environment(trained_cache)
    app = open_page(PAGE, timeout=90)
    held = max(1, int(len(data.x_train) / 12))  # the last twelfth is kept for validation
    fit = len(data.x_train) - held
    said = " ".join(box.value for box in app.success)
    assert f"on {fit:,} digits, with {held:,} more kept apart for validation" in said
    assert f"learns from {fit:,} of the {len(data.x_train):,} training digits" in " ".join(
        m.value for m in app.markdown
    )
    floor = -(0.91 * np.log(0.91) + 9 * 0.01 * np.log(0.01))  # the entropy of the smoothed targets
    assert any(f"cannot fall below {floor:.2f}" in caption.value for caption in app.caption)
    app.session_state["canvas_0"] = canvas_state(drawing_of(data.x_test[7]))
    app.run()
    assert any("aim for 91% on the right digit" in caption.value for caption in app.caption)


def test_training_progress_counts_the_clock_the_finished_message_repeats(environment, tmp_path, open_page, monkeypatch):
    # the job's own clock says 15 s (its start, TensorFlow's import, the data); training has taken 3 s
    history = {
        "loss": [0.5] * 8,
        "accuracy": [0.9] * 8,
        "val_loss": [0.5] * 8,
        "val_accuracy": [0.9] * 8,
        "seconds": 3.2,
    }
    monkeypatch.setattr(StandInJob, "status", lambda self: Status(elapsed=15.0, **self._status))
    app, _ = page_with_job(
        environment, tmp_path, open_page, monkeypatch, {"state": "running", "phase": "training", "history": history}
    )
    [bar] = app.get("progress")
    assert "3 s of training so far" in bar.proto.text and "15 s" not in bar.proto.text


def test_the_model_reports_the_seconds_since_training_began():
    from core.digits import model as model_module

    reports = []
    callback = model_module.ProgressCallback(lambda *report: reports.append(report), 10)
    callback.on_train_begin()
    callback.on_train_batch_end(0)
    assert reports[-1][:3] == ("training", 1, 10) and 0 <= reports[-1][3]["seconds"] < 60


def test_a_silent_trainer_is_said_in_words(environment, tmp_path, open_page, monkeypatch):
    app, _ = page_with_job(
        environment,
        tmp_path,
        open_page,
        monkeypatch,
        {"state": "running", "phase": "training", "silent": 7.0, "workers": 1},
    )
    assert any("stopped answering (7 s without a word)" in warning.value for warning in app.warning)
    assert not app.get("progress")  # no progress bar that keeps counting as if all were well
