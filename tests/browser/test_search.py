"""Search as a visitor uses it: with JavaScript off, and with the keyboard alone."""

import pytest

from tests.browser.conftest import OpenPage

pytestmark = pytest.mark.browser

ACTIVE = "() => [document.activeElement.tagName, document.activeElement.name || '', " \
    "document.activeElement.getAttribute('href') || '']"  # fmt: skip


def tab_until(page, wanted, presses: int = 40) -> list[str]:
    for _ in range(presses):
        page.keyboard.press("Tab")
        active = page.evaluate(ACTIVE)
        if wanted(active):
            return active
    pytest.fail("never reached by the Tab key")


def test_search_works_with_javascript_off_and_by_keyboard_alone(open_page: OpenPage):
    opened = open_page(java_script_enabled=False)
    page = opened.page
    opened.goto("/")
    tab_until(page, lambda active: active[:2] == ["INPUT", "q"])
    page.keyboard.type("latency")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/search/?q=latency")
    assert "Reading the Latency Budget" in page.locator(".search-hits").inner_text()
    assert page.locator(".search-hits mark").count() >= 1
    hit = tab_until(page, lambda active: active[2] == "/insights/reading-the-latency-budget/")
    assert hit[0] == "A"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/insights/reading-the-latency-budget/")
