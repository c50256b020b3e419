"""What runs in a background worker process (core/jobs/local.py starts it): the job body, given a
reporter, in the server's environment, and a watch that ends the worker with its server."""

import json
import logging
import os
import threading
import time
from pathlib import Path

from core.jobs.status import FAILED, JobError

REPORT_INTERVAL_SECONDS = 0.5
LOG = logging.getLogger(__name__)


class Reporter:
    """Given to a job body in its worker: writes its progress for the server to read, a new phase
    at once and steps within a phase at most twice a second."""

    def __init__(self, path):
        self.path, self.phase, self.last = Path(path), None, 0.0

    def __call__(self, phase, step=0, steps=0, history=None):
        now = time.monotonic()
        if phase == self.phase and step and now - self.last < REPORT_INTERVAL_SECONDS:
            return
        self.phase, self.last = phase, now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(
            json.dumps({"phase": phase, "step": step, "steps": steps, "history": history or {}, "pid": os.getpid()})
        )
        os.replace(temporary, self.path)


def die_with_parent(parent):
    """Run first in every worker. A server killed outright (SIGKILL, a crash) cannot stop its
    workers, and one that went on would finish its job for nobody: a thread checks each second
    that the server is still its parent, and ends the worker when it is not. (Linux's prctl
    PR_SET_PDEATHSIG is no help here: it fires when the *thread* that started the worker ends, and
    pebble starts its first workers from whichever thread first submits, here a page's script
    run, which ends within a second.)"""

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


def run(body, arguments, progress_path, environment):
    """A job in its worker: the body with its reporter, in the environment the server had when the
    job was submitted (the pool starts its idle workers ahead of time). A JobError's words reach
    the page; any other failure is logged here and said in general words."""
    os.environ.clear()
    os.environ.update(environment)
    try:
        return body(Reporter(progress_path), **arguments)
    except JobError:
        raise
    except Exception as error:
        LOG.exception("background job %s failed", getattr(body, "__name__", body))
        raise JobError(FAILED) from error
