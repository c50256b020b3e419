"""Every page as a class sees it, once per way of seeing it, each in one of the app's languages,
with everything checked on the way (one pass a view, not one per check: each pass opens, acts on
and reads every page):

- axe-core's WCAG 2.0/2.1 A and AA rules, before and after the page's main action with its code
  shown: no serious or critical finding (Streamlit's own markup needed no exceptions, so there is
  no allow-list);
- the page tells screen readers its language (Streamlit writes `<html lang="en">`; ui/language.py
  corrects it), and the home page's title is in it;
- on a laptop (1400 px, English): the code's blocks wrap inside their box, and the page never
  scrolls sideways;
- on a projector (1280 × 720, classroom mode, German, the language with the longest words):
  nothing reaches past its column (no chart, table, picture or button), no button or lesson link
  is cut short, and nothing scrolls sideways.

The phone's pass (Chinese) is tests/browser/test_devices.py; a 1920 × 1080 projector's (Spanish)
is test_projector.py. Every page in every language is also opened by tests/test_i18n.py."""

import pytest

from core import i18n
from harness.browser import OVERFLOW_PROBE, STROKES, draw, open_lesson, prediction, said, settle
from harness.server import ARTIFACTS
from ui.lessons import HOME, LESSONS

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
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
VIEWS = {  # mode: (browser context, query)
    "laptop": ({"viewport": {"width": 1400, "height": 1000}}, "?lang=en"),
    "projector": ({"viewport": {"width": 1280, "height": 720}}, "?lang=de&classroom=true"),
}


def serious_findings(page):
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(800)  # charts finish drawing after the script
    violations = Axe().run(page, options=RULES).response["violations"]
    return {
        (found["id"], found["impact"]): len(found["nodes"])
        for found in violations
        if found["impact"] in ("serious", "critical")
    }


def act(page, lesson, query=""):
    """Press the page's main action (named as the query's language says it); return whether there was one."""
    if lesson.needs_tensorflow:
        draw(page, STROKES["7"])
        page.wait_for_selector(prediction(query), timeout=60_000)
        settle(page)
        return True
    for label in ACTIONS.get(lesson.url_path, ()):
        page.get_by_role("button", name=said(label, query), exact=True).first.click()
        settle(page)
    return bool(ACTIONS.get(lesson.url_path))


def open_code(page, query=""):
    """Open the lesson's "The code" view (as the query's language names it) and wait for its blocks."""
    expander = page.locator("summary", has_text=said("The code", query)).first
    expander.scroll_into_view_if_needed()
    expander.click()
    settle(page)
    page.wait_for_selector("[data-testid=stCode] pre", timeout=60_000)


def laid_out(page, mode):
    """What is wrong with how the page is laid out in this view (empty when nothing is)."""
    if mode == "laptop":
        sideways, wide = page.evaluate(SIDEWAYS), page.evaluate(BLOCKS_WIDER_THAN_THEIR_BOX)
        return {"sideways": sideways, "code blocks wider than their box": wide} if sideways > 0 or wide else {}
    measured = page.evaluate(OVERFLOW_PROBE)
    return measured if measured["sideways"] > 0 or measured["spilled"] or measured["clipped"] else {}


def in_its_language(page, lesson, query):
    """Wait until the page says the query's language to screen readers; check the home page's title."""
    language = i18n.language_of(query.split("lang=")[1].split("&")[0])
    page.wait_for_function(f"() => document.documentElement.lang.split('-')[0] === {language!r}", timeout=15_000)
    if lesson is HOME:
        assert page.locator("h1").first.inner_text() == said("Neural Network Explorer", query)


@pytest.mark.parametrize("mode", VIEWS)
def test_every_page_is_accessible_and_fits_a_laptop_and_a_projector(browser, server, mode):
    context_options, query = VIEWS[mode]
    context = browser.new_context(**context_options)
    page = context.new_page()
    found, code_shown = {}, set()
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, query)
        in_its_language(page, lesson, query)
        found[f"{lesson.url_path}, as opened"] = serious_findings(page)
        if lesson is HOME:
            continue
        acted = act(page, lesson, query)
        if page.locator("summary", has_text=said("The code", query)).count():  # the code view, opened, is checked too
            open_code(page, query)
            code_shown.add(lesson.url_path)
            acted = True
        if acted:
            found[f"{lesson.url_path}, after its main action, its code shown"] = serious_findings(page)
        found[f"{lesson.url_path}, laid out"] = laid_out(page, mode)
        page.screenshot(path=str(ARTIFACTS / f"{mode}-{lesson.url_path}.png"))
    context.close()
    assert not {where: findings for where, findings in found.items() if findings}
    # every lesson shows its code (the class lab inside a room: tests/browser/test_class_lab.py makes rooms)
    assert code_shown >= {lesson.url_path for lesson in LESSONS} - {"class_lab"}
