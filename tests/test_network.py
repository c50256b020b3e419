"""The server's networks without TensorFlow (core/digits/network.py), checked against Keras: for
every preset and the shipped network, ONNX Runtime's probabilities and hidden layers equal Keras's,
and the numpy saliency equals TensorFlow's GradientTape. Then the files themselves: missing,
damaged or mismatched serving files are refused in words, and made again by a trainer."""

import dataclasses
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from core.digits import config as mnist_config
from core.digits import model as mnist_model
from core.digits import network, shipped, training
from core.digits.network import Network, ServingFilesError
from core.digits.saved import ModelStore

ROOT = Path(__file__).resolve().parents[1]
DIGITS = 200


@pytest.fixture(scope="module")
def saved(trained_default):
    """Every preset, trained one epoch on the small file and saved as the app saves it, and the
    shipped network: name → (Keras model, served Network)."""
    data = trained_default.data
    store = ModelStore(tempfile.mkdtemp(prefix="presets-"))
    found = {}
    for name, preset in mnist_config.PRESETS.items():
        config = dataclasses.replace(preset, epochs=1)
        training.train_and_save(config, data, store)
        key = config.key(data.data_id)
        found[name] = (store.load_keras(key)[0], store.load(key)[0])
    found["shipped"] = (shipped.load_keras(shipped.DIRECTORY)[0], shipped.load(shipped.DIRECTORY)[0])
    return found, data


def keras_outputs(model, images):
    """Keras's own answers: every hidden layer's output and the probabilities, through its layers."""
    layers = [layer for layer in model.layers if isinstance(layer, (keras.layers.Conv2D, keras.layers.Dense))]
    probe = keras.Model(model.inputs, [layer.output for layer in layers])
    *hidden, probabilities = probe.predict_on_batch(mnist_config.to_inputs(images))
    return hidden, probabilities


def gradient_tape_saliency(model, image, digit):
    """Gradient × input of the output neuron's z for `digit`, from TensorFlow's autodiff."""
    output = model.get_layer("probabilities")
    embedder = keras.Model(model.inputs, output.input)
    inputs = tf.constant(mnist_config.to_inputs(image[None]))
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        hidden = tf.reshape(embedder(inputs, training=False), (1, -1))
        score = tf.linalg.matvec(hidden, output.kernel[:, digit])[0] + output.bias[digit]
    return (tape.gradient(score, inputs).numpy() * inputs.numpy())[0, :, :, 0]


@pytest.mark.slow
@pytest.mark.parametrize("name", [*mnist_config.PRESETS, "shipped"])
def test_onnx_runtime_answers_as_keras_does(saved, name):
    networks, data = saved
    model, served = networks[name]
    images = data.x_test[:DIGITS]
    hidden, probabilities = keras_outputs(model, images)
    np.testing.assert_allclose(served.classify(images, shifted=False), probabilities, atol=1e-5)
    # read as the app reads: the mean of Keras's answers for each image moved by each shift, by np.roll
    moved = [
        np.roll(np.pad(images, ((0, 0), (1, 1), (1, 1))), shift, axis=(1, 2))[:, 1:-1, 1:-1]
        for shift in mnist_config.SHIFTS
    ]
    mean = np.mean([keras_outputs(model, copies)[1] for copies in moved], axis=0)
    np.testing.assert_allclose(served.classify(images), mean, atol=1e-5)
    for index, image in enumerate(images[:20]):  # every hidden layer, one digit at a time as the page asks
        inside = served.look(image)
        np.testing.assert_allclose(inside.probabilities, mean[index], atol=1e-5)
        assert len(inside.activations) == len(hidden)
        for (_, values), expected in zip(inside.activations, hidden):
            np.testing.assert_allclose(values, expected[index], atol=1e-5)
    layers = [values.reshape(len(images), -1) for values in hidden]
    np.testing.assert_allclose(
        served.embeddings(images),
        (
            layers[-1]
            if served.dense
            else keras.Model(model.inputs, model.get_layer("probabilities").input).predict_on_batch(
                mnist_config.to_inputs(images)
            )
        ),
        atol=1e-5,
    )


