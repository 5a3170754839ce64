"""The sitemap of the public site (lists, tags, articles, the archive, series) and robots.txt.

Places are named by Flask endpoint and values so the view alone turns them into absolute URLs.
One file may hold at most ``MAX_URLS`` URLs and ``MAX_BYTES`` bytes (sitemaps.org); a larger
site is cut into several urlsets, and /sitemap.xml becomes the index that lists them.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from publishing.library import View
from publishing.pagination import page_count

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024  # uncompressed
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_URLSET = (_DECLARATION + f'<urlset xmlns="{SITEMAP_NS}">'.encode(), b"</urlset>\n")
_INDEX = (_DECLARATION + f'<sitemapindex xmlns="{SITEMAP_NS}">'.encode(), b"</sitemapindex>\n")


@dataclass(frozen=True, slots=True)
class Place:
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    lastmod: datetime | None = None  # None: nothing on the page has a date (an empty list)


@dataclass(frozen=True)
class Urlset:
    """One sitemap file."""

    body: bytes
    lastmod: datetime | None  # the newest lastmod of its URLs


def _list_pages(
    endpoint: str, values: dict[str, Any], items: int, lastmod: datetime | None, per_page: int
) -> list[Place]:
    return [
        Place(endpoint, {**values, "page": number if number > 1 else None}, lastmod)
        for number in range(1, page_count(items, per_page) + 1)
    ]


def places(view: View, per_page: int) -> list[Place]:
    """Every page of ``view`` a search engine should know: lists, tags, articles, the archive
    and series.

    Give it the public view: drafts and scheduled articles are never listed, whatever the site
    shows in preview.
    """
    found = _list_pages("site.index", {}, len(view.articles), view.modified, per_page)
    found.append(Place("site.tags", {}, view.modified))
    for slug, tag in view.tags.items():
        found += _list_pages("site.tag", {"tag": slug}, tag.count, tag.modified, per_page)
    found += [Place("site.article", {"slug": a.slug}, a.modified) for a in view.articles]
    found.append(Place("site.archive", {}, view.modified))
    for slug, series in view.series.items():
        lastmod = max(part.modified for part in series.parts)
        found.append(Place("site.series", {"series": slug}, lastmod))
    return found


def _element(kind: str, location: str, lastmod: datetime | None) -> bytes:
    date = f"<lastmod>{lastmod.isoformat(timespec='seconds')}</lastmod>" if lastmod else ""
    return f"<{kind}><loc>{escape(location)}</loc>{date}</{kind}>".encode()


def _newest(a: datetime | None, b: datetime | None) -> datetime | None:
    return a if b is None or (a is not None and a >= b) else b


def urlsets(urls: Iterable[tuple[str, datetime | None]]) -> list[Urlset]:
    """(absolute URL, last modified) pairs as sitemaps.org urlsets: one file, or as many as the
    limits on one file need, each filled in turn."""
    head, tail = _URLSET
    found: list[Urlset] = []
    elements: list[bytes] = []
    size, newest = len(head) + len(tail), None
    for location, lastmod in urls:
        element = _element("url", location, lastmod)
        if elements and (len(elements) >= MAX_URLS or size + len(element) > MAX_BYTES):
            found.append(Urlset(b"".join([head, *elements, tail]), newest))
            elements, size, newest = [], len(head) + len(tail), None
        elements.append(element)
        size += len(element)
        newest = _newest(newest, lastmod)
    found.append(Urlset(b"".join([head, *elements, tail]), newest))
    return found


def sitemap_index(files: Iterable[tuple[str, datetime | None]]) -> bytes:
    """The sitemap index of (absolute URL, last modified) of each urlset file."""
    head, tail = _INDEX
    return b"".join([head, *(_element("sitemap", loc, lastmod) for loc, lastmod in files), tail])


def robots_txt(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
