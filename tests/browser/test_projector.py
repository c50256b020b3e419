"""Classroom mode on a large projector, 1920 × 1080, in Spanish: no page scrolls sideways, no chart,
table, picture or button reaches past its column, and no button or lesson link is cut short, on
every lesson (the handwriting page after its network is trained). The 1280 × 720 projector
(German) is checked on the way through every page with axe: tests/browser/test_accessibility.py."""

import pytest

from harness.browser import OVERFLOW_PROBE, open_lesson, said, settle
from harness.server import ARTIFACTS
from ui.lessons import LESSONS

PROJECTORS = [(1920, 1080)]
QUERY = "?lang=es&classroom=true"


@pytest.mark.parametrize("width, height", PROJECTORS)
def test_nothing_spills_out_of_its_column_in_classroom_mode(browser, server, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    found = {}
    for lesson in LESSONS:
        open_lesson(page, server, lesson, QUERY)
        for label in ("Train 10 epochs", "Forward", "Backward"):  # show what those pages draw after a press
            button = page.get_by_role("button", name=said(label, QUERY), exact=True)
            if button.count():
                button.click()
                settle(page)
        page.wait_for_timeout(1000)  # charts lay themselves out after the script finishes
        measured = page.evaluate(OVERFLOW_PROBE)
        if measured["sideways"] > 0 or measured["spilled"] or measured["clipped"]:
            found[lesson.url_path] = measured
        page.screenshot(path=str(ARTIFACTS / f"projector-{lesson.url_path}-{width}.png"))
    context.close()
    assert not found, found
