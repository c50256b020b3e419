"""What the background-work registry (core/jobs/local.py) costs around a job: how long from
submitting a job to its body starting in a worker, and to its result being back; the server's and
the idle workers' memory. The job bodies do nothing, so the figures are the registry's own.

Usage: python -m bench.jobs [--jobs 10]
Prints one JSON object.
"""

import argparse
import json
import os
import time

import numpy as np

from core.jobs.local import Jobs
from harness.server import children, rss_mb


def started_at(report):
    """A job body that does nothing but say when it started."""
    return time.time()


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=10)
    arguments = parser.parse_args(argv)
    jobs = Jobs(max_running=1)
    to_start, to_result = [], []
    for number in range(arguments.jobs):
        submitted = time.time()
        status = jobs.submit(f"job-{number}", started_at).wait(120)
        if status.state != "done":
            raise SystemExit(f"job {number} ended {status.state}: {status.error}")
        to_start.append(status.result - submitted)
        to_result.append(time.time() - submitted)
    time.sleep(1)  # the pool has started its next idle worker
    idle = [rss_mb(child) for child in children(os.getpid())]
    jobs.close()
    print(
        json.dumps(
            {
                "jobs": arguments.jobs,
                "submit_to_body_ms_p50": round(float(np.percentile(to_start, 50)) * 1000, 1),
                "submit_to_body_ms_max": round(max(to_start) * 1000, 1),
                "submit_to_result_ms_p50": round(float(np.percentile(to_result, 50)) * 1000, 1),
                "submit_to_result_ms_max": round(max(to_result) * 1000, 1),
                "server_rss_mb": round(rss_mb(os.getpid()), 1),
                "idle_workers": len(idle),
                "idle_worker_rss_mb": [round(mb, 1) for mb in idle if mb],  # 0: a worker gone meanwhile
            }
        )
    )


if __name__ == "__main__":
    main()
