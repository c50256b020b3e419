"""Every student's device: a phone held upright (390 × 844, touch), where no page scrolls sideways,
every lesson's code wraps inside its box and a finger draws; and a keyboard alone."""

from harness.browser import CANVAS, PREDICTION, STROKES, draw_by_touch, open_lesson, settle, shown_prediction
from tests.browser.test_accessibility import BLOCKS_WIDER_THAN_THEIR_BOX, SIDEWAYS, open_code
from ui.lessons import HOME, LESSONS


def test_on_a_phone_no_page_scrolls_sideways_and_a_finger_draws_a_digit(browser, server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2
    )
    page = context.new_page()
    sideways, wide = {}, {}
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson)
        for label in ("Train 10 epochs", "Forward", "Backward"):
            if page.get_by_role("button", name=label, exact=True).count():
                page.get_by_role("button", name=label, exact=True).tap()
                settle(page)
        if page.locator("summary", has_text="The code").count():
            open_code(page)
            wide[lesson.url_path] = page.evaluate(BLOCKS_WIDER_THAN_THEIR_BOX)
        page.wait_for_timeout(800)
        sideways[lesson.url_path] = page.evaluate(SIDEWAYS)
    assert not {path: pixels for path, pixels in sideways.items() if pixels > 0}
    assert set(wide) >= {lesson.url_path for lesson in LESSONS} - {
        "class_lab"
    }  # the lab shows its code once a room has drawings
    assert not {path: blocks for path, blocks in wide.items() if blocks}
    page.locator(CANVAS).scroll_into_view_if_needed()
    scroll_top = "() => document.querySelector('[data-testid=stMain]').scrollTop"
    before = page.evaluate(scroll_top)
    draw_by_touch(page, STROKES["7"])
    assert page.evaluate(scroll_top) == before  # the strokes drew; they did not scroll the page
    page.wait_for_selector(PREDICTION, timeout=60_000)
    settle(page)
    assert shown_prediction(page).isdigit()
    context.close()


def test_a_keyboard_alone_reaches_a_prediction(browser, server):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
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
