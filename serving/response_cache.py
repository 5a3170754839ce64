"""Whole responses kept in memory per URL and content version, answered without entering the app.

A WSGI middleware in front of Flask. A GET or HEAD is looked up under its scheme, path (and
host, when the site's URL comes from it) and the content version the app reports (a digest of
every content file, plus how many scheduled articles have come due), so an edit, an addition or
an article's date passing makes a new key and nothing needs invalidating. A hit is answered from
memory: the stored status and headers (security headers included), the body in the best coding
the client accepts, or a 304 or 412 by the same rules as the app (``preconditions``). On a miss
the app answers a plain GET; its response is kept only when the view marked it cacheable
(``CACHEABLE`` in the environ) and it is a 200 that depends on nothing else in the request.
Compressed bodies are made once, when an entry is stored. A body over a sixteenth of the store
is neither stored, compressed nor read: it goes out as the app made it (a file the server may
send with ``sendfile``). An answer not stored still honours the request's conditions.

The store is per process, a least-recently-used map bounded in bytes.
"""

import contextlib
import itertools
import sys
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from http import HTTPStatus
from typing import Any

from cachetools import LRUCache
from werkzeug.wsgi import ClosingIterator

from serving import preconditions, variants
from serving.variants import Variant

CACHEABLE = "insights.cacheable"  # environ key a view sets when its 200 may be stored

StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict, StartResponse], Iterable[bytes]]

# Without them the app answers a plain GET (a 200 that can be stored); the cache then applies
# the conditions itself, to the coding it sends (each has its own ETag). Ranges are not served.
_STRIPPED = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
    "HTTP_IF_RANGE",
)
_SLOT_OVERHEAD = 100  # bytes the LRU map and its bookkeeping spend on each entry
LARGEST_SHARE = 16  # no body larger than this share of the store is kept (4 MiB of 64 MiB)


def footprint(*objects: object) -> int:
    """Bytes that ``objects`` hold in memory, everything they reach counted once: texts,
    bytes, tuples, lists, dicts and slotted dataclasses (entries and variants)."""
    seen: set[int] = set()
    total = 0
    stack = list(objects)
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sys.getsizeof(item)
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "__slots__"):
            stack.extend(getattr(item, name) for name in item.__slots__)
    return total


@dataclass(frozen=True, slots=True)
class Entry:
    status: str
    last_modified: str | None
    variants: dict[str, Variant[bytes]]
    size: int


def _entry_size(entry: Entry) -> int:
    return entry.size


def make_entry(
    status: str, headers: list[tuple[str, str]], body: bytes, *, brotli_quality: int | None
) -> Entry | None:
    """An entry for a 200 from the app, or None when it must not be shared. ``brotli_quality``
    None: its body as it is, not compressed."""
    found = {name.lower(): value for name, value in headers}
    etag = found.get("etag", "")
    tag = etag[1:-1] if len(etag) > 2 and etag[0] == etag[-1] == '"' else ""  # strong ones only
    cache_control = found.get("cache-control", "").lower()
    if (
        not status.startswith("200 ")
        or "set-cookie" in found
        or "vary" in found  # it depends on a request header the key does not hold
        or "content-encoding" in found
        or not tag
        or any(word in cache_control for word in ("no-store", "private", "no-cache"))
    ):
        return None
    payloads = {"identity": (body, len(body))}
    if brotli_quality is not None and variants.is_compressible(found.get("content-type", "")):
        forms = variants.compressed_forms(body, brotli_quality=brotli_quality)
        payloads.update((coding, (packed, len(packed))) for coding, packed in forms.items())
    made = variants.make_variants(headers, tag, payloads)
    last_modified = found.get("last-modified")
    return Entry(status, last_modified, made, footprint(status, last_modified, made))


