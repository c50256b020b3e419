"""A worker: runs the jobs that app servers queue in PostgreSQL (core/jobs/queued.py), one at a time.

    NN_EXPLORER_DB=postgresql+psycopg://user:password@host/db python -m core.jobs.worker

Start one per core a school can spare for training, on the servers' machines or others: the cap
on trainings at once is the number of workers. Each job runs in a fresh process of its own, as on
a single server (core/jobs/local.py's runner, whose job bodies are the same), so cancelling it
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
from typing import Any

import sqlalchemy as sa

from core import settings
from core.db import database
from core.db.schema import JOBS
from core.jobs.local import Jobs
from core.jobs.queued import QUEUE, TASK, conninfo
from core.jobs.records import decode_arguments, now
from core.jobs.status import ABANDONED_AFTER_SECONDS, ATTEMPTS, FAILED, WRONG_DATA, Status

REPORT_SECONDS = 1.0
STALLED_AFTER_SECONDS = 30
HEARTBEAT_SECONDS = 5
REFUSED_WAIT_SECONDS = 10  # a refused job is offered again after this long, to any worker
REFUSALS = 60  # then, after ten minutes of refusals, it fails in words
LOG = logging.getLogger("core.jobs.worker")


def _body(name: str) -> Any:
    module, function = name.split(":")
    if module.split(".")[0] not in ("core", "tests"):  # only this app's own job bodies (and the tests' stand-ins)
        raise ValueError(f"not a job body of this app: {name}")
    return getattr(importlib.import_module(module), function)


class WrongData(Exception):
    """This worker cannot run the job correctly: procrastinate offers it again later, to any worker."""


def _without_refusal_tracebacks(record: logging.LogRecord) -> bool:
    """procrastinate logs each retried job with its traceback: a refusal is said once, in words, by
    run_job, so its traceback (2 kB every REFUSED_WAIT_SECONDS) is left out."""
    if record.exc_info and isinstance(record.exc_info[1], WrongData):
        record.exc_info, record.exc_text = None, None
    return True


def refusal(body: Any, arguments: dict) -> str | None:
    """Why this worker must not take a job, in words, or None: a body may declare `refuses`, a
    function of its arguments that says why this process could not run it correctly (a training
    made for other data than this worker's, say: core/digits/data.py's `refusal`)."""
    check = getattr(body, "refuses", None)
    return check(arguments) if check is not None else None


class Worker:
    """One worker process: the shared database's engine, and its own runner of one job at a time."""

    def __init__(self, engine: sa.Engine, local: Jobs):
        self.engine, self.local = engine, local

    def _queued(self, key: str) -> Any:
        with self.engine.begin() as connection:
            return connection.execute(
                sa.select(JOBS.c.body, JOBS.c.arguments, JOBS.c.token).where(
                    JOBS.c.key == key, JOBS.c.state == "queued"
                )
            ).first()

    def _claim(self, key: str) -> Any:
        """Take the job's record from queued to running; None if it was cancelled or has run."""
        abandoned = now() - datetime.timedelta(seconds=ABANDONED_AFTER_SECONDS)
        with self.engine.begin() as connection:
            connection.execute(
                JOBS.update()
                .where(JOBS.c.key == key, JOBS.c.state == "queued", JOBS.c.seen < abandoned)
                .values(state="cancelled", error="nobody was waiting for it", ended=now())
            )
            return connection.execute(
                JOBS.update()
                .where(JOBS.c.key == key, JOBS.c.state == "queued")
                .values(
                    state="running",
                    attempts=JOBS.c.attempts + 1,
                    started=now(),
                    reported=now(),
                    phase="starting",
                )
                .returning(JOBS.c.token, JOBS.c.body, JOBS.c.arguments)
            ).first()

    def _write(self, key: str, token: str, **values: Any) -> Any:
        """Write to the job's record while it is this run's and running; return when it was last
        asked about, or None if it is no longer this run's to write (cancelled, say)."""
        with self.engine.begin() as connection:
            return connection.execute(
                JOBS.update()
                .where(JOBS.c.key == key, JOBS.c.token == token, JOBS.c.state == "running")
                .values(**values)
                .returning(JOBS.c.seen)
            ).scalar()

    def _refuse_if_unfit(self, key: str, waiting: Any, attempts: int) -> None:
        """Raise WrongData (procrastinate offers the job again) when this worker cannot run the
        job correctly; after REFUSALS offers the job fails, in words."""
        try:
            body = _body(waiting.body)
            why = refusal(body, decode_arguments(body, waiting.arguments))
        except Exception:  # noqa: BLE001 - a record it cannot read is failed when claimed, as before
            why = None
        if why is None:
            return
        LOG.warning("job %s refused: %s", key, why)
        last = attempts + 1 >= REFUSALS
        with self.engine.begin() as connection:
            connection.execute(
                JOBS.update()
                .where(JOBS.c.key == key, JOBS.c.state == "queued")
                .values(
                    phase="no worker with the app's data took it" if last else WRONG_DATA,
                    **(
                        {"state": "failed", "error": f"No worker could run it: {why}."[:400], "ended": now()}
                        if last
                        else {}
                    ),
                )
            )
        if not last:
            raise WrongData(why)

    def run_job(self, context: Any, key: str) -> None:
        """procrastinate's task: run one job's body in a process of its own, reporting as it goes. A
        job this worker cannot run correctly is refused before it is claimed: procrastinate offers it
        again in REFUSED_WAIT_SECONDS (another worker may take it), and after REFUSALS it fails in words."""
        waiting = self._queued(key)
        if waiting is None:
            return
        self._refuse_if_unfit(key, waiting, context.job.attempts)
        claimed = self._claim(key)
        if claimed is None:
            return
        self.local.retry(key)  # this worker's record of an earlier run that failed: this one is asked for afresh
        try:
            body = _body(claimed.body)
            job = self.local.submit(key, body, **decode_arguments(body, claimed.arguments))
        except Exception:  # a record this worker cannot run (a body renamed by a newer version, say)
            LOG.exception("job %s cannot be started", key)
            self._write(key, claimed.token, state="failed", error=FAILED, ended=now())
            return
        self._follow(key, claimed.token, job)

    def _follow(self, key: str, token: str, job: Any) -> None:
        """Report the running job's progress to its record until it ends, or stop it when nobody wants it."""
        while True:
            status: Status = job.wait(REPORT_SECONDS)
            if status.state in ("done", "failed"):
                break
            seen = self._write(
                key,
                token,
                phase=status.phase[:80],
                step=status.step,
                steps=status.steps,
                history=status.history,
                reported=now(),
            )
            if seen is None or (now() - seen).total_seconds() > ABANDONED_AFTER_SECONDS:
                LOG.info("job %s: cancelled, or nobody is waiting for it: stopping it", key)
                self.local.cancel(key)
                job.wait(60)
                self._write(key, token, state="cancelled", error="nobody was waiting for it", ended=now())
                return
        plain = isinstance(status.result, (str, int, float, bool, type(None)))
        result = status.result if plain else repr(status.result)
        self._write(
            key,
            token,
            state=status.state,
            error=status.error[:400],
            history=status.history,
            result=result if status.state == "done" else None,
            ended=now(),
        )

    async def recover(self, app: Any, stalled_after: float) -> None:
        """Queue once more the jobs of workers that have gone silent; fail those already retried."""
        from procrastinate.jobs import Status as QueueStatus

        for job in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
            key = job.task_kwargs.get("key")
            with self.engine.begin() as connection:
                row = connection.execute(JOBS.select().where(JOBS.c.key == key).with_for_update()).first()
                again = row is not None and row.state == "running" and row.attempts < ATTEMPTS
                if again:
                    connection.execute(JOBS.update().where(JOBS.c.key == key).values(state="queued", phase=""))
                elif row is not None and row.state == "running":
                    connection.execute(
                        JOBS.update()
                        .where(JOBS.c.key == key)
                        .values(state="failed", error="its worker stopped unexpectedly twice", ended=now())
                    )
            LOG.warning("job %s: its worker went silent; %s", key, "queueing it again" if again else "giving up")
            if again:
                await app.job_manager.retry_job(job)
            else:
                await app.job_manager.finish_job(job, status=QueueStatus.FAILED, delete_job=False)


