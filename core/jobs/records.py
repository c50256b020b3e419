"""A queued job's record in the `jobs` table (core/db/schema.py), as servers and workers read and
write it: its body kept by name (a function in this app's `core`), its arguments as JSON, checked
when a server queues them and again when a worker reads them (core/jobs/queued.py says why), and
the record read as the Status pages show."""

import datetime
import inspect
import json

from core.jobs.status import Status

# A running job's worker writes to its record about every second (core/worker.REPORT_SECONDS): after
# this long without a word, every server's page says the trainer has stopped answering.
REPORT_SILENT_SECONDS = 5


def now():
    return datetime.datetime.now(datetime.timezone.utc)


def body_name(body):
    return f"{body.__module__}:{body.__qualname__}"


def encode_arguments(body, arguments):
    """A job's keyword arguments as the JSON its record keeps (a tuple arrives as a list); TypeError
    or ValueError for anything JSON cannot hold (an object, nan) or that `body` does not take."""
    inspect.signature(body).bind(None, **arguments)  # the report function, then these
    return json.dumps(arguments, allow_nan=False, sort_keys=True).encode()


def decode_arguments(body, stored):
    """The keyword arguments a worker reads from a job's record, checked: a JSON object of the
    arguments `body` takes, or ValueError saying why not."""
    try:
        arguments = json.loads(bytes(stored).decode())
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError("the job's arguments are not JSON") from error
    if not isinstance(arguments, dict):
        raise ValueError("the job's arguments are not a JSON object")
    try:
        inspect.signature(body).bind(None, **arguments)
    except TypeError as error:
        raise ValueError(f"the job's arguments do not fit its body: {error}") from error
    return arguments


def status_of(row, ahead=0, workers=None):
    """A job record as the Status pages read."""
    if row is None or row.state == "cancelled":
        return Status("failed", error="it was cancelled")
    elapsed = ((row.ended or now()) - row.started).total_seconds() if row.started else 0.0
    if row.state == "queued":
        return Status("queued", phase=row.phase, ahead=ahead, workers=workers)
    if row.state == "running":
        quiet = (now() - row.reported).total_seconds() if row.reported else 0.0
        return Status(
            "running",
            phase=row.phase or "starting",
            step=row.step,
            steps=row.steps,
            history=row.history or {},
            elapsed=elapsed,
            workers=workers,
            silent=quiet if quiet > REPORT_SILENT_SECONDS else 0.0,
        )
    if row.state == "done":
        return Status("done", history=row.history or {}, elapsed=elapsed, result=row.result)
    return Status("failed", error=row.error, elapsed=elapsed)
