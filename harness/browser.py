"""A real Chromium, driven by Playwright, on the app a test starts (harness/server.py): launch the
browser, wait for a page to settle, draw strokes on the canvas, open a whole class at once.

Used by tests/browser/ and bench/; it imports neither.
"""

import os
import shutil
import time
from urllib.parse import parse_qs

from core import i18n

IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SKELETON = "[data-testid=stMain] [data-testid=stSkeleton]"
CANVAS = "[data-testid=stBidiComponentIsolated] canvas.upper-canvas"
PREDICTION = "[data-testid=stMetric]:has-text('Prediction')"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Every browser context a test opens asks for reduced motion: Streamlit's skeletons and its running
# indicator then stand still. Their animation cost Chromium's compositor about a sixth of the CPU
# a page takes to open on 2 cores, and nothing a test checks moves.
STILL = {"reduced_motion": "reduce"}
STROKES = {  # digits drawn with the mouse, in canvas coordinates (280 × 280)
    "1": [[(140, 40), (140, 240)]],
    "0": [[(140, 40), (90, 70), (75, 140), (90, 210), (140, 240), (190, 210), (205, 140), (190, 70), (140, 40)]],
    "7": [[(70, 50), (210, 50)], [(210, 50), (120, 240)]],
}
# In each page: remember when the mouse was released and when a Prediction first appeared.
TIMING_PROBE = """() => {
  window.__timing = {};
  document.addEventListener('mouseup', () => { window.__timing.up = performance.now(); }, true);
  new MutationObserver(() => {
    if (window.__timing.up && !window.__timing.seen && [...document.querySelectorAll('[data-testid=stMetric]')]
        .some(m => m.innerText.startsWith('Prediction'))) { window.__timing.seen = performance.now(); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


# In a page: how far the page scrolls sideways; every chart, table, picture or button that reaches
# past the right edge of the main column or of the block that holds it, with by how much; and every
# button or lesson link whose words are cut short.
OVERFLOW_PROBE = """() => {
  const main = document.querySelector('[data-testid=stMain] .block-container').getBoundingClientRect();
  const spilled = [];
  const selector = '[data-testid=stVegaLiteChart], [data-testid=stDataFrame], [data-testid=stTable], '
                 + '[data-testid=stImage], [data-testid=stButton] button';
  for (const element of document.querySelectorAll(selector)) {
    if (!element.checkVisibility({contentVisibilityAuto: true})) continue;  // e.g. inside a closed expander
    const holder = element.parentElement.getBoundingClientRect();
    for (const part of [element, ...element.querySelectorAll('canvas, svg')]) {
      const right = part.getBoundingClientRect().right, limit = Math.min(main.right, holder.right);
      if (right > limit + 1) { spilled.push([element.dataset.testid, Math.round(right - limit), element.innerText.trim().slice(0, 40)]); break; }
    }
  }
  const clipped = [...document.querySelectorAll('button, [data-testid=stSidebarNavLink]')]
    .filter(control => [control, ...control.querySelectorAll('p, span, div')].some(text => text.scrollWidth > text.clientWidth + 1))
    .map(control => control.innerText.trim().slice(0, 40));
  return {sideways: document.documentElement.scrollWidth - window.innerWidth, spilled, clipped};
}"""


def find_browser(playwright):
    """Return a Chromium executable: $CHROMIUM, Debian's /usr/bin/chromium, or Playwright's own."""
    candidates = [os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")]
    try:
        candidates.append(playwright.chromium.executable_path)
    except Exception:  # Playwright without a downloaded browser
        pass
    return next((path for path in candidates if path and os.path.exists(path)), None)


def launch(playwright):
    """Return a headless Chromium started with the flags this closed network needs."""
    return playwright.chromium.launch(executable_path=find_browser(playwright), headless=True, args=LAUNCH_ARGS)


# In a page: count the script runs it has seen finish (the app's `data-test-script-state` leaving
# "running"), from the last time the user did something (only runs that end after an action can
# show its result), and note when anything in the page last changed.
RUN_WATCH = """() => {
  if (window.__runs !== undefined) return;
  window.__runs = 0; window.__settledRuns = 0; window.__changed = performance.now();
  for (const kind of ['click', 'mouseup', 'touchend', 'keyup', 'input', 'change']) {
    document.addEventListener(kind, () => { window.__settledRuns = window.__runs; }, true);
  }
  new MutationObserver(records => {
    window.__changed = performance.now();
    for (const record of records) {
      if (record.attributeName === 'data-test-script-state' && record.oldValue === 'running'
          && record.target.getAttribute('data-test-script-state') !== 'running') {
        window.__runs += 1; window.__runEnded = performance.now();
      }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true, attributeOldValue: true});
}"""
# A run has finished since the last action, and the page has stopped changing for 150 ms (what the
# run drew has mounted and laid itself out: a new drawing pad, a picture), or 2 s have passed since
# (a page that keeps changing, such as a playing animation); or, after an action that reran
# nothing, the script is idle and nothing has changed for a second.
SETTLED = (
    """quiet => {
  const now = performance.now(), still = now - window.__changed;
  if (window.__runs > window.__settledRuns) return still > 150 || now - window.__runEnded > 2000;
  return document.querySelector("%s") !== null && still > quiet;
}"""
    % IDLE
)


def settle(page, timeout=60_000):
    """Wait until the script run an action (or a page's opening) started has finished and the page
    shows its result. A run is counted as the page sees it end (RUN_WATCH), so a click whose rerun
    is slow to start on a busy server is waited for, not mistaken for a finished page. Streamlit
    loads some widgets' code only when a page first needs it (a slider, a table) and shows a grey
    skeleton until then, so wait for the skeletons to be replaced as well."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout  # only browser tests have it

    if not getattr(page, "_watched", False):  # this page's future documents, and the one it shows
        page.add_init_script(f"({RUN_WATCH})()")
        page._watched = True
    page.evaluate(RUN_WATCH)
    page.wait_for_function(SETTLED, arg=1000, timeout=timeout, polling=50)
    page.wait_for_selector(IDLE, state="attached", timeout=timeout)
    page.evaluate("() => { window.__settledRuns = window.__runs; }")
    try:
        page.wait_for_selector(SKELETON, state="detached", timeout=15_000)
    except PlaywrightTimeout:
        pass  # a page may show one on purpose; the test's own checks then say what is missing


def language_in(query):
    """The language a page opened with this query (its `lang`, else English) speaks."""
    return i18n.language_of(parse_qs(query.lstrip("?")).get("lang", [""])[0]) or i18n.ENGLISH


def said(label, query=""):
    """An English label as a page opened with this query (its `lang`) shows it."""
    return i18n.catalog(language_in(query)).gettext(label)


def open_lesson(page, server, lesson, query=""):
    """Open a lesson's working view: go to it, press its opening buttons (the class lab makes a
    room), and wait until it is ready (a TensorFlow page: its drawing pad, once the network is
    trained)."""
    page.goto(f"{server}/{lesson.url_path}{query}")
    for label in lesson.opening:  # English, as declared: pressed as the page's language names it
        page.get_by_role("button", name=said(label, query), exact=True).click(timeout=600_000)
        settle(page)
    page.wait_for_selector(CANVAS if lesson.needs_tensorflow else "h1", timeout=600_000)
    settle(page)


def draw(page, strokes, steps=10):
    """Draw strokes (lists of canvas points, 280 × 280) on the page's canvas with the mouse, moving
    in `steps` small moves from each point to the next (1 for a pen's own dense trajectory)."""
    canvas = page.locator(CANVAS)
    # after a new pad (Clear, a drawing added), a loaded machine may briefly show the old one beside it
    within(30, lambda: canvas.count() == 1, page)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    for points in strokes:
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            for step in range(1, steps + 1):
                page.mouse.move(box["x"] + x0 + (x1 - x0) * step / steps, box["y"] + y0 + (y1 - y0) * step / steps)
        page.mouse.up()


def draw_by_touch(page, strokes):
    """Draw strokes on the page's canvas with a finger: touch events through Chrome's DevTools
    protocol, as a phone sends them."""
    canvas = page.locator(CANVAS)
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    session = page.context.new_cdp_session(page)

    def touch(kind, x=None, y=None):
        points = [] if kind == "touchEnd" else [{"x": box["x"] + x, "y": box["y"] + y}]
        session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    for points in strokes:
        touch("touchStart", *points[0])
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            for step in range(1, 11):
                touch("touchMove", x0 + (x1 - x0) * step / 10, y0 + (y1 - y0) * step / 10)
        touch("touchEnd")
    session.detach()


def choose(page, label, option):
    """Pick an option of a select box: focus it, open its list with the keyboard, click."""
    page.get_by_role("combobox", name=label).click()
    page.keyboard.press("ArrowDown")
    page.get_by_role("option", name=option, exact=True).click()


def prediction(query=""):
    """The selector of a page's Prediction metric, as a page opened with this query names it."""
    return PREDICTION.replace("Prediction", said("Prediction", query))


def shown_prediction(page, query=""):
    """Return the digit the page's Prediction metric shows."""
    return (
        page.locator("[data-testid=stMetric]", has_text=said("Prediction", query))
        .locator("[data-testid=stMetricValue]")
        .inner_text()
        .strip()
    )


def classroom(browser, url, sessions, ready_timeout_ms=900_000, all_predicted=lambda: None):
    """Open `sessions` pages on the handwriting page at once, wait for all to be ready, draw a "1"
    on each, and return (seconds until all were ready, per-session results: prediction shown and
    click-to-prediction ms). `all_predicted` is called while every session is still connected."""
    contexts = [browser.new_context(**STILL, viewport={"width": 1200, "height": 900}) for _ in range(sessions)]
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
        draw(page, STROKES["1"])
    results = []
    for page in pages:
        page.wait_for_selector(PREDICTION, timeout=120_000)
        page.wait_for_function("() => window.__timing.seen", timeout=30_000)
        timing = page.evaluate("() => window.__timing")
        results.append(
            {
                "prediction": shown_prediction(page),
                "click_to_prediction_ms": timing["seen"] - timing["up"],
                "exceptions": page.locator("[data-testid=stException]").count(),
            }
        )
    all_predicted()
    for context in contexts:
        context.close()
    return ready_seconds, results


def within(seconds, check, page=None):
    """Wait until check() is true, up to `seconds`; return how long it took (None: never). With a
    `page`, wait on it, so that its own events go on meanwhile."""
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        if check():
            return time.monotonic() - began
        if page is not None:
            page.wait_for_timeout(250)
        else:
            time.sleep(0.25)
    return None
