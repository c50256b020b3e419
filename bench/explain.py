"""How fast "Look inside the network" follows a drawing, for the default network with its
neighbour index saved. Prints one JSON object:

- core_ms: the computation behind every view (preprocessing steps, activations, saliency, the
  nearest training digits) plus building every picture the views show, per drawing;
- browser: in Chromium, after releasing the mouse at the end of a stroke: how long until the app
  starts its rerun (the drawing canvas waits 200 ms for more strokes before it sends the drawing,
  a fixed delay of the component), and from then until the prediction and the open look-inside
  view (the first, "How the digit was prepared": only the open tab's view is computed and sent)
  are redrawn and the app is idle; with --tab, then also from a click on that tab to its view.

The network is trained (and saved) first if the model folder does not hold it yet.
Usage: MNIST_NPZ=/path/to/mnist.npz python -m bench.explain [drawings] [--tab "Which pixels mattered"]
"""

import argparse
import json
import statistics
import time

from bench.drawings import canvas_like
from core.charts import digits as mnist_charts
from core.digits import config as mnist_config
from core.digits import data as mnist_data
from core.digits import explain, preprocess
from core.digits.saved import ModelStore
from core.digits.training import train_and_save

# In the page: when the mouse goes up, and when the script next finishes running after that.
FINISH_PROBE = """() => {
  window.__timing = {};
  const app = document.querySelector('[data-testid=stApp]');
  document.addEventListener('mouseup', () => { window.__timing = {up: performance.now()}; }, true);
  new MutationObserver(() => {
    const t = window.__timing, state = app.getAttribute('data-test-script-state');
    if (t.up && state === 'running' && !t.started) { t.started = true; t.start = performance.now(); }
    if (t.up && t.started && !t.done && state === 'notRunning') t.done = performance.now();
  }).observe(app, {attributes: true});
}"""


def all_views(network, index, drawing, data):
    """Everything the page computes and draws for one drawing (pictures included)."""
    steps = preprocess.mnist_steps(drawing)
    why = explain.explain_digit(network, index, steps.final)
    pictures = [
        mnist_charts.with_box(steps.ink, steps.box),
        mnist_charts.enlarge(steps.boxed, 140),
        mnist_charts.with_centre(steps.placed),
        mnist_charts.with_centre(steps.final),
        mnist_charts.enlarge(steps.final),
        mnist_charts.saliency_overlay(steps.final, why.saliency),
    ]
    pictures += [
        mnist_charts.map_grid(maps, columns=16) for _, maps in why.reading.inside.activations if maps.ndim == 3
    ]
    pictures += [mnist_charts.enlarge(data.x_train[i] / 255, 84) for i in why.neighbours]
    mnist_charts.probability_bars(why.reading.inside.probabilities).to_dict()
    return pictures


def core_ms(network, index, data, repeats=40):
    drawings = [canvas_like(data.x_test[i]) for i in range(20)]
    all_views(network, index, drawings[0], data)  # warm up, as the page does when it loads the model
    times = []
    for number in range(repeats):
        started = time.perf_counter()
        all_views(network, index, drawings[number % len(drawings)], data)
        times.append((time.perf_counter() - started) * 1000)
    return times


def browser_ms(repeats, tab=None):
    """Per drawing: [mouse up → rerun starts, rerun → prediction and the first view drawn], and
    with `tab`, [click → rerun starts, rerun → that tab's view drawn] after it."""
    from playwright.sync_api import sync_playwright

    from harness.browser import CANVAS, STROKES, draw, launch, settle
    from harness.server import running_app

    times = []
    with running_app() as (url, _), sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/mnist")
        page.wait_for_selector(CANVAS, timeout=600_000)
        settle(page)
        page.evaluate(FINISH_PROBE)
        timing = "() => [window.__timing.start - window.__timing.up, window.__timing.done - window.__timing.start]"
        for number in range(repeats + 1):
            page.get_by_role("button", name="Clear").click()
            settle(page)
            draw(page, STROKES[list(STROKES)[number % len(STROKES)]])
            page.wait_for_function("() => window.__timing.done", timeout=60_000)
            page.wait_for_selector("[data-testid=stTab]:has-text('Nearest training digits')")
            measured = [page.evaluate(timing)]
            if tab:  # a click is a mouse-up too: the probe times it the same way
                page.get_by_role("tab", name=tab).click()
                page.wait_for_function("() => window.__timing.done", timeout=60_000)
                measured.append(page.evaluate(timing))
            if number:  # the first drawing also loads the page's images once
                times.append(measured)
        browser.close()
    return times


def main():
    data = mnist_data.load()
    store = ModelStore()
    key = mnist_config.DEFAULT.key(data.data_id)
    if store.load(key) is None or store.load_arrays(key, explain.NEIGHBOURS) is None:
        train_and_save(mnist_config.DEFAULT, data, store)
    network, _ = store.load(key)  # served as the server serves it: ONNX Runtime and numpy
    index = explain.NeighbourIndex.from_arrays(store.load_arrays(key, explain.NEIGHBOURS))
    core = core_ms(network, index, data)
    parser = argparse.ArgumentParser()
    parser.add_argument("drawings", type=int, nargs="?", default=12)
    parser.add_argument("--tab", help="the look-inside tab kept open (default: the first)")
    arguments = parser.parse_args()
    browser = browser_ms(arguments.drawings, arguments.tab)
    from bench.mnist import keras_example_epoch_seconds  # imports Keras: after the server's figures

    reference = keras_example_epoch_seconds(data)
    to_start, to_done = [drawing[0][0] for drawing in browser], [drawing[0][1] for drawing in browser]
    opened = [drawing[1] for drawing in browser if len(drawing) > 1]
    print(
        json.dumps(
            {
                "network": key,
                "open_tab": arguments.tab or "How the digit was prepared",
                "data": data.source,
                "index_dimensions": int(index.projected.shape[1]),
                "index_variance_kept": round(index.variance_kept, 3),
                "core_ms_p50": round(statistics.median(core), 1),
                "core_ms_max": round(max(core), 1),
                "browser_mouse_up_to_rerun_ms_p50": round(statistics.median(to_start), 1),
                "browser_rerun_to_prediction_and_open_view_ms_p50": round(statistics.median(to_done), 1),
                "browser_rerun_to_prediction_and_open_view_ms_max": round(max(to_done), 1),
                "browser_mouse_up_to_prediction_and_open_view_ms_p50": round(
                    statistics.median(a + b for a, b in zip(to_start, to_done)), 1
                ),
                **(
                    {
                        "tab_click_to_rerun_ms_p50": round(statistics.median(a for a, _ in opened), 1),
                        "tab_rerun_to_view_ms_p50": round(statistics.median(b for _, b in opened), 1),
                    }
                    if opened
                    else {}
                ),
                "browser_drawings": len(browser),
                "target_core_ms": 100,
                "target_browser_ms": 150,
                # these machines differ by about 3×: the figures are quoted beside this run's reference epoch
                "keras_example_epoch_seconds": round(reference, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
