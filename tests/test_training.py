"""Training an MNIST network as a background job, and the model folder it saves into: one job per
network, saved where the page finds it (or in a scratch folder where the model folder is
read-only), one trainer per network across servers, and a size budget for the folder."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from core.digits import data as mnist_data
from core.digits import model as mnist_model
from core.digits import training
from core.digits.saved import ModelStore
from core.jobs.local import Jobs
from tests.test_mnist_model import QUICK


def submit(jobs, config, data, directory, scratch):
    key = config.key(data.data_id)
    return jobs.submit(
        key,
        training.train_network,
        config=config,
        key=key,
        data_id=data.data_id,
        directory=str(directory),
        scratch=str(scratch),
    )


@pytest.mark.slow  # trains a network in a worker process
def test_one_job_per_network_trains_in_a_worker_and_saves_it(tmp_path, tiny_mnist, monkeypatch):
    monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
    data, config = mnist_data.load(), QUICK["dense"]
    jobs = Jobs()
    first = submit(jobs, config, data, tmp_path, tmp_path / "scratch")
    assert submit(jobs, config, data, tmp_path, tmp_path / "scratch") is first and jobs.started == 1
    status = first.wait(180)
    jobs.close()
    assert (status.state, status.result) == ("done", str(tmp_path)), status
    assert len(status.history["loss"]) == config.epochs
    _, metadata = ModelStore(tmp_path).load(config.key(data.data_id))
    assert metadata["evaluation"]["n_test"] == len(data.y_test) and metadata["data_source"] == data.source


@pytest.mark.slow  # trains a network in a worker process
def test_a_read_only_model_folder_has_the_network_saved_in_the_scratch_folder(tmp_path, tiny_mnist, monkeypatch):
    monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
    data, config = mnist_data.load(), QUICK["dense"]
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    jobs = Jobs()
    status = submit(jobs, config, data, blocker / "models", tmp_path / "scratch").wait(180)
    jobs.close()
    assert (status.state, status.result) == ("done", str(tmp_path / "scratch"))
    assert ModelStore(tmp_path / "scratch").load(config.key(data.data_id)) is not None


@pytest.mark.slow  # trains a network in a worker process
def test_a_restarted_server_picks_up_the_network_an_orphaned_trainer_saved(
    trained_default, tiny_mnist, tmp_path, monkeypatch
):
    from filelock import FileLock

    monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
    data, folder = trained_default.data, tmp_path / "models"
    folder.mkdir()
    key = mnist_model.DEFAULT.key(data.data_id)
    server = Jobs(max_running=1)
    with FileLock(folder / f"{key}.lock"):  # the orphan, still training
        job = submit(server, mnist_model.DEFAULT, data, folder, tmp_path / "scratch")
        while job.pid is None:  # until the worker has started and reached the lock
            job.ended.wait(0.2)
        job.ended.wait(5)  # five seconds in which it must not train
        assert job.status().phase == "starting"  # waits for the lock rather than training too
        for path in Path(trained_default.directory).glob(f"{key}*"):  # the orphan saves its network
            shutil.copy(path, folder / path.name)
    status = job.wait(300)
    server.close()
    assert (status.state, status.result) == ("done", str(folder))
    _, saved = ModelStore(folder).load(key)  # served as it is, not trained again
    assert (
        saved["history"] == json.loads(next(Path(trained_default.directory).glob(f"{key}.json")).read_text())["history"]
    )  # the orphan's network, not one trained again
    assert not status.history  # this job never trained


def touch(path, size, age=0):
    path.write_bytes(b"0" * size)
    moment = time.time() - age
    os.utime(path, (moment, moment))


def test_the_model_folder_keeps_to_its_budget_least_recently_used_first(tmp_path):
    for number, key in enumerate(["preset", "old", "middle", "new"]):
        touch(tmp_path / f"{key}.keras", 400)
        touch(tmp_path / f"{key}.onnx", 300)  # the files the server serves it from count too
        touch(tmp_path / f"{key}.weights.npz", 300)
        touch(tmp_path / f"{key}.json", 10, age=400 - 100 * number)
    touch(tmp_path / ".old.abc.keras", 0, age=7200)  # a trainer killed while saving
    touch(tmp_path / ".new.def.keras", 5, age=10)  # being written right now
    touch(tmp_path / "gone.neighbours.npz", 500, age=7200)  # its model was deleted
    touch(tmp_path / "gone.onnx", 500, age=7200)
    store = ModelStore(tmp_path)
    assert store.enforce_budget(budget_bytes=2100, keep={"preset"}) == ["old", "middle"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".new.def.keras",
        "new.json",
        "new.keras",
        "new.onnx",
        "new.weights.npz",
        "preset.json",
        "preset.keras",
        "preset.onnx",
        "preset.weights.npz",
    ]


def test_the_budget_counts_only_models_and_never_deletes_a_rooms_network(tmp_path):
    for number, key in enumerate(["room-K7QM3X-abc", "old", "new"]):
        touch(tmp_path / f"{key}.keras", 400)
        touch(tmp_path / f"{key}.onnx", 300)
        touch(tmp_path / f"{key}.weights.npz", 300)
        touch(tmp_path / f"{key}.json", 10, age=400 - 100 * number)
    touch(tmp_path / "class-lab.sqlite", 3_000_000)  # the class lab's drawings: not a model, not counted
    store = ModelStore(tmp_path)
    assert store.enforce_budget(budget_bytes=2100) == ["old"]  # the oldest is the room's network: kept
    assert (tmp_path / "class-lab.sqlite").exists() and store.has("room-K7QM3X-abc") and store.has("new")
