"""What every runner of background jobs shares: where a job is (`Status`), the words a body fails
with (`JobError`), the limits both runners keep, and the `Runner` they both are."""

import dataclasses
from typing import Any, Protocol

ABANDONED_AFTER_SECONDS = 300  # pages poll every 2 s; five minutes allows a visit to another lesson
ATTEMPTS = 2  # a worker that dies is started once more before the page offers Retry
FAILED = "it stopped with an error"  # what a failure without a JobError says (the log has the detail)
WRONG_DATA = "waiting for a worker with the app's data"  # a queued job's phase once workers refused it
STATES = ("queued", "running", "done", "failed")


class JobError(Exception):
    """A job body's reason for failing, in words worth showing to the person who asked for it."""


@dataclasses.dataclass(frozen=True)
class Status:
    """Where a job is. `state` is one of STATES; while running, `phase` is what the body last said
    it was doing, `step` of `steps` its progress within it, `history` what it chose to share so far."""

    state: str
    phase: str = ""
    step: int = 0
    steps: int = 0
    history: dict = dataclasses.field(default_factory=dict)
    error: str = ""
    elapsed: float = 0.0
    ahead: int = 0  # queued: how many jobs start before this one
    result: object = None  # done: what the body returned
    workers: object = None  # with a job queue: how many workers are running (None: jobs run on this server)
    silent: float = 0.0  # seconds its worker has not reported for, when that is too long (0: it reports)


class Job(Protocol):
    key: str

    @property
    def finished(self) -> bool: ...

    def status(self) -> Status: ...

    def wait(self, timeout: float) -> Status: ...


class Runner(Protocol):
    """What pages ask of whoever runs the jobs: this server's processes (core/jobs/local.py) or the
    queue in the shared database (core/jobs/queued.py)."""

    remote: bool  # True when job bodies run on other machines, with model folders of their own

    def submit(self, key: str, body: Any, /, owner: str | None = None, **arguments: Any) -> Job: ...

    def get(self, key: str) -> Job | None: ...

    def unfinished(self, prefix: str) -> list: ...

    def retry(self, key: str) -> None: ...

    def cancel(self, key: str) -> None: ...

    def close(self) -> None: ...
