"""Every page as a learner sees it, once per way of seeing it, with everything checked on the way
(one pass a view, not one per check: each pass opens, acts on and reads every page):

- axe-core's WCAG 2.0/2.1 A and AA rules, before and after the page's main action with its code
  shown: no serious or critical finding (Streamlit's own markup needed no exceptions, so there is
  no allow-list);
- on a laptop (1400 px): the code's blocks wrap inside their box, and the page never scrolls sideways;
- on a projector (1280 × 720, classroom mode): nothing reaches past its column (no chart, table,
  picture or button), no button or lesson link is cut short, and nothing scrolls sideways.

The phone's pass is tests/browser/test_devices.py; other languages' are test_languages.py; a
1920 × 1080 projector's is test_projector.py."""

import pytest

from harness.browser import OVERFLOW_PROBE, PREDICTION, STROKES, draw, open_lesson, settle
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
VIEWS = {  # mode: (viewport, query)
    "laptop": ({"width": 1400, "height": 1000}, ""),
    "projector": ({"width": 1280, "height": 720}, "?classroom=true"),
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


def act(page, lesson):
    """Press the page's main action; return whether there was one."""
    if lesson.needs_tensorflow:
        draw(page, STROKES["7"])
        page.wait_for_selector(PREDICTION, timeout=60_000)
        settle(page)
        return True
    for label in ACTIONS.get(lesson.url_path, ()):
        page.get_by_role("button", name=label, exact=True).first.click()
        settle(page)
    return bool(ACTIONS.get(lesson.url_path))


def open_code(page, title="The code"):
    """Open the lesson's "The code" view (`title` as the page's language says it) and wait for its blocks."""
    expander = page.locator("summary", has_text=title).first
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


@pytest.mark.parametrize("mode", VIEWS)
def test_every_page_is_accessible_and_fits_a_laptop_and_a_projector(browser, server, mode):
    viewport, query = VIEWS[mode]
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    found, code_shown = {}, set()
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, query)
        found[f"{lesson.url_path}, as opened"] = serious_findings(page)
        if lesson is HOME:
            continue
        acted = act(page, lesson)
        if page.locator("summary", has_text="The code").count():  # the code view, opened, is checked too
            open_code(page)
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
