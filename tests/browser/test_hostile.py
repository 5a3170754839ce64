"""Hostile chart and diagram labels stay text in Chromium: nothing runs, no dialog opens."""

import re

import pytest

from tests.browser.chromium import draw_charts, draw_diagrams
from tests.browser.conftest import HOSTILE_GLOBALS, HOSTILE_SLUG, Watched

pytestmark = pytest.mark.browser

SET_GLOBALS = f"() => {list(HOSTILE_GLOBALS)}.filter(name => name in window)"


def test_hostile_labels_run_nothing_on_load_or_on_clicking_the_node(watched_page: Watched):
    page = watched_page.page
    watched_page.goto(f"/insights/{HOSTILE_SLUG}/")
    draw_charts(page)
    [diagram] = draw_diagrams(page)
    assert diagram.failed is None and not diagram.error_diagram
    assert page.evaluate(SET_GLOBALS) == []

    page.locator("pre.mermaid svg g.node[id*='-A-']").click()
    page.wait_for_load_state()

    assert page.evaluate(SET_GLOBALS) == []
    assert page.url == f"{watched_page.watch.origin}/insights/{HOSTILE_SLUG}/"
    assert watched_page.watch.dialogs == []
    # Chromium reports the CSP check made when Mermaid's sanitiser parses the onerror attribute
    # (in an inert document): a blocked handler is the defence working, anything else is a fault.
    assert [p for p in watched_page.watch.problems() if not BLOCKED_HANDLER.search(p)] == []


BLOCKED_HANDLER = re.compile(r"console error: Executing inline event handler violates .* blocked")


def test_hostile_labels_read_as_literal_text(watched_page: Watched):
    page = watched_page.page
    watched_page.goto(f"/insights/{HOSTILE_SLUG}/")
    table = page.locator("figure.chart details.chart-data")
    table.evaluate("details => { details.open = true; }")

    assert "</script><script>window.x=1</script>" in table.inner_text()
    assert '<img src=x onerror="window.y=1">' in table.inner_text()
    assert page.locator("h1").inner_text() == "<script>window.t=1</script>Hostile labels"
    assert page.locator("figure.chart img, .prose img").count() == 0


def test_a_hostile_title_on_the_list_page_is_only_text(watched_page: Watched):
    page = watched_page.page
    watched_page.goto("/insights/")

    assert page.get_by_role("link", name="<script>window.t=1</script>Hostile labels").count() == 1
    assert page.evaluate(SET_GLOBALS) == []
    assert watched_page.watch.problems() == []
