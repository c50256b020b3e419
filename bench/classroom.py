"""A classroom on one server: N students open the handwriting page at once while no network is
trained yet, then each draws a "1". Prints one JSON object: how many trainings ran, click-to-
prediction times (measured in each browser, mouse-up to the Prediction shown), and peak memory.

With --pretrained the default network is first trained by `python -m core.digits.pretrain`, as on a
hosted demo: then nothing trains while the class is connected, and the server's peak memory is
the hosting budget (the target is at most 1 GB with 30 sessions).

Usage: MNIST_NPZ=/path/to/mnist.npz python -m bench.classroom [sessions] [--pretrained]
Needs Playwright and Debian's chromium (or CHROMIUM=/path/to/chromium).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness.browser import classroom, launch
from harness.server import TrainerCount, process_tree, rss_mb, running_app


class MemoryWatch(threading.Thread):
    """Sample the resident memory of a process and its children until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_tree, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak_tree = max(self.peak_tree, sum(rss_mb(pid) for pid in process_tree(self.pid)))
            time.sleep(0.5)


def main(sessions, pretrained):
    from playwright.sync_api import sync_playwright

    scratch = Path(tempfile.mkdtemp(prefix="classroom-"))
    (scratch / "tmp").mkdir()
    if pretrained:
        subprocess.run(
            [sys.executable, "-m", "core.digits.pretrain"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "NN_EXPLORER_CACHE": str(scratch / "models")},
        )
    with running_app(NN_EXPLORER_CACHE=scratch / "models", TMPDIR=scratch / "tmp") as (url, server):
        watch, trainers = MemoryWatch(server.pid), TrainerCount(server.pid)
        watch.start()
        trainers.start()
        with sync_playwright() as playwright:
            browser = launch(playwright)
            connected = []
            ready_seconds, results = classroom(
                browser, url, sessions, all_predicted=lambda: connected.append(rss_mb(server.pid))
            )
            browser.close()
        watch.running = trainers.running = False
        server_peak = rss_mb(server.pid, "VmHWM")
    times = sorted(result["click_to_prediction_ms"] for result in results)
    print(
        json.dumps(
            {
                "sessions": sessions,
                "pretrained": pretrained,
                "data": os.environ.get("MNIST_NPZ", "default sources"),
                "trainings_started": len(trainers.seen),
                "all_ready_seconds": round(ready_seconds, 1),
                "predictions": sorted({result["prediction"] for result in results}),
                "click_to_prediction_ms_p50": round(statistics.median(times), 1),
                "click_to_prediction_ms_p95": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
                "server_peak_rss_mb": round(server_peak),
                "server_rss_with_all_connected_mb": round(connected[0]),
                "server_and_trainer_peak_rss_mb": round(watch.peak_tree),
            }
        )
    )


if __name__ == "__main__":
    numbers = [argument for argument in sys.argv[1:] if argument.isdigit()]
    main(int(numbers[0]) if numbers else 30, "--pretrained" in sys.argv[1:])
