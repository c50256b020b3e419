"""The code under a lesson, in classroom mode: its text is larger. (That every lesson's code wraps
inside its box, on a laptop and on a phone, and passes axe, is checked on the way through every
page: tests/browser/test_accessibility.py and test_devices.py.)"""

from harness.browser import STILL, open_lesson
from tests.browser.pages import open_code
from ui.lessons import LESSONS

CODE_FONT = """() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stCode] code')).fontSize)"""


def test_classroom_mode_makes_the_code_larger(browser, server):
    page = browser.new_page(**STILL, viewport={"width": 1280, "height": 720})
    sizes = {}
    for query in ("", "?classroom=true"):
        open_lesson(page, server, next(lesson for lesson in LESSONS if lesson.url_path == "backprop"), query)
        open_code(page)
        sizes[query] = page.evaluate(CODE_FONT)
    assert sizes["?classroom=true"] > sizes[""] * 1.2
    page.close()
