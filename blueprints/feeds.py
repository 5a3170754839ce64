"""Feeds for readers (site-wide and per tag), the sitemap and robots.txt.

All of them are public: drafts and scheduled articles stay out even when SHOW_DRAFTS is on.
"""

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app

from blueprints.responses import conditional
from blueprints.templating import absolute_url
from insights.feeds import FORMATS, channel, entry
from insights.library import Snapshot
from insights.listing import card
from insights.sitemap import places, robots_txt, sitemap_xml

bp = Blueprint("feeds", __name__)
# (endpoint, format) of each feed, for the templates' <link rel="alternate"> tags and links.
FEED_ENDPOINTS = [(f"feeds.{name}", kind) for name, kind in FORMATS.items()]
bp.add_app_template_global(FEED_ENDPOINTS, "feed_formats")


def _snapshot() -> Snapshot:
    return current_app.extensions["insights.library"].snapshot()


def _feed(kind: str, tag: str | None) -> Response:
    config = current_app.config
    snapshot, now = _snapshot(), datetime.now(UTC)
    tag_name = None
    if tag is None:
        articles, home = snapshot.visible(now), absolute_url("site.index")
    else:
        tag_name = snapshot.tags(now).get(tag, (None, 0))[0]
        if tag_name is None:
            abort(404)
        articles, home = snapshot.tagged(tag, now), absolute_url("site.tag", tag=tag)
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


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    snapshot, now = _snapshot(), datetime.now(UTC)
    found = places(snapshot, now, int(current_app.config["PER_PAGE"]))
    body = sitemap_xml((absolute_url(p.endpoint, **p.values), p.lastmod) for p in found)
    return conditional(body, snapshot.changed(now), "application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    # Its text changes only with the site URL; any date that every worker agrees on will do.
    body = robots_txt(absolute_url("feeds.sitemap"))
    return conditional(body, _snapshot().last_modified, "text/plain")  # Flask adds the charset
