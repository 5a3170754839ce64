"""The reader-facing pages: article list, tag pages, article pages, series and the archive."""

from collections.abc import Sequence
from datetime import datetime

from flask import Blueprint, Response, abort, redirect, render_template

from extensions import library, ready_search_index, renderer, settings
from hooks.responses import conditional
from hooks.security import allow_inline_styles
from hooks.templating import page_url
from publishing.archive import archive as archive_of
from publishing.article import Article
from publishing.cards import Card, card, lasting
from publishing.library import Snapshot, View
from publishing.pagination import Page, page_number, paginate
from publishing.related import related
from publishing.series import place

bp = Blueprint("site", __name__)


def _view() -> tuple[View, datetime, datetime]:
    """What this request may show, the time it is shown at, and when what visitors see last
    changed (for ``Last-Modified``)."""
    _, view, now, changed = _reading()
    return view, now, changed


def _reading() -> tuple[Snapshot, View, datetime, datetime]:
    """``_view()`` with the snapshot it was made from, for what else the page draws from it."""
    snapshot, now = library().snapshot(), library().now()
    return snapshot, snapshot.view(now, settings().show_drafts), now, snapshot.changed(now)


def _requested_page(raw: str | None) -> int:
    """The list page asked for in the path; page 1 has a single URL, without a number."""
    number = page_number(raw)
    if number is None:
        abort(404)
    if raw is not None and number == 1:
        abort(redirect(page_url(1), 308))
    return number


def _cards(articles: Sequence[Article], number: int) -> tuple[Page[Article], list[Card]]:
    page = paginate(articles, number, settings().per_page)
    if page is None:
        abort(404)
    return page, [_card(article) for article in page.items]


def _card(article: Article) -> Card:
    return card(article, renderer(), settings().words_per_minute)


@bp.get("/")
@bp.get("/insights/")
@bp.get("/insights/page/<page>/")
def index(page: str | None = None) -> Response:
    view, _, changed = _view()
    page, cards = _cards(view.articles, _requested_page(page))
    html = render_template("index.html", page=page, cards=cards)
    return conditional(html, changed, lasting=lasting(cards))


@bp.get("/tags/")
def tags() -> Response:
    view, _, changed = _view()
    html = render_template("tags.html", tags=view.tags)
    return conditional(html, changed)


@bp.get("/tags/<tag>/")
@bp.get("/tags/<tag>/page/<page>/")
def tag(tag: str, page: str | None = None) -> Response:
    view, _, changed = _view()
    found = view.tags.get(tag)
    if found is None:
        abort(404)
    page, cards = _cards(found.articles, _requested_page(page))
    html = render_template("tag.html", tag=tag, tag_name=found.name, page=page, cards=cards)
    return conditional(html, changed, lasting=lasting(cards))


@bp.get("/insights/<slug>/")
def article(slug: str) -> Response:
    snapshot, view, now, changed = _reading()
    found = view.get(slug)
    if found is None:
        abort(404)
    older, newer = view.neighbours(found)
    entry = _card(found)
    # Related articles come from this worker's index, built from the same snapshot as the page;
    # while its first build runs the page goes without them, and is not kept in the response
    # cache, so the next visitor gets them.
    index = ready_search_index(snapshot)
    if entry.rendered.diagrams:
        allow_inline_styles()
    html = render_template(
        "article.html",
        card=entry,
        older=older,
        newer=newer,
        now=now,
        related=related(found, index, now=now) if index else [],
        series=place(found, view.series),
    )
    return conditional(html, changed, cacheable=index is not None, lasting=lasting([entry]))


@bp.get("/series/<series>/")
def series(series: str) -> Response:
    view, _, changed = _view()
    found = view.series.get(series)
    if found is None:
        abort(404)
    cards = [_card(part) for part in found.parts]
    html = render_template("series.html", series=found, cards=cards)
    return conditional(html, changed, lasting=lasting(cards))


@bp.get("/archive/")
def archive() -> Response:
    view, _, changed = _view()
    html = render_template("archive.html", years=archive_of(view.articles))
    return conditional(html, changed)
