"""How soon a fresh clone, with no network and an empty model folder, answers on the handwriting
page: from `streamlit run` to the prediction for a random test digit (the server imports no TensorFlow:
it serves the shipped network with ONNX Runtime).

    python -m bench.first_answer [--floor] [--rounds N]

Clones the committed project into a temporary folder, starts it with an empty model folder and
no way to reach the internet (so MNIST comes from the offline sample), opens
/mnist?input=Random+test+digit in Chromium and waits for the prediction; then reads the server's
memory 2 s later. With --floor it also starts the floor app (bench/floor_app.py: the least a
Streamlit server must do to read a digit with the shipped network), and the same floor drawing one
Altair chart (Streamlit turns a chart's data into Arrow through pandas and pyarrow, so any page
with a chart pays for them), in turns with the app, each round in a fresh clone, and prints the
medians and the ratios app / floor. Prints one JSON object.
"""

import argparse
import json
import statistics
import subprocess
import tempfile
import time

from harness.browser import PREDICTION, launch, shown_prediction
from harness.server import ROOT, TrainerCount, rss_mb, running_app

OFFLINE = {
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "MNIST_NPZ": None,
    "NN_EXPLORER_SHIPPED": None,
}
APPS = {
    "app": ("app.py", "/mnist?input=Random+test+digit"),
    "floor": ("bench/floor_app.py", "/"),
    "floor_with_a_chart": ("bench/floor_app.py", "/?chart"),
}
SETTLE_SECONDS = 2  # memory is read this long after the prediction shows


def first_answer(browser, which):
    """Start `which` (a key of APPS) in a fresh clone; return its figures."""
    script, path = APPS[which]
    clone = tempfile.mkdtemp(prefix="fresh-clone-")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), clone], check=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    started = time.perf_counter()
    with running_app(
        root=clone, script=script, NN_EXPLORER_CACHE=tempfile.mkdtemp(prefix="empty-models-"), **OFFLINE
    ) as (url, process):
        healthy = time.perf_counter() - started
        trainers = TrainerCount(process.pid)
        trainers.start()
        page.goto(url + path)
        page.wait_for_selector(PREDICTION, timeout=600_000)
        answered = time.perf_counter() - started
        page.wait_for_timeout(SETTLE_SECONDS * 1000)
        trainers.running = False
        text = page.locator("[data-testid=stMain]").inner_text()
        figures = {
            "seconds_to_server_up": round(healthy, 2),
            "seconds_to_prediction": round(answered, 2),
            "rss_mb_after": round(rss_mb(process.pid), 1),
            "prediction": shown_prediction(page),
        }
        if which == "app":
            figures.update(
                trainings_started=len(trainers.seen), shipped_network_used="comes trained with the app" in text
            )
    page.close()
    return figures


def medians(runs, name):
    return statistics.median(run[name] for run in runs)


def main(floor, rounds):
    from playwright.sync_api import sync_playwright

    runs = {"app": [], "floor": [], "floor_with_a_chart": []} if floor else {"app": []}
    with sync_playwright() as playwright:
        browser = launch(playwright)  # a visitor's browser is already open
        for _ in range(rounds):
            for which in runs:  # in turns, so that the machine's mood falls on both alike
                runs[which].append(first_answer(browser, which))
        browser.close()
    result = {"rounds": rounds, "runs": runs}
    for which, taken in runs.items():
        result[which] = {name: medians(taken, name) for name in ("seconds_to_prediction", "rss_mb_after")}
    if floor:
        for name, floor_app in (("ratio", "floor"), ("ratio_to_the_floor_with_a_chart", "floor_with_a_chart")):
            result[name] = {
                measure: round(result["app"][measure] / result[floor_app][measure], 2)
                for measure in ("seconds_to_prediction", "rss_mb_after")
            }
        result["goals"] = {"seconds_to_prediction": 1.5, "rss_mb_after": 1.3}
    print(json.dumps(result))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", action="store_true", help="also time the floor app, in turns, and print ratios")
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.floor, arguments.rounds)
