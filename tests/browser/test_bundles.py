"""An article's own images in Chromium: their space reserved before they load, a phone given a
small variant instead of the original, the caption shown, and an SVG that cannot run script."""

import re

import pytest
from playwright.sync_api import Route

from tests.browser.conftest import PHOTO_SIZE, PHOTO_SLUG, OpenPage

pytestmark = pytest.mark.browser

PAGE = f"/insights/{PHOTO_SLUG}/"
VARIANT = re.compile(r"/_/aisle-(\d+)-[0-9a-f]{20}\.(webp|jpg)$")
FIRST_PHOTO = ".prose figure img"
# Resolves once the image has loaded (evaluated, not eval'd: the site's CSP forbids eval).
LOADED = """image => image.complete && image.naturalWidth > 0
    || new Promise(done => image.addEventListener("load", done, {once: true}))"""


def test_the_photo_keeps_its_box_while_it_loads_and_shows_its_caption(open_page: OpenPage):
    opened = open_page()
    page = opened.page
    held: list[Route] = []
    photo_url = re.compile(r"/insights/field-photos/(_/)?aisle")
    page.route(photo_url, lambda route: held.append(route))  # answered only once measured
    with page.expect_request(photo_url):
        opened.goto(PAGE, wait_until="domcontentloaded")
    photo = page.locator(FIRST_PHOTO)
    assert photo.evaluate("image => image.naturalWidth") == 0  # not loaded yet
    before = photo.bounding_box()
    for route in held:
        route.continue_()
    photo.evaluate(LOADED)
    after = photo.bounding_box()
    width, height = PHOTO_SIZE
    # Within a pixel: a variant's height is rounded to whole pixels, so its ratio is not quite
    # the original's that width and height reserved (504 px against 503.8 here).
    assert before["y"] == after["y"] and before["width"] == after["width"]
    assert before["height"] == pytest.approx(after["height"], abs=1)
    assert after["height"] == pytest.approx(after["width"] * height / width, abs=1)
    assert after["width"] == pytest.approx(756, abs=1)  # the text column at 1280 px
    caption = page.locator(".prose figure figcaption")
    assert caption.is_visible() and caption.inner_text() == "The cold aisle, as the tour began"
    assert caption.bounding_box()["y"] >= after["y"] + after["height"]
    assert opened.watch.problems() == []


@pytest.mark.parametrize("scale", [2, 3])
def test_a_360_px_phone_downloads_a_small_variant_not_the_original(open_page: OpenPage, scale: int):
    opened = open_page(
        viewport={"width": 360, "height": 740},
        device_scale_factor=scale,
        is_mobile=True,
        has_touch=True,
    )
    opened.goto(PAGE)
    page = opened.page
    page.locator(FIRST_PHOTO).evaluate(LOADED)
    shown = page.locator(FIRST_PHOTO).bounding_box()["width"]
    photos = [url for url in opened.watch.requests if "/aisle" in url]
    assert len(photos) == 1, photos
    found = VARIANT.search(photos[0])
    assert found, f"the original was downloaded: {photos[0]}"
    width, kind = int(found[1]), found[2]
    assert kind == "webp"
    assert width <= 2 * shown * scale
    assert page.locator(FIRST_PHOTO).evaluate("image => image.currentSrc") == photos[0]
    assert opened.watch.problems() == []


def test_an_svg_of_the_article_opened_directly_runs_no_script(open_page: OpenPage):
    opened = open_page()
    page = opened.page
    response = opened.goto(f"{PAGE}floor-plan.svg")
    assert "sandbox" in response.headers["content-security-policy"]
    assert page.locator("rect").count() == 1  # the drawing itself is shown
    # The script in it would retitle the document and set a global.
    assert page.title() != "svg script ran"
    assert page.evaluate("window.svgRan") is None
