"""Static files under content-hashed URLs, served by WhiteNoise in their gzip and brotli forms.

At start every file under ``static/`` is hashed; a short digest of them all (the build) goes
into every asset URL, ``/static/<build>/css/site.css``. Any change to any file gives new URLs, so
those URLs are cached for a year as immutable. The build is one directory level, so relative
imports between files (Mermaid's chunks, ``diagrams.js``) resolve inside it. Plain
``/static/<path>`` keeps working with a short max-age.

The compressed forms are made once per build (gzip -9 and brotli at its best quality, a few
seconds for Mermaid's 3.7 MB) and written under ``<cache dir>/<build>/``, renamed into place
whole so concurrent workers never see half of it; every worker and restart reuses them.
"""

import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from wsgiref.headers import Headers

from whitenoise import WhiteNoise
from whitenoise.media_types import MediaTypes
from whitenoise.responders import NOT_ALLOWED_RESPONSE, Response

from insights import variants
from insights.response_cache import WSGIApp
from insights.variants import Variant

log = logging.getLogger(__name__)

BUILD_DIGEST_SIZE = 6  # 12 hex digits in URLs
YEAR = 365 * 24 * 60 * 60
STATIC_BROTLI_QUALITY = 11  # once per build, so the smallest output is worth its seconds


@dataclass(frozen=True)
class StaticBuild:
    root: Path
    id: str  # digest of every file's path and bytes
    digests: dict[str, str]  # path relative to root (with "/") -> digest of its bytes
    compressed: Path | None  # holds "<path>.gz" and "<path>.br"; None when it cannot be written

    def url_path(self, relative: str) -> str:
        return f"{self.id}/{relative}"


def _digests(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        found[path.relative_to(root).as_posix()] = hashlib.blake2b(
            path.read_bytes(), digest_size=16
        ).hexdigest()
    return found


def _write_compressed(root: Path, digests: Mapping[str, str], target: Path) -> None:
    types = MediaTypes()
    for relative in digests:
        if not variants.is_compressible(types.get_type(relative)):
            continue
        forms = variants.compressed_forms(
            (root / relative).read_bytes(), brotli_quality=STATIC_BROTLI_QUALITY
        )
        for coding, packed in forms.items():
            out = target / f"{relative}.{'gz' if coding == 'gzip' else 'br'}"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(packed)


def _compressed_dir(root: Path, build_id: str, digests: Mapping[str, str], cache: Path) -> Path:
    final = cache / build_id
    if final.is_dir():
        return final
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{build_id}-", dir=cache))
    try:
        _write_compressed(root, digests, scratch)
        os.rename(scratch, final)
    except OSError:
        if not final.is_dir():  # not just another process finishing first
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def build(root: Path, cache: Path) -> StaticBuild:
    """Hash ``root`` and make sure its compressed forms exist under ``cache``."""
    digests = _digests(root)
    build_id = hashlib.blake2b(
        repr(sorted(digests.items())).encode(), digest_size=BUILD_DIGEST_SIZE
    ).hexdigest()
    try:
        compressed: Path | None = _compressed_dir(root, build_id, digests, cache)
    except OSError as exc:
        log.warning("static files go uncompressed: cannot write %s: %s", cache, exc)
        compressed = None
    return StaticBuild(root, build_id, digests, compressed)


class _Asset:
    """One file in its codings, each with its own ETag; what WhiteNoise asks to respond."""

    def __init__(self, found: dict[str, Variant[str]], last_modified: str) -> None:
        self.variants = found
        self.last_modified = last_modified

    def get_response(self, method: str, environ: dict) -> Response:
        if method not in ("GET", "HEAD"):
            return NOT_ALLOWED_RESPONSE
        variant = variants.select(self.variants, environ.get("HTTP_ACCEPT_ENCODING", ""))
        if variants.is_conditional(environ) and variants.not_modified(
            environ, variant.etag, self.last_modified
        ):
            return Response(HTTPStatus.NOT_MODIFIED, variant.not_modified_headers, None)
        if method == "HEAD":
            return Response(HTTPStatus.OK, variant.headers, None)
        try:
            handle = open(variant.payload, "rb")  # noqa: SIM115 (the server closes it)
        except FileNotFoundError:  # a compressed form swept from the cache dir: send the file
            variant = self.variants["identity"]
            handle = open(variant.payload, "rb")  # noqa: SIM115
        return Response(HTTPStatus.OK, variant.headers, handle)


class StaticFiles(WhiteNoise):
    """Serves ``build`` at ``/static/<build>/`` (immutable) and ``/static/`` (``max_age``)."""

    FOREVER = YEAR

    def __init__(
        self, app: WSGIApp, static: StaticBuild, max_age: int, headers: Mapping[str, str]
    ) -> None:
        prefix = f"/static/{static.id}/"
        super().__init__(
            app,
            max_age=max_age,
            allow_all_origins=False,  # only this site's pages load them
            immutable_file_test=lambda path, url: url.startswith(prefix),
        )
        self.static = static
        self.extra_headers = dict(headers)
        self.add_files(static.root, prefix=prefix)
        self.add_files(static.root, prefix="/static/")

    def get_static_file(self, path: str, url: str, stat_cache=None) -> _Asset:  # type: ignore[override]
        headers = self._headers(path, url)
        relative = Path(os.path.relpath(path, self.static.root)).as_posix()
        stat = os.stat(path)
        payloads = {"identity": (path, stat.st_size)}
        if self.static.compressed is not None:
            for coding, suffix in (("gzip", ".gz"), ("br", ".br")):
                packed = self.static.compressed / (relative + suffix)
                if packed.is_file():
                    payloads[coding] = (str(packed), packed.stat().st_size)
        found = variants.make_variants(headers, self.static.digests[relative], payloads)
        return _Asset(found, formatdate(stat.st_mtime, usegmt=True))

    def _headers(self, path: str, url: str) -> list[tuple[str, str]]:
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        for name, value in self.extra_headers.items():
            headers.setdefault(name, value)
        return headers.items()
