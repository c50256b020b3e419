"""Classroom mode on a large projector, 1920 × 1080, in Spanish: no page scrolls sideways, no chart,
table, picture or button reaches past its column, and no button or lesson link is cut short, on
every lesson (the handwriting page after its network is trained). The 1280 × 720 projector
(German) is checked on the way through every page with axe: tests/browser/test_accessibility.py."""

import pytest

from harness.browser import OVERFLOW_PROBE, open_lesson
from harness.server import ARTIFACTS
from tests.browser.pages import CHARTS_DRAWN, in_its_language, press_its_buttons
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
        in_its_language(page, lesson, QUERY)
        press_its_buttons(page, lesson, QUERY)  # show what those pages draw after a press
        page.wait_for_function(CHARTS_DRAWN, timeout=30_000)
        measured = page.evaluate(OVERFLOW_PROBE)
        if measured["sideways"] > 0 or measured["spilled"] or measured["clipped"]:
            found[lesson.url_path] = measured
        page.screenshot(path=str(ARTIFACTS / f"projector-{lesson.url_path}-{width}.png"))
    context.close()
    assert not found, found
