"""Background work through the job queue on PostgreSQL (core/jobs/queued.py, core/jobs/worker.py): many
requests from two app processes queue one job and one run; a killed worker's job is run again by
another, once; cancelling stops the job's process; a session's replaced request is dropped.

Each test has a PostgreSQL schema of its own, which the migrations fill (procrastinate's tables
with the app's), and real worker processes (`python -m core.jobs.worker`). The stand-in job bodies
(tests/job_bodies.py) wait for the test's word in a file, so the tests wait on events, with
generous deadlines, never on a fixed delay."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from tests import job_bodies

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow  # worker processes start TensorFlow-free but take a few seconds each


class Workers:
    """Worker processes started by a test, each in a process group of its own; all stopped after it."""

    def __init__(self, url):
        self.url, self.processes = url, []

    def start(self, stderr=None, **environment):
        process = subprocess.Popen(
            [sys.executable, "-m", "core.jobs.worker", "--db", self.url, "--stalled-after", "2", "--heartbeat", "0.5"],
            cwd=ROOT,
            start_new_session=True,
            stderr=stderr,
            env={**os.environ, "PYTHONPATH": str(ROOT), **environment},
        )
        self.processes.append(process)
        return process

    @staticmethod
    def kill(process):
        """Kill a worker and the job process under it at once, as when its machine goes down."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


@pytest.fixture
def workers(database):
    started = Workers(database)
    yield started
    started.stop()


def until(condition, timeout=90, what="it"):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.1)


def starts(folder, name):
    path = Path(folder) / f"{name}.started"
    return path.read_text().split() if path.exists() else []


def order(folder, name, word):
    (Path(folder) / f"{name}.order").write_text(word)


