"""The code under every lesson, opened in Chromium: its blocks wrap inside their box (no page or block
scrolls sideways), on a phone and a laptop, and in classroom mode its text is larger. (axe checks
every lesson with its code shown: tests/browser/test_accessibility.py.)"""

import pytest

from harness.browser import open_lesson
from tests.browser.test_accessibility import open_code
from tests.browser.test_devices import SIDEWAYS
from ui.lessons import LESSONS

# Code wraps inside its box; a link (one unbreakable line, a room's or a shared view's) may scroll in its own.
BLOCKS_WIDER_THAN_THEIR_BOX = """() => [...document.querySelectorAll('[data-testid=stCode] pre')]
  .filter(block => !block.innerText.startsWith('http') && block.scrollWidth > block.clientWidth + 1).length"""
CODE_FONT = """() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stCode] code')).fontSize)"""


@pytest.mark.parametrize("width", [390, 1400])
def test_every_lesson_code_fits_its_box(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, has_touch=width < 500)
    page = context.new_page()
    found = {}
    for lesson in LESSONS:
        open_lesson(page, server, lesson)
        if not page.locator("summary", has_text="The code").count():
            found[lesson.url_path] = "no code"
            continue
        open_code(page)
        sideways, wide = page.evaluate(SIDEWAYS), page.evaluate(BLOCKS_WIDER_THAN_THEIR_BOX)
        if sideways > 0 or wide:
            found[lesson.url_path] = f"page {sideways} px sideways, {wide} blocks wider than their box"
    context.close()
    # the class lab shows its code inside a room (tests/browser/test_class_lab.py makes rooms)
    assert {path: why for path, why in found.items() if path != "class_lab" or why != "no code"} == {}


def test_classroom_mode_makes_the_code_larger(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    sizes = {}
    for query in ("", "?classroom=true"):
        open_lesson(page, server, next(lesson for lesson in LESSONS if lesson.url_path == "backprop"), query)
        open_code(page)
        sizes[query] = page.evaluate(CODE_FONT)
    assert sizes["?classroom=true"] > sizes[""] * 1.2
    page.close()
