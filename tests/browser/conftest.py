"""A real Streamlit server and a real Chromium, for what AppTest cannot do (drawing, navigation,
uploads, how a page looks). Screenshots go to test-artifacts/."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def find_browser(playwright):
    """Return a Chromium executable: $CHROMIUM, Debian's /usr/bin/chromium, or Playwright's own."""
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    try:
        candidates.append(playwright.chromium.executable_path)
    except Exception:  # Playwright without a downloaded browser
        pass
    return next((path for path in candidates if path and os.path.exists(path)), None)


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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_app(**environment):
    """Run `streamlit run app.py` on a free loopback port with extra environment variables
    (None removes one); yield (url, process) once /_stcore/health answers, stop it afterwards."""
    port = free_port()
    env = dict(os.environ)
    for key, value in environment.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"server-{port}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    try:
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    pytest.fail(f"the app did not start; see test-artifacts/server-{port}.log")
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def server():
    """The app with an empty model folder of its own; yields its URL."""
    cache = tempfile.mkdtemp(prefix="browser-models-")
    with running_app(NN_EXPLORER_CACHE=cache) as (url, _):
        yield url
    shutil.rmtree(cache, ignore_errors=True)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


def settle(page, timeout=60_000):
    """Wait until the script has finished running and the page has painted."""
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)
    page.wait_for_timeout(500)


@pytest.fixture
def page_factory(browser):
    """Return a function that opens a fresh page in its own browser context."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        return context.new_page()
    yield open_page
    for context in contexts:
        context.close()
