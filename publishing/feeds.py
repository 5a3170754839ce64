"""Feeds of published articles: RSS 2.0 and Atom 1.0 through feedgen, JSON Feed 1.1 as a dict.

The builders are pure functions of a ``Channel`` and its ``Entry`` list with no clock inside: the
same articles give the same bytes in every worker and after every restart, so the ETag holds.
"""

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from publishing.article import Article
from publishing.cards import Card
from publishing.feed_content import feed_html
from publishing.html_tree import NOT_XML

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"

# feedgen writes each RSS date by switching the whole process to the C locale and back; two
# threads doing that at once can interleave and leave the process in the wrong locale.
_LOCALE_SWITCH = threading.Lock()


def xml_safe(text: str) -> str:
    """``text`` without the control characters that XML 1.0 cannot carry (a 500 otherwise)."""
    return NOT_XML.sub("", text)


@dataclass(frozen=True)
class Channel:
    """What a feed says of itself."""

    title: str
    description: str
    language: str
    author: str
    home_url: str  # the page the feed follows: the front page, or a tag's page
    feed_urls: Mapping[str, str]  # "rss", "atom", "json" -> that feed's absolute URL
    updated: datetime  # the newest change among the entries


@dataclass(frozen=True)
class Image:
    """The picture an entry is shared with (its cover or its card), at an absolute URL."""

    url: str
    content_type: str
    size: int  # bytes
    width: int
    height: int


@dataclass(frozen=True)
class Entry:
    """One article as every feed format shows it; its texts are already XML-safe."""

    id: str
    url: str
    title: str
    published: datetime
    updated: datetime
    author: str
    tags: tuple[str, ...]
    summary: str
    content_html: str
    image: Image | None = None


def permanent_id(article: Article, url: str) -> str:
    """The author's ``id``, or a tag: URI (RFC 4151) of the site's host, the date and the path.

    The title is not part of it, so a retitled article never shows as new in a reader.
    """
    if article.id:
        return article.id
    parts = urlsplit(url)
    return f"tag:{parts.hostname},{article.date.date().isoformat()}:{parts.path}"


def entry(card: Card, url: str, image: Image | None = None) -> Entry:
    """The feed entry for ``card``'s article, which lives at the absolute ``url`` and is
    shared with ``image``."""
    article = card.article
    return Entry(
        id=permanent_id(article, url),
        url=url,
        title=xml_safe(article.title),
        published=article.date,
        updated=article.modified,
        author=xml_safe(article.author),
        tags=tuple(xml_safe(tag) for tag in article.tags),
        summary=xml_safe(card.summary),
        content_html=xml_safe(feed_html(card.rendered.html, url)),
        image=image,
    )


def channel(
    *,
    title: str,
    description: str,
    language: str,
    author: str,
    home_url: str,
    feed_urls: Mapping[str, str],
    entries: Sequence[Entry],
    changed: datetime,
    tag_name: str | None = None,
) -> Channel:
    """The feed of the site called ``title``, or with ``tag_name`` the feed of one of its tags.

    ``changed`` (when the site last changed) dates an empty feed, which has no entry to take
    its date from.
    """
    site, description = title, description or title
    if tag_name is not None:
        title, description = f"#{tag_name} · {site}", f"Articles tagged {tag_name} on {site}."
    return Channel(
        title=xml_safe(title),
        description=xml_safe(description),
        language=language,
        author=xml_safe(author),
        home_url=home_url,
        feed_urls=feed_urls,
        updated=max((e.updated for e in entries), default=changed),
    )


class _AtomEnclosure(BaseEntryExtension):
    """An Atom entry's ``<link rel="enclosure">``: feedgen 1.0 writes only the ``href`` of an
    entry's links (its loop reads the element it just made instead of the link it was given)."""

    def __init__(self) -> None:
        self.image: Image | None = None

    def extend_atom(self, entry: Any) -> Any:
        if self.image is not None:
            image = self.image
            attributes = {"rel": "enclosure", "type": image.content_type, "length": str(image.size)}
            xml_elem("link", entry, href=image.url, **attributes)
        return entry


