"""The network that ships with the app, in a real browser: real pen-written digits replayed as
mouse strokes on the real canvas are read as bench/pen.py reads them in-process, and a fresh server
with no network and an empty model folder answers without training anything."""

import tempfile
import urllib.request

import numpy as np
import pytest
from PIL import Image

from core.digits import model as mnist_model
from core.digits import pendigits, preprocess, shipped
from harness.browser import CANVAS, PREDICTION, STILL, choose, draw, settle, shown_prediction
from harness.server import TrainerCount, running_app

OFFLINE = {"HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "MNIST_NPZ": None}
SEEN_IMAGE = "[data-testid=stImage]:has-text('What the network sees') img"


@pytest.fixture(scope="module")
def shipped_server():
    """The app offline, with the shipped network and an empty model folder of its own."""
    if shipped.problem(shipped.DIRECTORY):
        pytest.fail(f"the shipped network is not usable: {shipped.problem(shipped.DIRECTORY)}")
    with running_app(
        NN_EXPLORER_CACHE=tempfile.mkdtemp(prefix="shipped-models-"), NN_EXPLORER_SHIPPED=shipped.DIRECTORY, **OFFLINE
    ) as (url, process):
        trainers = TrainerCount(process.pid)
        trainers.start()
        yield url, trainers
        trainers.running = False


def unseen_digits():
    """One pen-written digit of each of five often-confused kinds, by writers the network never saw."""
    digits = [digit for digit in pendigits.read() if digit.writer not in shipped.PEN_WRITERS]
    return [next(digit for digit in digits if digit.label == label) for label in (1, 4, 7, 9, 3)]


def seen_by_network(page, server):
    """The 28 × 28 image the page says its network read, in [0, 1]."""
    source = page.locator(SEEN_IMAGE).first.get_attribute("src")
    with urllib.request.urlopen(server + source if source.startswith("/") else source) as response:
        picture = Image.open(response).convert("L")
    return np.asarray(picture.resize((28, 28), Image.Resampling.BOX), dtype=np.float32) / 255


def moved(image, down, right):
    """The image moved `down` rows and `right` columns, black coming in."""
    padded = np.pad(image, 1)
    return padded[1 - down : 1 - down + image.shape[0], 1 - right : 1 - right + image.shape[1]]


@pytest.mark.skipif(not pendigits.path().exists(), reason=f"no pendigits file at {pendigits.path()}")
def test_pen_digits_drawn_in_the_browser_are_read_as_the_benchmark_reads_them(browser, shipped_server):
    server, _ = shipped_server
    model = shipped.load_keras(shipped.DIRECTORY)[0]
    page = browser.new_page(**STILL, viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/mnist")
    page.wait_for_selector(CANVAS, timeout=120_000)
    settle(page)
    for number, digit in enumerate(unseen_digits()):
        strokes = pendigits.on_canvas(digit)
        draw(page, strokes, steps=1)
        page.wait_for_selector(PREDICTION, timeout=30_000)
        settle(page)
        in_process = preprocess.to_mnist(pendigits.render(strokes))
        expected = int(np.argmax(mnist_model.classify(model, in_process[None])[0]))
        assert shown_prediction(page) == str(expected), f"digit {number} ({digit.label})"
        # the browser's strokes differ from Pillow's by a little anti-aliasing, which can tip the rounding
        # of the centre of mass to the next pixel, down or across or both: compare at each such move
        difference = min(
            np.abs(moved(seen_by_network(page, server), down, right) - in_process).mean()
            for down in (-1, 0, 1)
            for right in (-1, 0, 1)
        )
        assert difference < 0.03, f"digit {number} ({digit.label}): {difference:.3f}"
        page.get_by_role("button", name="Clear").click()
        settle(page)
    page.close()


def test_a_fresh_offline_server_reads_a_test_digit_without_training(browser, shipped_server):
    server, trainers = shipped_server
    page = browser.new_page(**STILL, viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/mnist")
    page.wait_for_selector(CANVAS, timeout=120_000)
    settle(page)
    choose(page, "Digit to read", "Random test digit")
    page.wait_for_selector(PREDICTION, timeout=60_000)
    settle(page)
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "no unseen test digits are available" in text  # the offline sample is MNIST training digits
    assert "comes trained with the app" in text
    assert not trainers.seen
    page.close()
