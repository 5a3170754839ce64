"""Every page in Chromium: charts draw, diagrams become SVG, nothing errs or leaves the site."""

from pathlib import Path

import pytest

from tests.browser.chromium import (
    MIN_CHART_PIXELS,
    draw_charts,
    draw_diagrams,
    expected_labels,
    listing,
)
from tests.browser.conftest import MISSING_PATH, SAMPLE_SLUGS, OpenPage, Watched
from tests.support.site import REFERENCE_SLUG

pytestmark = pytest.mark.browser


def test_the_reference_article_draws_its_chart_and_its_diagram(watched_page: Watched):
    watched_page.goto(f"/insights/{REFERENCE_SLUG}/")

    [pixels] = draw_charts(watched_page.page)
    [diagram] = draw_diagrams(watched_page.page)

    assert pixels > MIN_CHART_PIXELS
    assert diagram.failed is None and not diagram.error_diagram
    for label in ("Model Development", "Model Training", "Model Deployment", "Model Monitoring",
                  "Model Improvement"):  # fmt: skip
        assert label in diagram.svg_text
    assert watched_page.watch.console_errors == []


def test_every_sample_article_draws_every_chart_and_diagram_cleanly(open_page: OpenPage):
    report = {}
    pages = {slug: open_page() for slug in SAMPLE_SLUGS}
    for slug, opened in pages.items():  # every article loads at once, in its own tab
        opened.goto(f"/insights/{slug}/", wait_until="commit")
    for slug, opened in pages.items():
        opened.page.wait_for_load_state("load")
        charts = draw_charts(opened.page)
        diagrams = draw_diagrams(opened.page)
        opened.page.wait_for_load_state("networkidle")
        problems = opened.watch.problems()
        problems += [f"chart {i} drew only {n} pixels" for i, n in enumerate(charts)
                     if n <= MIN_CHART_PIXELS]  # fmt: skip
        for i, diagram in enumerate(diagrams):
            if diagram.failed or diagram.error_diagram:
                problems.append(f"diagram {i} failed: {diagram.failed or 'Mermaid error diagram'}")
            missing = [label for label in expected_labels(diagram.source)
                       if label not in diagram.svg_text]  # fmt: skip
            if missing:
                problems.append(f"diagram {i} lacks the nodes {missing}")
        if not charts and not diagrams:
            problems.append("neither a chart nor a diagram: is this still a sample?")
        report[slug] = problems
    assert not any(report.values()), listing(report)


def test_list_tag_and_error_pages_load_cleanly_from_this_origin_only(
    open_page: OpenPage, site_pages: dict[str, str]
):
    report, requests = {}, []
    pages = {
        name: open_page()
        for name in site_pages
        if not name.startswith("article-")  # the test above covers articles
    }
    for name, opened in pages.items():  # every page loads at once, in its own tab
        path = site_pages[name]
        opened.goto(path, 404 if path == MISSING_PATH else 200, wait_until="commit")
    for name, opened in pages.items():
        opened.page.wait_for_load_state("networkidle")  # the favicon comes after "load"
        report[name] = opened.watch.problems()
        requests += opened.watch.requests
    assert not any(report.values()), listing(report)
    assert all(url.startswith(opened.watch.origin + "/") for url in requests)


def test_without_javascript_chart_data_and_diagram_source_are_readable(open_page: OpenPage):
    opened = open_page(java_script_enabled=False)
    page = opened.page
    readable = {}
    for slug in SAMPLE_SLUGS:
        opened.goto(f"/insights/{slug}/")
        tables = page.locator("figure.chart details.chart-data table")
        sources = page.locator("pre.mermaid")
        readable[slug] = [
            *(tables.nth(i).is_visible() and tables.nth(i).locator("thead th").count() > 1
              for i in range(tables.count())),
            *(sources.nth(i).is_visible() and sources.nth(i).inner_text().strip() != ""
              for i in range(sources.count())),
        ]  # fmt: skip
    assert readable == {slug: [True] * len(readable[slug]) for slug in SAMPLE_SLUGS}

    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    table = page.locator("figure.chart table").inner_text()
    assert "2024\t80" in table and "2026 (projected)\t90" in table
    assert "A[Model Development] --> B[Model Training]" in page.locator("pre.mermaid").inner_text()


PHONE, DESKTOP = 360, 1280
READABLE_MEASURE = 800  # px: about 75 characters of body text, the upper end of a readable line


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_layout_at_phone_and_desktop_width_with_screenshots(
    open_page: OpenPage, site_pages: dict[str, str], screenshots: Path, width: int, theme: str
):
    opened = open_page(viewport={"width": width, "height": 800}, color_scheme=theme)
    page = opened.page
    faults = {}
    for name, path in site_pages.items():
        opened.goto(path, 404 if path == MISSING_PATH else 200)
        draw_charts(page)
        draw_diagrams(page)
        page.evaluate("window.scrollTo(0, 0)")
        if width == PHONE:
            wide = page.evaluate(SIDEWAYS)
            faults[name] = [f"scrolls sideways: {wide}"] if wide else []
        else:
            column = page.evaluate(WIDEST_TEXT)
            faults[name] = [f"text {column} px wide"] if column > READABLE_MEASURE else []
        page.screenshot(path=screenshots / f"{name}-{width}-{theme}.png", full_page=True)
    assert not any(faults.values()), listing(faults)


# The page's overflow, and which elements stick out past the viewport's right edge.
SIDEWAYS = """() => {
  const root = document.scrollingElement;
  if (root.scrollWidth <= root.clientWidth) return null;
  const out = [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > root.clientWidth + 0.5)
    .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : ""));
  return `scrollWidth ${root.scrollWidth} > clientWidth ${root.clientWidth}; ${out.slice(0, 5)}`;
}"""

# The widest run of body text: paragraphs and list items in the main column.
WIDEST_TEXT = """() => Math.max(0, ...[...document.querySelectorAll("main p, main li")]
  .map(el => el.getBoundingClientRect().width))"""


def test_mermaid_loads_only_when_a_diagram_comes_near_the_viewport(open_page: OpenPage):
    opened = open_page(viewport={"width": 1280, "height": 600})
    page = opened.page
    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("pre.mermaid").evaluate("pre => pre.getBoundingClientRect().top") > 1000
    assert not [url for url in opened.watch.requests if "/vendor/mermaid/" in url]

    draw_diagrams(page)
    assert [url for url in opened.watch.requests if "/vendor/mermaid/" in url]


def test_pages_without_charts_or_diagrams_load_no_chart_or_diagram_code(
    open_page: OpenPage, site_pages: dict[str, str]
):
    opened = open_page()
    for name, path in site_pages.items():
        if not name.startswith("article-"):
            opened.goto(path, 404 if path == MISSING_PATH else 200)
    vendor = [url for url in opened.watch.requests if "/vendor/" in url or "/js/charts" in url
              or "/js/diagrams" in url]  # fmt: skip
    assert vendor == []
