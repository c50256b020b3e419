"""The app under bad conditions, in a real browser: no network, huge and blank uploads. Each runs
its own server. (A damaged model file and a read-only model folder are tests/test_mnist_page.py's,
through the page itself: what the learner sees is the same there, and a drawing is read as any other.)"""

import io

from PIL import Image

from core.digits import shipped
from harness.browser import CANVAS, PREDICTION, choose, settle
from harness.server import rss_mb, running_app


def wait_for_canvas(page, url):
    page.goto(f"{url}/mnist")
    page.wait_for_selector(CANVAS, timeout=300_000)
    settle(page)


def test_offline_without_a_file_falls_back_to_the_bundled_sample(page_factory, tmp_path):
    # A dead proxy makes every download fail at once, as on a machine without a network.
    with running_app(
        MNIST_NPZ=None,
        KERAS_HOME=tmp_path / "keras",
        HTTPS_PROXY="http://127.0.0.1:9",
        https_proxy="http://127.0.0.1:9",
        NN_EXPLORER_CACHE=tmp_path / "models",
    ) as (url, _):
        page = page_factory()
        page.goto(f"{url}/mnist")
        page.wait_for_selector("text=offline sample of 5,000 real MNIST digits", timeout=120_000)
        assert page.get_by_text("4,000 training digits and 1,000 test digits").count() == 1
        assert page.get_by_text("MNIST download failed").count() == 1  # the warning says why
        assert page.locator("[data-testid=stException]").count() == 0


def picture(size, kind, ink=True):
    """A white picture of `size` px a side, with a thick dark "1" unless ink is False, as bytes."""
    image = Image.new("L", (size, size), 255)
    if ink:
        image.paste(20, (size * 45 // 100, size // 4, size * 55 // 100, size * 3 // 4))
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


def upload(page, name, data):
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "image/png" if name.endswith("png") else "image/jpeg", "buffer": data}]
    )


def test_huge_and_blank_uploads_cost_little_memory_and_say_what_is_wrong(page_factory, tmp_path, tiny_mnist):
    with running_app(
        MNIST_NPZ=tiny_mnist, NN_EXPLORER_CACHE=tmp_path / "models", NN_EXPLORER_SHIPPED=shipped.DIRECTORY
    ) as (url, process):  # the shipped network: nothing to train first
        page = page_factory()
        wait_for_canvas(page, url)
        choose(page, "Digit to read", "Upload a photo")
        settle(page)
        before = rss_mb(process.pid)
        upload(page, "huge.png", picture(6300, "PNG"))  # 39.7 megapixels in a file of about 60 kB
        page.wait_for_selector("text=more than a digit needs", timeout=60_000)
        upload(page, "huge.jpg", picture(6300, "JPEG"))
        page.wait_for_selector(PREDICTION, timeout=60_000)
        settle(page)
        grown = rss_mb(process.pid) - before
        upload(page, "blank.png", picture(600, "PNG", ink=False))
        page.wait_for_selector("text=No handwriting was found in this picture", timeout=60_000)
        assert page.locator("[data-testid=stException]").count() == 0
        assert process.poll() is None
    assert grown < 150, f"the server grew by {grown:.0f} MB"  # read in full, the PNG alone took over 1 GB
