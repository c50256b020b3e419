"""The handwriting pages' code (core/code/digits.py) runs outside the app and builds, trains and
reads as the app does; a downloaded network loads outside the app and reads digits as the app does."""

import os
import re
import shutil

import nbformat
import numpy as np
import pytest

from core.code import digits as digits_code
from core.digits import config as mnist_config
from core.digits import network as served
from core.digits import preprocess, shipped
from harness import listings
from tests.conftest import saved_part

pytestmark = pytest.mark.slow  # each runs TensorFlow in a fresh process
SLICE = 1200


@pytest.fixture(scope="module")
def mnist_npz(tmp_path_factory):
    """A real MNIST file, as the app and the notebook read it through MNIST_NPZ: the first 6,000
    training and 1,000 test digits of the full set where one is named (CI names it), else of the
    sample the tests fall back to. A part, so that reading every test digit five times, in the
    listing and again in the test, costs seconds; reading and checking a file is tests/test_mnist_data.py's."""
    from core.digits import data as mnist_data

    named = os.environ.get("MNIST_NPZ")
    full = mnist_data.from_npz(named) if named and os.path.isfile(named) else mnist_data.from_sample()
    return str(saved_part(full, tmp_path_factory.mktemp("mnist") / "mnist.npz", 6000, 1000))


def small(preset):
    return mnist_config.Config(**{**mnist_config.PRESETS[preset].__dict__, "epochs": mnist_config.LIMITS["epochs"][0]})


@pytest.mark.parametrize("preset", list(mnist_config.PRESETS))
def test_the_handwriting_code_builds_the_app_network_and_trains_as_the_app_does(tmp_path, mnist_npz, preset):
    from core.digits import data as mnist_data
    from core.digits import model as mnist_model

    config = small(preset)
    listing = digits_code.handwriting_page(config, train_digits=SLICE)
    extra = "\nlayer_kinds = [type(layer).__name__ for layer in model.layers]\nparameters = model.count_params()\n"
    got = listings.run(listing, tmp_path, env={"MNIST_NPZ": mnist_npz}, extra=extra)
    app_model = mnist_model.build(config)
    assert got["layer_kinds"] == [type(layer).__name__ for layer in app_model.layers[1:]]  # after keras.Input
    assert got["parameters"] == app_model.count_params() == mnist_config.parameter_count(config)
    full = mnist_data.from_npz(mnist_npz)
    data = mnist_data.MnistData(full.x_train[:SLICE], full.y_train[:SLICE], full.x_test, full.y_test, full.source)
    model, _ = mnist_model.train(config, data)

    def accuracy(shifted):
        return float(np.mean(mnist_model.classify(model, data.x_test, shifted=shifted).argmax(axis=1) == data.y_test))

    # the same training, in another process: Keras's evaluate reads each digit once, the page five times
    assert got["test_accuracy"] == pytest.approx(accuracy(shifted=False), abs=0.01)
    assert got["test_accuracy_read_five_times"] == pytest.approx(accuracy(shifted=True), abs=0.01)
    assert got["answer"] == int(
        mnist_model.classify(
            model,
            preprocess.to_mnist(np.stack([np.kron(data.x_test[0], np.ones((10, 10), dtype=np.uint8))] * 3, axis=-1))[
                None
            ],
        ).argmax()
    )


