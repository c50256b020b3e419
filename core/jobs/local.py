"""Background work: long jobs (training a network, teaching a room's network) run in worker
processes, shared by every session of the server, with a server-wide cap.

Streamlit reruns a page script whenever someone touches a widget, which would abort work done in
the script, and a thread would share the interpreter lock with every session's reruns. So a job
runs in a worker process of `pebble`'s pool, a library that starts a fresh process per job, kills
a cancelled job's process and tells a dead worker from a failed job. This app's own rules are here:
one job per key, shared by every caller; at most `max_running` at once, the rest queued in order; a
session has one job waiting at most (asking for another replaces it, unless someone else wants it);
a job nobody asks about for `abandoned_after` s is cancelled; a dead worker starts once more, and dies with its server.

A job body is a plain function `body(report, **arguments)`: it tells its progress through
`report(phase, step=, steps=, history=)`, returns its result (`Status.result`), and raises
`JobError` to fail with a reason worth showing. This module knows nothing of what the jobs do
(tests/test_structure.py checks it). Adding a kind of job: docs/adding-a-lesson.md.
"""

import atexit
import contextlib
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any

import pebble

from core import settings
from core.jobs.process import die_with_parent, run
from core.jobs.status import ABANDONED_AFTER_SECONDS, ATTEMPTS, FAILED, JobError, Status

PROGRESS_FILE = "progress.json"
WORKSPACE_PREFIX = "nn-explorer-job-"  # each job's folder of its own, in the system's temporary folder
LOG = logging.getLogger(__name__)


def remove_stale_workspaces(older_than=3600):
    """Delete job workspaces nothing has written to for `older_than` seconds: left by a server
    killed mid-job (its workers die with it)."""
    now = time.time()
    for workspace in Path(tempfile.gettempdir()).glob(f"{WORKSPACE_PREFIX}*"):
        with contextlib.suppress(OSError):
            newest = max([workspace.stat().st_mtime, *(path.stat().st_mtime for path in workspace.iterdir())])
            if now - newest > older_than:
                shutil.rmtree(workspace, ignore_errors=True)


class Job:
    """One job: waiting in the queue, then running in a worker, then done or failed for good."""

    def __init__(self, jobs, key, body, arguments):
        self.jobs, self.key, self.body, self.arguments = jobs, key, body, arguments
        self.future: Any = None  # pebble's future, once started
        self.workspace: Path | None = None  # its folder, while it runs
        self.final: Status | None = None  # done or failed for good
        self.attempts, self.started, self.cancelled = 0, 0.0, False  # started: time.time(), once it has
        self.owners, self.last_seen = set(), time.time()
        self.ended = threading.Event()
        self.environment = dict(os.environ)

    @property
    def running(self):
        return self.future is not None and self.final is None

    @property
    def finished(self):
        """True once the job is done or failed for good."""
        return self.final is not None

    def _report(self):
        if self.workspace is None:
            return {}
        try:
            return json.loads((self.workspace / PROGRESS_FILE).read_text())
        except (OSError, ValueError, TypeError):
            return {}

    @property
    def pid(self):
        """The worker's process id, once it has started the body."""
        return self._report().get("pid")

    def status(self):
        """The job's Status. Asking counts as wanting it: a job nobody asks about is cancelled."""
        self.last_seen = time.time()
        if self.final is not None:
            return self.final
        if self.future is None:
            return Status("queued", ahead=self.jobs.ahead_of(self))
        report = self._report()
        return Status(
            "running",
            phase=report.get("phase", "starting"),
            step=report.get("step", 0),
            steps=report.get("steps", 0),
            history=report.get("history", {}),
            elapsed=time.time() - self.started,
        )

    def wait(self, timeout):
        """Block until the job has finished, or `timeout` seconds (for scripts and tests); return its Status."""
        deadline = time.monotonic() + timeout
        while not self.ended.is_set() and time.monotonic() < deadline:
            self.last_seen = time.time()
            self.jobs.housekeeping()
            self.ended.wait(min(1.0, max(0.0, deadline - time.monotonic())))
        return self.status()


