"""One resource in the content codings clients ask for, chosen per request, revalidated per coding.

Cached pages and static files both come as a set of variants (identity, gzip, brotli), compressed
once when the set is made, never per request. Each variant has its own ETag (``"<tag>-gz"``,
``"<tag>-br"``), so a cache that revalidates one of them is never told that another is fresh.
"""

import gzip
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

import brotli
from werkzeug.http import parse_accept_header, remove_entity_headers

P = TypeVar("P")

SERVER_PREFERENCE = ("br", "gzip")  # brotli is smaller at the same cost to the client
ETAG_SUFFIX = {"identity": "", "gzip": "-gz", "br": "-br"}
COMPRESSIBLE_TYPES = frozenset(
    {
        "application/atom+xml",
        "application/feed+json",
        "application/javascript",
        "application/json",
        "application/ld+json",
        "application/manifest+json",
        "application/rss+xml",
        "application/xml",
        "image/svg+xml",
    }
)
# Headers this module writes itself for each variant.
_OWN_HEADERS = frozenset({"content-length", "content-encoding", "etag", "vary", "date"})


def is_compressible(content_type: str) -> bool:
    """True for text formats that shrink well: HTML, feeds, JSON, CSS, JavaScript, SVG."""
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type.startswith("text/") or media_type in COMPRESSIBLE_TYPES


@lru_cache(maxsize=256)
def accepted_codings(accept_encoding: str) -> tuple[str, ...]:
    """The codings out of ``SERVER_PREFERENCE`` that the client accepts, best first.

    Werkzeug reads the q-values: ``q=0`` refuses a coding, ``*`` stands for every coding not
    named, an unreadable q-value drops its element. Ties go to the server's preference.
    """
    accept = parse_accept_header(accept_encoding)
    ranked = [
        (accept.quality(coding), -rank, coding) for rank, coding in enumerate(SERVER_PREFERENCE)
    ]
    return tuple(coding for quality, _, coding in sorted(ranked, reverse=True) if quality > 0)


def compressed_forms(data: bytes, *, brotli_quality: int) -> dict[str, bytes]:
    """``data`` in every coding of ``SERVER_PREFERENCE`` that makes it smaller."""
    forms = {
        "br": brotli.compress(data, quality=brotli_quality),
        "gzip": gzip.compress(data, compresslevel=9, mtime=0),
    }
    return {coding: packed for coding, packed in forms.items() if len(packed) < len(data)}


@dataclass(frozen=True, slots=True)
class Variant(Generic[P]):
    """One coding of a resource: its payload (bytes, or a file's path) and ready-made headers."""

    etag: str  # quoted
    payload: P
    headers: list[tuple[str, str]]  # of the 200, Content-Length included
    not_modified_headers: list[tuple[str, str]]  # of the 304


def make_variants(
    headers: Iterable[tuple[str, str]],
    tag: str,
    payloads: Mapping[str, tuple[P, int]],
) -> dict[str, Variant[P]]:
    """Variants for ``payloads`` (coding -> (payload, size)), sharing the other ``headers``.

    ``tag`` is the identity's unquoted ETag; the others add their suffix. ``Vary:
    Accept-Encoding`` goes on every variant as soon as there is more than one.
    """
    common = [(name, value) for name, value in headers if name.lower() not in _OWN_HEADERS]
    if len(payloads) > 1:
        common.append(("Vary", "Accept-Encoding"))
    variants = {}
    for coding, (payload, size) in payloads.items():
        etag = f'"{tag}{ETAG_SUFFIX[coding]}"'
        own = [("ETag", etag), ("Content-Length", str(size))]
        if coding != "identity":
            own.append(("Content-Encoding", coding))
        not_modified = [*common, ("ETag", etag)]
        remove_entity_headers(not_modified)
        variants[coding] = Variant(etag, payload, [*common, *own], not_modified)
    return variants


def select(variants: Mapping[str, Variant[P]], accept_encoding: str) -> Variant[P]:
    """The variant to send for this ``Accept-Encoding``: the best accepted one, else identity."""
    for coding in accepted_codings(accept_encoding):
        variant = variants.get(coding)
        if variant is not None:
            return variant
    return variants["identity"]
