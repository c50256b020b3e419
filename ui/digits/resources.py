"""Streamlit side of the handwriting lesson: the shared data, trained networks and training jobs.

Everything here is shared by all sessions of the server (st.cache_resource): one copy of the
digits, one copy of each network (an ONNX Runtime session: core/digits/network.py), and one
training process per configuration. Nothing here imports TensorFlow: networks learn in trainer
processes (core/digits/training.py).
"""

import contextlib
import dataclasses
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from core import jobs
from core.db.database import DatabaseUnavailable
from core.digits import compared, explain, shared, shipped, training
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits.saved import ModelStore
from core.i18n import _
from ui.state import State

SESSION = State("session_id", lambda: uuid.uuid4().hex)  # whose training requests these are; nothing else
# Builds neighbour indexes off every request's path, one at a time (its thread starts with the first)
INDEX_BUILDER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="neighbour-index")


@st.cache_resource(show_spinner=False)
def _data():
    return mnist_data.load()


def data():
    """Return the MNIST digits from the first source that works, loaded once per server. (The
    spinners here are Streamlit's own, said in the reader's language: a cached function's
    `show_spinner` is fixed when the module is imported. A spinner shows only past half a second.)"""
    with st.spinner(_("Loading the MNIST digits…")):
        return _data()


@dataclass
class Ready:
    """A trained network (a core.digits.network.Network) and its metadata (config, history, evaluation)."""

    key: str
    network: object
    metadata: dict
    temporary: bool = False  # saved only in this server's scratch folder: the model folder is read-only
    rebuilt_after_corruption: bool = False
    shipped: bool = False  # the default network that comes trained with the app (core/digits/shipped.py)

    def files(self):
        """The files a learner can take home: {"keras": path, "onnx": path, "card": path}."""
        if self.shipped:
            (keras, card), (onnx, _weights) = shipped.paths(), shipped.serving_paths()
        else:
            store = ModelStore(training.scratch_directory(os.getpid()) if self.temporary else None)
            (keras, card), (onnx, _weights) = store.paths(self.key), store.serving_paths(self.key)
        return {"keras": keras, "onnx": onnx, "card": card}


@dataclass
class Training:
    """A training run that is still going."""

    key: str
    job: object
    rebuilt_after_corruption: bool = False
    only_serving_files: bool = (
        False  # the saved network is fine; only the files this server reads it from are made again
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _loaded(key, directory):
    loaded = ModelStore(directory).load(key)
    if loaded is None:
        raise LookupError(key)  # unreadable and discarded; not cached, so the next call rebuilds it
    return loaded


def _load(key, directory):
    with st.spinner(_("Loading the trained network…")):
        return _loaded(key, directory)


@st.cache_resource(show_spinner=False)
def _shipped():
    return shipped.load()


def shipped_network():
    """The default network that comes trained with the app, or None if it cannot be used."""
    with st.spinner(_("Loading the trained network…")):
        return _shipped()


@st.cache_resource
def compared_card():
    """The card of Nielsen's network kept beside the shipped one (core/digits/compared.py), or None."""
    return compared.card()


def folder(models):
    """The model folder a job saves into: this server's, or, on a job queue's worker (another
    machine, perhaps), the worker's own (None), from which servers copy what they need."""
    return None if jobs.runner().remote else str(models.directory)


class Preparing(LookupError):
    """A saved network whose serving files a trainer is making, from its `.keras` file."""


def _found(models, key):
    """(Ready or None, damaged) for network `key` in ModelStore `models`, copied first from the
    shared database if a job queue's worker trained it. A damaged copy is discarded as it is read
    and copied again once; if none is whole, the caller has it trained again, or (its .keras
    intact) only its serving files made again."""
    shared.fetched(models, key)
    if not models.has(key):
        return None, False
    try:
        return Ready(key, *_load(key, str(models.directory))), False
    except LookupError:
        if shared.fetched(models, key):
            with contextlib.suppress(LookupError):
                return Ready(key, *_load(key, str(models.directory))), True
    return None, True


def saved(key):
    """Ready for a network saved in the model folder under `key`; LookupError if it is not there,
    Preparing if only the files this server reads it from are missing (a trainer makes them)."""
    models = ModelStore()
    ready, _rebuilt = _found(models, key)
    if ready is not None:
        return ready
    if all(path.exists() for path in models.paths(key)):
        with contextlib.suppress(DatabaseUnavailable, SQLAlchemyError):  # the queue is down: asked again next run
            jobs.runner().submit(
                key, training.prepare_for_serving, owner=SESSION.get(), key=key, directory=folder(models)
            )
        raise Preparing(key)
    raise LookupError(key)


def model_for(config, dataset):
    """Return Ready if a model for config ships with the app or is saved in the model folder (or,
    where that is read-only, in this server's scratch folder), else Training: its job, started or
    shared. A finished job's network is found where it was saved, like any other."""
    if config == mnist_config.DEFAULT and shipped_network() is not None:
        network, metadata = shipped_network()
        return Ready(metadata["key"], network, metadata, shipped=True)
    key = config.key(dataset.data_id)
    models = ModelStore()
    ready, corrupted = _found(models, key)
    if ready is not None:
        return ready
    scratch = ModelStore(training.scratch_directory(os.getpid()))  # where it is trained if the folder is read-only
    if not models.writable() and scratch.has(key):
        return Ready(key, *_load(key, str(scratch.directory)), temporary=True)
    try:
        job = jobs.runner().submit(
            key,
            training.train_network,
            owner=SESSION.get(),
            config=dataclasses.asdict(config),
            key=key,
            data_id=dataset.data_id,
            directory=folder(models),
            scratch=str(scratch.directory),
        )
    except (DatabaseUnavailable, SQLAlchemyError):  # the job queue's database: the page says so, with Retry
        job = Unqueued(key)
    return Training(key, job, rebuilt_after_corruption=corrupted, only_serving_files=models.paths(key)[0].exists())


@dataclass
class Unqueued:
    """A training that could not be queued: the job queue's database is down."""

    key: str
    finished = True

    @staticmethod
    def status():
        from core.jobs.queued import UNREACHABLE

        return jobs.Status("failed", error=UNREACHABLE)


def retry(key):
    """Forget a failed training, so that the next run of the page starts it again."""
    jobs.runner().retry(key)


@st.cache_resource(show_spinner=False, max_entries=4)
def neighbours(key, _network, _dataset):
    """The neighbour index of network `key`, as a Future: read from beside the network at once (a
    few milliseconds), or else built over the training digits (and saved there if the folder
    allows) by this server's one builder thread, once per network for every session, and never
    on the way to an answer."""
    store = ModelStore()
    saved = explain.saved_index(store, key, _network.embedding_width, len(_dataset.x_train))
    if saved is not None:
        ready = Future()
        ready.set_result(saved)
        return ready
    return INDEX_BUILDER.submit(explain.build_and_save_index, store, key, _network.embeddings, _dataset.x_train)


def forget_failed_index():
    """Drop the neighbour indexes asked for so far, so that one whose building failed is built again."""
    neighbours.clear()


def built():
    """Wait until every neighbour index asked for so far is built (for tests: the builder takes its
    work in turn, so a task queued now runs after them)."""
    INDEX_BUILDER.submit(int).result()


@st.cache_resource(show_spinner=False, max_entries=8)
def first_layer(key, _network):
    """The first layer's weights as pictures (blue negative, red positive)."""
    from core.charts.digits import diverging

    return [diverging(picture, size=84) for picture in _network.first_layer_pictures()]
