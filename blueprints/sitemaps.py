"""The sitemap (one file, or an index of several past the protocol's limits) and robots.txt.

Public only: drafts and scheduled articles stay out even when SHOW_DRAFTS is on.
"""

import functools
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, request

from extensions import library, settings
from hooks.responses import conditional
from hooks.templating import absolute_url, site_url
from publishing.library import Snapshot, View
from publishing.pagination import page_number
from publishing.sitemap import Urlset, places, robots_txt, sitemap_index, urlsets

bp = Blueprint("sitemaps", __name__)


def _snapshot() -> Snapshot:
    return library().snapshot()


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
    return _urlsets(view, site_url(), settings().per_page)


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    snapshot, now = _snapshot(), library().now()
    files = sitemap_files(snapshot, now)
    if len(files) == 1:
        body = files[0].body
    else:
        body = sitemap_index(
            (absolute_url("sitemaps.sitemap_part", part=number), urlset.lastmod)
            for number, urlset in enumerate(files, 1)
        )
    return conditional(body, snapshot.changed(now), "application/xml")


@bp.get("/sitemap-<part>.xml")
def sitemap_part(part: str) -> Response:
    snapshot, now = _snapshot(), library().now()
    files, number = sitemap_files(snapshot, now), page_number(part)  # page_number: no "01"
    if len(files) == 1 or number is None or number > len(files):
        abort(404)
    return conditional(files[number - 1].body, snapshot.changed(now), "application/xml")


@bp.get("/robots.txt")
def robots() -> Response:
    # Its text changes only with the site URL; any date that every worker agrees on will do.
    body = robots_txt(absolute_url("sitemaps.sitemap"))
    return conditional(body, _snapshot().last_modified, "text/plain")  # Flask adds the charset
