"""Static files under content-hashed URLs, served by WhiteNoise in their gzip and brotli forms.

At start every file under ``static/`` is hashed; a short digest of them all (the build) goes
into every asset URL, ``/static/<build>/css/site.css``. Any change to any file gives new URLs, so
those URLs are cached for a year as immutable. The build is one directory level, so relative
imports between files (Mermaid's chunks, ``diagrams.js``) resolve inside it. Plain
``/static/<path>`` keeps working with a short max-age.

Each build is written once to ``<cache dir>/<build>/``: the files as they were hashed, each with
``.gz`` and ``.br`` siblings (gzip -9 and brotli at its best quality; a few seconds for Mermaid's
3.7 MB). That is the layout WhiteNoise and nginx's ``gzip_static`` look for, so nginx can serve
builds from there too, older ones included while they last. A build is renamed into place
whole, so concurrent workers never see half of one; every worker and restart reuses it.
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
SUFFIXES = {"gzip": ".gz", "br": ".br"}


@dataclass(frozen=True)
class StaticBuild:
    id: str  # digest of every file's path and bytes
    digests: dict[str, str]  # path relative to the static folder -> digest of its bytes
    root: Path  # the build directory; the static folder itself when none could be written

    def url_path(self, relative: str) -> str:
        return f"{self.id}/{relative}"


def _read(source: Path) -> dict[str, bytes]:
    files = sorted(p for p in source.rglob("*") if p.is_file())
    return {path.relative_to(source).as_posix(): path.read_bytes() for path in files}


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _write_build(files: Mapping[str, bytes], target: Path) -> None:
    types = MediaTypes()
    for relative, data in files.items():
        out = target / relative
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        if variants.is_compressible(types.get_type(relative)):
            forms = variants.compressed_forms(data, brotli_quality=STATIC_BROTLI_QUALITY)
            for coding, packed in forms.items():
                out.with_name(out.name + SUFFIXES[coding]).write_bytes(packed)


def _build_dir(files: Mapping[str, bytes], build_id: str, cache: Path) -> Path:
    final = cache / build_id
    if all((final / relative).is_file() for relative in files):
        return final
    shutil.rmtree(final, ignore_errors=True)  # partly swept away, or from older code
    cache.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{build_id}-", dir=cache))
    try:
        _write_build(files, scratch)
        os.rename(scratch, final)
    except OSError:
        if not final.is_dir():  # not just another process finishing first
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def build(source: Path, cache: Path) -> StaticBuild:
    """Hash the files under ``source`` and make sure their build exists under ``cache``."""
    files = _read(source)
    digests = {name: _digest(data) for name, data in files.items()}
    build_id = hashlib.blake2b(
        repr(sorted(digests.items())).encode(), digest_size=BUILD_DIGEST_SIZE
    ).hexdigest()
    try:
        root = _build_dir(files, build_id, cache)
    except OSError as exc:
        log.warning("static files go uncompressed: cannot write %s: %s", cache, exc)
        root = source
    return StaticBuild(build_id, digests, root)


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
    """Serves ``static`` at ``/static/<build>/`` (immutable) and ``/static/`` (``max_age``)."""

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

    def get_static_file(  # type: ignore[override]
        self, path: str, url: str, stat_cache: dict[str, os.stat_result] | None = None
    ) -> _Asset:
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        for name, value in self.extra_headers.items():
            headers.setdefault(name, value)
        stat = os.stat(path)
        payloads = {"identity": (path, stat.st_size)}
        for coding, suffix in SUFFIXES.items():
            if os.path.isfile(path + suffix):
                payloads[coding] = (path + suffix, os.path.getsize(path + suffix))
        relative = Path(os.path.relpath(path, self.static.root)).as_posix()
        tag = self.static.digests.get(relative) or _digest(Path(path).read_bytes())  # added since
        found = variants.make_variants(headers.items(), tag, payloads)
        return _Asset(found, formatdate(stat.st_mtime, usegmt=True))
