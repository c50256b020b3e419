"""The background-work registry under a demanding class: one job per key, a cap on jobs at once,
one waiting job per session, abandoned jobs cancelled, dead workers started once more, results and
reasons reported, nothing left behind, and no worker outliving its server.

The job bodies here are stand-ins that run in real worker processes. Each tells the test it has
started through a Unix socket and waits there for its orders, so the tests wait on events (a
connection, a word, a closed socket), never on the clock."""

import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from core.jobs import JobError, local
from core.jobs.status import ATTEMPTS, FAILED

FINISH, DIE, REFUSE, BREAK = b"o", b"d", b"r", b"x"


def gated(report, address, phase="waiting"):
    """A stand-in job body: report, say "started" (with its pid) to the test, then do as told."""
    report(phase, step=3, steps=5, history={"loss": [0.5]})
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(address)
        connection.sendall(str(os.getpid()).encode().ljust(16))
        order = connection.recv(1)
        if order == DIE:
            os._exit(9)
        if order == REFUSE:
            raise JobError("the stand-in has a reason")
        if order == BREAK:
            raise KeyError("something nobody planned for")
        return f"finished in {os.getpid()}"


class Gate:
    """Where the stand-ins report for orders: `started()` waits for the next one to connect."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="gate-", dir="/tmp")  # a Unix socket's path is short
        self.address = str(Path(self.folder) / "s")
        self.server = socket.socket(socket.AF_UNIX)
        self.server.bind(self.address)
        self.server.listen()
        self.server.settimeout(120)  # a spawned worker imports its modules first

    def started(self):
        """Wait for a job body to start; return (connection, its worker's pid)."""
        connection, _ = self.server.accept()
        connection.settimeout(60)
        pid = int(connection.recv(16).decode())
        return connection, pid

    @staticmethod
    def ended(connection):
        """True once the worker at the other end has gone (its socket closes)."""
        try:
            return connection.recv(1) == b""
        except ConnectionResetError:
            return True

    def close(self):
        self.server.close()


@pytest.fixture
def gate():
    made = Gate()
    yield made
    made.close()


@pytest.fixture
def registry():
    created = []

    def make(**settings):
        created.append(local.Jobs(**settings))
        return created[-1]

    yield make
    for made in created:
        made.close()


def ask(jobs, key, owner, gate):
    return jobs.submit(key, gated, owner=owner, address=gate.address)


def test_one_job_per_key_is_shared_and_returns_what_its_body_returns(registry, gate):
    jobs = registry(max_running=1)
    first, second = ask(jobs, "a", "s1", gate), ask(jobs, "a", "s2", gate)
    assert first is second and jobs.started == 1
    connection, pid = gate.started()
    status = first.status()
    assert (status.state, status.phase, status.step, status.steps, status.history) == (
        "running",
        "waiting",
        3,
        5,
        {"loss": [0.5]},
    )
    connection.sendall(FINISH)
    status = first.wait(60)
    assert (status.state, status.result) == ("done", f"finished in {pid}")
    assert status.history == {"loss": [0.5]}  # the last the body shared
    assert not first.workspace.exists()  # nothing left behind
    assert ask(jobs, "a", "s1", gate) is not first  # done and used: asking again starts it again


def test_at_most_the_cap_runs_at_once_and_the_rest_wait_in_order(registry, gate):
    jobs = registry(max_running=1)
    first, second, third = (ask(jobs, key, owner, gate) for key, owner in (("a", "s1"), ("b", "s2"), ("c", "s3")))
    connection, _ = gate.started()
    assert first.running and not second.running and not third.running
    assert (second.status().state, second.status().ahead) == ("queued", 1)
    assert third.status().ahead == 2  # "2 trainings ahead of yours"
    connection.sendall(FINISH)
    assert first.wait(60).state == "done"
    connection, _ = gate.started()  # the next in line starts by itself
    assert second.running and third.status().ahead == 1
    connection.sendall(FINISH)


def test_a_sessions_new_request_replaces_its_waiting_one(registry, gate):
    jobs = registry(max_running=1)
    running = ask(jobs, "a", "s1", gate)
    ask(jobs, "b", "s1", gate)
    shared = ask(jobs, "c", "s2", gate)
    ask(jobs, "c", "s1", gate)  # s1 now wants c, which s2 wants too
    assert jobs.get("b") is None  # replaced before it started
    latest = ask(jobs, "d", "s1", gate)
    assert jobs.get("c") is shared and jobs.get("d") is latest  # c stays: s2 still wants it
    assert running.running and jobs.started == 1


def test_a_job_nobody_asks_about_is_cancelled_and_its_worker_killed(registry, gate):
    jobs = registry(max_running=1, abandoned_after=60)
    forgotten, waiting = ask(jobs, "a", "s1", gate), ask(jobs, "b", "s2", gate)
    connection, _ = gate.started()
    forgotten.last_seen -= 61  # s1 went away a minute ago; s2 is still looking
    waiting.status()
    jobs.housekeeping()
    assert jobs.get("a") is None and forgotten.cancelled
    assert forgotten.status().state == "failed" and gate.ended(connection)  # its worker is gone
    connection, _ = gate.started()  # and the waiting job has its place
    connection.sendall(FINISH)
    assert waiting.wait(60).state == "done"


def test_cancel_stops_a_running_job(registry, gate):
    jobs = registry(max_running=1)
    job = ask(jobs, "a", "s1", gate)
    connection, _ = gate.started()
    jobs.cancel("a")
    assert gate.ended(connection) and jobs.get("a") is None
    assert (job.status().state, job.status().error) == ("failed", "it was cancelled")


def test_a_worker_that_dies_is_started_once_more_then_reported(registry, gate):
    jobs = registry(max_running=1)
    job = ask(jobs, "a", "s1", gate)
    for _ in range(ATTEMPTS):
        connection, _ = gate.started()
        connection.sendall(DIE)
    status = job.wait(60)
    assert status.state == "failed" and status.error == "its process stopped unexpectedly twice"
    assert job.attempts == 2 and jobs.started == 2
    assert ask(jobs, "a", "s1", gate) is job  # no retry loop: the page offers Retry instead
    jobs.retry("a")
    assert ask(jobs, "a", "s1", gate) is not job


@pytest.mark.parametrize("order, said", [(REFUSE, "the stand-in has a reason"), (BREAK, FAILED)])
def test_a_body_that_fails_says_its_own_reason_or_general_words(registry, gate, order, said):
    jobs = registry(max_running=1)
    job = ask(jobs, "a", "s1", gate)
    connection, _ = gate.started()
    connection.sendall(order)
    status = job.wait(60)
    assert (status.state, status.error) == ("failed", said)
    assert "KeyError" not in status.error and job.attempts == 1  # a failure is not a death: not run again


def test_closing_the_registry_stops_every_worker(registry, gate):
    jobs = registry(max_running=2)
    ask(jobs, "a", "s1", gate), ask(jobs, "b", "s2", gate)
    connections = [gate.started()[0] for _ in range(2)]
    jobs.close()
    assert all(gate.ended(connection) for connection in connections)


SERVER = """
import sys
from core.jobs import local
from tests.test_background import gated
local.Jobs(max_running=1).submit("a", gated, address=sys.argv[1])
sys.stdin.read()  # until the test kills it
"""


def test_a_worker_dies_with_a_server_killed_outright(gate):
    from tests.conftest import ROOT

    server = subprocess.Popen([sys.executable, "-c", SERVER, gate.address], cwd=ROOT, stdin=subprocess.PIPE)
    connection, _ = gate.started()
    server.kill()
    server.wait()
    assert gate.ended(connection)  # within a second or so: the worker saw its server go


def test_workspaces_nothing_wrote_to_for_an_hour_are_removed(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(local.tempfile, "gettempdir", lambda: str(tmp_path))
    stale, fresh = tmp_path / f"{local.WORKSPACE_PREFIX}old", tmp_path / f"{local.WORKSPACE_PREFIX}new"
    for folder, age in ((stale, 7200), (fresh, 10)):
        folder.mkdir()
        (folder / local.PROGRESS_FILE).write_text("{}")
        moment = time.time() - age
        os.utime(folder / local.PROGRESS_FILE, (moment, moment))
        os.utime(folder, (moment, moment))
    local.remove_stale_workspaces()
    assert not stale.exists() and fresh.exists()
