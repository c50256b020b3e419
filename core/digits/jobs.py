"""One training run per configuration, shared by every session, in a process of its own, with a
server-wide limit on how many run at once.

Streamlit reruns a page script whenever someone touches a widget, and that would abort training
done in the script. A training thread would share the interpreter lock with every session's
reruns and crawl. So each run is a separate process: it writes its progress to a small JSON file
and saves the model through ModelStore, and pages poll `status()`. The registry hands the same
job to every session asking for the same key, so concurrent users never train a model twice; it
runs at most MAX_RUNNING at once and queues the rest; a session has at most one job waiting (a
new request replaces it); a job nobody has looked at for ABANDONED_AFTER_SECONDS is cancelled; a
trainer that dies is started once more by itself. Across processes and servers sharing a model
folder, a lock file per network lets one trainer at a time train it, and the next finds it saved.
"""
import atexit
import contextlib
import dataclasses
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

PROGRESS_FILE = "progress.json"
WORKSPACE_PREFIX = "nn-explorer-train-"  # each training's folder of its own, in the system's temporary folder
REPORT_INTERVAL_SECONDS = 0.5
MAX_RUNNING = int(os.environ.get("NN_EXPLORER_MAX_TRAININGS", "1"))  # each takes most of a core
ABANDONED_AFTER_SECONDS = 300  # pages poll every 2 s; five minutes allows a visit to another lesson
ATTEMPTS = 2  # a trainer that dies is started once more before the page offers Retry
LOG = logging.getLogger(__name__)


def _write_json(path, payload):
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(payload))
    os.replace(temporary, path)


def train_and_save(config, data, directory, report=None, evaluating=None):
    """Train, evaluate and save one model into `directory`. Return (model, metadata, saved):
    saved is False when the folder is read-only. `report` gets training progress, and
    `evaluating(history)` is called between training and evaluation."""
    from core.digits import model as mnist_model
    from core.digits.explain import saved_neighbour_index
    from core.digits.store import ModelStore

    model, history = mnist_model.train(config, data, report)
    if evaluating:
        evaluating(history)
    metadata = {"key": config.key(data.data_id), "config": dataclasses.asdict(config), "data_source": data.source,
                "n_train": int(len(data.x_train)), "n_test": int(len(data.x_test)),
                "history": history, "evaluation": mnist_model.evaluate(model, data)}
    store = ModelStore(directory)
    # the training digits' places in the last hidden layer, for "nearest training digits": saved
    # first, so that whoever sees the model saved finds them beside it
    saved_neighbour_index(store, metadata["key"], model, data.x_train)
    saved = store.save(metadata["key"], model, metadata)
    if saved:  # the presets, and this network, are never evicted
        store.enforce_budget(keep=mnist_model.preset_keys(data.data_id)
                             | {metadata["key"]})
    return model, metadata, saved


def _network_lock(directory, key):
    """A lock on one network in a model folder, held while it trains (a file lock, so it also
    holds across processes and servers sharing the folder); no lock where the folder is read-only."""
    from filelock import FileLock

    from core.digits.store import ModelStore

    store = ModelStore(directory)
    return FileLock(store.directory / f"{key}.lock") if store.writable() else contextlib.nullcontext()


class Progress:
    """What a child process tells the page: `say` a state, `report` training steps (at most two a
    second, and every epoch's end)."""

    def __init__(self, workspace):
        self.path, self.last = Path(workspace) / PROGRESS_FILE, 0.0

    def say(self, payload):
        _write_json(self.path, payload)

    def report(self, progress):
        now = time.monotonic()
        if progress["step"] == 0 or now - self.last >= REPORT_INTERVAL_SECONDS:
            self.last = now
            self.say({"state": "training", **progress})


