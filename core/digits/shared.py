"""Trained networks in the database that several app servers share, so that they need no shared
folder: a worker that saves a network (core/jobs/worker.py runs the job) also stores every file of it
in the `network_files` table (`publish`); a server that lacks a network copies it from there into
its own model folder on first use (`fetch`), each file checked against its sha256 and written
atomically, the card last, as ModelStore writes them. The local folder keeps its size budget.

Only when the class lab's database ($NN_EXPLORER_DB) is PostgreSQL, as with the job queue; a
single server keeps its networks in its folder alone.
"""

import datetime
import hashlib
import logging
import os

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from core import settings
from core.db.schema import NETWORK_FILES

LOG = logging.getLogger(__name__)


def database():
    """The shared database's engine, or None when networks are not shared (no PostgreSQL)."""
    url = settings.database_url()
    if not settings.shared_database(url):
        return None
    from core.db import database as lab_database

    return lab_database.shared(url)


def _card_last(rows):
    return sorted(rows, key=lambda row: row.name.endswith(".json"))


def publish(store, key, engine=None):
    """Store every file of network `key` of ModelStore `store` in the shared database (replacing
    an earlier copy); False if networks are not shared or it has no files."""
    engine = engine or database()
    paths = [path for path in store.files_of(key) if path.exists()]
    if engine is None or not paths:
        return False
    now = datetime.datetime.now(datetime.timezone.utc)
    with engine.begin() as connection:
        connection.execute(NETWORK_FILES.delete().where(NETWORK_FILES.c.key == key))
        for path in paths:
            data = path.read_bytes()
            connection.execute(
                insert(NETWORK_FILES).values(
                    key=key, name=path.name, data=data, saved=now, sha256=hashlib.sha256(data).hexdigest()
                )
            )
    LOG.info("network %s stored in the shared database (%d files)", key, len(paths))
    return True


def fetch(store, key, engine=None, keep=()):
    """Copy network `key` from the shared database into ModelStore `store`, replacing what is
    there; True if it was there, whole and unchanged. A file whose bytes do not match their
    sha256 is refused, and nothing is written."""
    from core.digits.saved import atomic_write

    engine = engine or database()
    if engine is None:
        return False
    with engine.connect() as connection:
        rows = connection.execute(NETWORK_FILES.select().where(NETWORK_FILES.c.key == key)).all()
    if not rows or not any(row.name == f"{key}.json" for row in rows):
        return False
    damaged = [row.name for row in rows if hashlib.sha256(row.data).hexdigest() != row.sha256]
    if damaged or any(os.sep in row.name or not row.name.startswith(f"{key}.") for row in rows):
        LOG.error("network %s in the shared database is damaged (%s); it will be trained again", key, damaged)
        return False
    store.directory.mkdir(parents=True, exist_ok=True)
    store.discard(key)
    for row in _card_last(rows):
        atomic_write(store.directory / row.name, lambda temporary, data=row.data: open(temporary, "wb").write(data))
    store.enforce_budget(keep={*keep, key})
    LOG.info("network %s copied from the shared database into %s", key, store.directory)
    return True


def fetched(store, key, keep=()):
    """`fetch` when the network is missing here and networks are shared; never raises (a
    database that is down means the network is trained or waited for, as without one)."""
    from core.db.database import DatabaseUnavailable

    try:
        return not store.has(key) and fetch(store, key, keep=keep)
    except (DatabaseUnavailable, sa.exc.SQLAlchemyError, OSError) as error:
        LOG.warning("network %s cannot be copied from the shared database: %s", key, error)
        return False
