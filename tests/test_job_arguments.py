"""A queued job's arguments travel through the database as JSON, checked by the server that
queues them and by the worker that takes them (core/jobs/queued.py): whoever can write to the
database can at most ask for one of this app's jobs with arguments it checks, never run code."""

import dataclasses
import json
import pickle

import pytest

from core.digits import config as mnist_config
from core.digits import training
from core.jobs import records as job_queue
from core.lab import tuning
from tests import job_bodies


def test_the_apps_own_jobs_travel_as_json_and_come_back_the_same():
    for body, arguments in (
        (
            training.train_network,
            {
                "config": dataclasses.asdict(mnist_config.DEFAULT),
                "key": "k",
                "data_id": "d",
                "directory": None,
                "scratch": "/tmp/x",
            },
        ),
        (training.prepare_for_serving, {"key": "k", "directory": "/models"}),
        (
            tuning.teach_room,
            {
                "code": "K7QM3X",
                "base": "k",
                "key": "room-k",
                "directory": None,
                "database": "sqlite:///lab.sqlite",
                "data_id": "d",
            },
        ),
    ):
        stored = job_queue.encode_arguments(body, arguments)
        decoded = job_queue.decode_arguments(body, stored)
        assert decoded == json.loads(json.dumps(arguments))  # tuples come back as lists
        if "config" in decoded:
            assert mnist_config.Config(**decoded["config"]) == mnist_config.DEFAULT


@pytest.mark.parametrize(
    "arguments",
    [
        {"folder": float("nan"), "name": "x"},
        {"folder": object(), "name": "x"},
        {"folder": "a", "name": "x", "extra": 1},  # the body takes no `extra`
        {"folder": "a"},  # nor runs without `name`
    ],
)
def test_a_server_refuses_to_queue_what_json_or_the_body_cannot_take(arguments):
    with pytest.raises((TypeError, ValueError)):
        job_queue.encode_arguments(job_bodies.waiting, arguments)


@pytest.mark.parametrize(
    "stored",
    [
        pickle.dumps({"folder": "a", "name": "x"}),  # what records held before: never unpickled now
        b"[1, 2]",
        b"\xff\xfe",
        b'{"folder": "a", "name": "x", "command": "rm -rf /"}',
    ],
)
def test_a_worker_refuses_arguments_that_are_not_the_bodys_own_json(stored):
    with pytest.raises(ValueError):
        job_queue.decode_arguments(job_bodies.waiting, stored)


def test_a_config_made_from_a_records_json_is_checked_as_any_other():
    bad = {**dataclasses.asdict(mnist_config.DEFAULT), "epochs": 10**6}
    with pytest.raises((ValueError, TypeError)):
        mnist_config.Config(**bad)
