"""The reader-facing pages: article list, tag pages and article pages."""

from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, redirect, render_template

from blueprints.responses import conditional
from blueprints.security import allow_inline_styles
from blueprints.templating import page_url
from insights.article import Article
from insights.library import Library, Snapshot
from insights.listing import Card, Page, card, page_number, paginate

bp = Blueprint("site", __name__)


def _library() -> Library:
    return current_app.extensions["insights.library"]


def _view() -> tuple[Snapshot, datetime, bool]:
    return _library().snapshot(), datetime.now(UTC), bool(current_app.config["SHOW_DRAFTS"])


def _requested_page(raw: str | None) -> int:
    """The list page asked for in the path; page 1 has a single URL, without a number."""
    number = page_number(raw)
    if number is None:
        abort(404)
    if raw is not None and number == 1:
        abort(redirect(page_url(1), 308))
    return number


def _cards(articles: list[Article], number: int) -> tuple[Page[Article], list[Card]]:
    config = current_app.config
    page = paginate(articles, number, int(config["PER_PAGE"]))
    if page is None:
        abort(404)
    return page, [card(article, int(config["WORDS_PER_MINUTE"])) for article in page.items]


@bp.get("/")
@bp.get("/insights/")
@bp.get("/insights/page/<page>/")
def index(page: str | None = None) -> Response:
    snapshot, now, drafts = _view()
    page, cards = _cards(snapshot.visible(now, drafts), _requested_page(page))
    html = render_template("index.html", page=page, cards=cards)
    return conditional(html, snapshot.changed(now))


@bp.get("/tags/")
def tags() -> Response:
    snapshot, now, drafts = _view()
    html = render_template("tags.html", tags=snapshot.tags(now, drafts))
    return conditional(html, snapshot.changed(now))


@bp.get("/tags/<tag>/")
@bp.get("/tags/<tag>/page/<page>/")
def tag(tag: str, page: str | None = None) -> Response:
    snapshot, now, drafts = _view()
    name = snapshot.tags(now, drafts).get(tag, (None, 0))[0]
    if name is None:
        abort(404)
    page, cards = _cards(snapshot.tagged(tag, now, drafts), _requested_page(page))
    html = render_template("tag.html", tag=tag, tag_name=name, page=page, cards=cards)
    return conditional(html, snapshot.changed(now))


@bp.get("/insights/<slug>/")
def article(slug: str) -> Response:
    snapshot, now, drafts = _view()
    found = snapshot.get(slug, now, drafts)
    if found is None:
        abort(404)
    older, newer = snapshot.neighbours(found, now, drafts)
    entry = card(found, int(current_app.config["WORDS_PER_MINUTE"]))
    if entry.rendered.diagrams:
        allow_inline_styles()
    html = render_template(
        "article.html",
        card=entry,
        older=older,
        newer=newer,
        now=now,
    )
    return conditional(html, snapshot.changed(now))
