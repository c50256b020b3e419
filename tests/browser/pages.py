"""How the browser tests look at a page: axe-core's findings, the page's main action, its code
view, its language, and how it is laid out. Shared by the passes over every page
(test_accessibility.py, test_devices.py) and the tests that read one view."""

from harness.browser import STROKES, draw, language_in, prediction, said, settle
from ui.lessons import HOME

# Only the violations come back, with their nodes (axe's passes, with every node, made each run twice as long).
RULES = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Every chart has drawn (Vega draws after the script has finished).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart]')]
  .every(chart => chart.querySelector('canvas, svg'))"""
ACTIONS = {  # the buttons each page's main action presses, in order
    "hidden_layers": ("Train 10 epochs",),
    "backprop": ("Forward", "Backward", "Update"),
    "loss": ("New data",),
}
# Code wraps inside its box; a link (one unbreakable line, a room's or a shared view's) may scroll in its own.
BLOCKS_WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll('[data-testid=stCode] pre')]
  .filter(block => !block.innerText.startsWith('http') && block.scrollWidth > block.clientWidth + 1).length"""
SIDEWAYS = """() => { const main = document.querySelector('[data-testid=stMain]');
  return Math.max(document.documentElement.scrollWidth - window.innerWidth, main.scrollWidth - main.clientWidth); }"""


def serious_findings(page):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
    violations = Axe().run(page, options=RULES).response["violations"]
    return {
        (found["id"], found["impact"]): len(found["nodes"])
        for found in violations
        if found["impact"] in ("serious", "critical")
    }


def act(page, lesson, query=""):
    """Press the page's main action, if it has one (named as the query's language says it): on a
    handwriting page, draw a digit and wait for what the network reads."""
    if lesson.needs_tensorflow:
        draw(page, STROKES["7"])
        page.wait_for_selector(prediction(query), timeout=60_000)
        settle(page)
        return
    press_its_buttons(page, lesson, query)


def press_its_buttons(page, lesson, query="", touch=False):
    """Press the buttons of a page's main action in turn (ACTIONS), with a finger if `touch`."""
    for label in ACTIONS.get(lesson.url_path, ()):
        button = page.get_by_role("button", name=said(label, query), exact=True).first
        button.tap() if touch else button.click()
        settle(page)


def open_code(page, query=""):
    """Open the lesson's "The code" view (as the query's language names it) and wait for its blocks."""
    expander = page.locator("summary", has_text=said("The code", query)).first
    expander.scroll_into_view_if_needed()
    expander.click()
    settle(page)
    page.wait_for_selector("[data-testid=stCode] pre", timeout=60_000)


def in_its_language(page, lesson, query):
    """Wait until the page says the query's language to screen readers; check the home page's title."""
    language = language_in(query)
    page.wait_for_function(f"() => document.documentElement.lang.split('-')[0] === {language!r}", timeout=15_000)
    if lesson is HOME:
        assert page.locator("h1").first.inner_text() == said("Neural Network Explorer", query)
