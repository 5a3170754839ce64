"""Light and dark theme in Chromium: the toggle, its memory, the system preference, and redraws."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.browser.chromium import canvas_digests, draw_charts, draw_diagrams, listing, theme_of
from tests.browser.conftest import COVER_SLUG, CSV_CHART_SLUG, PHOTO_SLUG, SAMPLE_SLUGS, OpenPage
from tests.support.site import REFERENCE_SLUG

pytestmark = pytest.mark.browser

# The pages issue 13 changed: covers on the home page and an article, a photo, a CSV chart.
SWITCHED_PAGES = {
    "home": "/",
    "article-cover-story": f"/insights/{COVER_SLUG}/",
    "article-field-photos": f"/insights/{PHOTO_SLUG}/",
    "article-gpu-spend": f"/insights/{CSV_CHART_SLUG}/",
}

# Relative luminance of the page background (0 black .. 1 white), from its computed colour.
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number)
    .map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}"""

# The colours a drawn diagram uses: every shape's and text's computed fill and stroke.
DIAGRAM_COLOURS = """block => [...block.querySelectorAll("svg :is(rect, path, polygon, text)")]
  .map(shape => { const style = getComputedStyle(shape); return style.fill + "/" + style.stroke; })
  .join(";")"""


def looks(page: Page) -> str:
    """ "dark" or "light", judged by the background the visitor sees."""
    return "dark" if page.evaluate(BACKGROUND_LUMINANCE) < 0.2 else "light"


def toggle(page: Page) -> None:
    page.locator(".theme-toggle").click()


def test_the_toggle_switches_the_theme_and_every_page_remembers_it(open_page: OpenPage):
    opened = open_page(color_scheme="light")
    page = opened.page
    opened.goto(f"/insights/{REFERENCE_SLUG}/")
    assert (theme_of(page), looks(page)) == ("light", "light")
    assert page.locator(".theme-toggle").get_attribute("aria-label") == "Switch to dark theme"

    toggle(page)
    assert (theme_of(page), looks(page)) == ("dark", "dark")
    assert page.locator(".theme-toggle").get_attribute("aria-label") == "Switch to light theme"

    opened.goto("/tags/")
    assert (theme_of(page), looks(page)) == ("dark", "dark")

    toggle(page)
    opened.goto("/insights/")
    assert (theme_of(page), looks(page)) == ("light", "light")
    assert opened.watch.console_errors == opened.watch.page_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_with_no_choice_stored_the_page_follows_the_system(open_page: OpenPage, scheme: str):
    opened = open_page(color_scheme=scheme)
    page = opened.page
    opened.goto("/insights/")
    assert (theme_of(page), looks(page)) == (scheme, scheme)

    other = "light" if scheme == "dark" else "dark"
    page.emulate_media(color_scheme=other)
    page.wait_for_function("theme => document.documentElement.dataset.theme === theme", arg=other)
    assert looks(page) == other


def test_a_stored_choice_wins_over_the_system(open_page: OpenPage):
    opened = open_page(color_scheme="dark")
    page = opened.page
    opened.goto("/insights/")
    toggle(page)

    page.emulate_media(color_scheme="light")
    page.emulate_media(color_scheme="dark")
    page.reload()
    assert (theme_of(page), looks(page)) == ("light", "light")


def test_charts_and_diagrams_redraw_in_the_new_theme(open_page: OpenPage):
    redrawn = {}
    for slug in SAMPLE_SLUGS:
        opened = open_page(color_scheme="light")
        page = opened.page
        opened.goto(f"/insights/{slug}/")
        draw_charts(page)
        draw_diagrams(page)
        charts_before = canvas_digests(page)
        blocks = page.locator("pre.mermaid")
        diagrams_before = blocks.evaluate_all(f"blocks => blocks.map({DIAGRAM_COLOURS})")
        problems_before = opened.watch.problems()  # a clean load is the pages test's business

        toggle(page)
        page.wait_for_function(
            f"""([blocks, before]) => blocks.every((block, i) =>
              block.matches(".diagram-drawn") && ({DIAGRAM_COLOURS})(block) !== before[i])""",
            arg=[blocks.element_handles(), diagrams_before],
        )
        charts_after = canvas_digests(page)
        redrawn[slug] = [
            *(f"chart {i} kept its pixels" for i, d in enumerate(charts_after)
              if d == charts_before[i]),
            *(p for p in opened.watch.problems() if p not in problems_before),
        ]  # fmt: skip
    assert not any(redrawn.values()), listing(redrawn)


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_with_covers_photos_and_data_charts_switch_whole_and_are_photographed(
    open_page: OpenPage, screenshots: Path, width: int
):
    """Each starts light and is switched to dark by the toggle: the moment after a switch is
    what the full-page screenshots of a fixed theme do not show."""
    faults = {}
    for name, path in SWITCHED_PAGES.items():
        opened = open_page(viewport={"width": width, "height": 800}, color_scheme="light")
        page = opened.page
        opened.goto(path)
        draw_charts(page)
        toggle(page)
        page.wait_for_function("document.documentElement.dataset.theme === 'dark'")
        draw_charts(page)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=screenshots / f"{name}-{width}-switched-dark.png", full_page=True)
        faults[name] = [*opened.watch.problems(), *([] if looks(page) == "dark" else ["light"])]
    assert not any(faults.values()), listing(faults)
