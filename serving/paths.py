"""One spelling per path: a path with a run of slashes (``//feed.xml``, ``/tags//``) gets a 308
to the same path with each run made one slash, before the static files and the response cache.

Werkzeug's router reads ``//feed.xml`` as ``/feed.xml`` (it redirects only inner runs, and only
once the app is reached), so every count of leading slashes was a page of its own: answered in
full (a feed at 1,000 articles: 40 to 80 ms) and kept by the response cache as one more entry,
compressed again, for as many spellings as a client cared to send.
"""

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from serving.response_cache import StartResponse, WSGIApp

_RUNS = re.compile("/{2,}")
# What a path keeps unescaped in a Location: RFC 3986's pchar and "/", so the URL sent back is
# the one asked for, runs aside.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"


class MergedSlashes:
    """Wraps a WSGI app: a request whose path holds ``//`` is redirected, with its query."""

    def __init__(self, app: WSGIApp, headers: Iterable[tuple[str, str]]) -> None:
        self.app = app
        self.headers = [("Content-Length", "0"), *headers]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if "//" not in path:
            return self.app(environ, start_response)
        # PATH_INFO holds the request's bytes decoded as Latin-1 (PEP 3333): quoted back from
        # those bytes, the Location names the same file in any script.
        merged = _RUNS.sub("/", environ.get("SCRIPT_NAME", "") + path)
        location = quote(merged.encode("latin-1"), safe=_PATH_SAFE)
        if query := environ.get("QUERY_STRING"):
            location += "?" + query
        start_response("308 Permanent Redirect", [("Location", location), *self.headers])
        return []
