"""A real Streamlit server and a real Chromium, for what AppTest cannot do (drawing, navigation,
uploads, how a page looks). The helpers live in harness/browser.py and harness/server.py, shared with the benchmarks;
screenshots go to test-artifacts/."""

import os
import shutil
import tempfile

import pytest

from core.digits import shipped
from harness.browser import LAUNCH_ARGS, STILL, find_browser
from harness.server import running_app


def pytest_collection_modifyitems(items):
    """Every browser test is slow (pytest.ini: `pytest -m "not slow"` leaves them out)."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser tests need Playwright: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        executable = find_browser(playwright)
        if executable is None:
            message = "no Chromium found: apt-get install -y chromium, or set CHROMIUM=/path/to/chromium"
            if os.environ.get("CI"):
                pytest.fail(message)  # CI installs it, so a missing browser is a real failure there
            pytest.skip(message)
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def server():
    """The app with an empty model folder of its own and the network that ships with it, as a hosted
    link has (so no test here waits for a training; tests/browser/test_classroom.py and
    test_faults.py train their own); yields its URL."""
    cache = tempfile.mkdtemp(prefix="browser-models-")
    with running_app(NN_EXPLORER_CACHE=cache, NN_EXPLORER_SHIPPED=shipped.DIRECTORY) as (url, _):
        yield url
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(**STILL, viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def page_factory(browser):
    """Return a function that opens a fresh page in its own browser context."""
    contexts = []

    def open_page():
        context = browser.new_context(**STILL, viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
