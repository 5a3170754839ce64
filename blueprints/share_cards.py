"""An article's share card, the PNG its ``og:image`` names when it has no cover, served under
the folder ``_`` that every article's URL reserves for files the site makes."""

from flask import Blueprint, Response, abort

from extensions import library, settings, share_images
from hooks.responses import conditional
from hooks.templating import share_image

bp = Blueprint("share_cards", __name__)

YEAR = 31_536_000


# Exactly a digest's 20 characters: a variant of an image named card-front.png, whose name is
# longer, is left to the route of the bundle's files.
@bp.get("/insights/<slug>/_/card-<string(length=20):digest>.png")
def card(slug: str, digest: str) -> Response:
    found = library().snapshot().get(slug, library().now(), settings().show_drafts)
    shared = share_image(found) if found is not None else None
    # Only the card of the article as it is now: its name changes with what is drawn on it.
    if shared is None or shared[0].kind != "card" or shared[0].name != digest:
        abort(404)
    data = share_images().card_bytes(digest)
    if data is None:
        abort(404)
    response = conditional(data, found.modified, "image/png", YEAR)
    response.cache_control.immutable = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
