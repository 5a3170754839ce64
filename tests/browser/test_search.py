"""Search as a visitor uses it: with JavaScript off, by keyboard alone, and in the static export."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from harness.servers import file_server, free_port
from tests.browser.conftest import OpenPage
from tests.support.site import ROOT

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


@contextmanager
def exported_site(browser, tmp_path, content: Path | None = None) -> Iterator[tuple]:
    """A page in a fresh browser context, and the base URL of the site exported (from
    ``content``, else the shipped articles) and served by a plain file server."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    target = tmp_path / "site"
    env = {**os.environ, "INSIGHTS_SITE_URL": base}
    if content is not None:
        env["INSIGHTS_CONTENT_DIR"] = str(content)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "export", str(target)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    with file_server(target, port=port):
        context = browser.new_context()
        try:
            yield context.new_page(), base
        finally:
            context.close()


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


def test_the_exports_search_finds_an_article_with_no_server_behind_it(browser, tmp_path):
    with exported_site(browser, tmp_path) as (page, base):
        page.goto(f"{base}/search/?q=latency")
        hits = page.locator(".search-hits")
        hits.locator("a").first.wait_for()
        assert "Reading the Latency Budget" in hits.inner_text()
        assert hits.locator("mark").count() >= 1
        # A * is a prefix after two letters, as on the server; after one it is dropped.
        for query, found in (('"reading the laten"*', True), ('"reading the l"*', False)):
            page.goto(f"{base}/search/?q={quote(query)}")
            page.locator("#search-summary").wait_for()
            shown = page.locator(".search-results").inner_text()
            assert ("Reading the Latency Budget" in shown) is found, query


def test_the_exports_search_pages_its_results_as_the_server_does(browser, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    for n in range(12):
        (content / f"wombat-{n}.md").write_text(
            f"---\ntitle: Wombat {n:02d}\ndate: 2026-01-{n + 1:02d}\n---\nA wombat.\n"
        )
    with exported_site(browser, tmp_path, content) as (page, base):
        page.goto(f"{base}/search/?q=wombat")
        page.locator(".search-hits a").first.wait_for()
        assert "12 results for wombat, page 1 of 2" in page.locator("#search-summary").inner_text()
        titles = page.locator(".search-hits h2 a").all_inner_texts()
        assert titles == [f"Wombat {n:02d}" for n in range(11, 1, -1)]  # newest first
        with page.expect_navigation():
            page.locator('nav.pagination a[rel="next"]').click()
        assert page.url == f"{base}/search/?q=wombat&page=2"
        page.locator(".search-hits a").first.wait_for()
        assert page.locator(".search-hits h2 a").all_inner_texts() == ["Wombat 01", "Wombat 00"]
        assert page.locator('nav.pagination a[rel="prev"]').get_attribute("href") == (
            "/search/?q=wombat"
        )
        page.goto(f"{base}/search/?q=wombat&page=9")
        page.locator(".search-empty a").wait_for()
        assert "Back to the first page" in page.locator(".search-empty").inner_text()
