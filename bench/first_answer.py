"""How soon a fresh clone, with no network and an empty model folder, answers on the handwriting
page: from `streamlit run` to the prediction for a random test digit (the server imports no TensorFlow:
it serves the shipped network with ONNX Runtime).

    python -m bench.first_answer

Clones the committed project into a temporary folder, starts it with an empty model folder and
no way to reach the internet (so MNIST comes from the offline sample), opens /mnist in Chromium,
picks "Random test digit" and waits for the prediction. Prints one JSON object, including how many
trainings started (0 when the shipped network is used).
"""
import json
import subprocess
import tempfile
import time

from harness.browser import CANVAS, PREDICTION, ROOT, TrainerCount, choose, launch, running_app, shown_prediction

OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9",
           "MNIST_NPZ": None, "NN_EXPLORER_SHIPPED": None}


def main():
    from playwright.sync_api import sync_playwright

    clone = tempfile.mkdtemp(prefix="fresh-clone-")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), clone], check=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)  # a visitor's browser is already open
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.perf_counter()
        with running_app(root=clone, NN_EXPLORER_CACHE=tempfile.mkdtemp(prefix="empty-models-"), **OFFLINE) as (url, process):
            healthy = time.perf_counter() - started
            trainers = TrainerCount(process.pid)
            trainers.start()
            page.goto(f"{url}/mnist")
            page.wait_for_selector(CANVAS, timeout=600_000)
            canvas = time.perf_counter() - started
            choose(page, "Digit to read", "Random test digit")
            page.wait_for_selector(PREDICTION, timeout=600_000)
            answered = time.perf_counter() - started
            trainers.running = False
            text = page.locator("[data-testid=stMain]").inner_text()
            print(json.dumps({
                "seconds_to_server_up": round(healthy, 1), "seconds_to_drawing_pad": round(canvas, 1),
                "seconds_to_first_prediction": round(answered, 1), "prediction": shown_prediction(page),
                "trainings_started": len(trainers.seen), "shipped_network_used": "comes trained with the app" in text,
                "says_no_unseen_test_digits": "no unseen test digits are available" in text}))
        browser.close()


if __name__ == "__main__":
    main()
