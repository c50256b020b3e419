"""A classroom on one server: N students open the handwriting page at once while no network is
trained yet, then each draws a "1". Prints one JSON object: how many trainings ran, click-to-
prediction times (measured in each browser, mouse-up to the Prediction shown), and peak memory.

With --pretrained the default network is first trained by `python -m core.pretrain`, as on a
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

# In each page: remember when the mouse was released and when a Prediction first appeared.
TIMING_PROBE = """() => {
  window.__timing = {};
  document.addEventListener('mouseup', () => { window.__timing.up = performance.now(); }, true);
  new MutationObserver(() => {
    if (window.__timing.up && !window.__timing.seen && [...document.querySelectorAll('[data-testid=stMetric]')]
        .some(m => m.innerText.startsWith('Prediction'))) { window.__timing.seen = performance.now(); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
ONE = [[(140, 40), (140, 240)]]
CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"


def rss_mb(pid, field="VmRSS"):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def process_tree(pid):
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(child) for child in children.read_text().split()] if children.exists() else []
    return [pid] + [grandchild for kid in kids for grandchild in process_tree(kid)]


class MemoryWatch(threading.Thread):
    """Sample the resident memory of a process and its children until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_tree, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            self.peak_tree = max(self.peak_tree, sum(rss_mb(pid) for pid in process_tree(self.pid)))
            time.sleep(0.5)


def draw(page, strokes):
    """Draw strokes (lists of canvas points, 280 × 280) on the page's canvas with the mouse."""
    canvas = page.locator(CANVAS)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for points in strokes:
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            for step in range(1, 11):
                page.mouse.move(box["x"] + x0 + (x1 - x0) * step / 10, box["y"] + y0 + (y1 - y0) * step / 10)
        page.mouse.up()


def classroom(browser, url, sessions, ready_timeout_ms=900_000, all_predicted=lambda: None):
    """Open `sessions` pages on the handwriting page at once, wait for all to be ready, draw a "1"
    on each, and return per-session results: prediction shown and click-to-prediction ms."""
    contexts = [browser.new_context(viewport={"width": 1200, "height": 900}) for _ in range(sessions)]
    pages = [context.new_page() for context in contexts]
    started = time.perf_counter()
    for page in pages:
        # Thirty Chromium tabs starting at once can starve a 2-core machine for a while: the
        # first response may be slow to arrive, so wait as long as for the page to be ready.
        page.goto(f"{url}/mnist", wait_until="commit", timeout=ready_timeout_ms)
    for page in pages:
        page.wait_for_selector(CANVAS, timeout=ready_timeout_ms)
    ready_seconds = time.perf_counter() - started
    for page in pages:
        page.evaluate(TIMING_PROBE)
    for page in pages:
        draw(page, ONE)
    results = []
    for page in pages:
        page.wait_for_selector("[data-testid=stMetric]:has-text('Prediction')", timeout=120_000)
        page.wait_for_function("() => window.__timing.seen", timeout=30_000)
        timing = page.evaluate("() => window.__timing")
        value = page.locator("[data-testid=stMetric]", has_text="Prediction").locator(
            "[data-testid=stMetricValue]").inner_text().strip()
        results.append({"prediction": value, "click_to_prediction_ms": timing["seen"] - timing["up"],
                        "exceptions": page.locator("[data-testid=stException]").count()})
    all_predicted()  # every session still connected
    for context in contexts:
        context.close()
    return ready_seconds, results


def main(sessions, pretrained):
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import LAUNCH_ARGS, find_browser, running_app

    scratch = Path(tempfile.mkdtemp(prefix="classroom-"))
    (scratch / "tmp").mkdir()
    if pretrained:
        subprocess.run([sys.executable, "-m", "core.pretrain"], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env={**os.environ, "NN_EXPLORER_CACHE": str(scratch / "models")})
    with running_app(NN_EXPLORER_CACHE=scratch / "models", TMPDIR=scratch / "tmp") as (url, server):
        watch = MemoryWatch(server.pid)
        watch.start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_browser(playwright), headless=True,
                                                 args=LAUNCH_ARGS)
            connected = []
            ready_seconds, results = classroom(browser, url, sessions,
                                               all_predicted=lambda: connected.append(rss_mb(server.pid)))
            browser.close()
        watch.running = False
        server_peak = rss_mb(server.pid, "VmHWM")
    times = sorted(result["click_to_prediction_ms"] for result in results)
    print(json.dumps({
        "sessions": sessions, "pretrained": pretrained, "data": os.environ.get("MNIST_NPZ", "default sources"),
        "trainings_started": len(list((scratch / "tmp").glob("nn-explorer-train-*"))),
        "all_ready_seconds": round(ready_seconds, 1),
        "predictions": sorted({result["prediction"] for result in results}),
        "click_to_prediction_ms_p50": round(statistics.median(times), 1),
        "click_to_prediction_ms_p95": round(times[min(len(times) - 1, int(0.95 * len(times)))], 1),
        "server_peak_rss_mb": round(server_peak), "server_rss_with_all_connected_mb": round(connected[0]), "server_and_trainer_peak_rss_mb": round(watch.peak_tree),
    }))


if __name__ == "__main__":
    numbers = [argument for argument in sys.argv[1:] if argument.isdigit()]
    main(int(numbers[0]) if numbers else 30, "--pretrained" in sys.argv[1:])
