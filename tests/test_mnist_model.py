import dataclasses

import numpy as np
import pytest

from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import model as mnist_model
from core.digits.saved import ModelStore

QUICK = {
    "dense": mnist_model.Config(preset="dense", hidden=(32,), epochs=3, batch_size=32, learning_rate=0.003),
    "convolutional": dataclasses.replace(mnist_model.DEFAULT, hidden=(8, 16), epochs=2, batch_size=64),
    "nielsen": dataclasses.replace(mnist_model.PRESETS["nielsen"], epochs=3),
}


@pytest.fixture(scope="module")
def data(tiny_mnist):
    return mnist_data.from_npz(tiny_mnist)


@pytest.fixture(scope="module")
def trained(data):
    return mnist_model.train(QUICK["dense"], data)


@pytest.mark.slow
@pytest.mark.parametrize("preset", list(QUICK))
def test_every_preset_trains_and_its_loss_falls(data, preset):
    reports = []
    model, history = mnist_model.train(QUICK[preset], data, lambda *said: reports.append(said))
    assert len(history["loss"]) == QUICK[preset].epochs
    assert history["loss"][-1] < history["loss"][0]
    assert all(np.isfinite(history[name]).all() for name in ("loss", "accuracy", "val_loss", "val_accuracy"))
    phase, step, _, last_history = reports[-1]
    assert (phase, step, len(last_history["loss"])) == ("training", 0, QUICK[preset].epochs)  # the last epoch's end
    assert any(step > 0 for _, step, _, _ in reports)  # progress within an epoch, too
    assert model.output_shape == (None, 10)


def test_training_is_seeded(data):
    first = mnist_model.train(QUICK["dense"], data)[1]["loss"]
    second = mnist_model.train(QUICK["dense"], data)[1]["loss"]
    assert first == pytest.approx(second, rel=1e-5)


def test_trained_network_beats_chance_on_unseen_digits(data, trained):
    evaluation = mnist_model.evaluate(trained[0], data)
    assert evaluation["accuracy"] > 0.6
    confusion = np.array(evaluation["confusion"])
    assert confusion.sum() == len(data.y_test)
    assert np.trace(confusion) == round(evaluation["accuracy"] * len(data.y_test))
    for mistake in evaluation["mistakes"]:
        assert mistake["true"] == int(data.y_test[mistake["index"]]) != mistake["predicted"]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": 100.0}, "learning_rate"),
        ({"hidden": ()}, "1 to 3 blocks"),
        ({"hidden": (0, 8)}, "1 to 512 units"),
        ({"hidden": (8, 8, 8, 8)}, "1 to 3 blocks"),
        ({"activation": "softsign"}, "activation"),
        ({"preset": "giant"}, "unknown preset"),
        ({"batch_size": 33}, "batch_size"),
        ({"learning_rate": 0.002}, "learning_rate"),
    ],
)
def test_settings_outside_sane_bounds_are_refused(change, message):
    with pytest.raises(ValueError, match=message):
        mnist_model.validate(dataclasses.replace(mnist_model.DEFAULT, **change))


@pytest.mark.parametrize("preset", list(mnist_model.PRESETS))
def test_every_preset_is_among_the_training_forms_choices(preset):
    config = mnist_model.PRESETS[preset]
    assert config.activation in mnist_model.ACTIVATIONS
    assert config.batch_size in mnist_model.BATCH_SIZES
    assert config.learning_rate in mnist_model.LEARNING_RATES
    assert mnist_model.LIMITS["epochs"][0] <= config.epochs <= mnist_model.LIMITS["epochs"][1]
    assert mnist_model.validate(config) is config


def test_cache_key_depends_on_config_and_data():
    config = mnist_model.DEFAULT
    assert config.key("a") == mnist_model.Config().key("a")
    assert config.key("a") != config.key("b")
    assert config.key("a") != dataclasses.replace(config, epochs=3).key("a")


def test_cache_key_changes_when_the_recipes_layers_change(monkeypatch):
    before = mnist_model.DEFAULT.key("a")
    planned = mnist_config.layers

    def milder(config):  # the same network, shifted less while it trains
        return tuple(
            dataclasses.replace(layer, arguments=(0.01, 0.01)) if layer.kind == "RandomTranslation" else layer
            for layer in planned(config)
        )

    monkeypatch.setattr(mnist_config, "layers", milder)
    assert mnist_model.DEFAULT.key("a") != before


def card(model, history, data):
    return {
        "history": history,
        "evaluation": mnist_model.evaluate(model, data),
        "n_train": len(data.x_train),
        "data_source": data.source,
    }