class Jobs:
    """The server's background jobs: at most one per key, at most `max_running` at once."""

    remote = False  # job bodies run in this server's own processes, with its model folder

    def __init__(self, max_running=None, abandoned_after=ABANDONED_AFTER_SECONDS):
        self.max_running = max_running or settings.max_trainings()
        self.abandoned_after = abandoned_after
        self._lock = threading.RLock()
        self._jobs: dict[str, Job] = {}  # key → its job, while wanted
        self._queue: list[Job] = []  # waiting to start, in order
        self._by_owner: dict[str, Job] = {}  # session → the one job it waits for
        self._pool = None  # started with the first job
        self.started = 0  # how many workers this registry has given a job
        atexit.register(self.close)
        remove_stale_workspaces()

    def submit(self, key, body, /, owner=None, **arguments):
        """Return the job for `key`, queueing `body(report, **arguments)` if there is none, or if
        the one there is done (its result has been used up, so it is asked for again). `owner`
        (a session) has one job waiting at most."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or (job.final is not None and job.final.state == "done"):
                job = Job(self, key, body, arguments)
                self._jobs[key] = job
                self._queue.append(job)
            if owner is not None:
                self._claim(owner, job)
            job.last_seen = time.time()
            self.housekeeping()
            return job

    def get(self, key):
        with self._lock:
            return self._jobs.get(key)

    def unfinished(self, prefix):
        """The jobs whose key starts with `prefix` that are queued or running."""
        with self._lock:
            return [job for key, job in self._jobs.items() if key.startswith(prefix) and job.final is None]

    def retry(self, key):
        """Forget a failed job, so that the next request for its key queues it again."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.final is not None and job.final.state == "failed":
                del self._jobs[key]

    def cancel(self, key):
        """Stop a job, queued or running; it ends as failed, and nothing it would have made is kept."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.final is None:
                self._drop(job)

    def ahead_of(self, job):
        """How many jobs will start before this queued one."""
        with self._lock:
            return self._running() + (self._queue.index(job) if job in self._queue else 0)

    def _running(self):
        return sum(job.running for job in self._jobs.values())

    def _claim(self, owner, job):
        previous = self._by_owner.get(owner)
        if previous is not None and previous is not job:
            previous.owners.discard(owner)
            if previous in self._queue and not previous.owners:  # replaced before it started
                self._drop(previous)
        job.owners.add(owner)
        self._by_owner[owner] = job

    def _drop(self, job: Job) -> None:
        job.cancelled = True
        if job in self._queue:
            self._queue.remove(job)
        if self._jobs.get(job.key) is job:
            del self._jobs[job.key]
        if job.future is not None:
            job.future.cancel()  # the pool kills its worker; its done callback ends the job
        else:
            self._end(job, Status("failed", error="it was cancelled"))

    def housekeeping(self):
        """Cancel jobs nobody has asked about for a while, then start queued jobs while there is room."""
        with self._lock:
            now = time.time()
            for job in list(self._jobs.values()):
                if job.final is None and now - job.last_seen > self.abandoned_after:
                    LOG.info("cancelling job %s: nobody has asked for it for %.0f s", job.key, now - job.last_seen)
                    self._drop(job)
            while self._queue and self._running() < self.max_running:
                self._start(self._queue.pop(0))
            # a session whose job is gone has nothing waiting any more
            self._by_owner = {owner: job for owner, job in self._by_owner.items() if self._jobs.get(job.key) is job}

    def _start(self, job):
        if self._pool is None:
            self._pool = pebble.ProcessPool(
                max_workers=self.max_running,
                max_tasks=1,
                initializer=die_with_parent,
                initargs=(os.getpid(),),
                context=multiprocessing.get_context("spawn"),
            )
        job.attempts += 1
        self._remove_workspace(job)
        job.workspace = Path(tempfile.mkdtemp(prefix=WORKSPACE_PREFIX))
        job.started = time.time()
        job.future = self._pool.schedule(
            run, (job.body, job.arguments, str(job.workspace / PROGRESS_FILE), job.environment)
        )
        self.started += 1
        job.future.add_done_callback(lambda future: self._finished(job, future))

    def _finished(self, job, future):
        """The worker has ended (in the pool's thread): keep the job's last word, or start it once
        more if its worker died."""
        with self._lock:
            if future is not job.future:
                return
            try:
                result = future.result()
            except CancelledError:
                self._end(job, Status("failed", error="it was cancelled"))
            except JobError as error:
                self._end(job, Status("failed", error=str(error), elapsed=time.time() - job.started))
            except pebble.ProcessExpired as error:  # the worker died without a word
                if not job.cancelled and job.attempts < ATTEMPTS:
                    LOG.warning("job %s: its worker stopped unexpectedly (%s); starting it again", job.key, error)
                    self._start(job)
                    return
                self._end(
                    job,
                    Status(
                        "failed",
                        error="its process stopped unexpectedly" + (" twice" if job.attempts > 1 else ""),
                        elapsed=time.time() - job.started,
                    ),
                )
            except Exception:  # the pool could not run it at all (its result would not pickle, say)
                LOG.exception("background job %s failed", job.key)
                self._end(job, Status("failed", error=FAILED, elapsed=time.time() - job.started))
            else:
                history = job._report().get("history", {})
                self._end(job, Status("done", history=history, elapsed=time.time() - job.started, result=result))
            self.housekeeping()

    def _end(self, job, status):
        job.final = status
        self._remove_workspace(job)
        job.ended.set()

    @staticmethod
    def _remove_workspace(job):
        if job.workspace is not None:
            shutil.rmtree(job.workspace, ignore_errors=True)

    def close(self):
        """Stop every worker and remove every workspace (when the server exits)."""
        with self._lock:
            for job in list(self._jobs.values()):
                if job.final is None:
                    self._drop(job)
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=10)
        with self._lock:
            for job in list(self._jobs.values()):
                self._remove_workspace(job)
