"""The page around the text in Chromium: header, footer, home heading, meta line, tables, code
blocks and footnotes, at a phone's width and a desktop's."""

import datetime

import pytest

from tests.browser.conftest import MISSING_PATH, ROUGH_SLUG, OpenPage
from tests.support.site import REFERENCE_SLUG

pytestmark = pytest.mark.browser

PHONE = 360
LATENCY_SLUG = "reading-the-latency-budget"  # a table, a code block, a footnote, a long meta line


@pytest.mark.parametrize("path", ["/tags/", MISSING_PATH])
def test_the_footer_links_the_feeds_names_the_site_and_sits_at_the_bottom_of_a_short_page(
    open_page: OpenPage, path: str
):
    opened = open_page(viewport={"width": 1280, "height": 1000})
    page = opened.page
    opened.goto(path, 404 if path == MISSING_PATH else 200)
    footer = page.locator("footer.site-footer")

    links = footer.locator("a").evaluate_all("links => links.map(a => [a.text, a.pathname])")
    feeds = [["RSS", "/feed.xml"], ["Atom", "/atom.xml"], ["JSON", "/feed.json"]]
    assert links[-3:] == feeds and ["Archive", "/archive/"] in links
    assert f"© {datetime.datetime.now(datetime.UTC).year} Insights" in footer.inner_text()
    assert footer.evaluate("footer => footer.getBoundingClientRect().bottom") == 1000


@pytest.mark.parametrize("path", ["/", "/tags/hostile/"])
def test_the_bottom_of_a_list_has_one_rule_the_footers(open_page: OpenPage, path: str):
    opened = open_page()
    page = opened.page
    opened.goto(path)
    last_card = page.locator(".cards > .card").last
    assert last_card.evaluate("card => getComputedStyle(card).borderBottomWidth") == "0px"
    assert page.locator("footer").evaluate("f => getComputedStyle(f).borderTopWidth") == "1px"


# The top of each part of the header, and the button's name.
HEADER = """() => {
  const bar = document.querySelector(".site-header .bar");
  const parts = [...bar.querySelectorAll(".site-title, .site-nav a, .theme-toggle")];
  return {
    rows: new Set(parts.map(part => Math.round(part.getBoundingClientRect().top +
      part.getBoundingClientRect().height / 2))).size,
    right: Math.max(...parts.map(part => part.getBoundingClientRect().right)),
    current: [...bar.querySelectorAll("[aria-current]")].map(a => [a.text, a.ariaCurrent]),
  };
}"""


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", [["Articles", "page"]]),
        ("/tags/", [["Tags", "page"]]),
        ("/tags/hostile/", [["Tags", "true"]]),
        (f"/insights/{REFERENCE_SLUG}/", [["Articles", "true"]]),
    ],
)
def test_the_header_is_one_row_on_a_phone_and_marks_the_current_section(
    open_page: OpenPage, path: str, current: list
):
    opened = open_page(viewport={"width": PHONE, "height": 800})
    page = opened.page
    opened.goto(path)
    header = page.evaluate(HEADER)
    assert header["rows"] == 1 and header["right"] <= PHONE, header
    assert header["current"] == current

    toggle = page.locator(".theme-toggle")
    assert toggle.get_attribute("aria-label") == "Switch to dark theme"
    assert toggle.locator("svg.moon").is_visible() and toggle.inner_text().strip() == ""


def test_the_home_page_leads_with_the_site_description_and_the_newest_article(
    open_page: OpenPage,
):
    opened = open_page()
    page = opened.page
    opened.goto("/")
    assert page.locator("h1").inner_text() == "Articles with live charts and diagrams."
    first = page.locator(".cards > .card").first
    assert "featured" in first.get_attribute("class")
    assert first.locator(".kicker").inner_text().casefold() == "latest"
    assert page.locator(".card.featured").count() == 1


# For each "·" in a meta line: shown in the gap after an item on its own line, or clipped at the
# start of a line; never the last thing on a line.
SEPARATORS = """meta => {
  const box = meta.getBoundingClientRect();
  return [...meta.querySelectorAll(".sep")].map(sep => {
    const item = sep.parentElement, before = item.previousElementSibling;
    const dot = sep.getBoundingClientRect(), text = item.getBoundingClientRect();
    const sameLine = Math.abs(before.getBoundingClientRect().top - text.top) < 2;
    if (dot.right <= box.left + 0.5) return "clipped";
    return sameLine && Math.abs(dot.top - text.top) < 2 ? "between" : `stray at ${dot.left}`;
  });
}"""


@pytest.mark.parametrize("width", [PHONE, 400, 1280])
def test_the_meta_line_never_breaks_after_a_separator(open_page: OpenPage, width: int):
    opened = open_page(viewport={"width": width, "height": 800})
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    meta = opened.page.locator(".article-head .meta")
    placed = meta.evaluate(SEPARATORS)
    assert set(placed) <= {"between", "clipped"}, placed
    assert len(placed) == 3
    if width == PHONE:
        assert "clipped" in placed  # the line wraps there, and the "·" of the new line hides


def test_markdown_tables_span_the_text_and_align_numbers(open_page: OpenPage):
    opened = open_page()
    page = opened.page
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    table = page.locator(".prose > .table-scroll > table")
    width = "el => el.getBoundingClientRect().width"
    assert table.evaluate(width) == page.locator(".prose").evaluate(width)
    median = table.locator("tbody td").nth(1)
    assert median.evaluate("td => getComputedStyle(td).textAlign") == "right"
    assert median.evaluate("td => getComputedStyle(td).fontVariantNumeric") == "tabular-nums"


def test_on_a_phone_tables_and_code_scroll_inside_themselves_with_a_cue(open_page: OpenPage):
    opened = open_page(viewport={"width": PHONE, "height": 800})
    page = opened.page
    scrollers = ((LATENCY_SLUG, ".prose > .table-scroll"), (ROUGH_SLUG, ".prose .highlight pre"))
    for slug, box in scrollers:
        opened.goto(f"/insights/{slug}/")
        scroller = page.locator(box).first
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth"), slug
        shade = scroller.evaluate("el => getComputedStyle(el).backgroundImage")
        assert shade.count("radial-gradient") == 2, slug  # a shade at each edge it can go to
        assert page.evaluate("document.scrollingElement.scrollWidth") == PHONE, slug


def test_a_code_block_names_its_language_and_its_button_copies_the_code(open_page: OpenPage):
    opened = open_page()
    page = opened.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    block = page.locator(".prose .highlight")
    assert block.locator(".code-lang").inner_text() == "python"

    block.get_by_role("button", name="Copy code").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == block.locator("pre code").inner_text().rstrip("\n")
    assert copied.startswith("from functools import lru_cache")
    assert block.get_by_role("button", name="Code copied").inner_text() == "Copied"
    assert block.get_by_role("status").inner_text() == "Code copied to the clipboard"
    assert opened.watch.problems() == []


def test_the_footnotes_open_under_one_light_rule(open_page: OpenPage):
    opened = open_page()
    page = opened.page
    opened.goto(f"/insights/{LATENCY_SLUG}/")
    rule = page.locator(".footnote hr")
    style = rule.evaluate(
        "hr => { const s = getComputedStyle(hr); "
        "return [s.borderTopWidth, s.borderBottomWidth, s.borderLeftWidth, "
        "hr.getBoundingClientRect().height]; }"
    )
    assert style == ["1px", "0px", "0px", 1]
    assert (
        page.locator(".article-nav").evaluate("nav => getComputedStyle(nav).borderTopWidth")
        == "0px"
    )