def test_the_handwriting_notebook_runs_top_to_bottom(tmp_path, mnist_npz, monkeypatch):
    from nbclient import NotebookClient

    config = small("nielsen")  # the form's fewest epochs
    notebook = nbformat.reads(digits_code.handwriting_page(config, train_digits=6000).notebook(), as_version=4)
    monkeypatch.setenv("MNIST_NPZ", mnist_npz)
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "2")
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    printed = [
        "".join(output.get("text", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream"
    ]
    accuracy = next(
        float(found.group(1)) for text in printed if (found := re.search(r"test accuracy: ([\d.]+)%", text))
    )
    assert 50 < accuracy <= 100  # Nielsen's network after one epoch, where chance is 10%
    with np.load(mnist_npz) as data:
        first = int(data["y_test"][0])
    assert any(re.search(rf"read as \d \(\d+% sure\); it is a {first}", text) for text in printed)
    assert (tmp_path / "my_network.keras").is_file()


@pytest.mark.parametrize("kind, ending", [("keras", ".keras"), ("onnx", ".onnx")])
def test_a_downloaded_network_reads_100_test_digits_as_the_app_does(tmp_path, mnist_npz, kind, ending):
    from core.digits import data as mnist_data

    keras_file, _ = shipped.paths(shipped.DIRECTORY)
    onnx_file, weights = shipped.serving_paths(shipped.DIRECTORY)
    downloaded = tmp_path / f"network-default{ending}"
    shutil.copyfile(keras_file if kind == "keras" else onnx_file, downloaded)
    digits = mnist_data.from_npz(mnist_npz).x_test[:100]
    np.save(tmp_path / "digits.npy", digits)
    snippet = digits_code.loading_snippet(kind, downloaded.name)
    assert len(snippet.splitlines()) <= 8
    read_all = (
        "\ndigits = np.load('digits.npy')\nprobabilities = [read(digit).tolist() for digit in digits]\n"
        "answers = [int(np.argmax(p)) for p in probabilities]"
    )
    from core.code.listing import Listing, Step

    got = listings.run(
        Listing("load", "", (Step("", snippet),), ("answers", "probabilities"), "load"), tmp_path, extra=read_all
    )
    app = served.Network.load(onnx_file, weights)
    np.testing.assert_allclose(got["probabilities"], app.classify(digits), atol=1e-5)
    assert got["answers"] == app.classify(digits).argmax(axis=1).tolist()


def test_the_class_lab_code_fine_tunes_as_the_app_does(tmp_path, mnist_npz):
    import keras

    from core.digits import data as mnist_data
    from core.lab import finetune

    mnist = mnist_data.from_npz(mnist_npz)
    drawings, labels = mnist.x_test[:60], mnist.y_test[:60]  # a room's drawings, as "Download our set" writes them
    np.savez(tmp_path / "class-ROOM42.npz", x_train=drawings, y_train=labels)
    shutil.copyfile(shipped.paths(shipped.DIRECTORY)[0], tmp_path / "network-ROOM42.keras")
    listing = digits_code.finetune_page("ROOM42", epochs=1)
    got = listings.run(
        listing,
        tmp_path,
        env={"MNIST_NPZ": mnist_npz},
        extra="\ntrained_on = parts.train.tolist()\nheld_out = parts.held_out.tolist()\n",
    )
    parts = finetune.split(labels)
    assert (got["trained_on"], got["held_out"]) == (parts.train.tolist(), parts.held_out.tolist())
    model = keras.models.load_model(tmp_path / "network-ROOM42.keras", compile=False)
    _, summary = finetune.fine_tune(model, drawings, labels, mnist, epochs=1)
    assert got["after"] == pytest.approx(summary["held_out_after"], abs=0.1)
    assert got["before"] == pytest.approx(summary["held_out_before"], abs=1e-9)  # read five times, as the app does


def test_offline_the_code_loads_the_same_sample_the_page_falls_back_to(tmp_path):
    from core.code.listing import Listing, Step
    from core.digits import data as mnist_data

    listing = Listing("data", "", (Step("", digits_code.load_mnist()),), ("y_train", "y_test"), "data")
    offline = {
        "MNIST_NPZ": "",
        "KERAS_HOME": str(tmp_path / "keras"),  # nothing cached, and no way out:
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    got = listings.run(listing, tmp_path, env=offline)
    page = mnist_data.from_sample()  # what the page learns from and tests on offline
    assert (got["y_train"], got["y_test"]) == (page.y_train.tolist(), page.y_test.tolist())
