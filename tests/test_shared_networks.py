"""Trained networks in the shared PostgreSQL (core/digits/shared.py): a worker's network reaches a
server with a model folder of its own, byte for byte; a damaged local copy is replaced; a copy
damaged in the database is refused; a network missing from it is not invented."""

import hashlib
import shutil

import numpy as np
import pytest
import sqlalchemy as sa

from core.db.database import connect
from core.db.schema import NETWORK_FILES
from core.digits import shared
from core.digits.saved import ModelStore


@pytest.fixture
def published(database, trained_default, tmp_path):
    """(engine, key, the worker's folder): the default network trained on the small set, stored in
    a fresh database's network files."""
    from core.digits import model as mnist_model

    worker = ModelStore(tmp_path / "worker")
    shutil.copytree(trained_default.directory, worker.directory)
    engine, key = connect(database), mnist_model.DEFAULT.key(trained_default.data.data_id)
    assert shared.publish(worker, key, engine)
    yield engine, key, worker
    engine.dispose()


def digests(store, key):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in store.files_of(key)}


def test_a_server_with_its_own_folder_copies_the_workers_network_byte_for_byte(published, tmp_path):
    engine, key, worker = published
    server = ModelStore(tmp_path / "server")
    assert not server.has(key)
    assert shared.fetch(server, key, engine)
    assert digests(server, key) == digests(worker, key) and len(digests(server, key)) >= 4
    network, metadata = server.load(key)
    assert metadata["key"] == key and network.predict_one(np.zeros((28, 28), dtype=np.float32)).shape == (10,)


def test_a_damaged_local_copy_is_replaced_from_the_database(published, tmp_path):
    engine, key, worker = published
    server = ModelStore(tmp_path / "server")
    shared.fetch(server, key, engine)
    onnx = server.serving_paths(key)[0]
    onnx.write_bytes(onnx.read_bytes()[:100])  # a disk error, say
    assert server.load(key) is None and not server.has(key)  # the store notices and drops its serving files
    assert shared.fetch(server, key, engine)
    assert server.load(key) is not None and digests(server, key) == digests(worker, key)


def test_a_copy_damaged_in_the_database_is_refused_and_one_missing_is_not_invented(published, tmp_path):
    engine, key, _ = published
    with engine.begin() as connection:
        connection.execute(
            NETWORK_FILES.update()
            .where(NETWORK_FILES.c.name == f"{key}.onnx")
            .values(data=sa.literal(b"not a network"))
        )
    server = ModelStore(tmp_path / "server")
    assert not shared.fetch(server, key, engine) and not server.has(key)  # trained again instead
    assert not shared.fetch(server, "no-such-network", engine)


def test_without_postgresql_networks_are_not_shared(trained_default, monkeypatch, tmp_path):
    monkeypatch.setenv("NN_EXPLORER_DB", f"sqlite:///{tmp_path / 'lab.sqlite'}")
    store = ModelStore(trained_default.directory)
    assert shared.database() is None and not shared.publish(store, "any") and not shared.fetched(store, "any")
