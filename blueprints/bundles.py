"""The files an article in its own folder brings: its images, data and attachments, served at
``/insights/<slug>/<file>`` so that a relative link in its Markdown works on the page, in feeds
and in the static export."""

from flask import Blueprint, Response, abort, request
from werkzeug.wsgi import wrap_file

from extensions import library, renderer, settings
from hooks.responses import conditional, validated
from publishing.bundles import CONTENT_TYPES, SVG_POLICY, Opened, opened

bp = Blueprint("bundles", __name__)

YEAR = 31_536_000


@bp.get("/insights/<slug>/<path:name>")
def bundle_file(slug: str, name: str) -> Response:
    found = library().snapshot().get(slug, library().now(), settings().show_drafts)
    if found is None or found.bundle is None:
        abort(404)
    file = opened(found.bundle, name)
    if file is None:
        abort(404)
    response = streamed(file)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if file.is_svg:
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


def streamed(file: Opened) -> Response:
    """What ``conditional`` answers, for a file sent as it is read: its ETag comes from its size
    and time, so a 304 or a 412 reads none of it, and a 200 holds a few kilobytes of it at a
    time (under gunicorn, none: it hands the descriptor to ``sendfile``)."""
    response = Response(
        wrap_file(request.environ, file.handle), mimetype=file.content_type, direct_passthrough=True
    )
    response.content_length = file.size
    return validated(response, file.version, file.modified)


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
