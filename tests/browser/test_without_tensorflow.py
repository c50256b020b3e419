"""The web server answers without TensorFlow: after the whole handwriting page (a network trained
for the occasion, a drawing, an upload, every look-inside view) and the class lab (a drawing added),
the server process has mapped no TensorFlow library, while it has mapped ONNX Runtime's. The
trainings ran in processes of their own, which do load TensorFlow."""

import re
from pathlib import Path

from core.digits import config as mnist_config
from core.digits import shipped
from harness.browser import CANVAS, PREDICTION, STROKES, choose, draw, settle
from harness.server import running_app
from tests.browser.test_faults import picture, upload

VIEWS = {
    "Activations": "layer",
    "What the first layer looks for": "neuron",
    "Which pixels mattered": "made it read",
    "Nearest training digits": "distance",
}


def mapped_libraries(pid):
    """The shared libraries and files a process has mapped into its memory."""
    return {line.split()[-1] for line in Path(f"/proc/{pid}/maps").read_text().splitlines() if "/" in line}


def every_view(page):
    tabs = page.locator("[data-testid=stTabs]")
    for name, expected in VIEWS.items():
        page.get_by_role("tab", name=name).click()  # only the open tab's view is drawn: a click reruns
        tabs.get_by_text(expected).first.wait_for(timeout=30_000)


def test_the_server_serves_every_view_and_the_class_lab_without_loading_tensorflow(page_factory, tiny_mnist, tmp_path):
    small = {"preset": mnist_config.PRESET_NAMES["dense"], "hidden_dense": "16", "epochs_dense": "1"}
    link = "&".join(f"{name}={value}" for name, value in small.items()).replace(" ", "%20")
    with running_app(
        MNIST_NPZ=tiny_mnist,
        NN_EXPLORER_CACHE=tmp_path / "models",
        NN_EXPLORER_SHIPPED=shipped.DIRECTORY,
        NN_EXPLORER_DB=None,
    ) as (url, process):
        page = page_factory()
        page.goto(f"{url}/mnist?{link}")  # a network of the learner's own, trained now in a trainer process
        page.wait_for_selector(CANVAS, timeout=300_000)
        settle(page)
        draw(page, STROKES["7"])
        page.wait_for_selector(PREDICTION, timeout=30_000)
        settle(page)
        every_view(page)
        choose(page, "Digit to read", "Upload a photo")
        settle(page)
        upload(page, "one.png", picture(200, "PNG"))
        page.wait_for_selector(PREDICTION, timeout=30_000)
        settle(page)
        every_view(page)
        page.goto(f"{url}/class_lab")  # the shipped network, read by ONNX Runtime
        settle(page, timeout=120_000)
        page.get_by_role("button", name="Make a room for my class").click()
        settle(page)
        assert re.search(r"room=[A-Z0-9]{8}", page.url)
        page.wait_for_selector("canvas", timeout=60_000)
        settle(page)
        draw(page, STROKES["1"])
        page.wait_for_selector(PREDICTION, timeout=30_000)
        settle(page)
        page.get_by_role("radiogroup", name="Which digit did you mean?").get_by_role(
            "radio", name="1", exact=True
        ).click()
        settle(page)
        page.get_by_role("button", name="Add to our set").click()
        settle(page)
        assert page.get_by_text("Added your 1").count() == 1
        assert page.locator("[data-testid=stException]").count() == 0
        libraries = mapped_libraries(process.pid)
        assert list((tmp_path / "models").glob("dense-*.keras"))  # trained, in a process of its own
        assert any("onnxruntime" in library for library in libraries)  # the check can see a library
        assert not [library for library in libraries if "tensorflow" in library.lower()]
