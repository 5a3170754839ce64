"""Diagrams in Chromium: in the site's palette, font and card in both themes; legible on a phone,
scrolling inside their own frame and opening full screen; a broken one shown as an error box."""

import pytest
from playwright.sync_api import Page

from tests.browser.chromium import draw_diagrams, listing, median
from tests.browser.conftest import ROUGH_SLUG, SAMPLE_SLUGS, OpenPage
from tests.browser.test_theme import toggle
from tests.support.site import REFERENCE_SLUG

pytestmark = pytest.mark.browser

PHONE = 360
LEGIBLE_PX = 12

# The rendered height of every label of a drawn diagram.
LABEL_HEIGHTS = """block => [...block.querySelectorAll("svg text")]
  .filter(text => text.textContent.trim())
  .map(text => text.getBoundingClientRect().height)"""


def diagram_pages() -> list[str]:
    return [*SAMPLE_SLUGS, ROUGH_SLUG]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_on_a_phone_labels_stay_legible_and_the_page_never_scrolls_sideways(
    open_page: OpenPage, theme: str
):
    opened = open_page(viewport={"width": PHONE, "height": 800}, color_scheme=theme)
    page = opened.page
    report = {}
    for slug in diagram_pages():
        opened.goto(f"/insights/{slug}/")
        draw_diagrams(page)
        drawn = page.locator("pre.mermaid.diagram-drawn")
        heights = drawn.evaluate_all(f"blocks => blocks.map({LABEL_HEIGHTS})")
        report[slug] = [
            f"diagram {i + 1}: " + (f"median label {median(h):.1f} px" if h else "no label")
            for i, h in enumerate(heights)
            if not h or median(h) < LEGIBLE_PX
        ]
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width != PHONE:
            report[slug].append(f"the page is {width} px wide")
    assert not any(report.values()), listing(report)


def open_full_screen(page: Page) -> None:
    page.get_by_role("button", name="Full screen").first.click()
    page.locator("dialog.diagram-dialog[open] svg").wait_for()


def back_in_place(page: Page) -> None:
    """Waits until no dialog is open and the diagram is back in its frame (the dialog's "close"
    event, which moves it back, comes a task after the dialog closes)."""
    page.wait_for_function(
        """() => !document.querySelector("dialog[open]") &&
          !!document.querySelector("pre.mermaid.diagram-drawn svg")"""
    )


def test_a_wide_diagram_scrolls_in_its_frame_with_a_cue_and_opens_full_screen(open_page: OpenPage):
    opened = open_page(viewport={"width": PHONE, "height": 800}, has_touch=True, is_mobile=True)
    page = opened.page
    url = opened.watch.origin + f"/insights/{ROUGH_SLUG}/"
    opened.goto(f"/insights/{ROUGH_SLUG}/")
    draw_diagrams(page)
    frame = page.locator("pre.mermaid.diagram-drawn")

    assert frame.evaluate("pre => pre.scrollWidth > pre.clientWidth")
    assert frame.get_attribute("tabindex") == "0"
    assert page.locator(".diagram-hint").is_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") == PHONE

    open_full_screen(page)
    dialog = page.locator("dialog.diagram-dialog")
    assert dialog.evaluate("dialog => dialog.matches(':modal')")
    assert frame.locator("svg").count() == 0  # moved, not copied: no id appears twice
    page.keyboard.press("Escape")
    back_in_place(page)
    assert page.url == url

    open_full_screen(page)
    page.go_back()  # the back gesture closes the diagram and stays on the page
    back_in_place(page)
    assert page.url == url

    open_full_screen(page)
    page.get_by_role("button", name="Close").click()
    back_in_place(page)
    assert page.url == url
    assert opened.watch.problems() == []


def test_a_diagram_mermaid_cannot_parse_shows_the_error_box_with_its_message(
    open_page: OpenPage,
):
    opened = open_page()
    page = opened.page
    opened.goto(f"/insights/{ROUGH_SLUG}/")
    diagrams = draw_diagrams(page)

    assert [d.failed is not None for d in diagrams] == [False, True]
    box = page.locator("pre.mermaid.diagram-failed + .render-error")
    assert box.get_attribute("role") == "note"  # the chart error box's class and role
    message = box.inner_text()
    assert message.startswith("Diagram not shown: Parse error on line")
    assert "Expecting" in message  # Mermaid's whole message, not its first line only
    assert box.locator("pre code").inner_text() == diagrams[1].source
    assert page.locator("pre.mermaid.diagram-failed").is_hidden()


