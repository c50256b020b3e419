"""Training an MNIST network into the model folder: the work itself (`train_and_save`, also used by
core/digits/pretrain.py and the benches) and the background job that runs it for the page
(`train_network`, a job body for core/jobs/local.py). The same job makes the serving files of a
network saved without them (by an older version of the app, or whose files were damaged): the web
server never imports TensorFlow to make them itself.

Across processes and servers sharing a model folder, a lock file per network lets one trainer at a
time train it; the next finds it saved and trains nothing.
"""

import contextlib
import dataclasses
import tempfile
from pathlib import Path

from core.digits import shared
from core.digits.data import refusal as mnist_refusal
from core.digits.saved import ModelStore
from core.jobs import JobError

PREPARING = "preparing it for serving"  # the phase of a job that only makes a saved network's serving files


def scratch_directory(server):
    """Where a server whose model folder is read-only has its networks saved instead: a folder of
    its own among the temporary files, gone with it (core/jobs/local.py removes stale ones)."""
    from core.jobs.local import WORKSPACE_PREFIX

    return Path(tempfile.gettempdir()) / f"{WORKSPACE_PREFIX}models-{server}"


def train_and_save(config, data, store, key=None, report=None):
    """Train, evaluate and save one network under `key` (by default the config's key for this
    data) in `store`, a writable ModelStore; return (model, metadata). `report(phase, step, steps,
    history)` hears how it goes."""
    from core.digits import model as mnist_model
    from core.digits import serving
    from core.digits.explain import saved_neighbour_index

    report = report or (lambda *_, **__: None)
    key = key or config.key(data.data_id)
    model, history = mnist_model.train(config, data, report)
    report("evaluating", history=history)
    metadata = {
        "key": key,
        "config": dataclasses.asdict(config),
        "data_source": data.source,
        "n_train": int(len(data.x_train)),
        "n_test": int(len(data.x_test)),
        "history": history,
        "evaluation": mnist_model.evaluate(model, data),
    }
    # the training digits' places in the last hidden layer, for "nearest training digits": saved
    # first, so that whoever sees the model saved finds them beside it
    saved_neighbour_index(store, key, serving.embedder(model), mnist_model.embedding_width(model), data.x_train)
    if not store.save(key, model, metadata):
        raise JobError(f"the model folder {store.directory} cannot be written")
    # the presets, and this network, are never evicted
    store.enforce_budget(keep=mnist_model.preset_keys(data.data_id) | {key})
    return model, metadata


def _network_lock(store, key):
    """A lock on one network in a model folder, held while it trains (a file lock, so it also
    holds across processes and servers sharing the folder)."""
    from filelock import FileLock

    return FileLock(store.directory / f"{key}.lock") if store.writable() else contextlib.nullcontext()


def make_serving_files(report, store, key):
    """Make the serving files of a network saved in `store` from its `.keras` file; False if that
    file is gone or unreadable."""
    saved = store.load_keras(key)
    if saved is None:
        return False
    report(PREPARING)
    store.add_serving_files(key, *saved)
    return True


def prepare_for_serving(report, key, directory):
    """The job body for a saved network without its serving files whose settings cannot train it
    again (a class-lab room's network): make them, or say that the network is gone."""
    store = ModelStore(directory)
    with _network_lock(store, key):
        if store.load(key) is None and not make_serving_files(report, store, key):
            raise JobError("the saved network is gone or damaged")
        shared.publish(store, key)
    return str(store.directory)


def train_network(report, config, key, data_id, directory, scratch):
    """The job body: train `config` on the MNIST digits whose id is `data_id`, unless another
    trainer has saved it meanwhile. Return the folder it is saved in: `directory`, or `scratch`
    where `directory` is read-only. `config` is a Config, or its fields as a dict (as a queued
    job's JSON arguments bring it), checked as the Config is made."""
    from core.digits import data as mnist_data
    from core.digits.config import Config

    config = config if isinstance(config, Config) else Config(**config)
    store = ModelStore(directory)
    if not store.writable():
        store = ModelStore(scratch)
        store.directory.mkdir(parents=True, exist_ok=True)
    report("starting")
    with _network_lock(store, key):
        if store.load(key) is not None or make_serving_files(report, store, key):
            # trained meanwhile by another process or server, or saved without the files a server serves it from
            shared.publish(store, key)
            return str(store.directory)
        report("loading data")
        data = mnist_data.load()
        if data.data_id != data_id:
            raise JobError(f"the training process found different data ({data.source}) than the app")
        train_and_save(config, data, store, key, report)
    shared.publish(store, key)
    return str(store.directory)


train_network.refuses = mnist_refusal  # a worker with other MNIST data does not take it (core/jobs/worker.py)
