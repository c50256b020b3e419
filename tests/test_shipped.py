"""The default network that ships with the app (models/): today's default, unchanged since it was
measured, honest about what it learnt from, and used without training anything."""

import hashlib
import json
import os
import shutil

import numpy as np
import pytest

from core import jobs
from core.digits import data as mnist_data
from core.digits import model as mnist_model
from core.digits import pendigits, shipped
from tests.conftest import full_mnist, metric

PAGE = "lessons/mnist.py"


@pytest.fixture
def use_shipped(monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_SHIPPED", str(shipped.DIRECTORY))


def test_the_shipped_network_is_todays_default_small_and_unchanged():
    network, card_path = shipped.paths(shipped.DIRECTORY)
    card = json.loads(card_path.read_text())
    assert shipped.problem(shipped.DIRECTORY) is None
    assert card["sha256"] == hashlib.sha256(network.read_bytes()).hexdigest()
    files = [network, *shipped.serving_paths(shipped.DIRECTORY)]
    assert card["bytes"] == sum(path.stat().st_size for path in files) <= 2 * 1024 * 1024
    assert mnist_model.Config(**{**card["config"], "hidden": tuple(card["config"]["hidden"])}) == mnist_model.DEFAULT
    served, metadata = shipped.load(shipped.DIRECTORY)
    assert served.predict_one(full_or_sample().x_test[0]).shape == (10,) and metadata == card
    model, _ = shipped.load_keras(shipped.DIRECTORY)
    assert model.output_shape == (None, 10)


def full_or_sample():
    path = os.environ.get("MNIST_NPZ")
    return mnist_data.from_npz(path) if path and os.path.exists(path) else mnist_data.from_sample()


def test_it_scores_its_recorded_accuracy_on_mnists_test_digits():
    data = full_mnist()
    served, card = shipped.load(shipped.DIRECTORY)  # as the server serves it: ONNX Runtime
    assert card["mnist_data_id"] == data.data_id and shipped.judged_on(card, data)
    from core.digits import scoring

    evaluation = scoring.evaluation(served.classify(data.x_test), data.y_test)
    assert abs(evaluation["accuracy"] - card["evaluation"]["accuracy"]) <= 2 / 10_000  # CPU rounding, at most 2 digits
    assert evaluation["accuracy"] >= 0.993


@pytest.mark.parametrize("damage", ["a changed byte", "other settings", "no card"])
def test_a_damaged_or_outdated_copy_is_not_used(tmp_path, damage):
    for path in (*shipped.paths(shipped.DIRECTORY), *shipped.serving_paths(shipped.DIRECTORY)):
        shutil.copy(path, tmp_path / path.name)
    network, card_path = shipped.paths(tmp_path)
    if damage == "a changed byte":
        data = bytearray(network.read_bytes())
        data[len(data) // 2] ^= 0xFF
        network.write_bytes(bytes(data))
    elif damage == "other settings":
        card = json.loads(card_path.read_text())
        card["config"]["epochs"] += 1
        card_path.write_text(json.dumps(card))
    else:
        card_path.unlink()
    assert shipped.problem(tmp_path)
    assert shipped.load(tmp_path) is None


def test_the_offline_sample_is_no_test_for_the_shipped_network():
    card = shipped.card(shipped.DIRECTORY)
    sample = mnist_data.from_sample()  # 5,000 of MNIST's training digits, all of which it learnt from
    assert not shipped.judged_on(card, sample)
    trained_here = {key: value for key, value in card.items() if key != "mnist_data_id"}
    assert shipped.judged_on(trained_here, sample)  # a network trained on the sample's own training split


def test_offline_the_page_uses_it_without_training_and_says_no_unseen_digits_exist(
    environment, tmp_path, use_shipped, open_page
):
    data = environment(tmp_path / "models")  # a cut of the offline sample: MNIST training digits
    earlier_job = jobs.runner().get(mnist_model.DEFAULT.key(data.data_id))  # left by other tests, if any
    app = open_page(PAGE, timeout=90)
    assert not app.exception
    assert jobs.runner().get(mnist_model.DEFAULT.key(data.data_id)) is earlier_job  # none started
    assert not any("appear when training finishes" in info.value for info in app.info)
    assert any("comes trained with the app" in success.value for success in app.success)
    card = shipped.card(shipped.DIRECTORY)
    assert metric(app, "Test accuracy") == f"{card['evaluation']['accuracy']:.2%}"
    assert any("no unseen test digits are available" in info.value for info in app.info)
    assert not any("most confident mistakes" in markdown.value for markdown in app.markdown)  # not on seen digits
    app.selectbox(key="input").set_value("Random test digit").run()
    assert any("learnt from it" in caption.value for caption in app.caption)
    assert not app.exception
    assert metric(app, "Prediction") in [str(digit) for digit in range(10)]


def test_with_full_mnist_its_mistakes_are_shown_on_real_test_digits(
    environment, tmp_path, use_shipped, monkeypatch, open_page
):
    path = full_mnist() and os.environ["MNIST_NPZ"]
    environment(tmp_path / "models")
    monkeypatch.setenv("MNIST_NPZ", path)
    app = open_page(PAGE, timeout=120)
    assert not app.exception
    assert not any("no unseen test digits" in info.value for info in app.info)
    assert any("Its most confident mistakes" in markdown.value for markdown in app.markdown)
    app.selectbox(key="input").set_value("Random test digit").run()
    assert any(caption.value.startswith("Test digit number") for caption in app.caption)


def test_cross_validated_figures_are_the_mean_over_folds_and_the_lowest_over_seeds():
    rng = np.random.default_rng(3)
    rows = [
        {
            "seed": seed,
            "fold": fold,
            "pen_accuracy": float(rng.uniform(0.98, 1)),
            "mnist_test_accuracy": float(rng.uniform(0.99, 1)),
            "pen_accuracy_read_once": float(rng.uniform(0.98, 1)),
            "mnist_test_accuracy_read_once": float(rng.uniform(0.99, 1)),
            "seconds": 1.0,
        }
        for seed in (0, 1, 2)
        for fold in (1, 2, 3)
    ]
    summary = shipped.cross_validated(rows)
    pen = np.array([row["pen_accuracy"] for row in rows]).reshape(3, 3)
    mnist = np.array([row["mnist_test_accuracy"] for row in rows]).reshape(3, 3)
    assert summary["pen_accuracy_by_seed"] == pytest.approx(dict(enumerate(pen.mean(axis=1))))
    assert summary["pen_accuracy_lowest_seed"] == pytest.approx(pen.mean(axis=1).min())
    assert summary["mnist_test_lowest"] == pytest.approx(mnist.min())
    # the fold that learnt from the shipped network's writers (those of every fold but the last)
    assert not set(shipped.FOLDS[-1]) & set(shipped.PEN_WRITERS)
    assert summary["mnist_as_shipped_lowest"] == pytest.approx(mnist[:, -1].min())


def test_the_folds_split_all_thirty_writers_and_the_shipped_network_leaves_one_out():
    writers = [writer for fold in shipped.FOLDS for writer in fold]
    assert sorted(writers) == list(range(1, 31))
    assert set(shipped.PEN_WRITERS) == set(writers) - set(shipped.FOLDS[-1])


@pytest.mark.skipif(not pendigits.path().exists(), reason=f"no pendigits file at {pendigits.path()}")
def test_pen_training_digits_are_each_writers_digits_drawn_several_ways():
    digits = pendigits.read()
    images, labels = shipped.pen_training_digits(digits, writers=[3])
    mine = pendigits.writers_of(digits, [3])
    copies = len(shipped.PEN_DRAWINGS) + shipped.PEN_VARIATIONS
    assert images.shape == (len(mine) * copies, 28, 28) and labels.tolist() == [d.label for d in mine] * copies
    first, _ = pendigits.as_mnist(mine, *shipped.PEN_DRAWINGS[0])
    assert np.array_equal(images[: len(mine)], first)
    assert len({images[i * len(mine)].tobytes() for i in range(copies)}) == copies  # no two copies alike


def test_the_downloaded_onnx_files_first_output_is_the_probabilities():
    # a learner runs session.run(None, …)[0], or opens the file in a viewer: the answer comes first
    import onnxruntime

    from core.digits import network as served

    onnx_file, _ = shipped.serving_paths(shipped.DIRECTORY)
    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    assert session.get_outputs()[0].name == served.PROBABILITIES
    images = np.random.default_rng(0).random((3, 28, 28, 1), dtype=np.float32)
    first = session.run(None, {served.INPUT: images})[0]
    assert first.shape == (3, 10) and np.allclose(first.sum(axis=1), 1, atol=1e-5)
