"""Every student's device: a phone held upright (390 × 844, touch), in Chinese (the pass over every
page in that language), where axe-core finds nothing serious or critical, the page says its
language, no page scrolls sideways, every lesson's code wraps inside its box and a finger draws;
and a keyboard alone."""

from harness.browser import (
    CANVAS,
    PREDICTION,
    STILL,
    STROKES,
    draw_by_touch,
    open_lesson,
    prediction,
    said,
    settle,
    shown_prediction,
)
from tests.browser.pages import (
    BLOCKS_WIDER_THAN_THEIR_BOX,
    SIDEWAYS,
    in_its_language,
    open_code,
    press_its_buttons,
    serious_findings,
)
from ui.lessons import HOME, LESSONS

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
QUERY = "?lang=zh"


def test_on_a_phone_in_chinese_every_page_fits_and_passes_axe_and_a_finger_draws_a_digit(browser, server):
    context = browser.new_context(**STILL, **PHONE)
    page = context.new_page()
    found, wide = {}, {}
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, QUERY)
        in_its_language(page, lesson, QUERY)
        press_its_buttons(page, lesson, QUERY, touch=True)
        if page.locator("summary", has_text=said("The code", QUERY)).count():
            open_code(page, QUERY)
            wide[lesson.url_path] = page.evaluate(BLOCKS_WIDER_THAN_THEIR_BOX)
        problems, sideways = serious_findings(page), page.evaluate(SIDEWAYS)  # axe waits for the charts
        if problems or sideways > 0:
            found[lesson.url_path] = (problems, sideways)
    assert not found
    assert set(wide) >= {lesson.url_path for lesson in LESSONS} - {
        "class_lab"
    }  # the lab shows its code once a room has drawings
    assert not {path: blocks for path, blocks in wide.items() if blocks}
    page.locator(CANVAS).scroll_into_view_if_needed()
    scroll_top = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    before = page.evaluate(scroll_top)
    draw_by_touch(page, STROKES["7"])
    assert page.evaluate(scroll_top) == before  # the strokes drew; they did not scroll the page
    page.wait_for_selector(prediction(QUERY), timeout=60_000)
    settle(page)
    assert shown_prediction(page, QUERY).isdigit()
    context.close()


def test_a_keyboard_alone_reaches_a_prediction(browser, server):
    page = browser.new_page(**STILL, viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/mnist")
    page.wait_for_selector(CANVAS, timeout=600_000)
    settle(page)
    for _ in range(200):  # Tab through the page to the input chooser
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''").startswith("Digit to read"):
            break
    else:
        raise AssertionError("Tab never reached the 'Digit to read' chooser")
    page.keyboard.press("Enter")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    settle(page)
    page.wait_for_selector(PREDICTION, timeout=60_000)
    assert shown_prediction(page).isdigit()
    page.close()