def _generator(feed: Channel, entries: Sequence[Entry], kind: str) -> FeedGenerator:
    generator = FeedGenerator()
    generator.load_extension("dc", atom=False, rss=True)  # RSS <author> must be an email
    generator.load_extension("media", atom=False, rss=True)
    generator.register_extension("cover", BaseExtension, _AtomEnclosure, atom=True, rss=False)
    generator.id(feed.home_url)
    generator.title(feed.title)
    # RSS's channel <description>, like an item's, is read as HTML; Atom's subtitle is text.
    generator.subtitle(escape(feed.description, quote=False) if kind == "rss" else feed.description)
    generator.language(feed.language)
    generator.author(name=feed.author)
    home = {"href": feed.home_url, "rel": "alternate", "type": "text/html"}
    own = {"href": feed.feed_urls[kind], "rel": "self", "type": FORMATS[kind].media_type}
    # Atom wants the alternate link first; feedgen makes RSS's <link> of the last one added.
    generator.link([own, home] if kind == "rss" else [home, own])
    generator.updated(feed.updated)
    for item in entries:
        out = generator.add_entry(order="append")
        out.guid(item.id, permalink=item.id == item.url)
        out.title(item.title)
        out.link(href=item.url, rel="alternate", type="text/html")
        out.published(item.published)
        out.updated(item.updated)
        out.author(name=item.author)
        out.dc.dc_creator(item.author)
        for tag in item.tags:
            out.category(term=tag)
        if item.summary:
            out.summary(item.summary, type="text")
            # RSS has no plain-text field for it: <description> is HTML, so the text is escaped.
            out.description(escape(item.summary, quote=False))
        out.content(item.content_html, type="html")
        if item.image is not None:
            _add_image(out, item.image, kind)
    return generator


def _add_image(out: Any, image: Image, kind: str) -> None:
    """Media RSS's ``media:content`` in RSS (an ``<enclosure>`` would ask podcast clients to
    download it), an enclosure link in Atom."""
    if kind == "rss":
        out.media.content(
            url=image.url,
            type=image.content_type,
            medium="image",
            fileSize=str(image.size),
            width=str(image.width),
            height=str(image.height),
            group=None,
        )
    else:
        out.cover.image = image


def rss(feed: Channel, entries: Sequence[Entry]) -> bytes:
    generator = _generator(feed, entries, "rss")
    with _LOCALE_SWITCH:
        return generator.rss_str(pretty=False)


def atom(feed: Channel, entries: Sequence[Entry]) -> bytes:
    return _generator(feed, entries, "atom").atom_str(pretty=False)


def json_feed(feed: Channel, entries: Sequence[Entry]) -> dict[str, Any]:
    """The JSON Feed 1.1 document, as a dict ready for ``json.dumps``."""
    items = []
    for item in entries:
        fields: dict[str, Any] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_html": item.content_html,
            "date_published": item.published.isoformat(),
            "date_modified": item.updated.isoformat(),
            "authors": [{"name": item.author}],
            "tags": list(item.tags),
        }
        if item.summary:
            fields["summary"] = item.summary
        if item.image is not None:
            fields["image"] = item.image.url
        items.append(fields)
    return {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.feed_urls["json"],
        "description": feed.description,
        "language": feed.language,
        "authors": [{"name": feed.author}],
        "items": items,
    }


def json_bytes(feed: Channel, entries: Sequence[Entry]) -> bytes:
    return json.dumps(json_feed(feed, entries), ensure_ascii=False).encode()


@dataclass(frozen=True)
class FeedFormat:
    label: str
    media_type: str
    build: Callable[[Channel, Sequence[Entry]], bytes]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


FORMATS: dict[str, FeedFormat] = {
    "rss": FeedFormat("RSS", "application/rss+xml", rss),
    "atom": FeedFormat("Atom", "application/atom+xml", atom),
    "json": FeedFormat("JSON Feed", "application/feed+json", json_bytes),
}