async def serve(worker: Worker, url: str, stalled_after: float, heartbeat: float) -> None:
    import procrastinate

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))
    retry = procrastinate.RetryStrategy(max_attempts=REFUSALS, wait=REFUSED_WAIT_SECONDS, retry_exceptions={WrongData})
    app.task(name=TASK, queue=QUEUE, pass_context=True, retry=retry)(worker.run_job)

    async def recovering() -> None:
        while True:
            try:
                await worker.recover(app, stalled_after)
            except Exception:  # the database away for a moment: try again at the next round
                LOG.exception("looking for stalled jobs failed")
            await asyncio.sleep(max(1.0, heartbeat))

    async with app.open_async():
        watch = asyncio.create_task(recovering())
        try:
            await app.run_worker_async(
                queues=[QUEUE],
                concurrency=1,
                name=f"{socket.gethostname()}:{os.getpid()}",
                update_heartbeat_interval=heartbeat,
                stalled_worker_timeout=stalled_after,
            )
        finally:
            watch.cancel()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db",
        default=settings.database_url(),
        help="the PostgreSQL database the app servers queue jobs in (default: $NN_EXPLORER_DB)",
    )
    parser.add_argument(
        "--stalled-after",
        type=float,
        default=STALLED_AFTER_SECONDS,
        help="seconds without a heartbeat after which a worker's job is run again",
    )
    parser.add_argument("--heartbeat", type=float, default=HEARTBEAT_SECONDS, help="seconds between heartbeats")
    arguments = parser.parse_args(argv)
    if not settings.shared_database(arguments.db):
        parser.error(
            "workers take their jobs from PostgreSQL: set NN_EXPLORER_DB or --db to a postgresql+psycopg:// URL"
        )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(_without_refusal_tracebacks)
    os.environ["NN_EXPLORER_DB"] = arguments.db  # job bodies that use the database find the same one
    worker = Worker(database.shared(arguments.db), Jobs(max_running=1, abandoned_after=float("inf")))
    LOG.info("worker %s:%s taking jobs from %s", socket.gethostname(), os.getpid(), database.shown_url(arguments.db))
    try:
        asyncio.run(serve(worker, arguments.db, arguments.stalled_after, arguments.heartbeat))
    except KeyboardInterrupt:
        pass
    finally:
        worker.local.close()


if __name__ == "__main__":
    main()
