"""``/healthz`` for load balancers: 200 while the content can be read, 503 when it cannot."""

from flask import Blueprint, Response

from extensions import library

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    # The library rescans at most every RESCAN_INTERVAL, so probes cost no disk access.
    fault = library().fault()
    response = Response(
        "content directory unreadable\n" if fault else "ok\n",
        status=503 if fault else 200,
        mimetype="text/plain",
    )
    response.cache_control.no_store = True
    return response
