"""`python -m core.digits.pretrain` fills the model folder ahead of time; the app then serves from it
without ever training."""

import json
import os
import subprocess
import sys

import pytest

from core import jobs
from core.digits import model as mnist_model
from core.digits.saved import ModelStore
from tests.conftest import ROOT, metric


def pretrain(tiny_mnist, cache, *arguments):
    environment = {**os.environ, "MNIST_NPZ": str(tiny_mnist), "NN_EXPLORER_CACHE": str(cache)}
    finished = subprocess.run(
        [sys.executable, "-m", "core.digits.pretrain", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = [json.loads(line) for line in finished.stdout.splitlines() if line.startswith("{")]
    return finished, lines


@pytest.fixture(scope="module")
def pretrained(tiny_mnist, tmp_path_factory):
    cache = tmp_path_factory.mktemp("pretrained")
    finished, lines = pretrain(tiny_mnist, cache)
    assert finished.returncode == 0, finished.stderr[-2000:]
    return cache, lines


@pytest.mark.slow
def test_pretrain_saves_the_default_network_under_the_key_the_app_asks_for(pretrained, tiny_mnist, environment):
    cache, [line] = pretrained
    data = environment(cache)
    assert line["status"] == "trained" and line["preset"] == "convolutional"
    assert line["key"] == mnist_model.DEFAULT.key(data.data_id)
    model, metadata = ModelStore(cache).load(line["key"])
    assert metadata["evaluation"]["accuracy"] == pytest.approx(line["test_accuracy"], abs=1e-4)
    assert model.predict_one(data.x_test[0]).shape == (10,)  # served, through ONNX Runtime


def test_the_app_serves_a_pretrained_network_without_training(pretrained, environment, open_page, monkeypatch):
    cache, [line] = pretrained
    environment(cache)

    def no_training(*_, **__):
        raise AssertionError("the app started training although a pretrained network was saved")

    monkeypatch.setattr(mnist_model, "train", no_training)
    monkeypatch.setattr(jobs.runner(), "submit", no_training)
    started_before = jobs.runner().started
    app = open_page("lessons/mnist.py", timeout=90, params={"input": "Random test digit"})
    assert metric(app, "Test accuracy") == f"{line['test_accuracy']:.2%}"
    assert metric(app, "Prediction").isdigit()
    assert jobs.runner().started == started_before


@pytest.mark.slow
def test_a_second_run_keeps_a_saved_network_and_a_corrupt_one_is_trained_again(pretrained, tiny_mnist, tmp_path):
    cache, [line] = pretrained
    copy = tmp_path / "models"
    copy.mkdir()
    for path in ModelStore(cache).files_of(line["key"]):
        (copy / path.name).write_bytes(path.read_bytes())
    _, [again] = pretrain(tiny_mnist, copy)
    assert again["status"] == "already saved"
    model_path, _ = ModelStore(copy).paths(line["key"])
    model_path.write_bytes(model_path.read_bytes()[:100])  # truncated
    _, [rebuilt] = pretrain(tiny_mnist, copy)
    assert rebuilt["status"] == "trained" and ModelStore(copy).load(line["key"]) is not None


@pytest.mark.slow
def test_an_unwritable_model_folder_is_an_error_not_a_silent_success(tiny_mnist, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    finished, lines = pretrain(tiny_mnist, blocker / "models")
    assert finished.returncode == 1 and not lines
    assert "cannot be written" in finished.stderr


@pytest.mark.slow
def test_pretrain_trains_again_over_metadata_of_the_wrong_shape(pretrained, tiny_mnist, tmp_path):
    import shutil

    cache, [line] = pretrained
    shutil.copytree(cache, tmp_path / "models")
    (tmp_path / "models" / f"{line['key']}.json").write_text("{}")
    finished, [again] = pretrain(tiny_mnist, tmp_path / "models")
    assert finished.returncode == 0 and again["status"] == "trained"


@pytest.mark.slow
def test_pretrain_falls_back_when_the_data_file_is_damaged(tiny_mnist, tmp_path):
    data = tiny_mnist.read_bytes()
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(data[: len(data) // 2])
    environment = {
        **os.environ,
        "MNIST_NPZ": str(damaged),
        "NN_EXPLORER_CACHE": str(tmp_path / "models"),
        "KERAS_HOME": str(tmp_path / "keras"),
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
    }
    finished = subprocess.run(
        [sys.executable, "-m", "core.digits.pretrain", "--presets", "dense"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert "the file damaged.npz is damaged" in finished.stderr and "Traceback" not in finished.stderr
    assert json.loads(finished.stdout.splitlines()[-1])["data"].startswith("the offline sample")
