"""Site search: ``/search/?q=…&tag=…&page=…`` and the OpenSearch description browsers read.

Search pages are answered by the worker's full-text index on every request and are never stored
by the response cache, which keys entries by path alone: a page for one query must never be
served for another. Measured under wrk (``bench/run.py``), a search page costs a few times a
cached article; keying the cache by the normalised query would save that only for repeated
queries, and let every distinct query take memory from the pages everyone reads.
"""

import logging

from flask import Blueprint, Response, render_template, request

from extensions import library, search_index, settings
from hooks.responses import conditional
from publishing.markdown_text import one_line
from publishing.metadata import tag_slug
from publishing.pagination import Page
from publishing.search_index import Results, SearchTimeout
from publishing.search_query import MAX_QUERY_CHARS

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)

MAX_PAGE = 10_000  # past any real result list; keeps the SQL offset a small number


def _page_number(raw: str) -> int:
    return min(int(raw), MAX_PAGE) if raw.isascii() and raw.isdigit() and len(raw) < 8 else 1


def _field(name: str) -> str:
    """A query-string field as text fit to show again: cut, one line, no control characters
    (werkzeug has already replaced bytes that are not UTF-8)."""
    return one_line(request.args.get(name, "")[: MAX_QUERY_CHARS * 2])


@bp.get("/search/")
def search() -> Response:
    snapshot, now = library().snapshot(), library().now()
    query, tag = _field("q"), tag_slug(_field("tag")) or None
    view = snapshot.view(now, settings().show_drafts)
    stopped = None
    try:
        results = search_index(snapshot).search(
            query,
            tag=tag,
            page=_page_number(request.args.get("page", "")),
            per_page=settings().per_page,
            now=now,
            show_drafts=settings().show_drafts,
            timeout=settings().search_timeout,
        )
    except SearchTimeout as timeout:
        log.warning("%s", timeout)
        stopped, results = timeout, Results(timeout.query, 0, Page([], 1, 1))
    found_tag = view.tags.get(tag) if tag else None
    html = render_template(
        "search.html",
        q=query,
        tag=tag,
        tag_name=found_tag.name if found_tag else tag,
        tags=view.tags,
        results=results,
        stopped=stopped,
    )
    if stopped:
        return Response(html, 503, mimetype="text/html")
    # Validators, 304s and 412s as pages have, but never stored under the path alone (above).
    return conditional(html, snapshot.changed(now), cacheable=False)


@bp.get("/opensearch.xml")
def opensearch() -> Response:
    body = render_template("opensearch.xml")
    changed = library().snapshot().changed(library().now())
    return conditional(body, changed, mimetype="application/opensearchdescription+xml")
