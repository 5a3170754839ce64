"""Live reload while writing: registered by ``create_app`` only when the app runs in debug mode
(``flask --app app run --debug``), so in production its URLs answer 404 and no page names its
script.

Every page then loads ``static/js/live-reload.js``, which opens an event stream on what the page
shows, named with the version it was drawn from: an article page watches that article (its
Markdown and every file of its folder, through the article's version), every other page (lists,
tags, search, the 404 page) the whole content directory. The stream reads the library as any
request does, so its rescan interval and quiet period apply: a file caught half-saved is not
shown, and the page reloads once the library has read the saved file.
"""

import time
from collections.abc import Callable

from flask import Blueprint, Response, request, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from extensions import library, settings
from publishing.checks import problem_line
from publishing.library import Library
from serving import event_stream

PREFIX = "/_live-reload/"  # passed by the response cache: a stream is never whole
bp = Blueprint("live_reload", __name__, url_prefix=PREFIX.rstrip("/"))

POLL_SECONDS = 0.1  # checks of the library are lookups until a rescan is due
HEARTBEAT_SECONDS = 15.0
GONE = "gone"  # the token of an article that is not shown: deleted, broken, drafted, renamed


def _site_token(content: Library) -> str:
    version, due = content.state()
    return f"{version}.{due}"


def _article_token(content: Library, slug: str, show_drafts: bool) -> str:
    found = content.snapshot().get(slug, content.now(), show_drafts)
    return found.version if found else GONE


def _stream(current: Callable[[], str], watching: str) -> Response:
    content = library()
    body = event_stream.changes(
        current,
        request.args.get("since", ""),
        watching,
        monotonic=content.clock.monotonic,
        sleep=time.sleep,
        poll=POLL_SECONDS,
        heartbeat=HEARTBEAT_SECONDS,
    )
    response = Response(body, mimetype=event_stream.MEDIA_TYPE)
    response.cache_control.no_store = True
    response.headers["X-Accel-Buffering"] = "no"  # a proxy in front of the dev server
    return response


@bp.get("/site")
def site() -> Response:
    content = library()
    return _stream(lambda: _site_token(content), "content")


@bp.get("/insights/<slug>/")
def article(slug: str) -> Response:
    content, show_drafts = library(), settings().show_drafts
    return _stream(lambda: _article_token(content, slug, show_drafts), f"article {slug}")


@pass_context
def _events_url(context: Context) -> str:
    """The stream for the page being drawn: its article's, when it is an article page."""
    card = context.get("card")
    if request.endpoint == "site.article" and card is not None:
        return url_for("live_reload.article", slug=card.article.slug, since=card.article.version)
    return url_for("live_reload.site", since=_site_token(library()))


def _content_problems() -> list[str]:
    """What keeps files off the site, as ``check`` names them: shown on error pages, so a page
    whose article broke while open reloads into the reason."""
    content = library()
    return [problem_line(p, content.content_dir) for p in content.snapshot().problems]


@bp.app_context_processor
def _template_globals() -> dict[str, object]:
    return {"live_reload_events": _events_url, "content_problems": _content_problems}
