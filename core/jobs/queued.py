"""Background work shared by several app servers: jobs queued in PostgreSQL with procrastinate
and run by worker processes (`python -m core.jobs.worker`), on this machine or on others.

The interface is core/jobs/local.py's (`submit`, `get`, `unfinished`, `retry`, `cancel`; a job's
`status()` and `wait()`), so a page never knows which runner runs its jobs: `jobs.runner()`
picks this one when the class lab's database, $NN_EXPLORER_DB, is PostgreSQL.

Who keeps what:
- procrastinate queues the work: one queued job per key (its queueing lock) and one run at a
  time per key (its lock), workers' heartbeats, and the jobs of workers that stopped beating.
- The `jobs` table (core/db/schema.py) is each job's record, which every server reads and the
  worker running it writes: its state, progress, history, reason for failing and result. The
  `job_owners` table holds each session's one waiting job.
Cancelling marks the record; the worker sees it at its next report and stops the job's process.
Job bodies and their arguments are those of the in-process runner. The arguments travel as JSON
(strings, numbers, true/false, lists and objects), checked when a server queues them and again
when a worker takes them: the body must be one of this app's (a function in `core`), and the
arguments must be the ones it takes. So whoever can write to the database can make a worker run
one of this app's jobs with odd arguments, which the job checks, never code of their own. Keep the
database's password to the servers and workers all the same.
"""

import datetime
import functools
import logging
import time
import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from core.db.schema import JOB_OWNERS, JOBS
from core.jobs.local import ABANDONED_AFTER_SECONDS
from core.jobs.records import body_name, encode_arguments, now, status_of
from core.jobs.status import Status

QUEUE = "nn-explorer"
TASK = "nn_explorer.run_job"
UNFINISHED = ("queued", "running")
UNREACHABLE = "the database that holds the queue of trainings cannot be reached right now; try again in a moment"
WORKER_SILENT_SECONDS = 30  # a worker whose heartbeat is older than this is counted as gone
LOG = logging.getLogger(__name__)


def conninfo(url):
    """The libpq address procrastinate's psycopg connector takes, from the SQLAlchemy URL."""
    return sa.engine.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def unreachable_gives(default):
    """For a read that a page makes on every run: with the database down, log it and return
    `default` (no job known), so that the page goes on and says what it can."""

    def wrap(method):
        @functools.wraps(method)
        def quietly(*args):
            from core.db.database import DatabaseUnavailable

            try:
                return method(*args)
            except (DatabaseUnavailable, sa.exc.SQLAlchemyError, OSError) as error:
                LOG.warning("the job queue's database: %s", error)
                return default

        return quietly

    return wrap


class QueuedJob:
    """One key's job, as any server sees it: its status is read from the database each time."""

    def __init__(self, jobs, key):
        self.jobs, self.key = jobs, key

    def _row(self):
        return self.jobs.row(self.key)

    @property
    def finished(self):
        row = self._row()
        return row is None or row.state not in UNFINISHED

    def status(self):
        """The job's Status. Asking counts as wanting it: a job nobody asks about is cancelled."""
        try:
            return self._status()
        except (sa.exc.SQLAlchemyError, OSError) as error:  # the page says so, and Retry asks again
            LOG.warning("job %s: its record cannot be read: %s", self.key, error)
            return Status("failed", error=UNREACHABLE)

    def _status(self):
        with self.jobs.engine.begin() as connection:
            connection.execute(
                JOBS.update().where(JOBS.c.key == self.key, JOBS.c.state.in_(UNFINISHED)).values(seen=now())
            )
            row = connection.execute(JOBS.select().where(JOBS.c.key == self.key)).first()
            if row is None or row.state not in UNFINISHED:
                return status_of(row)
            ahead = (
                connection.execute(
                    sa.select(sa.func.count()).where(
                        sa.or_(  # running, or queued before it
                            JOBS.c.state == "running",
                            sa.and_(JOBS.c.state == "queued", JOBS.c.submitted < row.submitted),
                        )
                    )
                ).scalar()
                if row.state == "queued"
                else 0
            )
            return status_of(row, ahead, self.jobs.workers(connection))

    def wait(self, timeout):
        """Block until the job has finished, or `timeout` seconds; return its Status."""
        deadline = time.monotonic() + timeout
        status = self.status()
        while status.state in UNFINISHED and time.monotonic() < deadline:
            time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
            status = self.status()
        return status


