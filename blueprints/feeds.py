"""Feeds for readers (site-wide and per tag), the sitemap and robots.txt.

All of them are public: drafts and scheduled articles stay out even when SHOW_DRAFTS is on.
"""

import functools
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, request

from blueprints.responses import conditional
from blueprints.templating import absolute_url, site_url
from insights.feeds import FORMATS, channel, entry
from insights.library import Snapshot, View
from insights.listing import card, page_number
from insights.sitemap import Urlset, places, robots_txt, sitemap_index, urlsets

bp = Blueprint("feeds", __name__)
# (endpoint, format) of each feed, for the templates' <link rel="alternate"> tags and links.
FEED_ENDPOINTS = [(f"feeds.{name}", kind) for name, kind in FORMATS.items()]
bp.add_app_template_global(FEED_ENDPOINTS, "feed_formats")


def _snapshot() -> Snapshot:
    return current_app.extensions["insights.library"].snapshot()


def _feed(kind: str, tag: str | None) -> Response:
    config = current_app.config
    snapshot, now = _snapshot(), datetime.now(UTC)
    view, tag_name = snapshot.view(now), None
    if tag is None:
        articles, home = view.articles, absolute_url("site.index")
    else:
        found = view.tags.get(tag)
        if found is None:
            abort(404)
        articles, tag_name = found.articles, found.name
        home = absolute_url("site.tag", tag=tag)
    words_per_minute = int(config["WORDS_PER_MINUTE"])
    entries = [
        entry(card(article, words_per_minute), absolute_url("site.article", slug=article.slug))
        for article in articles[: int(config["FEED_SIZE"])]
    ]
    urls = {name: absolute_url(f"feeds.{name}", tag=tag) for name in FORMATS}
    changed = snapshot.changed(now)
    feed = channel(config, home, urls, entries, changed, tag_name)
    kind_of = FORMATS[kind]
    return conditional(
        kind_of.build(feed, entries),
        changed,
        kind_of.content_type,
        int(config["FEED_MAX_AGE"]),
    )


@bp.get("/feed.xml", defaults={"tag": None})
@bp.get("/tags/<tag>/feed.xml")
def rss(tag: str | None) -> Response:
    return _feed("rss", tag)


@bp.get("/atom.xml", defaults={"tag": None})
@bp.get("/tags/<tag>/atom.xml")
def atom(tag: str | None) -> Response:
    return _feed("atom", tag)


@bp.get("/feed.json", defaults={"tag": None})
@bp.get("/tags/<tag>/feed.json")
def json(tag: str | None) -> Response:
    return _feed("json", tag)


@functools.lru_cache(maxsize=2)
def _urlsets(view: View, root: str, per_page: int) -> tuple[Urlset, ...]:
    # Keyed by the site URL the URLs start with, so another host never gets ours. The request's
    # URL adapter builds each path as url_for() would, at a quarter of its cost per URL.
    urls = current_app.create_url_adapter(request)
    assert urls is not None  # there is a request
    found = places(view, per_page)
    return tuple(urlsets((root + urls.build(p.endpoint, p.values), p.lastmod) for p in found))


def sitemap_files(snapshot: Snapshot, now: datetime) -> tuple[Urlset, ...]:
    """The public site's urlsets, built once per content state; needs a request context.

    One file is /sitemap.xml itself; more are /sitemap-1.xml, /sitemap-2.xml and so on.
    """
    view = snapshot.view(now)
    return _urlsets(view, site_url(), int(current_app.config["PER_PAGE"]))


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    snapshot, now = _snapshot(), datetime.now(UTC)
    files = sitemap_files(snapshot, now)
    if len(files) == 1:
        body = files[0].body
    else:
        body = sitemap_index(
            (absolute_url("feeds.sitemap_part", part=number), urlset.lastmod)
            for number, urlset in enumerate(files, 1)
        )
    return conditional(body, snapshot.changed(now), "application/xml")


@bp.get("/sitemap-<part>.xml")
def sitemap_part(part: str) -> Response:
    snapshot, now = _snapshot(), datetime.now(UTC)
    files, number = sitemap_files(snapshot, now), page_number(part)  # page_number: no "01"
    if len(files) == 1 or number is None or number > len(files):
        abort(404)
    return conditional(files[number - 1].body, snapshot.changed(now), "application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    # Its text changes only with the site URL; any date that every worker agrees on will do.
    body = robots_txt(absolute_url("feeds.sitemap"))
    return conditional(body, _snapshot().last_modified, "text/plain")  # Flask adds the charset
