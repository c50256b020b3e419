"""Nielsen's dense network kept in models/ (core/digits/compared.py): the figure the Convolution
lesson sets beside the shipped network's is the one its files score, measured as the shipped one's."""

import json
import shutil

import numpy as np
import pytest

from core.digits import compared, scoring, shipped
from core.digits import config as mnist_config
from tests.conftest import full_mnist


def test_its_card_is_todays_nielsen_preset_measured_on_the_shipped_networks_test_digits():
    card, reference = compared.card(), shipped.card(shipped.DIRECTORY)
    assert card is not None and reference is not None
    assert mnist_config.Config(**card["config"]) == mnist_config.PRESETS["nielsen"]
    assert card["mnist_data_id"] == reference["mnist_data_id"] and card["n_test"] == reference["n_test"] == 10_000
    assert card["bytes"] == sum(path.stat().st_size for path in compared.paths()[1:]) <= 2 * 1024 * 1024


def numpy_reading(weights, images):
    """The network's answers in plain numpy: two sigmoid layers, each image averaged over the same
    shifted copies the page reads (an independent check of the Keras evaluation and of ONNX)."""
    copies = mnist_config.to_inputs(mnist_config.shifted_copies(images)).reshape(-1, 784).astype(np.float64)
    hidden = 1 / (1 + np.exp(-(copies @ weights["kernel_0"] + weights["bias_0"])))
    outputs = 1 / (1 + np.exp(-(hidden @ weights["kernel_1"] + weights["bias_1"])))
    return mnist_config.averaged(outputs)


def test_its_files_score_the_accuracy_on_its_card_read_by_onnx_and_by_numpy():
    data = full_mnist()
    network, card = compared.load()
    served = network.classify(data.x_test)
    with np.load(compared.paths()[2]) as weights:
        by_hand = numpy_reading(weights, data.x_test)
    np.testing.assert_allclose(served, by_hand, atol=1e-5)
    for probabilities in (served, by_hand):
        accuracy = scoring.evaluation(probabilities, data.y_test)["accuracy"]
        assert abs(accuracy - card["evaluation"]["accuracy"]) <= 2 / 10_000  # CPU rounding, at most 2 digits
    assert 0.9 < card["evaluation"]["accuracy"] < shipped.card(shipped.DIRECTORY)["evaluation"]["accuracy"]


@pytest.mark.parametrize("damage", ["a changed byte", "other settings", "no card", "a missing file"])
def test_a_damaged_copy_gives_no_figure(tmp_path, damage):
    for path in compared.paths():
        shutil.copy(path, tmp_path / path.name)
    card_path, onnx_path, weights_path = compared.paths(tmp_path)
    if damage == "a changed byte":
        data = bytearray(onnx_path.read_bytes())
        data[len(data) // 2] ^= 0xFF
        onnx_path.write_bytes(bytes(data))
    elif damage == "other settings":
        card = json.loads(card_path.read_text())
        card["config"]["epochs"] = 30
        card_path.write_text(json.dumps(card))
    elif damage == "no card":
        card_path.unlink()
    else:
        weights_path.unlink()
    assert compared.card(tmp_path) is None and compared.load(tmp_path) is None
    assert compared.card(compared.paths()[0].parent) is not None  # the kept copy is fine
