"""What an upload costs the server. Starts the app on the offline sample, opens the handwriting
page in 1 and then 3 browser sessions, uploads each test picture in every session at once, and
prints one JSON object: for each picture and session count, the server's resident memory before,
after, and its growth, in MB, and what the page said.

Pictures: a 6300 × 6300 PNG (39.7 megapixels, about 60 kB), the same as a JPEG, and a
4032 × 3024 JPEG (a 12-megapixel phone photo).

Usage: python -m bench.uploads     (needs Playwright and Debian's chromium)
"""

import io
import json
import tempfile
import time

from PIL import Image

from harness.browser import CANVAS, PREDICTION, launch, settle
from harness.server import rss_mb, running_app


def picture(width, height, kind):
    image = Image.new("L", (width, height), 255)
    image.paste(20, (width * 45 // 100, height // 4, width * 55 // 100, height * 3 // 4))  # a thick "1"
    buffer = io.BytesIO()
    image.save(buffer, format=kind)
    return buffer.getvalue()


PICTURES = {
    "png_6300x6300": ("huge.png", picture(6300, 6300, "PNG")),
    "jpeg_6300x6300": ("huge.jpg", picture(6300, 6300, "JPEG")),
    "jpeg_4032x3024": ("phone.jpg", picture(4032, 3024, "JPEG")),
}


def upload_everywhere(url, pages, name, data):
    """Open the upload form afresh in every page, upload at once, wait for every answer."""
    for page in pages:
        page.goto(f"{url}/mnist?input=Upload%20a%20photo")
        page.wait_for_selector("[data-testid=stFileUploader]", timeout=600_000)
        settle(page)
    for page in pages:
        page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
            files=[{"name": name, "mimeType": "image/png" if name.endswith("png") else "image/jpeg", "buffer": data}]
        )
    said = []
    for page in pages:
        answer = page.locator(PREDICTION).or_(page.locator("[data-testid=stAlertContentError]"))
        answer.first.wait_for(timeout=120_000)
        settle(page)
        said.append("prediction" if page.locator(PREDICTION).count() else answer.first.inner_text()[:80])
    return said


def main():
    from playwright.sync_api import sync_playwright

    from core.digits import data as mnist_data

    sample = mnist_data.from_sample()
    path = tempfile.mkdtemp() + "/sample.npz"
    import numpy as np

    np.savez(path, x_train=sample.x_train, y_train=sample.y_train, x_test=sample.x_test, y_test=sample.y_test)
    results = {}
    with (
        running_app(MNIST_NPZ=path, NN_EXPLORER_CACHE=tempfile.mkdtemp()) as (url, server),
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        for sessions in (1, 3):
            pages = [browser.new_context(viewport={"width": 1400, "height": 1000}).new_page() for _ in range(sessions)]
            for page in pages:
                page.goto(f"{url}/mnist")
                page.wait_for_selector(CANVAS, timeout=600_000)
            for label, (name, data) in PICTURES.items():
                time.sleep(1)
                before = rss_mb(server.pid)
                said = upload_everywhere(url, pages, name, data)
                after = rss_mb(server.pid)
                results[f"{label}_{sessions}_sessions"] = {
                    "file_kb": round(len(data) / 1024),
                    "rss_before_mb": round(before),
                    "rss_after_mb": round(after),
                    "grown_mb": round(after - before),
                    "page_said": sorted(set(said)),
                }
            for page in pages:
                page.context.close()
        results["server_peak_rss_mb"] = round(rss_mb(server.pid, "VmHWM"))
        browser.close()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
