"""One training run per configuration, shared by every session, in a process of its own.

Streamlit reruns a page script whenever someone touches a widget, and that would abort training
done in the script. A training thread would share the interpreter lock with every session's
reruns and crawl. So each run is a separate process: it writes its progress to a small JSON file
and saves the model through ModelStore, and pages poll `status()`. The registry hands the same
job to every session asking for the same key, so concurrent users never train a model twice.
"""
import dataclasses
import json
import multiprocessing
import os
import tempfile
import threading
import time
from pathlib import Path

PROGRESS_FILE = "progress.json"
REPORT_INTERVAL_SECONDS = 0.5


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
    return model, metadata, store.save(metadata["key"], model, metadata)


def run(config_fields, data_id, directory, workspace):
    """Train, evaluate and save one model (the body of the child process)."""
    from core.digits import data as mnist_data, model as mnist_model
    from core.digits.store import ModelStore

    progress_path = Path(workspace) / PROGRESS_FILE
    last_report = [0.0]

    def report(progress):
        now = time.monotonic()
        if progress["step"] == 0 or now - last_report[0] >= REPORT_INTERVAL_SECONDS:
            last_report[0] = now
            _write_json(progress_path, {"state": "training", **progress})

    try:
        config = mnist_model.Config(**{**config_fields, "hidden": tuple(config_fields["hidden"])})
        key = config.key(data_id)
        _write_json(progress_path, {"state": "loading data"})
        data = mnist_data.load()
        if data.data_id != data_id:
            raise RuntimeError(f"the training process found different data ({data.source}) than the app")
        model, metadata, in_cache = train_and_save(
            config, data, directory, report,
            evaluating=lambda history: _write_json(progress_path, {"state": "evaluating", "history": history}))
        history = metadata["history"]
        if not in_cache:  # read-only cache: hand the model over through the private workspace
            ModelStore(workspace).save(key, model, metadata)
        _write_json(progress_path, {"state": "done", "key": key, "history": history, "in_cache": in_cache,
                                    "saved_in": str(directory if in_cache else workspace)})
    except Exception as error:  # report any failure to the page instead of dying silently
        _write_json(progress_path, {"state": "failed", "error": f"{type(error).__name__}: {error}"})


class TrainingJob:
    """A training process and where it reports."""

    def __init__(self, key, config, data_id, directory):
        self.key = key
        self.workspace = Path(tempfile.mkdtemp(prefix="nn-explorer-train-"))
        self.process = multiprocessing.get_context("spawn").Process(
            target=run, args=(dataclasses.asdict(config), data_id, str(directory), str(self.workspace)),
            daemon=True, name=f"train-{key}")
        self.started = time.time()
        self.process.start()

    def status(self):
        """Return the latest progress: state is loading data, training, evaluating, done or failed."""
        try:
            progress = json.loads((self.workspace / PROGRESS_FILE).read_text())
        except (OSError, ValueError):
            progress = {"state": "starting"}
        if progress["state"] in ("done", "failed"):
            self.process.join(timeout=0)  # reap the finished process, so it leaves no zombie
        elif not self.process.is_alive():
            progress = {"state": "failed",
                        "error": f"the training process stopped unexpectedly (exit code {self.process.exitcode})"}
        return {**progress, "elapsed": time.time() - self.started}


class JobRegistry:
    """At most one live job per key, shared by every caller in this server process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._jobs = {}
        self.started = 0  # how many processes this registry has launched

    def get_or_start(self, key, config, data_id, directory):
        with self._lock:
            job = self._jobs.get(key)
            # a finished job is only asked for again when its model is gone: train anew
            if job is None or job.status()["state"] in ("failed", "done"):
                job = TrainingJob(key, config, data_id, directory)
                self._jobs[key] = job
                self.started += 1
            return job

    def get(self, key):
        with self._lock:
            return self._jobs.get(key)


JOBS = JobRegistry()