def run(config_fields, data_id, directory, workspace):
    """Train, evaluate and save one model (the body of the child process)."""
    from core.digits import data as mnist_data, model as mnist_model
    from core.digits.store import ModelStore

    progress = Progress(workspace)
    progress_path, report = progress.path, progress.report

    try:
        config = mnist_model.Config(**{**config_fields, "hidden": tuple(config_fields["hidden"])})
        key = config.key(data_id)
        _write_json(progress_path, {"state": "starting"})
        with _network_lock(directory, key):
            saved = ModelStore(directory).load(key)  # trained meanwhile by another process
            if saved is not None:
                _write_json(progress_path, {"state": "done", "key": key, "history": saved[1]["history"],
                                            "in_cache": True, "saved_in": str(directory)})
                return
            _write_json(progress_path, {"state": "loading data"})
            data = mnist_data.load()
            if data.data_id != data_id:
                raise RuntimeError(f"the training process found different data ({data.source}) than the app")
            model, metadata, in_cache = train_and_save(
                config, data, directory, report,
                evaluating=lambda history: _write_json(progress_path, {"state": "evaluating", "history": history}))
        if not in_cache:  # read-only cache: hand the model over through the private workspace
            ModelStore(workspace).save(key, model, metadata)
        _write_json(progress_path, {"state": "done", "key": key, "history": metadata["history"], "in_cache": in_cache,
                                    "saved_in": str(directory if in_cache else workspace)})
    except Exception:  # report any failure to the page instead of dying silently; the log has the detail
        LOG.exception("training failed")
        _write_json(progress_path, {"state": "failed", "error": "the training stopped with an error"})


