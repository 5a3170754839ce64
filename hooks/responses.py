"""Responses with validators, so browsers, readers and proxies can revalidate with a 304."""

import hashlib
from datetime import datetime
from http import HTTPStatus
from urllib.parse import urlsplit, urlunsplit

from flask import Response, make_response, request

from extensions import settings
from serving import preconditions
from serving.response_cache import CACHEABLE


def conditional(
    body: str | bytes,
    last_modified: datetime,
    mimetype: str = "text/html",
    max_age: int | None = None,
    *,
    cacheable: bool = True,
    lasting: bool = True,
) -> Response:
    """A 200 with ETag (a digest of the body) and Last-Modified, or the 304 or 412 that the
    request's conditions call for (``serving.preconditions``).

    The response cache may keep it, unless ``cacheable`` is false: a page that depends on more
    than its path (a query string), or that lacks a part the next visitor will get. Unless
    ``lasting`` too, no one may keep it (``no-store``): a page with a fault of this process in it
    (a render child lost), which the next request makes whole. Browsers, readers and proxies
    would otherwise keep it for ``max_age`` and, revalidating with the snapshot's Last-Modified,
    be told with a 304 to keep it until the content next changes.
    """
    response = make_response(body)
    response.mimetype = mimetype
    digest = hashlib.blake2b(response.get_data(), digest_size=16).hexdigest()
    return validated(response, digest, last_modified, max_age, cacheable=cacheable, lasting=lasting)


def validated(
    response: Response,
    etag: str,
    last_modified: datetime,
    max_age: int | None = None,
    *,
    cacheable: bool = True,
    lasting: bool = True,
) -> Response:
    """``response`` with its validators and caching headers (as ``conditional`` says), or the
    304 or 412 the request's conditions call for; a body not sent is closed unread."""
    response.set_etag(etag)
    response.last_modified = last_modified
    if lasting:
        response.cache_control.public = True
        response.cache_control.max_age = settings().page_max_age if max_age is None else max_age
    else:
        response.cache_control.no_store = True
    if cacheable and lasting:
        request.environ[CACHEABLE] = True
    verdict = preconditions.evaluate(request.environ, response.headers["ETag"], last_modified)
    if verdict is HTTPStatus.NOT_MODIFIED:
        response.status_code = verdict  # Werkzeug drops the body (closing a file) and its headers
    elif verdict is HTTPStatus.PRECONDITION_FAILED:
        response.close()
        failed = Response(status=verdict)  # an empty body, as the cache and static files send
        failed.headers.update(preconditions.failed_headers([("ETag", response.headers["ETag"])]))
        del failed.headers["Content-Type"]
        return failed
    return response


def redirect_on_site(response: Response) -> Response:
    """Every redirect of ours stays on the site: werkzeug builds its own (``/tags`` to ``/tags/``)
    on the request's Host header, so a Location on that host is made relative."""
    location = response.headers.get("Location")
    if not (300 <= response.status_code < 400 and location):
        return response
    parts = urlsplit(location)
    # An empty Host gives werkzeug's ``http:///tags/``, which browsers read as ``http://tags/``.
    if parts.scheme and parts.netloc.lower() == request.host.lower():
        response.headers["Location"] = urlunsplit(
            ("", "", parts.path or "/", parts.query, parts.fragment)
        )
    return response
