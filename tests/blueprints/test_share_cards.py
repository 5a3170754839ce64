"""Covers and share cards as pages and crawlers see them: the cover on the article and its
list entries, the Open Graph and Twitter tags, and the card's own URL."""

import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from PIL import Image

from tests.support.bundles import image_bytes, truncated_png, write_bundle
from tests.support.pages import soup
from tests.support.site import REFERENCE_SLUG, SITE_URL, ArticleWriter

COVER = image_bytes(1600, 900, "JPEG")


@pytest.fixture
def covered(content_dir: Path) -> str:
    front = "image: cover.jpg\nimage_alt: A teal field\ntags: [Photos]\nseries: Photos\n"
    write_bundle(content_dir, "photo-story", "Text.\n", {"cover.jpg": COVER}, "Photo", front=front)
    return "photo-story"


def meta(page, name: str) -> str | None:
    found = page.select_one(f'meta[property="{name}"], meta[name="{name}"]')
    return found["content"] if found else None


def test_an_article_with_a_cover_shows_it_and_shares_it(client: FlaskClient, covered: str) -> None:
    page = soup(client.get(f"/insights/{covered}/"))
    cover = page.select_one("article > picture > img.cover")
    assert cover is not None
    assert (cover["src"], cover["alt"]) == (f"/insights/{covered}/cover.jpg", "A teal field")
    assert (cover["width"], cover["height"], cover["decoding"]) == ("1600", "900", "async")
    assert not cover.has_attr("loading")  # the first thing seen: never lazy
    # Wider than the text column: a phone gets a resized copy, as of an image in the text.
    webp = page.select_one("article > picture > source[type='image/webp']")
    assert webp["sizes"] == cover["sizes"]
    assert cover["srcset"].endswith("cover.jpg 1600w")
    for srcset in (webp["srcset"], cover["srcset"]):
        for candidate in srcset.split(", "):
            url, width = candidate.split(" ")
            response = client.get(f"/insights/{covered}/{url}")
            assert response.status_code == 200, url
            with Image.open(io.BytesIO(response.data)) as image:
                assert f"{image.width}w" == width, url
    url = f"{SITE_URL}/insights/{covered}/cover.jpg"
    assert meta(page, "og:image") == meta(page, "twitter:image") == url
    assert meta(page, "og:image:type") == "image/jpeg"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1600", "900")
    assert meta(page, "og:image:alt") == meta(page, "twitter:image:alt") == "A teal field"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert client.get(url.removeprefix(SITE_URL)).data == COVER


def test_an_article_without_a_cover_is_shared_with_its_card(client: FlaskClient) -> None:
    page = soup(client.get(f"/insights/{REFERENCE_SLUG}/"))
    assert page.select_one("img.cover") is None
    url = meta(page, "og:image")
    assert url and url.startswith(f"{SITE_URL}/insights/{REFERENCE_SLUG}/_/card-")
    assert meta(page, "og:image:type") == "image/png"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "og:image:alt") == "Why Open-Source AI Models Are Winning in 2026"
    assert meta(page, "twitter:card") == "summary_large_image"
    response = client.get(url.removeprefix(SITE_URL))
    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["ETag"]
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)
    again = client.get(
        url.removeprefix(SITE_URL), headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_a_card_follows_its_title(client: FlaskClient, write_article: ArticleWriter) -> None:
    write_article("retitled", "title: Old title\ndate: 2026-01-02\n")
    old = meta(soup(client.get("/insights/retitled/")), "og:image")
    write_article("retitled", "title: New title\ndate: 2026-01-02\n")
    new = meta(soup(client.get("/insights/retitled/")), "og:image")
    assert old and new and old != new
    assert client.get(new.removeprefix(SITE_URL)).status_code == 200
    assert client.get(old.removeprefix(SITE_URL)).status_code == 404  # not this article's now


@pytest.mark.parametrize(
    "path",
    [
        f"/insights/{REFERENCE_SLUG}/_/card-{'0' * 20}.png",
        f"/insights/{REFERENCE_SLUG}/_/card-..%2F..%2Fapp.py.png",
        f"/insights/{REFERENCE_SLUG}/_/card-.png",
        "/insights/no-such-article/_/card-0123456789abcdef0123.png",
    ],
)
def test_a_bad_card_name_is_a_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_a_card_is_only_for_its_own_article(client: FlaskClient, covered: str) -> None:
    url = meta(soup(client.get(f"/insights/{REFERENCE_SLUG}/")), "og:image")
    assert url is not None
    name = url.rsplit("/", 1)[1]
    assert client.get(f"/insights/{covered}/_/{name}").status_code == 404


@pytest.mark.parametrize("path", ["/", "/tags/photos/", "/search/?q=photo", "/series/photos/"])
def test_list_entries_show_a_small_lazy_cover(client: FlaskClient, covered: str, path) -> None:
    page = soup(client.get(path))
    thumbs = page.select("li.card img.card-cover")
    assert len(thumbs) == 1
    thumb = thumbs[0]
    # A 1600 px cover is shown through its smallest variant, made for bundle images.
    assert thumb["src"].startswith(f"/insights/{covered}/_/cover-640-")
    assert thumb["src"].endswith(".webp")
    variant = client.get(thumb["src"])
    assert (variant.status_code, variant.content_type) == (200, "image/webp")
    assert (thumb["width"], thumb["height"], thumb["loading"]) == ("1600", "900", "lazy")
    assert thumb["alt"] == ""  # the title beside it says it


def test_a_small_cover_is_listed_as_it_is(client: FlaskClient, content_dir: Path) -> None:
    small = image_bytes(600, 400)
    write_bundle(
        content_dir, "small-one", "Text.\n", {"c.png": small}, "Small", front="image: c.png\n"
    )
    thumb = soup(client.get("/")).select_one("li.card img.card-cover")
    assert thumb is not None and thumb["src"] == "/insights/small-one/c.png"


def test_a_broken_cover_costs_the_cover_not_the_page(
    client: FlaskClient, content_dir: Path
) -> None:
    files = {"cover.png": b"not a png"}
    write_bundle(content_dir, "broken", "Text.\n", files, "Broken", front="image: cover.png\n")
    response = client.get("/insights/broken/")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("img.cover") is None
    assert "/_/card-" in (meta(page, "og:image") or "")


def test_a_card_that_cannot_be_made_leaves_the_page_without_og_image(
    app, client: FlaskClient, tmp_path: Path, write_article: ArticleWriter
) -> None:
    from extensions import share_images

    blocker = tmp_path / "a-file"
    blocker.write_text("where the cards folder should be")
    share_images(app).cards_dir = blocker / "cards"
    write_article("uncarded", "title: No card for this one\ndate: 2026-01-02\n")
    response = client.get("/insights/uncarded/")
    assert response.status_code == 200
    page = soup(response)
    assert meta(page, "og:image") is None and meta(page, "twitter:image") is None
    assert meta(page, "twitter:card") == "summary"


def test_a_cover_whose_pixels_stop_short_breaks_no_list_feed_or_page(
    client: FlaskClient, content_dir: Path
) -> None:
    front = "image: cover.png\nimage_alt: A cover\ntags: [Cut]\n"
    write_bundle(content_dir, "cut", "Text.\n", {"cover.png": truncated_png()}, "Cut", front=front)
    for path in ("/", "/feed.xml", "/atom.xml", "/feed.json", "/tags/cut/", "/insights/cut/"):
        assert client.get(path).status_code == 200, path
    assert "Text." in soup(client.get("/insights/cut/")).select_one("article").get_text()
