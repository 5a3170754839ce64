"""The Host header on an allow-list, in front of everything else (as Django's ALLOWED_HOSTS).

A request for a host the site does not serve gets a plain 400 before it can reach the response
cache, where every distinct Host would otherwise be a new entry to render, compress and keep.
"""

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from werkzeug.sansio.utils import host_is_trusted

from serving.response_cache import StartResponse, WSGIApp

HEALTH_PATH = "/healthz"
LOOPBACK = ("localhost", "127.0.0.1")  # werkzeug cannot match an IPv6 literal on a list
_REFUSAL = b"400 Bad Request: the Host header names a host this site does not serve.\n"


def allowed_hosts(configured: str | Sequence[str], site_url: str) -> list[str] | None:
    """The host names to answer for: the configured ones (a list, or text separated by commas
    or spaces), the host of ``site_url`` and the loopback names; None, meaning any host, when
    neither names one or one of them is ``*``."""
    names = configured.replace(",", " ").split() if isinstance(configured, str) else configured
    hosts = [str(name).strip().lower() for name in names if str(name).strip()]
    if "*" in hosts:
        return None
    if site_host := urlsplit(site_url).hostname:
        hosts.append(site_host)
    # Requests by a loopback name come from this machine (a probe, curl, the tests): a few
    # more cache keys at most, and redirects are built from the site's URL anyway.
    return list(dict.fromkeys([*hosts, *LOOPBACK])) if hosts else None


class AllowedHosts:
    """Wraps a WSGI app: requests whose Host is not on ``hosts`` get a 400 and go no further.

    A name starting with a dot (``.example.org``) allows that domain and all its subdomains; the
    port is ignored. ``/healthz`` answers whatever the host, for probes that use an address.
    """

    def __init__(self, app: WSGIApp, hosts: Sequence[str], headers: Iterable[tuple[str, str]]):
        self.app = app
        self.hosts = list(hosts)
        self.headers = [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(_REFUSAL))),
            ("Cache-Control", "no-store"),
            *headers,
        ]

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        # An empty Host is refused, not taken for the server's name: HTTP/1.1 requires one, and
        # an empty one makes werkzeug's redirects point at http:///…, off the site.
        host = environ.get("HTTP_HOST", environ.get("SERVER_NAME", ""))
        if environ.get("PATH_INFO") == HEALTH_PATH or host_is_trusted(host.lower(), self.hosts):
            return self.app(environ, start_response)
        start_response("400 Bad Request", list(self.headers))
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [_REFUSAL]
