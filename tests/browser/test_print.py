"""Printing: light colours on paper whatever the theme, no site chrome, chart data shown."""

from pathlib import Path

import pytest

from tests.browser.chromium import draw_charts
from tests.browser.conftest import ROUGH_SLUG, OpenPage
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

    page.evaluate("dispatchEvent(new Event('beforeprint'))")  # as printing does, first
    page.emulate_media(media="print")
    body = page.evaluate(
        "() => { const s = getComputedStyle(document.body); return [s.color, s.backgroundColor]; }"
    )
    assert body == ["rgb(31, 35, 40)", "rgb(255, 255, 255)"]  # --text and --bg of the light theme
    assert {name: page.locator(name).first.is_visible() for name in CHROME} == dict.fromkeys(
        CHROME, False
    )
    assert page.locator("details.chart-data td").first.is_visible()
    diagram = "getComputedStyle(document.querySelector('pre.mermaid svg')).filter"
    assert page.evaluate(diagram) == "invert(1) hue-rotate(180deg)"  # dark boxes made light
    page.screenshot(path=str(screenshots / "print-dark.png"), full_page=True)
    page.evaluate("document.documentElement.dataset.theme = 'light'")
    assert page.evaluate(diagram) == "none"  # drawn light already


def test_charts_print_in_the_light_theme_and_come_back_dark_after(open_page: OpenPage):
    opened = open_page(color_scheme="dark")
    page = opened.page
    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    draw_charts(page)
    text = "() => Chart.getChart(document.querySelector('figure.chart canvas')).options.color"
    # Added after charts.js's own listener, so it sees what the printed page holds.
    page.evaluate(
        f"() => addEventListener('beforeprint', () => {{ window.printedText = ({text})(); }})"
    )
    assert page.evaluate(text) == "rgb(230, 232, 235)"  # --text of the dark theme
    page.pdf()  # Chromium's printing: beforeprint, the pages, then afterprint
    assert page.evaluate("() => window.printedText") == "rgb(31, 35, 40)"  # --text, light
    assert page.evaluate(text) == "rgb(230, 232, 235)"
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert not opened.watch.problems()


def test_a_diagram_wider_than_its_box_prints_whole_in_a_closed_card(
    open_page: OpenPage, screenshots: Path
):
    opened = open_page(viewport={"width": 360, "height": 800})
    page = opened.page
    opened.goto(f"/insights/{ROUGH_SLUG}/")
    page.wait_for_selector("pre.mermaid.diagram-scrolls")  # on screen it scrolls sideways
    block = page.locator("pre.mermaid.diagram-drawn").first
    page.emulate_media(media="print")
    box, drawing = block.bounding_box(), block.locator("svg").bounding_box()
    assert box and drawing and drawing["width"] > 0
    assert box["x"] <= drawing["x"] and drawing["x"] + drawing["width"] <= box["x"] + box["width"]
    # Its tools bar is hidden on paper: the card is closed as at its top, margin and corners.
    bottom, top = block.evaluate(
        """b => { const s = getComputedStyle(b);
          return [[s.marginBottom, s.borderBottomLeftRadius], [s.marginTop, s.borderTopLeftRadius]];
        }"""
    )
    assert bottom == top and top[1] != "0px"
    page.screenshot(path=str(screenshots / "print-rough-360.png"), full_page=True)
