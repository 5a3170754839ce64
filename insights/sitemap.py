"""The sitemap of the public site (lists, tag pages, articles) and the robots.txt that points to it.

Places are named by Flask endpoint and values so the view alone turns them into absolute URLs.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from insights.article import Article
from insights.library import Snapshot
from insights.listing import paginate

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@dataclass(frozen=True)
class Place:
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    lastmod: datetime | None = None  # None: nothing on the page has a date (an empty list)


def _newest(articles: Sequence[Article]) -> datetime | None:
    return max((article.modified for article in articles), default=None)


def _list_pages(
    endpoint: str, values: dict[str, Any], articles: list[Article], per_page: int
) -> list[Place]:
    first = paginate(articles, 1, per_page)
    assert first is not None  # page 1 exists even for an empty list
    newest = _newest(articles)
    return [
        Place(endpoint, {**values, "page": number if number > 1 else None}, newest)
        for number in range(1, first.count + 1)
    ]


def places(snapshot: Snapshot, now: datetime, per_page: int) -> list[Place]:
    """Every page a search engine should know: lists, tags and articles that are public now.

    Drafts and scheduled articles are never listed, whatever the site shows in preview.
    """
    public = snapshot.visible(now)
    found = _list_pages("site.index", {}, public, per_page)
    found.append(Place("site.tags", {}, _newest(public)))
    for tag in snapshot.tags(now):
        found += _list_pages("site.tag", {"tag": tag}, snapshot.tagged(tag, now), per_page)
    found += [Place("site.article", {"slug": a.slug}, a.modified) for a in public]
    return found


def sitemap_xml(urls: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A sitemaps.org urlset of (absolute URL, last modified) pairs."""
    root = ElementTree.Element("urlset", xmlns=SITEMAP_NS)
    for location, lastmod in urls:
        url = ElementTree.SubElement(root, "url")
        ElementTree.SubElement(url, "loc").text = location
        if lastmod is not None:
            ElementTree.SubElement(url, "lastmod").text = lastmod.isoformat(timespec="seconds")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def robots_txt(sitemap_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
