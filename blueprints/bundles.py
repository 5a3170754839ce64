"""The files an article in its own folder brings: its images, data and attachments, served at
``/insights/<slug>/<file>`` so that a relative link in its Markdown works on the page, in feeds
and in the static export."""

from flask import Blueprint, Response, abort

from extensions import library, settings
from hooks.responses import conditional
from publishing.bundles import SVG_POLICY, served

bp = Blueprint("bundles", __name__)


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
