"""Every page in Chromium: charts draw, diagrams become SVG, nothing errs or leaves the site."""

import pytest

from tests.browser import MIN_CHART_PIXELS, draw_charts, draw_diagrams, expected_labels
from tests.conftest import REFERENCE_SLUG
from tests.conftest_browser import MISSING_PATH, SAMPLE_SLUGS, OpenPage, Watched

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
    for slug in SAMPLE_SLUGS:
        opened = open_page()
        opened.goto(f"/insights/{slug}/")
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
    assert report == {slug: [] for slug in SAMPLE_SLUGS}


def test_list_tag_and_error_pages_load_cleanly_from_this_origin_only(
    open_page: OpenPage, site_pages: dict[str, str]
):
    report, requests = {}, []
    for name, path in site_pages.items():
        if name.startswith("article-"):
            continue  # the test above covers articles with their charts and diagrams
        opened = open_page()
        opened.goto(path, 404 if path == MISSING_PATH else 200)
        opened.page.wait_for_load_state("networkidle")  # the favicon comes after "load"
        report[name] = opened.watch.problems()
        requests += opened.watch.requests
    assert report == {name: [] for name in report}
    assert all(url.startswith(opened.watch.origin + "/") for url in requests)
