"""A worker: runs the jobs that app servers queue in PostgreSQL (core/job_queue.py), one at a time.

    NN_EXPLORER_DB=postgresql+psycopg://user:password@host/db python -m core.worker

Start one per core a school can spare for training, on the servers' machines or others: the cap
on trainings at once is the number of workers. Each job runs in a fresh process of its own, as on
a single server (core/background.py's runner, whose job bodies are the same), so cancelling it
stops it at once and a crash in it leaves the worker up. Every few seconds the worker writes the
job's progress to its record, which every server's page reads, and stops the job if it was
cancelled or nobody has asked about it for five minutes.

A worker that is killed stops sending procrastinate its heartbeat. Every worker looks for the jobs
of workers silent for `--stalled-after` seconds: such a job is queued again once (another worker,
or this one restarted, runs it), and fails the second time, with Retry on the page.

A worker whose MNIST data differs from the servers' (started without their `MNIST_NPZ`, say)
refuses their trainings before taking them, and says why in its log: procrastinate offers each
again every REFUSED_WAIT_SECONDS, to any worker, and the page says what it waits for.
"""
import argparse
import asyncio
import datetime
import importlib
import logging
import os
import socket

import sqlalchemy as sa

from core import background, job_queue
from core.job_queue import QUEUE, TASK, conninfo, now
from core.lab.schema import JOBS

REPORT_SECONDS = 1.0
STALLED_AFTER_SECONDS = 30
HEARTBEAT_SECONDS = 5
LOG = logging.getLogger("core.worker")
ENGINE = None  # the database, once main() has connected
LOCAL = None  # this worker's own runner: one job at a time, each in a fresh process
DATA = None  # (fingerprint, source) of the MNIST data this worker loads, once a job needed it
REFUSED_WAIT_SECONDS = 10  # a refused job is offered again after this long, to any worker
REFUSALS = 60  # then, after ten minutes of refusals, it fails in words


def _body(name):
    module, function = name.split(":")
    if not module.split(".")[0] in ("core", "tests"):  # only this app's own job bodies (and the tests' stand-ins)
        raise ValueError(f"not a job body of this app: {name}")
    return getattr(importlib.import_module(module), function)


def _claim(key):
    """Take the job's record from queued to running; None if it was cancelled or has run."""
    abandoned = now() - datetime.timedelta(seconds=background.ABANDONED_AFTER_SECONDS)
    with ENGINE.begin() as connection:
        connection.execute(JOBS.update().where(JOBS.c.key == key, JOBS.c.state == "queued", JOBS.c.seen < abandoned)
                           .values(state="cancelled", error="nobody was waiting for it", ended=now()))
        return connection.execute(
            JOBS.update().where(JOBS.c.key == key, JOBS.c.state == "queued")
            .values(state="running", attempts=JOBS.c.attempts + 1, started=now(), reported=now(), phase="starting",
                    worker=f"{socket.gethostname()}:{os.getpid()}")
            .returning(JOBS.c.token, JOBS.c.body, JOBS.c.arguments)).first()


def _write(key, token, **values):
    """Write to the job's record while it is this run's and running; return when it was last
    asked about, or None if it is no longer this run's to write (cancelled, say)."""
    with ENGINE.begin() as connection:
        return connection.execute(JOBS.update().where(JOBS.c.key == key, JOBS.c.token == token,
                                                      JOBS.c.state == "running")
                                  .values(**values).returning(JOBS.c.seen)).scalar()


class WrongData(Exception):
    """This worker cannot run the job correctly: procrastinate offers it again later, to any worker."""


def _without_refusal_tracebacks(record):
    """procrastinate logs each retried job with its traceback: a refusal is said once, in words, by
    run_job, so its traceback (2 kB every REFUSED_WAIT_SECONDS) is left out."""
    if record.exc_info and isinstance(record.exc_info[1], WrongData):
        record.exc_info, record.exc_text = None, None
    return True


def _own_data():
    """The MNIST data this worker's jobs would load: (fingerprint, where from). Read once."""
    global DATA
    if DATA is None:
        from core.digits import data as mnist_data

        loaded = mnist_data.load()
        DATA = (loaded.data_id, loaded.source)
    return DATA


def refusal(arguments):
    """Why this worker must not take a job with these arguments, in words, or None: a job made for
    other data (`data_id`, the fingerprint of the servers' MNIST set) would fail after its start,
    or train a network the servers then refuse."""
    wanted = arguments.get("data_id") if isinstance(arguments, dict) else None
    if wanted is None:
        return None
    have, source = _own_data()
    if wanted == have:
        return None
    return (f"this worker has different MNIST data ({source}, fingerprint {have}) than the app servers "
            f"(fingerprint {wanted}): start it with the servers' MNIST_NPZ")


def _queued(key):
    with ENGINE.begin() as connection:
        return connection.execute(sa.select(JOBS.c.body, JOBS.c.arguments, JOBS.c.token).where(
            JOBS.c.key == key, JOBS.c.state == "queued")).first()