def _with_parent(parent, target, *arguments):
    """The body of every training process: `target(*arguments)`, for as long as the server that
    started it lives. A server killed outright (SIGKILL, a crash) cannot stop its trainers, and one
    that went on would save and bind its network for nobody, or for a room whose teacher no longer
    sees it. On Linux the kernel kills the trainer with its parent (prctl PR_SET_PDEATHSIG);
    everywhere, a thread checks each second that the parent is still there."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)
    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
    target(*arguments)


def remove_stale_workspaces(older_than=3600):
    """Delete training workspaces that no trainer has written to for `older_than` seconds: left
    by a server killed mid-training (its trainers die with it)."""
    now = time.time()
    for workspace in Path(tempfile.gettempdir()).glob(f"{WORKSPACE_PREFIX}*"):
        with contextlib.suppress(OSError):
            newest = max([workspace.stat().st_mtime, *(path.stat().st_mtime for path in workspace.iterdir())])
            if now - newest > older_than:
                shutil.rmtree(workspace, ignore_errors=True)


class TrainingJob:
    """One network to train: waiting in the queue, then a process that reports through a file in
    its own workspace."""

    def __init__(self, registry, key, config, data_id, directory, task=None):
        self.registry, self.key, self.config = registry, key, config
        self.data_id, self.directory = data_id, directory
        self.task = task  # (function, arguments) run instead of training `config`; the workspace is added last
        self.process = self.workspace = self.final = None
        self.attempts, self.started, self.cancelled = 0, None, False
        self.owners, self.last_seen = set(), time.time()

    def start(self):
        self.attempts += 1
        self.workspace = Path(tempfile.mkdtemp(prefix=WORKSPACE_PREFIX))
        target, arguments = self.task or (run, (dataclasses.asdict(self.config), self.data_id, str(self.directory)))
        self.process = multiprocessing.get_context("spawn").Process(
            target=_with_parent, args=(os.getpid(), target, *arguments, str(self.workspace)), daemon=True,
            name=f"train-{self.key}")
        self.started = time.time()
        self.process.start()

    @property
    def running(self):
        return self.process is not None and self.final is None

    @property
    def ended_as(self):
        """"done" or "failed" once the process has ended for good, else None."""
        return (self.final or {}).get("state")

    def _progress(self):
        try:
            return json.loads((self.workspace / PROGRESS_FILE).read_text())
        except (OSError, ValueError):
            return {"state": "starting"}

    def finish(self):
        """Called once the process has ended: keep its last word, and the workspace only if the
        model was handed over in it. Return True if the trainer died and may start again."""
        progress = self._progress()
        if progress["state"] not in ("done", "failed"):
            if not self.cancelled and self.attempts < ATTEMPTS:
                self._remove_workspace()
                return True
            progress = {"state": "failed", "error": "the training process stopped unexpectedly"
                        + (" twice" if self.attempts > 1 else "")}
        self.final = progress
        if progress["state"] != "done" or progress.get("in_cache"):
            self._remove_workspace()
        return False

    def _remove_workspace(self):
        if self.workspace is not None:
            shutil.rmtree(self.workspace, ignore_errors=True)

    def status(self):
        """Return the latest progress: state is queued (with how many trainings are ahead),
        starting, loading data, training, evaluating, done or failed."""
        self.last_seen = time.time()
        if self.process is None:
            return {"state": "queued", "ahead": self.registry.ahead_of(self), "elapsed": 0.0}
        progress = self.final or self._progress()
        return {**progress, "elapsed": time.time() - self.started}

    def wait(self, timeout):
        """Block until the job has finished (for scripts and tests); return its status."""
        deadline = time.time() + timeout
        while self.final is None and time.time() < deadline:
            self.last_seen = time.time()
            self.registry.housekeeping()
            time.sleep(0.2)
        return self.status()


class JobRegistry:
    """At most one job per key, shared by every caller in this server process; at most
    `max_running` processes at once."""

    def __init__(self, max_running=MAX_RUNNING, abandoned_after=ABANDONED_AFTER_SECONDS):
        self.max_running, self.abandoned_after = max_running, abandoned_after
        self._lock = threading.RLock()
        self._jobs, self._queue, self._by_owner = {}, [], {}
        self.started = 0  # how many processes this registry has launched
        atexit.register(self.close)
        remove_stale_workspaces()

    def get_or_start(self, key, config, data_id, directory, owner=None, task=None):
        """Return the job for key, queueing a new one if there is none (or its model is gone since
        it finished). `owner` (a session) has one job waiting at most: asking for another
        replaces it, unless another session wants it too. `task` (function, arguments): a job
        other than training `config`, such as fine-tuning, reporting progress the same way."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.ended_as == "done":
                job = TrainingJob(self, key, config, data_id, directory, task)
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
            return [job for key, job in self._jobs.items() if key.startswith(prefix) and job.ended_as is None]

    def retry(self, key):
        """Forget a failed job, so that the next request for its key queues it again."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None and job.ended_as == "failed":
                del self._jobs[key]

    def ahead_of(self, job):
        """How many trainings will run before this queued job starts."""
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

    def _drop(self, job):
        job.cancelled = True
        if job in self._queue:
            self._queue.remove(job)
        if self._jobs.get(job.key) is job:
            del self._jobs[job.key]
        if job.process is not None and job.process.is_alive():
            job.process.kill()  # a cancelled training has nothing to save, and SIGTERM can be ignored

    def housekeeping(self):
        """Cancel jobs nobody has looked at for a while, then start queued jobs while there is room."""
        with self._lock:
            now = time.time()
            for job in list(self._jobs.values()):
                if job.final is None and now - job.last_seen > self.abandoned_after:
                    LOG.info("cancelling training %s: nobody has asked for it for %.0f s", job.key,
                             now - job.last_seen)
                    self._drop(job)
            while self._queue and self._running() < self.max_running:
                self._start(self._queue.pop(0))
            # a session whose job is gone has nothing waiting any more
            self._by_owner = {owner: job for owner, job in self._by_owner.items() if self._jobs.get(job.key) is job}

    def _start(self, job):
        job.start()
        self.started += 1
        threading.Thread(target=self._watch, args=(job,), daemon=True, name=f"watch-{job.key}").start()

    def _watch(self, job):
        job.process.join()  # reaps the process as soon as it ends: no zombies
        with self._lock:
            if job.finish():
                LOG.warning("training %s stopped unexpectedly (exit code %s); starting it again", job.key,
                            job.process.exitcode)
                self._start(job)
            self.housekeeping()

    def close(self):
        """Stop every trainer and remove every workspace (when the server exits)."""
        with self._lock:
            for job in list(self._jobs.values()):
                self._drop(job)
                if job.process is not None:
                    job.process.join(timeout=5)
                    if job.process.is_alive():  # deaf to SIGTERM while TensorFlow starts: do not wait on it
                        job.process.kill()
                        job.process.join(timeout=5)
                job._remove_workspace()


JOBS = JobRegistry()
