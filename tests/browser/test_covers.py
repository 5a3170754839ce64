"""Covers in Chromium: the article's cover loads in the space its width and height reserve, at
desktop and phone width, and list entries show it small and lazy."""

from pathlib import Path

import pytest

from tests.browser.conftest import COVER_SIZE, COVER_SLUG, OpenPage

pytestmark = pytest.mark.browser

RATIO = COVER_SIZE[1] / COVER_SIZE[0]


def box(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector,
        """image => {
            const box = image.getBoundingClientRect();
            return {width: box.width, height: box.height, natural: image.naturalWidth,
                    complete: image.complete, ratio: getComputedStyle(image).aspectRatio,
                    source: image.currentSrc,
                    loading: image.loading, scroll: document.documentElement.scrollWidth,
                    viewport: document.documentElement.clientWidth};
        }""",
    )


@pytest.mark.parametrize("width", [1280, 360])
def test_the_cover_shows_in_the_space_it_reserved(open_page: OpenPage, width: int) -> None:
    opened = open_page(viewport={"width": width, "height": 800})
    opened.goto(f"/insights/{COVER_SLUG}/")
    found = box(opened.page, "article > picture > img.cover")
    assert found["complete"] and found["natural"] > 0  # it loaded
    # A resized copy (WebP) when the original is more than the screen needs, never smaller
    # than the box it fills.
    assert found["source"].endswith(".webp") or found["natural"] == COVER_SIZE[0]
    assert found["width"] <= found["natural"] <= max(2 * found["width"], 640)
    # Chromium turns the width and height attributes into the box's ratio before any byte of
    # the picture arrives: that is the space kept for it.
    assert found["ratio"] == f"auto {COVER_SIZE[0]} / {COVER_SIZE[1]}"
    assert found["height"] == pytest.approx(found["width"] * RATIO, abs=1)
    assert found["width"] <= width
    assert found["scroll"] <= found["viewport"]  # no sideways scrolling
    assert found["loading"] == "auto"
    assert opened.watch.problems() == []


@pytest.mark.parametrize("width", [1280, 360])
def test_list_entries_show_the_cover_small_and_lazy(
    open_page: OpenPage, screenshots: Path, width: int
) -> None:
    opened = open_page(viewport={"width": width, "height": 800})
    opened.goto("/")
    thumb = "li.card img.card-cover"
    found = box(opened.page, thumb)
    assert found["loading"] == "lazy"
    assert found["ratio"] == f"auto {COVER_SIZE[0]} / {COVER_SIZE[1]}"
    assert 100 <= found["width"] <= 200
    assert found["height"] == pytest.approx(found["width"] * RATIO, abs=1)
    assert found["scroll"] <= found["viewport"]
    opened.page.locator(thumb).scroll_into_view_if_needed()
    # A polling wait would evaluate a string, which the page's CSP forbids: wait for "load".
    opened.page.locator(thumb).evaluate(
        """image => image.complete && image.naturalWidth ? true
             : new Promise(done => image.addEventListener("load", () => done(true)))"""
    )
    assert box(opened.page, thumb)["natural"] == 640  # its small variant, not the original
    opened.page.screenshot(path=screenshots / f"covers-home-{width}-light.png", full_page=True)
    assert opened.watch.problems() == []
