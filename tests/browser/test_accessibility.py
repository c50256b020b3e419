"""Every page as a class sees it, once per way of seeing it, each in one of the app's languages,
with everything checked on the way (one pass a view, not one per check: each pass opens, acts on
and reads every page):

- axe-core's WCAG 2.0/2.1 A and AA rules: no serious or critical finding (Streamlit's own markup
  needed no exceptions, so there is no allow-list). Each page is checked once a view, in the state
  that view is about: on the projector as the class first sees it, opened; on the laptop after
  its main action, with its code shown (the phone's pass, too);
- the page tells screen readers its language (Streamlit writes `<html lang="en">`; ui/language.py
  corrects it), and the home page's title is in it;
- on a laptop (1400 px, Spanish): the code's blocks wrap inside their box, and the page never
  scrolls sideways;
- on a projector (1280 × 720, classroom mode, German, the language with the longest words):
  nothing reaches past its column (no chart, table, picture or button), no button or lesson link
  is cut short, and nothing scrolls sideways.

The phone's pass (Chinese) is tests/browser/test_devices.py. English is every other browser test's
language. A 1920 × 1080 projector has no pass of its own: classroom mode's columns only widen
from 1280 px, and nothing spilled there while it had one. Every page in every language is also
opened by tests/test_i18n.py."""

import pytest

from harness.browser import OVERFLOW_PROBE, STILL, open_lesson, said
from harness.server import ARTIFACTS
from tests.browser.pages import BLOCKS_WIDER_THAN_THEIR_BOX, SIDEWAYS, act, in_its_language, open_code, serious_findings
from ui.lessons import HOME, LESSONS

VIEWS = {  # mode: (browser context, query, whether axe checks the page as opened, else after its action)
    "laptop": ({"viewport": {"width": 1400, "height": 1000}}, "?lang=es", False),
    "projector": ({"viewport": {"width": 1280, "height": 720}}, "?lang=de&classroom=true", True),
}


def laid_out(page, mode):
    """What is wrong with how the page is laid out in this view (empty when nothing is)."""
    if mode == "laptop":
        sideways, wide = page.evaluate(SIDEWAYS), page.evaluate(BLOCKS_WIDER_THAN_THEIR_BOX)
        return {"sideways": sideways, "code blocks wider than their box": wide} if sideways > 0 or wide else {}
    measured = page.evaluate(OVERFLOW_PROBE)
    return measured if measured["sideways"] > 0 or measured["spilled"] or measured["clipped"] else {}


@pytest.mark.parametrize("mode", VIEWS)
def test_every_page_is_accessible_and_fits_a_laptop_and_a_projector(browser, server, mode):
    context_options, query, as_opened = VIEWS[mode]
    context = browser.new_context(**STILL, **context_options)
    page = context.new_page()
    found, code_shown = {}, set()
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, query)
        in_its_language(page, lesson, query)
        if as_opened or lesson is HOME:
            found[f"{lesson.url_path}, as opened"] = serious_findings(page)
        if lesson is HOME:
            continue
        act(page, lesson, query)
        if page.locator("summary", has_text=said("The code", query)).count():  # the code view, opened, is checked too
            open_code(page, query)
            code_shown.add(lesson.url_path)
        if not as_opened:
            found[f"{lesson.url_path}, after its main action, its code shown"] = serious_findings(page)
        found[f"{lesson.url_path}, laid out"] = laid_out(page, mode)
        page.screenshot(path=str(ARTIFACTS / f"{mode}-{lesson.url_path}.png"))
    context.close()
    assert not {where: findings for where, findings in found.items() if findings}
    # every lesson shows its code (the class lab inside a room: tests/browser/test_class_lab.py makes rooms)
    assert code_shown >= {lesson.url_path for lesson in LESSONS} - {"class_lab"}