class QueuedJobs:
    """Jobs queued in PostgreSQL for the workers: at most one per key, whichever server asked."""

    remote = True  # job bodies run on workers, which may be other machines

    def __init__(self, url, abandoned_after=ABANDONED_AFTER_SECONDS):
        self.url, self.abandoned_after = url, abandoned_after
        self._queue = None

    @property
    def engine(self):
        """The database, connected on first use (DatabaseUnavailable, in plain words, if it cannot be);
        procrastinate's schema and the jobs' record come with its migrations."""
        from core.db import database

        return database.shared(self.url)

    def queue(self):
        """procrastinate's app, opened on first use."""
        if self._queue is None:
            import procrastinate

            self._queue = procrastinate.App(connector=procrastinate.SyncPsycopgConnector(conninfo=conninfo(self.url)))
            self._queue.open()
        return self._queue

    def row(self, key):
        with self.engine.connect() as connection:
            return connection.execute(JOBS.select().where(JOBS.c.key == key)).first()

    @staticmethod
    def workers(connection):
        """How many workers have sent a heartbeat lately."""
        silent = now() - datetime.timedelta(seconds=WORKER_SILENT_SECONDS)
        return connection.execute(
            sa.text("SELECT count(*) FROM procrastinate_workers WHERE last_heartbeat > :t"), {"t": silent}
        ).scalar()

    def submit(self, key, body, /, owner=None, **arguments):
        """The job for `key`, queued if there is none or the one there is done or cancelled. `owner`
        (a session) has one job waiting at most: its previous one, if still queued and nobody
        else's, is cancelled."""
        token, moment = uuid.uuid4().hex, now()
        fresh = {
            "token": token,
            "body": body_name(body),
            "arguments": encode_arguments(body, arguments),
            "state": "queued",
            "phase": "",
            "step": 0,
            "steps": 0,
            "history": {},
            "error": "",
            "result": None,
            "attempts": 0,
            "queue_id": None,
            "submitted": moment,
            "started": None,
            "ended": None,
            "seen": moment,
        }
        replaced = []
        with self.engine.begin() as connection:
            connection.execute(insert(JOBS).values(key=key, **fresh).on_conflict_do_nothing(index_elements=["key"]))
            row = connection.execute(JOBS.select().where(JOBS.c.key == key).with_for_update()).first()
            queued = row.token == token
            if not queued and row.state in ("done", "cancelled"):  # its result was used up, or nobody wanted it
                connection.execute(JOBS.update().where(JOBS.c.key == key).values(**fresh))
                queued = True
            elif not queued:
                connection.execute(JOBS.update().where(JOBS.c.key == key).values(seen=moment))
            if owner is not None:
                replaced = self._claim(connection, owner, key)
            replaced += self._abandoned(connection)
        if queued:
            self._defer(key, token)
        self._cancel_queued(replaced)
        return QueuedJob(self, key)

    def _defer(self, key, token):
        from procrastinate import exceptions

        try:
            queue_id = self.queue().configure_task(TASK, queue=QUEUE, lock=key, queueing_lock=key).defer(key=key)
        except exceptions.AlreadyEnqueued:  # its earlier request is still in the queue: that one runs it
            return
        with self.engine.begin() as connection:
            connection.execute(JOBS.update().where(JOBS.c.key == key, JOBS.c.token == token).values(queue_id=queue_id))

    def _claim(self, connection, owner, key):
        """Make `key` the owner's waiting job; return the keys of the jobs this leaves unwanted."""
        previous = connection.execute(sa.select(JOB_OWNERS.c.key).where(JOB_OWNERS.c.owner == owner)).scalar()
        connection.execute(
            insert(JOB_OWNERS)
            .values(owner=owner, key=key)
            .on_conflict_do_update(index_elements=["owner"], set_={"key": key})
        )
        if previous is None or previous == key:
            return []
        others = connection.execute(sa.select(sa.func.count()).where(JOB_OWNERS.c.key == previous)).scalar()
        return [] if others else [previous]

    def _abandoned(self, connection):
        """The keys of queued jobs nobody has asked about for `abandoned_after` seconds; and each
        session's record of a job that has ended is let go."""
        connection.execute(
            JOB_OWNERS.delete().where(~JOB_OWNERS.c.key.in_(sa.select(JOBS.c.key).where(JOBS.c.state.in_(UNFINISHED))))
        )
        stale = now() - datetime.timedelta(seconds=self.abandoned_after)
        return list(
            connection.execute(sa.select(JOBS.c.key).where(JOBS.c.state == "queued", JOBS.c.seen < stale)).scalars()
        )

    def _cancel_queued(self, keys):
        for key in keys:
            self._mark_cancelled(key, only_queued=True)

    def _mark_cancelled(self, key, only_queued=False):
        states = ("queued",) if only_queued else UNFINISHED
        with self.engine.begin() as connection:
            queue_id = connection.execute(
                JOBS.update()
                .where(JOBS.c.key == key, JOBS.c.state.in_(states))
                .values(state="cancelled", error="it was cancelled", ended=now())
                .returning(JOBS.c.queue_id)
            ).scalar()
        if queue_id is not None:
            LOG.info("cancelling job %s", key)
            self.queue().job_manager.cancel_job_by_id(queue_id, abort=True)

    @unreachable_gives(None)
    def get(self, key):
        return QueuedJob(self, key) if self.row(key) is not None else None

    @unreachable_gives([])
    def unfinished(self, prefix):
        """The jobs whose key starts with `prefix` that are queued or running."""
        with self.engine.connect() as connection:
            keys = connection.execute(
                sa.select(JOBS.c.key).where(
                    JOBS.c.key.startswith(prefix, autoescape=True), JOBS.c.state.in_(UNFINISHED)
                )
            ).scalars()
            return [QueuedJob(self, key) for key in keys]

    @unreachable_gives(None)
    def retry(self, key):
        """Forget a failed job, so that the next request for its key queues it again."""
        with self.engine.begin() as connection:
            connection.execute(JOBS.delete().where(JOBS.c.key == key, JOBS.c.state == "failed"))

    def cancel(self, key):
        """Stop a job, queued or running; it ends as cancelled, and nothing it would have made is kept."""
        self._mark_cancelled(key)

    def close(self):
        """Close procrastinate's connections (the database's engine is the process's: database.shared)."""
        if self._queue is not None:
            self._queue.close()
            self._queue = None