def run_job(context, key):
    """procrastinate's task: run one job's body in a process of its own, reporting as it goes. A
    job this worker cannot run correctly is refused before it is claimed: procrastinate offers it
    again in REFUSED_WAIT_SECONDS (another worker may take it), and after REFUSALS it fails in words."""
    waiting = _queued(key)
    if waiting is None:
        return
    try:
        why = refusal(job_queue.decode_arguments(_body(waiting.body), waiting.arguments))
    except Exception:  # noqa: BLE001 - a record it cannot read is failed below, as before
        why = None
    if why is not None:
        LOG.warning("job %s refused: %s", key, why)
        last = context.job.attempts + 1 >= REFUSALS
        with ENGINE.begin() as connection:
            connection.execute(JOBS.update().where(JOBS.c.key == key, JOBS.c.state == "queued").values(
                phase="no worker with the app's data took it" if last else background.WRONG_DATA,
                **({"state": "failed", "error": f"No worker could run it: {why}."[:400], "ended": now()}
                   if last else {})))
        if last:
            return
        raise WrongData(why)
    claimed = _claim(key)
    if claimed is None:
        return
    LOCAL.retry(key)  # this worker's record of an earlier run that failed: this one is asked for afresh
    try:
        body = _body(claimed.body)
        job = LOCAL.submit(key, body, **job_queue.decode_arguments(body, claimed.arguments))
    except Exception:  # a record this worker cannot run (a body renamed by a newer version, say)
        LOG.exception("job %s cannot be started", key)
        _write(key, claimed.token, state="failed", error=background.FAILED, ended=now())
        return
    while True:
        status = job.wait(REPORT_SECONDS)
        if status.state in ("done", "failed"):
            break
        seen = _write(key, claimed.token, phase=status.phase[:80], step=status.step, steps=status.steps,
                      history=status.history, reported=now())
        if seen is None or (now() - seen).total_seconds() > background.ABANDONED_AFTER_SECONDS:
            LOG.info("job %s: cancelled, or nobody is waiting for it: stopping it", key)
            LOCAL.cancel(key)
            job.wait(60)
            _write(key, claimed.token, state="cancelled", error="nobody was waiting for it", ended=now())
            return
    result = status.result if isinstance(status.result, (str, int, float, bool, type(None))) else repr(status.result)
    _write(key, claimed.token, state=status.state, error=status.error[:400], history=status.history,
           result=result if status.state == "done" else None, ended=now())


async def recover(app, stalled_after):
    """Queue once more the jobs of workers that have gone silent; fail those already retried."""
    from procrastinate.jobs import Status

    for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
        key = job.task_kwargs.get("key")
        with ENGINE.begin() as connection:
            row = connection.execute(JOBS.select().where(JOBS.c.key == key).with_for_update()).first()
            again = row is not None and row.state == "running" and row.attempts < background.ATTEMPTS
            if again:
                connection.execute(JOBS.update().where(JOBS.c.key == key).values(state="queued", phase=""))
            elif row is not None and row.state == "running":
                connection.execute(JOBS.update().where(JOBS.c.key == key).values(
                    state="failed", error="its worker stopped unexpectedly twice", ended=now()))
        LOG.warning("job %s: its worker went silent; %s", key, "queueing it again" if again else "giving up")
        if again:
            await app.job_manager.retry_job(job)
        else:
            await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)


async def serve(url, stalled_after, heartbeat):
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    retry = procrastinate.RetryStrategy(max_attempts=REFUSALS, wait=REFUSED_WAIT_SECONDS, retry_exceptions={WrongData})
    app.task(name=TASK, queue=QUEUE, pass_context=True, retry=retry)(run_job)

    async def recovering():
        while True:
            try:
                await recover(app, stalled_after)
            except Exception:  # the database away for a moment: try again at the next round
                LOG.exception("looking for stalled jobs failed")
            await asyncio.sleep(max(1.0, heartbeat))

    async with app.open_async():
        watch = asyncio.create_task(recovering())
        try:
            await app.run_worker_async(queues=[QUEUE], concurrency=1, name=f"{socket.gethostname()}:{os.getpid()}",
                                       update_heartbeat_interval=heartbeat, stalled_worker_timeout=stalled_after)
        finally:
            watch.cancel()


def main(argv=None):
    global ENGINE, LOCAL
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("NN_EXPLORER_DB", ""),
                        help="the PostgreSQL database the app servers queue jobs in (default: $NN_EXPLORER_DB)")
    parser.add_argument("--stalled-after", type=float, default=STALLED_AFTER_SECONDS,
                        help="seconds without a heartbeat after which a worker's job is run again")
    parser.add_argument("--heartbeat", type=float, default=HEARTBEAT_SECONDS, help="seconds between heartbeats")
    arguments = parser.parse_args(argv)
    if not arguments.db.startswith("postgresql"):
        parser.error("workers take their jobs from PostgreSQL: set NN_EXPLORER_DB or --db to a postgresql+psycopg:// URL")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    from core.lab import database

    for handler in logging.getLogger().handlers:
        handler.addFilter(_without_refusal_tracebacks)
    os.environ["NN_EXPLORER_DB"] = arguments.db  # job bodies that use the database find the same one
    ENGINE = database.shared(arguments.db)
    LOCAL = background.Jobs(max_running=1, abandoned_after=float("inf"))
    LOG.info("worker %s:%s taking jobs from %s", socket.gethostname(), os.getpid(), database.shown_url(arguments.db))
    try:
        asyncio.run(serve(arguments.db, arguments.stalled_after, arguments.heartbeat))
    except KeyboardInterrupt:
        pass
    finally:
        LOCAL.close()


if __name__ == "__main__":
    main()
