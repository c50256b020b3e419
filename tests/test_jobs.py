"""The training queue and the model folder under a demanding class: a cap on trainings at once,
one waiting job per session, abandoned jobs cancelled, dead trainers retried once, no zombies, no
workspaces left behind, one trainer per network across servers, and a size budget for the folder.

Most tests use a stand-in trainer (`stand_in`, below) so that they exercise the registry itself in
real processes without waiting for TensorFlow."""
import dataclasses
import json
import os
import shutil
import time
from pathlib import Path

import pytest

from core.digits import jobs, model as mnist_model
from core.digits.store import ModelStore

DONE, DIE, FAIL = 0, 1, 2  # what the stand-in does, chosen by the config's seed


def stand_in(config_fields, data_id, directory, workspace):
    """Sleep for `epochs` tenths of a second, then finish, die without a word, or report failure."""
    time.sleep(config_fields["epochs"] / 10)
    if config_fields["seed"] == DIE:
        os._exit(9)
    progress = Path(workspace) / jobs.PROGRESS_FILE
    state = {"state": "done", "in_cache": True, "history": {}} if config_fields["seed"] == DONE else \
        {"state": "failed", "error": "the training stopped with an error"}
    progress.write_text(json.dumps(state))


def config(name, tenths=1, seed=DONE):
    return dataclasses.replace(mnist_model.DEFAULT, hidden=(len(name) + 1,), epochs=tenths, seed=seed)


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(jobs, "run", stand_in)
    created = []

    def make(**settings):
        created.append(jobs.JobRegistry(**settings))
        return created[-1]
    yield make
    for made in created:
        made.close()


def ask(registry, name, owner, tenths=1, seed=DONE, directory="/nonexistent"):
    return registry.get_or_start(name, config(name, tenths, seed), "data", directory, owner=owner)


def test_at_most_the_cap_trains_at_once_and_the_rest_wait_in_order(registry):
    server = registry(max_running=1)
    first, second, third = (ask(server, name, owner, tenths=30) for name, owner in
                            (("a", "s1"), ("b", "s2"), ("c", "s3")))
    assert first.running and not second.running and not third.running
    assert (second.status()["state"], second.status()["ahead"]) == ("queued", 1)
    assert third.status()["ahead"] == 2  # "2 trainings ahead of yours"
    assert first.wait(60)["state"] == "done"
    time.sleep(0.5)
    assert second.running and third.status()["ahead"] == 1


def test_a_sessions_new_request_replaces_its_waiting_one(registry):
    server = registry(max_running=1)
    running = ask(server, "a", "s1", tenths=30)
    ask(server, "b", "s1")
    shared = ask(server, "c", "s2")
    ask(server, "c", "s1")  # s1 now wants c, which s2 wants too
    assert server.get("b") is None  # replaced before it started
    latest = ask(server, "d", "s1")
    assert server.get("c") is shared and server.get("d") is latest  # c stays: s2 still wants it
    assert running.running and server.started == 1


def test_a_job_nobody_looks_at_is_cancelled(registry):
    server = registry(max_running=1, abandoned_after=0.5)
    forgotten = ask(server, "a", "s1", tenths=100)
    waiting = ask(server, "b", "s2", tenths=1)
    time.sleep(1.0)
    waiting.status()  # s2 is still looking; s1 has gone
    server.housekeeping()
    assert server.get("a") is None and forgotten.cancelled
    forgotten.process.join(10)
    assert forgotten.process.exitcode is not None
    assert waiting.wait(60)["state"] == "done"


def test_a_trainer_that_dies_is_started_once_more_then_reported(registry):
    server = registry(max_running=1)
    job = ask(server, "a", "s1", seed=DIE)
    status = job.wait(60)
    assert status["state"] == "failed" and "twice" in status["error"]
    assert job.attempts == 2 and server.started == 2
    assert ask(server, "a", "s1", seed=DIE) is job  # no retry loop: the page offers Retry instead
    server.retry("a")
    assert ask(server, "a", "s1") is not job


def test_a_finished_trainer_is_reaped_at_once_and_leaves_no_workspace(registry):
    server = registry(max_running=2)
    job = ask(server, "a", "s1")
    job.wait(60)
    time.sleep(0.3)
    assert job.process.exitcode == 0
    assert not Path(f"/proc/{job.process.pid}").exists()  # not even a zombie
    assert not job.workspace.exists()


