"""A chart drawn from a CSV file of its article's folder, in Chromium: it paints its canvas with
the file's figures, and its download link fetches the file itself."""

from pathlib import Path

import pytest

from tests.browser.chromium import draw_charts
from tests.browser.conftest import CSV_CHART_DATA, CSV_CHART_SLUG, OpenPage

pytestmark = pytest.mark.browser


def test_a_csv_chart_draws_the_files_figures_and_its_link_downloads_the_file(
    open_page: OpenPage,
):
    opened = open_page()
    opened.goto(f"/insights/{CSV_CHART_SLUG}/")
    page = opened.page
    assert draw_charts(page)[0] > 0
    drawn = page.locator("figure.chart canvas").evaluate(
        """canvas => { const chart = Chart.getChart(canvas);
          return {labels: chart.data.labels, data: chart.data.datasets.map(d => d.data),
                  title: chart.options.plugins.title.text}; }"""
    )
    assert drawn["labels"] == ["Jan", "Feb", "Mar", "Apr"]
    assert drawn["data"] == [[42, 47, 55, 61], [18, None, 26, 31]]
    title = drawn["title"]  # a list of lines when the site wrapped it to the chart's width
    shown = " ".join(title) if isinstance(title, list) else title
    assert shown == "Monthly GPU spend (k$)"
    link = page.get_by_role("link", name="Download the data (CSV)")
    with page.expect_download() as caught:
        link.click()
    download = caught.value
    assert download.url == opened.watch.origin + f"/insights/{CSV_CHART_SLUG}/data/spend.csv"
    assert Path(download.path()).read_bytes() == CSV_CHART_DATA
    assert opened.watch.page_errors == []
