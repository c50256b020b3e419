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
from core.digits import nested, pendigits, shipped
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


@pytest.mark.slow
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


@pytest.mark.slow
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


def test_its_pen_figures_are_the_final_writers_and_it_never_learnt_from_them():
    pen = shipped.card(shipped.DIRECTORY)["pen"]
    assert pen["final_writers"] == list(nested.FINAL) and pen["writers_learnt_from"] == list(nested.CHOOSING)
    assert not set(pen["final_writers"]) & set(pen["writers_learnt_from"]) and pen["recipe"] == nested.CHOSEN
    seeds = {row["seed"]: row for row in pen["by_seed"]}
    assert sorted(seeds) == list(nested.SEEDS)
    assert pen["unseen_writers_accuracy"] == seeds[mnist_model.DEFAULT.seed]["pen_accuracy"]
    assert pen["lowest_over_seeds"] == min(row["pen_accuracy"] for row in pen["by_seed"])


@pytest.mark.slow
@pytest.mark.skipif(not pendigits.path().exists(), reason=f"no pendigits file at {pendigits.path()}")
def test_it_reads_the_final_writers_as_its_card_says_and_the_page_says_so(
    environment, tmp_path, use_shipped, open_page
):
    served, card = shipped.load(shipped.DIRECTORY)  # as the server serves it: ONNX Runtime
    images, truth = pendigits.as_mnist(pendigits.writers_of(pendigits.read(), nested.FINAL))
    accuracy = float(np.mean(served.classify(images).argmax(axis=1) == truth))
    assert len(truth) == card["pen"]["unseen_digits"]
    assert abs(accuracy - card["pen"]["unseen_writers_accuracy"]) <= 2 / len(truth)  # CPU rounding
    environment(tmp_path / "models")  # the page's caches cleared, the shipped network served
    app = open_page(PAGE, timeout=90)
    said = " ".join(markdown.value for markdown in app.markdown)
    assert f"it reads **{card['pen']['unseen_writers_accuracy']:.1%}** correctly" in said
    assert f"the lowest, {card['pen']['lowest_over_seeds']:.1%}, is the figure to expect" in said


@pytest.mark.slow
@pytest.mark.skipif(not pendigits.path().exists(), reason=f"no pendigits file at {pendigits.path()}")
def test_pen_training_digits_are_each_writers_digits_drawn_several_ways():
    digits = pendigits.read()
    mine = pendigits.writers_of(digits, [3])
    recipe = nested.IDEAS[nested.CHOSEN]
    images, labels, writers = nested.drawn(mine, recipe)
    copies = recipe.copies
    assert images.shape == (len(mine) * copies, 28, 28) and labels.tolist() == [d.label for d in mine] * copies
    assert set(writers.tolist()) == {3}
    first, _ = pendigits.as_mnist(mine, *recipe.drawings[0])
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