def test_a_restarted_server_picks_up_the_network_an_orphaned_trainer_saved(trained_default, tiny_mnist,
                                                                            tmp_path, monkeypatch):
    from filelock import FileLock

    monkeypatch.setenv("MNIST_NPZ", str(tiny_mnist))
    data, folder = trained_default.data, tmp_path / "models"
    folder.mkdir()
    key = mnist_model.DEFAULT.key(data.data_id)
    server = jobs.JobRegistry(max_running=1)
    with FileLock(folder / f"{key}.lock"):  # the orphan, still training
        job = server.get_or_start(key, mnist_model.DEFAULT, data.data_id, folder, owner="s1")
        time.sleep(8)
        assert job.status()["state"] == "starting"  # waits for the lock rather than training too
        for path in Path(trained_default.directory).glob(f"{key}*"):  # the orphan saves its network
            shutil.copy(path, folder / path.name)
    status = job.wait(300)
    server.close()
    assert status["state"] == "done" and status["in_cache"]
    _, saved = ModelStore(folder).load(key)
    assert status["history"] == saved["history"]  # the orphan's network, not one trained again


def touch(path, size, age=0):
    path.write_bytes(b"0" * size)
    moment = time.time() - age
    os.utime(path, (moment, moment))


def test_the_model_folder_keeps_to_its_budget_least_recently_used_first(tmp_path):
    for number, key in enumerate(["preset", "old", "middle", "new"]):
        touch(tmp_path / f"{key}.keras", 1000)
        touch(tmp_path / f"{key}.json", 10, age=400 - 100 * number)
    touch(tmp_path / ".old.abc.keras", 0, age=7200)  # a trainer killed while saving
    touch(tmp_path / ".new.def.keras", 5, age=10)  # being written right now
    touch(tmp_path / "gone.neighbours.npz", 500, age=7200)  # its model was deleted
    store = ModelStore(tmp_path)
    assert store.enforce_budget(budget_bytes=2100, keep={"preset"}) == ["old", "middle"]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        ".new.def.keras", "new.json", "new.keras", "preset.json", "preset.keras"]


def test_the_budget_counts_only_models_and_never_deletes_a_rooms_network(tmp_path):
    for number, key in enumerate(["room-K7QM3X-abc", "old", "new"]):
        touch(tmp_path / f"{key}.keras", 1000)
        touch(tmp_path / f"{key}.json", 10, age=400 - 100 * number)
    touch(tmp_path / "class-lab.sqlite", 3_000_000)  # the class lab's drawings: not a model, not counted
    store = ModelStore(tmp_path)
    assert store.enforce_budget(budget_bytes=2100) == ["old"]  # the oldest is the room's network: kept
    assert (tmp_path / "class-lab.sqlite").exists() and store.has("room-K7QM3X-abc") and store.has("new")


def slow_task(marker, workspace):
    """A job body that would finish, and leave a mark, after a few seconds."""
    Path(marker).with_suffix(".pid").write_text(str(os.getpid()))
    time.sleep(6)
    Path(marker).write_text("finished")


SERVER = """
import sys, time
from core.digits import jobs
from tests.test_jobs import slow_task
registry = jobs.JobRegistry(max_running=1)
registry.get_or_start("room-K7QM3X-x", None, "data", "/nonexistent", task=(slow_task, (sys.argv[1],)))
time.sleep(60)
"""


def test_a_trainer_dies_with_a_server_killed_outright_and_never_finishes_for_nobody(tmp_path):
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    marker = tmp_path / "finished"
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(marker)], cwd=ROOT)
    pid_file = marker.with_suffix(".pid")
    for _ in range(300):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.1)
    trainer = int(pid_file.read_text())
    server.send_signal(signal.SIGKILL)
    server.wait()
    for _ in range(50):
        if not Path(f"/proc/{trainer}").exists() or "Z" in Path(f"/proc/{trainer}/stat").read_text().split()[2]:
            break
        time.sleep(0.1)
    state = Path(f"/proc/{trainer}/stat").read_text().split()[2] if Path(f"/proc/{trainer}").exists() else "gone"
    assert state in ("gone", "Z")  # killed with its server (a zombie until its new parent reaps it)
    time.sleep(7)
    assert not marker.exists()  # it never finished


def test_workspaces_no_trainer_wrote_to_for_an_hour_are_removed(tmp_path, monkeypatch):
    monkeypatch.setattr(jobs.tempfile, "gettempdir", lambda: str(tmp_path))
    stale, fresh = tmp_path / f"{jobs.WORKSPACE_PREFIX}old", tmp_path / f"{jobs.WORKSPACE_PREFIX}new"
    for folder, age in ((stale, 7200), (fresh, 10)):
        folder.mkdir()
        touch(folder / "progress.json", 10, age=age)
        os.utime(folder, (time.time() - age, time.time() - age))
    jobs.remove_stale_workspaces()
    assert not stale.exists() and fresh.exists()