class ResponseCache:
    """Wraps a WSGI app; ``version()`` is called on every GET/HEAD and must be cheap."""

    def __init__(
        self,
        app: WSGIApp,
        version: Callable[[], Hashable],
        max_bytes: int,
        *,
        vary_on_host: bool = True,
        brotli_quality: int = 5,
        passed: tuple[str, ...] = (),
        largest: int | None = None,
    ) -> None:
        """``passed``: path prefixes answered by the app directly, such as an event stream,
        which a miss would otherwise read to its end before sending any of it. ``largest``: the
        largest body kept, a sixteenth of ``max_bytes`` unless given."""
        self.app = app
        self.passed = passed
        self.vary_on_host = vary_on_host
        self.version = version
        self.brotli_quality = brotli_quality
        self.largest = max_bytes // LARGEST_SHARE if largest is None else largest
        self._store: LRUCache[Hashable, Entry] = LRUCache(max_bytes, getsizeof=_entry_size)
        self._lock = threading.Lock()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD") or environ.get("PATH_INFO", "").startswith(self.passed):
            return self.app(environ, start_response)
        # No page reads the query string, so ?utm_source=… or a random one is the same page,
        # not a new entry to render and compress; the host counts only when URLs are built from it.
        key = (
            environ.get("wsgi.url_scheme"),
            environ.get("HTTP_HOST") if self.vary_on_host else None,
            environ.get("SCRIPT_NAME"),
            environ.get("PATH_INFO"),
            self.version(),
        )
        with self._lock:
            entry = self._store.get(key)
        if entry is None:
            # A HEAD fills the cache like a GET, so it gets the same headers a GET would.
            status, headers, result, cacheable = self._plain_get(environ)
            if _content_length(headers) > self.largest:
                return self._unread(status, headers, result, environ, start_response)
            body = _drained(result)
            # A rescan that lands while the app answers makes the answer one of the new
            # content, not of the version in the key: stored under it, it would come back
            # whenever the content returns to that version (a file added, then removed).
            # A body larger than ``largest`` would push out many pages, and compressing it for
            # nothing but this answer could cost seconds (a 50 MB CSV: 9 s), so it goes as it is.
            stored = cacheable and len(body) <= self.largest and self.version() == key[-1]
            quality = self.brotli_quality if stored else None
            entry = make_entry(status, headers, body, brotli_quality=quality)
            if entry is None:
                start_response(status, headers)
                return [] if method == "HEAD" else [body]
            if stored:
                # The key is counted too: under random Host headers it is most of what grows.
                entry = replace(entry, size=entry.size + footprint(key) + _SLOT_OVERHEAD)
                with self._lock, contextlib.suppress(ValueError):  # larger than a tiny store
                    self._store[key] = entry
        # Stored or not, the answer follows the request's conditions: a 304 to a browser that
        # has it (the app never saw them).
        return self._answer(entry, environ, start_response)

    def _plain_get(self, environ: dict) -> tuple[str, list[tuple[str, str]], Iterable[bytes], bool]:
        """The app's answer to this GET without its conditions, its body not read yet:
        (status, headers, body, whether the view marked it cacheable)."""
        plain = {name: value for name, value in environ.items() if name not in _STRIPPED}
        plain["REQUEST_METHOD"] = "GET"
        chunks: list[bytes] = []
        started: list[Any] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return chunks.append

        result = self.app(plain, capture)
        if chunks:  # written through start_response's ``write`` before the body was returned
            result = ClosingIterator(
                itertools.chain(chunks, result), getattr(result, "close", None)
            )
        return started[0], started[1], result, bool(plain.get(CACHEABLE))

    @staticmethod
    def _unread(
        status: str,
        headers: list[tuple[str, str]],
        result: Iterable[bytes],
        environ: dict,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """A body larger than ``largest`` (a 60 MB PDF beside an article): read to be kept or
        compressed, it would cost its size in memory at every request, a 304 included. It goes
        out as the app made it, or is closed unread for a HEAD, a 304 or a 412."""
        shared = make_entry(status, headers, b"", brotli_quality=None)  # for its validators
        refused = _refusal(shared, environ) if shared is not None else None
        if refused is None and environ.get("REQUEST_METHOD") != "HEAD":
            start_response(status, headers)
            return result
        _close(result)
        start_response(*(refused or (status, headers)))
        return []

    @staticmethod
    def _answer(entry: Entry, environ: dict, start_response: StartResponse) -> list[bytes]:
        variant = variants.select(entry.variants, environ.get("HTTP_ACCEPT_ENCODING", ""))
        refused = _refusal(entry, environ, variant)
        if refused is not None:
            start_response(*refused)
            return []
        start_response(entry.status, variant.headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [variant.payload]


def _refusal(
    entry: Entry, environ: dict, variant: Variant[bytes] | None = None
) -> tuple[str, list[tuple[str, str]]] | None:
    """The status and headers of the 304 or 412 the request's conditions call for, else None;
    ``variant``: the coding to be sent, the identity unless given."""
    variant = variant or entry.variants["identity"]
    verdict = preconditions.evaluate(environ, variant.etag, entry.last_modified)
    if verdict is HTTPStatus.NOT_MODIFIED:
        return "304 NOT MODIFIED", variant.not_modified_headers
    if verdict is HTTPStatus.PRECONDITION_FAILED:
        return "412 PRECONDITION FAILED", preconditions.failed_headers(variant.not_modified_headers)
    return None


def _content_length(headers: list[tuple[str, str]]) -> int:
    """The body's length as the app declared it, 0 when it did not (a stream)."""
    for name, value in headers:
        if name.lower() == "content-length" and value.isdigit():
            return int(value)
    return 0


def _close(result: Iterable[bytes]) -> None:
    close = getattr(result, "close", None)
    if close is not None:
        close()


def _drained(result: Iterable[bytes]) -> bytes:
    try:
        return b"".join(result)
    finally:
        _close(result)
