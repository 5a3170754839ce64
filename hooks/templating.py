"""What every template can use: the site's settings, absolute URLs, asset URLs, date formats."""

from datetime import datetime
from typing import Any
from urllib.parse import quote

from flask import Flask, request, url_for

from extensions import renderer, settings, share_images, static_build
from publishing.article import Article
from publishing.covers import Cover
from publishing.feeds import FORMATS
from publishing.image_variants import SIZES, Variants
from publishing.share_images import ShareImage


def site_url() -> str:
    """The configured public base URL, or the one this request came in on."""
    return (settings().site_url or request.host_url).rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    return site_url() + url_for(endpoint, **values)


def page_url(number: int) -> str:
    """The URL of page ``number`` of the list this request shows (page 1 has no number)."""
    args = {**(request.view_args or {}), "page": number if number > 1 else None}
    return url_for(request.endpoint or "site.index", **args)


def asset(filename: str) -> str:
    """The file's URL under the current static build: cached for a year, new on any change."""
    return url_for("static", filename=static_build().url_path(filename))


def cover_of(article: Article) -> Cover | None:
    """The article's cover when it can be used (its faults are ``check``'s to name)."""
    return share_images().cover(article)


def image_path(article: Article, image: Cover | ShareImage) -> str:
    """The URL path of an article's cover or share card."""
    if image.kind == "card":
        return url_for("share_cards.card", slug=article.slug, digest=image.name)
    if image.kind == "static":
        return asset(image.name)
    return url_for("bundles.bundle_file", slug=article.slug, name=image.name)


def _resized(cover: Cover) -> Variants | None:
    """The cover's variants, when it has any and they are made: never URLs that cannot be
    answered (an image whose variants failed, a site that makes none)."""
    images = renderer().images
    if images is None or cover.variants is None or not images.ready(cover.variants):
        return None
    return cover.variants


def small_image_path(article: Article, cover: Cover) -> str:
    """The URL path of a list entry's cover: a small variant of a large one, when variants are
    made at all, else the cover itself."""
    if _resized(cover) is None or cover.small is None:
        return image_path(article, cover)
    return url_for("site.article", slug=article.slug) + cover.small


def cover_srcsets(cover: Cover) -> dict[str, str] | None:
    """The ``srcset`` of the WebP ``<source>`` and of the ``<img>`` of a large cover at the top
    of its article (URLs relative to the article's page), and their ``sizes``; None for a
    cover shown as it is."""
    variants = _resized(cover)
    if variants is None:
        return None
    own = variants.srcset(variants.extension, quote(cover.name))
    return {"webp": variants.srcset("webp"), "own": own, "sizes": SIZES}


def share_image(article: Article) -> tuple[ShareImage, str] | None:
    """What the article is shared with (its cover, else its card) and that image's absolute
    URL; None when there is neither."""
    image = share_images().for_article(article, longdate(article.date), settings().site_title)
    return None if image is None else (image, site_url() + image_path(article, image))


def this_year() -> int:
    """The year of the footer's copyright line, in the site's time zone."""
    return datetime.now(settings().timezone).year


def longdate(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


# (endpoint, format) of each feed, for the templates' <link rel="alternate"> tags and links.
FEED_FORMATS = [(f"feeds.{name}", kind) for name, kind in FORMATS.items()]


def register(app: Flask) -> None:
    app.add_template_global(settings(app), "settings")  # settings.site_title, …
    app.add_template_global(FEED_FORMATS, "feed_formats")
    app.add_template_global(absolute_url)
    app.add_template_global(asset)
    app.add_template_global(cover_of)
    app.add_template_global(image_path)
    app.add_template_global(share_image)
    app.add_template_global(small_image_path)
    app.add_template_global(cover_srcsets)
    app.add_template_global(page_url)
    app.add_template_global(site_url)
    app.add_template_global(this_year)
    app.add_template_filter(longdate)
    app.add_template_filter(datetime.isoformat, "isodate")