def test_saved_model_loads_with_the_same_predictions(tmp_path, data, trained):
    model, history = trained
    store = ModelStore(tmp_path)
    assert store.save("k", model, card(model, history, data))
    loaded, metadata = store.load("k")  # the network as the server serves it, through ONNX Runtime
    assert metadata["history"]["loss"] == history["loss"]
    np.testing.assert_allclose(
        loaded.classify(data.x_test[:50]), mnist_model.classify(model, data.x_test[:50]), atol=1e-6
    )
    assert set(metadata["files"]) == {"format", "keras", "onnx", "weights"}
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_truncated_model_file_is_discarded(tmp_path, data, trained):
    store = ModelStore(tmp_path)
    store.save("k", trained[0], card(*trained, data))
    model_path, meta_path = store.paths("k")
    assert store.load_keras("k") is not None
    model_path.write_bytes(model_path.read_bytes()[:1000])
    assert store.load_keras("k") is None
    assert not model_path.exists() and not meta_path.exists()


def test_a_model_file_that_is_not_the_one_its_card_names_is_discarded_by_the_server(tmp_path, trained_default):
    import shutil

    shutil.copytree(trained_default.directory, tmp_path / "models")
    store = ModelStore(tmp_path / "models")
    key = mnist_model.DEFAULT.key(trained_default.data.data_id)
    model_path = store.paths(key)[0]
    model_path.write_bytes(model_path.read_bytes()[:-10])
    assert store.load(key) is None and not any(path.exists() for path in store.files_of(key))


def test_unwritable_directory_is_detected_and_nothing_is_written(tmp_path, trained):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    store = ModelStore(blocker / "models")  # cannot be created: its parent is a file
    assert not store.writable()
    assert store.save("k", trained[0], {}) is False


@pytest.mark.parametrize("metadata", [{}, {"history": {}}, [], "text", {"history": {"loss": "x"}, "evaluation": {}}])
def test_a_saved_model_whose_metadata_is_valid_json_of_the_wrong_shape_is_discarded(
    trained_default, tmp_path, metadata
):
    import json
    import shutil

    shutil.copytree(trained_default.directory, tmp_path / "models")
    store = ModelStore(tmp_path / "models")
    key = mnist_model.DEFAULT.key(trained_default.data.data_id)
    assert store.load(key) is not None
    store.paths(key)[1].write_text(json.dumps(metadata))
    assert store.load(key) is None and not store.has(key)  # gone, so the page trains it again


@pytest.mark.parametrize(
    "config",
    [
        *mnist_model.PRESETS.values(),
        mnist_model.Config(preset="dense", hidden=(512, 512, 64, 10)),
        mnist_model.Config(preset="convolutional", hidden=(8,)),
        mnist_model.Config(preset="convolutional", hidden=(4, 8)),
        mnist_model.Config(preset="convolutional", hidden=(512, 16, 64)),
    ],
)
def test_parameter_count_matches_keras(config):
    assert mnist_model.parameter_count(config) == mnist_model.build(config).count_params()


@pytest.mark.parametrize(
    "hidden, preset, message",
    [
        ((512,) * 200, "dense", "1 to 4 hidden layers"),
        ((512, 512, 512, 512), "dense", "at most 1,000,000"),
        ((512, 512, 512), "convolutional", "at most 1,000,000"),
    ],
)
def test_networks_too_large_to_train_here_are_refused(hidden, preset, message):
    with pytest.raises(ValueError, match=message):
        mnist_model.validate(dataclasses.replace(mnist_model.PRESETS[preset], hidden=hidden))


def test_shifted_copies_move_each_image_one_pixel_the_way_each_shift_says():
    images = np.random.default_rng(1).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    copies = mnist_config.shifted_copies(images)
    assert copies.shape == (len(mnist_config.SHIFTS) * 3, 28, 28) and copies.dtype == np.uint8
    for k, (down, right) in enumerate(mnist_config.SHIFTS):
        for i, image in enumerate(images):
            expected = np.zeros_like(image)  # pixel (r, c) comes from (r - down, c - right), black off the edge
            for r in range(28):
                for c in range(28):
                    if 0 <= r - down < 28 and 0 <= c - right < 28:
                        expected[r, c] = image[r - down, c - right]
            assert np.array_equal(copies[k * 3 + i], expected), (down, right, i)
    probabilities = np.random.default_rng(2).random((len(mnist_config.SHIFTS) * 3, 10))
    mean = mnist_config.averaged(probabilities)
    assert mean.shape == (3, 10)
    np.testing.assert_allclose(
        mean[1], np.mean([probabilities[k * 3 + 1] for k in range(len(mnist_config.SHIFTS))], axis=0)
    )
