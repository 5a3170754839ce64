"""The files an article in its own folder brings: its images, data and attachments, served at
``/insights/<slug>/<file>`` so that a relative link in its Markdown works on the page, in feeds
and in the static export."""

from flask import Blueprint, Response, abort

from extensions import library, renderer, settings
from hooks.responses import conditional
from publishing.bundles import CONTENT_TYPES, SVG_POLICY, served

bp = Blueprint("bundles", __name__)

YEAR = 31_536_000


@bp.get("/insights/<slug>/<path:name>")
def bundle_file(slug: str, name: str) -> Response:
    found = library().snapshot().get(slug, library().now(), settings().show_drafts)
    if found is None or found.bundle is None:
        abort(404)
    file = served(found.bundle, name)
    if file is None:
        abort(404)
    response = conditional(file.data, file.modified, file.content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if file.is_svg:
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@bp.get("/insights/<slug>/_/<path:name>")
def image_variant(slug: str, name: str) -> Response:
    """A smaller copy of a bundle image, under a name that holds a digest of the image's bytes:
    what it names never changes, so it is sent as immutable."""
    found = library().snapshot().get(slug, library().now(), settings().show_drafts)
    if found is None or found.bundle is None:
        abort(404)
    path = renderer().images.find(found.bundle, name)
    if path is None:
        abort(404)
    response = conditional(path.read_bytes(), found.modified, CONTENT_TYPES[path.suffix], YEAR)
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
