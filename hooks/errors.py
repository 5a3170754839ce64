"""Error pages in the site's layout; a fault is logged, never shown to the visitor."""

from flask import Flask, Response, render_template
from werkzeug.exceptions import BadHost, HTTPException, InternalServerError


def _http_error(error: HTTPException) -> tuple[str, int, dict[str, str]]:
    headers = dict(error.get_headers())  # keeps Allow on a 405
    headers.pop("Content-Type", None)
    return render_template("error.html", error=error), error.code or 500, headers


def _bad_host(error: BadHost) -> Response:
    # No URL can be built for a host that is not a host name, so no page in the layout either.
    return Response(
        "400 Bad Request: the Host header is not a valid host name.\n", 400, mimetype="text/plain"
    )


def _unexpected(error: InternalServerError) -> tuple[str, int] | Response:
    try:
        return render_template("error.html", error=InternalServerError()), 500
    except Exception:  # the fault may be in what the layout needs; still no traceback shown
        return Response("500 Internal Server Error\n", 500, mimetype="text/plain")


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(BadHost, _bad_host)
    app.register_error_handler(InternalServerError, _unexpected)
