"""A whole school on one link: the cluster (deploy/cluster.py: PostgreSQL, two app servers with
model folders of their own, one worker, HAProxy) driven through the balancer.

    MNIST_NPZ=../shared/data/mnist.npz python -m bench.replicas [--db URL]

Each student is a Streamlit session speaking the browser's websocket protocol through HAProxy
(harness/session.py: 30 Chromium tabs would take the two cores the servers are measured on).
Three parts, one JSON object:
- `same_network`: two sessions on different servers open the handwriting page for one untrained
  network; how many trainings ran, whether both saw its progress, then its test accuracy.
- `class`: 30 students join one class-lab room and add 5 drawings each; midway one app server is
  killed. Its students reconnect through the balancer and carry on. The split of sessions over
  the servers, drawings acknowledged, stored and lost, seconds from the kill to each reconnected
  session's first finished run, p95 from pressing Add to the acknowledgement.
- `worker_killed`: the worker is killed mid-training and started again; whether the job was run
  again and finished, its attempts and seconds.
Then each server's peak resident memory.
"""

import argparse
import asyncio
import json
import os
import random
import time

import sqlalchemy as sa
import websockets

from bench.class_lab_page import pad_picture, percentiles
from core.db.schema import JOBS
from core.digits import shipped
from core.digits.saved import ROOM_NETWORK_PREFIX
from core.lab import store
from deploy import cluster
from harness.postgres import fresh_schema
from harness.server import rss_mb
from harness.session import Session

SMALL = "preset=Dense%20network%20784-128-10&hidden_dense={hidden}&epochs_dense={epochs}"


def job_row(engine, state=None):
    with engine.connect() as connection:
        query = JOBS.select().where(JOBS.c.key.notlike(f"{ROOM_NETWORK_PREFIX}%"))
        rows = connection.execute(query.order_by(JOBS.c.submitted.desc())).all()
    return next((row for row in rows if state is None or row.state in state), None)


def trainings_queued(engine, key):
    with engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT count(*), coalesce(sum(attempts), 0) FROM procrastinate_jobs WHERE lock = :key"),
            {"key": key},
        ).one()


async def session_on(url, page, query, server):
    """A session that the balancer pinned to `server` (new sessions take turns)."""
    for _ in range(10):
        visitor = await Session(url, page, query).__aenter__()
        if visitor.server == server:
            return visitor
        await visitor.__aexit__()
    raise RuntimeError(f"the balancer sent no new session to {server}")


async def same_network(url, engine, timeout=900):
    query = SMALL.format(hidden=24, epochs=2)
    visitors = [await session_on(url, "mnist", query, server) for server in cluster.APP_SERVERS]
    started, saw_progress = time.monotonic(), set()
    while (row := job_row(engine)) is None or row.state in ("queued", "running"):
        assert time.monotonic() - started < timeout, "the training did not finish"
        for number, visitor in enumerate(visitors):
            await visitor.refresh()
            if visitor.find("progress") and row is not None and row.state == "running":
                saw_progress.add(number)
        await asyncio.sleep(1)
    accuracies = []
    for visitor in visitors:
        await visitor.rerun()
        accuracies.append([metric.body for metric in visitor.find("metric") if metric.label == "Test accuracy"])
        await visitor.__aexit__()
    queued, attempts = trainings_queued(engine, row.key)
    return {
        "servers": [visitor.server for visitor in visitors],
        "state": row.state,
        "trainings_queued": queued,
        "trainings_run": attempts,
        "both_saw_progress": len(saw_progress) == 2,
        "both_show_the_network": all(accuracies),
        "seconds": round(time.monotonic() - started, 1),
    }


