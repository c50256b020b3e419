"""Which database the class lab uses, and opening it: SQLite by default, a file in the model
folder in WAL mode, so one machine needs nothing installed; `$NN_EXPLORER_DB` names another, such
as `postgresql+psycopg://user:password@host/db`, which several app servers behind a load balancer
share. Every failure becomes DatabaseUnavailable, in plain words for visitors, with the real cause in
the server's log (without the password)."""

import functools
import logging
import os
from pathlib import Path

import sqlalchemy as sa

from core import settings
from core.db import schema
from core.i18n import N_, Said

CONNECT_SECONDS = 5  # a database server that does not answer is reported after this long, not minutes
LOG = logging.getLogger(__name__)


class DatabaseUnavailable(Said, RuntimeError):
    """The database cannot be reached or written; the message says so in plain words, a marked
    sentence (core/i18n.py)."""


def default_url():
    """$NN_EXPLORER_DB, else a SQLite file in the model folder."""
    return settings.database_url()


def sqlite_file(url):
    """The file a SQLite URL names (a `file:` URI's path too), or None: another database, or one in memory."""
    if not url.startswith("sqlite"):
        return None
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:":
        return None
    return database.removeprefix("file:").split("?")[0]


def _sqlite_settings(connection, _):
    connection.isolation_level = None  # the driver begins no transactions itself: _sqlite_begin does
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # a writer waits for another, up to 30 s
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection):
    """A write transaction takes SQLite's write lock at once (BEGIN IMMEDIATE), so two writers queue
    (busy_timeout) instead of one failing when it tries to write after reading; reads just BEGIN."""
    connection.exec_driver_sql("BEGIN" if connection.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")


def shown_url(url):
    """The database's URL as the log may show it: without its password."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError, TypeError):
        return "(a value that is not a database URL)"


def unavailable(error, url=None):
    """The plain reason for visitors; the real cause goes to the server's log for its operator."""
    LOG.warning(
        "class lab database %s: %s: %s",
        shown_url(url) if url else "",
        type(error).__name__,
        getattr(error, "orig", None) or error,
    )
    text = str(getattr(error, "orig", error)).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        return DatabaseUnavailable(N_("The class lab's database is read-only, so nothing can be added or changed now."))
    return DatabaseUnavailable(
        N_(
            "The class lab's database cannot be reached right now, so a class's drawings and poll "
            "answers cannot be stored or shown. The rest of the page works as usual"
        )
    )


def connect(url):
    """An engine for `url`, its schema brought up to date; DatabaseUnavailable when that fails."""
    try:
        if url.startswith("sqlite"):
            if sqlite_file(url):
                Path(sqlite_file(url)).parent.mkdir(parents=True, exist_ok=True)
            engine = sa.create_engine(url, connect_args={"timeout": 30})
            sa.event.listen(engine, "connect", _sqlite_settings)
            sa.event.listen(engine, "begin", _sqlite_begin)
        else:
            engine = sa.create_engine(
                url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args={"connect_timeout": CONNECT_SECONDS}
            )
        schema.upgrade(engine)
        return engine
    # ImportError: a URL whose driver is not installed (mysql://…); TypeError: an option that
    # driver does not take; ValueError, ArgumentError: not a URL at all
    except (sa.exc.SQLAlchemyError, OSError, ImportError, TypeError, ValueError) as error:
        raise unavailable(error, url) from error


@functools.cache
def shared(url):
    """One engine per process for `url`, connected and brought up to date once, for the parts
    that share a PostgreSQL beside the class lab (the job queue, the networks stored for several
    servers). A failure is not kept: the next call tries again."""
    return connect(url)


class SqliteFile:
    """The SQLite file a Lab opened (nothing, for another database), to notice it being deleted or
    replaced under a running server: its open connections would keep writing to the deleted file,
    acknowledging drawings that nobody will ever find again."""

    def __init__(self, url):
        path = sqlite_file(url)
        try:
            status = os.stat(path) if path else None
        except OSError:
            status = None
        self.identity = (path, status.st_dev, status.st_ino) if status else None

    def check(self):
        """Raise DatabaseUnavailable if the file is not the one opened."""
        if self.identity is None:
            return
        path, device, inode = self.identity
        try:
            status = os.stat(path)
            same = (status.st_dev, status.st_ino) == (device, inode)
        except OSError:
            same = False
        if not same:
            LOG.error("class lab database %s was deleted or replaced while the server ran; restart the server", path)
            raise DatabaseUnavailable(
                N_(
                    "The class lab's database file was moved, deleted or replaced while the app was "
                    "running, so nothing can be added or shown until the server is restarted."
                )
            )
