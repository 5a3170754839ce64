"""Printing: light colours on paper whatever the theme, no site chrome, chart data shown."""

from pathlib import Path

import pytest

from tests.browser.chromium import draw_charts
from tests.browser.conftest import OpenPage
from tests.support.site import REFERENCE_SLUG

pytestmark = pytest.mark.browser

CHROME = [".site-search", ".theme-toggle", ".diagram-tools", ".article-nav"]


def test_a_dark_article_prints_light_without_chrome_and_with_its_data_tables(
    open_page: OpenPage, screenshots: Path
):
    opened = open_page(color_scheme="dark")
    page = opened.page
    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    draw_charts(page)
    page.locator("pre.mermaid").first.scroll_into_view_if_needed()
    page.wait_for_selector(".diagram-tools")
    page.wait_for_function("() => !document.querySelector('details.chart-data[open]')")
    assert page.locator("details.chart-data td").first.is_hidden()  # folded on screen
    assert all(page.locator(name).first.is_visible() for name in CHROME)

    page.emulate_media(media="print")
    body = page.evaluate(
        "() => { const s = getComputedStyle(document.body); return [s.color, s.backgroundColor]; }"
    )
    assert body == ["rgb(31, 35, 40)", "rgb(255, 255, 255)"]  # --text and --bg of the light theme
    assert {name: page.locator(name).first.is_visible() for name in CHROME} == dict.fromkeys(
        CHROME, False
    )
    assert page.locator("details.chart-data td").first.is_visible()
    page.screenshot(path=str(screenshots / "print-dark.png"), full_page=True)