# The colours and font the page defines, and those a drawn flowchart node uses.
PALETTE = """() => {
  const probe = document.createElement("span");
  document.body.append(probe);
  const colour = name => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  const names = ["--accent-soft", "--accent", "--text"];
  const found = Object.fromEntries(names.map(name => [name, colour(name)]));
  probe.remove();
  found.font = getComputedStyle(document.body).fontFamily;
  return found;
}"""
NODE_LOOK = """block => {
  const shape = getComputedStyle(block.querySelector("g.node rect"));
  const label = getComputedStyle(block.querySelector("g.node text"));
  return {"--accent-soft": shape.fill, "--accent": shape.stroke, "--text": label.fill,
          font: label.fontFamily};
}"""


def test_diagrams_take_the_sites_palette_font_and_card_in_both_themes(open_page: OpenPage):
    opened = open_page(color_scheme="light")
    page = opened.page
    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    draw_diagrams(page)
    diagram = page.locator("pre.mermaid")
    card = "el => { const s = getComputedStyle(el); return [s.borderTop, s.borderTopLeftRadius]; }"
    assert diagram.evaluate(card) == page.locator("figure.chart").evaluate(card)

    looks = {}
    for theme in ("light", "dark"):
        if theme == "dark":
            toggle(page)
            page.wait_for_function(
                "([block, before]) => block.matches('.diagram-drawn') && "
                "getComputedStyle(block.querySelector('g.node rect')).fill !== before",
                arg=[diagram.element_handle(), looks["light"]["--accent-soft"]],
            )
        looks[theme] = diagram.evaluate(NODE_LOOK)
        assert looks[theme] == page.evaluate(PALETTE), theme


PIE_SOURCE = """pie title Where a request's time goes
  "Queue" : 12
  "Prefill" : 30
  "Decode" : 41
  "Network" : 9
  "Logging" : 8
"""
# Each slice's fill and the page's background, as rgb() strings.
PIE_LOOK = """block => {
  const slices = [...block.querySelectorAll("path.pieCircle")].map(path => getComputedStyle(path));
  return {
    slices: slices.map(style => style.fill),
    opacity: slices.map(style => style.opacity),
    page: getComputedStyle(document.body).backgroundColor,
  };
}"""


def with_a_pie(page: Page, path: str) -> None:
    """Serves ``path`` with a Mermaid pie added at the top of the article's text."""

    def add_pie(route) -> None:
        answer = route.fetch()
        html = answer.text().replace(
            '<div class="prose">', f'<div class="prose"><pre class="mermaid">{PIE_SOURCE}</pre>', 1
        )
        route.fulfill(response=answer, body=html)

    page.route(f"**{path}", add_pie)


def test_pie_slices_differ_from_each_other_and_the_page_in_both_themes(open_page: OpenPage):
    opened = open_page(color_scheme="light")
    page = opened.page
    path = f"/insights/{ROUGH_SLUG}/"
    with_a_pie(page, path)
    opened.goto(path)
    draw_diagrams(page)
    pie = page.locator("pre.mermaid").first
    assert pie.locator("path.pieCircle").count() == 5

    looks: dict = {}
    for theme in ("light", "dark"):
        if theme == "dark":
            before = looks["slices"][0]
            toggle(page)
            page.wait_for_function(
                "([block, before]) => block.matches('.diagram-drawn') && "
                "getComputedStyle(block.querySelector('path.pieCircle')).fill !== before",
                arg=[pie.element_handle(), before],
            )
        looks = pie.evaluate(PIE_LOOK)
        assert len(set(looks["slices"])) == 5, (theme, looks)
        assert looks["page"] not in looks["slices"], (theme, looks)
        assert set(looks["opacity"]) == {"1"}, (theme, looks)  # no page showing through


# The diagram sources that scroll sideways but cannot take keyboard focus (axe's
# scrollable-region-focusable, which needs page scripts to run).
OUT_OF_REACH = """() => [...document.querySelectorAll("pre.mermaid")]
  .filter(pre => pre.scrollWidth > pre.clientWidth && pre.tabIndex < 0)
  .map(pre => pre.textContent.slice(0, 40))"""


def test_with_javascript_off_a_wide_diagrams_source_leaves_no_region_out_of_keyboard_reach(
    open_page: OpenPage,
):
    opened = open_page(viewport={"width": PHONE, "height": 800}, java_script_enabled=False)
    page = opened.page
    opened.goto(f"/insights/{ROUGH_SLUG}/")

    assert page.locator("pre.mermaid").count() == 2
    assert page.evaluate(OUT_OF_REACH) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") == PHONE
