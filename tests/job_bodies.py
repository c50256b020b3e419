"""Stand-in job bodies for the job-queue tests (tests/test_job_queue.py): a worker process imports
them by name, as it imports the app's own. Each writes down that it started, then waits for the
test's word in a file: go (return), die (the process ends without a word) or fail."""

import os
import time
from pathlib import Path

from core.digits.data import refusal as mnist_refusal
from core.jobs import JobError


def waiting(report, folder, name):
    folder = Path(folder)
    with open(folder / f"{name}.started", "a") as started:
        started.write(f"{os.getpid()}\n")
    report("waiting", step=1, steps=4, history={"loss": [0.5]})
    order = folder / f"{name}.order"
    while not order.exists():
        time.sleep(0.05)
        report("waiting", step=2, steps=4, history={"loss": [0.5, 0.25]})
    word = order.read_text()
    if word == "die":
        os._exit(9)
    if word == "fail":
        raise JobError("the stand-in has a reason")
    return f"{name} done"


def waiting_for_data(report, folder, name, data_id):
    """`waiting`, for a job made for the MNIST data whose fingerprint is `data_id` (as training is)."""
    return waiting(report, folder, name)


waiting_for_data.refuses = mnist_refusal  # as training declares it
