"""Streamlit side of the handwriting lesson: the shared data, trained models and training jobs.

Everything here is shared by all sessions of the server (st.cache_resource): one copy of the
digits, one copy of each model, and one training process per configuration.
"""
import os
import uuid
from dataclasses import dataclass

import numpy as np
import streamlit as st

from core.background import JOBS
from core.digits import data as mnist_data, model as mnist_model, shipped, training
from core.digits.store import ModelStore
from ui.state import State

SESSION = State("session_id", lambda: uuid.uuid4().hex)  # whose training requests these are; nothing else

# This server only reads single images; training runs in processes of its own.
mnist_model.serve_one_image_at_a_time()


@st.cache_resource(show_spinner="Loading the MNIST digits…")
def data():
    """Return the MNIST digits from the first source that works."""
    return mnist_data.load()


@dataclass
class Ready:
    """A trained model and its metadata (config, history, evaluation)."""

    key: str
    model: object
    metadata: dict
    temporary: bool = False  # saved only in this server's scratch folder: the model folder is read-only
    rebuilt_after_corruption: bool = False
    shipped: bool = False  # the default network that comes trained with the app (core/digits/shipped.py)


@dataclass
class Training:
    """A training run that is still going."""

    key: str
    job: object
    rebuilt_after_corruption: bool = False


def _built(model):
    model.predict_on_batch(mnist_model.to_inputs(np.zeros((1, 28, 28))))  # build it once, here
    return model


@st.cache_resource(show_spinner="Loading the trained network…", max_entries=8)
def _load(key, directory):
    loaded = ModelStore(directory).load(key)
    if loaded is None:
        raise LookupError(key)  # unreadable and discarded; not cached, so the next call retrains
    model, metadata = loaded
    return _built(model), metadata


@st.cache_resource(show_spinner="Loading the trained network…")
def _shipped():
    """The default network that comes trained with the app, or None if it cannot be used."""
    loaded = shipped.load()
    return None if loaded is None else (_built(loaded[0]), loaded[1])


def saved(key):
    """Ready for a network saved in the model folder under `key`; LookupError if it is not there."""
    directory = ModelStore().directory
    if not ModelStore(directory).has(key):
        raise LookupError(key)
    return Ready(key, *_load(key, str(directory)))


def model_for(config, dataset):
    """Return Ready if a model for config ships with the app or is saved in the model folder (or,
    where that is read-only, in this server's scratch folder), else Training: its job, started or
    shared. A finished job's network is found where it was saved, like any other."""
    if config == mnist_model.DEFAULT and _shipped() is not None:
        model, metadata = _shipped()
        return Ready(metadata["key"], model, metadata, shipped=True)
    key = config.key(dataset.data_id)
    models = ModelStore()
    corrupted = False
    if models.has(key):
        try:
            return Ready(key, *_load(key, str(models.directory)))
        except LookupError:
            corrupted = True
    scratch = ModelStore(training.scratch_directory(os.getpid()))  # where it is trained if the folder is read-only
    if not models.writable() and scratch.has(key):
        return Ready(key, *_load(key, str(scratch.directory)), temporary=True)
    job = JOBS.submit(key, training.train_network, owner=SESSION.get(), config=config, key=key,
                      data_id=dataset.data_id, directory=str(models.directory), scratch=str(scratch.directory))
    return Training(key, job, rebuilt_after_corruption=corrupted)


def retry(key):
    """Forget a failed training, so that the next run of the page starts it again."""
    JOBS.retry(key)


@st.cache_resource(show_spinner=False, max_entries=8)
def explainer(key, _model):
    """The model's sub-model and saliency function, traced once here rather than on a first drawing."""
    from core.digits.explain import Explainer

    built = Explainer(_model)
    blank = np.zeros((28, 28), dtype=np.float32)
    built.look(blank)
    built.saliency(blank, 0)
    return built


@st.cache_resource(show_spinner="Placing the training digits in the network's last layer (once per network)…",
                   max_entries=4)
def neighbours(key, _model, _dataset):
    """The neighbour index saved beside the model, or computed now (and saved if the folder allows)."""
    from core.digits.explain import saved_neighbour_index

    return saved_neighbour_index(ModelStore(), key, _model, _dataset.x_train)


@st.cache_resource(show_spinner=False, max_entries=8)
def first_layer(key, _model):
    """The first layer's weights as pictures (blue negative, red positive)."""
    from core.digits.explain import first_layer_pictures
    from core.charts.digits import diverging

    return [diverging(picture, size=84) for picture in first_layer_pictures(_model)]