@pytest.mark.parametrize("name", [*mnist_config.PRESETS, "shipped"])
def test_the_numpy_saliency_equals_tensorflows_gradient_tape(saved, name):
    networks, data = saved
    model, served = networks[name]
    for image in data.x_test[:12] / 255.0:
        digit = int(served.predict_one(image).argmax())
        expected = gradient_tape_saliency(model, image, digit)
        np.testing.assert_allclose(
            served.saliency(image, digit), expected, rtol=1e-4, atol=1e-4 * max(np.abs(expected).max(), 1e-3)
        )


def test_pooling_sends_each_windows_gradient_to_its_largest_input():
    before = np.array([[1.0, 3.0], [2.0, 0.5]])[..., None]
    back = network._unpool(np.array([[[7.0]]]), before, 2)
    np.testing.assert_array_equal(back[..., 0], [[0, 7], [0, 0]])


def test_a_convolutions_backward_pass_matches_finite_differences():
    rng = np.random.default_rng(1)
    image, kernel = rng.random((6, 6, 2)), rng.normal(size=(3, 3, 2, 3))
    upstream = rng.normal(size=(6, 6, 3))

    def total(x):  # Σ upstream · conv(x) with 'same' padding
        padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
        z = sum(padded[dy : dy + 6, dx : dx + 6] @ kernel[dy, dx] for dy in range(3) for dx in range(3))
        return float((upstream * z).sum())

    back = network._conv_back(upstream, kernel, "same")
    step = 1e-6
    for where in [(0, 0, 0), (2, 3, 1), (5, 5, 0)]:
        up, down = image.copy(), image.copy()
        up[where] += step
        down[where] -= step
        assert back[where] == pytest.approx((total(up) - total(down)) / (2 * step), rel=1e-5)


@pytest.fixture
def folder(trained_default, tmp_path):
    """A copy of the small default network's folder, and its key."""
    shutil.copytree(trained_default.directory, tmp_path / "models")
    return ModelStore(tmp_path / "models"), mnist_config.DEFAULT.key(trained_default.data.data_id)


@pytest.mark.parametrize(
    "damage", ["missing onnx", "truncated onnx", "missing weights", "weights not an npz", "older version"]
)
def test_damaged_serving_files_are_refused_and_a_trainer_makes_them_again(folder, trained_default, damage):
    store, key = folder
    onnx_path, weights_path = store.serving_paths(key)
    history = json.loads(store.paths(key)[1].read_text())["history"]
    if damage == "missing onnx":
        onnx_path.unlink()
    elif damage == "truncated onnx":
        onnx_path.write_bytes(onnx_path.read_bytes()[:500])
    elif damage == "missing weights":
        weights_path.unlink()
    elif damage == "weights not an npz":
        weights_path.write_text("not an npz")
    else:  # a card written before serving files existed
        card = json.loads(store.paths(key)[1].read_text())
        del card["files"]
        store.paths(key)[1].write_text(json.dumps(card))
    assert store.load(key) is None and not store.has(key)
    assert store.paths(key)[0].exists()  # the .keras file stays: the serving files are made from it
    phases = []
    training.train_network(
        lambda phase, **_: phases.append(phase),
        mnist_config.DEFAULT,
        key,
        trained_default.data.data_id,
        str(store.directory),
        scratch=tempfile.mkdtemp(),
    )
    assert phases[-1] == training.PREPARING and "training" not in phases  # made again, not trained again
    served, metadata = store.load(key)
    assert metadata["history"] == history
    np.testing.assert_allclose(
        served.classify(trained_default.data.x_test[:20]),
        mnist_model.classify(store.load_keras(key)[0], trained_default.data.x_test[:20]),
        atol=1e-5,
    )


