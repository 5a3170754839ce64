"""Conditional GET and HEAD by RFC 9110, section 13.2.2: a 200, a 304 or a 412.

The app, the response cache and the static files all answer through ``evaluate``, so they give
the same answer to the same request. Werkzeug's ``is_resource_modified`` is not used: it mixes
If-Match into the 304 decision and ignores If-Unmodified-Since.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus

from werkzeug.http import parse_date, parse_etags, unquote_etag


def _utc(moment: datetime | str | None) -> datetime | None:
    if isinstance(moment, str):
        moment = parse_date(moment)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.replace(microsecond=0)  # HTTP dates count whole seconds


def evaluate(
    environ: Mapping[str, object], etag: str, last_modified: datetime | str | None
) -> HTTPStatus:
    """What a GET or HEAD of the representation with these validators gets, in the RFC's order:

    1. If-Match (strong comparison) that matches no tag: 412.
    2. Else, without If-Match, If-Unmodified-Since earlier than Last-Modified: 412.
    3. If-None-Match (weak comparison) that matches: 304; one that does not: 200, whatever
       If-Modified-Since says.
    4. Else If-Modified-Since at or after Last-Modified: 304.

    Dates that cannot be read are ignored, as the RFC says.
    """
    tag, _ = unquote_etag(etag)
    modified = _utc(last_modified)
    if_match = environ.get("HTTP_IF_MATCH")
    if if_match is not None:
        if not parse_etags(str(if_match)).contains(tag):
            return HTTPStatus.PRECONDITION_FAILED
    else:
        unmodified_since = _utc(str(environ.get("HTTP_IF_UNMODIFIED_SINCE", "")) or None)
        if unmodified_since and modified and modified > unmodified_since:
            return HTTPStatus.PRECONDITION_FAILED
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        matched = parse_etags(str(if_none_match)).contains_weak(tag)
        return HTTPStatus.NOT_MODIFIED if matched else HTTPStatus.OK
    modified_since = _utc(str(environ.get("HTTP_IF_MODIFIED_SINCE", "")) or None)
    if modified_since and modified and modified <= modified_since:
        return HTTPStatus.NOT_MODIFIED
    return HTTPStatus.OK


def failed_headers(not_modified_headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers of a 412: those of the 304 (ETag, security headers) with an empty body and
    no Cache-Control, since the answer depends on the request's conditions, not just its URL."""
    kept = [
        (name, value) for name, value in not_modified_headers if name.lower() != "cache-control"
    ]
    return [*kept, ("Content-Length", "0")]
