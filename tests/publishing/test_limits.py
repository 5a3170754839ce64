"""Large inputs are refused or rendered in bounded time, and never take the site down."""

import time

from app import create_app
from tests.support.pages import soup
from tests.support.site import INSTANT

PARAGRAPH = "Open models win on *cost*, [community](https://example.org) and transparency. " * 8

CHART = (
    '```chart\n{"type": "bar", "data": {"labels": ["a", "b"], '
    '"datasets": [{"label": "n", "data": [1, 2]}]}}\n```\n\n'
)


def write_big(content_dir, megabytes: float) -> int:
    section = f"## Section\n\n{PARAGRAPH}\n\n" * 5
    body = section * int(megabytes * 1_000_000 / len(section))
    path = content_dir / "huge.md"
    path.write_text(f"---\ntitle: Huge\ndate: 2026-01-01\n---\n{body}")
    return path.stat().st_size


def test_a_file_over_the_limit_is_reported_and_skipped_and_the_site_goes_on(
    app, client, content_dir
):
    size = write_big(content_dir, 5)
    assert client.get("/insights/huge/").status_code == 404
    assert len(soup(client.get("/")).select(".card")) == 3
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert f"huge.md: {size} bytes, larger than the limit of 2097152 bytes" in result.stdout


def test_a_five_megabyte_article_renders_in_bounded_time_when_allowed(content_dir):
    write_big(content_dir, 5)
    settings = {"MAX_ARTICLE_BYTES": 8_000_000, "RENDER_TIMEOUT": 60}  # both raised together
    app = create_app({**INSTANT, "CONTENT_DIR": str(content_dir), **settings})
    started = time.monotonic()
    response = app.test_client().get("/insights/huge/")
    assert response.status_code == 200
    assert response.data.count(b"<h2 ") > 5000
    assert time.monotonic() - started < 120  # a guard against runaway parsing, not a benchmark


def test_hundreds_of_charts_all_render(client, write_article):
    write_article("many-charts", "title: Many charts\ndate: 2026-01-01\n", CHART * 300)
    page = soup(client.get("/insights/many-charts/"))
    assert len(page.select("figure.chart canvas")) == 300
    assert len({figure["id"] for figure in page.select("figure.chart")}) == 300
