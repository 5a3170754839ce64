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

Whatever sits in that directory is served as immutable, by the app and by nginx, so it is
trusted only as far as it is checked: the cache directory must belong to this user and be
writable by no one else (it is created 0700), and a build is reused only when it holds exactly
the files just hashed, each compressed form decoding to its file; anything else is rebuilt.
"""

import gzip
import hashlib
import logging
import os
import pwd
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from wsgiref.headers import Headers

import brotli
from whitenoise import WhiteNoise
from whitenoise.media_types import MediaTypes
from whitenoise.responders import Response

from serving import preconditions, variants
from serving.response_cache import WSGIApp
from serving.variants import Variant

log = logging.getLogger(__name__)

BUILD_DIGEST_SIZE = 6  # 12 hex digits in URLs
YEAR = 365 * 24 * 60 * 60
STATIC_BROTLI_QUALITY = 11  # once per build, so the smallest output is worth its seconds
SUFFIXES = {"gzip": ".gz", "br": ".br"}
DECODERS = {".gz": gzip.decompress, ".br": brotli.decompress}


class UnsafeCacheDir(RuntimeError):
    """The static cache directory could hold files planted by another user; the message says
    which directory and why."""


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


def _owner(uid: int) -> str:
    try:
        return f"{pwd.getpwuid(uid).pw_name} (uid {uid})"
    except KeyError:
        return f"uid {uid}"


def private_dir(cache: Path, what: str = "static cache dir") -> None:
    """Create ``cache`` (mode 0700) or check that the one there is this user's alone; raises
    ``UnsafeCacheDir`` naming it as ``what`` when it is not, ``OSError`` when it cannot be made."""
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    found = cache.stat()
    if found.st_uid != os.geteuid():
        raise UnsafeCacheDir(
            f"refusing {what} {cache}: it belongs to {_owner(found.st_uid)}, "
            f"not to {_owner(os.geteuid())}, who serves it"
        )
    if found.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeCacheDir(
            f"refusing {what} {cache}: others can write to it "
            f"(mode {stat.S_IMODE(found.st_mode):04o}, owner {_owner(found.st_uid)})"
        )


def _expected(files: Mapping[str, bytes]) -> set[str]:
    types = MediaTypes()
    names = set(files)
    for relative in files:
        if variants.is_compressible(types.get_type(relative)):
            names.update(relative + suffix for suffix in SUFFIXES.values())
    return names


def _matches(files: Mapping[str, bytes], digests: Mapping[str, str], build_dir: Path) -> bool:
    """Whether ``build_dir`` holds only what ``_write_build`` writes for ``files``: every file
    with its digest, and compressed forms that decode to their file. A missing compressed form
    is allowed (its file is sent uncompressed); anything else, a symlink included, is not."""
    if build_dir.is_symlink() or not build_dir.is_dir():
        return False
    entries = list(build_dir.rglob("*"))
    if any(path.is_symlink() for path in entries):
        return False
    found = {path.relative_to(build_dir).as_posix(): path for path in entries if path.is_file()}
    if not set(files) <= set(found) or not set(found) <= _expected(files):
        return False
    for relative, path in found.items():
        original, suffix = os.path.splitext(relative)
        try:
            data = path.read_bytes()
            if relative in files:
                if _digest(data) != digests[relative]:
                    return False
            elif DECODERS[suffix](data) != files[original]:
                return False
        except (OSError, EOFError, brotli.error):  # BadGzipFile is an OSError
            return False
    return True


def _build_dir(
    files: Mapping[str, bytes], digests: Mapping[str, str], build_id: str, cache: Path
) -> Path:
    private_dir(cache)
    final = cache / build_id
    if _matches(files, digests, final):
        return final
    if final.exists() or final.is_symlink():  # changed, partly swept away, or from older code
        condemned = Path(tempfile.mkdtemp(prefix=f".{build_id}-old-", dir=cache))
        os.rename(final, condemned / build_id)
        shutil.rmtree(condemned)
    scratch = Path(tempfile.mkdtemp(prefix=f".{build_id}-", dir=cache))
    try:
        _write_build(files, scratch)
        # mkdtemp makes it 0700; the cache directory's own mode decides who may read builds
        # (nginx's group, say), so the build itself must not stand in the way.
        scratch.chmod(0o755)
        os.rename(scratch, final)
    except OSError:
        if not final.is_dir():  # not just another process finishing first
            raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final


def build(source: Path, cache: Path) -> StaticBuild:
    """Hash the files under ``source`` and make sure their build exists under ``cache``.

    Raises ``UnsafeCacheDir`` when ``cache`` belongs to another user or others may write to it.
    """
    files = _read(source)
    digests = {name: _digest(data) for name, data in files.items()}
    build_id = hashlib.blake2b(
        repr(sorted(digests.items())).encode(), digest_size=BUILD_DIGEST_SIZE
    ).hexdigest()
    try:
        root = _build_dir(files, digests, build_id, cache)
    except OSError as exc:
        log.warning("static files go uncompressed: cannot write %s: %s", cache, exc)
        root = source
    return StaticBuild(build_id, digests, root)


class _Asset:
    """One file in its codings, each with its own ETag; what WhiteNoise asks to respond."""

    def __init__(
        self, found: dict[str, Variant[str]], last_modified: str, refusal: list[tuple[str, str]]
    ) -> None:
        self.variants = found
        self.last_modified = last_modified
        self.refusal = refusal  # the headers of a 405: WhiteNoise's own has none but Allow

    def get_response(self, method: str, environ: dict) -> Response:
        if method not in ("GET", "HEAD"):
            return Response(HTTPStatus.METHOD_NOT_ALLOWED, self.refusal, None)
        variant = variants.select(self.variants, environ.get("HTTP_ACCEPT_ENCODING", ""))
        verdict = preconditions.evaluate(environ, variant.etag, self.last_modified)
        if verdict is HTTPStatus.NOT_MODIFIED:
            return Response(verdict, variant.not_modified_headers, None)
        if verdict is HTTPStatus.PRECONDITION_FAILED:
            return Response(
                verdict, preconditions.failed_headers(variant.not_modified_headers), None
            )
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
        refusal = [("Allow", "GET, HEAD"), ("Content-Length", "0"), *self.extra_headers.items()]
        return _Asset(found, formatdate(stat.st_mtime, usegmt=True), refusal)
