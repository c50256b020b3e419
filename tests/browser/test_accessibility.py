"""axe-core's WCAG 2.0/2.1 A and AA rules on every page, in normal and classroom mode, before and
after its main action with its code shown: no serious or critical finding. (Streamlit's own markup needed no
exceptions, so there is no allow-list.)"""

import pytest

from harness.browser import PREDICTION, STROKES, draw, open_lesson, settle
from ui.lessons import HOME, LESSONS

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ACTIONS = {  # the buttons each page's main action presses, in order
    "hidden_layers": ("Train 10 epochs",),
    "backprop": ("Forward", "Backward", "Update"),
    "loss": ("New data",),
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


def open_code(page):
    """Open the lesson's "The code" view and wait for its blocks."""
    expander = page.locator("summary", has_text="The code").first
    expander.scroll_into_view_if_needed()
    expander.click()
    settle(page)
    page.wait_for_selector("[data-testid=stCode] pre", timeout=60_000)


@pytest.mark.parametrize("mode", ["normal", "classroom"])
def test_no_page_has_a_serious_accessibility_finding(page, server, mode):
    found = {}
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, "?classroom=true" if mode == "classroom" else "")
        found[f"{lesson.url_path}, as opened"] = serious_findings(page)
        if lesson is HOME:
            continue
        acted = act(page, lesson)
        if page.locator("summary", has_text="The code").count():  # the code view, opened, is checked too
            open_code(page)
            acted = True
        if acted:
            found[f"{lesson.url_path}, after its main action, its code shown"] = serious_findings(page)
    assert not {where: findings for where, findings in found.items() if findings}
