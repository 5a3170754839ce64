"""Feeds for readers: RSS, Atom and JSON Feed, site-wide and per tag.

All of them are public: drafts and scheduled articles stay out even when SHOW_DRAFTS is on.
"""

from flask import Blueprint, Response, abort

from extensions import library, renderer, settings
from hooks.responses import conditional
from hooks.templating import absolute_url, share_image
from publishing.article import Article
from publishing.cards import card, lasting
from publishing.feeds import FORMATS, Image, channel, entry

bp = Blueprint("feeds", __name__)


def _feed(kind: str, tag: str | None) -> Response:
    config = settings()
    snapshot, now = library().snapshot(), library().now()
    view, tag_name = snapshot.view(now), None
    if tag is None:
        articles, home = view.articles, absolute_url("site.index")
    else:
        found = view.tags.get(tag)
        if found is None:
            abort(404)
        articles, tag_name = found.articles, found.name
        home = absolute_url("site.tag", tag=tag)
    shown = articles[: config.feed_size]
    cards = [card(article, renderer(), config.words_per_minute) for article in shown]
    entries = [
        entry(found, absolute_url("site.article", slug=found.article.slug), _image(found.article))
        for found in cards
    ]
    urls = {name: absolute_url(f"feeds.{name}", tag=tag) for name in FORMATS}
    changed = snapshot.changed(now)
    feed = channel(
        title=config.site_title,
        description=config.site_description,
        language=config.site_language,
        author=config.author,
        home_url=home,
        feed_urls=urls,
        entries=entries,
        changed=changed,
        tag_name=tag_name,
    )
    kind_of = FORMATS[kind]
    return conditional(
        kind_of.build(feed, entries),
        changed,
        kind_of.content_type,
        config.feed_max_age,
        lasting=lasting(cards),
    )


def _image(article: Article) -> Image | None:
    shared = share_image(article)
    if shared is None:
        return None
    image, url = shared
    return Image(url, image.content_type, image.size, image.width, image.height)


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