async def student(url, code, number, drawings, record, kill):
    """Add `drawings` drawings, reconnecting through the balancer if the session's server dies."""
    added, reconnecting = 0, False
    await asyncio.sleep(random.Random(number).uniform(0, 3))
    while added < drawings:
        try:
            async with Session(url, "class_lab", f"room={code}") as visitor:
                record["servers"].append(visitor.server)
                if reconnecting:
                    record["reconnect"].append(time.monotonic() - kill["at"])
                while added < drawings:
                    await visitor.draw(pad_picture(number * 100 + added))
                    await visitor.choose(0, 1)
                    seconds = await visitor.click("Add to our set")
                    if any("Added your" in text for text in visitor.texts()):
                        record["add"].append(seconds)
                        record["acknowledged"] += 1
                    added += 1  # acknowledged, or refused with a reason: the student moves on
                    await asyncio.sleep(random.Random(number * 1000 + added).uniform(2, 4))
        except (ConnectionError, OSError, asyncio.TimeoutError, LookupError, websockets.ConnectionClosed):
            reconnecting = True  # its server went down mid-run: that drawing was never acknowledged; draw it again
            await asyncio.sleep(0.5)


async def a_class(url, lab, running, students, drawings):
    room = lab.create_room()
    record = {"servers": [], "add": [], "reconnect": [], "acknowledged": 0}
    kill = {}

    async def killing():
        while record["acknowledged"] < students * drawings // 2:
            await asyncio.sleep(0.2)
        kill["peak_rss_mb"] = rss_mb(running.processes["app1"].pid, "VmHWM")
        kill["at"] = time.monotonic()
        running.stop("app1")

    killer = asyncio.create_task(killing())
    await asyncio.gather(*(student(url, room.code, number, drawings, record, kill) for number in range(students)))
    await killer
    first = record["servers"][:students]
    stored = lab.count(room.code)
    return {
        "students": students,
        "drawings_each": drawings,
        "first_sessions_per_server": {server: first.count(server) for server in sorted(set(first))},
        "acknowledged": record["acknowledged"],
        "stored": stored,
        "lost": max(0, record["acknowledged"] - stored),
        "killed": "app1",
        "reconnected": len(record["reconnect"]),
        "reconnect_seconds": percentiles(record["reconnect"]),
        "add_acknowledged_seconds": percentiles(record["add"]),
        "app1_peak_rss_mb": round(kill["peak_rss_mb"]),
    }


async def worker_killed(url, engine, running, timeout=900):
    visitor = await Session(url, "mnist", SMALL.format(hidden=40, epochs=3)).__aenter__()
    started = time.monotonic()
    while (row := job_row(engine, ("running",))) is None or row.phase != "training":
        assert time.monotonic() - started < timeout, "the training did not start"
        await visitor.refresh()
        await asyncio.sleep(0.5)
    running.stop("worker")
    killed = time.monotonic()
    running.start("worker")
    while (row := job_row(engine)).state in ("queued", "running"):
        assert time.monotonic() - killed < timeout, "the training did not finish after the worker was killed"
        await visitor.refresh()
        await asyncio.sleep(1)
    await visitor.__aexit__()
    return {
        "state": row.state,
        "attempts": row.attempts,
        "seconds_from_kill_to_done": round(time.monotonic() - killed, 1),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.replicas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a PostgreSQL URL (default: Debian's, started with .ci/postgres)")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--drawings", type=int, default=5)
    arguments = parser.parse_args(argv)
    if not os.environ.get("MNIST_NPZ"):
        parser.error("set MNIST_NPZ to the MNIST file (../shared/data/mnist.npz): the worker trains on it")
    # a schema of this run's own: a network, room or job an earlier run stored is not found (a second
    # run once waited 900 s for a training that never started, its network being stored already)
    with (
        fresh_schema(arguments.db or cluster.start_postgres(), prefix="bench") as db,
        cluster.running(db=db, NN_EXPLORER_SHIPPED=shipped.DIRECTORY) as running,
    ):
        engine = sa.create_engine(running.db)
        lab = store.Lab(running.db)
        result = {"same_network": asyncio.run(same_network(running.url, engine))}
        result["class"] = asyncio.run(a_class(running.url, lab, running, arguments.students, arguments.drawings))
        result["worker_killed"] = asyncio.run(worker_killed(running.url, engine, running))
        result["peak_rss_mb"] = {
            name: round(rss_mb(process.pid, "VmHWM"))
            for name, process in running.processes.items()
            if process.poll() is None
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
