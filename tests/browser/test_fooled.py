"""A click on a mistake in the handwriting page's confusion matrix shows those test digits (AppTest
cannot click a chart; tests/test_mnist_page.py checks the selector that does the same)."""

import re

from harness.browser import CANVAS, STILL, settle, within

A_MISTAKE = """() => [...document.querySelectorAll('path[aria-label*="true digit"]')].map(cell => cell.getAttribute('aria-label'))
  .find(label => { const [, read, meant, count] = label.match(/read as: (\\d); true digit: (\\d); count: (\\d+)/) || [];
                   return read !== meant && Number(count) > 0; })"""


def test_a_click_on_a_mistake_shows_its_digits(browser, server):
    page = browser.new_page(**STILL, viewport={"width": 1400, "height": 1000})
    page.goto(f"{server}/mnist")
    page.wait_for_selector(CANVAS, timeout=600_000)
    settle(page)
    label = page.evaluate(A_MISTAKE)
    if label is None:
        page.close()
        raise AssertionError("the network made no mistake to click on")
    read, meant, count = re.match(r"read as: (\d); true digit: (\d); count: (\d+)", label).groups()
    heading = page.get_by_text(re.compile(rf"\d+ test digits? written as {meant} and read as {read}"))
    for _ in range(3):  # on a loaded machine a click while the chart is being drawn again can be lost
        cell = page.locator(f'path[aria-label="{label}"]').first
        cell.scroll_into_view_if_needed()
        cell.click()
        if within(30, lambda: heading.count() > 0, page) is not None:
            break
        settle(page)
    heading.wait_for(timeout=60_000)
    assert (
        page.get_by_role("img", name=re.compile(rf"written as a {meant} that the network read as a {read}")).count()
        >= 1
    )
    chooser = page.locator("[data-testid=stSelectbox]", has_text="Show the digits").locator("input")
    assert chooser.input_value().startswith(f"written {meant}, read as {read}: {count} digit")  # it follows the click
    page.close()