def queue_rows(url, key):
    """How many jobs for `key` wait in procrastinate's queue."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as connection:
        count = connection.execute(
            sa.text("SELECT count(*) FROM procrastinate_jobs WHERE queueing_lock = :k AND status = 'todo'"), {"k": key}
        ).scalar()
    engine.dispose()
    return count


def test_many_requests_from_two_servers_queue_one_job_that_runs_once(database, workers, tmp_path):
    from core.jobs.queued import QueuedJobs

    first, second = QueuedJobs(database), QueuedJobs(database)
    arguments = {"folder": str(tmp_path), "name": "net"}
    jobs = [
        server.submit("net-a", job_bodies.waiting, owner=f"session-{i}", **arguments)
        for i in range(5)
        for server in (first, second)
    ]
    other_server = textwrap.dedent(f"""
        from core.jobs.queued import QueuedJobs
        from tests import job_bodies
        jobs = QueuedJobs({database!r})
        for i in range(5):
            jobs.submit("net-a", job_bodies.waiting, owner=f"elsewhere-{{i}}", folder={str(tmp_path)!r}, name="net")
        print(jobs.get("net-a").status().state)
    """)
    printed = subprocess.run(
        [sys.executable, "-c", other_server],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert printed.stdout.strip() == "queued", printed.stderr
    assert queue_rows(database, "net-a") == 1  # fifteen requests from three processes: one job in the queue
    assert jobs[0].status().state == "queued" and jobs[0].status().workers == 0

    workers.start()
    until(lambda: starts(tmp_path, "net"), what="the job to start")
    until(lambda: jobs[1].status().phase == "waiting", what="its progress to reach the record")
    running = jobs[1].status()  # every server reads the same progress
    assert (running.state, running.steps, running.workers) == ("running", 4, 1)
    order(tmp_path, "net", "go")
    done = jobs[0].wait(90)
    assert (done.state, done.result) == ("done", "net done")
    assert second.get("net-a").status().state == "done"
    assert len(starts(tmp_path, "net")) == 1  # it ran once
    # asked for again once its result is used up (the network evicted, say), it runs once more
    again = first.submit("net-a", job_bodies.waiting, **arguments)
    until(lambda: len(starts(tmp_path, "net")) == 2, what="the second run")
    assert again.wait(90).state == "done"


def test_a_killed_workers_job_runs_again_on_another_worker_once_then_fails_with_retry(database, workers, tmp_path):
    from core.jobs.queued import QueuedJobs

    jobs = QueuedJobs(database)
    job = jobs.submit("net-b", job_bodies.waiting, folder=str(tmp_path), name="net")
    first = workers.start()
    until(lambda: len(starts(tmp_path, "net")) == 1, what="the job to start")
    second = workers.start()  # another machine's worker, idle: one job at a time each
    workers.kill(first)
    until(lambda: len(starts(tmp_path, "net")) == 2, what="another worker to run the job again")
    assert job.status().state == "running" and jobs.row("net-b").attempts == 2
    workers.kill(second)
    workers.start()
    failed = job.wait(90)
    assert failed.state == "failed" and "stopped unexpectedly twice" in failed.error
    assert len(starts(tmp_path, "net")) == 2  # not a third time

    jobs.retry("net-b")  # the page's Retry: the next request queues it afresh
    job = jobs.submit("net-b", job_bodies.waiting, folder=str(tmp_path), name="net")
    until(lambda: len(starts(tmp_path, "net")) == 3, what="the retried job to start")
    order(tmp_path, "net", "go")
    assert job.wait(90).state == "done"


def test_a_silent_worker_is_noticed_within_seconds(database, workers, tmp_path):
    from core.jobs.queued import QueuedJobs
    from core.jobs.records import REPORT_SILENT_SECONDS

    jobs = QueuedJobs(database)
    job = jobs.submit("net-s", job_bodies.waiting, folder=str(tmp_path), name="s")
    worker = workers.start()
    until(lambda: len(starts(tmp_path, "s")) == 1, what="the job to start")
    assert job.status().state == "running" and not job.status().silent  # it reports every second
    workers.kill(worker)  # no other worker: nobody takes the job over
    killed = time.monotonic()
    until(lambda: job.status().silent > 0, timeout=30, what="the silence to be noticed")
    assert time.monotonic() - killed < REPORT_SILENT_SECONDS + 3


def test_cancelling_a_running_job_stops_its_process_and_the_worker_takes_the_next(database, workers, tmp_path):
    from core.jobs.queued import QueuedJobs

    jobs = QueuedJobs(database)
    job = jobs.submit("net-c", job_bodies.waiting, folder=str(tmp_path), name="c")
    following = jobs.submit("net-d", job_bodies.waiting, folder=str(tmp_path), name="d")
    assert following.status().ahead == 1
    workers.start()
    until(lambda: starts(tmp_path, "c"), what="the first job to start")
    pid = int(starts(tmp_path, "c")[0])
    jobs.cancel("net-c")
    assert job.status() == job.status() and job.status().error == "it was cancelled"
    until(lambda: not os.path.exists(f"/proc/{pid}"), what="the cancelled job's process to end")
    until(lambda: starts(tmp_path, "d"), what="the next job to start on the same worker")
    order(tmp_path, "d", "fail")
    failed = following.wait(90)
    assert (failed.state, failed.error) == ("failed", "the stand-in has a reason")  # the body's reason reaches the page
    assert starts(tmp_path, "c") == [str(pid)]  # the cancelled job never ran again
    (tmp_path / "d.order").unlink()
    jobs.retry("net-d")  # the page's Retry, on the worker where it failed
    again = jobs.submit("net-d", job_bodies.waiting, folder=str(tmp_path), name="d")
    until(lambda: len(starts(tmp_path, "d")) == 2, what="the retried job to run again on the same worker")
    order(tmp_path, "d", "go")
    assert again.wait(90).state == "done"


def test_a_sessions_new_request_drops_its_queued_one_unless_another_session_waits_for_it(database, tmp_path):
    from core.jobs.queued import QueuedJobs

    jobs = QueuedJobs(database)
    arguments = {"folder": str(tmp_path), "name": "x"}
    shared = jobs.submit("net-e", job_bodies.waiting, owner="alice", **arguments)
    jobs.submit("net-e", job_bodies.waiting, owner="bob", **arguments)
    jobs.submit("net-f", job_bodies.waiting, owner="alice", **arguments)
    assert shared.status().state == "queued"  # bob still waits for it
    jobs.submit("net-g", job_bodies.waiting, owner="bob", **arguments)
    assert shared.status().state == "failed" and shared.finished  # nobody waits for it now
    assert [job.key for job in jobs.unfinished("net-")] == ["net-f", "net-g"]
    assert queue_rows(database, "net-e") == 0  # gone from procrastinate's queue too (cancelled there)


def test_the_handwriting_page_queues_its_training_for_a_worker_elsewhere_and_shows_its_network(
    database, workers, environment, tmp_path, open_page, monkeypatch
):
    from core import jobs
    from core.digits import model as mnist_model
    from core.digits.saved import ModelStore

    monkeypatch.setenv("NN_EXPLORER_DB", database)
    data = environment(tmp_path / "server-models")
    app = open_page("lessons/mnist.py", timeout=90)
    assert any("No trainer is running" in warning.value for warning in app.warning)  # queued, and said why it waits
    job = jobs.runner().get(mnist_model.DEFAULT.key(data.data_id))
    assert job.status().state == "queued"
    workers.start(NN_EXPLORER_CACHE=str(tmp_path / "worker-models"))  # as if on another machine: no shared folder
    assert job.wait(300).state == "done"
    app.run()
    assert not app.exception
    assert [m for m in app.metric if m.label == "Test accuracy"]  # the network the worker trained, read by the page
    key = mnist_model.DEFAULT.key(data.data_id)
    copied, trained = ModelStore(tmp_path / "server-models"), ModelStore(tmp_path / "worker-models")
    assert copied.has(key) and copied.paths(key)[0].read_bytes() == trained.paths(key)[0].read_bytes()


def test_with_the_queues_database_down_the_handwriting_page_says_so(environment, tmp_path, open_page, monkeypatch):
    monkeypatch.setenv("NN_EXPLORER_DB", "postgresql+psycopg://lab:lab@127.0.0.1:9/lab")
    environment(tmp_path / "models")
    app = open_page("lessons/mnist.py", timeout=90)
    assert any("queue of trainings cannot be reached" in error.value for error in app.error)
    assert [button for button in app.button if button.label == "Retry"]


def test_a_worker_with_other_data_refuses_the_job_and_says_why(database, workers, tmp_path):
    """A worker started with another MNIST set than the servers' never starts their training: the
    job waits, in words, for a worker that has it (procrastinate offers it again), and the same
    worker runs a job made for its own data."""
    from core.digits import data as mnist_data
    from core.jobs.queued import QueuedJobs

    small = tmp_path / "other-mnist.npz"
    sample = mnist_data.from_sample()
    np.savez(small, x_train=sample.x_train, y_train=sample.y_train, x_test=sample.x_test, y_test=sample.y_test)
    theirs, ours = "0123456789abcdef", mnist_data.from_npz(small).data_id
    jobs = QueuedJobs(database)
    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        workers.start(MNIST_NPZ=str(small), stderr=output)
    refused = jobs.submit("net-other", job_bodies.waiting_for_data, folder=str(tmp_path), name="other", data_id=theirs)
    until(lambda: refused.status().phase == "waiting for a worker with the app's data", what="the refusal")
    assert refused.status().state == "queued" and not starts(tmp_path, "other")
    until(lambda: "refused: this worker has different MNIST data" in log.read_text(), what="the worker's log")
    taken = jobs.submit(
        "net-ours",
        job_bodies.waiting_for_data,
        folder=str(tmp_path),
        name="ours",
        data_id=ours,
        owner="another-session",
    )
    until(lambda: starts(tmp_path, "ours"), what="the job made for the worker's data to start")
    order(tmp_path, "ours", "go")
    assert taken.wait(90).state == "done" and not starts(tmp_path, "other")
    assert "Traceback" not in log.read_text()  # a refusal is said in words, once per offer


def test_a_training_refuses_a_worker_with_other_data_and_other_jobs_pass(monkeypatch):
    from core.digits import data as mnist_data
    from core.digits import training
    from core.jobs import worker
    from core.lab import tuning

    monkeypatch.setattr(mnist_data, "here", lambda: ("abc", "the full MNIST set from mnist.npz"))
    assert worker.refusal(training.train_network, {"data_id": "abc", "config": {}}) is None
    assert worker.refusal(job_bodies.waiting, {"folder": "f", "name": "n"}) is None  # a body that declares nothing
    for body in (training.train_network, tuning.teach_room):
        said = worker.refusal(body, {"data_id": "xyz"})
        assert "different MNIST data" in said and "abc" in said and "xyz" in said and "MNIST_NPZ" in said
