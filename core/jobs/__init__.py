"""Background jobs: long work (training a network, teaching a room's network) that runs outside a
page's script, shared by every session that asks for the same key.

- status.py: `Status`, `JobError`, the `Runner` both runners are;
- local.py: this server's own worker processes (one machine, SQLite);
- process.py: what runs inside such a process;
- queued.py: the queue in PostgreSQL that several servers share (procrastinate);
- worker.py: `python -m core.jobs.worker`, which runs the queue's jobs.

`runner()` picks one from the settings. Nothing here starts at import: the local runner is made
when first asked for. Adding a kind of job: docs/adding-a-lesson.md.
"""

import contextlib
import threading

from core import settings
from core.jobs.status import JobError, Runner, Status  # noqa: F401 (what job bodies and pages use)

_RUNNERS: dict = {}
_LOCK = threading.Lock()


def runner() -> Runner:
    """Who runs this server's jobs: its own worker processes, or, when the database is PostgreSQL,
    which several servers may share, the job queue there, whose workers run them for every server."""
    url = settings.database_url()
    shared = settings.shared_database(url)
    key = url if shared else "local"  # one local runner, whatever SQLite file the lab uses
    with _LOCK:
        if key not in _RUNNERS:
            if shared:
                from core.jobs.queued import QueuedJobs

                _RUNNERS[key] = QueuedJobs(url)
            else:
                from core.jobs.local import Jobs

                _RUNNERS[key] = Jobs()
        return _RUNNERS[key]


@contextlib.contextmanager
def own_runners():
    """Within this block, runner() makes runners of its own, as a newly started server has, and
    closes them at its end; the ones made before come back. For tests: the process's runners
    would still hold earlier tests' jobs, of the same key but saving into their own model folders."""
    global _RUNNERS
    with _LOCK:
        before, _RUNNERS = _RUNNERS, {}
    try:
        yield
    finally:
        with _LOCK:
            made, _RUNNERS = _RUNNERS, before
        for made_runner in made.values():
            made_runner.close()
