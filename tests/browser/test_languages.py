"""Every page in another language, as a class sees it: German on a 1280 × 720 projector in
classroom mode, Chinese on a 390 px phone. The page says its language to screen readers (Streamlit
writes `<html lang="en">`; ui/language.py corrects it), nothing scrolls sideways, and axe-core
finds nothing serious or critical."""

import pytest

from harness.browser import open_lesson
from tests.browser.test_accessibility import SIDEWAYS, serious_findings
from ui.lessons import HOME, LESSONS

SETTINGS = {
    "de": ({"viewport": {"width": 1280, "height": 720}}, "&classroom=true", "de", "Neuronale Netze entdecken"),
    "zh": (
        {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
        "",
        "zh-Hans",
        "神经网络探索",
    ),
}


@pytest.mark.parametrize("language", ["de", "zh"])
def test_every_page_in_german_on_a_projector_and_in_chinese_on_a_phone(browser, server, language):
    context_options, more, html_lang, home_title = SETTINGS[language]
    context = browser.new_context(**context_options)
    page = context.new_page()
    found = {}
    for lesson in (HOME, *LESSONS):
        open_lesson(page, server, lesson, f"?lang={language}{more}")
        page.wait_for_function(f"() => document.documentElement.lang === {html_lang!r}", timeout=15_000)
        if lesson is HOME:
            assert page.locator("h1").first.inner_text() == home_title
        problems = serious_findings(page)
        sideways = page.evaluate(SIDEWAYS)
        if problems or sideways > 0:
            found[lesson.url_path] = (problems, sideways)
    context.close()
    assert not found
