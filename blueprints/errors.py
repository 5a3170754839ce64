"""Error pages in the site's layout; a fault is logged, never shown to the visitor."""

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException, InternalServerError


def _http_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    headers = dict(error.get_headers())  # keeps Allow on a 405
    headers.pop("Content-Type", None)
    return render_template("error.html", error=error), error.code or 500, headers


def _unexpected(error: InternalServerError) -> tuple[str, int]:
    return render_template("error.html", error=InternalServerError()), 500


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _unexpected)