def test_the_files_say_what_is_wrong_with_them(folder, tmp_path):
    store, key = folder
    onnx_path, weights_path = store.serving_paths(key)
    with pytest.raises(ServingFilesError, match="missing"):
        Network.load(tmp_path / "nothing.onnx", weights_path)
    garbage = tmp_path / "garbage.onnx"
    garbage.write_bytes(b"\x00" * 64)
    with pytest.raises(ServingFilesError, match="garbage.onnx cannot be read"):
        Network.load(garbage, weights_path)
    with np.load(weights_path) as saved:
        arrays = {name: saved[name] for name in saved.files}
    arrays["kernel_0"] = arrays["kernel_0"][..., :-1]  # one filter too few for its biases
    short = tmp_path / "short.npz"
    np.savez(short, **arrays)
    with pytest.raises(ServingFilesError, match="layer 1's weights have the wrong shape"):
        Network.load(onnx_path, short)


def test_the_shipped_network_ships_its_serving_files_within_its_budget():
    card = shipped.card(shipped.DIRECTORY)
    assert shipped.problem(shipped.DIRECTORY) is None
    files = [*shipped.paths(shipped.DIRECTORY), *shipped.serving_paths(shipped.DIRECTORY)]
    assert sum(path.stat().st_size for path in files) <= shipped.MAX_BYTES
    assert card["serving"]["onnx"] == shipped.sha256(shipped.serving_paths(shipped.DIRECTORY)[0])


def test_a_shipped_network_with_a_damaged_onnx_file_is_refused_in_words(tmp_path, caplog):
    for path in (*shipped.paths(shipped.DIRECTORY), *shipped.serving_paths(shipped.DIRECTORY)):
        shutil.copy(path, tmp_path)
    onnx_path = shipped.serving_paths(tmp_path)[0]
    onnx_path.write_bytes(onnx_path.read_bytes()[:-100])
    assert "default.onnx is missing or does not match the checksum on its card" in shipped.problem(tmp_path)
    assert shipped.load(tmp_path) is None


SERVER_SIDE = textwrap.dedent("""
    import sys
    from streamlit.testing.v1 import AppTest
    for page, params in [("lessons/mnist.py", {"input": "Random test digit"}), ("lessons/class_lab.py", {})]:
        app = AppTest.from_file(page, default_timeout=120)
        for name, value in params.items():
            app.query_params[name] = value
        app.run()
        assert not app.exception, [e.value for e in app.exception]
    loaded = sorted(name for name in sys.modules if name.split(".")[0] in ("tensorflow", "keras", "tf2onnx"))
    print(len(loaded), loaded[:5])
""")


def test_the_handwriting_pages_run_without_importing_tensorflow(tmp_path, tiny_mnist):
    # A fresh interpreter: this test's own process has imported TensorFlow to check the numbers.
    import os

    environment = {
        **os.environ,
        "NN_EXPLORER_CACHE": str(tmp_path / "models"),
        "MNIST_NPZ": str(tiny_mnist),
        "NN_EXPLORER_SHIPPED": str(shipped.DIRECTORY),
        "NN_EXPLORER_DB": f"sqlite:///{tmp_path / 'lab.db'}",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVER_SIDE], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "0 []"


def test_a_rooms_network_without_its_serving_files_has_them_made_and_a_gone_one_is_said(folder):
    from core.jobs import JobError

    store, key = folder
    store.serving_paths(key)[0].unlink()
    phases = []
    assert training.prepare_for_serving(lambda phase, **_: phases.append(phase), key, str(store.directory))
    assert phases == [training.PREPARING] and store.load(key) is not None
    store.discard(key)
    with pytest.raises(JobError, match="the saved network is gone or damaged"):
        training.prepare_for_serving(lambda *_, **__: None, key, str(store.directory))


def test_memory_freed_after_a_burst_goes_back_to_the_system():
    import os

    from core.memory import release_freed_memory
    from harness.server import rss_mb

    chunks = [np.ones(1000, dtype=np.float64) for _ in range(60_000)]  # 480 MB in small blocks, on the heap
    peak = rss_mb(os.getpid())
    del chunks
    assert release_freed_memory()
    assert rss_mb(os.getpid()) < peak - 200
